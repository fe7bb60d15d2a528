import { HttpError, readGraphQLRequest, type RequestLimits } from '@partnergraph/common';
import type { Step } from '../pipeline/Step.js';

/**
 * Reads the body: POST with JSON, bounded, one operation, fields of the right
 * types, variables no deeper than the limit (the front door's shared reader):
 * 405, 415, 413 or 400 otherwise.
 */
export function readRequest(limits: RequestLimits): Step {
  return {
    name: 'readRequest',
    async run(exchange, next) {
      try {
        exchange.request = await readGraphQLRequest(exchange.inbound, limits);
      } catch (error) {
        if (error instanceof HttpError) return error.answer();
        throw error;
      }
      return next(exchange);
    },
  };
}
