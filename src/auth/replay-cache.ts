/**
 * Bounded memory of JWT ids already accepted (replay protection, CDS Hooks "jti"). Each id is kept until
 * the token could no longer pass the exp/iat checks anyway; beyond `maxEntries` the oldest is evicted
 * (a Map keeps insertion order, so eviction is O(1)). Per process: replicas do not share it.
 */
export class ReplayCache {
  private readonly entries = new Map<string, number>();

  constructor(private readonly maxEntries = 100_000) {}

  /** True if `id` was already recorded and has not expired; otherwise records it until `expiresAtMs`. */
  checkAndRecord(id: string, expiresAtMs: number, nowMs: number): boolean {
    const known = this.entries.get(id);
    if (known !== undefined && known > nowMs) return true;
    this.entries.delete(id);
    this.entries.set(id, expiresAtMs);
    this.evict(nowMs);
    return false;
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(nowMs: number): void {
    // Drop expired entries from the front (oldest first), then anything over the bound.
    for (const [id, expiresAt] of this.entries) {
      if (this.entries.size <= this.maxEntries && expiresAt > nowMs) break;
      this.entries.delete(id);
    }
  }
}
