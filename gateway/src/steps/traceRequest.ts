import { inRequest } from '@partnergraph/common';
import type { Step } from '../pipeline/Step.js';

/**
 * Serves the request in its trace: the caller's `traceparent` continues (or a
 * new trace starts), log lines carry the trace id, and with tracing on a server
 * span covers the whole path, Apollo Gateway's plan and fetch spans below it.
 * The span names the operation (its type and the client's operation name),
 * never its variables.
 */
export function traceRequest(): Step {
  return {
    name: 'traceRequest',
    run(exchange, next) {
      return inRequest('POST /graphql', exchange.inbound.header('traceparent'), { 'http.request.method': 'POST', 'http.route': '/graphql' }, async (span, trace) => {
        exchange.trace = trace;
        const answer = await next(exchange);
        const operationName = exchange.request?.operationName ?? exchange.operation?.soleName;
        span.setAttributes({
          'http.response.status_code': answer.status,
          ...(exchange.kind ? { 'graphql.operation.type': exchange.kind } : {}),
          ...(operationName ? { 'graphql.operation.name': operationName } : {}),
        });
        if (answer.status >= 500) span.fail(String(answer.status));
        return answer;
      });
    },
  };
}
