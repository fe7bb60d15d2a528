import { connect } from 'node:net';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || defaultPort), timeout: 1000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * Which servers the suite runs against. TEST_DATABASE_URL / TEST_REDIS_URL win;
 * otherwise the local PostgreSQL and Redis are used when they answer. With
 * PARTNERGRAPH_REQUIRE_SERVICES=1 (CI) a missing server fails the run instead
 * of quietly leaving only the embedded defaults tested.
 */
export async function detectServices(env: NodeJS.ProcessEnv = process.env): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const required = env['PARTNERGRAPH_REQUIRE_SERVICES'] === '1';
  // PARTNERGRAPH_TEST_EMBEDDED=1: the embedded defaults only, even where servers run.
  if (env['PARTNERGRAPH_TEST_EMBEDDED'] === '1') {
    console.log('partnergraph tests: embedded only (PGlite, in-process stores)');
    return {};
  }
  const database = env['TEST_DATABASE_URL'] ?? DEFAULT_DATABASE_URL;
  const redis = env['TEST_REDIS_URL'] ?? DEFAULT_REDIS_URL;
  if (await reachable(database, 5432)) out['TEST_DATABASE_URL'] = database;
  else if (required) throw new Error(`PostgreSQL is required but not reachable at ${database}`);
  if (await reachable(redis, 6379)) out['TEST_REDIS_URL'] = redis;
  else if (required) throw new Error(`Redis is required but not reachable at ${redis}`);
  console.log(
    `partnergraph tests: PostgreSQL ${out['TEST_DATABASE_URL'] ? `at ${database}` : 'absent: PGlite only'}; ` +
      `Redis ${out['TEST_REDIS_URL'] ? `at ${redis}` : 'absent: in-process cache only'}`,
  );
  return out;
}
