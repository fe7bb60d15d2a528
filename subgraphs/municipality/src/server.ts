import { createLogger, REDIS_CONNECT_OPTIONS } from '@partnergraph/common';
import { defineSubgraph, type BackgroundWorker, type SubgraphOptions } from '@partnergraph/subgraph-kit';
import { createMunicipalityLoaders } from './data/loaders.js';
import { ensureReferenceData } from './data/referenceData.js';
import { eventsChannel, RedisEventRelay } from './delivery/RedisEventRelay.js';
import { sealStoredWebhookSecrets } from './delivery/secrets.js';
import { delivererSettingsFromEnv, WebhookDeliverer } from './delivery/WebhookDeliverer.js';
import { MUNICIPALITY, municipalityResources } from './policies/resources.js';
import { buildMunicipalitySchema } from './schema.js';

export { buildMunicipalitySchema } from './schema.js';
export { municipalityImportKinds, municipalityImportKinds as importKinds } from './import/index.js';

/**
 * Slagelse Kommune's subgraph: areas, organisations, the initiative register,
 * the agreement's goals, notices of public statements, the bodies' meetings and
 * decisions, and injunctions.
 */
export const municipalitySubgraph = defineSubgraph({
  name: 'municipality',
  // Resolved from src/ or dist/ alike: both sit one level below the package.
  packageDir: new URL('../', import.meta.url),
  ownerOrganisation: MUNICIPALITY,
  buildSchema: buildMunicipalitySchema,
  resources: municipalityResources,
  loaders: (db) => createMunicipalityLoaders(db),
  // Webhook secrets stored before they were encrypted (or under a previous key) are sealed under the current key.
  migrateData: async (db) => {
    const { sealed, unreadable } = await sealStoredWebhookSecrets(db);
    const logger = createLogger('webhook-secrets');
    if (sealed) logger.info({ sealed }, 'webhook secrets sealed under the current key');
    if (unreadable) logger.warn({ unreadable }, 'webhook secrets no configured key opens: those parties must register their webhooks again');
  },
  // The areas, parties, goals and bodies exist in every instance, seeded or not.
  referenceData: ensureReferenceData,
  workers: async (db, env) => {
    const workers: BackgroundWorker[] = [];
    // WEBHOOK_DELIVERER=off where deliverers run as their own processes (dist/deliverWebhooks.js).
    if (env['WEBHOOK_DELIVERER'] !== 'off') workers.push(new WebhookDeliverer(db, delivererSettingsFromEnv(env), createLogger('webhook-deliverer')));
    if (env['REDIS_URL']) {
      const { Redis } = await import('ioredis');
      const redis = new Redis(env['REDIS_URL'], { ...REDIS_CONNECT_OPTIONS, maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
      redis.on('error', () => undefined); // the relay logs its failed rounds and retries
      workers.push(new RedisEventRelay(db, redis, eventsChannel(env['REDIS_PREFIX'] ?? 'partnergraph:'), createLogger('event-relay')));
    }
    return workers;
  },
});

export const createMunicipalityServer = (options: SubgraphOptions) => municipalitySubgraph.create(options);

/** What the owner registry loads from this package (composition, tests, the development launcher). */
export { municipalitySubgraph as subgraph };

export { delivererSettingsFromEnv, WebhookDeliverer, type DelivererSettings } from './delivery/WebhookDeliverer.js';
export { eventsChannel, RedisEventRelay } from './delivery/RedisEventRelay.js';
export { signWebhook, verifyWebhook, WEBHOOK_HEADERS } from './delivery/signature.js';
export { sealStoredWebhookSecrets, webhookKeyringFromEnv } from './delivery/secrets.js';
