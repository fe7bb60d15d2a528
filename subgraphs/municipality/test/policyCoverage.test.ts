import { subgraphCoverage } from '@partnergraph/subgraph-kit';
import { expect, it } from 'vitest';
import { municipalitySubgraph } from '../src/server.js';

it('covers every type and field of the municipality subgraph with a rule of its own (deny by default)', async () => {
  expect(await subgraphCoverage(municipalitySubgraph)).toEqual({ missingActions: [], missingResources: [], staleActions: [] });
});
