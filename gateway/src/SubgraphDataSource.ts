import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayContext } from './context.js';

/** Headers the owners need to decide for themselves: identity, purpose, request and trace ids. */
export const FORWARDED_HEADERS = ['authorization', 'x-purpose', 'x-request-id', 'traceparent', 'tracestate'] as const;

/**
 * Calls one subgraph, forwarding the caller's own token and purpose: each owner
 * verifies them itself, so the gateway never vouches for anyone.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = context.forwardHeaders;
    if (!headers || !request.http) return;
    for (const name of FORWARDED_HEADERS) {
      const value = headers[name];
      if (value) request.http.headers.set(name, value);
    }
  }
}
