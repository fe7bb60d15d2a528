import type { RateLimitLink } from './RateLimiter.js';

/**
 * A Lua script run through a link: loaded once and called by its hash, sent
 * whole when Redis has forgotten it (restarted, SCRIPT FLUSH). Atomic, so the
 * check and the change it guards are one step for every process.
 */
export class LinkScript {
  private sha: string | undefined;

  constructor(private readonly source: string) {}

  async run(redis: RateLimitLink['redis'], keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      this.sha ??= (await redis.script('LOAD', this.source)) as string;
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!String((error as Error).message).includes('NOSCRIPT')) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
