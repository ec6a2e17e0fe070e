import { SlidingWindow } from './rate-limit.js';

/** 📎 reactions a watched channel may get per minute (Discord limits reactions per channel too). */
export const WATCH_REACTIONS_PER_MINUTE = 20;
/** Messages a watched channel may have checked per minute: beyond it, a flood is not checked at all. */
export const WATCH_CHECKS_PER_MINUTE = 30;
/** Message ids remembered so that a replayed gateway event (after a resume) never gets a second reply. */
const SEEN_CAPACITY = 10_000;

/**
 * What the watch keeps per channel: sliding-window limits on replies (`WATCH_REPLIES_PER_HOUR`), reactions and
 * checks, and the messages already handled. In memory: after a restart the windows start empty, and a message
 * sent before the restart is not delivered again by Discord.
 */
export class WatchState {
  readonly replies: SlidingWindow;
  readonly reactions = new SlidingWindow(WATCH_REACTIONS_PER_MINUTE, 60_000);
  readonly checks = new SlidingWindow(WATCH_CHECKS_PER_MINUTE, 60_000);
  private readonly seen = new Set<string>();

  constructor(
    repliesPerHour: number,
    private readonly now: () => number = Date.now,
  ) {
    this.replies = new SlidingWindow(repliesPerHour, 3_600_000);
  }

  /** True the first time a message id is seen, false ever after (within the last {@link SEEN_CAPACITY} ids). */
  firstTime(messageId: string): boolean {
    if (this.seen.has(messageId)) return false;
    this.seen.add(messageId);
    if (this.seen.size > SEEN_CAPACITY) {
      const oldest = this.seen.values().next();
      if (!oldest.done) this.seen.delete(oldest.value);
    }
    return true;
  }

  /** Takes a slot in `window` for `channelId`; false when the channel has used its share. */
  take(window: SlidingWindow, channelId: string): boolean {
    const now = this.now();
    if (window.waitMs(channelId, now) > 0) return false;
    window.record(channelId, now);
    return true;
  }
}
