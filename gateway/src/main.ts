import { createLogger } from '@partnergraph/common';
import { gatewayConfigFromEnv } from './config.js';
import { createGateway } from './createGateway.js';

const logger = createLogger('gateway');
const gateway = await createGateway(gatewayConfigFromEnv(), logger);
await gateway.listen();
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining and stopping');
    void gateway.stop().then(() => process.exit(0));
  });
}
