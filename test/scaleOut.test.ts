import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createHash, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/freePort.js';
import { startSystem, type System } from './support/system.js';

const REDIS = process.env['TEST_REDIS_URL'];
const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Gateway processes are stateless: two workers behind one port (node:cluster,
 * the built gateway as deployed) share persisted queries and rate limits
 * through Redis.
 */
describe.skipIf(!REDIS)('two gateway processes behind one port', () => {
  let system: System;
  let child: ChildProcess;
  let url: string;
  beforeAll(async () => {
    system = await startSystem();
    const port = await freePort();
    url = `http://127.0.0.1:${port}/graphql`;
    child = spawn(process.execPath, [`${root}gateway/dist/main.js`], {
      env: {
        ...process.env,
        GATEWAY_WORKERS: '2',
        GATEWAY_PORT: String(port),
        PARTNERGRAPH_TRUST: JSON.stringify(system.issuer.trustConfig()),
        PARTNERGRAPH_INTERNAL_KEY: system.internalKey,
        REDIS_URL: REDIS,
        REDIS_PREFIX: `scale-${randomUUID()}:`,
        RATE_LIMIT_PER_PRINCIPAL: '12',
        GATEWAY_RESPONSE_CACHE: '0',
        LOG_LEVEL: 'error',
        ...Object.fromEntries(Object.entries(system.owners).map(([name, o]) => [`SUBGRAPH_${name.toUpperCase()}_URL`, o.url])),
      },
      stdio: 'inherit',
    });
    // Up when both workers answer: the cluster hands connections only to workers already listening.
    const answering = new Set<string>();
    for (let i = 0; i < 600 && answering.size < 2; i++) {
      const instance = await healthInstance(url.replace('/graphql', '/health'));
      if (instance) answering.add(instance);
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(answering.size, 'workers answering /health').toBe(2);
  }, 120_000);
  afterAll(async () => {
    child?.kill('SIGTERM');
    await system?.stop();
  });

  it('shares persisted queries and rate limits across workers', async () => {
    const token = await system.issuer.signPersona('analyst');
    const query = '{ areas { id name } }';
    const extensions = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } };
    // A new connection per request, as separate clients would open: the cluster spreads connections.
    const post = (body: unknown) =>
      new Promise<{ status: number; headers: { get(name: string): string | null }; json(): Promise<unknown> }>((resolve, reject) => {
        const req = request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'STATISTICS' } }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: { get: (name: string) => (res.headers[name] as string | undefined) ?? null },
              json: async () => JSON.parse(text) as unknown,
            }),
          );
        });
        req.on('error', reject);
        req.end(JSON.stringify(body));
      });
    const registered = await post({ query, extensions });
    expect(registered.status).toBe(200);
    const instances = new Set<string>([registered.headers.get('x-gateway-instance')!]);
    const statuses: number[] = [];
    for (let i = 0; i < 13; i++) {
      const res = await post({ extensions });
      statuses.push(res.status);
      instances.add(res.headers.get('x-gateway-instance')!);
      const body = (await res.json()) as { data?: { areas: unknown[] } };
      if (res.status === 200) expect(body.data!.areas).toHaveLength(4);
    }
    // Both workers answered hash-only requests for a query only one of them was sent.
    expect(instances.size).toBe(2);
    // 12 per principal per minute, counted across both workers: the 13th request overall is refused.
    expect(statuses.filter((s) => s === 200)).toHaveLength(11);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.at(-2)).toBe(429);
  });
});

/** The instance that answered /health on a new connection, or undefined while none does. */
function healthInstance(health: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request(health, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? ((res.headers['x-gateway-instance'] as string | undefined) ?? undefined) : undefined));
    });
    req.on('error', () => resolve(undefined));
    req.end();
  });
}
