import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DevIssuer } from '@partnergraph/common';
import { GATEWAY_NODE_FLAGS } from '@partnergraph/gateway';

export interface BenchContext {
  tmpDir: string;
  supergraphPath: string;
  gatewayPort: number;
  /** An OTLP/HTTP receiver in the benchmark process that takes and drops spans (`--tracing`). */
  otlpEndpoint?: string;
}

export interface Launch {
  /** Script run with `node`. */
  entry: string;
  env: Record<string, string>;
  /** GraphQL path on the gateway. */
  path: string;
  /** Headers sent on every request. */
  headers: Record<string, string>;
}

export interface Contender {
  id: string;
  label: string;
  /** 'gateway' starts a process per run; 'direct' loads the products subgraph with its own query. */
  kind: 'gateway' | 'direct';
  /** Part of a run without --only. */
  byDefault: boolean;
  launch?: (ctx: BenchContext) => Promise<Launch>;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const REPO_ROOT = here('../../../');

const apollo: Contender = {
  id: 'apollo',
  label: 'Apollo Gateway 2.14 (stock)',
  kind: 'gateway',
  byDefault: true,
  launch: async (ctx) => ({
    entry: here('./apolloGateway.js'),
    env: { SUPERGRAPH_PATH: ctx.supergraphPath, PORT: String(ctx.gatewayPort) },
    path: '/',
    headers: {},
  }),
};

const hive = (id: string, label: string, dedup: boolean, planner: 'js' | 'rust'): Contender => ({
  id,
  label,
  kind: 'gateway',
  byDefault: true,
  launch: async (ctx) => ({
    entry: here('./hiveGateway.js'),
    env: {
      SUPERGRAPH_PATH: ctx.supergraphPath,
      PORT: String(ctx.gatewayPort),
      HIVE_INBOUND_DEDUP: dedup ? '1' : '0',
      HIVE_PLANNER: planner,
    },
    path: '/graphql',
    headers: {},
  }),
});

/** One dev issuer and token per benchmark run, shared by every "ours" variant. */
let ourAuth: Promise<{ trustFile: string; token: string }> | undefined;
function ourCredentials(tmpDir: string) {
  ourAuth ??= (async () => {
    const issuer = await DevIssuer.create();
    const trustFile = join(tmpDir, 'trust.json');
    writeFileSync(trustFile, JSON.stringify(issuer.trustConfig(), null, 2));
    const token = await issuer.sign(
      { subject: 'bench', organisation: 'kompetencecenteret', roles: ['analyst'], purposes: ['STATISTICS'], areas: [] },
      { expiresInSeconds: 3600 },
    );
    return { trustFile, token };
  })();
  return ourAuth;
}

const ours = (id: string, label: string, env: Record<string, string> | ((ctx: BenchContext) => Record<string, string>), byDefault = true): Contender => ({
  id,
  label,
  kind: 'gateway',
  byDefault,
  launch: async (ctx) => {
    const { trustFile, token } = await ourCredentials(ctx.tmpDir);
    return {
      entry: join(REPO_ROOT, 'gateway/dist/main.js'),
      env: {
        SUPERGRAPH_PATH: ctx.supergraphPath,
        GATEWAY_PORT: String(ctx.gatewayPort),
        HOST: '127.0.0.1',
        PARTNERGRAPH_TRUST_FILE: trustFile,
        PARTNERGRAPH_DATA_DIR: join(ctx.tmpDir, 'data'),
        // One principal sends everything here: its rate limit (600/min by default) would answer 429.
        RATE_LIMIT_PER_PRINCIPAL: '0',
        // Started as the launcher and docker-compose start it.
        NODE_OPTIONS: GATEWAY_NODE_FLAGS.join(' '),
        ...(typeof env === 'function' ? env(ctx) : env),
      },
      path: '/graphql',
      headers: { authorization: `Bearer ${token}`, 'x-purpose': 'STATISTICS' },
    };
  },
});

/** In run order for round 1; round 2 runs them in reverse. Add variants here. */
export const CONTENDERS: readonly Contender[] = [
  apollo,
  hive('hive', 'Hive Gateway (defaults)', false, 'js'),
  hive('hive-rust', 'Hive Gateway + Rust query planner', false, 'rust'),
  hive('hive-dedup', 'Hive Gateway + inbound dedup', true, 'js'),
  ours('ours', 'ours', { GATEWAY_INBOUND_DEDUP: '0' }),
  ours('ours-dedup', 'ours + inbound dedup', { GATEWAY_INBOUND_DEDUP: '1' }),
  // Tracing on: every request's spans exported over OTLP/HTTP (the SDK's default batching) to the benchmark's own receiver.
  ours('ours-traced', 'ours, tracing on', (ctx) => ({ GATEWAY_INBOUND_DEDUP: '0', OTEL_EXPORTER_OTLP_ENDPOINT: ctx.otlpEndpoint ?? '' }), false),
  // Apollo's own result shaping instead of the compiled one: what compiling it gains, in the same run.
  ours('ours-apollo-shaping', "ours with Apollo's result shaping", { GATEWAY_INBOUND_DEDUP: '0', GATEWAY_COMPILED_SHAPING: '0' }, false),
  { id: 'products', label: 'products subgraph direct', kind: 'direct', byDefault: true },
];

/** Contenders whose RPS the others are divided by in the table. */
export const RATIO_BASES = ['apollo', 'hive', 'hive-dedup'] as const;
