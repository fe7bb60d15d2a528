import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from './context.js';
import type { SubgraphClient } from './SubgraphClient.js';
import { SubgraphUnavailable } from './SubgraphClient.js';
import { childTraceparent } from './tracing.js';

/** Headers the owners need to decide for themselves: identity and purpose, verbatim. */
export const FORWARDED_HEADERS = ['authorization', 'x-purpose'] as const;

const maxAgeOf = (cacheControl: string | undefined): number => {
  if (!cacheControl || /no-store|no-cache/.test(cacheControl)) return 0;
  const match = /max-age=(\d+)/.exec(cacheControl);
  return match ? Number(match[1]) : 0;
};

/**
 * How the gateway calls one subgraph for the query planner. It forwards the
 * caller's own token and purpose (each owner verifies them itself; the gateway
 * never vouches for anyone), propagates the trace, records the owner's
 * cache-control, and turns an unreachable subgraph into errors on its fields
 * while the rest of the query answers.
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(
    readonly name: string,
    private readonly client: SubgraphClient,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    const context = options.context as GatewayContext | undefined;
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
      if (context.trace) headers['traceparent'] = childTraceparent(context.trace);
    }
    const isMutation =
      options.kind === 'incoming operation' &&
      (options.document?.definitions.some((d) => d.kind === 'OperationDefinition' && d.operation === 'mutation') ?? true);
    let reply;
    try {
      reply = await this.client.post(body, headers, isMutation ? null : `${identityKey}${body}`);
    } catch (error) {
      context?.cache && (context.cache.maxAge = 0);
      const reason = error instanceof SubgraphUnavailable ? error.reason : 'network';
      throw new GraphQLError(`The ${this.name} subgraph is unavailable (${reason}); its fields are missing from this answer.`, {
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: this.name },
      });
    }
    if (context?.cache) context.cache.maxAge = Math.min(context.cache.maxAge, maxAgeOf(reply.cacheControl));
    try {
      // Parsed per consumer: the planner merges into these objects, so shared fetches must not share them.
      return JSON.parse(reply.body) as GatewayGraphQLResponse;
    } catch {
      if (context?.cache) context.cache.maxAge = 0;
      throw new GraphQLError(`The ${this.name} subgraph answered with something other than GraphQL.`, {
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: this.name },
      });
    }
  }
}
