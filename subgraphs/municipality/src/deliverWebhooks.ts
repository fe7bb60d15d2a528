import { createLogger } from '@partnergraph/common';
import { databaseSettingsFromEnv, migrate, openDatabase } from '@partnergraph/subgraph-kit';
import { delivererSettingsFromEnv, WebhookDeliverer } from './delivery/WebhookDeliverer.js';
import { municipalitySubgraph } from './server.js';

/**
 * A webhook deliverer as a process of its own, beside the municipality's
 * subgraph (which then runs with WEBHOOK_DELIVERER=off), on the same
 * PostgreSQL (MUNICIPALITY_DATABASE_URL). Any number may run: they claim
 * deliveries, never the same attempt twice. SIGTERM lets sent attempts finish.
 */
const logger = createLogger('webhook-deliverer');
const url = process.env['MUNICIPALITY_DATABASE_URL'];
if (!url) {
  console.error('MUNICIPALITY_DATABASE_URL is required: a separate deliverer shares the subgraph\'s PostgreSQL (the embedded database has one user, the subgraph, which delivers itself).');
  process.exit(2);
}
const db = await openDatabase({ url, dataDir: undefined, applicationName: 'partnergraph-webhook-deliverer', ...databaseSettingsFromEnv() });
await migrate(db, municipalitySubgraph.migrations());
const deliverer = new WebhookDeliverer(db, delivererSettingsFromEnv(), logger);
deliverer.start();
logger.info('webhook deliverer running');
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void deliverer
      .stop()
      .then(() => db.close())
      .then(() => process.exit(0));
  });
}
