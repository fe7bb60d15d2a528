import type { IncomingMessage, ServerResponse } from 'node:http';
import { eventStreamAnswer, eventStreamRefusal, headerValue, releaseOnClose, serveEventStream, statusOfError, type FormatError } from '@partnergraph/common';
import {
  createSourceEventStream,
  execute,
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { createHandler, type ExecutionResult as SseResult, type RequestParams, type Response as SseResponse } from 'graphql-sse';
import { logWriteFailure, type DisclosureLog } from './audit/DisclosureLog.js';
import type { StreamAdmission } from './admission.js';
import type { SubgraphContext } from './context.js';

type HeaderGetter = (name: string) => string | undefined;

export interface SubscriptionRouteOptions {
  schema: GraphQLSchema;
  /** A request context from the request's headers; verifies the token and purpose each time it is made. */
  context: (header: HeaderGetter) => Promise<SubgraphContext>;
  disclosureLog: DisclosureLog;
  /** The owner's operation limits, as for queries. */
  validationRules: readonly ValidationRule[];
  maxBodyBytes: number;
  /** The owner's error masking (generic message and correlation id for anything unexpected). */
  formatError: FormatError;
  /** Direct callers' limits: opening a stream counts as a request, and open streams per principal are bounded. */
  admit?: ((context: SubgraphContext) => Promise<StreamAdmission>) | undefined;
}

type Subscriber = {
  header: HeaderGetter;
  /** The owner's event source, listening since the subscription was accepted. */
  source: AsyncIterable<unknown> & Partial<AsyncIterator<unknown>>;
};

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;


/**
 * An owner's subscriptions over server-sent events (the graphql-sse protocol,
 * one stream per subscription, so any process of the owner can serve it).
 * Starting one checks the token, the purpose and the root field's rule; then
 * every event is answered as a request of its own — the token verified again
 * (an expired one ends the stream), fresh loaders, the owner's row and field
 * rules, and the disclosure log written before the event is sent. An event
 * about a record the subscriber may not see is not sent at all.
 */
export function subscriptionRoute(options: SubscriptionRouteOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const rules = [...specifiedRules, ...options.validationRules];
  const mask = options.formatError;
  const format = (result: ExecutionResult): FormattedExecutionResult => ({
    ...(result.errors?.length ? { errors: result.errors.map((e) => mask(e.toJSON(), e)) } : {}),
    ...('data' in result ? { data: result.data } : {}),
  });

  async function* answer(args: ExecutionArgs & { contextValue: Subscriber }): AsyncGenerator<FormattedExecutionResult> {
    const { header, source } = args.contextValue;
    try {
      yield* each(args, header, source);
    } finally {
      await source.return?.();
    }
  }

  async function* each(args: ExecutionArgs, header: HeaderGetter, source: AsyncIterable<unknown>): AsyncGenerator<FormattedExecutionResult> {
    for await (const payload of source) {
      let context: SubgraphContext;
      try {
        context = await options.context(header);
      } catch (error) {
        yield { errors: [mask(error instanceof GraphQLError ? error.toJSON() : { message: String(error) }, error)] };
        return;
      }
      const result = (await execute({ ...args, rootValue: payload, contextValue: context })) as ExecutionResult;
      if (!context.audit.isEmpty) {
        try {
          await options.disclosureLog.append(context.audit.drain());
        } catch (error) {
          yield { errors: [logWriteFailure(error).toJSON()] };
          continue;
        }
      }
      const nothingVisible = !result.errors?.length && Object.values(result.data ?? {}).every((value) => value === null);
      if (!nothingVisible) yield format(result);
    }
  }


  /** Parses and validates a subscription and starts listening: the arguments to stream with, or the refusal. */
  async function begin(params: RequestParams, first: SubgraphContext, header: HeaderGetter): Promise<ExecutionArgs & { contextValue: Subscriber } | SseResponse> {
    let document: DocumentNode;
    try {
      document = parse(params.query as string);
    } catch {
      return eventStreamRefusal(400, { message: 'The query is not valid GraphQL.', extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    }
    const errors = validate(options.schema, document, rules);
    if (errors.length) return eventStreamRefusal(400, { message: errors[0]!.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    if (getOperationAST(document, params.operationName)?.operation !== 'subscription') {
      return eventStreamRefusal(400, { message: 'Only subscriptions are served here; send queries and mutations to /graphql.', extensions: { code: 'BAD_REQUEST' } });
    }
    const args = { schema: options.schema, document, operationName: params.operationName ?? null, variableValues: params.variables ?? null };
    // Listening starts here, before the stream is accepted: an event after the client is connected is not missed.
    const source = await createSourceEventStream({ ...args, contextValue: first });
    if (!isAsyncIterable(source)) {
      const error = (source as ExecutionResult).errors?.[0];
      const formatted = mask(error ? error.toJSON() : { message: 'No event source.' }, error);
      return eventStreamRefusal(statusOfError({ extensions: formatted.extensions ?? {} }), { message: formatted.message, extensions: formatted.extensions ?? {} });
    }
    return { ...args, contextValue: { header, source } };
  }

  const handler = createHandler<IncomingMessage, undefined, Subscriber>({
    // Distinct connections only: a reserved stream would live in one process.
    authenticate: () => null,
    // Validated in onSubscribe, with the owner's limits.
    validate: () => [],
    onSubscribe: async (req, params) => {
      const header: HeaderGetter = (name) => headerValue(req.raw, name);
      let first: SubgraphContext;
      try {
        first = await options.context(header);
      } catch (error) {
        if (error instanceof GraphQLError) return eventStreamRefusal(statusOfError(error), error);
        throw error;
      }
      const admission = (await options.admit?.(first)) ?? { release: () => undefined };
      if ('refusal' in admission) return eventStreamAnswer(admission.refusal);
      let accepted = false;
      try {
        const start = await begin(params, first, header);
        accepted = !Array.isArray(start);
        // The slot is held for as long as the connection is.
        if (accepted) releaseOnClose(req.raw, admission.release);
        return start;
      } finally {
        if (!accepted) admission.release();
      }
    },
    // graphql-sse serialises what it gets; ours are already formatted (and masked) results.
    subscribe: (args) => answer(args) as AsyncGenerator as AsyncGenerator<SseResult>,
  });
  return (req, res) => serveEventStream(handler, req, res, options.maxBodyBytes);
}
