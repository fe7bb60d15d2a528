import { onNoticeEventsCommitted } from './committed.js';

/**
 * Work done in rounds: when started, every `pollMs` (for changes other
 * processes made), and at once when a change with notice events commits in
 * this process. One round at a time; woken during a round, it runs one more.
 */
export class Rounds {
  private timer: NodeJS.Timeout | undefined;
  private unhook: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    private readonly round: () => Promise<unknown>,
    private readonly pollMs: number,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  get started(): boolean {
    return !this.stopped;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), this.pollMs);
    this.timer.unref();
    this.unhook = onNoticeEventsCommitted(() => this.wake());
    this.wake();
  }

  /** No further rounds; the one running finishes first. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unhook?.();
    clearInterval(this.timer);
    await this.running;
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.round()
      .then(() => undefined)
      .catch(this.onError)
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }
}
