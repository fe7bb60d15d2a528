import { BoardDashboardDocument } from '@partnergraph/operations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type System } from './support/system.js';

/**
 * The board's referral → termination funnel (issue 12 §1): the police count
 * referrals, the housing companies count the cases opened on them, each owner
 * suppressing its own small cells (fewer than 5 persons), each under its own
 * rule for aggregates.
 */
const AREAS = ['motalavej', 'ringparken', 'sydbyen', 'parkvej'];
const STATUSES = ['ASSESSING', 'NOTICE_SERVED', 'IN_COURT', 'COMPLETED', 'WITHDRAWN'];
type Count = { count: number | null; suppressed: boolean };

describe('the referral → termination funnel on the board overview', () => {
  let system: System;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(() => system?.stop());

  it('publishes the true counts, and hides every cell of 1–4 persons', async () => {
    const year = new Date().getFullYear() - 1;
    const answer = await system.run('board-member', 'STATISTICS', BoardDashboardDocument, { fromYear: 2013, incidentYear: year });
    expect(answer.body.errors).toBeUndefined();
    const areas = answer.body.data!.areas!;
    expect(areas.map((a) => a.id)).toEqual(AREAS);

    const referred = await system.owners['police']!.db.query<{ areaId: string; n: number; persons: number }>(
      `SELECT d.area_id AS "areaId", count(*)::int AS n, count(DISTINCT d.person_id)::int AS persons FROM referrals r JOIN criminal_decisions d ON d.id = r.decision_id GROUP BY d.area_id`,
    );
    const cases = await system.owners['housing']!.db.query<{ areaId: string; status: string; n: number; persons: number }>(
      `SELECT t.area_id AS "areaId", c.status, count(*)::int AS n, count(DISTINCT t.tenant_person_id)::int AS persons
       FROM termination_cases c JOIN tenancies t ON t.id = c.tenancy_id WHERE c.referral_id IS NOT NULL GROUP BY t.area_id, c.status`,
    );
    const check = (published: Count, truth: { n: number; persons: number } | undefined, what: string) => {
      const n = truth?.n ?? 0;
      const persons = truth?.persons ?? 0;
      if (persons > 0 && persons < 5) expect(published, what).toMatchObject({ count: null, suppressed: true });
      if (!published.suppressed) expect(published.count, what).toBe(n);
      else expect(published.count, what).toBeNull();
    };
    let visible = 0;
    for (const area of areas) {
      const total = area.referralStatistics!.total as Count;
      check(total, referred.find((r) => r.areaId === area.id), `${area.id} referred`);
      const byStatus = area.terminationCaseStatistics!.byStatus!;
      expect(byStatus.map((s) => s.status)).toEqual(STATUSES);
      for (const cell of byStatus) check(cell as Count, cases.find((c) => c.areaId === area.id && c.status === cell.status), `${area.id} ${cell.status}`);
      visible += [total, ...byStatus].filter((c) => !c.suppressed).length;
    }
    // The synthetic partnership has enough referrals that the funnel is not all hidden.
    expect(visible).toBeGreaterThan(0);
  });

  it('follows each owner\'s rule for aggregates: partners under STATISTICS or COORDINATION, not under a personal purpose', async () => {
    const query = '{ areas { id referralStatistics { total { count suppressed } } terminationCaseStatistics { opened { count suppressed } } } }';
    const analyst = await system.gql('analyst', 'STATISTICS', query);
    expect(analyst.body.errors).toBeUndefined();
    expect(analyst.body.data.areas).toHaveLength(4);
    const police = await system.gql('police-investigator', 'STATISTICS', query);
    expect(police.body.errors).toBeUndefined();
    // A municipal caseworker under SSP_115 (a purpose about persons) gets neither owner's counts.
    const personal = await system.gql('municipality-caseworker', 'SSP_115', query);
    const codes = new Set((personal.body.errors ?? []).map((e) => `${e.path?.slice(-1)[0]}:${e.extensions?.['code']}`));
    expect(codes).toEqual(new Set(['referralStatistics:FORBIDDEN', 'terminationCaseStatistics:FORBIDDEN']));
    expect(personal.body.data.areas.every((a: { referralStatistics: unknown; terminationCaseStatistics: unknown }) => a.referralStatistics === null && a.terminationCaseStatistics === null)).toBe(true);
  });
});
