import { ACCESS_COMBOS, accessMatrixProblems, startOwnerForTest } from '@partnergraph/subgraph-kit/testing';
import { World } from '@partnergraph/synthetic';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedPolice } from '../src/data/seed.js';
import { policeSubgraph } from '../src/server.js';
import { accessProbes } from './access.js';

/** Every persona under every purpose, straight at the police subgraph: exactly what the police's rules (./access.ts) allow. */
const world = new World();
const probes = accessProbes(world);
let owner: Awaited<ReturnType<typeof startOwnerForTest>>;
beforeAll(async () => {
  owner = await startOwnerForTest(policeSubgraph, { seed: (db) => seedPolice(db, world) });
});
afterAll(() => owner?.stop());

it.each(ACCESS_COMBOS)('the police subgraph answers %s under %s as its rules say', async (persona, purpose) => {
  expect(await accessMatrixProblems(owner.gql, probes, persona, purpose)).toEqual([]);
});
