import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlledProxy } from '../../test/support/controlledProxy.js';
import { startSystem, type System } from '../../test/support/system.js';

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One keep-alive HTTP/1.1 connection driven by hand: what a load balancer's pooled connection does. */
class Connection {
  private buffer = '';
  private waiting: ((response: RawResponse) => void) | undefined;
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.drain();
    });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static open(port: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new Connection(socket)));
      socket.once('error', reject);
    });
  }

  send(method: string, path: string, headers: Record<string, string> = {}, body = ''): Promise<RawResponse> {
    const lines = [`${method} ${path} HTTP/1.1`, 'host: 127.0.0.1', `content-length: ${Buffer.byteLength(body)}`];
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    const response = new Promise<RawResponse>((resolve) => (this.waiting = resolve));
    this.socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
    return response;
  }

  /** Sends a request's head without its final line, so the connection is busy but unanswered; `finish` sends the rest. */
  sendInTwoParts(method: string, path: string): { finish: () => Promise<RawResponse> } {
    this.socket.write(`${method} ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n`);
    return {
      finish: () => {
        const response = new Promise<RawResponse>((resolve) => (this.waiting = resolve));
        this.socket.write('\r\n');
        return response;
      },
    };
  }

  private drain(): void {
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end === -1 || !this.waiting) return;
    const [statusLine, ...headerLines] = this.buffer.slice(0, end).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    let body = '';
    let rest = end + 4;
    if (headers['transfer-encoding'] === 'chunked') {
      for (;;) {
        const lineEnd = this.buffer.indexOf('\r\n', rest);
        if (lineEnd === -1) return;
        const size = parseInt(this.buffer.slice(rest, lineEnd), 16);
        if (this.buffer.length < lineEnd + 2 + size + 2) return;
        body += this.buffer.slice(lineEnd + 2, lineEnd + 2 + size);
        rest = lineEnd + 2 + size + 2;
        if (size === 0) break;
      }
    } else {
      const length = Number(headers['content-length'] ?? 0);
      if (this.buffer.length < rest + length) return;
      body = this.buffer.slice(rest, rest + length);
      rest += length;
    }
    this.buffer = this.buffer.slice(rest);
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve({ status: Number(statusLine!.split(' ')[1]), headers, body });
  }
}

/**
 * SIGTERM drains (issue 13): new connections are refused, idle keep-alive
 * connections closed, in-flight requests answered with `Connection: close`,
 * `/ready` 503 at once; the process stops when done or at the deadline.
 */
describe('draining', () => {
  let system: System;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(() => system?.stop());

  const graphql = async () => ({
    'content-type': 'application/json',
    authorization: `Bearer ${await system.issuer.signPersona('analyst')}`,
    'x-purpose': 'STATISTICS',
  });
  const body = JSON.stringify({ query: '{ areas { id } }' });

  it('stops accepting, closes idle connections, and answers in-flight requests with Connection: close', async () => {
    const proxy = await controlledProxy(system.owners['municipality']!.url);
    try {
      const gw = await system.extraGateway({ redisPrefix: `test-${randomUUID()}:`, subgraphUrls: { municipality: proxy.url }, responseCache: false });
      const port = Number(new URL(gw.url).port);
      const idle = await Connection.open(port);
      expect((await idle.send('GET', '/health')).headers['connection']).not.toBe('close');
      const busy = await Connection.open(port);
      const pipelined = await Connection.open(port);

      proxy.state.mode = 'slow';
      proxy.state.slowMs = 600;
      const inFlight = busy.send('POST', '/graphql', await graphql(), body);
      const alsoInFlight = pipelined.send('POST', '/graphql', await graphql(), body);
      await new Promise((r) => setTimeout(r, 150));

      const stopped = gw.gateway.stop();
      // The idle keep-alive connection is closed at once; new connections are refused.
      await idle.closed;
      await expect(Connection.open(port)).rejects.toThrow(/ECONNREFUSED/);

      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body).data.areas).toHaveLength(4);
      expect(answer.headers['connection']).toBe('close');
      await busy.closed;
      expect((await alsoInFlight).headers['connection']).toBe('close');
      await pipelined.closed;
      await stopped;
    } finally {
      await proxy.close();
    }
  });

  it('turns /ready to 503 at once for anyone still connected, and cuts what is left at the deadline', async () => {
    const proxy = await controlledProxy(system.owners['municipality']!.url);
    try {
      const gw = await system.extraGateway({
        redisPrefix: `test-${randomUUID()}:`,
        subgraphUrls: { municipality: proxy.url },
        responseCache: false,
        shutdownGraceMs: 400,
      });
      const port = Number(new URL(gw.url).port);
      const slow = await Connection.open(port);
      const prober = await Connection.open(port);
      expect((await prober.send('GET', '/ready')).status).toBe(200);
      proxy.state.mode = 'slow';
      proxy.state.slowMs = 5000;
      let answered = false;
      void slow.send('POST', '/graphql', await graphql(), body).then(() => (answered = true));
      // A load balancer's probe, half sent when the process begins to drain.
      const probe = prober.sendInTwoParts('GET', '/ready');
      await new Promise((r) => setTimeout(r, 100));
      const stopped = gw.gateway.stop();
      const ready = await probe.finish();
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.body).status).toBe('draining');
      expect(ready.headers['connection']).toBe('close');
      // The hanging request is cut at the deadline, not awaited for the subgraph's 5 s.
      await stopped;
      await slow.closed;
      expect(answered).toBe(false);
    } finally {
      await proxy.close();
    }
  });
});
