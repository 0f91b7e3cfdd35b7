/** An HTTP error carrying a FHIR OperationOutcome (the FHIR server's only error type). */
import type { OperationOutcome } from "fhir/r4";

export class FhirHttpError extends Error {
  constructor(
    readonly status: number,
    readonly outcome: OperationOutcome,
  ) {
    super(outcome.issue[0]?.diagnostics ?? `HTTP ${status}`);
    this.name = "FhirHttpError";
  }

  static badRequest(diagnostics: string): FhirHttpError {
    return new FhirHttpError(400, outcome("error", "invalid", diagnostics));
  }
}

export function outcome(severity: "error" | "information", code: string, diagnostics: string): OperationOutcome {
  return { resourceType: "OperationOutcome", issue: [{ severity, code: code as "invalid", diagnostics }] };
}
