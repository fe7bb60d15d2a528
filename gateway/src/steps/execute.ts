import { randomUUID } from 'node:crypto';
import type { ApolloServer, GraphQLRequest } from '@apollo/server';
import { executeWithApollo } from '@partnergraph/common';
import { FetchRecord, type GatewayContext } from '../context.js';
import type { GatewayAnswer, Next } from '../pipeline/Step.js';
import { continueTrace } from '../tracing.js';

/**
 * Runs the operation: Apollo Gateway plans it (the document is already parsed
 * and validated) and fetches from the owners; the answer carries what the
 * owners said about reusing it, and which owners it read and changed.
 */
export function execute(apollo: ApolloServer<GatewayContext>): Next {
  return async (exchange) => {
    const { inbound } = exchange;
    // Ours, not the caller's: the owners' disclosure logs record it (the answer returns it in x-request-id).
    const requestId = randomUUID();
    const fetches = new FetchRecord();
    const context: GatewayContext = {
      requestId,
      identity: exchange.identity,
      forwardHeaders: { authorization: inbound.header('authorization'), 'x-purpose': inbound.header('x-purpose') },
      trace: exchange.trace ?? continueTrace(inbound.header('traceparent')),
      fetches,
      cost: exchange.cost,
    };
    const { operationName, variables } = exchange.request;
    const request: GraphQLRequest = { query: exchange.query };
    if (operationName !== undefined) request.operationName = operationName;
    if (variables !== undefined) request.variables = variables;
    if (exchange.extensions !== undefined) request.extensions = exchange.extensions;
    const executed = await executeWithApollo(apollo, request, context);
    if (executed.hasErrors) fetches.cacheability.uncacheable();
    const answer: GatewayAnswer = executed;
    answer.headers['x-request-id'] = requestId;
    answer.cacheability = fetches.cacheability;
    answer.owners = fetches.read;
    answer.changed = fetches.changed;
    return answer;
  };
}
