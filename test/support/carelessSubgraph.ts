import { createServer, type Server } from 'node:http';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

/**
 * A deliberately careless subgraph, written with @apollo/subgraph alone, as a
 * partner might write a first one: it wants a bearer token but reads it
 * without verifying it, ignores the purpose, leaves introspection on, sets no
 * operation limits or body cap, and keeps no disclosure log. The contract
 * check must name each of these breaches. Test use only.
 */
const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Query {
    things: [Thing!]!
  }

  type Thing @key(fields: "id") {
    id: ID!
    name: String
    parent: Thing
  }
`);

const thing = (id: string) => ({ id, name: `thing ${id}` });

export async function startCarelessSubgraph(): Promise<{ url: string; server: Server; stop(): Promise<void> }> {
  const apollo = new ApolloServer<{ subject?: string }>({
    schema: buildSubgraphSchema([{
      typeDefs,
      resolvers: {
        Query: { things: () => [thing('1'), thing('2')] },
        Thing: {
          __resolveReference: (ref: { id: string }) => thing(ref.id),
          parent: (t: { id: string }) => thing(`${t.id}0`),
        },
      } as never,
    }]),
    introspection: true,
    includeStacktraceInErrorResponses: true,
  });
  await apollo.start();
  const server = createServer((req, res) => {
    if (req.url === '/health') {
      res.end('{"status":"ok"}');
      return;
    }
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', async () => {
      // Careless: a token must be there, but its signature, issuer, audience and expiry are never checked.
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!token) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end('{"errors":[{"message":"Unauthenticated","extensions":{"code":"UNAUTHENTICATED"}}]}');
        return;
      }
      const subject = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString() || '{}').sub as string | undefined;
      const headers = new HeaderMap();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
      const result = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'POST', headers, search: '', body: body ? JSON.parse(body) : undefined },
        context: async () => ({ ...(subject ? { subject } : {}) }),
      });
      res.writeHead(result.status ?? 200, Object.fromEntries(result.headers));
      res.end(result.body.kind === 'complete' ? result.body.string : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    server,
    stop: async () => {
      server.close();
      await apollo.stop();
    },
  };
}
