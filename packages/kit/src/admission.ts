import {
  analystCostVerdict,
  DEFAULT_LIMITS,
  DEFAULT_STREAMS_PER_PRINCIPAL,
  documentCosts,
  DEFAULT_RATE_LIMIT,
  errorAnswer,
  type Answer,
  type GraphQLRequestBody,
  type OperationLimits,
  type RateLimit,
  RateLimiter,
  rateLimitedAnswer,
  type RateLimitLink,
  StreamLimiter,
  streamsRefusedAnswer,
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
  /** Subscriptions open at once per principal at `/graphql/stream`, every process of this owner together once shared (default DEFAULT_STREAMS_PER_PRINCIPAL; 0: unbounded). */
  streamsPerPrincipal?: number | undefined;
  /** Called with the limit that refused a direct caller: `principal`, `organisation` or `streams`. */
  onRefusal?: ((limit: string) => void) | undefined;
}

/** A stream admitted (its slot freed by `release` when it ends), or the refusal to answer instead. */
export type StreamAdmission = { refusal: Answer } | { release: () => void };

export interface DirectCallerAdmission {
  /** Before a query or mutation executes: the rate limits and the analysts' cost budget. */
  admit(request: GraphQLRequestBody, context: SubgraphContext): Promise<Answer | undefined>;
  /** Before a subscription starts: opening counts against the rate limits, and open streams per principal are bounded. */
  admitStream(context: SubgraphContext): Promise<StreamAdmission>;
  /**
   * Counts requests and open streams in Redis from now on, shared by every
   * process of this owner (under `prefix`); in this process while the link is down.
   */
  shareThrough(link: RateLimitLink, prefix: string, onFallback?: () => void): void;
}

/**
 * What a caller who bypasses the gateway meets at a subgraph before anything
 * executes: the gateway's own rate limits and the analysts' cost budget, from
 * the one place both read them. Requests that prove they came through the
 * gateway (or from a peer owner, for a request admitted there) were counted
 * and budgeted there and are not counted again.
 */
export function directCallerAdmission(options: AdmissionOptions): DirectCallerAdmission {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const rateLimit = options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit;
  let limiter = rateLimit ? new RateLimiter(rateLimit) : undefined;
  const streamsPerPrincipal = options.streamsPerPrincipal ?? DEFAULT_STREAMS_PER_PRINCIPAL;
  let streams = new StreamLimiter({ perPrincipal: streamsPerPrincipal });
  const principalKey = ({ identity: { principal } }: SubgraphContext) => `${principal.issuer}#${principal.subject}`;
  const rateRefusal = async (context: SubgraphContext): Promise<Answer | undefined> => {
    if (!limiter) return undefined;
    const decision = await limiter.check(principalKey(context), context.identity.principal.organisation);
    if (decision.allowed) return undefined;
    options.onRefusal?.(decision.limitedBy ?? 'principal');
    return rateLimitedAnswer(decision);
  };
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

  return {
    async admit(request, context) {
      if (context.viaGateway) return undefined;
      const refusal = await rateRefusal(context);
      if (refusal) return refusal;
      if (context.identity.principal.roles.includes('analyst') && typeof request.query === 'string') {
        const verdict = analystVerdict(request.query, request.operationName);
        if (verdict) return errorAnswer(400, 'COST_LIMIT', verdict);
      }
      return undefined;
    },
    async admitStream(context) {
      // The gateway's own streams carry many subscribers' events; it bounds its callers itself.
      if (context.viaGateway) return { release: () => undefined };
      const refusal = await rateRefusal(context);
      if (refusal) return { refusal };
      const lease = await streams.acquire(principalKey(context));
      if (lease) return lease;
      options.onRefusal?.('streams');
      return { refusal: streamsRefusedAnswer(streamsPerPrincipal) };
    },
    shareThrough(link, prefix, onFallback) {
      streams = new StreamLimiter({ perPrincipal: streamsPerPrincipal, link, prefix: `${prefix}streams:` });
      streams.onFallback = onFallback;
      if (!rateLimit) return;
      limiter = new RateLimiter(rateLimit, link, prefix);
      limiter.onFallback = onFallback;
    },
  };
}
