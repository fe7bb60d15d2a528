import { createServer, type IncomingHttpHeaders, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An HTTP answer as a value: what every route and pipeline step returns; the front door writes it. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
const JSON_HEADERS: Readonly<Record<string, string>> = { 'content-type': JSON_CONTENT_TYPE };

export function jsonAnswer(status: number, value: unknown, headers?: Record<string, string>): Answer {
  return { status, headers: headers ? { ...JSON_HEADERS, ...headers } : { ...JSON_HEADERS }, body: JSON.stringify(value) };
}

/** A GraphQL-shaped error answer: clients get one format for every failure. */
export function errorAnswer(status: number, code: string, message: string, headers?: Record<string, string>): Answer {
  return jsonAnswer(status, { errors: [{ message, extensions: { code } }] }, headers);
}

/** Writes a GraphQL-shaped error straight to a response (for handlers that write their own, e.g. streams). */
export function sendError(res: ServerResponse, status: number, code: string, message: string, headers?: Record<string, string>): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const answer = errorAnswer(status, code, message, headers);
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}

/** A client error found before execution; `answer()` is what the caller gets. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = 'BAD_REQUEST',
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  answer(): Answer {
    return errorAnswer(this.status, this.code, this.message, this.headers);
  }
}

/**
 * A request as the front door sees it: from node:http, or built in-process
 * (tests, `fetch`) with its body as text, so every route and step can be run
 * without a socket.
 */
export class Inbound {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly headers: IncomingHttpHeaders,
    private readonly source: IncomingMessage | string,
  ) {}

  /** One header's value; repeated headers joined as HTTP joins them. */
  header(name: string): string | undefined {
    const value = this.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  /** The body, up to `limit` bytes; larger bodies fail with 413 and are not buffered. */
  readBody(limit: number): Promise<Buffer> {
    if (typeof this.source === 'string') {
      const body = Buffer.from(this.source, 'utf8');
      return body.length > limit ? Promise.reject(tooLarge(limit)) : Promise.resolve(body);
    }
    return readBody(this.source, limit);
  }
}

const tooLarge = (limit: number) => new HttpError(413, `Request body exceeds ${limit} bytes.`, 'PAYLOAD_TOO_LARGE');

/** Reads a request body up to `limit` bytes; larger bodies fail with 413 and are not buffered. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(tooLarge(limit));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(tooLarge(limit));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export interface RunningServer {
  server: Server;
  url: string;
  port: number;
  /**
   * Drains: stops accepting connections, closes idle keep-alive ones, lets
   * in-flight requests finish (their answers say `Connection: close`), and
   * cuts what is left at `graceMs`.
   */
  close(graceMs?: number): Promise<void>;
}

/** What the server needs to know about draining; the front door reads it for `/ready` and `Connection: close`. */
export interface DrainState {
  draining: boolean;
  /** Called once when draining begins. */
  beginDrain?(): void;
}

/** Listens with in-flight tracking, so shutdown drains instead of cutting requests. */
export async function listen(listener: RequestListener, port: number, host: string, path: string, state: DrainState): Promise<RunningServer> {
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const server = createServer((req, res) => {
    inFlight++;
    res.on('close', () => {
      inFlight--;
      if (inFlight === 0) drained?.();
    });
    listener(req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    server,
    port: actual,
    url: `http://${host}:${actual}${path}`,
    close(graceMs = 10_000) {
      closing ??= (async () => {
        state.draining = true;
        state.beginDrain?.();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        if (inFlight > 0) {
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([
            new Promise<void>((resolve) => (drained = resolve)),
            new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
          ]);
          clearTimeout(timer);
        }
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}
