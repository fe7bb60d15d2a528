import { ErrorCode, graphqlError, unauthenticated } from './errors.js';
import type { RequestIdentity } from './principal.js';
import { isPurpose, PURPOSE_HEADER, PURPOSES } from '@partnergraph/vocabulary';
import { TokenError, type TokenVerifier } from './tokens.js';

export type HeaderGetter = (name: string) => string | undefined | null;

/**
 * Verifies the bearer token and the purpose the request invokes.
 * Throws a GraphQL error with a fixed message: the reason is for the log, not the caller.
 */
export async function resolveIdentity(
  getHeader: HeaderGetter,
  verifier: TokenVerifier,
  onRejected?: (reason: string) => void,
): Promise<RequestIdentity> {
  let principal;
  try {
    principal = await verifier.verify(getHeader('authorization'));
  } catch (error) {
    onRejected?.(error instanceof TokenError ? error.message : 'token rejected');
    throw unauthenticated();
  }
  const purpose = getHeader(PURPOSE_HEADER)?.trim();
  if (!purpose) {
    throw graphqlError(ErrorCode.PURPOSE_REQUIRED, `Name the purpose of this request in the ${PURPOSE_HEADER} header.`, {
      allowed: principal.purposes,
    });
  }
  if (!isPurpose(purpose)) {
    throw graphqlError(ErrorCode.PURPOSE_NOT_ALLOWED, `Unknown purpose. Use one of: ${PURPOSES.join(', ')}.`);
  }
  if (!principal.purposes.includes(purpose)) {
    throw graphqlError(ErrorCode.PURPOSE_NOT_ALLOWED, 'This principal may not use that purpose.', {
      allowed: principal.purposes,
    });
  }
  return { principal, purpose };
}
