import { request as httpRequest } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { buildSchema, GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { errorAnswer, FrontDoor, graphqlEndpoint, HttpError, jsonProblem, unauthenticated } from '@partnergraph/common';

const request = (path: string, init: RequestInit = {}) => new Request(`http://door.test${path}`, init);
const post = (body: unknown, headers: Record<string, string> = {}) =>
  request('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/**
 * The one HTTP front door of the gateway and the subgraphs, run without a
 * socket: routes, health and readiness, draining, unexpected failures.
 */
describe('front door', () => {
  it('serves /health always, /ready by the service\'s own check, and 503 at once while draining', async () => {
    let databaseUp = true;
    const door = new FrontDoor({
      service: 'test',
      graphql: async () => errorAnswer(418, 'TEAPOT', 'not here'),
      ready: async () => ({ ready: databaseUp, database: databaseUp ? 'up' : 'down' }),
      onError: () => undefined,
    });
    expect((await door.fetch(request('/health'))).status).toBe(200);
    const ready = await door.fetch(request('/ready'));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', service: 'test', database: 'up' });
    databaseUp = false;
    expect((await door.fetch(request('/ready'))).status).toBe(503);
    databaseUp = true;
    door.draining = true;
    const draining = await door.fetch(request('/ready'));
    expect(draining.status).toBe(503);
    expect(draining.headers.get('connection')).toBe('close');
    expect((await door.fetch(request('/health'))).status).toBe(200);
    expect((await door.fetch(request('/elsewhere'))).status).toBe(404);
  });

  it('answers /ready "not ready" when the check hangs or fails, never hanging itself', async () => {
    let check: () => Promise<{ ready: boolean }> = () => new Promise(() => undefined);
    const door = new FrontDoor({ service: 'test', graphql: async () => errorAnswer(404, 'NOT_FOUND', 'no'), ready: () => check(), readyTimeoutMs: 50, onError: () => undefined });
    const hung = await door.fetch(request('/ready'));
    expect(hung.status).toBe(503);
    expect(await hung.json()).toMatchObject({ status: 'not ready', reason: expect.stringMatching(/did not answer/) });
    check = () => Promise.reject(new Error('connection terminated'));
    const failed = await door.fetch(request('/ready'));
    expect(failed.status).toBe(503);
    expect(await failed.text()).not.toMatch(/terminated/);
  });

  it('answers client errors with their status and anything unexpected with a generic 500, logged', async () => {
    const logged: unknown[] = [];
    let fail: Error = new HttpError(413, 'too big', 'PAYLOAD_TOO_LARGE');
    const door = new FrontDoor({
      service: 'test',
      graphql: async () => {
        throw fail;
      },
      onError: (error) => logged.push(error),
    });
    const tooBig = await door.fetch(post({}));
    expect(tooBig.status).toBe(413);
    expect(logged).toHaveLength(0);
    fail = new Error('SELECT secret FROM internals');
    const internal = await door.fetch(post({}));
    expect(internal.status).toBe(500);
    expect(await internal.text()).not.toMatch(/SELECT|secret/);
    expect(logged).toHaveLength(1);
  });

  it('runs a plain Apollo Server: identity errors raised in the context are 401/400, not 500', async () => {
    const apollo = new ApolloServer<{ who: string }>({ schema: buildSchema('type Query { hello: String }'), rootValue: { hello: () => 'hej' } });
    await apollo.start();
    try {
      const door = new FrontDoor({
        service: 'test',
        graphql: graphqlEndpoint({
          apollo,
          limits: { maxBodyBytes: 1024, maxVariableDepth: 4 },
          context: async (inbound) => {
            if (!inbound.header('authorization')) throw unauthenticated();
            if (!inbound.header('x-purpose')) throw new GraphQLError('Name the purpose.', { extensions: { code: 'PURPOSE_REQUIRED' } });
            return { who: 'someone' };
          },
        }),
        onError: () => undefined,
      });
      expect((await door.fetch(post({ query: '{ hello }' }))).status).toBe(401);
      const noPurpose = await door.fetch(post({ query: '{ hello }' }, { authorization: 'Bearer x' }));
      expect(noPurpose.status).toBe(400);
      expect(await noPurpose.json()).toEqual({ errors: [{ message: 'Name the purpose.', extensions: { code: 'PURPOSE_REQUIRED' } }] });
      const ok = await door.fetch(post({ query: '{ hello }' }, { authorization: 'Bearer x', 'x-purpose': 'STATISTICS' }));
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ data: { hello: 'hej' } });
      const strict = await door.fetch(post({ query: '{ hello }' }, { authorization: 'Bearer x', 'x-purpose': 'S', accept: 'application/graphql-response+json' }));
      expect(strict.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
      const syntax = await door.fetch(post({ query: '{ hello ' }, { authorization: 'Bearer x', 'x-purpose': 'S' }));
      expect(syntax.status).toBe(400);
    } finally {
      await apollo.stop();
    }
  });

  it('ends open event streams when draining begins, so their clients reconnect elsewhere', async () => {
    let served = 0;
    const door = new FrontDoor({
      service: 'test',
      graphql: async () => errorAnswer(404, 'NOT_FOUND', 'no'),
      // A stream that never ends by itself.
      streams: {
        '/stream': async (_req, res) => {
          served++;
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write(': open\n\n');
        },
      },
      onError: () => undefined,
    });
    const running = await door.listen(0);
    // Resolves once the stream is open, with a promise of its full text (wrapped: a promise would be adopted).
    const { ended } = await new Promise<{ ended: Promise<string> }>((resolve, reject) => {
      httpRequest({ port: running.port, path: '/stream' }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          resolve({ ended: new Promise((done) => res.on('end', () => done(text))) });
        });
      })
        .on('error', reject)
        .end();
    });
    // A grace far longer than the test: the stream must end because draining ended it, not at the deadline.
    await Promise.all([running.close(600_000), ended]);
    expect(await ended).toBe(': open\n\n');
    expect(served).toBe(1);
    expect(door.draining).toBe(true);
  });

  it('measures nesting without recursion, however deep', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(jsonProblem(deep, 32)).toBe('depth');
    expect(jsonProblem({ a: [{ b: 1 }, [2, [3]]] }, 4)).toBeUndefined();
    expect(jsonProblem({ a: [{ b: 1 }, [2, [3]]] }, 3)).toBe('depth');
    expect(jsonProblem({ a: [{ b: 'x\u0000y' }] }, 32)).toBe('text');
    expect(jsonProblem({ ['k\u0000']: 1 }, 32)).toBe('text');
    expect(jsonProblem({ a: ['\uD800'] }, 32)).toBe('text');
    expect(jsonProblem({ a: ['\uD83D\uDE00 æøå'] }, 32)).toBeUndefined();
  });
});
