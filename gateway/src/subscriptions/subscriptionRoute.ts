import type { IncomingMessage, ServerResponse } from 'node:http';
import { eventStreamRefusal, releaseOnClose, serveEventStream } from '@partnergraph/common';
import type { DocumentNode, FormattedExecutionResult } from 'graphql';
import { createHandler, type ExecutionResult as SseResult, type RequestParams, type Response as SseResponse } from 'graphql-sse';
import { SubscriptionRefused, type EventSource, type OwnerEvent } from './EventSources.js';
import { SubscriptionPlanError, type SubscriptionPlan } from './SubscriptionPlans.js';

/** A subscription let in by the request path's front steps, as a query would be. */
export interface Admitted {
  document: DocumentNode;
  operationName: string | undefined;
  variables: Record<string, unknown> | undefined;
  /** The subscriber's own token and purpose, for the owner's stream. */
  forwardHeaders: Record<string, string>;
  /** Frees the subscriber's place among its open streams: called once the stream is refused after all, or ends. */
  release(): void;
}

/** A refusal before the stream: status and a GraphQL error. */
export interface Refusal {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
}

export interface SubscriptionRouteOptions {
  /** The front of the request path for this request: identity and purpose, rate limit, registered operation, limits, parsing and validation. */
  admit(req: IncomingMessage, params: RequestParams): Promise<Admitted | Refusal>;
  /** Answers one event: the query run exactly as the gateway runs any query, with this request's token and purpose (verified again). */
  answer(req: IncomingMessage, query: string, variables: Record<string, unknown>): Promise<FormattedExecutionResult>;
  plan(document: DocumentNode, operationName: string | undefined): SubscriptionPlan;
  events: EventSource;
  maxBodyBytes: number;
  /** For metrics: a stream opened or closed; an event sent, withheld (not visible to the subscriber), or ending the stream. */
  onEvent?(outcome: 'opened' | 'closed' | 'sent' | 'withheld' | 'ended'): void;
}

type Subscriber = {
  req: IncomingMessage;
  plan: SubscriptionPlan;
  variables: Record<string, unknown>;
  source: AsyncIterableIterator<OwnerEvent>;
};

const refusal = (r: Refusal): SseResponse => {
  const [body, init] = eventStreamRefusal(r.status, { message: r.message, extensions: { code: r.code } });
  return [body, { ...init, headers: { ...init.headers, ...r.headers } }];
};

/**
 * `/graphql/stream`: GraphQL subscriptions over server-sent events (the
 * graphql-sse protocol, one stream per subscription, so any gateway process
 * serves any subscriber). A subscription passes the same front steps as a
 * query; each event is then answered with the subscriber's own selection by
 * a query executed like any other, under the subscriber's token and purpose,
 * so every owner's rules apply to every subscriber. An event whose record
 * the subscriber may not see is not sent.
 */
export function subscriptionRoute(options: SubscriptionRouteOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  async function* answer(subscriber: Subscriber): AsyncGenerator<FormattedExecutionResult> {
    const { req, plan, variables, source } = subscriber;
    options.onEvent?.('opened');
    try {
      for await (const event of source) {
        if ('errors' in event) {
          if (event.errors.length) yield { errors: event.errors };
          options.onEvent?.('ended');
          return;
        }
        const result = await options.answer(req, plan.eventQuery, { ...variables, [plan.keyVariable]: event.key });
        const codes = (result.errors ?? []).map((e) => e.extensions?.['code']);
        // A token that expired, or a purpose no longer granted, ends the stream.
        if (codes.includes('UNAUTHENTICATED') || codes.includes('PURPOSE_NOT_ALLOWED')) {
          yield { errors: result.errors! };
          options.onEvent?.('ended');
          return;
        }
        const nothingVisible = !result.errors?.length && Object.values(result.data ?? {}).every((v) => v === null);
        if (nothingVisible) {
          options.onEvent?.('withheld');
          continue;
        }
        options.onEvent?.('sent');
        yield result;
      }
    } finally {
      options.onEvent?.('closed');
      await source.return?.();
    }
  }

  const handler = createHandler<IncomingMessage, undefined, Subscriber>({
    // Distinct connections only: a reserved stream would live in one process.
    authenticate: () => null,
    // Validated by the front steps in onSubscribe.
    validate: () => [],
    onSubscribe: async (req, params) => {
      const admitted = await options.admit(req.raw, params);
      if ('status' in admitted) return refusal(admitted);
      let accepted = false;
      try {
        let plan: SubscriptionPlan;
        try {
          plan = options.plan(admitted.document, admitted.operationName);
        } catch (error) {
          if (error instanceof SubscriptionPlanError) return refusal({ status: 400, code: 'BAD_REQUEST', message: error.message });
          throw error;
        }
        let source: AsyncIterableIterator<OwnerEvent>;
        try {
          source = await options.events.open(plan, admitted.forwardHeaders);
        } catch (error) {
          if (error instanceof SubscriptionRefused) {
            return [error.body || null, { status: error.status, statusText: 'Refused', headers: { 'content-type': 'application/json; charset=utf-8' } }];
          }
          throw error;
        }
        accepted = true;
        // The subscriber's place is held for as long as its connection is.
        releaseOnClose(req.raw, admitted.release);
        return {
          schema: undefined as never,
          document: admitted.document,
          operationName: admitted.operationName ?? null,
          variableValues: admitted.variables ?? null,
          contextValue: { req: req.raw, plan, variables: admitted.variables ?? {}, source },
        };
      } finally {
        if (!accepted) admitted.release();
      }
    },
    // graphql-sse serialises what it gets; these are formatted (and masked) results already.
    subscribe: (args) => answer(args.contextValue) as AsyncGenerator as AsyncGenerator<SseResult>,
  });
  return (req, res) => serveEventStream(handler, req, res, options.maxBodyBytes);
}
