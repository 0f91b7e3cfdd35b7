/**
 * Rules for every request this service sends to a host it does not control (FHIR servers, JWKS
 * hosts; docs/service-contract.md "Outbound requests"): redirects are never followed (the
 * allow-list was checked for the URL we chose, not for wherever a 3xx points), and response bodies
 * are size-capped while they stream, so a hostile or broken server cannot exhaust memory.
 */

export type FetchFn = typeof fetch;

/** The init every outbound request uses: a 3xx comes back as a response instead of being followed. */
export const NO_REDIRECT: Pick<RequestInit, "redirect"> = { redirect: "manual" };

/** A 3xx (or, in a browser, an opaque redirect) — never followed. 304 is not a redirect. */
export function isRedirect(res: Pick<Response, "status" | "type">): boolean {
  return res.type === "opaqueredirect" || (res.status >= 300 && res.status < 400 && res.status !== 304);
}

export class ResponseTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`response is larger than ${maxBytes} bytes`);
    this.name = "ResponseTooLargeError";
  }
}

/**
 * The body as text, reading at most `maxBytes` (a larger Content-Length is refused before reading;
 * a body that grows past the cap is cancelled mid-stream). UTF-8, decoded as it arrives.
 */
export async function readTextCapped(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new ResponseTooLargeError(maxBytes);
  }
  if (!res.body) return "";
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let total = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new ResponseTooLargeError(maxBytes);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}
