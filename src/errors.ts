/**
 * The one error type the service throws on purpose. Each carries the HTTP status it maps to and a
 * machine-readable code; the HTTP error handler (src/http/error-handler.ts) is the only place that
 * turns it into a response. Anything else that escapes is a bug and becomes a 500.
 */
export type CdsErrorCode =
  | "invalid_request" // 400
  | "unauthorized" // 401
  | "not_found" // 404
  | "payload_too_large" // 413
  | "unsupported_media_type" // 415
  | "precondition_failed" // 412: required data neither prefetched nor obtainable
  | "fhir_server_error" // 502
  | "fhir_server_timeout" // 504
  | "too_many_requests" // 429
  | "service_unavailable" // 503: a dependency (the feedback store) is down or saturated; retry later
  | "request_timeout"; // 503: the request was not answered within CDS_REQUEST_TIMEOUT_MS

const statusByCode: Record<CdsErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  precondition_failed: 412,
  fhir_server_error: 502,
  fhir_server_timeout: 504,
  too_many_requests: 429,
  service_unavailable: 503,
  request_timeout: 503,
};

export interface ErrorIssue {
  field: string;
  message: string;
}

export class CdsError extends Error {
  readonly status: number;
  /** `options.cause`: the error that led to this one (logged, never sent to the client). */
  constructor(
    readonly code: CdsErrorCode,
    message: string,
    readonly issues: ErrorIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "CdsError";
    this.status = statusByCode[code];
  }

  /** The JSON body sent to the client: names the bad field first, then every issue. */
  toBody(): { error: CdsErrorCode; message: string; field?: string; issues?: ErrorIssue[] } {
    const first = this.issues[0];
    return {
      error: this.code,
      message: this.message,
      ...(first ? { field: first.field, issues: this.issues } : {}),
    };
  }
}
