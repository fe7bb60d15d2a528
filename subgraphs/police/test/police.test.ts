import { DevIssuer } from '@partnergraph/common';
import { createTestDatabase } from '@partnergraph/subgraph-kit/testing';
import { World } from '@partnergraph/synthetic';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPolice } from '../src/data/seed.js';
import { createPoliceServer } from '../src/server.js';

let issuer: DevIssuer;
let url: string;
let stop: () => Promise<void>;

beforeAll(async () => {
  issuer = await DevIssuer.create();
  const db = await createTestDatabase('police');
  const server = await createPoliceServer({ db, trust: issuer.trustConfig() });
  await seedPolice(db, new World());
  const running = await server.listen(0);
  url = running.url;
  stop = async () => {
    await server.stop();
    await db.close();
  };
});
afterAll(() => stop?.());

async function gql(persona: string | null, purpose: string | null, query: string, variables?: Record<string, unknown>) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (persona) headers['authorization'] = `Bearer ${await issuer.signPersona(persona)}`;
  if (purpose) headers['x-purpose'] = purpose;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: any[] } };
}

describe('police subgraph', () => {
  it('refuses requests without a token', async () => {
    const { status, body } = await gql(null, 'STATISTICS', '{ safetyIndex { year } }');
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(body.data).toBeUndefined();
  });

  it('serves the safety index to a partner under STATISTICS', async () => {
    const { body } = await gql('analyst', 'STATISTICS', '{ safetyIndex(areaId: "motalavej") { year shareFeelingSafe } }');
    expect(body.errors).toBeUndefined();
    expect(body.data.safetyIndex.find((m: any) => m.year === 2016).shareFeelingSafe).toBe(58);
  });

  it('shows the police all decisions and a housing company only referred, recent ones', async () => {
    const q = '{ criminalDecisions(first: 1000) { nodes { id decidedOn court } } }';
    const police = await gql('police-investigator', 'CRIME_PREVENTION_63D', q);
    expect(police.body.errors).toBeUndefined();
    const all = police.body.data.criminalDecisions.nodes;
    expect(all.length).toBe(800);
    const fob = await gql('housing-fob-caseworker', 'CRIME_PREVENTION_63D', '{ criminalDecisions(first: 1000) { nodes { id decidedOn decisionType } } }');
    expect(fob.body.errors).toBeUndefined();
    const seen = fob.body.data.criminalDecisions.nodes;
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.length).toBeLessThan(all.length);
    const court = await gql('housing-fob-caseworker', 'CRIME_PREVENTION_63D', '{ criminalDecisions(first: 3) { nodes { id court } } }');
    expect(court.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(court.body.data.criminalDecisions.nodes[0].court).toBeNull();
  });
});

describe('worked example: a rule and its test (README)', () => {
  it('never shows a housing company a withdrawn charge, even when referred to it', async () => {
    const record = `mutation ($input: RecordCriminalDecisionInput!) { recordCriminalDecision(input: $input) { id } }`;
    const refer = `mutation ($input: ReferDecisionInput!) { referDecision(input: $input) { id } }`;
    const input = (decisionType: string) => ({
      personId: 'P0000000042',
      personBirthDate: '1990-01-01',
      decidedOn: new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10),
      offenceCategory: 'VANDALISM',
      decisionType,
      withinOrAffectingArea: true,
      areaId: 'ringparken',
      caseNumber: '0300-1-2-26',
      court: 'Retten i Næstved',
      offenceDescription: 'synthetic',
    });
    const ids: Record<string, string> = {};
    for (const type of ['FINE', 'CHARGE_WITHDRAWN']) {
      const made = await gql('police-investigator', 'CRIME_PREVENTION_63D', record, { input: input(type) });
      expect(made.body.errors).toBeUndefined();
      ids[type] = made.body.data.recordCriminalDecision.id;
      const referred = await gql('police-investigator', 'CRIME_PREVENTION_63D', refer, {
        input: { decisionId: ids[type], housingCompanyId: 'fob', purpose: 'CRIME_PREVENTION_63D' },
      });
      expect(referred.body.errors).toBeUndefined();
    }
    const seen = await gql('housing-fob-caseworker', 'CRIME_PREVENTION_63D', '{ criminalDecisions(first: 1000) { nodes { id decisionType } } }');
    const visible = seen.body.data.criminalDecisions.nodes.map((d: { id: string }) => d.id);
    expect(visible).toContain(ids['FINE']);
    expect(visible).not.toContain(ids['CHARGE_WITHDRAWN']);
    const lookup = await gql('housing-fob-caseworker', 'CRIME_PREVENTION_63D', `{ criminalDecision(id: "${ids['CHARGE_WITHDRAWN']}") { id } }`);
    expect(lookup.body).toEqual({ data: { criminalDecision: null } });
  });
});

describe("the police's policies, compiled, against Cedar itself", () => {
  it('decides every decision row and field exactly as Cedar does, for every persona and purpose', async () => {
    const { PERSONAS, PURPOSES } = await import('@partnergraph/common');
    const { PolicyEngine, RequestAuthorizer } = await import('@partnergraph/subgraph-kit');
    const { policeSubgraph } = await import('../src/server.js');
    const { policeResources } = await import('../src/policies/resources.js');
    const engine = policeSubgraph.policies();
    const world = new World();
    const rows = [...world.decisions()].map((d) => ({
      ...d,
      referredTo: world.referralFor(d) ? [world.referralFor(d)!.housingCompany] : [],
    }));
    let compared = 0;
    let allowed = 0;
    for (const persona of Object.values(PERSONAS)) {
      for (const purpose of PURPOSES) {
        const identity = { principal: { ...persona, issuer: 'test' }, purpose };
        const authz = new RequestAuthorizer(engine, policeResources, identity);
        const base = PolicyEngine.requestBase(identity, Math.floor(Date.now() / 86_400_000));
        for (const row of rows.slice(0, 300)) {
          const entity = authz.entity('CriminalDecision', row);
          for (const action of ['CriminalDecision', 'CriminalDecision.court', 'CriminalDecision.decidedOn', 'CriminalDecision.person']) {
            const exact = engine.exact(base, action, { type: 'CriminalDecision', id: entity.id, attrs: entity.attrs });
            expect(authz.can(action, 'CriminalDecision', row), `${persona.subject} ${purpose} ${action} ${row.id}`).toBe(exact);
            compared++;
            if (exact) allowed++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(50_000);
    expect(allowed).toBeGreaterThan(1000);
  });
});
