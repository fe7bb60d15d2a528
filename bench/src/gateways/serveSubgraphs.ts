/**
 * Serves benchmark subgraphs: `node serveSubgraphs.js <port> <name>[,<name>…]`,
 * each at `/<name>` (one process may carry all four).
 */
import { serveSchemas } from './subgraphServer.js';
import { SUBGRAPHS, subgraphSchema } from './subgraphs.js';

const [portArg, namesArg] = process.argv.slice(2);
const names = (namesArg ?? SUBGRAPHS.map((s) => s.name).join(',')).split(',');
const schemas = Object.fromEntries(
  names.map((name) => {
    const definition = SUBGRAPHS.find((s) => s.name === name);
    if (!definition) throw new Error(`Unknown subgraph ${name}`);
    return [name, subgraphSchema(definition)];
  }),
);
await serveSchemas(schemas, Number(portArg ?? 5301), process.env['HOST'] ?? '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
