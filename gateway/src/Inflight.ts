/** Shares one in-flight computation among identical callers; forgets it when it settles. */
export class Inflight<T> {
  private readonly pending = new Map<string, Promise<T>>();

  get size(): number {
    return this.pending.size;
  }

  run(key: string, compute: () => Promise<T>, onShared?: () => void): Promise<T> {
    const existing = this.pending.get(key);
    if (existing) {
      onShared?.();
      return existing;
    }
    const promise = compute().finally(() => this.pending.delete(key));
    this.pending.set(key, promise);
    return promise;
  }
}
