import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inbound, streamsRefusedAnswer, type Answer, type StreamLimiter } from '@partnergraph/common';
import type { FormattedExecutionResult, GraphQLSchema } from 'graphql';
import type { GatewayMetrics } from '../metrics.js';
import { Exchange, pipeline, type Next, type Step } from '../pipeline/Step.js';
import type { EventSource } from './EventSources.js';
import { subscriptionRoute, type Admitted } from './subscriptionRoute.js';
import { planSubscription, SubscriptionPlanError, type subscriptionOwners } from './SubscriptionPlans.js';

export interface SubscriptionPathOptions {
  /** The front of the query path, for admitting a subscription: reading, identity, rate limit, registered operation, parsing and validation (subscriptions only). */
  admission: readonly Step[];
  /** The steps an event's query runs through: identity (the token verified again), parsing and validation; then `execute`. */
  perEvent: readonly Step[];
  execute: Next;
  schema: () => GraphQLSchema | undefined;
  owners: ReturnType<typeof subscriptionOwners>;
  events: EventSource;
  /** Open subscriptions per principal. */
  streams: StreamLimiter;
  metrics: GatewayMetrics;
  maxBodyBytes: number;
}

const admittedAnswer: Answer = { status: 200, headers: {}, body: '' };
/** Headers of the subscriber's request that an event's query must not reuse. */
const PER_REQUEST = new Set(['x-request-id', 'content-length', 'content-type', 'accept', 'traceparent']);

/**
 * The gateway's subscriptions (`/graphql/stream`) as steps: a subscription is
 * admitted by the same front steps as a query; each event's query then runs
 * through identity, validation and execution like any query, under the
 * subscriber's token and purpose.
 */
export function subscriptionPath(options: SubscriptionPathOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const admitted = new WeakMap<Exchange, Admitted>();
  const admit = pipeline(options.admission, async (exchange) => {
    const lease = await options.streams.acquire(exchange.principalKey);
    if (!lease) {
      options.metrics.rateLimited.inc({ limit: 'streams' });
      return streamsRefusedAnswer(options.streams.perPrincipal);
    }
    admitted.set(exchange, {
      release: lease.release,
      document: exchange.operation.document!,
      operationName: exchange.request.operationName,
      variables: exchange.request.variables,
      forwardHeaders: Object.fromEntries(
        (['authorization', 'x-purpose'] as const).flatMap((name) => {
          const value = exchange.inbound.header(name);
          return value ? [[name, value]] : [];
        }),
      ),
    });
    return admittedAnswer;
  });
  const answerEvent = pipeline(options.perEvent, options.execute);

  return subscriptionRoute({
    maxBodyBytes: options.maxBodyBytes,
    events: options.events,
    async admit(req, params) {
      // The stream's request body, read once by the protocol handler, goes through the same reader as a query's.
      const body = JSON.stringify({ ...params, query: params.query || undefined });
      const exchange = new Exchange(new Inbound('POST', '/graphql/stream', { ...req.headers, 'content-type': 'application/json' }, body));
      const answer = await admit(exchange);
      const ok = admitted.get(exchange);
      if (ok) return ok;
      const error = (JSON.parse(answer.body || '{}') as { errors?: Array<{ message: string; extensions?: { code?: string } }> }).errors?.[0];
      return { status: answer.status, code: error?.extensions?.code ?? 'BAD_REQUEST', message: error?.message ?? 'Refused.', headers: answer.headers };
    },
    plan(document, operationName) {
      const schema = options.schema();
      if (!schema) throw new SubscriptionPlanError('The gateway is not ready yet.');
      return planSubscription(schema, options.owners, document, operationName);
    },
    async answer(req, query, variables): Promise<FormattedExecutionResult> {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !PER_REQUEST.has(name)));
      const exchange = new Exchange(new Inbound('POST', '/graphql', headers, ''));
      exchange.request = { query, variables };
      exchange.query = query;
      // Derived from the registered subscription the subscriber was admitted with.
      exchange.registered = true;
      const answer = await answerEvent(exchange);
      return JSON.parse(answer.body) as FormattedExecutionResult;
    },
    onEvent(outcome) {
      if (outcome === 'opened') options.metrics.subscriptionsOpen.inc();
      else if (outcome === 'closed') options.metrics.subscriptionsOpen.dec();
      else options.metrics.subscriptionEvents.inc({ outcome });
    },
  });
}
