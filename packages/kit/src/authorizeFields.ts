import { forbidden } from '@partnergraph/common';
import type { MiddlewareFn } from 'type-graphql';
import type { SubgraphContext } from './context.js';

const ROOT_TYPES = new Set(['Query', 'Mutation']);
const NO_ROW = Object.freeze({});

/**
 * Runs before every field of every type the subgraph defines: deny by default.
 * Root fields need their `Query.<field>` action; object fields need `read` on
 * the row and the `<Type>.<field>` action. A refused field is null with a
 * FORBIDDEN error; every returned field of personal data is noted for the log.
 */
export const authorizeFields: MiddlewareFn<SubgraphContext> = ({ root, info, context }, next) => {
  const type = info.parentType.name;
  const authz = context.authz;
  const isRoot = ROOT_TYPES.has(type);
  context.cache.maxAge = Math.min(context.cache.maxAge, authz.cacheMaxAge(type, info.fieldName, isRoot));
  if (isRoot) {
    if (!authz.can(`${type}.${info.fieldName}`, type, NO_ROW)) {
      context.audit.denied(type, info.fieldName);
      throw forbidden();
    }
    return next();
  }
  if (authz.isStructural(type)) return next();
  const descriptor = authz.descriptor(type);
  if (!descriptor || !authz.canReadField(type, info.fieldName, root as object)) {
    context.audit.denied(type, info.fieldName);
    throw forbidden();
  }
  if (descriptor.personal) context.audit.disclosed(type, root as object, info.fieldName, descriptor);
  return next();
};
