import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse, printSchema } from 'graphql';
import { OWNER_SCHEMAS } from './ownerSchemas.js';
import { OWNERS } from './owners.js';

export interface ComposedSchema {
  subgraphs: Record<string, string>;
  supergraph: string;
  api: string;
}

export class CompositionError extends Error {}

/** Builds every owner's subgraph SDL and composes the supergraph and the client-facing API schema. */
export async function composeSchema(host = '127.0.0.1'): Promise<ComposedSchema> {
  const subgraphs: Record<string, string> = {};
  for (const owner of OWNERS) subgraphs[owner.name] = printSubgraphSchema(await OWNER_SCHEMAS[owner.name]!());
  const result = composeServices(
    OWNERS.map((owner) => ({
      name: owner.name,
      url: `http://${host}:${owner.defaultPort}/graphql`,
      typeDefs: parse(subgraphs[owner.name]!),
    })),
  );
  if (result.errors) {
    throw new CompositionError(`Composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  return {
    subgraphs,
    supergraph: result.supergraphSdl,
    api: printSchema(result.schema.toAPISchema().toGraphQLJSSchema()),
  };
}
