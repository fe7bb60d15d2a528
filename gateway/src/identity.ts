import { resolveIdentity, TokenVerifier, type RequestIdentity, type TrustConfig } from '@partnergraph/common';

/**
 * How the gateway learns who asks. `jwt` (always, in production): a bearer
 * token from a trusted issuer and a purpose. `test-principal`: for running
 * foreign supergraphs in conformance harnesses that send no credentials; every
 * request is a fixed, powerless test principal. It must be asked for twice
 * (GATEWAY_AUTH=test-principal and GATEWAY_ALLOW_TEST_PRINCIPAL=yes), it is
 * refused when NODE_ENV=production, and it says so loudly at start.
 */
export type AuthMode = 'jwt' | 'test-principal';

export const TEST_PRINCIPAL: RequestIdentity = {
  principal: {
    subject: 'test-principal',
    issuer: 'partnergraph-test-mode',
    organisation: 'test-harness',
    roles: ['analyst'],
    purposes: ['STATISTICS'],
    areas: [],
  },
  purpose: 'STATISTICS',
};

export function assertAuthModeAllowed(mode: AuthMode, env: NodeJS.ProcessEnv): void {
  if (mode === 'jwt') return;
  if (env['GATEWAY_ALLOW_TEST_PRINCIPAL'] !== 'yes') {
    throw new Error('GATEWAY_AUTH=test-principal also needs GATEWAY_ALLOW_TEST_PRINCIPAL=yes: it turns token checks off.');
  }
  if (env['NODE_ENV'] === 'production') throw new Error('GATEWAY_AUTH=test-principal is refused when NODE_ENV=production.');
}

export type IdentityResolver = (getHeader: (name: string) => string | undefined) => Promise<RequestIdentity>;

export function identityResolver(mode: AuthMode, trust: TrustConfig | undefined, onRejected: (reason: string) => void): IdentityResolver {
  if (mode === 'test-principal') return async () => TEST_PRINCIPAL;
  if (!trust) throw new Error('No trusted issuers configured.');
  const verifier = new TokenVerifier(trust);
  return (getHeader) => resolveIdentity(getHeader, verifier, onRejected);
}
