import { DevIssuer } from '@partnergraph/common';
import { createGateway, gatewayConfig } from '@partnergraph/gateway';
import { discoverOwners } from '@partnergraph/registry';
import { openDatabase, type Database, type Subgraph } from '@partnergraph/subgraph-kit';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { explainStatements, StatementRecorder } from '../explain/recording.js';
import { BOARD_QUERY, nationalDatabaseUrl } from './national.js';
import { textOption } from '../args.js';

/**
 * Where the board overview's time goes in the databases: runs the board query
 * once through the gateway and the three subgraphs (in this process) on the
 * national databases, records every statement each owner sends with its
 * parameters, and prints each one's EXPLAIN (ANALYZE, BUFFERS) plan.
 *
 *   npm run bench:board:explain [-- --persona board-member --purpose COORDINATION --query '{ … }']
 */
const persona = textOption('persona') ?? 'board-member';
const purpose = textOption('purpose') ?? 'COORDINATION';
const query = textOption('query') ?? BOARD_QUERY;

const owners: Array<[string, Subgraph]> = await Promise.all(
  discoverOwners().map(async (owner) => [owner.name, ((await import(pathToFileURL(owner.modulePath).href)) as { subgraph: Subgraph }).subgraph] as [string, Subgraph]),
);
const recorder = new StatementRecorder();
const issuer = await DevIssuer.create();
const trust = issuer.trustConfig();
const dbs = new Map<string, Database>();
const urls: Record<string, string> = {};
const servers = await Promise.all(
  owners.map(async ([owner, subgraph]) => {
    const db = await openDatabase({ url: nationalDatabaseUrl(owner), applicationName: `partnergraph-explain-${owner}` });
    dbs.set(owner, db);
    // One principal sends every request: no rate limit here (this measures statements, not limits).
    const server = await subgraph.create({ db: recorder.wrap(owner, db), trust, peers: (name) => urls[name], rateLimit: false });
    urls[owner] = (await server.listen(0)).url;
    return server;
  }),
);
const gateway = await createGateway(
  gatewayConfig({
    supergraphPath: fileURLToPath(new URL('../../../schema/supergraph.graphql', import.meta.url)),
    subgraphUrls: urls,
    trust,
    responseCache: false,
    inboundDedup: false,
  }),
);
const { url } = await gateway.listen(0);
try {
  const post = async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await issuer.signPersona(persona)}`, 'x-purpose': purpose },
      body: JSON.stringify({ query }),
    });
    return (await res.json()) as { data?: unknown; errors?: unknown };
  };
  await post(); // warm: plans, caches of compiled rules
  let answer: { errors?: unknown } = {};
  const statements = await recorder.during(async () => {
    answer = await post();
  });
  if (answer.errors) console.error('errors:', JSON.stringify(answer.errors));
  console.log(`${statements.length} statements for one request (${persona}, ${purpose})\n`);
  console.log(await explainStatements(statements, (owner) => dbs.get(owner)!));
} finally {
  await gateway.stop();
  await Promise.all(servers.map((s) => s.stop()));
  await Promise.all([...dbs.values()].map((db) => db.close()));
}
