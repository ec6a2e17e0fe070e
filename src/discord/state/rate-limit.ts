/** Outcome of asking for a slot. */
export type RateDecision =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly scope: 'user' | 'channel';
      /** Whole seconds until a slot frees up, at least 1. */
      readonly retryAfterSeconds: number;
      /** True for the first refusal of this key in its window: notify then, stay quiet for the rest (mentions). */
      readonly firstRefusal: boolean;
    };

/**
 * A sliding-window counter: at most `limit` events per key in any `windowMs`. `limit` 0 turns it off.
 * Memory is bounded by active keys: idle keys are swept as the map grows.
 */
export class SlidingWindow {
  private readonly hits = new Map<string, number[]>();
  private readonly refused = new Map<string, number>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Milliseconds until `key` may take a slot at `now`; 0 when it may now. */
  waitMs(key: string, now: number): number {
    if (this.limit <= 0) return 0;
    const times = this.prune(key, now);
    if (times.length < this.limit) return 0;
    const oldest = times[times.length - this.limit] ?? now;
    return Math.max(1, oldest + this.windowMs - now);
  }

  record(key: string, now: number): void {
    if (this.limit <= 0) return;
    const times = this.prune(key, now);
    times.push(now);
    this.hits.set(key, times);
    if (this.hits.size > 10_000) this.sweep(now);
  }

  /** Notes a refusal; true when it is the first for this key since its window last had room. */
  noteRefusal(key: string, now: number, waitMs: number): boolean {
    const until = this.refused.get(key);
    if (until !== undefined && until > now) return false;
    this.refused.set(key, now + waitMs);
    return true;
  }

  private prune(key: string, now: number): number[] {
    const times = this.hits.get(key) ?? [];
    let drop = 0;
    while (drop < times.length && (times[drop] ?? 0) <= now - this.windowMs) drop++;
    return drop > 0 ? times.slice(drop) : times;
  }

  private sweep(now: number): void {
    for (const [key, times] of this.hits) {
      if ((times[times.length - 1] ?? 0) <= now - this.windowMs) this.hits.delete(key);
    }
    for (const [key, until] of this.refused) if (until <= now) this.refused.delete(key);
  }
}

/**
 * Per-user and per-channel limits (events per minute, 0 = off). A request takes a slot in both windows or in
 * neither, so a user refused by a busy channel keeps their own budget.
 */
export class RateLimits {
  private readonly user: SlidingWindow;
  private readonly channel: SlidingWindow;

  constructor(
    limits: { readonly userPerMinute: number; readonly channelPerMinute: number },
    private readonly now: () => number = Date.now,
  ) {
    this.user = new SlidingWindow(limits.userPerMinute, 60_000);
    this.channel = new SlidingWindow(limits.channelPerMinute, 60_000);
  }

  /** Takes a slot for `userId` in `channelId`, or says how long to wait. */
  take(userId: string, channelId: string): RateDecision {
    const now = this.now();
    const userWait = this.user.waitMs(userId, now);
    const channelWait = this.channel.waitMs(channelId, now);
    if (userWait === 0 && channelWait === 0) {
      this.user.record(userId, now);
      this.channel.record(channelId, now);
      return { ok: true };
    }
    const scope = userWait >= channelWait ? 'user' : 'channel';
    const waitMs = Math.max(userWait, channelWait);
    const window = scope === 'user' ? this.user : this.channel;
    const firstRefusal = window.noteRefusal(`${scope === 'user' ? userId : channelId}`, now, waitMs);
    return { ok: false, scope, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)), firstRefusal };
  }
}
