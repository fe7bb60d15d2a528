import { randomUUID } from 'node:crypto';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/**
 * Error codes a client can act on. Messages are fixed strings: they never carry
 * data, stack traces or whether a hidden record exists.
 */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  PURPOSE_REQUIRED: 'PURPOSE_REQUIRED',
  PURPOSE_NOT_ALLOWED: 'PURPOSE_NOT_ALLOWED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  AUDIT_UNAVAILABLE: 'AUDIT_UNAVAILABLE',
  /** An owner (or its database) cannot answer now; another attempt later may succeed. */
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  /** Too many requests for this principal or organisation; `Retry-After` says when to try again. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The query costs more than the principal's budget (analysts' ad-hoc budget); the message names the costliest part. */
  COST_LIMIT: 'COST_LIMIT',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export function graphqlError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

export const unauthenticated = (reason = 'A valid bearer token is required.') =>
  graphqlError(ErrorCode.UNAUTHENTICATED, reason, { http: { status: 401 } });

export const forbidden = () => graphqlError(ErrorCode.FORBIDDEN, 'Not permitted for this principal and purpose.');

export const badInput = (message: string, field?: string) =>
  graphqlError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});

/** Used for unknown ids in mutations: same message whether absent or hidden. */
export const notFound = (what: string) => graphqlError(ErrorCode.NOT_FOUND, `${what} not found or not accessible.`);

/** Codes produced on purpose (ours and the GraphQL machinery's); anything else is masked. */
const PASS_THROUGH_CODES = new Set<string>([
  ...Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  // Not DOWNSTREAM_SERVICE_ERROR: the gateway gives it to a subgraph error that has no code, with the subgraph's own text.
]);

/** The one message every unexpected failure gets; the correlation id finds its details in the server log. */
export const INTERNAL_MESSAGE = 'Internal error.';
const CORRELATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Where masked details go: the service's own log (pino's `error` fits). */
export interface ErrorLog {
  error(details: Record<string, unknown>, message: string): void;
}

/** An error's name, message and stack, for the server log only. */
export function describeError(error: unknown): Record<string, unknown> | string {
  return error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error);
}

/** A generic failure as a caller sees it, and the details as only the log does, under one new correlation id. */
export function internalError(log: ErrorLog, error: unknown, where: Record<string, unknown> = {}): { message: string; extensions: { code: string; correlationId: string } } {
  const correlationId = randomUUID();
  const cause = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  log.error(
    {
      correlationId,
      ...where,
      err: describeError(cause),
    },
    'unexpected error; the caller got only its correlation id',
  );
  return { message: INTERNAL_MESSAGE, extensions: { code: ErrorCode.INTERNAL, correlationId } };
}

/**
 * Apollo's formatError for gateway and subgraphs alike: errors produced on
 * purpose pass (without internals); anything else, INTERNAL_SERVER_ERROR
 * included, becomes one generic message with a correlation id, its details
 * logged under that id. So no message of a library, the database or the
 * runtime, no stack and no data reaches a caller. An error that is already
 * generic (a subgraph's, seen by the gateway) keeps its id.
 */
export function errorMasker(log: ErrorLog) {
  return (formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.['code'];
    const path = formatted.path ? { path: formatted.path } : {};
    if (typeof code === 'string' && PASS_THROUGH_CODES.has(code)) {
      const { stacktrace: _s, exception: _e, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
      return { ...formatted, extensions };
    }
    const id = formatted.extensions?.['correlationId'];
    if (code === ErrorCode.INTERNAL && formatted.message === INTERNAL_MESSAGE && typeof id === 'string' && CORRELATION_ID.test(id)) {
      return { message: INTERNAL_MESSAGE, ...path, extensions: { code: ErrorCode.INTERNAL, correlationId: id } };
    }
    return { ...internalError(log, error ?? formatted.message, { ...path, code }), ...path };
  };
}
