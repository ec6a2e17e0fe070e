import type { Vote } from '../components/custom-id.js';

/**
 * The vote that counts per user and answer (the last one), for the counts shown on an answer's 👍/👎 buttons.
 * Bounded like the answer store; lost on restart, when the answers' buttons expire too. The durable record is the
 * feedback store.
 */
export class VoteTally {
  private readonly answers = new Map<string, Map<string, Vote>>();

  constructor(private readonly capacity = 5000) {}

  /** Records `vote` by `user` (a hash) on answer `key`, replacing their earlier vote; returns the new counts. */
  cast(key: string, user: string, vote: Vote): { up: number; down: number } {
    const votes = this.answers.get(key) ?? new Map<string, Vote>();
    this.answers.delete(key);
    votes.set(user, vote);
    this.answers.set(key, votes);
    if (this.answers.size > this.capacity) {
      const oldest = this.answers.keys().next();
      if (!oldest.done) this.answers.delete(oldest.value);
    }
    return this.counts(key);
  }

  counts(key: string): { up: number; down: number } {
    let up = 0;
    let down = 0;
    for (const v of this.answers.get(key)?.values() ?? []) {
      if (v === 'up') up++;
      else down++;
    }
    return { up, down };
  }
}
