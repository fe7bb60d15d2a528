import { jsonAnswer, type Answer } from '@partnergraph/common';
import type { CostReport } from '@partnergraph/common';
import type { Documents } from '../Documents.js';
import type { Exchange, Step } from '../pipeline/Step.js';

/**
 * The request's cost and the budget it is held to: analysts' ad-hoc
 * (unregistered) queries get a smaller one than the apps' saved operations.
 * Decided on the counted cost against the number; the refusal names the
 * costliest part.
 */
export function budgetOf(documents: Documents, exchange: Exchange): { report: CostReport; refusal: Answer | undefined } {
  const analyst = !exchange.registered && exchange.identity.principal.roles.includes('analyst');
  const cost = exchange.operation.costOf(exchange.request.operationName);
  const report: CostReport = { ...cost, budget: analyst ? documents.analystMaxCost : documents.maxCost };
  const verdict = analyst ? documents.analystVerdict(exchange.operation, exchange.request.operationName) : null;
  const refusal = verdict ? jsonAnswer(400, { errors: [{ message: verdict, extensions: { code: 'COST_LIMIT', cost: report } }], extensions: { cost: report } }) : undefined;
  return { report, refusal };
}

/** Holds the request to its budget; every later answer carries the cost in `extensions.cost`. */
export function analystBudget(documents: Documents): Step {
  return {
    name: 'analystBudget',
    async run(exchange, next) {
      const { report, refusal } = budgetOf(documents, exchange);
      exchange.cost = report;
      return refusal ?? next(exchange);
    },
  };
}
