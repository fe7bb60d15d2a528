import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type System } from './support/system.js';

/**
 * Entity lookups and nested lists go through DataLoader: the statements one
 * request runs on an owner's database do not grow with the number of entities.
 */
describe('statements per request do not grow with entities', () => {
  let system: System;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(() => system?.stop());

  async function statementsFor(owner: string, persona: string, purpose: string, query: string, variables: Record<string, unknown>) {
    const db = system.owners[owner]!.db;
    const statements: string[] = [];
    db.onStatement = (sql) => statements.push(sql);
    try {
      const res = await system.direct(owner)(persona, purpose, query, variables);
      expect(res.body.errors).toBeUndefined();
      return { count: statements.length, data: res.body.data };
    } finally {
      db.onStatement = undefined;
    }
  }

  it('housing: 1 and 1,000 persons with their tenancies and departments', async () => {
    const query = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { id tenancies { id department { name } } } } }`;
    const tenants = [...system.world.tenancies()].filter((t) => t.companyId === 'fob').map((t) => t.tenantPersonId);
    const reps = (n: number) => ({ reps: tenants.slice(0, n).map((id) => ({ __typename: 'Person', id })) });
    expect(tenants.length).toBeGreaterThanOrEqual(700);
    const one = await statementsFor('housing', 'housing-fob-caseworker', 'CRIME_PREVENTION_63D', query, reps(1));
    const many = await statementsFor('housing', 'housing-fob-caseworker', 'CRIME_PREVENTION_63D', query, { reps: [...reps(700).reps, ...reps(300).reps] });
    expect(many.data._entities).toHaveLength(1000);
    expect(many.data._entities.filter((p: any) => p.tenancies.length > 0).length).toBeGreaterThanOrEqual(700);
    expect(many.count).toBe(one.count);
    expect(one.count).toBeLessThanOrEqual(6); // tenancies, departments, and the disclosure log append
  });

  it('police: 1 and 800 decisions with their referrals', async () => {
    const query = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on CriminalDecision { id decidedOn person { id } referrals { id purpose } } } }`;
    const ids = [...system.world.decisions()].map((d) => d.id);
    const reps = (list: string[]) => ({ reps: list.map((id) => ({ __typename: 'CriminalDecision', id })) });
    const one = await statementsFor('police', 'police-investigator', 'CRIME_PREVENTION_63D', query, reps(ids.slice(0, 1)));
    const many = await statementsFor('police', 'police-investigator', 'CRIME_PREVENTION_63D', query, reps([...ids, ...ids.slice(0, 200)]));
    expect(many.data._entities).toHaveLength(1000);
    expect(many.count).toBe(one.count);
  });

  it('through the gateway: a list fanning out to another owner costs that owner a constant number of statements', async () => {
    const query = (n: number) => `{ criminalDecisions(first: ${n}) { nodes { id person { id tenancyHolding { holdsCurrentTenancy } } } } }`;
    const housing = system.owners['housing']!.db;
    const count = async (n: number) => {
      let statements = 0;
      housing.onStatement = () => statements++;
      try {
        const res = await system.gql('police-investigator', 'TERMINATION_90_10', query(n));
        expect(res.body.errors).toBeUndefined();
        expect(res.body.data.criminalDecisions.nodes).toHaveLength(n);
        return statements;
      } finally {
        housing.onStatement = undefined;
      }
    };
    expect(await count(800)).toBe(await count(1));
  });
});
