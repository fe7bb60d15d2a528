import { rateLimitedAnswer, type RateLimiter } from '@partnergraph/common';
import type { GatewayMetrics } from '../metrics.js';
import type { Step } from '../pipeline/Step.js';

/** Per principal and per organisation, shared by every gateway process: 429 with Retry-After. */
export function rateLimit(limiter: RateLimiter, metrics: GatewayMetrics): Step {
  return {
    name: 'rateLimit',
    async run(exchange, next) {
      const decision = await limiter.check(exchange.principalKey, exchange.identity.principal.organisation);
      if (decision.allowed) return next(exchange);
      metrics.rateLimited.inc({ limit: decision.limitedBy ?? 'principal' });
      return rateLimitedAnswer(decision);
    },
  };
}
