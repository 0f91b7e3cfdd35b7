/**
 * The card link's `appContext` (CDS Hooks: a string the EHR hands back to the app, here JSON
 * like {"pattern":"vitamin-d-toxicity"}) arrives in the token response. Returns the pattern to highlight.
 */
const PATTERN = /^[a-z][a-z0-9-]{0,63}$/;

function patternOf(value: unknown): string | undefined {
  if (typeof value === "string") {
    const text = value.trim();
    if (PATTERN.test(text)) return text;
    try {
      return patternOf(JSON.parse(text));
    } catch {
      return undefined;
    }
  }
  if (typeof value === "object" && value !== null) {
    const p = (value as Record<string, unknown>).pattern;
    return typeof p === "string" && PATTERN.test(p) ? p : undefined;
  }
  return undefined;
}

/**
 * Reads `appContext` from the token response. (Open-server test launches have no token response:
 * launch.html passes a `appContext` URL parameter into fhirclient's `fakeTokenResponse`.)
 */
export function highlightedPattern(tokenResponse: Record<string, unknown> | undefined): string | undefined {
  return patternOf(tokenResponse?.appContext);
}
