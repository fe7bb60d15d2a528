import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createGateway, gatewayConfig, supergraphId, supergraphProblem, type Gateway } from '@partnergraph/gateway';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/support/freePort.js';
import { SUPERGRAPH, startSystem, type System } from '../../test/support/system.js';

const ORIGINAL = readFileSync(SUPERGRAPH, 'utf8');
/** `HousingArea.town`, with its description when it has one. */
const TOWN = /(?: {2}"""\n(?:(?! {2}""").*\n)* {2}"""\n)? {2}town: String @join__field\(graph: MUNICIPALITY\)\n/;
/** The same supergraph without `HousingArea.town`: what an owner's removal of a field composes to. */
const WITHOUT_TOWN = ORIGINAL.replace(TOWN, '');
/** Valid GraphQL, but a field joined to a subgraph the supergraph does not define: it does not compose. */
const NOT_COMPOSING = ORIGINAL.replace('  isSpecialArea: Boolean @join__field(graph: MUNICIPALITY)', '  isSpecialArea: Boolean @join__field(graph: NOWHERE)');

const LOAD_QUERY = '{ areas { id name isSpecialArea latestSafetyIndex { year } } }';
const TOWN_QUERY = '{ areas { id town } }';

/** Writes as editors and deploy tools do: a new file renamed over the old one. */
function replaceFile(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let system: System;
beforeAll(async () => {
  system = await startSystem();
});
afterAll(async () => {
  await system?.stop();
});

describe('supergraph hot reload', () => {
  let dir: string;
  let path: string;
  let gateway: Gateway;
  let url: string;
  let token: string;
  const logs: Array<{ msg: string; problem?: string; level: number }> = [];

  const post = async (query: string) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'STATISTICS' },
      body: JSON.stringify({ query }),
    });
    return { status: res.status, cache: res.headers.get('x-cache'), body: (await res.json()) as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> } };
  };
  const reloads = async (result: string) => {
    const text = await gateway.metrics.registry.getSingleMetricAsString('gateway_supergraph_reloads_total');
    return text
      .split('\n')
      .filter((line) => line.includes(`result="${result}"`))
      .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'supergraph-'));
    path = join(dir, 'supergraph.graphql');
    writeFileSync(path, ORIGINAL);
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
        done();
      },
    });
    const redisUrl = process.env['TEST_REDIS_URL'];
    gateway = await createGateway(
      gatewayConfig({
        supergraphPath: path,
        supergraphWatch: true,
        subgraphUrls: Object.fromEntries(Object.entries(system.owners).map(([name, o]) => [name, o.url])),
        trust: system.issuer.trustConfig(),
        // Through Redis where it runs: answers cached there are shared by every process, so their key must name the supergraph.
        ...(redisUrl ? { redisUrl, redisPrefix: `reload-${randomUUID()}:` } : {}),
        rateLimit: undefined,
      }),
      pino({ level: 'info' }, sink),
    );
    url = (await gateway.listen(0)).url;
    token = await system.issuer.signPersona('analyst');
  });
  afterAll(async () => {
    await gateway?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('swaps a changed file in under load: no request fails, and no document, plan or answer of the old supergraph is served', async () => {
    // The old supergraph's document, plan and answer of the town query are cached before the switch.
    expect((await post(TOWN_QUERY)).status).toBe(200);
    const again = await post(TOWN_QUERY);
    expect(again.body.data.areas[0].town).toEqual(expect.any(String));
    const cachedBefore = again.cache;

    const before = gateway.supergraph.id;
    const results: Array<{ status: number; errors: number; at: 'old' | 'new' }> = [];
    let loading = true;
    const client = async () => {
      while (loading) {
        const at = gateway.supergraph.id === before ? 'old' : 'new';
        const { status, body } = await post(LOAD_QUERY);
        results.push({ status, errors: body.errors?.length ?? 0, at });
      }
    };
    const clients = Array.from({ length: 8 }, client);
    await until(() => results.length >= 40, 'load before the switch');
    replaceFile(path, WITHOUT_TOWN);
    await until(() => gateway.supergraph.id !== before, 'the new supergraph');
    const switchedAt = results.length;
    await until(() => results.length >= switchedAt + 40, 'load after the switch');
    loading = false;
    await Promise.all(clients);

    expect(results.filter((r) => r.status !== 200 || r.errors > 0)).toEqual([]);
    expect(results.filter((r) => r.at === 'new').length).toBeGreaterThan(0);
    expect(await reloads('applied')).toBe(1);
    expect(logs.some((l) => l.msg === 'supergraph reloaded')).toBe(true);

    // The removed field is gone at once: not served from the old document, plan or answer.
    const gone = await post(TOWN_QUERY);
    expect(gone.status).toBe(400);
    expect(gone.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(gone.cache).toBeNull();
    // The answer cache was in use (a cacheable answer was served from it before the switch) when it could be.
    if (cachedBefore) expect(cachedBefore).toBe('hit');
  });

  it('refuses a text that is not a supergraph, or one that does not compose: the old one kept, the refusal logged and counted', async () => {
    const served = gateway.supergraph.id;
    const refusedBefore = await reloads('refused');
    for (const [i, text] of ['this is not GraphQL {', NOT_COMPOSING].entries()) {
      replaceFile(path, text);
      await until(async () => (await reloads('refused')) === refusedBefore + i + 1, `refusal ${i + 1}`);
      expect(gateway.supergraph.id).toBe(served);
      const still = await post(LOAD_QUERY);
      expect(still.status).toBe(200);
      expect(still.body.errors).toBeUndefined();
    }
    const refusals = logs.filter((l) => l.msg.startsWith('supergraph refused'));
    expect(refusals).toHaveLength(2);
    expect(refusals[1]!.problem).toMatch(/isSpecialArea/);
    expect(await gateway.metrics.registry.metrics()).toMatch(/gateway_supergraph_reloads_total\{result="refused",trigger="file"\} 2/);
    // The refused text says nothing to callers: they keep being served as before.
    expect((await post(TOWN_QUERY)).status).toBe(400);
  });

  it('reloads on request (what SIGHUP does), and counts an unchanged file as unchanged', async () => {
    writeFileSync(path, ORIGINAL); // the watch may see this too: the result of the explicit reload is the same either way
    await until(async () => (await gateway.reloadSupergraph('signal')) === 'unchanged', 'the original supergraph');
    const back = await post(TOWN_QUERY);
    expect(back.status).toBe(200);
    expect(back.body.data.areas[0].town).toEqual(expect.any(String));
    expect(await gateway.reloadSupergraph('signal')).toBe('unchanged');
  });

  it('polls a URL for the supergraph when configured', async () => {
    let text = ORIGINAL;
    const server: Server = createServer((_req, res) => res.end(text));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address() as { port: number };
    const polled = await createGateway(
      gatewayConfig({
        supergraphPath: path,
        supergraphUrl: `http://127.0.0.1:${address.port}/supergraph.graphql`,
        supergraphPollMs: 50,
        subgraphUrls: Object.fromEntries(Object.entries(system.owners).map(([name, o]) => [name, o.url])),
        trust: system.issuer.trustConfig(),
      }),
      pino({ level: 'silent' }),
    );
    try {
      const start = polled.supergraph.id;
      text = WITHOUT_TOWN;
      await until(() => polled.supergraph.id !== start, 'the polled supergraph');
      expect(polled.supergraph.text).toBe(WITHOUT_TOWN);
      // SIGHUP asks the URL too, where one is configured: the file (the original supergraph) is not the source then.
      expect(readFileSync(path, 'utf8')).toBe(ORIGINAL);
      expect(await polled.reloadSupergraph('signal')).toBe('unchanged');
      expect(polled.supergraph.text).toBe(WITHOUT_TOWN);
      text = 'garbage';
      await until(async () => /result="refused",trigger="poll"\} [1-9]/.test(await polled.metrics.registry.metrics()), 'a refused poll');
      expect(polled.supergraph.text).toBe(WITHOUT_TOWN);
    } finally {
      await polled.stop();
      server.close();
    }
  });

  it('names why a supergraph is refused', () => {
    expect(WITHOUT_TOWN).not.toBe(ORIGINAL);
    expect(supergraphProblem(WITHOUT_TOWN)).toBeUndefined();
    expect(supergraphProblem(ORIGINAL)).toBeUndefined();
    expect(supergraphProblem('')).toMatch(/empty/);
    expect(supergraphProblem(NOT_COMPOSING)).toMatch(/isSpecialArea/);
  });
});

// The file watch runs in every process alike (createGateway); what the cluster adds is passing SIGHUP on.
describe('every worker of GATEWAY_WORKERS reloads', () => {
  let child: ChildProcess;
  let dir: string;
  let path: string;
  let port: number;
  const root = fileURLToPath(new URL('../../', import.meta.url));

  /** /ready on a new connection each time, as separate clients would open: the cluster spreads connections. */
  const ready = () =>
    new Promise<{ instance: string; supergraph: string }>((resolve, reject) => {
      const req = request(`http://127.0.0.1:${port}/ready`, { agent: false }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ instance: String(res.headers['x-gateway-instance']), supergraph: (JSON.parse(text) as { supergraph: string }).supergraph }));
      });
      req.on('error', reject);
      req.end();
    });
  /** Resolves once two distinct workers have both answered with this supergraph (and none with another since). */
  const everyWorkerServes = (text: string) =>
    until(async () => {
      const want = supergraphId(text).slice(0, 16);
      const seen = new Map<string, string>();
      for (let i = 0; i < 24; i++) {
        const { instance, supergraph } = await ready();
        seen.set(instance, supergraph);
      }
      return seen.size === 2 && [...seen.values()].every((id) => id === want);
    }, 'every worker on the new supergraph', 20_000);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'supergraph-workers-'));
    path = join(dir, 'supergraph.graphql');
    writeFileSync(path, ORIGINAL);
    port = await freePort();
    child = spawn(process.execPath, [`${root}gateway/dist/main.js`], {
      env: {
        ...process.env,
        GATEWAY_WORKERS: '2',
        GATEWAY_PORT: String(port),
        SUPERGRAPH_PATH: path,
        SUPERGRAPH_WATCH: '0',
        PARTNERGRAPH_TRUST: JSON.stringify(system.issuer.trustConfig()),
        REDIS_URL: '',
        LOG_LEVEL: 'error',
        ...Object.fromEntries(Object.entries(system.owners).map(([name, o]) => [`SUBGRAPH_${name.toUpperCase()}_URL`, o.url])),
      },
      stdio: 'inherit',
    });
    await until(async () => {
      try {
        return (await ready()).supergraph !== undefined;
      } catch {
        return false;
      }
    }, 'the gateway workers', 30_000);
    await everyWorkerServes(ORIGINAL);
  });
  afterAll(() => {
    child?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('SIGHUP to the primary: it passes it to each worker, and the primary lives on', async () => {
    replaceFile(path, WITHOUT_TOWN);
    // The file watch is off here: nothing changes until the signal.
    await new Promise((r) => setTimeout(r, 500));
    await everyWorkerServes(ORIGINAL);
    child.kill('SIGHUP');
    await everyWorkerServes(WITHOUT_TOWN);
    replaceFile(path, ORIGINAL);
    child.kill('SIGHUP');
    await everyWorkerServes(ORIGINAL);
    expect(child.exitCode).toBeNull();
  });
});
