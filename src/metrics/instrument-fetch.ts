/**
 * Wraps the fetch used for fallback FHIR reads so each request is timed (to response headers) and
 * failures are counted — without touching the FHIR client code.
 */
import type { FetchFn } from "../fhir/fhir-fetch";
import type { Metrics } from "./metrics";

function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

export function instrumentFetch(fetchImpl: FetchFn, metrics: Metrics): FetchFn {
  return async (input, init) => {
    const stop = metrics.fhirFetchDuration.startTimer();
    try {
      const res = await fetchImpl(input, init);
      stop({ outcome: statusClass(res.status) });
      if (res.status >= 400) metrics.fhirFetchErrors.inc({ reason: `http_${statusClass(res.status)}` });
      return res;
    } catch (e) {
      const timeout = init?.signal?.aborted === true;
      stop({ outcome: timeout ? "timeout" : "error" });
      metrics.fhirFetchErrors.inc({ reason: timeout ? "timeout" : "network" });
      throw e;
    }
  };
}
