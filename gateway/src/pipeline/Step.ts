import type { Answer, Cacheability, CostReport, GraphQLRequestBody, Inbound, RequestIdentity, TraceContext } from '@partnergraph/common';
import { sha256, type ParsedOperation } from '../Documents.js';

/** An answer of the request path, with what execution learnt about it. */
export interface GatewayAnswer extends Answer {
  /** The owners' statement on reuse, combined over every subgraph answer (executed answers only). */
  cacheability?: Cacheability;
  /** Owners whose data the answer holds (bits of `Owners`). */
  owners?: number;
  /** Owners a mutation of this request changed (bits of `Owners`). */
  changed?: number;
}

/**
 * One GraphQL request on its way through the steps. Each step reads what the
 * steps before it set (documented per field) and adds its own; nothing is
 * passed as an internal header.
 */
export class Exchange {
  /** traceRequest: the request's trace (the caller's continued, or a new one). */
  trace: TraceContext | undefined;
  /** readRequest: the checked request body. */
  request!: GraphQLRequestBody;
  /** identify: the verified principal and the purpose it invoked. */
  identity!: RequestIdentity;
  /** identify: issuer#subject, for rate limits and in-flight sharing. */
  principalKey!: string;
  /** identify: what decides access (organisation, roles, purpose, areas), hashed: equal scopes, equal keys. */
  scope!: string;
  /** persistedOperation: the query text to run. */
  query!: string;
  /** persistedOperation: a registered (saved) operation of the partnership's apps. */
  registered = false;
  /** persistedOperation: extensions for Apollo, without the persisted-query one. */
  extensions: Record<string, unknown> | undefined;
  /** parseAndValidate: the parsed and validated document, shared by every request with this text. */
  operation!: ParsedOperation;
  /** parseAndValidate: the kind of operation this request runs. */
  kind!: 'query' | 'mutation' | 'subscription';
  /** analystBudget: the operation's cost and the budget it is held to (`extensions.cost` of the answer). */
  cost: CostReport | undefined;

  private key: string | undefined;

  constructor(readonly inbound: Inbound) {}

  /** What makes two requests ask the same thing: the text, the operation and the variables (after parseAndValidate). */
  get requestKey(): string {
    if (this.key === undefined) {
      const { operationName, variables } = this.request;
      const base = `${this.operation.hash}:${operationName ?? ''}`;
      this.key = variables ? sha256(`${base}:${JSON.stringify(variables)}`) : base;
    }
    return this.key;
  }
}

export type Next = (exchange: Exchange) => Promise<GatewayAnswer>;

/**
 * One step of the request path, with one job. It answers by itself (a refusal,
 * a cached answer) or hands the exchange on with `next`, and may look at what
 * comes back.
 */
export interface Step {
  readonly name: string;
  run(exchange: Exchange, next: Next): Promise<GatewayAnswer>;
}

/** The steps in order, ending in `last`: composed once, so a request allocates no closures to pass along. */
export function pipeline(steps: readonly Step[], last: Next): Next {
  return steps.reduceRight<Next>((next, step) => (exchange) => step.run(exchange, next), last);
}
