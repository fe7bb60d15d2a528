import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The gateway's Prometheus metrics, one registry per gateway instance (tests run several). */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'gateway_requests_total',
    help: 'GraphQL requests by HTTP status and operation type.',
    labelNames: ['status', 'operation'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'gateway_request_duration_seconds',
    help: 'Time from request to response.',
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly subgraphLatency = new Histogram({
    name: 'gateway_subgraph_fetch_duration_seconds',
    help: 'Time of each subgraph fetch.',
    labelNames: ['subgraph'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [this.registry],
  });
  readonly subgraphErrors = new Counter({
    name: 'gateway_subgraph_errors_total',
    help: 'Subgraph fetches that failed, by reason (timeout, network, status, circuit_open).',
    labelNames: ['subgraph', 'reason'] as const,
    registers: [this.registry],
  });
  readonly cache = new Counter({
    name: 'gateway_cache_total',
    help: 'Response-cache lookups by result (hit, miss, store).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly dedup = new Counter({
    name: 'gateway_dedup_hits_total',
    help: 'Requests that shared an identical in-flight request, inbound or to a subgraph.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'gateway_rate_limited_total',
    help: 'Requests refused by the rate limit, by what was exceeded: principal, organisation, or streams (subscriptions open at once per principal).',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });
  readonly circuit = new Gauge({
    name: 'gateway_circuit_state',
    help: 'Circuit per subgraph: 0 closed, 1 half-open, 2 open.',
    labelNames: ['subgraph'] as const,
    registers: [this.registry],
  });
  readonly redisFallback = new Counter({
    name: 'gateway_redis_fallback_total',
    help: 'Operations served from the in-process stores while Redis is configured but down or not answering: grows for as long as an outage lasts.',
    labelNames: ['store'] as const,
    registers: [this.registry],
  });
  readonly redisAvailable = new Gauge({
    name: 'gateway_redis_available',
    help: '1 while the gateway uses Redis; 0 while it serves from in-process stores (Redis down, frozen, or not yet connected).',
    registers: [this.registry],
  });

  readonly subscriptionsOpen = new Gauge({
    name: 'gateway_subscriptions_open',
    help: 'Subscriptions (server-sent event streams at /graphql/stream) open in this process.',
    registers: [this.registry],
  });
  readonly subscriptionEvents = new Counter({
    name: 'gateway_subscription_events_total',
    help: 'Subscription events by outcome: sent, withheld (the subscriber may not see the record), ended (the stream ended with an error).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly supergraphReloads = new Counter({
    name: 'gateway_supergraph_reloads_total',
    help: 'Supergraph reloads by result (applied, unchanged, refused: not a valid supergraph and the old one kept, unavailable: could not be read) and trigger (file, signal, poll, manual).',
    labelNames: ['result', 'trigger'] as const,
    registers: [this.registry],
  });
  readonly supergraph = new Gauge({
    name: 'gateway_supergraph_info',
    help: 'The supergraph served: 1 on the label of its id (the start of the sha256 of its text).',
    labelNames: ['id'] as const,
    registers: [this.registry],
  });

  constructor(defaults = true) {
    if (defaults) collectDefaultMetrics({ register: this.registry });
  }
}
