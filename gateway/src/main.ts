import cluster from 'node:cluster';
import { createLogger, startTelemetry, stopTelemetry } from '@partnergraph/common';
import { gatewayConfigFromEnv } from './config.js';
import { createGateway } from './createGateway.js';

/**
 * The gateway process. GATEWAY_WORKERS=n runs n stateless workers behind one
 * port (node:cluster); they share Redis for persisted queries, rate limits and
 * the answer cache, as separate gateway hosts would.
 *
 * SIGHUP reloads the supergraph (the primary passes it to every worker); each
 * process also watches the supergraph file, and polls SUPERGRAPH_URL when set.
 */
const logger = createLogger('gateway');
const workers = Number(process.env['GATEWAY_WORKERS'] ?? 1);

if (workers > 1 && cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  let stopping = false;
  cluster.on('exit', (worker, code) => {
    if (!stopping) {
      logger.error({ worker: worker.id, code }, 'gateway worker died; starting another');
      cluster.fork();
    }
  });
  // Without a handler SIGHUP would end the primary: here it reloads every worker's supergraph.
  process.on('SIGHUP', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGHUP');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
      const done = () => Object.keys(cluster.workers ?? {}).length === 0 && process.exit(0);
      cluster.on('exit', done);
      done();
    });
  }
} else {
  // Traces are exported only when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise nothing of OpenTelemetry is loaded.
  if (await startTelemetry('gateway')) logger.info('exporting traces over OTLP/HTTP');
  const gateway = await createGateway(gatewayConfigFromEnv(), logger);
  await gateway.listen();
  process.on('SIGHUP', () => void gateway.reloadSupergraph('signal'));
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'draining and stopping');
      void gateway
        .stop()
        .then(() => stopTelemetry())
        .then(() => process.exit(0));
    });
  }
}
