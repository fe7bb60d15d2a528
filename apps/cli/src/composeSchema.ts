import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { discoverOwners, type Owner } from '@partnergraph/registry';
import { parse, printSchema } from 'graphql';
import { loadSubgraph } from './owners.js';
import { visibilityNotes, withNotes, type OwnerRules } from './visibilityNotes.js';

export interface ComposedSchema {
  subgraphs: Record<string, string>;
  supergraph: string;
  api: string;
}

export class CompositionError extends Error {}

/** Builds every registered owner's subgraph SDL and composes the supergraph and the client-facing API schema, with who may see each type and field in its description. */
export async function composeSchema(host = '127.0.0.1', owners: Owner[] = discoverOwners()): Promise<ComposedSchema> {
  const subgraphs: Record<string, string> = {};
  const rules: OwnerRules[] = [];
  for (const owner of owners) {
    const subgraph = await loadSubgraph(owner);
    subgraphs[owner.name] = printSubgraphSchema(await subgraph.schema());
    rules.push({ owner: owner.name, sdl: subgraphs[owner.name]!, engine: subgraph.policies() });
  }
  // Who may see what, from each owner's policies, in the composed descriptions (the owners' own SDL stays as served).
  const notes = visibilityNotes(rules);
  const result = composeServices(
    owners.map((owner) => ({
      name: owner.name,
      url: `http://${host}:${owner.defaultPort}/graphql`,
      typeDefs: parse(withNotes(subgraphs[owner.name]!, notes)),
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
