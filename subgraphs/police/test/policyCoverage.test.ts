import { subgraphCoverage } from '@partnergraph/subgraph-kit';
import { expect, it } from 'vitest';
import { policeSubgraph } from '../src/server.js';

it('covers every type and field of the police subgraph with a rule of its own (deny by default)', async () => {
  expect(await subgraphCoverage(policeSubgraph)).toEqual({ missingActions: [], missingResources: [], staleActions: [] });
});
