/**
 * Wraps the transport of fallback FHIR reads so each request is timed (to response headers) and
 * failures are counted — without touching the FHIR client code.
 */
import type { HttpGet } from "../net/http-get";
import type { Metrics } from "./metrics";

function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

export function instrumentHttpGet(httpGet: HttpGet, metrics: Metrics): HttpGet {
  return async (url, options) => {
    const stop = metrics.fhirFetchDuration.startTimer();
    try {
      const res = await httpGet(url, options);
      stop({ outcome: statusClass(res.status) });
      if (res.status >= 400) metrics.fhirFetchErrors.inc({ reason: `http_${statusClass(res.status)}` });
      return res;
    } catch (e) {
      const timeout = options.signal.aborted;
      stop({ outcome: timeout ? "timeout" : "error" });
      metrics.fhirFetchErrors.inc({ reason: timeout ? "timeout" : "network" });
      throw e;
    }
  };
}
