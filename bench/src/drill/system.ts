import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DevIssuer } from '@partnergraph/common';
import { GATEWAY_NODE_FLAGS } from '@partnergraph/gateway';
import { discoverOwners } from '@partnergraph/registry';
import { faultProxy, freePort, type FaultProxy } from '@partnergraph/subgraph-kit/testing';
import pg from 'pg';
import { balancer } from './balancer.js';
import { sleep, waitFor } from '../gateways/procs.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** One process of the system under drill; `expectExit` is set by a drill that ends it on purpose. */
export interface Proc {
  name: string;
  child: ChildProcess;
  expectExit: boolean;
  /** Unexpected exits: a crash, whatever the drill. */
  crashes: string[];
  respawn(): Promise<void>;
}

export interface DrillTimeouts {
  /** The subgraphs' statement and connect timeouts (DATABASE_*_TIMEOUT_MS). */
  queryMs: number;
  connectMs: number;
  /** The gateway's per-fetch timeout (SUBGRAPH_TIMEOUT_MS). */
  subgraphMs: number;
  shutdownGraceMs: number;
}

export interface DrillSystem {
  url: string;
  issuer: DevIssuer;
  procs: Map<string, Proc>;
  dbProxies: Map<string, FaultProxy>;
  redisProxy: FaultProxy;
  /** A direct (unproxied) connection string to an owner's database, for counting its log rows. */
  databaseUrl(owner: string): string;
  logDir: string;
  /** Stops everything; the processes' logs are kept when `keepLogs`. */
  stop(keepLogs?: boolean): Promise<void>;
}

/** PING over a plain socket: PONG within a second. */
function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

const answers = (url: string) => async () => (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok;

/**
 * The system as production runs it, on this machine: each owner's subgraph
 * (the development entry, seeding synthetic data) on its own fresh PostgreSQL
 * database, reached through a fault proxy; our own redis-server behind a
 * fault proxy; two gateways behind one port. Everything on loopback.
 */
export async function startDrillSystem(adminUrl: string, timeouts: DrillTimeouts): Promise<DrillSystem> {
  const logDir = mkdtempSync(join(tmpdir(), 'partnergraph-drill-'));
  const keysDir = join(logDir, 'keys');
  const issuer = await DevIssuer.loadOrCreate(keysDir);
  const trustFile = join(logDir, 'trust.json');
  writeFileSync(trustFile, JSON.stringify(issuer.trustConfig(join(keysDir, 'dev-issuer.jwks.json'))));
  const tag = randomBytes(3).toString('hex');
  const procs = new Map<string, Proc>();
  const dbProxies = new Map<string, FaultProxy>();
  const databases = new Map<string, string>();
  const admin = new pg.Client({ connectionString: adminUrl });
  admin.on('error', () => undefined);
  await admin.connect();
  const cleanups: Array<() => Promise<unknown>> = [];
  const stop = async (keepLogs = false) => {
    for (const proc of procs.values()) {
      proc.expectExit = true;
      if (proc.child.exitCode === null && proc.child.signalCode === null) {
        proc.child.kill('SIGCONT');
        proc.child.kill('SIGKILL');
      }
    }
    await sleep(200);
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    for (const name of databases.keys()) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    if (!keepLogs) rmSync(logDir, { recursive: true, force: true });
  };

  const launch = (name: string, command: string, args: string[], env: NodeJS.ProcessEnv, up: () => Promise<boolean>): Proc => {
    const proc: Proc = { name, expectExit: false, crashes: [], child: undefined as unknown as ChildProcess, respawn: async () => undefined };
    const spawnIt = () => {
      const out = openSync(join(logDir, `${name}.log`), 'a');
      const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
      child.on('exit', (code, signal) => {
        if (!proc.expectExit) proc.crashes.push(`${name} exited (${signal ?? `code ${code}`}); see ${join(logDir, `${name}.log`)}`);
      });
      proc.child = child;
    };
    spawnIt();
    proc.respawn = async () => {
      proc.expectExit = false;
      spawnIt();
      await waitFor(`${name} after a restart`, up, 60_000);
    };
    procs.set(name, proc);
    return proc;
  };

  try {
    // Redis: our own server, behind its proxy.
    const redisPort = await freePort();
    const redisProxy = await faultProxy({ host: '127.0.0.1', port: redisPort });
    cleanups.push(() => redisProxy.close());
    const ping = () => redisPing(redisProxy.port);
    launch('redis', 'redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {}, ping);
    await waitFor('redis', ping, 20_000);
    console.log(`redis up; starting the subgraphs on fresh databases (drill_*_${tag}) through their proxies`);
    // Each owner: a fresh database, a proxy in front of it, its subgraph on a port of its own.
    const owners = discoverOwners();
    const admins = new URL(adminUrl);
    const ports = new Map<string, number>();
    for (const owner of owners) ports.set(owner.name, await freePort());
    const subgraphUrls = Object.fromEntries(owners.map((o) => [`SUBGRAPH_${o.envPrefix}_URL`, `http://127.0.0.1:${ports.get(o.name)}/graphql`]));
    const common = {
      PARTNERGRAPH_DATA_DIR: logDir,
      PARTNERGRAPH_TRUST_FILE: trustFile,
      // As deployed: the gateways' fetches prove themselves, so the subgraphs count only direct callers.
      PARTNERGRAPH_INTERNAL_KEY: randomBytes(32).toString('base64url'),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...subgraphUrls,
    };
    // The municipality relays notice events to the gateways through Redis (a transaction per round).
    const relay = { REDIS_URL: redisProxy.through('redis://127.0.0.1'), REDIS_PREFIX: `drill-${tag}:` };
    const devSubgraph = join(ROOT, 'apps/cli/dist/devSubgraph.js');
    await Promise.all(
      owners.map(async (owner) => {
        const name = `drill_${owner.name}_${tag}`;
        await admin.query(`CREATE DATABASE ${name}`);
        const direct = new URL(admins.href);
        direct.pathname = `/${name}`;
        databases.set(name, direct.href);
        const proxy = await faultProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
        cleanups.push(() => proxy.close());
        dbProxies.set(owner.name, proxy);
        const port = ports.get(owner.name)!;
        const health = `http://127.0.0.1:${port}/health`;
        launch(owner.name, process.execPath, [devSubgraph, owner.name], {
          ...common,
          [`${owner.envPrefix}_PORT`]: String(port),
          [`${owner.envPrefix}_DATABASE_URL`]: proxy.through(direct.href),
          DATABASE_QUERY_TIMEOUT_MS: String(timeouts.queryMs),
          DATABASE_CONNECT_TIMEOUT_MS: String(timeouts.connectMs),
          PEER_TIMEOUT_MS: String(timeouts.subgraphMs),
          ...relay,
        }, answers(health));
        await waitFor(owner.name, answers(health), 180_000);
        console.log(`${owner.name} up`);
      }),
    );

    // Two gateways, one port in front.
    const gatewayEntry = join(ROOT, 'gateway/dist/main.js');
    const backends = [];
    for (const name of ['gateway-a', 'gateway-b']) {
      const port = await freePort();
      const health = `http://127.0.0.1:${port}/ready`;
      launch(name, process.execPath, [...GATEWAY_NODE_FLAGS, gatewayEntry], {
        ...common,
        GATEWAY_PORT: String(port),
        ...relay,
        SUBGRAPH_TIMEOUT_MS: String(timeouts.subgraphMs),
        CIRCUIT_OPEN_MS: '1000',
        RATE_LIMIT_PER_PRINCIPAL: '0',
        SHUTDOWN_GRACE_MS: String(timeouts.shutdownGraceMs),
      }, answers(health));
      await waitFor(name, answers(health), 60_000);
      backends.push({ name, port });
    }
    const front = await balancer(backends);
    cleanups.push(() => front.close());
    return {
      url: `http://127.0.0.1:${front.port}/graphql`,
      issuer,
      procs,
      dbProxies,
      redisProxy,
      databaseUrl: (owner) => databases.get(`drill_${owner}_${tag}`)!,
      logDir,
      stop,
    };
  } catch (error) {
    const crashed = [...procs.values()].flatMap((p) => p.crashes);
    await stop(true);
    throw new Error(`${(error as Error).message}${crashed.length ? `\n${crashed.join('\n')}` : ''}\nlogs in ${logDir}`);
  }
}
