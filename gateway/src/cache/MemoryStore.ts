import { LRUCache } from 'lru-cache';
import type { KeyValueStore } from './KeyValueStore.js';

/** Default bound of the in-process store: answers and persisted query texts, keys included. */
export const MEMORY_STORE_BYTES = 64 * 1024 * 1024;

/**
 * In-process store with expiry, bounded by entries and by bytes (lru-cache,
 * least recently used first): the embedded default, and the fallback while
 * Redis is unreachable. Sizes count UTF-16 code units twice, so the bound holds
 * for any text.
 */
export class MemoryStore implements KeyValueStore {
  private readonly entries: LRUCache<string, string>;

  constructor(maxEntries = 10_000, maxBytes = MEMORY_STORE_BYTES) {
    this.entries = new LRUCache<string, string>({
      max: maxEntries,
      maxSize: maxBytes,
      // A single value may take at most a quarter of the store.
      maxEntrySize: maxBytes / 4,
      sizeCalculation: (value, key) => (value.length + key.length) * 2 + 64,
    });
  }

  get bytes(): number {
    return this.entries.calculatedSize;
  }

  getSync(key: string): string | undefined {
    return this.entries.get(key);
  }

  async get(key: string): Promise<string | undefined> {
    return this.entries.get(key);
  }

  async getMany(keys: readonly string[]): Promise<Array<string | undefined>> {
    return keys.map((key) => this.entries.get(key));
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.entries.set(key, value, { ttl: Math.max(1, ttlSeconds) * 1000 });
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }
}
