import type { Session } from '../../web/src/session';

/** What the gateway says about a query's cost (`extensions.cost`), before or after running it. */
export interface Cost {
  total: number;
  budget: number;
  costliest?: { path: string; cost: number };
  withinBudget?: boolean;
}

export interface GraphQLAnswer {
  data?: unknown;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
  extensions?: { cost?: Cost };
}

export interface Request {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/** The signed-in person's headers: the token and the purpose, on every request. */
const headers = (session: Session, purpose: string) => ({
  'content-type': 'application/json',
  accept: 'application/json',
  authorization: `Bearer ${session.token}`,
  'x-purpose': purpose,
});

const body = (request: Request) =>
  JSON.stringify({ query: request.query, ...(request.operationName ? { operationName: request.operationName } : {}), ...(request.variables ? { variables: request.variables } : {}) });

/** POST /graphql. */
export async function run(session: Session, purpose: string, request: Request, signal?: AbortSignal): Promise<GraphQLAnswer> {
  const res = await fetch('/graphql', { method: 'POST', headers: headers(session, purpose), body: body(request), signal: signal ?? null });
  return (await res.json()) as GraphQLAnswer;
}

/** POST /graphql/cost: the verdict without running (the document's errors, its cost and budget). */
export async function costOf(session: Session, purpose: string, request: Request, signal?: AbortSignal): Promise<GraphQLAnswer> {
  const res = await fetch('/graphql/cost', { method: 'POST', headers: headers(session, purpose), body: body(request), signal: signal ?? null });
  return (await res.json()) as GraphQLAnswer;
}
