/** In-memory state of the authorization server: pending codes, issued tokens, and an event log tests can read. */
import type { LaunchContext } from "./launch-context";
import type { ScopeGrants } from "./scopes";

export interface PendingCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scope: string;
  context: LaunchContext;
  expiresAt: number;
}

export interface IssuedToken {
  clientId: string;
  patient: string;
  grants: ScopeGrants;
  expiresAt: number;
}

export type AuthEvent =
  | { type: "authorize"; clientId: string; scope: string; launch: boolean; codeChallengeMethod: string }
  | { type: "authorize-error"; error: string; description: string }
  | { type: "token"; clientId: string; patient: string; scope: string; pkceVerified: true }
  | { type: "token-error"; error: string; description: string }
  | { type: "fhir"; method: string; path: string; status: number }
  /** Entries of an upstream search Bundle dropped because they were outside the patient compartment. */
  | { type: "fhir-filtered"; path: string; dropped: number };

export interface AuthStore {
  codes: Map<string, PendingCode>;
  tokens: Map<string, IssuedToken>;
  events: AuthEvent[];
}

export function createStore(): AuthStore {
  return { codes: new Map(), tokens: new Map(), events: [] };
}
