import { buildHousingSchema, housingSubgraph, seedHousing } from '@partnergraph/housing';
import { buildMunicipalitySchema, municipalitySubgraph, seedMunicipality } from '@partnergraph/municipality';
import { buildPoliceSchema, policeSubgraph, seedPolice } from '@partnergraph/police';
import type { Subgraph } from '@partnergraph/subgraph-kit';
import type { GraphQLSchema } from 'graphql';

export interface Owner {
  name: string;
  defaultPort: number;
  subgraph: Subgraph;
  buildSchema: () => Promise<GraphQLSchema>;
  seed: typeof seedPolice;
  /** Compiled entry point of the owner's process. */
  entry: string;
}

const entry = (pkg: string) => new URL(`../../../subgraphs/${pkg}/dist/index.js`, import.meta.url).pathname;

/** The partnership's owners, in the order they start. A fourth partner joins by adding a line. */
export const OWNERS: Owner[] = [
  { name: 'police', defaultPort: 4001, subgraph: policeSubgraph, buildSchema: buildPoliceSchema, seed: seedPolice, entry: entry('police') },
  { name: 'municipality', defaultPort: 4002, subgraph: municipalitySubgraph, buildSchema: buildMunicipalitySchema, seed: seedMunicipality, entry: entry('municipality') },
  { name: 'housing', defaultPort: 4003, subgraph: housingSubgraph, buildSchema: buildHousingSchema, seed: seedHousing, entry: entry('housing') },
];
