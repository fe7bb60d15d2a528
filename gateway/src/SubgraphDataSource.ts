import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { internalProof, INTERNAL_PROOF_HEADER } from '@partnergraph/common';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from './context.js';
import type { SubgraphClient } from './SubgraphClient.js';
import { SubgraphUnavailable } from './SubgraphClient.js';
import { outgoingTraceparent } from './tracing.js';

/** Headers the owners need to decide for themselves: identity and purpose, verbatim. */
export const FORWARDED_HEADERS = ['authorization', 'x-purpose'] as const;

/** Whether a fetch's answer shows its mutation executed: some root field answered with data. */
function executedWrite(response: GatewayGraphQLResponse): boolean {
  const data = response.data;
  if (!data) return false;
  for (const key in data) if (data[key] !== null && data[key] !== undefined) return true;
  return false;
}

/**
 * How the gateway calls one subgraph for the query planner. It forwards the
 * caller's own token and purpose (each owner verifies them itself; the gateway
 * never vouches for anyone), propagates the trace, notes what the owner said
 * about reuse of its answer (`cache-control`) and whether a mutation executed,
 * and turns an unreachable subgraph into errors on its fields while the rest
 * of the query answers.
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(
    readonly name: string,
    private readonly client: SubgraphClient,
    /** This owner's bit in the request's fetch record. */
    private readonly bit = 0,
    /** The deployment's internal key: each fetch proves it comes from the gateway (rate-limited and budgeted here). */
    private readonly internalKey?: string,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    const context = options.context as GatewayContext | undefined;
    const fetches = context?.fetches;
    const body = JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName });
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    let identityKey = '';
    if (context?.forwardHeaders) {
      for (const name of FORWARDED_HEADERS) {
        const value = context.forwardHeaders[name];
        if (value) {
          headers[name] = value;
          identityKey += `${value}\n`;
        }
      }
      headers['x-request-id'] = context.requestId;
      if (this.internalKey && headers['authorization'] && headers['x-purpose']) {
        headers[INTERNAL_PROOF_HEADER] = internalProof(this.internalKey, headers['authorization'], headers['x-purpose']);
      }
      // With tracing on, the parent is Apollo Gateway's fetch span; else a new span id in the request's trace.
      const traceparent = outgoingTraceparent(context.trace);
      if (traceparent) headers['traceparent'] = traceparent;
    }
    // The planner writes each fetch as an operation of its own: a mutation fetch starts with "mutation".
    const isMutation = request.query?.startsWith('mutation') ?? false;
    let reply;
    try {
      reply = await this.client.post(body, headers, isMutation ? null : `${identityKey}${body}`);
    } catch (error) {
      fetches?.cacheability.uncacheable();
      const reason = error instanceof SubgraphUnavailable ? error.reason : 'network';
      // A mutation that may have reached the owner may have changed its data.
      if (fetches && isMutation && reason !== 'circuit_open') fetches.changed |= this.bit;
      throw new GraphQLError(`The ${this.name} subgraph is unavailable (${reason}); its fields are missing from this answer.`, {
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: this.name },
      });
    }
    let response: GatewayGraphQLResponse;
    try {
      // Parsed per consumer: the planner merges into these objects, so shared fetches must not share them.
      response = JSON.parse(reply.body) as GatewayGraphQLResponse;
    } catch {
      fetches?.cacheability.uncacheable();
      throw new GraphQLError(`The ${this.name} subgraph answered with something other than GraphQL.`, {
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: this.name },
      });
    }
    if (fetches) {
      fetches.cacheability.addCacheControl(reply.cacheControl);
      fetches.read |= this.bit;
      if (isMutation && executedWrite(response)) fetches.changed |= this.bit;
    }
    return response;
  }
}
