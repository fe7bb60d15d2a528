import { spawn, type ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
import { createGateway, gatewayConfig, type Gateway } from '@partnergraph/gateway';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/support/freePort.js';
import { SUPERGRAPH, startSystem, type System } from '../../test/support/system.js';

const metric = async (gateway: Gateway, name: string) => {
  const text = await gateway.metrics.registry.metrics();
  return text
    .split('\n')
    .filter((line) => line.startsWith(name))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
};

const until = async (what: () => Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

/**
 * A frozen Redis (issue 13): the connection stays open and every command
 * waits out its timeout. The gateway notices, serves from its in-process
 * stores, says so (log, metrics) for as long as it lasts, and goes back to
 * Redis when it answers. Our own redis-server, frozen with SIGSTOP: never the
 * machine's.
 */
describe('gateway when Redis freezes', () => {
  let system: System;
  let server: ChildProcess;
  let url: string;
  let gateway: Gateway;
  let gatewayUrl: string;
  const lines: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    url = `redis://127.0.0.1:${port}`;
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => 100 });
    probe.on('error', () => undefined);
    await until(async () => (await probe.ping().catch(() => '')) === 'PONG');
    probe.disconnect();
    system = await startSystem();
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    gateway = await createGateway(
      gatewayConfig({
        supergraphPath: SUPERGRAPH,
        subgraphUrls: Object.fromEntries(Object.entries(system.owners).map(([name, o]) => [name, o.url])),
        trust: system.issuer.trustConfig(),
        redisUrl: url,
        redisPrefix: 'freeze-test:',
        rateLimit: { perPrincipal: 10_000, perOrganisation: 10_000, windowSeconds: 60 },
      }),
      logger,
    );
    gatewayUrl = (await gateway.listen(0)).url;
  });

  afterAll(async () => {
    server?.kill('SIGCONT');
    await gateway?.stop();
    await system?.stop();
    server?.kill('SIGTERM');
  });

  it('notices, serves from memory while frozen, and returns to Redis when it answers', async () => {
    const token = await system.issuer.signPersona('secretariat-coordinator');
    const ask = () =>
      fetch(gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'STATISTICS' },
        body: JSON.stringify({ query: '{ organisations { id name } }' }),
      });
    await until(async () => (await metric(gateway, 'gateway_redis_available')) === 1);
    expect((await ask()).status).toBe(200);

    server.kill('SIGSTOP');
    for (let i = 0; i < 4; i++) {
      const res = await ask();
      expect(res.status).toBe(200);
      expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();
    }
    // Noticed: no command goes to Redis any more, and the outage shows.
    expect(await metric(gateway, 'gateway_redis_available')).toBe(0);
    expect(lines.some((line) => line.includes('Redis not answering'))).toBe(true);
    const during = await metric(gateway, 'gateway_redis_fallback_total');
    for (let i = 0; i < 5; i++) expect((await ask()).status).toBe(200);
    // Every request served during the outage is counted, not only its first moment.
    expect(await metric(gateway, 'gateway_redis_fallback_total')).toBeGreaterThanOrEqual(during + 5);

    server.kill('SIGCONT');
    await until(async () => (await metric(gateway, 'gateway_redis_available')) === 1);
    expect(lines.some((line) => line.includes('Redis answering again') && line.includes('outageSeconds'))).toBe(true);
    const after = await metric(gateway, 'gateway_redis_fallback_total');
    expect((await ask()).status).toBe(200);
    expect(await metric(gateway, 'gateway_redis_fallback_total')).toBe(after);
  });
});
