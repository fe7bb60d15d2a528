import { isObjectType, type GraphQLSchema } from 'graphql';
import type { PolicyEngine } from './PolicyEngine.js';
import type { ResourceRegistry } from './resources.js';
import type { Subgraph } from '../defineSubgraph.js';

export interface PolicyCoverage {
  /** Actions the GraphQL schema needs that the Cedar schema does not declare: these are denied to everyone. */
  missingActions: string[];
  /** Object types with neither a resource descriptor nor a structural mark. */
  missingResources: string[];
  /** Declared actions that match no field (left over after a schema change). */
  staleActions: string[];
}

const FEDERATION_FIELDS = new Set(['_entities', '_service']);

/**
 * Deny by default means every type and field needs an explicit rule. This
 * lists what the owner's Cedar schema and resource registry do not cover.
 */
export function policyCoverage(schema: GraphQLSchema, engine: PolicyEngine, registry: ResourceRegistry): PolicyCoverage {
  const needed = new Set<string>();
  const missingResources: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('_')) continue;
    const isRoot = type === schema.getQueryType() || type === schema.getMutationType() || type === schema.getSubscriptionType();
    if (!isRoot && registry.structural.includes(type.name)) continue;
    if (!isRoot) {
      if (!registry.resources[type.name]) missingResources.push(type.name);
      needed.add(type.name);
    }
    for (const field of Object.keys(type.getFields())) {
      if (isRoot && FEDERATION_FIELDS.has(field)) continue;
      needed.add(`${type.name}.${field}`);
    }
  }
  const declared = engine.actions;
  // Only `Type` and `Type.field` actions mirror the schema; groups and write actions (`Type:write`) do not.
  const isFieldOrRowAction = (a: string) => /^[A-Z]\w*(\.\w+)?$/.test(a);
  return {
    missingActions: [...needed].filter((a) => !declared.has(a)).sort(),
    missingResources: missingResources.sort(),
    staleActions: [...declared].filter((a) => isFieldOrRowAction(a) && !needed.has(a)).sort(),
  };
}

/** The coverage of one owner's subgraph: its schema against its own policies and resources. */
export async function subgraphCoverage(subgraph: Pick<Subgraph, 'schema' | 'policies' | 'resources'>): Promise<PolicyCoverage> {
  return policyCoverage(await subgraph.schema(), subgraph.policies(), subgraph.resources);
}
