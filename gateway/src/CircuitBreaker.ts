export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses before letting one probe through. */
  openMs: number;
}

/**
 * Stops calling a subgraph that keeps failing: after `failureThreshold`
 * failures in a row it refuses at once for `openMs`, then lets a single probe
 * through (half-open); the probe's outcome closes or reopens it.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  state: CircuitState = 'closed';
  onChange: ((state: CircuitState) => void) | undefined;

  constructor(private readonly options: CircuitOptions) {}

  /** Whether a call may go out now. */
  allow(now = Date.now()): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') {
      if (now - this.openedAt < this.options.openMs) return false;
      this.set('half-open');
    }
    if (this.probing) return false;
    this.probing = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.probing = false;
    if (this.state !== 'closed') this.set('closed');
  }

  failure(now = Date.now()): void {
    this.probing = false;
    this.failures++;
    if (this.state === 'half-open' || this.failures >= this.options.failureThreshold) {
      this.openedAt = now;
      if (this.state !== 'open') this.set('open');
    }
  }

  private set(state: CircuitState): void {
    this.state = state;
    this.onChange?.(state);
  }
}
