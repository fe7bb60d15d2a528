import { join } from 'node:path';
import { discoverOwners } from '@partnergraph/registry';
import { ACCESS_COMBOS, accessMatrixProblems, type AccessProbe } from '@partnergraph/subgraph-kit/testing';
import type { World } from '@partnergraph/synthetic';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSystem, type System } from './support/system.js';

/**
 * The access matrix through the gateway: every persona × every purpose × every
 * list of personal data of every registered owner. Each owner states its
 * expectations in its own `test/access.ts` (and checks them straight at its
 * subgraph in `test/access.test.ts`); here the same expectations must hold for
 * answers planned and joined by the gateway.
 */
let system: System;
let probes: AccessProbe[];
beforeAll(async () => {
  system = await startSystem();
  const expectations = await Promise.all(
    discoverOwners().map(async (owner) => (await import(join(owner.dir, 'test/access.ts'))) as { accessProbes(world: World): AccessProbe[] }),
  );
  probes = expectations.flatMap((e) => e.accessProbes(system.world));
});
afterAll(() => system?.stop());

it.each(ACCESS_COMBOS)('through the gateway, %s under %s sees what each owner allows', async (persona, purpose) => {
  expect(probes.length).toBeGreaterThan(0);
  expect(await accessMatrixProblems(system.gql, probes, persona, purpose)).toEqual([]);
});
