import type { Redis } from 'ioredis';
import type { KeyValueStore } from './KeyValueStore.js';
import { MemoryStore } from './MemoryStore.js';
import { RedisStore } from './RedisStore.js';

/**
 * Redis first; when Redis is down or slow, the in-process store answers and
 * the client sees nothing of it. Entries written during an outage stay local.
 */
export class FallbackStore implements KeyValueStore {
  readonly memory: MemoryStore;
  private readonly remote: RedisStore | undefined;
  onFallback: ((operation: string) => void) | undefined;

  constructor(
    private readonly redis: Redis | undefined,
    prefix = 'pg:',
    memory = new MemoryStore(),
  ) {
    this.memory = memory;
    this.remote = redis ? new RedisStore(redis, prefix) : undefined;
  }

  private get remoteUsable(): boolean {
    return this.remote !== undefined && this.redis?.status === 'ready';
  }

  async get(key: string): Promise<string | undefined> {
    if (this.remoteUsable) {
      try {
        return await this.remote!.get(key);
      } catch {
        this.onFallback?.('get');
      }
    }
    return this.memory.get(key);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    if (this.remoteUsable) {
      try {
        await this.remote!.set(key, value, ttlSeconds);
        return;
      } catch {
        this.onFallback?.('set');
      }
    }
    await this.memory.set(key, value, ttlSeconds);
  }

  async delete(key: string): Promise<void> {
    await this.memory.delete(key);
    if (this.remoteUsable) {
      try {
        await this.remote!.delete(key);
      } catch {
        this.onFallback?.('delete');
      }
    }
  }
}
