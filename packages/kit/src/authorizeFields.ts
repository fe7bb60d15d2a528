import { forbidden } from '@partnergraph/common';
import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { isPersonalField } from './authz/resources.js';
import type { SubgraphContext } from './context.js';

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);
const FEDERATION_FIELDS = new Set(['_entities', '_service']);

/**
 * Puts the owner's policies in front of every field of every type the
 * subgraph defines: deny by default. Root fields need their `Query.<field>`
 * action (a subscription needs its `Subscription.<field>` to start, and for
 * every event it delivers); object fields need the row's action (`<Type>`) and the field's
 * (`<Type>.<field>`). A refused field is null with a FORBIDDEN error; each
 * returned field of personal data is noted for the disclosure log.
 *
 * A plain synchronous wrapper, not a resolver middleware: a field that was
 * synchronous stays synchronous, so a 1,000-row list costs no more promises
 * with policies than without.
 */
export function authorizeAllFields(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('_')) continue;
    const typeName = type.name;
    const isRoot = ROOT_TYPES.has(typeName);
    for (const field of Object.values(type.getFields())) {
      if (isRoot && FEDERATION_FIELDS.has(field.name)) continue;
      const fieldName = field.name;
      const resolve = (field.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, SubgraphContext>;
      const guarded: GraphQLFieldResolver<unknown, SubgraphContext> = isRoot
        ? (root, args, context, info) => {
            const authz = context.authz;
            context.cache.maxAge = Math.min(context.cache.maxAge, authz.cacheMaxAge(typeName, fieldName, true));
            if (!authz.canUseRootField(typeName, fieldName)) {
              context.audit.denied(typeName, fieldName);
              throw forbidden();
            }
            return resolve(root, args, context, info);
          }
        : (root, args, context, info) => {
            const authz = context.authz;
            context.cache.maxAge = Math.min(context.cache.maxAge, authz.cacheMaxAge(typeName, fieldName, false));
            if (authz.isStructural(typeName)) return resolve(root, args, context, info);
            const descriptor = authz.descriptor(typeName);
            if (!descriptor || !authz.canReadField(typeName, fieldName, root as object)) {
              context.audit.denied(typeName, fieldName);
              throw forbidden();
            }
            if (isPersonalField(descriptor, fieldName)) context.audit.disclosed(typeName, root as object, fieldName, descriptor);
            return resolve(root, args, context, info);
          };
      field.resolve = guarded as typeof field.resolve;
      if (isRoot && field.subscribe) {
        const subscribe = field.subscribe as GraphQLFieldResolver<unknown, SubgraphContext>;
        field.subscribe = ((root, args, context: SubgraphContext, info) => {
          if (!context.authz.canUseRootField(typeName, fieldName)) {
            context.audit.denied(typeName, fieldName);
            throw forbidden();
          }
          return subscribe(root, args, context, info);
        }) as typeof field.subscribe;
      }
    }
  }
}
