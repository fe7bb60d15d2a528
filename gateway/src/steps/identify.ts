import { accessScopeKey, graphQLErrorAnswer, type Principal, type RequestIdentity } from '@partnergraph/common';
import { GraphQLError } from 'graphql';
import { sha256 } from '../Documents.js';
import type { IdentityResolver } from '../identity.js';
import type { Step } from '../pipeline/Step.js';

/** Keys derived from a verified principal, computed once per principal (verified tokens are reused). */
const principalKeys = new WeakMap<Principal, { principal: string; scopes: Map<string, string> }>();

function keysOf(identity: RequestIdentity): { principal: string; scope: string } {
  let keys = principalKeys.get(identity.principal);
  if (!keys) {
    keys = { principal: `${identity.principal.issuer}#${identity.principal.subject}`, scopes: new Map() };
    principalKeys.set(identity.principal, keys);
  }
  let scope = keys.scopes.get(identity.purpose);
  if (scope === undefined) keys.scopes.set(identity.purpose, (scope = sha256(accessScopeKey(identity))));
  return { principal: keys.principal, scope };
}

/** Who asks, and for which purpose: a verified bearer token and the `x-purpose` header (401/400 otherwise). */
export function identify(resolve: IdentityResolver): Step {
  return {
    name: 'identify',
    async run(exchange, next) {
      const inbound = exchange.inbound;
      let identity: RequestIdentity;
      try {
        identity = await resolve((name) => inbound.header(name));
      } catch (error) {
        if (error instanceof GraphQLError) return graphQLErrorAnswer(error);
        throw error;
      }
      const keys = keysOf(identity);
      exchange.identity = identity;
      exchange.principalKey = keys.principal;
      exchange.scope = keys.scope;
      return next(exchange);
    },
  };
}
