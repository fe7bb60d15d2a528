import { LRUCache } from 'lru-cache';
import { errorAnswer, type Answer } from './httpServer.js';
import { LinkScript } from './linkScript.js';

/** The part of a Redis connection the limiter uses (the gateway's RedisLink): counters shared by every process. */
export interface RateLimitLink {
  readonly usable: boolean;
  readonly redis: {
    script(command: 'LOAD', script: string): Promise<unknown>;
    evalsha(sha: string, keys: number, ...args: (string | number)[]): Promise<unknown>;
    eval(script: string, keys: number, ...args: (string | number)[]): Promise<unknown>;
  };
  succeeded(): void;
  failed(error: unknown): void;
}

export interface RateLimit {
  /** Requests per window for one principal. */
  perPrincipal: number;
  /** Requests per window for one organisation, all its principals together. */
  perOrganisation: number;
  windowSeconds: number;
}

export interface RateDecision {
  allowed: boolean;
  /** Seconds until a retry can succeed, when refused. */
  retryAfterSeconds: number;
  limitedBy?: 'principal' | 'organisation';
}

/**
 * Sliding window, approximated from two fixed windows (the previous one
 * weighted by how much of it still overlaps): one round trip, atomic, shared
 * by every gateway process through Redis.
 */
const SCRIPT = new LinkScript(`
local window = tonumber(ARGV[1])
local elapsed = tonumber(ARGV[2])
local function estimate(prevKey, curKey)
  local prev = tonumber(redis.call('GET', prevKey) or '0')
  local cur = tonumber(redis.call('GET', curKey) or '0')
  return prev * (1 - elapsed / window) + cur, prev, cur
end
local limits = { tonumber(ARGV[3]), tonumber(ARGV[4]) }
for i = 0, 1 do
  local est, prev, cur = estimate(KEYS[i * 2 + 1], KEYS[i * 2 + 2])
  if est + 1 > limits[i + 1] then
    local wait
    if cur + 1 > limits[i + 1] or prev == 0 then
      wait = window - elapsed
    else
      wait = math.max(0, (1 - (limits[i + 1] - 1 - cur) / prev) * window - elapsed)
    end
    return { 0, math.ceil(wait), i }
  end
end
for i = 0, 1 do
  redis.call('INCR', KEYS[i * 2 + 2])
  redis.call('PEXPIRE', KEYS[i * 2 + 2], window * 2)
end
return { 1, 0, -1 }
`);

type Counter = { window: number; count: number };

/**
 * Per principal and per organisation, the gateway's and every subgraph's: one
 * rule, so a caller who bypasses the gateway meets the same limits. Without a
 * link, counters are kept in this process.
 */
export class RateLimiter {
  /** Counters while Redis is absent or down: one per principal and organisation seen lately. */
  private readonly local = new LRUCache<string, { prev: Counter; cur: Counter }>({ max: 50_000 });
  onFallback: (() => void) | undefined;

  constructor(
    private readonly limits: RateLimit,
    private readonly link?: RateLimitLink,
    private readonly prefix = 'pg:rl:',
  ) {}

  async check(principal: string, organisation: string, now = Date.now()): Promise<RateDecision> {
    const windowMs = this.limits.windowSeconds * 1000;
    const index = Math.floor(now / windowMs);
    const elapsed = now % windowMs;
    const keys = [`p:${principal}`, `o:${organisation}`].flatMap((k) => [`${this.prefix}${k}:${index - 1}`, `${this.prefix}${k}:${index}`]);
    if (this.link?.usable) {
      try {
        const args = [windowMs, elapsed, this.limits.perPrincipal, this.limits.perOrganisation];
        const result = (await SCRIPT.run(this.link.redis, keys, args)) as [number, number, number];
        this.link.succeeded();
        return toDecision(result);
      } catch (error) {
        this.link.failed(error);
      }
    }
    if (this.link) this.onFallback?.();
    return this.checkLocally(principal, organisation, index, elapsed / windowMs);
  }

  private checkLocally(principal: string, organisation: string, index: number, elapsedShare: number): RateDecision {
    const windowSeconds = this.limits.windowSeconds;
    const entries = [
      [`p:${principal}`, this.limits.perPrincipal],
      [`o:${organisation}`, this.limits.perOrganisation],
    ] as const;
    const counters = entries.map(([key]) => {
      let c = this.local.get(key);
      if (!c || c.cur.window < index - 1) c = { prev: { window: index - 1, count: 0 }, cur: { window: index, count: 0 } };
      else if (c.cur.window === index - 1) c = { prev: c.cur, cur: { window: index, count: 0 } };
      this.local.set(key, c);
      return c;
    });
    for (let i = 0; i < entries.length; i++) {
      const { prev, cur } = counters[i]!;
      const limit = entries[i]![1];
      if (prev.count * (1 - elapsedShare) + cur.count + 1 > limit) {
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - elapsedShare) * windowSeconds)), limitedBy: i === 0 ? 'principal' : 'organisation' };
      }
    }
    for (const c of counters) c.cur.count++;
    return { allowed: true, retryAfterSeconds: 0 };
  }
}

function toDecision([allowed, waitMs, which]: [number, number, number]): RateDecision {
  if (allowed === 1) return { allowed: true, retryAfterSeconds: 0 };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)), limitedBy: which === 0 ? 'principal' : 'organisation' };
}

/** The rate limits from the environment (RATE_LIMIT_PER_PRINCIPAL=0 turns them off), read alike by gateway and subgraphs. */
export function rateLimitFromEnv(env: NodeJS.ProcessEnv): RateLimit | undefined {
  const num = (value: string | undefined, fallback: number) => (value === undefined || value === '' ? fallback : Number(value));
  const perPrincipal = num(env['RATE_LIMIT_PER_PRINCIPAL'], DEFAULT_RATE_LIMIT.perPrincipal);
  if (!(perPrincipal > 0)) return undefined;
  return {
    perPrincipal,
    perOrganisation: num(env['RATE_LIMIT_PER_ORGANISATION'], perPrincipal * 10),
    windowSeconds: num(env['RATE_LIMIT_WINDOW_SECONDS'], DEFAULT_RATE_LIMIT.windowSeconds),
  };
}

export const DEFAULT_RATE_LIMIT: RateLimit = { perPrincipal: 600, perOrganisation: 6000, windowSeconds: 60 };

/** The refusal of a rate-limited request, alike at gateway and subgraphs: 429 with Retry-After. */
export function rateLimitedAnswer(decision: RateDecision): Answer {
  const limitedBy = decision.limitedBy ?? 'principal';
  return errorAnswer(429, 'RATE_LIMITED', `Too many requests for this ${limitedBy}; retry after ${decision.retryAfterSeconds} s.`, {
    'retry-after': String(decision.retryAfterSeconds),
  });
}
