import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { StatementObserver } from './db/statementTelemetry.js';

/** Operation names come from callers: past this many distinct ones, new names count as `other`. */
const MAX_OPERATIONS = 200;

/**
 * An owner's Prometheus metrics, served at its `/metrics`: requests and errors
 * by operation, policy denials by action, disclosure-log writes, database wait
 * and statement time. One registry per subgraph server (tests run several in
 * one process); every series carries the `subgraph` label.
 */
export class SubgraphMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'subgraph_requests_total',
    help: 'GraphQL requests by operation type and name (the gateway names its fetches after the client operation).',
    labelNames: ['type', 'operation'] as const,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'subgraph_request_errors_total',
    help: 'GraphQL errors in answers, by operation and error code (FORBIDDEN, NOT_FOUND, UNAUTHENTICATED, INTERNAL_SERVER_ERROR …).',
    labelNames: ['operation', 'code'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'subgraph_request_duration_seconds',
    help: 'Time from request to answer (disclosure-log write included).',
    labelNames: ['type'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [this.registry],
  });
  readonly policyDenials = new Counter({
    name: 'subgraph_policy_denials_total',
    help: "Requests in which the owner's rules refused an action (a row, a field, a root field), by action.",
    labelNames: ['action'] as const,
    registers: [this.registry],
  });
  readonly disclosureWrites = new Counter({
    name: 'subgraph_disclosure_log_writes_total',
    help: 'Disclosure-log writes by outcome: written, or failed (the answer was then withheld, AUDIT_UNAVAILABLE).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly disclosureRows = new Counter({
    name: 'subgraph_disclosure_log_rows_total',
    help: 'Disclosure-log rows written.',
    registers: [this.registry],
  });
  readonly dbWait = new Histogram({
    name: 'subgraph_db_wait_seconds',
    help: 'Time waited for a database connection from the pool (PostgreSQL; PGlite has no pool).',
    buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
    registers: [this.registry],
  });
  readonly dbStatement = new Histogram({
    name: 'subgraph_db_statement_duration_seconds',
    help: 'Time of each SQL statement, by outcome (ok, failed).',
    labelNames: ['outcome'] as const,
    buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'subgraph_rate_limited_total',
    help: 'Direct callers (not through the gateway) refused with 429, by limit: principal, organisation, or streams (open streams per principal).',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });
  readonly redisFallback = new Counter({
    name: 'subgraph_redis_fallback_total',
    help: 'Rate-limit checks and stream admissions counted in this process while Redis is configured but down or not answering: grows for as long as an outage lasts.',
    registers: [this.registry],
  });
  readonly redisAvailable = new Gauge({
    name: 'subgraph_redis_available',
    help: '1 while the rate limits count in Redis (REDIS_URL); 0 while they count in this process (Redis down, frozen, or not yet connected).',
    registers: [this.registry],
  });

  private readonly operations = new Set<string>();

  /** What the database reports to. */
  readonly database: StatementObserver = {
    waited: (seconds) => this.dbWait.observe(seconds),
    ran: (seconds, failed) => this.dbStatement.observe({ outcome: failed ? 'failed' : 'ok' }, seconds),
  };

  constructor(subgraph: string, defaults = true) {
    this.registry.setDefaultLabels({ subgraph });
    if (defaults) collectDefaultMetrics({ register: this.registry });
  }

  /** The operation's label: its name while fewer than MAX_OPERATIONS are known, else `other`. */
  operation(name: string | null | undefined): string {
    const label = name || 'anonymous';
    if (this.operations.has(label)) return label;
    if (this.operations.size >= MAX_OPERATIONS) return 'other';
    this.operations.add(label);
    return label;
  }
}
