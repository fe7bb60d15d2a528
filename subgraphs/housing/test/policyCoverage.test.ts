import { subgraphCoverage } from '@partnergraph/subgraph-kit';
import { expect, it } from 'vitest';
import { housingSubgraph } from '../src/server.js';

it('covers every type and field of the housing subgraph with a rule of its own (deny by default)', async () => {
  expect(await subgraphCoverage(housingSubgraph)).toEqual({ missingActions: [], missingResources: [], staleActions: [] });
});
