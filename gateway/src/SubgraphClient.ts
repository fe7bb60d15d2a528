import { Agent, request } from 'node:http';
import { isPersonalCacheControl } from '@partnergraph/common';
import { CircuitBreaker, type CircuitOptions } from './CircuitBreaker.js';
import { Inflight } from './Inflight.js';
import type { GatewayMetrics } from './metrics.js';

export interface SubgraphReply {
  status: number;
  contentType: string | undefined;
  cacheControl: string | undefined;
  body: string;
}

export class SubgraphUnavailable extends Error {
  constructor(
    readonly subgraph: string,
    readonly reason: 'timeout' | 'network' | 'status' | 'circuit_open',
  ) {
    super(`Subgraph ${subgraph} is unavailable (${reason}).`);
  }
}

export interface SubgraphClientOptions {
  name: string;
  url: string;
  timeoutMs: number;
  circuit: CircuitOptions;
  metrics?: GatewayMetrics;
  /** Share identical in-flight fetches (same body, same forwarded identity). */
  dedup: boolean;
}

/** Pooled keep-alive connections, shared by every subgraph client of a gateway. */
export const subgraphAgent = new Agent({ keepAlive: true, keepAliveMsecs: 15_000, maxSockets: 256, maxFreeSockets: 64 });

/**
 * One subgraph, as the gateway calls it: keep-alive HTTP, a timeout per
 * fetch, a circuit breaker, and identical in-flight fetches shared.
 */
export class SubgraphClient {
  readonly breaker: CircuitBreaker;
  /** A personal answer is logged by its owner for one request: it is never handed to another. */
  private readonly inFlight = new Inflight<SubgraphReply>((reply) => !isPersonalCacheControl(reply.cacheControl));
  private readonly target: URL;

  private readonly onShared = () => this.options.metrics?.dedup.inc({ kind: 'subgraph' });

  constructor(readonly options: SubgraphClientOptions) {
    this.target = new URL(options.url);
    this.breaker = new CircuitBreaker(options.circuit);
    const gauge = options.metrics?.circuit.labels({ subgraph: options.name });
    gauge?.set(0);
    this.breaker.onChange = (state) => gauge?.set(state === 'closed' ? 0 : state === 'half-open' ? 1 : 2);
  }

  /**
   * `shareKey` names what makes two fetches interchangeable (body and forwarded
   * identity); null for fetches that must not be shared (mutations).
   */
  post(body: string, headers: Record<string, string>, shareKey: string | null): Promise<SubgraphReply> {
    if (!this.options.dedup || shareKey === null) return this.send(body, headers);
    return this.inFlight.run(shareKey, () => this.send(body, headers), this.onShared);
  }

  private async send(body: string, headers: Record<string, string>): Promise<SubgraphReply> {
    const name = this.options.name;
    if (!this.breaker.allow()) {
      this.options.metrics?.subgraphErrors.inc({ subgraph: name, reason: 'circuit_open' });
      throw new SubgraphUnavailable(name, 'circuit_open');
    }
    const stopTimer = this.options.metrics?.subgraphLatency.startTimer({ subgraph: name });
    try {
      const reply = await this.exchange(body, headers);
      // A GraphQL body is an answer, even with a 4xx/5xx status; anything else is the subgraph failing.
      if (reply.status >= 500 && !reply.contentType?.includes('json')) throw new SubgraphUnavailable(name, 'status');
      this.breaker.success();
      return reply;
    } catch (error) {
      const reason = error instanceof SubgraphUnavailable ? error.reason : 'network';
      this.options.metrics?.subgraphErrors.inc({ subgraph: name, reason });
      this.breaker.failure();
      throw error instanceof SubgraphUnavailable ? error : new SubgraphUnavailable(name, 'network');
    } finally {
      stopTimer?.();
    }
  }

  private exchange(body: string, headers: Record<string, string>): Promise<SubgraphReply> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent: subgraphAgent,
          protocol: this.target.protocol,
          hostname: this.target.hostname,
          port: this.target.port,
          path: `${this.target.pathname}${this.target.search}`,
          method: 'POST',
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            clearTimeout(timer);
            resolve({
              status: res.statusCode ?? 0,
              contentType: res.headers['content-type'],
              cacheControl: res.headers['cache-control'],
              body: Buffer.concat(chunks).toString('utf8'),
            });
          });
          res.on('error', (error) => {
            clearTimeout(timer);
            reject(error);
          });
        },
      );
      const timer = setTimeout(() => {
        req.destroy();
        reject(new SubgraphUnavailable(this.options.name, 'timeout'));
      }, this.options.timeoutMs);
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      req.end(body);
    });
  }
}
