import type { KeyValueStore } from './KeyValueStore.js';
import { MemoryStore } from './MemoryStore.js';
import type { RedisLink } from '@partnergraph/common';
import { RedisStore } from './RedisStore.js';

/**
 * Redis first; while Redis is down or hangs (see RedisLink), the in-process
 * store answers and the client sees nothing of it. Entries written during an
 * outage stay local. Every operation served from memory while Redis is
 * configured is counted (`onFallback`), for as long as the outage lasts.
 */
export class FallbackStore implements KeyValueStore {
  readonly memory: MemoryStore;
  private readonly remote: RedisStore | undefined;
  onFallback: ((operation: string) => void) | undefined;

  constructor(
    private readonly link: RedisLink | undefined,
    prefix = 'pg:',
    memory = new MemoryStore(),
  ) {
    this.memory = memory;
    this.remote = link ? new RedisStore(link.redis, prefix) : undefined;
  }

  get(key: string): Promise<string | undefined> {
    if (!this.link) return this.memory.get(key);
    return this.either('get', (remote) => remote.get(key), () => this.memory.get(key));
  }

  getMany(keys: readonly string[]): Promise<Array<string | undefined>> {
    if (!this.link) return this.memory.getMany(keys);
    return this.either('get', (remote) => remote.getMany(keys), () => this.memory.getMany(keys));
  }

  set(key: string, value: string, ttlSeconds: number): Promise<void> {
    if (!this.link) return this.memory.set(key, value, ttlSeconds);
    return this.either('set', (remote) => remote.set(key, value, ttlSeconds), () => this.memory.set(key, value, ttlSeconds));
  }

  async delete(key: string): Promise<void> {
    await this.memory.delete(key);
    if (this.link) await this.either('delete', (remote) => remote.delete(key), async () => undefined);
  }

  private async either<T>(operation: string, remote: (store: RedisStore) => Promise<T>, local: () => Promise<T>): Promise<T> {
    const link = this.link!;
    if (link.usable) {
      try {
        const value = await remote(this.remote!);
        link.succeeded();
        return value;
      } catch (error) {
        link.failed(error);
      }
    }
    this.onFallback?.(operation);
    return local();
  }
}
