/** Structured JSON logs (pino). Secrets are redacted wherever they could appear. */
import pino, { type Logger } from "pino";
import { SERVICE_NAME } from "./service-name";

export const redactPaths = [
  "req.headers.authorization",
  "headers.authorization",
  "authorization",
  "fhirAuthorization",
  "*.fhirAuthorization",
  "access_token",
  "*.access_token",
  "token",
];

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: redactPaths, censor: "[redacted]" }, base: { service: SERVICE_NAME } });
}
