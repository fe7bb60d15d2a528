import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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
type Funnel = {
  id: string;
  referralStatistics: { total: Count; byPurpose: Count[] } | null;
  terminationCaseStatistics: { opened: Count; byStatus: Count[] } | null;
};

const FIGURES = 'referralStatistics { total { count suppressed } byPurpose { count suppressed } } terminationCaseStatistics { opened { count suppressed } byStatus { count suppressed } }';

/** Every figure a caller can work out for a total: the total itself, and the sum of its parts when all are published. */
function derivable(total: Count, parts: Count[]): number[] {
  const out = total.suppressed ? [] : [total.count!];
  if (parts.length > 0 && parts.every((p) => !p.suppressed)) out.push(parts.reduce((sum, p) => sum + p.count!, 0));
  return out;
}

/** Referrals without a case, as a caller works them out: the police's total less the housing companies' opened, in every pairing. */
function differences(police: Pick<Funnel, 'id' | 'referralStatistics'>[], housing: Pick<Funnel, 'id' | 'terminationCaseStatistics'>[]) {
  return AREAS.flatMap((id) => {
    const r = police.find((a) => a.id === id)?.referralStatistics;
    const c = housing.find((a) => a.id === id)?.terminationCaseStatistics;
    if (!r || !c) return [];
    return derivable(r.total, r.byPurpose).flatMap((referred) => derivable(c.opened, c.byStatus).map((opened) => ({ id, gap: referred - opened })));
  });
}

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

  describe('across the two owners: referrals without a case, worked out by subtraction', () => {
    let planted: { areaId: string; gap: number; cases: number };

    // Cases opened (as the housing companies' database records them) on all but 2 of an area's referrals:
    // each owner's own table is then safe, and the police's total less the cases opened is 2.
    beforeAll(async () => {
      const police = system.owners['police']!.db;
      const housing = system.owners['housing']!.db;
      const referrals = await police.query<{ id: string; areaId: string; purpose: string }>(`SELECT id, area_id AS "areaId", purpose FROM referrals ORDER BY id`);
      const opened = new Set((await housing.query<{ referralId: string }>(`SELECT referral_id AS "referralId" FROM termination_cases WHERE referral_id IS NOT NULL`)).map((r) => r.referralId));
      const cases = await housing.query<{ areaId: string; n: number }>(`SELECT area_id AS "areaId", count(*)::int AS n FROM termination_cases WHERE referral_id IS NOT NULL GROUP BY area_id`);
      const gaps = AREAS.map((areaId) => ({
        areaId,
        gap: referrals.filter((r) => r.areaId === areaId).length - (cases.find((c) => c.areaId === areaId)?.n ?? 0),
        without: referrals.filter((r) => r.areaId === areaId && !opened.has(r.id)),
      }));
      const area = gaps.filter((g) => g.gap >= 5).sort((a, b) => a.gap - b.gap)[0]!;
      const toOpen = area.without.slice(0, area.gap - 2);
      const tenancies = await housing.query<{ id: string; companyId: string }>(
        `SELECT id, company_id AS "companyId" FROM tenancies WHERE area_id = $1 AND end_date IS NULL ORDER BY id LIMIT $2`,
        [area.areaId, toOpen.length],
      );
      for (const [i, referral] of toOpen.entries()) {
        await housing.query(
          `INSERT INTO termination_cases (id, tenancy_id, company_id, referral_id, basis, status, opened_on, status_changed_on, purpose, referral_confirmed_at)
           VALUES ($1, $2, $3, $4, 'OTHER', 'ASSESSING', current_date, current_date, $5, now())`,
          [`C-funnel-${i}`, tenancies[i]!.id, tenancies[i]!.companyId, referral.id, referral.purpose],
        );
      }
      planted = { areaId: area.areaId, gap: 2, cases: (cases.find((c) => c.areaId === area.areaId)?.n ?? 0) + toOpen.length };
    });

    it('through the gateway: no pairing of published figures leaves 1–4 referrals without a case, and the safe figures stay published', async () => {
      // A query of its own: the gateway has no answer for it from before the cases were opened.
      const answer = await system.gql('board-member', 'STATISTICS', `{ areas { id ${FIGURES} } }`);
      expect(answer.body.errors).toBeUndefined();
      const areas = answer.body.data.areas as Funnel[];
      const gaps = differences(areas, areas);
      for (const { id, gap } of gaps) expect(gap < 1 || gap > 4, `${id}: ${gap} referrals without a case`).toBe(true);
      const stats = areas.find((a) => a.id === planted.areaId)!.terminationCaseStatistics!;
      expect(stats.opened).toEqual({ count: null, suppressed: true });
      // Elsewhere the true counts are still published where safe: the funnel is not all hidden.
      const cases = await system.owners['housing']!.db.query<{ areaId: string; n: number }>(
        `SELECT area_id AS "areaId", count(*)::int AS n FROM termination_cases WHERE referral_id IS NOT NULL GROUP BY area_id`,
      );
      const published = areas.filter((a) => !a.terminationCaseStatistics!.opened.suppressed);
      expect(published.length).toBeGreaterThan(0);
      for (const a of published) expect(a.terminationCaseStatistics!.opened.count).toBe(cases.find((c) => c.areaId === a.id)?.n ?? 0);
      expect(gaps.length).toBeGreaterThan(0);
    });

    const entities = (fields: string) => `query ($areas: [_Any!]!) { _entities(representations: $areas) { ... on HousingArea { id ${fields} } } }`;
    const representations = { areas: AREAS.map((id) => ({ __typename: 'HousingArea', id })) };

    it('straight at the owners: the police subgraph and the housing subgraph asked directly give no such difference either', async () => {
      const police = await system.direct('police')('board-member', 'STATISTICS', entities(FIGURES.split(' terminationCaseStatistics')[0]!), representations);
      const housing = await system.direct('housing')('board-member', 'STATISTICS', entities(`terminationCaseStatistics ${FIGURES.split(' terminationCaseStatistics')[1]!}`), representations);
      expect(police.body.errors).toBeUndefined();
      expect(housing.body.errors).toBeUndefined();
      const gaps = differences(police.body.data._entities, housing.body.data._entities);
      expect(gaps.length).toBeGreaterThan(0);
      for (const { id, gap } of gaps) expect(gap < 1 || gap > 4, `${id}: ${gap} referrals without a case`).toBe(true);
      expect(housing.body.data._entities.find((a: Funnel) => a.id === planted.areaId).terminationCaseStatistics.opened.suppressed).toBe(true);
      // The police's own figures are unchanged: their rules are theirs.
      expect(police.body.data._entities.find((a: Funnel) => a.id === planted.areaId).referralStatistics.total.suppressed).toBe(false);
    });

    it('fails closed: with the police unreachable, or a caller who may not read their counts, no area\'s opened is published, and nothing says why', async () => {
      const query = entities(`terminationCaseStatistics ${FIGURES.split(' terminationCaseStatistics')[1]!}`);
      const hiddenEverywhere = (body: { data?: { _entities: Funnel[] } | null; errors?: unknown }) => {
        expect(body.errors).toBeUndefined();
        for (const a of body.data!._entities) expect(a.terminationCaseStatistics!.opened, a.id).toEqual({ count: null, suppressed: true });
      };
      // A housing caseworker may read the companies' counts under a personal purpose; the police's counts, not.
      const personal = await system.direct('housing')('housing-fob-caseworker', 'TERMINATION_90_10', query, representations);
      hiddenEverywhere(personal.body);

      system.peerOverrides['police'] = 'http://127.0.0.1:9/graphql';
      try {
        const down = await system.direct('housing')('board-member', 'STATISTICS', query, representations);
        hiddenEverywhere(down.body);
        expect(JSON.stringify(down.body)).not.toMatch(/police|unavailable|ECONNREFUSED/i);
        const viaGateway = await system.gql('board-member', 'COORDINATION', `{ areas { id terminationCaseStatistics { opened { count suppressed } } } }`);
        expect(viaGateway.body.errors).toBeUndefined();
        for (const a of viaGateway.body.data.areas) expect(a.terminationCaseStatistics.opened, a.id).toEqual({ count: null, suppressed: true });
      } finally {
        delete system.peerOverrides['police'];
      }
      // The police answering again, the safe counts are back (nothing was kept from the failure).
      const back = await system.direct('housing')('board-member', 'STATISTICS', query, representations);
      expect(back.body.data._entities.some((a: Funnel) => !a.terminationCaseStatistics!.opened.suppressed)).toBe(true);
    });

    it('asks the police nothing in the name of a caller refused the counts, and fails closed on partly published police figures', async () => {
      const query = entities(`terminationCaseStatistics ${FIGURES.split(' terminationCaseStatistics')[1]!}`);
      // A stand-in police that records being asked, and publishes one legal basis per area with the rest hidden.
      const asked: string[] = [];
      const police = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk) => (body += chunk));
        req.on('end', () => {
          asked.push(body);
          const published = { count: 1000, suppressed: false };
          const hidden = { count: null, suppressed: true };
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ data: { _entities: AREAS.map((id) => ({ id, referralStatistics: { total: hidden, byPurpose: [published, hidden] } })) } }));
        });
      });
      await new Promise<void>((resolve) => police.listen(0, '127.0.0.1', resolve));
      system.peerOverrides['police'] = `http://127.0.0.1:${(police.address() as AddressInfo).port}/graphql`;
      try {
        const refused = await system.direct('housing')('municipality-caseworker', 'SSP_115', query, representations);
        expect(refused.body.errors?.map((e: { extensions?: { code?: string } }) => e.extensions?.code)).toContain('FORBIDDEN');
        expect(asked).toEqual([]);

        // 1,000 referrals published under one basis, the other hidden: our opened would bound the hidden one from below.
        const partly = await system.direct('housing')('board-member', 'STATISTICS', query, representations);
        expect(asked.length).toBeGreaterThan(0);
        expect(partly.body.errors).toBeUndefined();
        for (const a of partly.body.data._entities as Funnel[]) expect(a.terminationCaseStatistics!.opened, a.id).toEqual({ count: null, suppressed: true });
      } finally {
        delete system.peerOverrides['police'];
        await new Promise((resolve) => police.close(resolve));
      }
    });
  });
});
