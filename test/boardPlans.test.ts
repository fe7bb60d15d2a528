import { BoardDashboardDocument } from '@partnergraph/operations';
import { isQuery, planScans, StatementRecorder, type PlanScan, type RecordedStatement } from '@partnergraph/subgraph-kit/testing';
import { isKeptPrepared } from '@partnergraph/subgraph-kit';
import { World } from '@partnergraph/synthetic';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type System } from './support/system.js';

/**
 * The board's per-area figures do not grow with the data (issue 14 §1): on
 * PostgreSQL with enough rows that the planner would read a whole table if no
 * index or maintained aggregate served the figure, no statement the owners
 * run for the board's overview reads tenancies or criminal decisions by a
 * sequential scan.
 */
const SCALE = { tenancies: 200_000, decisions: 40_000 };
/** The big tables: a per-area figure must never read them whole. */
const BIG_TABLES = ['tenancies', 'criminal_decisions'];

/** The overview as the bench measures it, and the app's dashboard with its statistics. */
const OVERVIEWS: Array<{ name: string; query: string; variables?: Record<string, unknown> }> = [
  {
    name: 'board overview (bench:board)',
    query: `query BoardOverview { areas { id name isSpecialArea latestSafetyIndex { year shareFeelingSafe comparableAreasShare }
      activeInitiativeCount currentTenancyCount goals { metric assessment { year status } } } }`,
  },
  { name: 'board dashboard (app)', query: print(BoardDashboardDocument), variables: { fromYear: 2013, incidentYear: new Date().getFullYear() - 1 } },
];

let system: System | undefined;
const recorder = new StatementRecorder();

beforeAll(async () => {
  system = await startSystem({ world: new World(SCALE), recorder });
  if (!process.env['TEST_DATABASE_URL']) return;
  // Fresh statistics, as autovacuum would have them on a database that has run for a while.
  await Promise.all(Object.values(system.owners).map((o) => o.db.query('ANALYZE')));
}, 600_000);
afterAll(() => system?.stop());

/** Whether the database is PostgreSQL (the plans of PGlite's in-process engine are not what production runs). */
const onPostgres = () => Boolean(process.env['TEST_DATABASE_URL']);

describe(`the board's per-area figures on ${SCALE.tenancies.toLocaleString('en')} tenancies and ${SCALE.decisions.toLocaleString('en')} decisions`, () => {
  it('runs on PostgreSQL', () => {
    // The suite's services are required in CI; a run without PostgreSQL would prove nothing about its plans.
    expect(onPostgres(), 'TEST_DATABASE_URL (PostgreSQL) is needed for this test').toBe(true);
  });

  for (const overview of OVERVIEWS) {
    it(`${overview.name}: no sequential scan of ${BIG_TABLES.join(' or ')}`, async () => {
      const s = system!;
      let body: { data?: { areas?: unknown[] } | null; errors?: unknown } = {};
      const statements = await recorder.during(async () => {
        body = (await s.gql('board-member', 'COORDINATION', overview.query, overview.variables)).body as typeof body;
      });
      expect(body.errors).toBeUndefined();
      expect(body.data?.areas?.length).toBeGreaterThan(0);
      const reads = statements.filter(isQuery);
      // The test has teeth: the overview reads from every owner, and reads the big tables' owners.
      expect(new Set(reads.map((r) => r.owner))).toEqual(new Set(Object.keys(s.owners)));
      const whole: Array<{ statement: RecordedStatement; scans: PlanScan[] }> = [];
      for (const statement of reads) {
        // Each statement is kept prepared: after its first executions PostgreSQL may answer it with the generic plan.
        for (const generic of [false, isKeptPrepared(statement.sql)]) {
          const scans = await planScans(s.owners[statement.owner]!.db, statement, { generic });
          if (scans.some((scan) => scan.nodeType === 'Seq Scan' && BIG_TABLES.includes(scan.relation ?? ''))) whole.push({ statement, scans });
        }
      }
      expect(whole.map((w) => `${w.statement.owner}: ${w.statement.sql.replace(/\s+/g, ' ')}\n  ${JSON.stringify(w.scans)}`)).toEqual([]);
    });
  }

  it("the facts the counts read are kept with the rows they come from: a case follows its tenancy, a referral its decision", async () => {
    const housing = system!.owners['housing']!.db;
    const police = system!.owners['police']!.db;
    const [c] = await housing.query<{ tenancyId: string; areaId: string }>(
      `SELECT tenancy_id AS "tenancyId", area_id AS "areaId" FROM termination_cases WHERE referral_id IS NOT NULL LIMIT 1`,
    );
    const [r] = await police.query<{ decisionId: string; areaId: string }>(`SELECT decision_id AS "decisionId", area_id AS "areaId" FROM referrals LIMIT 1`);
    expect(c && r).toBeTruthy();
    const moveTenancy = (area: string, person: string) =>
      housing.query('UPDATE tenancies SET area_id = $2, tenant_person_id = $3 WHERE id = $1', [c!.tenancyId, area, person]);
    const moveDecision = (area: string, person: string) => police.query('UPDATE criminal_decisions SET area_id = $2, person_id = $3 WHERE id = $1', [r!.decisionId, area, person]);
    const [tenancy] = await housing.query<{ person: string }>('SELECT tenant_person_id AS person FROM tenancies WHERE id = $1', [c!.tenancyId]);
    const [decision] = await police.query<{ person: string }>('SELECT person_id AS person FROM criminal_decisions WHERE id = $1', [r!.decisionId]);
    await moveTenancy('elsewhere', 'p-moved');
    await moveDecision('elsewhere', 'p-moved');
    try {
      expect(await housing.query('SELECT area_id, tenant_person_id FROM termination_cases WHERE tenancy_id = $1', [c!.tenancyId])).toEqual([
        { area_id: 'elsewhere', tenant_person_id: 'p-moved' },
      ]);
      expect(new Set((await police.query<{ area_id: string; person_id: string }>('SELECT area_id, person_id FROM referrals WHERE decision_id = $1', [r!.decisionId])).map((x) => `${x.area_id} ${x.person_id}`))).toEqual(
        new Set(['elsewhere p-moved']),
      );
    } finally {
      await moveTenancy(c!.areaId, tenancy!.person);
      await moveDecision(r!.areaId, decision!.person);
    }
    expect(await housing.query<{ area_id: string }>('SELECT area_id FROM termination_cases WHERE tenancy_id = $1', [c!.tenancyId])).toEqual([{ area_id: c!.areaId }]);
  });

  it('the per-area counts are kept with every write: after opening, advancing, moving and removing, they equal a recount', async () => {
    const housing = system!.owners['housing']!.db;
    const police = system!.owners['police']!.db;
    const recountReferrals = `SELECT area_id, purpose, count(*)::int AS referrals, count(DISTINCT person_id)::int AS persons FROM referrals GROUP BY area_id, purpose`;
    const keptReferrals = `SELECT area_id, purpose, total, persons FROM referral_counts WHERE total > 0`;
    const recountCases = `SELECT area_id, status, count(*)::int AS cases, count(DISTINCT tenant_person_id)::int AS persons FROM termination_cases WHERE referral_id IS NOT NULL GROUP BY area_id, status`;
    const keptCases = `SELECT area_id, status, total, persons FROM case_counts WHERE total > 0`;
    const same = async (db: Pick<typeof housing, 'query'>, kept: string, recount: string) => {
      const key = (r: Record<string, unknown>) => JSON.stringify(Object.values(r));
      expect((await db.query<Record<string, unknown>>(kept)).map(key).sort()).toEqual((await db.query<Record<string, unknown>>(recount)).map(key).sort());
    };
    await same(police, keptReferrals, recountReferrals);
    await same(housing, keptCases, recountCases);

    // Every kind of write, in a transaction rolled back at the end: the data stay as the other tests expect.
    class Undo extends Error {}
    const undone = (error: unknown) => {
      if (!(error instanceof Undo)) throw error;
    };
    await police.transaction(async (tx) => {
      const [r] = await tx.query<{ id: string; decision_id: string; purpose: string }>('SELECT id, decision_id, purpose FROM referrals ORDER BY id LIMIT 1');
      const [other, another] = await tx.query<{ id: string }>('SELECT id FROM criminal_decisions d WHERE NOT EXISTS (SELECT 1 FROM referrals x WHERE x.decision_id = d.id) ORDER BY id DESC LIMIT 2');
      await tx.query(
        `INSERT INTO referrals SELECT (jsonb_populate_record(NULL::referrals, to_jsonb(x) || jsonb_build_object('id', 'R-test-copy', 'decision_id', $2::text))).* FROM referrals x WHERE x.id = $1`,
        [r!.id, other!.id],
      );
      await tx.query('UPDATE referrals SET purpose = $2 WHERE id = $1', [r!.id, r!.purpose === 'TERMINATION_90_10' ? 'CRIME_PREVENTION_63D' : 'TERMINATION_90_10']);
      await tx.query('UPDATE referrals SET decision_id = $2 WHERE id = $1', [r!.id, another!.id]);
      await tx.query("UPDATE criminal_decisions SET area_id = 'elsewhere', person_id = 'p-moved' WHERE id = $1", [r!.decision_id]);
      await tx.query('DELETE FROM referrals WHERE id = (SELECT id FROM referrals WHERE id <> $1 ORDER BY id DESC LIMIT 1)', [r!.id]);
      await same(tx, keptReferrals, recountReferrals);
      throw new Undo();
    }).catch(undone);
    await same(police, keptReferrals, recountReferrals);

    await housing.transaction(async (tx) => {
      const [c] = await tx.query<{ id: string; tenancy_id: string }>('SELECT id, tenancy_id FROM termination_cases WHERE referral_id IS NOT NULL ORDER BY id LIMIT 1');
      const [other] = await tx.query<{ id: string }>('SELECT id FROM tenancies WHERE id <> $1 ORDER BY id DESC LIMIT 1', [c!.tenancy_id]);
      await tx.query("UPDATE termination_cases SET status = CASE WHEN status = 'WITHDRAWN' THEN 'ASSESSING' ELSE 'WITHDRAWN' END WHERE id = $1", [c!.id]);
      await tx.query("UPDATE tenancies SET area_id = 'elsewhere', tenant_person_id = 'p-moved' WHERE id = $1", [c!.tenancy_id]);
      await tx.query('UPDATE termination_cases SET tenancy_id = $2 WHERE id = $1', [c!.id, other!.id]);
      await tx.query('UPDATE termination_cases SET referral_id = NULL WHERE id = (SELECT id FROM termination_cases WHERE referral_id IS NOT NULL AND id <> $1 ORDER BY id DESC LIMIT 1)', [c!.id]);
      await tx.query('DELETE FROM termination_cases WHERE id = (SELECT id FROM termination_cases WHERE referral_id IS NOT NULL AND id <> $1 ORDER BY id LIMIT 1 OFFSET 1)', [c!.id]);
      await same(tx, keptCases, recountCases);
      throw new Undo();
    }).catch(undone);
    await same(housing, keptCases, recountCases);
  });

  it('the check sees a sequential scan where there is one', async () => {
    // Without an index on the column, counting one area's tenancies reads the whole table.
    const housing = system!.owners['housing']!.db;
    for (const generic of [false, true]) {
      const scans = await planScans(housing, { owner: 'housing', sql: 'SELECT count(*) FROM tenancies WHERE lower(area_id) = $1', params: ['ringparken'] }, { generic });
      expect(scans.some((scan) => scan.nodeType === 'Seq Scan' && scan.relation === 'tenancies')).toBe(true);
    }
  });
});
