import { errorAnswer } from '@partnergraph/common';
import type { Documents } from '../Documents.js';
import type { Step } from '../pipeline/Step.js';

/** Analysts' ad-hoc (unregistered) queries get a smaller cost budget than the apps' saved operations. */
export function analystBudget(documents: Documents): Step {
  return {
    name: 'analystBudget',
    async run(exchange, next) {
      if (!exchange.registered && exchange.identity.principal.roles.includes('analyst')) {
        const verdict = documents.analystVerdict(exchange.operation);
        if (verdict) return errorAnswer(400, 'COST_LIMIT', verdict);
      }
      return next(exchange);
    },
  };
}
