import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RateLimiter, connectRedisLink } from '@partnergraph/common';
import { municipalitySubgraph } from '@partnergraph/municipality';
import { BoardOverviewDocument, PostNoticeDocument } from '@partnergraph/operations';
import { discoverOwners, type Owner } from '@partnergraph/registry';
import type { BackgroundWorker } from '@partnergraph/subgraph-kit';
import { freePort, subscribeOverEventStream } from '@partnergraph/subgraph-kit/testing';
import { print } from 'graphql';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addOwnerToRedisUsers, redisPasswordVariable, redisUserProblems } from '../apps/cli/src/redisUsers.js';
import { addOwnerToTopology } from '../apps/cli/src/topology.js';
import { startSystem, type System } from './support/system.js';

/**
 * Each component reaches Redis as its own user (deploy/redis/users.acl, as
 * docker-compose.yml renders it): the gateway, each owner and the
 * municipality's event relay do all their work through their own code, and an
 * owner can neither read nor write the gateway's cached answers or persisted
 * queries, nor another owner's counters, nor listen to or forge events. Our
 * own redis-server, loaded with that file and test passwords.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const TEMPLATE = join(root, 'deploy/redis/users.acl');
const RENDER = join(root, 'deploy/redis/render-acl.sh');
const PREFIX = 'partnergraph:';
const EVENTS = `${PREFIX}events`;
const owners = discoverOwners(root).map((o) => o.name);
const users = ['gateway', ...owners];

/** The message of a command's refusal; "allowed" when Redis ran it. */
const refusal = (command: Promise<unknown>) =>
  command.then(
    () => 'allowed',
    (error: Error) => error.message,
  );
const NOPERM = /^NOPERM/;
const SCRIPT_REFUSED = /can't access|no permissions/;

describe('each component reaches Redis as its own user, limited to its own keys and channel', () => {
  let dir: string;
  let server: ChildProcess;
  let port: number;
  let system: System;
  let admin: Redis;
  const workers: BackgroundWorker[] = [];
  const connections: Redis[] = [];
  const passwords = Object.fromEntries(users.map((u) => [u, randomBytes(32).toString('hex')]));
  const urlOf = (user: string, password = passwords[user]) => `redis://${user}:${password}@127.0.0.1:${port}`;
  const as = (user: string) => {
    const redis = new Redis(urlOf(user), { maxRetriesPerRequest: 0, retryStrategy: () => null, enableReadyCheck: false });
    redis.on('error', () => undefined);
    connections.push(redis);
    return redis;
  };
  const keys = async (pattern: string) => (await admin.keys(`${PREFIX}${pattern}`)).sort();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redis-acl-'));
    const file = join(dir, 'users.acl');
    const env = { ...process.env, ...Object.fromEntries(users.map((u) => [redisPasswordVariable(u), passwords[u]!])) };
    const rendered = spawnSync('sh', [RENDER, TEMPLATE, file], { env, encoding: 'utf8' });
    expect(rendered.stderr).toBe('');
    expect(rendered.status).toBe(0);
    // The test's own inspector: no part of the deployment's file.
    const adminPassword = randomBytes(16).toString('hex');
    appendFileSync(file, `user inspector on >${adminPassword} ~* &* +@all\n`);
    port = await freePort();
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--aclfile', file], { stdio: 'ignore' });
    admin = new Redis(`redis://inspector:${adminPassword}@127.0.0.1:${port}`, { lazyConnect: true, retryStrategy: () => 100 });
    admin.on('error', () => undefined);
    await vi.waitFor(async () => expect(await admin.ping()).toBe('PONG'), { timeout: 10_000, interval: 50 });

    system = await startSystem({
      gateway: { redisUrl: urlOf('gateway'), redisPrefix: PREFIX, rateLimit: { perPrincipal: 1000, perOrganisation: 10_000, windowSeconds: 60 } },
      owner: (name) => ({ redisUrl: urlOf(name), redisPrefix: PREFIX }),
    });
    // The municipality's event relay, as its process starts it (webhooks are delivered elsewhere here).
    workers.push(...((await municipalitySubgraph.workers?.(system.owners['municipality']!.db, { REDIS_URL: urlOf('municipality'), REDIS_PREFIX: PREFIX, WEBHOOK_DELIVERER: 'off' })) ?? []));
    for (const worker of workers) worker.start();
  });

  afterAll(async () => {
    for (const worker of workers) await worker.stop();
    for (const redis of connections) redis.disconnect();
    await system?.stop();
    admin?.disconnect();
    server?.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lets each component do all its work, and refuses none of its commands', async () => {
    const sign = (persona: string) => system.issuer.signPersona(persona);
    // A live subscription at the gateway: the municipality publishes the event, the gateway hears it.
    const live = subscribeOverEventStream(`${system.gatewayUrl}/stream`, { authorization: `Bearer ${await sign('housing-fob-caseworker')}`, 'x-purpose': 'COORDINATION' }, {
      query: 'subscription { noticePosted { id subject } }',
    });
    // And one straight at the municipality, which bounds its direct callers' open streams.
    const direct = subscribeOverEventStream(`${system.owners['municipality']!.url}/stream`, { authorization: `Bearer ${await sign('municipality-caseworker')}`, 'x-purpose': 'STATISTICS' }, {
      query: 'subscription { noticePosted { id } }',
    });
    try {
      await Promise.all([live.connected, direct.connected]);
      // Each holds its place in its component's own namespace while open.
      expect((await keys('rl:streams:*')).length).toBeGreaterThan(0);
      expect((await keys('rl:municipality:streams:*')).length).toBeGreaterThan(0);
      const subject = `Through each component's own Redis user ${randomUUID()}`;
      const posted = await system.run('police-investigator', 'COORDINATION', PostNoticeDocument, {
        input: { subject, summary: 'Safety walks (test).', areaIds: ['ringparken'], plannedPublicationAt: new Date(Date.now() + 5 * 86_400_000).toISOString() },
      });
      expect(posted.body.errors).toBeUndefined();
      const [event] = await live.received(1);
      expect(event).toEqual({ data: { noticePosted: { id: posted.body.data!.postNotice!.id, subject } } });
    } finally {
      live.close();
      direct.close();
    }

    // A persisted query (hash, then text, then hash) and an answer from the cache.
    const ask = async (body: Record<string, unknown>) => {
      const res = await fetch(system.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await sign('secretariat-coordinator')}`, 'x-purpose': 'STATISTICS' },
        body: JSON.stringify(body),
      });
      return { cache: res.headers.get('x-cache'), body: (await res.json()) as { errors?: Array<{ extensions?: { code?: string } }> } };
    };
    const probe = 'query AclProbe { __typename }';
    const persisted = { extensions: { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(probe).digest('hex') } } };
    expect((await ask(persisted)).body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await ask({ query: probe, ...persisted })).body.errors).toBeUndefined();
    expect((await ask(persisted)).body.errors).toBeUndefined();
    const board = { query: print(BoardOverviewDocument) };
    expect((await ask(board)).body.errors).toBeUndefined();
    const cached = await ask(board);
    expect(cached.body.errors).toBeUndefined();
    expect(cached.cache).toBe('hit');

    // Callers who bypass the gateway are counted by each owner.
    for (const owner of owners) expect((await system.direct(owner)('analyst', 'STATISTICS', '{ __typename }')).status).toBe(200);

    expect(await keys('apq:*')).toHaveLength(1);
    expect((await keys('rc:*')).length).toBeGreaterThan(0);
    expect((await keys('rl:p:*')).length).toBeGreaterThan(0);
    for (const owner of owners) expect((await keys(`rl:${owner}:*`)).length).toBeGreaterThan(0);
    // Nothing any component sent was refused (a refused ready check or client name would be here too).
    expect(await admin.acl('LOG')).toEqual([]);
    // And every component is connected as its user (a refused password would leave it counting in its own process).
    // Fallbacks are not counted here: on a busy machine a command may time out, whatever the user may do.
    const metrics = async (url: string) => (await fetch(`${url.replace(/\/graphql$/, '')}/metrics`, { headers: { authorization: `Bearer ${system.metricsToken}` } })).text();
    await vi.waitFor(async () => expect(await metrics(system.gatewayUrl)).toMatch(/^gateway_redis_available 1$/m), { timeout: 10_000 });
    for (const owner of owners) await vi.waitFor(async () => expect(await metrics(system.owners[owner]!.url)).toMatch(/^subgraph_redis_available(\{[^}]*\})? 1$/m), { timeout: 10_000 });
  });

  it("keeps every owner out of the gateway's keys and every other owner's, and out of the events but for the municipality's publishing", async () => {
    // A key of each kind, also when this test runs alone.
    await admin.set(`${PREFIX}rc:probe`, 'a cached answer', 'EX', 60);
    await admin.set(`${PREFIX}apq:probe`, '{ a persisted query }', 'EX', 60);
    for (const owner of owners) await admin.set(`${PREFIX}rl:${owner}:p:probe:1`, '1', 'EX', 60);
    const gatewayKeys = [`${PREFIX}rc:probe`, `${PREFIX}apq:probe`, `${PREFIX}rl:p:probe:1`];
    for (const owner of owners) {
      const redis = as(owner);
      expect(await redis.ping()).toBe('PONG');
      for (const key of [...gatewayKeys, ...owners.filter((o) => o !== owner).map((o) => `${PREFIX}rl:${o}:p:probe:1`)]) {
        expect(await refusal(redis.get(key)), `${owner}: GET ${key}`).toMatch(NOPERM);
        expect(await refusal(redis.set(key, 'forged')), `${owner}: SET ${key}`).toMatch(NOPERM);
        expect(await refusal(redis.del(key)), `${owner}: DEL ${key}`).toMatch(NOPERM);
        // Nor through a script, its keys declared or not.
        expect(await refusal(redis.eval("return redis.call('GET', KEYS[1])", 1, key)), `${owner}: EVAL GET ${key}`).toMatch(SCRIPT_REFUSED);
        expect(await refusal(redis.incr(key)), `${owner}: INCR ${key}`).toMatch(NOPERM);
        expect(await refusal(redis.eval(`return redis.call('INCR', '${key}')`, 0)), `${owner}: EVAL INCR ${key}`).toMatch(SCRIPT_REFUSED);
      }
      for (const command of [redis.scan('0'), redis.keys('*'), redis.mget(gatewayKeys), redis.info(), redis.config('GET', '*'), redis.call('CLIENT', 'LIST'), redis.flushall(), redis.script('FLUSH'), redis.call('ACL', 'LIST')]) {
        expect(await refusal(command), owner).toMatch(NOPERM);
      }
      // Its own namespace is its own, through the rate limiter it counts with; another owner's is not.
      const mine = await connectRedisLink(urlOf(owner), {});
      await mine.connected(2000);
      const limit = { perPrincipal: 1, perOrganisation: 10, windowSeconds: 60 };
      expect((await new RateLimiter(limit, mine, `${PREFIX}rl:${owner}:`).check('p', 'o')).allowed).toBe(true);
      expect((await new RateLimiter(limit, mine, `${PREFIX}rl:${owner}:`).check('p', 'o')).allowed).toBe(false);
      const other = owners.find((o) => o !== owner)!;
      const trespassing = new RateLimiter(limit, mine, `${PREFIX}rl:${other}:`);
      let fellBack = false;
      trespassing.onFallback = () => (fellBack = true);
      await trespassing.check('p', 'o');
      expect(fellBack, `${owner} counting in ${other}'s keys`).toBe(true);
      mine.stop();
      mine.redis.disconnect();
      // No owner listens to events; only the municipality publishes them, and on that channel only.
      expect(await refusal(as(owner).subscribe(EVENTS)), `${owner}: SUBSCRIBE`).toMatch(NOPERM);
      expect(await refusal(as(owner).psubscribe('*')), `${owner}: PSUBSCRIBE`).toMatch(NOPERM);
      expect(await refusal(redis.publish(`${PREFIX}other`, '{}')), `${owner}: PUBLISH elsewhere`).toMatch(NOPERM);
      expect(await refusal(redis.publish(EVENTS, '{}')), `${owner}: PUBLISH events`).toMatch(owner === 'municipality' ? /^allowed$/ : NOPERM);
    }
    // The gateway listens on events and cannot forge them; the owners' counters are not its keys either.
    const gateway = as('gateway');
    expect(await refusal(gateway.publish(EVENTS, '{}'))).toMatch(NOPERM);
    for (const owner of owners) expect(await refusal(gateway.get(`${PREFIX}rl:${owner}:p:probe:1`))).toMatch(NOPERM);
    expect(await refusal(gateway.keys('*'))).toMatch(NOPERM);
    // Nobody without a user and its password.
    const anonymous = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 0, retryStrategy: () => null, enableReadyCheck: false });
    anonymous.on('error', () => undefined);
    connections.push(anonymous);
    expect(await refusal(anonymous.get(`${PREFIX}rc:probe`))).toMatch(/^NOAUTH/);
    expect(await refusal(anonymous.auth('police', passwords['housing']!))).toMatch(/^WRONGPASS/);
    expect(await refusal(anonymous.get(`${PREFIX}rc:probe`))).toMatch(/^NOAUTH/);
  });

  it('agrees with docker-compose.yml: each component connects as its own user, with its password, under the prefix the users are limited to', () => {
    const compose = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
    const acl = readFileSync(TEMPLATE, 'utf8');
    const registered = discoverOwners(root);
    expect(redisUserProblems(compose, acl, registered)).toEqual([]);
    // What disagrees is named: a shared user, a loosened owner, a user no component has.
    const shared = compose.replace('redis://police:${REDIS_POLICE_PASSWORD', 'redis://gateway:${REDIS_GATEWAY_PASSWORD');
    const loose = acl.replace('~partnergraph:rl:police:*', '~partnergraph:*');
    expect(redisUserProblems(shared, `${loose}user spare on >\${REDIS_SPARE_PASSWORD} +@all\n`, registered)).toEqual([
      'service "police": REDIS_URL must be redis://police:${REDIS_POLICE_PASSWORD:?set REDIS_POLICE_PASSWORD (openssl rand -hex 32)}@redis:6379',
      'users.acl: police must reach ~partnergraph:rl:police:* only (has ~partnergraph:*)',
      'users.acl: user spare is no component\'s',
    ]);
    // A new owner (npm run new:subgraph) gets its user and its password at Redis.
    const model = registered[0]!;
    const last = registered[registered.length - 1]!;
    const fourth: Owner = { ...model, name: 'fourth', envPrefix: 'FOURTH', defaultPort: 4004, dir: join(root, 'subgraphs/fourth'), entryPath: join(root, 'subgraphs/fourth/dist/index.js') };
    const withFourth = addOwnerToTopology(compose, model, fourth, registered);
    expect(redisUserProblems(withFourth, acl, [...registered, fourth])).toEqual(['users.acl has no line "user fourth on >${REDIS_FOURTH_PASSWORD} …"']);
    expect(redisUserProblems(withFourth, addOwnerToRedisUsers(acl, model.name, 'fourth', last.name), [...registered, fourth])).toEqual([]);
  });
});
