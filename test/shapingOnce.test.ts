import { installCompiledShaping } from '@partnergraph/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type System } from './support/system.js';

/**
 * Through the whole request path, the gateway's result shaping is compiled
 * once per operation (the executor's operation is reused while the document
 * is the same), and a clean answer never needs Apollo's own shaping.
 */
describe('compiled result shaping in the gateway', () => {
  let system: System;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(() => system?.stop());

  it('compiles the board overview once for repeated requests and shapes it without handing over', async () => {
    const shaping = installCompiledShaping();
    const query = '{ areas { id name latestSafetyIndex { year shareFeelingSafe } currentTenancyCount goals { metric assessment { year status } } } }';
    // Every request executed: no answer cache, no shared in-flight requests.
    const { gql } = await system.extraGateway({ responseCache: false, inboundDedup: false });
    const first = await gql('board-member', 'COORDINATION', query);
    expect(first.body.errors).toBeUndefined();
    const compiled = shaping.compilations;
    const fallbacks = shaping.fallbacks;
    for (let i = 0; i < 3; i++) {
      const again = await gql('board-member', 'COORDINATION', query);
      expect(again.body.data).toEqual(first.body.data);
    }
    expect(shaping.compilations - compiled).toBe(0);
    expect(shaping.fallbacks - fallbacks).toBe(0);
    expect(compiled).toBeGreaterThan(0);
  });
});
