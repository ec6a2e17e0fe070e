/**
 * Recent questions per thread the bot opened, used as context for follow-ups there. Bounded in threads and in
 * questions per thread; lost on restart, after which the thread's name (the original question) seeds it again.
 */
export class ThreadMemory {
  private readonly threads = new Map<string, string[]>();

  constructor(
    private readonly maxThreads = 2000,
    private readonly perThread = 4,
  ) {}

  /** The remembered questions of a thread, oldest first, or undefined when none are known. */
  recent(threadId: string): readonly string[] | undefined {
    const questions = this.threads.get(threadId);
    if (questions === undefined) return undefined;
    this.threads.delete(threadId);
    this.threads.set(threadId, questions);
    return questions;
  }

  /** Appends questions to a thread's memory, keeping the most recent. */
  add(threadId: string, ...questions: readonly string[]): void {
    const kept = [...(this.threads.get(threadId) ?? []), ...questions].slice(-this.perThread);
    this.threads.delete(threadId);
    this.threads.set(threadId, kept);
    if (this.threads.size > this.maxThreads) {
      const oldest = this.threads.keys().next();
      if (!oldest.done) this.threads.delete(oldest.value);
    }
  }
}
