/**
 * zod schema of the CDS Hooks 2.0 feedback body (`POST /cds-services/{id}/feedback`):
 * `{ feedback: [{ card, outcome, acceptedSuggestions?, overrideReason?, outcomeTimestamp }] }`.
 * - `acceptedSuggestions` is REQUIRED (non-empty) when `outcome` is `accepted`;
 * - `overrideReason` is `{ reason?: Coding, userComment? }` (2.0) or the pre-2020 flat
 *   `{ code, system, display? }` the old sandbox sent — both are normalized to one shape;
 * - `outcomeTimestamp` is an ISO 8601 date-time (Z or an offset).
 * Unknown fields (e.g. `extension`) are tolerated and not stored. A failure is a 400 naming the field.
 */
import { z } from "zod";
import { CdsError } from "../errors";

const text = (max: number) => z.string().min(1).max(max);

/** Bounds on what one feedback call may store (a response carries a handful of cards; comments are a sentence or two). */
export const FEEDBACK_LIMITS = { items: 100, userComment: 2_000, suggestions: 20 } as const;
const USER_COMMENT_MAX = FEEDBACK_LIMITS.userComment;

const coding = z.object({ code: text(256), system: text(1024), display: text(1024).optional() });

const overrideReason = z.union([
  z.object({ reason: coding, userComment: text(USER_COMMENT_MAX).optional() }),
  // Legacy (pre-2020 sandbox): the Coding directly on overrideReason.
  coding.extend({ userComment: text(USER_COMMENT_MAX).optional() }),
  z.object({ userComment: text(USER_COMMENT_MAX) }),
]);

const feedbackItem = z
  .object({
    card: text(256),
    outcome: z.enum(["accepted", "overridden"], { error: 'must be "accepted" or "overridden"' }),
    acceptedSuggestions: z
      .array(z.object({ id: text(256) }))
      .min(1)
      .max(FEEDBACK_LIMITS.suggestions)
      .optional(),
    overrideReason: overrideReason.optional(),
    outcomeTimestamp: z.iso
      .datetime({ offset: true, error: "must be an ISO 8601 date-time, e.g. 2020-12-11T00:00:00Z" })
      .refine((s) => !Number.isNaN(Date.parse(s)), "is not a real date-time"),
  })
  .superRefine((item, ctx) => {
    if (item.outcome === "accepted" && !item.acceptedSuggestions) {
      ctx.addIssue({ code: "custom", path: ["acceptedSuggestions"], message: "is required when outcome is accepted" });
    }
  });

const feedbackBody = z.object({ feedback: z.array(feedbackItem).min(1).max(FEEDBACK_LIMITS.items) });

export interface OverrideReason {
  system?: string;
  code?: string;
  display?: string;
  userComment?: string;
}

export interface FeedbackItem {
  card: string;
  outcome: "accepted" | "overridden";
  acceptedSuggestions: string[];
  overrideReason?: OverrideReason;
  outcomeTimestamp: Date;
}

function pathOf(path: PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), "");
}

function normalizeReason(r: z.infer<typeof overrideReason>): OverrideReason {
  const c = "reason" in r ? r.reason : "code" in r ? r : undefined;
  return {
    ...(c ? { system: c.system, code: c.code, ...(c.display ? { display: c.display } : {}) } : {}),
    ...(r.userComment ? { userComment: r.userComment } : {}),
  };
}

/** Validates a feedback body; throws a 400 CdsError naming the first bad field. */
export function parseFeedback(body: unknown): FeedbackItem[] {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new CdsError("invalid_request", "request body must be a JSON object", [{ field: "(body)", message: "must be a JSON object" }]);
  }
  const result = feedbackBody.safeParse(body);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({ field: pathOf(i.path) || "(body)", message: i.message }));
    const first = issues[0];
    throw new CdsError("invalid_request", first ? `${first.field}: ${first.message}` : "invalid feedback", issues);
  }
  return result.data.feedback.map((f) => ({
    card: f.card,
    outcome: f.outcome,
    acceptedSuggestions: (f.acceptedSuggestions ?? []).map((s) => s.id),
    ...(f.overrideReason ? { overrideReason: normalizeReason(f.overrideReason) } : {}),
    outcomeTimestamp: new Date(f.outcomeTimestamp),
  }));
}
