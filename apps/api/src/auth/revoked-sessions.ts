// The deny-list that makes revocation immediate although access tokens are verified without
// the database: a revoked session's id is remembered for as long as one of its access tokens
// could still be valid (TTL + clock tolerance), then forgotten. It is reloaded from the
// database at start, so a restart forgets nothing (THREATS T48, docs/decisions/0004). With
// several API instances each one keeps its own copy, fed by the others through PostgreSQL
// NOTIFY and a catch-up query (src/cluster/revocation-sync.ts, docs/decisions/0010).

export class RevokedSessions {
  readonly #until = new Map<string, number>();

  constructor(private readonly retentionMs: number) {}

  /** Returns true when the session was not deny-listed yet (so its sockets still need closing). */
  add(sessionId: string, revokedAt: Date): boolean {
    const until = revokedAt.getTime() + this.retentionMs;
    if (until <= Date.now()) return false;
    const known = this.has(sessionId);
    if (!known || until > this.#until.get(sessionId)!) this.#until.set(sessionId, until);
    return !known;
  }

  has(sessionId: string): boolean {
    const until = this.#until.get(sessionId);
    if (until === undefined) return false;
    if (until <= Date.now()) {
      this.#until.delete(sessionId);
      return false;
    }
    return true;
  }

  /** Oldest revocation that still matters, for reloading at start. */
  relevantSince(now = new Date()): Date {
    return new Date(now.getTime() - this.retentionMs);
  }

  prune(): void {
    const now = Date.now();
    for (const [id, until] of this.#until) if (until <= now) this.#until.delete(id);
  }

  get size(): number {
    return this.#until.size;
  }
}
