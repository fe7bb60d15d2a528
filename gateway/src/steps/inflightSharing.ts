import { Inflight } from '../Inflight.js';
import type { GatewayMetrics } from '../metrics.js';
import type { GatewayAnswer, Step } from '../pipeline/Step.js';

/**
 * Identical queries of the same principal in flight at once share one
 * execution, when its answer is one the owners marked non-personal: a
 * disclosure is logged by its owner per delivery, so each request that would
 * receive personal data executes (and is logged) on its own. Never mutations.
 */
export function inflightSharing(metrics: GatewayMetrics): Step {
  const inflight = new Inflight<GatewayAnswer>((answer) => answer.cacheability !== undefined && !answer.cacheability.personal);
  const onShared = () => metrics.dedup.inc({ kind: 'inbound' });
  return {
    name: 'inflightSharing',
    run(exchange, next) {
      if (exchange.kind === 'mutation') return next(exchange);
      // Same scope and same principal: the owners' logs name who asked, so no one else rides along.
      return inflight.run(`${exchange.requestKey}\u0000${exchange.scope}\u0000${exchange.principalKey}`, () => next(exchange), onShared);
    },
  };
}
