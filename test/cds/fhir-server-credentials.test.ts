/** A fhirServer with userinfo is a 400 naming the field; the password is never echoed in a response or written to a log. */
import { Writable } from "node:stream";
import pino from "pino";
import request from "supertest";
import { patientViewBody } from "../../devkit/hook-requests";
import { buildTestApp } from "../helpers/test-app";

function capturedLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString("utf8"));
      done();
    },
  });
  return { logger: pino({ level: "trace" }, sink), lines };
}

describe.each([
  ["user and password", "https://alice:s3cr3t-PW@ehr.example.org/fhir"],
  ["user only", "https://s3cr3t-PW@ehr.example.org/fhir"],
  ["empty user, password", "http://:s3cr3t-PW@127.0.0.1:9/fhir"],
])("fhirServer with credentials (%s)", (_name, fhirServer) => {
  it("→ 400 naming fhirServer; neither the body nor any log line contains the secret", async () => {
    const { logger, lines } = capturedLogger();
    const app = buildTestApp({ logger });
    const res = await request(app)
      .post("/cds-services/vitd-patient-view")
      .send(patientViewBody({ fhirServer, prefetch: {} }));
    expect(res.status).toBe(400);
    expect(res.body.field).toBe("fhirServer");
    expect(res.text).not.toContain("s3cr3t-PW");
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("\n")).not.toContain("s3cr3t-PW");
  });
});
