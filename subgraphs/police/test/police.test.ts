import { DevIssuer } from '@partnergraph/common';
import type { Database } from '@partnergraph/subgraph-kit';
import { createTestDatabase } from '@partnergraph/subgraph-kit/testing';
import { World } from '@partnergraph/synthetic';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPolice } from '../src/data/seed.js';
import { createPoliceServer } from '../src/server.js';

let issuer: DevIssuer;
let url: string;
let db: Database;
let stop: () => Promise<void>;

beforeAll(async () => {
  issuer = await DevIssuer.create();
  db = await createTestDatabase('police');
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

  it('never shows a housing company a withdrawn charge, and so never refers one', async () => {
    const ids: Record<string, string> = {};
    for (const type of ['FINE', 'CHARGE_WITHDRAWN']) {
      const made = await gql('police-investigator', 'CRIME_PREVENTION_63D', record, { input: input(type) });
      expect(made.body.errors).toBeUndefined();
      ids[type] = made.body.data.recordCriminalDecision.id;
    }
    // The rule that hides it from FOB refuses the referral, naming itself.
    const refused = await gql('police-investigator', 'CRIME_PREVENTION_63D', refer, {
      input: { decisionId: ids['CHARGE_WITHDRAWN'], housingCompanyId: 'fob', purpose: 'CRIME_PREVENTION_63D' },
    });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.body.errors?.[0]?.extensions?.policies).toEqual(['housing-never-sees-withdrawn-charges']);
    // Both referred before the rule existed (rows made then): FOB sees the fine, not the withdrawn charge.
    for (const [n, type] of [[1, 'FINE'], [2, 'CHARGE_WITHDRAWN']] as const) {
      await db.query(
        `INSERT INTO referrals (id, decision_id, housing_company, purpose, referred_on, referred_by) VALUES ($1, $2, 'fob', 'CRIME_PREVENTION_63D', current_date, 'earlier')`,
        [`R098765${n}`, ids[type]],
      );
    }
    const seen = await gql('housing-fob-caseworker', 'CRIME_PREVENTION_63D', '{ criminalDecisions(first: 1000) { nodes { id decisionType } } }');
    const visible = seen.body.data.criminalDecisions.nodes.map((d: { id: string }) => d.id);
    expect(visible).toContain(ids['FINE']);
    expect(visible).not.toContain(ids['CHARGE_WITHDRAWN']);
    const lookup = await gql('housing-fob-caseworker', 'CRIME_PREVENTION_63D', `{ criminalDecision(id: "${ids['CHARGE_WITHDRAWN']}") { id } referral(id: "R0987652") { id } }`);
    expect(lookup.body).toEqual({ data: { criminalDecision: null, referral: null } });
  });

  it('refers nothing while the housing companies cannot be asked where the person lives', async () => {
    const made = await gql('police-investigator', 'CRIME_PREVENTION_63D', record, { input: input('FINE') });
    const decisionId = made.body.data.recordCriminalDecision.id;
    // This test runs the police alone: no housing subgraph to ask.
    const res = await gql('police-investigator', 'CRIME_PREVENTION_63D', refer, { input: { decisionId, housingCompanyId: 'fob', purpose: 'CRIME_PREVENTION_63D' } });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
    expect(res.body.data?.referDecision ?? null).toBeNull();
    const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM referrals WHERE decision_id = $1', [decisionId]);
    expect(row!.n).toBe(0);
  });
});

describe("the police's policies, compiled, against Cedar itself", () => {
  it('decides every decision and referral row and field exactly as Cedar does, for every persona and purpose', async () => {
    const { PERSONAS } = await import('@partnergraph/common');
    const { PURPOSES } = await import('@partnergraph/vocabulary');
    const { PolicyEngine, RequestAuthorizer } = await import('@partnergraph/subgraph-kit');
    const { policeSubgraph } = await import('../src/server.js');
    const { policeResources } = await import('../src/policies/resources.js');
    const engine = policeSubgraph.policies();
    const world = new World();
    const rows = [...world.decisions()].map((d) => {
      const r = world.referralFor(d);
      return {
        ...d,
        referredUnder63d: r?.purpose === 'CRIME_PREVENTION_63D' ? [r.housingCompany] : [],
        referredUnder9010: r?.purpose === 'TERMINATION_90_10' ? [r.housingCompany] : [],
      };
    });
    // A referral is decided by its decision's rules: every decision, as if referred to FOB under each purpose.
    const referrals = rows.slice(0, 40).flatMap((d) =>
      (['CRIME_PREVENTION_63D', 'TERMINATION_90_10'] as const).map((purpose) => ({
        ...d,
        id: `R-${d.id}-${purpose}`,
        decisionId: d.id,
        housingCompanyId: 'fob',
        purpose,
        referredOn: d.decidedOn,
      })),
    );
    let compared = 0;
    let allowed = 0;
    for (const persona of Object.values(PERSONAS)) {
      for (const purpose of PURPOSES) {
        const identity = { principal: { ...persona, issuer: 'test' }, purpose };
        const authz = new RequestAuthorizer(engine, policeResources, identity);
        const base = PolicyEngine.requestBase(identity, Math.floor(Date.now() / 86_400_000));
        const check = (type: string, row: object, actions: string[]) => {
          const entity = authz.entity(type, row);
          for (const action of actions) {
            const exact = engine.exact(base, action, { type, id: entity.id, attrs: entity.attrs });
            expect(authz.can(action, type, row), `${persona.subject} ${purpose} ${action} ${entity.id}`).toBe(exact);
            compared++;
            if (exact) allowed++;
          }
        };
        for (const row of rows.slice(0, 260)) check('CriminalDecision', row, ['CriminalDecision', 'CriminalDecision.court', 'CriminalDecision.decidedOn', 'CriminalDecision.person']);
        for (const row of referrals) check('Referral', row, ['Referral', 'Referral.decision']);
      }
    }
    expect(compared).toBeGreaterThan(50_000);
    expect(allowed).toBeGreaterThan(1000);
    // Tens of thousands of Cedar calls: minutes on a busy machine, and a correctness check, not a speed one.
  }, 240_000);
});
