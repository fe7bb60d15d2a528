/** Contender: Hive Gateway runtime on node:http, defaults (HIVE_INBOUND_DEDUP=1 turns on inbound deduplication). */
import { createServer, type RequestListener } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway';

const gateway = createGatewayRuntime({
  supergraph: process.env['SUPERGRAPH_PATH']!,
  inboundInflightRequestDeduplication: process.env['HIVE_INBOUND_DEDUP'] === '1',
});
const port = Number(process.env['PORT']);
const host = process.env['HOST'] ?? '127.0.0.1';
createServer(gateway as unknown as RequestListener).listen(port, host, () => console.log(`hive gateway at http://${host}:${port}/graphql`));
