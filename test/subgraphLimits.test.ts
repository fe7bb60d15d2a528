import { randomBytes } from 'node:crypto';
import { DevIssuer, PERSONAS, type RateLimit } from '@partnergraph/common';
import { createGateway, gatewayConfig, type Gateway } from '@partnergraph/gateway';
import { municipalitySubgraph } from '@partnergraph/municipality';
import type { Database, SubgraphServer } from '@partnergraph/subgraph-kit';
import { createTestDatabase, faultProxy, subscribeOverEventStream, type FaultProxy } from '@partnergraph/subgraph-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUPERGRAPH } from './support/system.js';

/**
 * A caller who bypasses the gateway meets its rate limits at every process of
 * an owner together (counted in Redis when the owner has one, in-process while
 * Redis is down), and at `/graphql/stream` as at `/graphql`: opening a stream
 * counts as a request, and open streams per principal are bounded. The
 * gateway bounds its own subscribers' open streams by the same rule.
 */
const REDIS = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const SUBSCRIPTION = 'subscription { noticePosted { id } }';
type Reply = { status: number; headers: Headers; body: { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } };

describe('rate limits at the subgraphs for callers who bypass the gateway', () => {
  let db: Database;
  let issuer: DevIssuer;
  const servers: SubgraphServer[] = [];
  const proxies: FaultProxy[] = [];
  const gateways: Gateway[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('subgraph_limits');
    issuer = await DevIssuer.create();
  });
  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    for (const server of servers) await server.stop();
    for (const proxy of proxies) await proxy.close();
    await db?.close();
  });

  /** One municipality process on the shared database; its own key prefix in the shared Redis, never flushed. */
  async function instance(options: { rateLimit: RateLimit; redisUrl?: string; redisPrefix?: string; streamsPerPrincipal?: number; internalKey?: string }) {
    const server = await municipalitySubgraph.create({ db, trust: issuer.trustConfig(), ...options });
    servers.push(server);
    const { url } = await server.listen(0);
    return { server, url };
  }

  /** A principal of its own for each test: a caseworker the municipality's rules let subscribe to notices. */
  async function caller() {
    const token = await issuer.sign({ ...PERSONAS['municipality-caseworker']!, subject: `limits-${randomBytes(4).toString('hex')}` });
    return { authorization: `Bearer ${token}`, 'x-purpose': 'STATISTICS' };
  }

  async function ask(url: string, headers: Record<string, string>): Promise<Reply> {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ __typename }' }) });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Reply['body'] };
  }

  /** Opens a stream and waits until it is accepted or refused: the refusal's status and body, or the open stream. */
  async function open(url: string, headers: Record<string, string>) {
    const stream = subscribeOverEventStream(`${url}/stream`, headers, { query: SUBSCRIPTION });
    const refusal = await stream.connected.then(
      () => undefined,
      (error: Error) => error.message,
    );
    return { stream, refusal };
  }

  const prefix = () => `pgtest:limits:${randomBytes(4).toString('hex')}:`;
  const limit = (perPrincipal: number): RateLimit => ({ perPrincipal, perOrganisation: 10_000, windowSeconds: 3600 });

  it('two processes of one owner sharing Redis together refuse past the per-principal limit', async () => {
    const shared = { rateLimit: limit(10), redisUrl: REDIS, redisPrefix: prefix() };
    const a = await instance(shared);
    const b = await instance(shared);
    const headers = await caller();
    const statuses: number[] = [];
    for (let i = 0; i < 16; i++) statuses.push((await ask(i % 2 ? b.url : a.url, headers)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.slice(10)).toEqual([429, 429, 429, 429, 429, 429]);
    const refused = await ask(a.url, headers);
    expect(refused.body.errors?.[0]?.extensions?.['code']).toBe('RATE_LIMITED');
    expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    // Another principal has its own count.
    expect((await ask(b.url, await caller())).status).toBe(200);
    expect(await a.server.metrics.registry.getSingleMetricAsString('subgraph_redis_available')).toMatch(/ 1$/m);
  });

  it('counts opening a stream against the per-principal limit, answered 429 like the other limits', async () => {
    const { url } = await instance({ rateLimit: limit(3), streamsPerPrincipal: 0 });
    const headers = await caller();
    const opened = [];
    for (let i = 0; i < 3; i++) {
      const { stream, refusal } = await open(url, headers);
      expect(refusal).toBeUndefined();
      opened.push(stream);
    }
    for (const stream of opened) stream.close();
    const { refusal } = await open(url, headers);
    expect(refusal).toMatch(/^429: /);
    const body = JSON.parse(refusal!.slice('429: '.length)) as Reply['body'];
    expect(body.errors?.[0]?.extensions?.['code']).toBe('RATE_LIMITED');
    expect(body.errors?.[0]?.message).toMatch(/Too many requests for this principal/);
    // Streams and requests draw on the same count.
    expect((await ask(url, headers)).status).toBe(429);
  });

  it('bounds the streams one principal holds open at once; a closed stream frees its place', async () => {
    const { url, server } = await instance({ rateLimit: limit(1000), streamsPerPrincipal: 2 });
    const headers = await caller();
    const first = await open(url, headers);
    const second = await open(url, headers);
    expect([first.refusal, second.refusal]).toEqual([undefined, undefined]);
    const third = await open(url, headers);
    expect(third.refusal).toMatch(/^429: /);
    const body = JSON.parse(third.refusal!.slice('429: '.length)) as Reply['body'];
    expect(body.errors).toEqual([{ message: 'Too many open streams for this principal (at most 2); close one and retry.', extensions: { code: 'RATE_LIMITED' } }]);
    // Another principal is not held back by this one's streams.
    const other = await open(url, await caller());
    expect(other.refusal).toBeUndefined();
    first.stream.close();
    await first.stream.completed;
    // The server sees the connection close a moment after the client drops it.
    let again = await open(url, headers);
    for (let tries = 0; again.refusal && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      again = await open(url, headers);
    }
    expect(again.refusal).toBeUndefined();
    for (const s of [second, other, again]) s.stream.close();
    expect(await server.metrics.registry.getSingleMetricAsString('subgraph_rate_limited_total')).toMatch(/limit="streams"[^\n]* [1-9]/);
  });

  it('two processes of one owner sharing Redis together bound the streams one principal holds open', async () => {
    const shared = { rateLimit: limit(1000), streamsPerPrincipal: 2, redisUrl: REDIS, redisPrefix: prefix() };
    const a = await instance(shared);
    const b = await instance(shared);
    const headers = await caller();
    const held = [await open(a.url, headers), await open(b.url, headers)];
    expect(held.map((s) => s.refusal)).toEqual([undefined, undefined]);
    const third = await open(a.url, headers);
    expect(third.refusal).toMatch(/^429: .*Too many open streams for this principal \(at most 2\)/);
    for (const s of [...held, third]) s.stream.close();
  });

  it('keeps answering while Redis is down, counting in-process, and says so in its metrics', async () => {
    const redis = new URL(REDIS);
    const proxy = await faultProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
    proxies.push(proxy);
    const shared = { rateLimit: limit(6), redisUrl: proxy.through(REDIS), redisPrefix: prefix() };
    const a = await instance(shared);
    const b = await instance(shared);
    const headers = await caller();
    // Shared while Redis answers: 4 of 6 spent across both processes.
    for (let i = 0; i < 4; i++) expect((await ask(i % 2 ? b.url : a.url, headers)).status).toBe(200);
    proxy.cut();
    // Each process goes on alone: answers, never a 5xx, and the limit still holds per process.
    const during: number[] = [];
    for (let i = 0; i < 8; i++) during.push((await ask(a.url, headers)).status);
    expect(during.slice(0, 6)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(during.slice(6)).toEqual([429, 429]);
    expect((await ask(b.url, headers)).status).toBe(200);
    const metrics = await a.server.metrics.registry.metrics();
    expect(metrics).toMatch(/^subgraph_redis_available\{[^}]*\} 0$/m);
    expect(metrics).toMatch(/^subgraph_redis_fallback_total\{[^}]*\} [1-9]/m);
    proxy.pass();
  });

  it('bounds the streams one principal holds open through the gateway, every gateway process sharing Redis together', async () => {
    const internalKey = randomBytes(32).toString('base64url');
    const owner = await instance({ rateLimit: limit(1000), internalKey });
    const redisPrefix = prefix();
    const urls: string[] = [];
    for (let i = 0; i < 2; i++) {
      const gateway = await createGateway(
        gatewayConfig({
          supergraphPath: SUPERGRAPH,
          trust: issuer.trustConfig(),
          internalKey,
          events: 'owner',
          subgraphUrls: { municipality: owner.url },
          rateLimit: undefined,
          redisUrl: REDIS,
          redisPrefix,
          streamsPerPrincipal: 2,
        }),
      );
      gateways.push(gateway);
      urls.push((await gateway.listen(0)).url);
    }
    const headers = await caller();
    const first = await open(urls[0]!, headers);
    const second = await open(urls[1]!, headers);
    expect([first.refusal, second.refusal]).toEqual([undefined, undefined]);
    const third = await open(urls[0]!, headers);
    expect(third.refusal).toMatch(/^429: /);
    // The owner's refusal, word for word: one rule.
    const body = JSON.parse(third.refusal!.slice('429: '.length)) as Reply['body'];
    expect(body.errors).toEqual([{ message: 'Too many open streams for this principal (at most 2); close one and retry.', extensions: { code: 'RATE_LIMITED' } }]);
    // Another principal is not held back by this one's streams.
    const other = await open(urls[1]!, await caller());
    expect(other.refusal).toBeUndefined();
    first.stream.close();
    await first.stream.completed;
    // The gateway sees the connection close a moment after the client drops it.
    let again = await open(urls[1]!, headers);
    for (let tries = 0; again.refusal && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      again = await open(urls[1]!, headers);
    }
    expect(again.refusal).toBeUndefined();
    for (const s of [second, third, other, again]) s.stream.close();
    const refused = await Promise.all(gateways.slice(-2).map((g) => g.metrics.registry.getSingleMetricAsString('gateway_rate_limited_total')));
    expect(refused.join('\n')).toMatch(/limit="streams"[^\n]* [1-9]/);
  });

  it("does not count the gateway's own streams (they prove themselves with the internal key) against a direct caller's bound", async () => {
    const internalKey = randomBytes(32).toString('base64url');
    const owner = await instance({ rateLimit: limit(1000), streamsPerPrincipal: 1, internalKey });
    const gateway = await createGateway(
      gatewayConfig({ supergraphPath: SUPERGRAPH, trust: issuer.trustConfig(), internalKey, events: 'owner', subgraphUrls: { municipality: owner.url }, rateLimit: undefined }),
    );
    gateways.push(gateway);
    const { url } = await gateway.listen(0);
    const headers = await caller();
    // Through the gateway, each subscription is a stream at the owner under the subscriber's token: two at once are fine.
    const viaGateway = [await open(url, headers), await open(url, headers)];
    expect(viaGateway.map((s) => s.refusal)).toEqual([undefined, undefined]);
    // The same principal directly still meets its bound of one.
    const direct = [await open(owner.url, headers), await open(owner.url, headers)];
    expect(direct[0]!.refusal).toBeUndefined();
    expect(direct[1]!.refusal).toMatch(/^429: .*Too many open streams/);
    for (const s of [...viaGateway, ...direct]) s.stream.close();
  });
});
