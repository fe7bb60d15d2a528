import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DevIssuer } from '@partnergraph/common';
import { createGateway, gatewayConfig, type Gateway } from '@partnergraph/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUPERGRAPH } from '../../test/support/system.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MB = 1024 * 1024;

const heapAfterGc = () => {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
};

/**
 * Memory under many distinct query texts (issue 13): every per-query cache is
 * bounded by bytes, so a stream of unique texts cannot grow the gateway past
 * its budget. Texts with long comments are the worst case: little for a
 * parser to count, much for a cache to keep.
 */
describe('gateway memory under distinct query texts', () => {
  let gateway: Gateway;
  let url: string;
  let token: string;
  // A small budget, so the test is quick and the bound is tight: documents 8 MB, plans 8 MB, store 8 MB.
  const memory = { documentBytes: 8 * MB, queryPlanBytes: 8 * MB, storeBytes: 8 * MB };
  const BOUND = 40 * MB;

  beforeAll(async () => {
    const issuer = await DevIssuer.create();
    token = await issuer.signPersona('analyst');
    // No subgraph is needed: `__typename` is answered by the gateway itself, after parsing, validation and planning.
    gateway = await createGateway(gatewayConfig({ supergraphPath: SUPERGRAPH, trust: issuer.trustConfig(), memory }));
    url = (await gateway.listen(0)).url;
  });
  afterAll(() => gateway?.stop());

  const ask = (query: string) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'STATISTICS' },
      body: JSON.stringify({ query }),
    });

  it(`stays within ${BOUND / MB} MB of heap after 4,000 distinct 16 KB texts`, async () => {
    const padding = 'x'.repeat(16 * 1024);
    const text = (i: number | string) => `query Distinct${i} { __typename }\n# ${i} ${padding}`;
    for (let i = 0; i < 50; i++) expect((await ask(text(`Warm${i}`))).status).toBe(200);
    const before = heapAfterGc();
    const total = 4000;
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < total) {
          const res = await ask(text(next++));
          expect(res.status).toBe(200);
          await res.text();
        }
      }),
    );
    const grown = heapAfterGc() - before;
    expect(grown, `heap grew by ${Math.round(grown / MB)} MB`).toBeLessThan(BOUND);
    expect(gateway.documents.size.bytes).toBeLessThanOrEqual(memory.documentBytes);
    expect(gateway.queryPlans.size.bytes).toBeLessThanOrEqual(memory.queryPlanBytes);
  });
});
