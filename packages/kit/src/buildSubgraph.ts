import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLError, isScalarType, parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, type NonEmptyArray } from 'type-graphql';
import { authorizeAllFields } from './authorizeFields.js';
import { isDay } from './pagination.js';
import { representationChecker } from './representations.js';

export const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag"])`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ReferenceResolver = (reference: any, context: any, info: any) => unknown;

export interface SubgraphDefinition {
  resolvers: NonEmptyArray<Function>;
  /** Entity and value types not reachable from a resolver's return types. */
  orphanedTypes?: Function[];
  /** `__resolveReference` per entity type: each must apply the owner's row rules itself. */
  referenceResolvers?: Record<string, ReferenceResolver>;
}

const NO_PUBSUB = {
  publish(): never {
    throw new Error('Subscriptions here name their event source with `subscribe`.');
  },
  subscribe(): never {
    throw new Error('Subscriptions here name their event source with `subscribe`.');
  },
};

/**
 * Builds a Federation 2 subgraph schema from type-graphql classes. Every field
 * resolver is then wrapped by `authorizeAllFields`, so no field escapes the
 * owner's policies.
 */
export async function buildSubgraph(definition: SubgraphDefinition): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: definition.resolvers,
    orphanedTypes: definition.orphanedTypes ?? [],
    skipCheck: true, // federation types and directives are added below
    // Deny by default at field level: any field may come back null with FORBIDDEN,
    // so only ids and page structure are non-null.
    nullableByDefault: true,
    validate: false,
    // Subscriptions bring their own event source (`subscribe`); nothing publishes through type-graphql.
    pubSub: NO_PUBSUB,
  });
  const typeDefs = parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`);
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const [type, resolveReference] of Object.entries(definition.referenceResolvers ?? {})) {
    resolvers[type] = { ...(resolvers[type] ?? {}), __resolveReference: resolveReference };
  }
  // The one place where type-graphql's resolver map meets Apollo's resolver types.
  const subgraph = buildSubgraphSchema([{ typeDefs, resolvers: resolvers as any }]);
  authorizeAllFields(subgraph);
  checkRepresentations(subgraph);
  strictDays(subgraph);
  return subgraph;
}

/** `_entities` checks its representations first (see representationChecker): the one edge for every entity. */
function checkRepresentations(schema: GraphQLSchema): void {
  const entities = schema.getQueryType()?.getFields()['_entities'];
  const resolve = entities?.resolve;
  if (!entities || !resolve) return;
  const check = representationChecker(schema);
  entities.resolve = (source, args: { representations?: unknown }, context, info) => {
    check(args.representations);
    return resolve(source, args, context, info);
  };
}

/**
 * `LocalDate` arguments are days PostgreSQL can store (0001-9999, that exist):
 * the scalar alone lets 0000-01-01 through, which the database then refuses.
 */
function strictDays(schema: GraphQLSchema): void {
  const scalar = schema.getType('LocalDate');
  if (!isScalarType(scalar)) return;
  const refuse = () => new GraphQLError('A day must be written YYYY-MM-DD, in the years 0001-9999, and exist.', { extensions: { code: 'BAD_USER_INPUT' } });
  const parseValue = scalar.parseValue.bind(scalar);
  const parseLiteral = scalar.parseLiteral.bind(scalar);
  scalar.parseValue = (value) => {
    const day = parseValue(value);
    if (!isDay(day)) throw refuse();
    return day;
  };
  scalar.parseLiteral = (node, variables) => {
    const day = parseLiteral(node, variables);
    if (!isDay(day)) throw refuse();
    return day;
  };
}
