/**
 * Shares one in-flight computation among identical callers and forgets it
 * when it settles. A result that may not be handed to another caller (an
 * answer its owner logged as a disclosure to one request) is not: each
 * waiting caller then computes its own.
 */
export class Inflight<T> {
  private readonly pending = new Map<string, Promise<T>>();

  constructor(private readonly shareable: (value: T) => boolean = () => true) {}

  get size(): number {
    return this.pending.size;
  }

  run(key: string, compute: () => Promise<T>, onShared?: () => void): Promise<T> {
    const existing = this.pending.get(key);
    if (existing) {
      return existing.then((value) => {
        if (!this.shareable(value)) return compute();
        onShared?.();
        return value;
      });
    }
    const promise = compute().finally(() => this.pending.delete(key));
    this.pending.set(key, promise);
    return promise;
  }
}
