import { policeSubgraph } from '@partnergraph/police';
import { openDatabase } from '@partnergraph/subgraph-kit';

/** One police subgraph process for the policy benchmark: policies on or off, on the prepared database. */
const db = await openDatabase({ url: process.env['BENCH_POLICE_DATABASE_URL'], poolSize: 8 });
const server = await policeSubgraph.create({
  db,
  trust: JSON.parse(process.env['BENCH_TRUST']!),
  enforcePolicies: process.env['BENCH_ENFORCE'] !== '0',
  // One principal sends the whole load straight here: the rate limit for direct callers would answer 429.
  rateLimit: false,
});
const { port } = await server.listen(0);
process.send?.({ port });
process.on('SIGTERM', () => {
  void server.stop().then(() => db.close()).then(() => process.exit(0));
});
