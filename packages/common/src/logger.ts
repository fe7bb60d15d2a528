import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { currentTrace } from './telemetry.js';

/**
 * Structured logs carry no personal data: tokens, bodies and variables are
 * redacted at the source, and callers log ids of requests, not of persons.
 * A line written while serving a request carries that request's `traceId`,
 * so an operator finds its spans (and an auditor its disclosure-log rows).
 */
export function createLogger(name: string, level = process.env['LOG_LEVEL'] ?? 'info', destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    name,
    level,
    base: { service: name },
    mixin: () => {
      const trace = currentTrace();
      return trace ? { traceId: trace.traceId } : {};
    },
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', 'authorization', 'token', 'variables', 'body'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
export type { Logger };
