import {
  analystCostVerdict,
  DEFAULT_LIMITS,
  documentCosts,
  DEFAULT_RATE_LIMIT,
  errorAnswer,
  type Answer,
  type GraphQLRequestBody,
  type OperationLimits,
  type RateLimit,
  RateLimiter,
  rateLimitedAnswer,
} from '@partnergraph/common';
import { parse } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { SubgraphContext } from './context.js';

export interface AdmissionOptions {
  /** The gateway's per-principal and per-organisation limits; `false` turns them off (benchmarks only). */
  rateLimit?: RateLimit | false | undefined;
  /** The gateway's operation limits: the analysts' cost budget is read from them (counted by the gateway's own cost rule). */
  limits?: OperationLimits | undefined;
  /** Parser token limit of this subgraph. */
  maxTokens: number;
}

/**
 * What a caller who bypasses the gateway meets at a subgraph before anything
 * executes: the gateway's own rate limits and the analysts' cost budget, from
 * the one place both read them. Requests that prove they came through the
 * gateway (or from a peer owner, for a request admitted there) were counted
 * and budgeted there and are not counted again.
 */
export function directCallerAdmission(options: AdmissionOptions) {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const rateLimit = options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit;
  const limiter = rateLimit ? new RateLimiter(rateLimit) : undefined;
  // Costs per query text: an analyst's dashboard sends the same texts again and again.
  const costs = new LRUCache<string, ReturnType<typeof documentCosts>>({ max: 2000 });

  const analystVerdict = (query: string, operationName: string | undefined): string | null => {
    let known = costs.get(query);
    if (!known) {
      try {
        known = documentCosts(parse(query, { maxTokens: options.maxTokens }));
      } catch {
        // Unparsable: Apollo reports the syntax error itself.
        known = new Map();
      }
      costs.set(query, known);
    }
    const cost = known.get(operationName);
    return cost ? analystCostVerdict(cost, limits.analystMaxCost) : null;
  };

  return async (request: GraphQLRequestBody, context: SubgraphContext): Promise<Answer | undefined> => {
    if (context.viaGateway) return undefined;
    const { principal } = context.identity;
    if (limiter) {
      const decision = await limiter.check(`${principal.issuer}#${principal.subject}`, principal.organisation);
      if (!decision.allowed) return rateLimitedAnswer(decision);
    }
    if (principal.roles.includes('analyst') && typeof request.query === 'string') {
      const verdict = analystVerdict(request.query, request.operationName);
      if (verdict) return errorAnswer(400, 'COST_LIMIT', verdict);
    }
    return undefined;
  };
}
