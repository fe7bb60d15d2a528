import { inRequest, traceResponse } from '@partnergraph/common';
import type { Step } from '../pipeline/Step.js';

/**
 * Serves the request in its own trace: the gateway is the public edge, so a
 * new trace starts (the caller's `traceparent` becomes a span link, never the
 * trace the owners' disclosure logs record) and the answer says which in
 * `traceresponse`. Log lines carry the trace id, and with tracing on a server
 * span covers the whole path, Apollo Gateway's plan and fetch spans below it.
 * The span names the operation (its type and the client's operation name),
 * never its variables.
 */
export function traceRequest(): Step {
  return {
    name: 'traceRequest',
    run(exchange, next) {
      const incoming = { traceparent: exchange.inbound.header('traceparent'), trusted: false };
      return inRequest('POST /graphql', incoming, { 'http.request.method': 'POST', 'http.route': '/graphql' }, async (span, trace) => {
        exchange.trace = trace;
        const answer = await next(exchange);
        const operationName = exchange.request?.operationName ?? exchange.operation?.soleName;
        span.setAttributes({
          'http.response.status_code': answer.status,
          ...(exchange.kind ? { 'graphql.operation.type': exchange.kind } : {}),
          ...(operationName ? { 'graphql.operation.name': operationName } : {}),
        });
        if (answer.status >= 500) span.fail(String(answer.status));
        // A copy: an answer can be shared by requests in flight together, each in its own trace.
        return { ...answer, headers: { ...answer.headers, traceresponse: traceResponse(trace) } };
      });
    },
  };
}
