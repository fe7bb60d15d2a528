import { ACCESS_COMBOS, accessMatrixProblems, startOwnerForTest } from '@partnergraph/subgraph-kit/testing';
import { World } from '@partnergraph/synthetic';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedHousing } from '../src/data/seed.js';
import { housingSubgraph } from '../src/server.js';
import { accessProbes } from './access.js';

/** Every persona under every purpose, straight at the housing subgraph: exactly what the housing companies' rules (./access.ts) allow. */
const world = new World();
const probes = accessProbes(world);
let owner: Awaited<ReturnType<typeof startOwnerForTest>>;
beforeAll(async () => {
  owner = await startOwnerForTest(housingSubgraph, { seed: (db) => seedHousing(db, world) });
});
afterAll(() => owner?.stop());

it.each(ACCESS_COMBOS)('the housing subgraph answers %s under %s as its rules say', async (persona, purpose) => {
  expect(await accessMatrixProblems(owner.gql, probes, persona, purpose)).toEqual([]);
});
