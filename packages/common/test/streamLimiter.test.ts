import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { connectRedisLink, StreamLimiter, type RedisLink, type StreamLease } from '../src/index.js';

/**
 * Open streams per principal across processes: each limiter here stands for
 * one process, with its own connection to the real Redis and a key prefix of
 * its own per test (never flushed); the outage is our own redis-server.
 */
const REDIS = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const LEASE_MS = 600;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const until = async (what: () => Promise<boolean>, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
};

describe('StreamLimiter', () => {
  const links: RedisLink[] = [];
  const servers: ChildProcess[] = [];
  afterAll(() => {
    for (const link of links) {
      link.stop();
      link.redis.disconnect();
    }
    for (const server of servers) server.kill('SIGKILL');
  });

  async function instance(url: string, prefix: string, perPrincipal = 2) {
    const link = await connectRedisLink(url, {});
    links.push(link);
    expect(await link.connected(2000)).toBe(true);
    const limiter = new StreamLimiter({ perPrincipal, link, prefix, leaseMs: LEASE_MS });
    let fallbacks = 0;
    limiter.onFallback = () => fallbacks++;
    return { link, limiter, fallbacks: () => fallbacks };
  }
  const prefix = () => `pgtest:streams:${randomBytes(4).toString('hex')}:`;

  it('two processes share one bound per principal; another principal has its own', async () => {
    const shared = prefix();
    const a = await instance(REDIS, shared);
    const b = await instance(REDIS, shared);
    expect(await a.limiter.acquire('alice')).toBeDefined();
    expect(await b.limiter.acquire('alice')).toBeDefined();
    expect(await a.limiter.acquire('alice')).toBeUndefined();
    expect(await b.limiter.acquire('alice')).toBeUndefined();
    expect(await b.limiter.acquire('bob')).toBeDefined();
    // Held past their lease: renewed while open.
    await sleep(LEASE_MS * 2);
    expect(await a.limiter.acquire('alice')).toBeUndefined();
    expect(a.fallbacks()).toBe(0);
  });

  it('a released stream frees its place for every process', async () => {
    const shared = prefix();
    const a = await instance(REDIS, shared);
    const b = await instance(REDIS, shared);
    const held = [(await a.limiter.acquire('alice'))!, (await a.limiter.acquire('alice'))!];
    expect(await b.limiter.acquire('alice')).toBeUndefined();
    held[0]!.release();
    held[0]!.release();
    let again: StreamLease | undefined;
    await until(async () => (again = await b.limiter.acquire('alice')) !== undefined, LEASE_MS / 2);
    expect(await b.limiter.acquire('alice')).toBeUndefined();
    expect(a.limiter.open).toBe(1);
    // The set is gone once nothing is held, and has a TTL while anything is.
    const redis = new Redis(REDIS);
    try {
      expect(await redis.pttl(`${shared}alice`)).toBeGreaterThan(0);
      held[1]!.release();
      again!.release();
      await until(async () => (await redis.exists(`${shared}alice`)) === 0);
    } finally {
      redis.disconnect();
    }
  });

  it("a process that dies holding streams frees them when their leases run out", async () => {
    const shared = prefix();
    const dying = await instance(REDIS, shared);
    const survivor = await instance(REDIS, shared);
    expect(await dying.limiter.acquire('alice')).toBeDefined();
    expect(await dying.limiter.acquire('alice')).toBeDefined();
    // Killed: its connection gone, nothing released, nothing renewed.
    dying.link.stop();
    dying.link.redis.disconnect();
    expect(await survivor.limiter.acquire('alice')).toBeUndefined();
    await sleep(LEASE_MS + 100);
    expect(await survivor.limiter.acquire('alice')).toBeDefined();
    expect(await survivor.limiter.acquire('alice')).toBeDefined();
    expect(await survivor.limiter.acquire('alice')).toBeUndefined();
  });

  it('while Redis is down, each process bounds the streams it holds, and says so', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    servers.push(server);
    const url = `redis://127.0.0.1:${port}`;
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => 100 });
    probe.on('error', () => undefined);
    await until(async () => (await probe.ping().catch(() => '')) === 'PONG');
    probe.disconnect();
    const shared = prefix();
    const a = await instance(url, shared, 3);
    const b = await instance(url, shared, 3);
    const held = [(await a.limiter.acquire('alice'))!, (await b.limiter.acquire('alice'))!];
    expect(held.every(Boolean)).toBe(true);
    server.kill('SIGKILL');
    await until(async () => !a.link.usable && !b.link.usable);
    // a holds one: two more here; b holds one: two more there. Never an error.
    const during = [];
    for (let i = 0; i < 3; i++) during.push(await a.limiter.acquire('alice'));
    expect(during.map(Boolean)).toEqual([true, true, false]);
    expect(a.fallbacks()).toBe(3);
    // A place freed while Redis is down is free here at once.
    during[0]!.release();
    expect(await a.limiter.acquire('alice')).toBeDefined();
    expect(await b.limiter.acquire('alice')).toBeDefined();
    expect(await b.limiter.acquire('alice')).toBeDefined();
    expect(await b.limiter.acquire('alice')).toBeUndefined();
  });

  it('0 is unbounded, and needs no Redis', async () => {
    const limiter = new StreamLimiter({ perPrincipal: 0 });
    for (let i = 0; i < 100; i++) expect(await limiter.acquire('alice')).toBeDefined();
  });
});
