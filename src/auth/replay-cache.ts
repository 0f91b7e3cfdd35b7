/**
 * Replay protection (CDS Hooks "jti"): `seen` answers whether this issuer's token id was already accepted,
 * and records it (until `expiresAtMs`, when the token could no longer pass the exp/iat checks anyway) when
 * not. With PostgreSQL the feedback store provides one shared by every replica; else `ReplayCache`.
 */
export interface ReplayGuard {
  seen(iss: string, jti: string, expiresAtMs: number, nowMs: number): Promise<boolean>;
}

/**
 * Bounded memory of JWT ids already accepted. Beyond `maxEntries` the oldest is evicted (a Map keeps
 * insertion order, so eviction is O(1)). Per process: replicas do not share it (use the store's guard).
 */
export class ReplayCache implements ReplayGuard {
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

  seen(iss: string, jti: string, expiresAtMs: number, nowMs: number): Promise<boolean> {
    return Promise.resolve(this.checkAndRecord(`${iss}\u0000${jti}`, expiresAtMs, nowMs));
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
