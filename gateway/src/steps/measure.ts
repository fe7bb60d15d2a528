import type { GatewayMetrics } from '../metrics.js';
import type { Step } from '../pipeline/Step.js';

/** Counts each GraphQL request by status and times it, whatever later steps answer. */
export function measure(metrics: GatewayMetrics): Step {
  return {
    name: 'measure',
    async run(exchange, next) {
      const stop = metrics.latency.startTimer();
      try {
        const answer = await next(exchange);
        metrics.requests.inc({ status: String(answer.status), operation: 'graphql' });
        return answer;
      } catch (error) {
        metrics.requests.inc({ status: '500', operation: 'graphql' });
        throw error;
      } finally {
        stop();
      }
    },
  };
}
