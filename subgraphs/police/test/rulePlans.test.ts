import { DevIssuer, PERSONAS, type RequestIdentity } from '@partnergraph/common';
import { PURPOSES } from '@partnergraph/vocabulary';
import { isKeptPrepared, PolicyEngine, RequestAuthorizer, type Database } from '@partnergraph/subgraph-kit';
import { createTestDatabase, planNodes, StatementRecorder, type PlanScan } from '@partnergraph/subgraph-kit/testing';
import { Random, World } from '@partnergraph/synthetic';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DECISION_COLUMNS, REFERRAL_COLUMNS } from '../src/data/rows.js';
import { seedPolice } from '../src/data/seed.js';
import { policeResources } from '../src/policies/resources.js';
import { createPoliceServer, policeSubgraph } from '../src/server.js';

/**
 * The owner's rules, pushed down into SQL, find the permitted rows by an index
 * that matches them, on a district with 20,000 decisions (enough that without
 * the index the planner reads the whole table), and the pushed-down SQL never
 * leaves out a row the rules permit.
 */
let issuer: DevIssuer;
let db: Database;
let url: string;
let stop: () => Promise<void>;
const recorder = new StatementRecorder();

beforeAll(async () => {
  issuer = await DevIssuer.create();
  db = await createTestDatabase('police-plans');
  const server = await createPoliceServer({ db: recorder.wrap('police', db), trust: issuer.trustConfig() });
  await seedPolice(db, new World({ tenancies: 20_000, decisions: 20_000 }));
  await db.query('ANALYZE');
  url = (await server.listen(0)).url;
  stop = async () => {
    await server.stop();
    await db.close();
  };
}, 300_000);
afterAll(() => stop?.());

/** The plans (every node) of the statements that read `table` while one request is answered. */
async function scansOf(persona: string, purpose: string, query: string, table: string): Promise<PlanScan[][]> {
  const statements = await recorder.during(async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await issuer.signPersona(persona)}`, 'x-purpose': purpose },
      body: JSON.stringify({ query }),
    });
    const body = (await res.json()) as { errors?: unknown; data?: Record<string, { nodes: unknown[] }> };
    expect(body.errors).toBeUndefined();
    expect(Object.values(body.data!)[0]!.nodes.length).toBeGreaterThan(0);
  });
  const reading = statements.filter((s) => new RegExp(`\\bFROM ${table}\\b`).test(s.sql));
  expect(reading.length).toBeGreaterThan(0);
  // Statements are kept prepared: after their first executions PostgreSQL may answer them with the generic plan.
  return Promise.all(reading.flatMap((s) => [planNodes(db, s), planNodes(db, s, { generic: isKeptPrepared(s.sql) })]));
}

describe('owner rules find the permitted rows by an index (20,000 decisions)', () => {
  const decisions = '{ criminalDecisions(first: 1000) { nodes { id decidedOn decisionType } } }';
  const cases = [
    { who: 'the police (every row, newest first)', persona: 'police-investigator', purpose: 'CRIME_PREVENTION_63D', index: 'criminal_decisions_decided', inPageOrder: true },
    // Decisions about persons under 18 are the recent ones: read in page order, the birth date tested in the index,
    // not every under-18 row fetched and sorted.
    { who: 'the municipality under SSP_115 (persons under 18)', persona: 'municipality-caseworker', purpose: 'SSP_115', index: 'criminal_decisions_decided', inPageOrder: true, inIndex: 'person_birth_date' },
    { who: 'a housing company under § 63 d (referred to it)', persona: 'housing-fob-caseworker', purpose: 'CRIME_PREVENTION_63D', index: 'criminal_decisions_referred_under_63d' },
    { who: 'a housing company under § 90 (referred to it)', persona: 'housing-fob-caseworker', purpose: 'TERMINATION_90_10', index: 'criminal_decisions_referred_under_90_10' },
  ];
  for (const c of cases) {
    it(`criminalDecisions for ${c.who}: ${c.index}, no sequential scan${c.inPageOrder ? ', in page order (no sort)' : ''}`, async () => {
      for (const nodes of await scansOf(c.persona, c.purpose, decisions, 'criminal_decisions')) {
        expect(nodes.filter((s) => s.relation === 'criminal_decisions' && s.nodeType === 'Seq Scan'), JSON.stringify(nodes)).toEqual([]);
        expect(nodes.map((s) => s.index)).toContain(c.index);
        if (c.inPageOrder) {
          expect(nodes.filter((s) => s.index === c.index).map((s) => s.nodeType), JSON.stringify(nodes)).toEqual(['Index Scan']);
          expect(nodes.filter((s) => /Sort/.test(s.nodeType)), JSON.stringify(nodes)).toEqual([]);
        }
        if (c.inIndex) {
          // Tested on the index entry, before the row is fetched: rows it leaves out cost no heap read.
          const scan = nodes.find((s) => s.index === c.index)!;
          expect(scan.indexCond ?? '', JSON.stringify(scan)).toContain(c.inIndex);
          expect(scan.filter ?? '', JSON.stringify(scan)).not.toContain(c.inIndex);
        }
      }
    });
  }
});

describe('the pushed-down rules leave out no row the rules permit', () => {
  it('for every persona and purpose, every decision and referral the policies permit is among the rows the SQL selects', async () => {
    const engine = policeSubgraph.policies();
    const decisionRows = await db.query<Record<string, unknown> & { id: string }>(`SELECT ${DECISION_COLUMNS} FROM criminal_decisions d`);
    const referralRows = await db.query<Record<string, unknown> & { id: string }>(`SELECT ${REFERRAL_COLUMNS} FROM referrals r JOIN criminal_decisions d ON d.id = r.decision_id`);
    const r = new Random('pushdown');
    let permitted = 0;
    let narrowed = 0;
    for (const persona of Object.values(PERSONAS)) {
      for (const purpose of PURPOSES) {
        const identity: RequestIdentity = { principal: { ...persona, issuer: 'test' }, purpose };
        const authz = new RequestAuthorizer(engine, policeResources, identity);
        const base = PolicyEngine.requestBase(identity, Math.floor(Date.now() / 86_400_000));
        for (const [type, rows, from] of [
          ['CriminalDecision', decisionRows, 'criminal_decisions d'],
          ['Referral', referralRows, 'referrals r JOIN criminal_decisions d ON d.id = r.decision_id'],
        ] as const) {
          const params: unknown[] = [];
          const where = authz.sqlFilter(type, params);
          const selected = new Set((await db.query<{ id: string }>(`SELECT ${type === 'Referral' ? 'r' : 'd'}.id FROM ${from} WHERE ${where}`, params)).map((row) => row.id));
          const left = rows.filter((row) => !selected.has(row.id));
          if (left.length) narrowed++;
          // The compiled rules (checked against Cedar in police.test.ts) on every row left out…
          const wronglyLeft = left.filter((row) => authz.canRead(type, row));
          expect(wronglyLeft.map((row) => row.id), `${persona.subject} ${purpose} ${type}: ${where}`).toEqual([]);
          // …and Cedar itself on a sample of them.
          for (const row of Array.from({ length: Math.min(40, left.length) }, () => r.pick(left))) {
            const entity = authz.entity(type, row);
            expect(engine.exact(base, type, { type, id: entity.id, attrs: entity.attrs }), `${persona.subject} ${purpose} ${type} ${row.id}`).toBe(false);
          }
          permitted += rows.length - left.length;
        }
      }
    }
    // The check has teeth: the SQL narrows many requests, and permits rows in others.
    expect(narrowed).toBeGreaterThan(20);
    expect(permitted).toBeGreaterThan(1000);
  }, 240_000);
});
