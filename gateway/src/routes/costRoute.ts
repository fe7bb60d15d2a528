import { jsonAnswer, type Answer, type Inbound, type Route } from '@partnergraph/common';
import type { Documents } from '../Documents.js';
import { Exchange, pipeline, type Step } from '../pipeline/Step.js';
import { budgetOf } from '../steps/analystBudget.js';
import { parseAndValidate } from '../steps/parseAndValidate.js';

/** A refusal of the document (not of the request) as the check's 200 answer: the check itself succeeded. */
const asVerdict = (answer: Answer): Answer => ({ ...answer, status: 200, headers: { ...answer.headers, 'cache-control': 'no-store' } });

/**
 * `POST /graphql/cost`: validation only, what the workbench asks as you type.
 * The same front steps as `/graphql` (body, token, rate limit, persisted
 * operation), then the document's verdict instead of execution: its cost and
 * budget in `extensions.cost`, with the errors a run would answer (invalid,
 * over the budget) and `withinBudget`. Request faults (no token, bad body)
 * answer as at `/graphql`; the document's own answer 200.
 */
export function costRoute(front: readonly Step[], documents: Documents): Route {
  const validating = parseAndValidate(documents);
  const run = pipeline(front, async (exchange) => {
    const validated = await validating.run(exchange, async (valid) => {
      const { report, refusal } = budgetOf(documents, valid);
      return refusal ?? jsonAnswer(200, { extensions: { cost: { ...report, withinBudget: true } } });
    });
    if (validated.status !== 400) return { ...validated, headers: { ...validated.headers, 'cache-control': 'no-store' } };
    const body = JSON.parse(validated.body) as { errors?: unknown[]; extensions?: { cost?: object } };
    return asVerdict(jsonAnswer(400, { ...body, extensions: { cost: body.extensions?.cost ? { ...body.extensions.cost, withinBudget: false } : null } }));
  });
  return (inbound: Inbound) => run(new Exchange(inbound));
}
