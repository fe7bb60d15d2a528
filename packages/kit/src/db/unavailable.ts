/**
 * The database could not be reached, or stopped answering, or dropped the
 * connection (failover, restart, `pg_terminate_backend`, a cut or hung link).
 * Not the caller's fault and not a bug: the request fails as "this owner is
 * unavailable" (503, `SUBGRAPH_UNAVAILABLE`) and the next one may succeed.
 * `extensions` is what GraphQL copies onto the field's error; the message is
 * fixed, the driver's own stays in `cause` for the owner's log.
 */
export class DatabaseUnavailable extends Error {
  readonly extensions = { code: 'SUBGRAPH_UNAVAILABLE', http: { status: 503 } };

  constructor(cause: unknown) {
    super("The owner's database is unavailable; try again shortly.", { cause });
    this.name = 'DatabaseUnavailable';
  }
}

/** SQLSTATEs of a lost or refused server: connection exceptions, shutdowns and terminations, no slots. */
const LOST_STATES = /^(08...|57P0[1-4]|53300|25P03)$/;
/** Socket errors of a link that is down. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** The pg driver's own words for a connection it lost, never had, or gave up waiting on. */
const DRIVER_MESSAGES = /Connection terminated|Query read timeout|timeout exceeded when trying to connect|Connection terminated due to connection timeout|not queryable|Cannot use a pool after calling end/;

/** Whether `error` says the database is out of reach rather than that the statement was wrong. */
export function isConnectionFailure(error: unknown): boolean {
  if (error instanceof DatabaseUnavailable) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (LOST_STATES.test(code) || SOCKET_CODES.has(code))) return true;
  if (error instanceof AggregateError && error.errors.some(isConnectionFailure)) return true;
  return DRIVER_MESSAGES.test(error.message);
}

