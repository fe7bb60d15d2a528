import { errorAnswer } from '@partnergraph/common';
import type { Documents } from '../Documents.js';
import type { Step } from '../pipeline/Step.js';

/**
 * Parses and validates the document once per distinct text (token, depth,
 * alias, directive and cost limits included) and selects the operation:
 * a text that does not parse or validate is a client error (400).
 */
export function parseAndValidate(documents: Documents, serves: 'queries and mutations' | 'subscriptions' = 'queries and mutations'): Step {
  return {
    name: 'parseAndValidate',
    async run(exchange, next) {
      const operation = documents.get(exchange.query);
      if (operation.refusal) return operation.refusal;
      const name = exchange.request.operationName;
      const kind = operation.kindOf(name);
      if (kind === undefined) {
        const message = name === undefined ? 'The document has several operations: name the one to run in operationName.' : `No operation named "${name}" in the document.`;
        return errorAnswer(400, 'OPERATION_RESOLUTION_FAILURE', message);
      }
      // Subscriptions are served over server-sent events at /graphql/stream, queries and mutations at /graphql.
      if ((kind === 'subscription') !== (serves === 'subscriptions')) {
        return errorAnswer(400, 'BAD_REQUEST', kind === 'subscription' ? 'Send subscriptions to /graphql/stream (server-sent events).' : 'Only subscriptions are served here; send queries and mutations to /graphql.');
      }
      exchange.operation = operation;
      exchange.kind = kind;
      return next(exchange);
    },
  };
}
