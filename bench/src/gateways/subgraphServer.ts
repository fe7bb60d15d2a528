import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { execute, GraphQLError, parse, validate, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';

interface GraphQLBody {
  query?: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/** Parsed and validated documents by query text, least recently used dropped first. */
class DocumentCache {
  private readonly entries = new Map<string, DocumentNode | readonly GraphQLError[]>();
  constructor(private readonly max = 1000) {}

  get(schema: GraphQLSchema, query: string): DocumentNode | readonly GraphQLError[] {
    let entry = this.entries.get(query);
    if (entry !== undefined) {
      this.entries.delete(query);
      this.entries.set(query, entry);
      return entry;
    }
    try {
      const document = parse(query);
      const errors = validate(schema, document);
      entry = errors.length ? errors : document;
    } catch (error) {
      entry = [error instanceof GraphQLError ? error : new GraphQLError(String(error))];
    }
    this.entries.set(query, entry);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }
}

function send(res: ServerResponse, status: number, payload: unknown, cacheControl = 'no-store'): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': cacheControl });
  res.end(body);
}

/**
 * The benchmark's data (products, reviews, users) is not personal: its owners say so, as the partnership's
 * owners do for their non-personal answers. It may then be shared between identical requests in flight,
 * but not cached (max-age 0). A gateway treats an answer that says nothing as personal.
 */
const NON_PERSONAL = 'private, max-age=0';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * A minimal GraphQL-over-HTTP server: POST JSON to `/<name>` for each schema,
 * GET /health, GET /stats (requests served per schema). No framework, so the subgraphs cost as little as possible.
 */
export function serveSchemas(schemas: Record<string, GraphQLSchema>, port: number, host = '127.0.0.1'): Promise<Server> {
  const routes = new Map(Object.entries(schemas).map(([name, schema]) => [`/${name}`, { schema, cache: new DocumentCache() }]));
  const calls: Record<string, number> = Object.fromEntries(Object.keys(schemas).map((name) => [name, 0]));
  const server = createServer((req, res) => {
    const path = req.url?.split('?')[0] ?? '/';
    if (path === '/health') return send(res, 200, { status: 'ok' });
    if (path === '/stats') return send(res, 200, { calls });
    const route = routes.get(path);
    if (!route) return send(res, 404, { errors: [{ message: `No route ${path}` }] });
    calls[path.slice(1)]!++;
    if (req.method !== 'POST') return send(res, 405, { errors: [{ message: 'POST only' }] });
    readBody(req)
      .then(async (raw) => {
        let body: GraphQLBody;
        try {
          body = JSON.parse(raw) as GraphQLBody;
        } catch {
          return send(res, 400, { errors: [{ message: 'Body is not JSON' }] });
        }
        if (typeof body.query !== 'string') return send(res, 400, { errors: [{ message: 'No query' }] });
        const document = route.cache.get(route.schema, body.query);
        if (Array.isArray(document)) return send(res, 400, { errors: document });
        const result: ExecutionResult = await execute({
          schema: route.schema,
          document: document as DocumentNode,
          variableValues: body.variables,
          operationName: body.operationName,
        });
        send(res, 200, result, NON_PERSONAL);
      })
      .catch((error: unknown) => send(res, 500, { errors: [{ message: String(error) }] }));
  });
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
