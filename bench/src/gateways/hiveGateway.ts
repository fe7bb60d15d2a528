/**
 * Contender: Hive Gateway runtime on node:http, defaults. HIVE_INBOUND_DEDUP=1 turns on inbound
 * deduplication; HIVE_PLANNER=rust plans with the Rust query planner of @graphql-hive/router-runtime
 * instead of the JavaScript one.
 */
import { createServer, type RequestListener } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { unifiedGraphHandler as rustPlanner } from '@graphql-hive/router-runtime';

const gateway = createGatewayRuntime({
  supergraph: process.env['SUPERGRAPH_PATH']!,
  inboundInflightRequestDeduplication: process.env['HIVE_INBOUND_DEDUP'] === '1',
  ...(process.env['HIVE_PLANNER'] === 'rust' ? { unifiedGraphHandler: rustPlanner } : {}),
});
const port = Number(process.env['PORT']);
const host = process.env['HOST'] ?? '127.0.0.1';
const server = createServer(gateway as unknown as RequestListener).listen(port, host, () => console.log(`hive gateway at http://${host}:${port}/graphql`));
// The runtime registers its own signal handlers (they dispose it but leave the server open): stop both and exit.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    void Promise.resolve(gateway[Symbol.asyncDispose]()).finally(() => process.exit(0));
  });
}
