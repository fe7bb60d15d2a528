import { randomUUID } from 'node:crypto';
import { errorAnswer, type Answer } from './httpServer.js';
import { LinkScript } from './linkScript.js';
import type { RateLimitLink } from './RateLimiter.js';

/** Streams one principal may hold open at once, at the gateway and at each owner, unless STREAMS_PER_PRINCIPAL says otherwise. */
export const DEFAULT_STREAMS_PER_PRINCIPAL = 20;

/** How long a stream's place is held in Redis without being renewed: a process that dies frees its places after this. */
export const DEFAULT_STREAM_LEASE_MS = 30_000;

/** An open stream's place: `release` frees it (once; later calls do nothing). */
export interface StreamLease {
  release(): void;
}

// Redis's own clock for every lease: the processes' clocks may disagree.
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/** Leases that ran out are dropped in the same step that counts the rest and adds one, or refuses. */
const ACQUIRE = new LinkScript(`${NOW}
local lease = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + lease, ARGV[3])
redis.call('PEXPIRE', KEYS[1], lease * 2)
return 1
`);

/**
 * Extends this process's leases of one principal, and adds those it took while
 * Redis was down (or that a restarted Redis lost): held streams are not
 * refused afterwards, but they count against new ones.
 */
const RENEW = new LinkScript(`${NOW}
local lease = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], now + lease, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], lease * 2)
return 1
`);

const RELEASE = new LinkScript(`redis.call('ZREM', KEYS[1], ARGV[1]) return 1`);

export interface StreamLimiterOptions {
  /** Streams open at once per principal; 0: unbounded. */
  perPrincipal: number;
  /** Redis shared by every process of one component; counted in this process while it is absent or down. */
  link?: RateLimitLink | undefined;
  /** Key prefix of the component (one sorted set per principal under it). */
  prefix?: string | undefined;
  leaseMs?: number | undefined;
}

/**
 * Open streams per principal, the gateway's and every owner's: one rule. With
 * a link, every process of a component counts in one sorted set per principal
 * in Redis — one member per open stream, scored by when its lease runs out,
 * renewed while the stream is open — so a process that dies without releasing
 * frees its places when their leases run out. While Redis is down, each
 * process bounds the streams it holds itself.
 */
export class StreamLimiter {
  readonly perPrincipal: number;
  onFallback: (() => void) | undefined;
  private readonly link: RateLimitLink | undefined;
  private readonly prefix: string;
  private readonly leaseMs: number;
  /** This process's open streams: per principal's key, the members it holds. */
  private readonly held = new Map<string, Set<string>>();
  private readonly process = randomUUID();
  private sequence = 0;
  private renewal: NodeJS.Timeout | undefined;
  private renewing: Promise<void> = Promise.resolve();

  constructor(options: StreamLimiterOptions) {
    this.perPrincipal = options.perPrincipal;
    this.link = options.link;
    this.prefix = options.prefix ?? 'pg:streams:';
    this.leaseMs = options.leaseMs ?? DEFAULT_STREAM_LEASE_MS;
  }

  /** A place for one more stream of `principal`, or undefined when it holds as many as it may. */
  async acquire(principal: string): Promise<StreamLease | undefined> {
    if (!(this.perPrincipal > 0)) return { release: () => undefined };
    const key = `${this.prefix}${principal}`;
    const member = `${this.process}:${++this.sequence}`;
    const shared = await this.acquireShared(key, member);
    if (shared === false) return undefined;
    if (shared === undefined && (this.held.get(key)?.size ?? 0) >= this.perPrincipal) return undefined;
    this.hold(key, member);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.unhold(key, member);
      },
    };
  }

  /** Streams this process holds open now, all principals together. */
  get open(): number {
    let count = 0;
    for (const members of this.held.values()) count += members.size;
    return count;
  }

  /** Redis's answer; undefined when it could not be asked (then this process counts). */
  private async acquireShared(key: string, member: string): Promise<boolean | undefined> {
    const link = this.link;
    if (link?.usable) {
      try {
        const admitted = await ACQUIRE.run(link.redis, [key], [this.perPrincipal, this.leaseMs, member]);
        link.succeeded();
        return admitted === 1;
      } catch (error) {
        link.failed(error);
      }
    }
    if (link) this.onFallback?.();
    return undefined;
  }

  private hold(key: string, member: string): void {
    let members = this.held.get(key);
    if (!members) this.held.set(key, (members = new Set()));
    members.add(member);
    if (this.link && !this.renewal) {
      this.renewal = setInterval(() => void this.renew(), Math.max(50, Math.floor(this.leaseMs / 3)));
      this.renewal.unref();
    }
  }

  private unhold(key: string, member: string): void {
    const members = this.held.get(key);
    members?.delete(member);
    if (members?.size === 0) this.held.delete(key);
    if (this.held.size === 0) {
      clearInterval(this.renewal);
      this.renewal = undefined;
    }
    const link = this.link;
    if (!link) return;
    // After any renewal under way, which could otherwise add the member back; one that is not removed runs out with its lease.
    this.renewing = this.renewing.then(async () => {
      if (!link.usable) return;
      try {
        await RELEASE.run(link.redis, [key], [member]);
        link.succeeded();
      } catch (error) {
        link.failed(error);
      }
    });
  }

  private renew(): Promise<void> {
    const link = this.link;
    this.renewing = this.renewing.then(async () => {
      if (!link?.usable) return;
      try {
        await Promise.all([...this.held].map(([key, members]) => RENEW.run(link.redis, [key], [this.leaseMs, ...members])));
        link.succeeded();
      } catch (error) {
        link.failed(error);
      }
    });
    return this.renewing;
  }
}

/** The refusal of one stream too many, alike at gateway and owners: the rate limits' shape (429, RATE_LIMITED, Retry-After). */
export function streamsRefusedAnswer(bound: number): Answer {
  return errorAnswer(429, 'RATE_LIMITED', `Too many open streams for this principal (at most ${bound}); close one and retry.`, { 'retry-after': '5' });
}

/** STREAMS_PER_PRINCIPAL, read alike by gateway and owners (unset: the default; 0: unbounded). */
export function streamsPerPrincipalFromEnv(env: NodeJS.ProcessEnv): number {
  const value = env['STREAMS_PER_PRINCIPAL'];
  if (value === undefined || value === '') return DEFAULT_STREAMS_PER_PRINCIPAL;
  const bound = Number(value);
  if (!Number.isInteger(bound) || bound < 0) throw new Error('STREAMS_PER_PRINCIPAL must be a whole number, 0 or more');
  return bound;
}
