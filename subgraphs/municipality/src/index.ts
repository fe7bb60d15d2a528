import { createLogger } from '@partnergraph/common';
import { serveSubgraph, type BackgroundWorker } from '@partnergraph/subgraph-kit';
import { worldFromEnv } from '@partnergraph/synthetic';
import { seedMunicipality } from './data/seed.js';
import { delivererSettingsFromEnv, WebhookDeliverer } from './delivery/WebhookDeliverer.js';
import { eventsChannel, RedisEventRelay } from './delivery/RedisEventRelay.js';
import { createMunicipalityServer } from './server.js';

await serveSubgraph({
  name: 'municipality',
  defaultPort: 4002,
  create: createMunicipalityServer,
  seed: (db) => seedMunicipality(db, worldFromEnv()),
  workers: async (db, env) => {
    const workers: BackgroundWorker[] = [];
    // WEBHOOK_DELIVERER=off where deliverers run as their own processes (dist/deliverWebhooks.js).
    if (env['WEBHOOK_DELIVERER'] !== 'off') workers.push(new WebhookDeliverer(db, delivererSettingsFromEnv(env), createLogger('webhook-deliverer')));
    if (env['REDIS_URL']) {
      const { Redis } = await import('ioredis');
      const redis = new Redis(env['REDIS_URL'], { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
      redis.on('error', () => undefined); // the relay logs its failed rounds and retries
      workers.push(new RedisEventRelay(db, redis, eventsChannel(env['REDIS_PREFIX'] ?? 'partnergraph:'), createLogger('event-relay')));
    }
    return workers;
  },
});
