import { pino, type Logger } from 'pino';

/**
 * Structured logs carry no personal data: tokens, bodies and variables are
 * redacted at the source, and callers log ids of requests, not of persons.
 */
export function createLogger(name: string, level = process.env['LOG_LEVEL'] ?? 'info'): Logger {
  return pino({
    name,
    level,
    base: { service: name },
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', 'authorization', 'token', 'variables', 'body'],
      censor: '[redacted]',
    },
  });
}
export type { Logger };
