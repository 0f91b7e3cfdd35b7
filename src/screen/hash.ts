/**
 * Stable patient hashing for shards and buckets: MD5 of the patient id (UTF-8), a standard digest that
 * JavaScript (node:crypto) and DuckDB (`md5()`) compute identically and that never changes across
 * versions or machines. Shard = first 8 hex digits mod n; bucket = next 8 hex digits mod b, so the
 * buckets of one shard are still evenly filled.
 */
import { createHash } from "node:crypto";

const digest = (id: string): string => createHash("md5").update(id, "utf8").digest("hex");

/** 0-based shard of `id` among `n` (`--shard i/n` keeps patients with shardIndex = i - 1). */
export function shardIndex(id: string, n: number): number {
  return parseInt(digest(id).slice(0, 8), 16) % n;
}

/** 0-based bucket of `id` among `b` (the unit of work and of the resume checkpoint). */
export function bucketIndex(id: string, b: number): number {
  return parseInt(digest(id).slice(8, 16), 16) % b;
}

const int = (n: number): number => {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`not a positive integer: ${n}`);
  return n;
};

/** The same as shardIndex, as a DuckDB SQL expression over a VARCHAR column. */
export const sqlShardIndex = (column: string, n: number): string => `(('0x' || substr(md5(${column}), 1, 8))::UBIGINT % ${int(n)})`;

/** The same as bucketIndex, as a DuckDB SQL expression. */
export const sqlBucketIndex = (column: string, b: number): string => `(('0x' || substr(md5(${column}), 9, 8))::UBIGINT % ${int(b)})`;
