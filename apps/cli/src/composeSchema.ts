import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { discoverOwners, type Owner } from '@partnergraph/registry';
import { parse, printSchema } from 'graphql';
import { loadSubgraph } from './owners.js';

export interface ComposedSchema {
  subgraphs: Record<string, string>;
  supergraph: string;
  api: string;
}

export class CompositionError extends Error {}

/** Builds every registered owner's subgraph SDL and composes the supergraph and the client-facing API schema. */
export async function composeSchema(host = '127.0.0.1', owners: Owner[] = discoverOwners()): Promise<ComposedSchema> {
  const subgraphs: Record<string, string> = {};
  for (const owner of owners) subgraphs[owner.name] = printSubgraphSchema(await (await loadSubgraph(owner)).schema());
  const result = composeServices(
    owners.map((owner) => ({
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
