import type { KeyValueStore } from './KeyValueStore.js';

/**
 * In-process LRU with expiry, bounded by entries and by bytes: the embedded
 * default, and the fallback while Redis is unreachable.
 */
export class MemoryStore implements KeyValueStore {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();
  private bytes = 0;

  constructor(
    private readonly maxEntries = 10_000,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return this.getSync(key);
  }

  getSync(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.remove(key, entry.value);
      return undefined;
    }
    // Refresh recency: Map keeps insertion order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    const old = this.entries.get(key);
    if (old) this.remove(key, old.value);
    if (value.length > this.maxBytes / 4) return;
    this.entries.set(key, { value, expiresAt: Date.now() + ttlSeconds * 1000 });
    this.bytes += value.length;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next().value as string;
      this.remove(oldest, this.entries.get(oldest)!.value);
    }
  }

  async delete(key: string): Promise<void> {
    const old = this.entries.get(key);
    if (old) this.remove(key, old.value);
  }

  private remove(key: string, value: string): void {
    this.entries.delete(key);
    this.bytes -= value.length;
  }
}
