import { errorAnswer } from '@partnergraph/common';
import type { Step } from '../pipeline/Step.js';
import { OperationError, type PersistedOperations, type PersistedQueryExtension } from '../PersistedOperations.js';

/**
 * The query text to run: sent, or found by its hash (automatic persisted
 * queries, shared by every gateway process); under the safelist, only
 * registered operations, except analysts' ad-hoc queries.
 */
export function persistedOperation(persisted: PersistedOperations): Step {
  return {
    name: 'persistedOperation',
    async run(exchange, next) {
      const { request, identity } = exchange;
      let extension: PersistedQueryExtension | undefined;
      if (request.extensions) {
        const { persistedQuery, ...others } = request.extensions;
        extension = persistedQuery as PersistedQueryExtension | undefined;
        exchange.extensions = others;
      }
      try {
        const resolved = await persisted.resolve(request.query, extension, {
          organisation: identity.principal.organisation,
          mayRunAdHoc: identity.principal.roles.includes('analyst'),
        });
        exchange.query = resolved.query;
        exchange.registered = resolved.registered;
      } catch (error) {
        if (error instanceof OperationError) return errorAnswer(error.status, error.code, error.message);
        throw error;
      }
      return next(exchange);
    },
  };
}
