/** CDS_DATABASE_URL → the store: `sqlite:<path>` (`sqlite::memory:` for a throw-away one) or `postgres://…`. */
import { PostgresFeedbackStore } from "./postgres-store";
import { SqliteFeedbackStore } from "./sqlite-store";
import type { FeedbackStore } from "./store";

export async function openFeedbackStore(
  databaseUrl: string,
  pool: { max?: number; connectionTimeoutMs?: number } = {},
): Promise<FeedbackStore> {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return PostgresFeedbackStore.open(databaseUrl, pool);
  if (databaseUrl.startsWith("sqlite:")) return new SqliteFeedbackStore(databaseUrl.slice("sqlite:".length));
  throw new Error("CDS_DATABASE_URL must be sqlite:<path> or postgres://…");
}

/** Where a database URL points, without credentials (for logs). */
export function describeDatabaseUrl(databaseUrl: string): string {
  if (databaseUrl.startsWith("sqlite:")) return databaseUrl;
  try {
    const u = new URL(databaseUrl);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "postgres (unparseable URL)";
  }
}
