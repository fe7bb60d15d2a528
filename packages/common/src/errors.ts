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
  ...Object.values(ErrorCode),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'DOWNSTREAM_SERVICE_ERROR',
]);

/**
 * Apollo's formatError for gateway and subgraphs alike: known codes pass
 * (without internals), anything else becomes a generic error, so no stack,
 * SQL or data ever reaches a client.
 */
export function maskError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = formatted.extensions?.['code'];
  if (typeof code === 'string' && PASS_THROUGH_CODES.has(code)) {
    const { stacktrace: _s, exception: _e, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
    return { ...formatted, extensions };
  }
  return { message: 'Internal error.', ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: ErrorCode.INTERNAL } };
}
