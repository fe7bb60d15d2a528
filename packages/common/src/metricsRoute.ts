import { createHash, timingSafeEqual } from 'node:crypto';
import { errorAnswer, type Answer, type Inbound } from './httpServer.js';

export interface MetricsAccess {
  /** The scraper's bearer token (METRICS_TOKEN): required on every `/metrics` request when set. */
  token?: string | undefined;
  /** Development: served to anyone when no token is set. */
  development: boolean;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * `/metrics` is not for the world: request counts, latencies and subgraph
 * health describe who uses the system and how. With a token set, only a
 * scraper sending it as a bearer token is served (compared in constant time);
 * without one, development serves anyone and production serves no one.
 */
export function metricsRoute(render: () => Promise<{ contentType: string; body: string }>, access: MetricsAccess) {
  const expected = access.token ? digest(`Bearer ${access.token}`) : undefined;
  return async (inbound: Inbound): Promise<Answer> => {
    if (expected) {
      const sent = inbound.header('authorization');
      if (typeof sent !== 'string' || !timingSafeEqual(digest(sent.trim()), expected)) {
        return errorAnswer(401, 'UNAUTHENTICATED', 'Metrics need the scraper token.', { 'www-authenticate': 'Bearer' });
      }
    } else if (!access.development) {
      return errorAnswer(404, 'NOT_FOUND', 'Metrics are served only with METRICS_TOKEN set.');
    }
    const { contentType, body } = await render();
    return { status: 200, headers: { 'content-type': contentType, 'cache-control': 'no-store' }, body };
  };
}
