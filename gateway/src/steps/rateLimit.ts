import { errorAnswer } from '@partnergraph/common';
import type { GatewayMetrics } from '../metrics.js';
import type { Step } from '../pipeline/Step.js';
import type { RateLimiter } from '../RateLimiter.js';

/** Per principal and per organisation, shared by every gateway process: 429 with Retry-After. */
export function rateLimit(limiter: RateLimiter, metrics: GatewayMetrics): Step {
  return {
    name: 'rateLimit',
    async run(exchange, next) {
      const decision = await limiter.check(exchange.principalKey, exchange.identity.principal.organisation);
      if (decision.allowed) return next(exchange);
      const limitedBy = decision.limitedBy ?? 'principal';
      metrics.rateLimited.inc({ limit: limitedBy });
      return errorAnswer(429, 'RATE_LIMITED', `Too many requests for this ${limitedBy}; retry after ${decision.retryAfterSeconds} s.`, {
        'retry-after': String(decision.retryAfterSeconds),
      });
    },
  };
}
