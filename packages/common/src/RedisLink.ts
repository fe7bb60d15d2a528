import type { Logger } from './logger.js';
import type { Redis } from 'ioredis';

export interface RedisLinkOptions {
  /** Failed or timed-out commands in a row after which Redis counts as down. */
  failuresToTrip: number;
  /** While down, how often a PING checks whether Redis answers again. */
  probeMs: number;
  logger?: Logger | undefined;
  /** Called with true when Redis is used again, false when the gateway stops using it. */
  onChange?: ((available: boolean) => void) | undefined;
}

/**
 * Whether the gateway (or a subgraph) uses Redis right now. A Redis that is gone (connection
 * refused) and one that hangs (frozen: the connection stays open, every command
 * waits out its timeout) are both noticed: after a few failed commands in a row
 * the gateway stops sending commands and serves from its in-process stores,
 * while a PING probes until Redis answers again. Each change is logged, with
 * the outage's length when it ends.
 */
export class RedisLink {
  private up: boolean;
  private failures = 0;
  private downSince = 0;
  private probe: NodeJS.Timeout | undefined;
  private probing = false;

  constructor(
    readonly redis: Redis,
    private readonly options: RedisLinkOptions,
  ) {
    this.up = redis.status === 'ready';
    redis.on('ready', () => this.markUp('connected'));
    redis.on('error', (error: Error) => this.markDown(error.message));
    redis.on('end', () => this.markDown('connection ended'));
  }

  /** Commands may go to Redis now. */
  get usable(): boolean {
    return this.up && this.redis.status === 'ready';
  }

  get available(): boolean {
    return this.up;
  }

  /** Resolves once Redis is in use, or after `timeoutMs` (the gateway then starts on its in-process stores). */
  async connected(timeoutMs: number): Promise<boolean> {
    if (this.usable) return true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const redis = this.redis;
      function done() {
        clearTimeout(timer);
        redis.off('ready', done);
        resolve();
      }
      redis.once('ready', done);
    });
    return this.usable;
  }

  succeeded(): void {
    this.failures = 0;
  }

  failed(error: unknown): void {
    this.failures++;
    if (this.failures >= this.options.failuresToTrip) this.markDown((error as Error)?.message ?? 'command failed');
  }

  stop(): void {
    clearInterval(this.probe);
    this.probe = undefined;
  }

  private markDown(reason: string): void {
    if (!this.up) return;
    this.up = false;
    this.downSince = Date.now();
    this.options.logger?.warn({ reason }, 'Redis not answering: serving from in-process stores until it answers again');
    this.options.onChange?.(false);
    this.probe ??= setInterval(() => void this.ping(), this.options.probeMs);
    this.probe.unref();
  }

  private markUp(how: string): void {
    if (this.up) return;
    if (this.redis.status !== 'ready') return;
    this.up = true;
    this.failures = 0;
    this.stop();
    if (this.downSince === 0) {
      this.options.logger?.info('Redis connected');
    } else {
      const outageSeconds = Math.round((Date.now() - this.downSince) / 100) / 10;
      this.options.logger?.info({ outageSeconds, how }, 'Redis answering again: using it');
    }
    this.options.onChange?.(true);
  }

  private async ping(): Promise<void> {
    if (this.probing || this.redis.status !== 'ready') return;
    this.probing = true;
    try {
      await this.redis.ping();
      this.markUp('ping');
    } catch {
      // still down
    } finally {
      this.probing = false;
    }
  }
}

/**
 * How every component connects: no INFO ready check and no CLIENT SETINFO on
 * connect, so each component's Redis user (deploy/redis/users.acl) needs only
 * the commands it runs. Redis loading data answers LOADING, which counts as a
 * failed command like any other.
 */
export const REDIS_CONNECT_OPTIONS = { enableReadyCheck: false, disableClientInfo: true } as const;

/**
 * A Redis connection for shared state that must never hold up an answer (the
 * gateway's stores, the rate limiters' counters): no offline queue, short
 * command and connect timeouts, reconnecting in the background; the link says
 * when to fall back to in-process state. ioredis is loaded only here, when a
 * URL is configured.
 */
export async function connectRedisLink(url: string, options: Omit<RedisLinkOptions, 'failuresToTrip' | 'probeMs'> & Partial<RedisLinkOptions>): Promise<RedisLink> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, {
    ...REDIS_CONNECT_OPTIONS,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 250,
    connectTimeout: 1000,
    retryStrategy: (attempt) => Math.min(attempt * 250, 3000),
  });
  return new RedisLink(redis, { failuresToTrip: 3, probeMs: 250, ...options });
}
