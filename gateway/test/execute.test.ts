import { accessScopeKey, resolveIdentity, TokenVerifier } from '@partnergraph/common';
import { BoardOverviewDocument } from '@partnergraph/operations';
import { execute, GatewayMetrics, measure, type GatewayAnswer } from '@partnergraph/gateway';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type System } from '../../test/support/system.js';
import { exchange, preparedExchange, recordingNext } from './support/harness.js';

/**
 * The last step, in-process against the real subgraphs: what each owner said
 * about reusing its part reaches the answer as one typed value, with the
 * owners read and changed.
 */
describe('execute', () => {
  let system: System;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(() => system?.stop());

  const run = async (persona: string, purpose: string, query: string, variables?: Record<string, unknown>): Promise<GatewayAnswer> => {
    const token = await system.issuer.signPersona(persona);
    const headers = { authorization: `Bearer ${token}`, 'x-purpose': purpose };
    const identity = await resolveIdentity((name) => headers[name as keyof typeof headers], new TokenVerifier(system.issuer.trustConfig()));
    const ex = preparedExchange(system.gateway.documents, query, { identity, scope: accessScopeKey(identity), headers, ...(variables ? { variables } : {}) });
    return execute(system.gateway.apollo)(ex);
  };
  const bit = (owner: string) => 1 << [...system.gateway.subgraphs.keys()].indexOf(owner);

  it('carries each owner’s statement: aggregates cacheable, personal data personal, owners read', async () => {
    const board = await run('secretariat-coordinator', 'STATISTICS', print(BoardOverviewDocument));
    expect(board.status).toBe(200);
    expect(board.cacheability).toMatchObject({ personal: false });
    expect(board.cacheability!.maxAge).toBeGreaterThan(0);
    expect(board.owners).toBe(bit('police') | bit('municipality') | bit('housing'));
    expect(board.changed).toBe(0);
    expect(board.headers['x-request-id']).toBeDefined();

    const decisions = await run('police-investigator', 'CRIME_PREVENTION_63D', '{ criminalDecisions(first: 3) { nodes { id court } } }');
    expect(decisions.cacheability).toMatchObject({ personal: true, maxAge: 0 });
    expect(decisions.owners).toBe(bit('police'));

    const organisations = await run('secretariat-coordinator', 'COORDINATION', '{ organisations { id } }');
    expect(organisations.cacheability!.personal).toBe(false);
  });

  it('says which owner a mutation changed, and none when it was refused', async () => {
    const created = await run('municipality-caseworker', 'COORDINATION', 'mutation ($input: CreateInitiativeInput!) { createInitiative(input: $input) { id } }', {
      input: { title: 'Reading club (execute test)', kind: 'BUILDING_UP', areaIds: ['sydbyen'], startsOn: '2026-09-01' },
    });
    expect(JSON.parse(created.body).errors).toBeUndefined();
    expect(created.changed).toBe(bit('municipality'));
    expect(created.cacheability!.personal).toBe(true);
    const refused = await run('housing-fob-caseworker', 'COORDINATION', 'mutation { closeInitiative(id: "I00001", version: 1, endsOn: "2026-12-31") { id } }');
    expect(JSON.parse(refused.body).errors?.length).toBeGreaterThan(0);
    expect(refused.changed).toBe(0);
  });
});

describe('measure', () => {
  it('counts every request by status, also one that fails', async () => {
    const metrics = new GatewayMetrics(false);
    const step = measure(metrics);
    await step.run(exchange(), recordingNext(() => ({ status: 429, headers: {}, body: '' })).next);
    await expect(step.run(exchange(), async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const counted = (await metrics.requests.get()).values.map((v) => [v.labels.status, v.value]);
    expect(counted).toEqual([
      ['429', 1],
      ['500', 1],
    ]);
  });
});
