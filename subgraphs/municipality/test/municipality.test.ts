import { DevIssuer, PERSONAS } from '@partnergraph/common';
import { AREA_IDS, organisationKind } from '@partnergraph/vocabulary';
import type { Database } from '@partnergraph/subgraph-kit';
import { createTestDatabase, personaClient } from '@partnergraph/subgraph-kit/testing';
import { municipalityInitiatives, municipalityInjunctions, World } from '@partnergraph/synthetic';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMunicipality } from '../src/data/seed.js';
import { createMunicipalityServer } from '../src/server.js';

const INJUNCTION_COUNT = 60;
const world = new World();
const seededInjunctions = municipalityInjunctions(world);

let issuer: DevIssuer;
let url: string;
let db: Database;
let gql: ReturnType<typeof personaClient>;
let stop: () => Promise<void>;

beforeAll(async () => {
  issuer = await DevIssuer.create();
  db = await createTestDatabase('municipality');
  const server = await createMunicipalityServer({ db, trust: issuer.trustConfig() });
  expect(await seedMunicipality(db, world)).toBe(true);
  const running = await server.listen(0);
  url = running.url;
  gql = personaClient(url, (persona) => issuer.signPersona(persona));
  stop = async () => {
    await server.stop();
    await db.close();
  };
});
afterAll(() => stop?.());

type Body = { data?: any; errors?: any[] };

async function post(token: string | null, purpose: string | null, query: string, variables?: Record<string, unknown>) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers['authorization'] = `Bearer ${token}`;
  if (purpose) headers['x-purpose'] = purpose;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: (await res.json()) as Body };
}


const codes = (body: Body) => (body.errors ?? []).map((e) => e.extensions?.['code']);

/** No data at all, or only nulls at the root. */
function expectNoData(body: Body, label?: string) {
  expect(Object.values(body.data ?? {}).every((v) => v === null), label).toBe(true);
}

/** No injunction id, person id, reason or caseworker of the seed appears anywhere in a response. */
function expectNoInjunctionData(body: Body) {
  const text = JSON.stringify(body);
  for (const j of seededInjunctions) {
    expect(text).not.toContain(j.id);
    expect(text).not.toContain(j.personId);
    expect(text).not.toContain(j.reason);
  }
}

const INJUNCTIONS = `query($filter: InjunctionFilter, $first: Int, $after: String) {
  injunctions(filter: $filter, first: $first, after: $after) {
    nodes { id kind issuedOn endsOn reason caseworker person { id } area { id name } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const STATISTICS = `query($areaId: ID, $fromYear: Int, $toYear: Int) {
  injunctionStatistics(areaId: $areaId, fromYear: $fromYear, toYear: $toYear) {
    area { id } fromYear toYear
    years { year byKind { kind count suppressed } total { count suppressed } }
    kindTotals { kind count suppressed }
    total { count suppressed }
  }
}`;

function allCounts(stats: any): Array<{ count: number | null; suppressed: boolean }> {
  return [...stats.years.flatMap((y: any) => [...y.byKind, y.total]), ...stats.kindTotals, stats.total];
}

describe('municipality subgraph: identity', () => {
  it('refuses requests without a token', async () => {
    const { status, body } = await gql(null, 'COORDINATION', '{ areas { id } }');
    expect(status).toBe(401);
    expect(codes(body)).toEqual(['UNAUTHENTICATED']);
    expect(body.data).toBeUndefined();
  });

  it('refuses a purpose the principal may not use', async () => {
    const { body } = await gql('analyst', 'SSP_115', INJUNCTIONS);
    expect(codes(body)).toEqual(['PURPOSE_NOT_ALLOWED']);
    expect(body.data ?? null).toBeNull();
  });
});

describe('municipality subgraph: areas, organisations and initiatives', () => {
  it('serves areas and organisations to every partner under any purpose', async () => {
    const q = '{ areas { id name town isSpecialArea activeInitiativeCount } organisations { id name shortName kind } }';
    for (const [persona, purpose] of [
      ['housing-fob-caseworker', 'COORDINATION'],
      ['police-investigator', 'CRIME_PREVENTION_63D'],
      ['secretariat-coordinator', 'COORDINATION'],
      ['analyst', 'STATISTICS'],
    ] as const) {
      const { body } = await gql(persona, purpose, q);
      expect(body.errors, persona).toBeUndefined();
      expect(body.data.areas.map((a: any) => a.id)).toEqual(AREA_IDS);
      expect(body.data.areas.filter((a: any) => a.isSpecialArea).map((a: any) => a.id)).toEqual(['motalavej', 'ringparken']);
      expect(body.data.areas.find((a: any) => a.id === 'motalavej')).toMatchObject({ name: 'Motalavej', town: 'Korsør' });
      // Every area has initiatives running today.
      for (const a of body.data.areas) expect(a.activeInitiativeCount, a.id).toBeGreaterThan(0);
      expect(body.data.organisations).toHaveLength(8);
      for (const o of body.data.organisations) expect(o.kind).toBe(organisationKind(o.id));
    }
  });

  it('resolves one area and one organisation, and rejects unknown ids as client errors', async () => {
    const ok = await gql('housing-fob-caseworker', 'COORDINATION', '{ area(id: "sydbyen") { name town } organisation(id: "fob") { shortName kind } }');
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data).toEqual({ area: { name: 'Sydbyen', town: 'Slagelse' }, organisation: { shortName: 'FOB', kind: 'HOUSING_COMPANY' } });
    for (const q of ['{ area(id: "nowhere") { name } }', '{ organisation(id: "nobody") { name } }', '{ initiative(id: "1; DROP TABLE") { title } }']) {
      const { body } = await gql('housing-fob-caseworker', 'COORDINATION', q);
      expect(codes(body), q).toEqual(['BAD_USER_INPUT']);
      expectNoData(body, q);
      expect(JSON.stringify(body)).not.toMatch(/stacktrace|\.ts:\d|at [A-Za-z]+ \(/);
    }
  });

  it('lists initiatives with their organisation, areas, period and status', async () => {
    const { body } = await gql(
      'housing-fob-caseworker',
      'COORDINATION',
      `{ initiatives(first: 1000) { nodes { id title description kind status startsOn endsOn version
           responsibleOrganisation { id kind } areas { id name } } pageInfo { hasNextPage } } }`,
    );
    expect(body.errors).toBeUndefined();
    const nodes = body.data.initiatives.nodes;
    expect(nodes).toHaveLength(municipalityInitiatives(world).length);
    expect(nodes.length).toBeGreaterThanOrEqual(35);
    expect(body.data.initiatives.pageInfo.hasNextPage).toBe(false);
    const today = new Date().toISOString().slice(0, 10);
    for (const n of nodes) {
      // The agreement's split of responsibility.
      if (n.kind === 'BUILDING_UP') expect(['MUNICIPALITY', 'HOUSING_COMPANY']).toContain(n.responsibleOrganisation.kind);
      if (n.kind === 'CRIME_PREVENTIVE') expect(n.responsibleOrganisation.kind).toBe('POLICE');
      expect(n.areas.length).toBeGreaterThan(0);
      expect(n.startsOn >= '2014-01-01').toBe(true);
      const expected = n.startsOn > today ? 'PLANNED' : n.endsOn !== null && n.endsOn < today ? 'CLOSED' : 'ACTIVE';
      expect(n.status, n.id).toBe(expected);
      expect(n.version).toBe(1);
    }
    expect(new Set(nodes.map((n: any) => n.status))).toEqual(new Set(['PLANNED', 'ACTIVE', 'CLOSED']));
    expect(new Set(nodes.map((n: any) => n.kind))).toEqual(new Set(['BUILDING_UP', 'PREVENTIVE', 'CRIME_PREVENTIVE']));
    // Newest start first.
    const starts = nodes.map((n: any) => n.startsOn);
    expect([...starts].sort().reverse()).toEqual(starts);
  });

  it('filters initiatives by area, kind, organisation, day and status', async () => {
    const q = `query($filter: InitiativeFilter) { initiatives(filter: $filter, first: 1000) {
      nodes { id kind status startsOn endsOn responsibleOrganisation { id } areas { id } } } }`;
    const day = '2016-06-01';
    const { body } = await gql('police-investigator', 'COORDINATION', q, { filter: { areaId: 'motalavej', activeOn: day } });
    expect(body.errors).toBeUndefined();
    const nodes = body.data.initiatives.nodes;
    expect(nodes.length).toBeGreaterThan(0);
    for (const n of nodes) {
      expect(n.areas.map((a: any) => a.id)).toContain('motalavej');
      expect(n.startsOn <= day && (n.endsOn === null || n.endsOn >= day)).toBe(true);
    }
    const police = await gql('police-investigator', 'COORDINATION', q, { filter: { kind: 'CRIME_PREVENTIVE', organisationId: 'police' } });
    const crimePreventive = await gql('police-investigator', 'COORDINATION', q, { filter: { kind: 'CRIME_PREVENTIVE' } });
    expect(police.body.data.initiatives.nodes.length).toBeGreaterThan(0);
    expect(police.body.data.initiatives.nodes).toEqual(crimePreventive.body.data.initiatives.nodes);

    // activeInitiativeCount agrees with the ACTIVE filter, per area.
    const areas = await gql('police-investigator', 'COORDINATION', '{ areas { id activeInitiativeCount initiatives(filter: { status: ACTIVE }, first: 1000) { nodes { id status } } } }');
    expect(areas.body.errors).toBeUndefined();
    for (const a of areas.body.data.areas) {
      expect(a.initiatives.nodes.length, a.id).toBe(a.activeInitiativeCount);
      expect(a.initiatives.nodes.every((n: any) => n.status === 'ACTIVE')).toBe(true);
    }
    const bad = await gql('police-investigator', 'COORDINATION', q, { filter: { organisationId: 'nobody' } });
    expect(codes(bad.body)).toEqual(['BAD_USER_INPUT']);
    expectNoData(bad.body);
  });

  it('pages initiatives with cursors: pages do not overlap and together equal one big page', async () => {
    const q = `query($filter: InitiativeFilter, $first: Int, $after: String) { initiatives(filter: $filter, first: $first, after: $after) {
      nodes { id } pageInfo { hasNextPage endCursor } } }`;
    for (const filter of [null, { kind: 'PREVENTIVE' }]) {
      const big = await gql('housing-fob-caseworker', 'COORDINATION', q, { filter, first: 1000 });
      const all = big.body.data.initiatives.nodes.map((n: any) => n.id);
      expect(all.length).toBeGreaterThan(7);
      const paged: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 100; i++) {
        const { body } = await gql('housing-fob-caseworker', 'COORDINATION', q, { filter, first: 7, after });
        expect(body.errors).toBeUndefined();
        const page = body.data.initiatives;
        expect(page.nodes.length).toBeLessThanOrEqual(7);
        for (const n of page.nodes) expect(paged).not.toContain(n.id);
        paged.push(...page.nodes.map((n: any) => n.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(paged).toEqual(all);
    }
    const bad = await gql('housing-fob-caseworker', 'COORDINATION', q, { first: 5, after: 'not-a-cursor' });
    expect(codes(bad.body)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('municipality subgraph: injunctions', () => {
  it('shows injunctions to a municipal caseworker under SSP_115 only', async () => {
    const { body } = await gql('municipality-caseworker', 'SSP_115', INJUNCTIONS, { first: 1000 });
    expect(body.errors).toBeUndefined();
    const nodes = body.data.injunctions.nodes;
    expect(nodes).toHaveLength(INJUNCTION_COUNT);
    const first = nodes[0];
    expect(first.person.id).toMatch(/^P[0-9A-Z]{10}$/);
    expect(['PARENTAL_INJUNCTION', 'CHILD_YOUTH_INJUNCTION']).toContain(first.kind);
    expect(first.reason).toBeTruthy();
    expect(first.caseworker).toMatch(/^[A-ZÆØÅ]{3}$/);
    expect(first.area.name).toBeTruthy();

    const statistics = await gql('municipality-caseworker', 'STATISTICS', INJUNCTIONS, { first: 1000 });
    expect(codes(statistics.body)).toContain('FORBIDDEN');
    expectNoData(statistics.body);
    expectNoInjunctionData(statistics.body);
  });

  it('narrows a caseworker to the areas in the token', async () => {
    const token = await issuer.sign({ ...PERSONAS['municipality-caseworker']!, subject: 'dev-motalavej-caseworker', areas: ['motalavej'] });
    const { body } = await post(token, 'SSP_115', INJUNCTIONS, { first: 1000 });
    expect(body.errors).toBeUndefined();
    const expected = seededInjunctions.filter((j) => j.areaId === 'motalavej').length;
    expect(expected).toBeGreaterThan(0);
    expect(body.data.injunctions.nodes).toHaveLength(expected);
    expect(body.data.injunctions.nodes.every((n: any) => n.area.id === 'motalavej')).toBe(true);
    const elsewhere = seededInjunctions.find((j) => j.areaId !== 'motalavej')!;
    const one = await post(token, 'SSP_115', 'query($id: ID!) { injunction(id: $id) { id reason } }', { id: elsewhere.id });
    expect(one.body).toEqual({ data: { injunction: null } });
  });

  it('filters and pages injunctions', async () => {
    const parent = seededInjunctions.find((j) => j.kind === 'PARENTAL_INJUNCTION')!;
    const byPerson = await gql('municipality-caseworker', 'SSP_115', INJUNCTIONS, { filter: { personId: parent.personId } });
    expect(byPerson.body.data.injunctions.nodes.map((n: any) => n.id)).toEqual([parent.id]);
    const kind = await gql('municipality-caseworker', 'SSP_115', INJUNCTIONS, { filter: { kind: 'CHILD_YOUTH_INJUNCTION', areaId: 'ringparken' }, first: 1000 });
    expect(kind.body.data.injunctions.nodes.length).toBe(
      seededInjunctions.filter((j) => j.kind === 'CHILD_YOUTH_INJUNCTION' && j.areaId === 'ringparken').length,
    );
    const all = (await gql('municipality-caseworker', 'SSP_115', INJUNCTIONS, { first: 1000 })).body.data.injunctions.nodes.map((n: any) => n.id);
    const paged: string[] = [];
    let after: string | null = null;
    do {
      const { body } = await gql('municipality-caseworker', 'SSP_115', INJUNCTIONS, { first: 11, after });
      paged.push(...body.data.injunctions.nodes.map((n: any) => n.id));
      after = body.data.injunctions.pageInfo.hasNextPage ? body.data.injunctions.pageInfo.endCursor : null;
    } while (after);
    expect(paged).toEqual(all);
    expect(new Set(paged).size).toBe(INJUNCTION_COUNT);
  });

  it('never shows an injunction row or field to anyone else', async () => {
    const someone = seededInjunctions[0]!;
    const queries = [
      INJUNCTIONS,
      `{ injunction(id: "${someone.id}") { id kind reason person { id } } }`,
    ];
    for (const [persona, purposes] of [
      ['police-investigator', ['SSP_115', 'STATISTICS', 'COORDINATION', 'CRIME_PREVENTION_63D']],
      ['housing-fob-caseworker', ['CRIME_PREVENTION_63D', 'TERMINATION_90_10', 'STATISTICS', 'COORDINATION']],
      ['analyst', ['STATISTICS']],
      ['secretariat-coordinator', ['COORDINATION', 'STATISTICS']],
      ['board-member', ['COORDINATION', 'STATISTICS']],
      ['municipality-auditor', ['STATISTICS', 'COORDINATION']],
    ] as const) {
      for (const purpose of purposes) {
        for (const q of queries) {
          const { body } = await gql(persona, purpose, q, { first: 1000 });
          expect(codes(body), `${persona} ${purpose}`).toContain('FORBIDDEN');
          expectNoData(body, `${persona} ${purpose}`);
          expectNoInjunctionData(body);
        }
      }
    }
  });

  it('resolves Person and Injunction entity lookups only for a municipal caseworker under SSP_115', async () => {
    const j = seededInjunctions[0]!;
    const q = `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Person { id injunctions { id reason } } ... on Injunction { id kind reason } } }`;
    const representations = [
      { __typename: 'Person', id: j.personId },
      { __typename: 'Injunction', id: j.id },
    ];
    for (const [persona, purpose] of [
      ['police-investigator', 'SSP_115'],
      ['housing-fob-caseworker', 'CRIME_PREVENTION_63D'],
      ['analyst', 'STATISTICS'],
      ['municipality-caseworker', 'STATISTICS'],
      ['municipality-caseworker', 'COORDINATION'],
      ['board-member', 'COORDINATION'],
    ] as const) {
      const { body } = await gql(persona, purpose, q, { r: representations });
      expect(body.data?._entities ?? [null, null], `${persona} ${purpose}`).toEqual([null, null]);
      expectNoInjunctionData(body);
    }
    const caseworker = await gql('municipality-caseworker', 'SSP_115', q, { r: representations });
    expect(caseworker.body.errors).toBeUndefined();
    expect(caseworker.body.data._entities).toEqual([
      { id: j.personId, injunctions: [{ id: j.id, reason: j.reason }] },
      { id: j.id, kind: j.kind, reason: j.reason },
    ]);
    // Malformed keys resolve to null, not to an error or a lookup.
    const malformed = await gql('municipality-caseworker', 'SSP_115', q, { r: [{ __typename: 'Person', id: 'x' }, { __typename: 'Injunction', id: 42 }] });
    expect(malformed.body.data._entities).toEqual([null, null]);
  });

  it('rejects malformed ids as client errors, without data or stack traces', async () => {
    for (const [q, variables] of [
      ['{ injunction(id: "J1") { id } }', undefined],
      [INJUNCTIONS, { filter: { personId: 'not-a-person' } }],
      [INJUNCTIONS, { filter: { areaId: 'atlantis' } }],
      [INJUNCTIONS, { first: 0 }],
    ] as const) {
      const { body } = await gql('municipality-caseworker', 'SSP_115', q, variables);
      expect(codes(body), q).toEqual(['BAD_USER_INPUT']);
      expectNoData(body, q);
      expect(body.errors![0].message).toMatch(/\w/);
      expect(JSON.stringify(body)).not.toMatch(/stacktrace|\.ts:\d|at [A-Za-z]+ \(/);
    }
  });
});

describe('municipality subgraph: injunction statistics', () => {
  it('gives partners counts only, with small and derivable cells suppressed', async () => {
    for (const [persona, purpose] of [
      ['police-investigator', 'STATISTICS'],
      ['housing-fob-caseworker', 'STATISTICS'],
      ['analyst', 'STATISTICS'],
      ['secretariat-coordinator', 'COORDINATION'],
    ] as const) {
      const { body } = await gql(persona, purpose, STATISTICS);
      expect(body.errors, persona).toBeUndefined();
      const stats = body.data.injunctionStatistics;
      expect(stats.fromYear).toBe(2014);
      expect(stats.toYear).toBe(new Date().getUTCFullYear());
      expect(stats.years).toHaveLength(stats.toYear - stats.fromYear + 1);
      const cells = allCounts(stats);
      expect(cells.some((c) => c.suppressed && c.count === null)).toBe(true);
      for (const c of cells) {
        if (c.count !== null) expect(c.count === 0 || c.count >= 5).toBe(true);
        expect(c.suppressed).toBe(c.count === null);
      }
      expect(stats.total).toEqual({ count: INJUNCTION_COUNT, suppressed: false });
      expectNoInjunctionData(body);
    }
  });

  it('publishes the true counts where it publishes, per area', async () => {
    for (const areaId of AREA_IDS) {
      const { body } = await gql('analyst', 'STATISTICS', STATISTICS, { areaId });
      expect(body.errors).toBeUndefined();
      const stats = body.data.injunctionStatistics;
      expect(stats.area).toEqual({ id: areaId });
      const inArea = seededInjunctions.filter((j) => j.areaId === areaId);
      for (const y of stats.years) {
        for (const c of y.byKind) {
          if (c.count !== null) expect(c.count).toBe(inArea.filter((j) => j.kind === c.kind && j.issuedOn.startsWith(String(y.year))).length);
        }
        // In every row, no hidden cell is alone: it cannot be recovered from the total.
        const hidden = [...y.byKind, y.total].filter((c: any) => c.suppressed).length;
        expect(hidden === 0 || hidden >= 2).toBe(true);
      }
      if (stats.total.count !== null) expect(stats.total.count).toBe(inArea.length);
    }
  });

  it('cannot be combined across year ranges to recover a suppressed cell', async () => {
    const thisYear = new Date().getUTCFullYear();
    for (const areaId of [null, ...AREA_IDS]) {
      let previous: any = null;
      for (let toYear = 2014; toYear <= thisYear; toYear++) {
        const { body } = await gql('analyst', 'STATISTICS', STATISTICS, { areaId, fromYear: 2014, toYear });
        const stats = body.data.injunctionStatistics;
        if (previous) {
          const last = stats.years[stats.years.length - 1];
          stats.kindTotals.forEach((t: any, k: number) => {
            const before = previous.kindTotals[k];
            // Two published totals one year apart give that year's cell: it must then be published too.
            if (t.count !== null && before.count !== null) expect(last.byKind[k].count, `${areaId} ${toYear} ${t.kind}`).toBe(t.count - before.count);
          });
          if (stats.total.count !== null && previous.total.count !== null) expect(last.total.count).toBe(stats.total.count - previous.total.count);
        }
        previous = stats;
      }
    }
  });

  it('cannot be combined across areas to recover a suppressed cell', async () => {
    const tables = await Promise.all(
      [null, ...AREA_IDS].map(async (areaId) => (await gql('analyst', 'STATISTICS', STATISTICS, { areaId })).body.data.injunctionStatistics),
    );
    const [all, ...areas] = tables;
    const lines: Array<Array<{ count: number | null }>> = [];
    all.years.forEach((y: any, i: number) => {
      y.byKind.forEach((c: any, k: number) => lines.push([c, ...areas.map((a: any) => a.years[i].byKind[k])]));
      lines.push([y.total, ...areas.map((a: any) => a.years[i].total)]);
    });
    all.kindTotals.forEach((c: any, k: number) => lines.push([c, ...areas.map((a: any) => a.kindTotals[k])]));
    lines.push([all.total, ...areas.map((a: any) => a.total)]);
    for (const line of lines) {
      // The all-areas cell is the sum of the areas' cells: one hidden number in such a line is recoverable.
      expect(line.filter((c) => c.count === null).length).not.toBe(1);
    }
  });

  it('validates the year range and area', async () => {
    for (const variables of [{ fromYear: 2020, toYear: 2019 }, { fromYear: 1800 }, { areaId: 'atlantis' }]) {
      const { body } = await gql('analyst', 'STATISTICS', STATISTICS, variables);
      expect(codes(body)).toEqual(['BAD_USER_INPUT']);
      expect(body.data?.injunctionStatistics ?? null).toBeNull();
    }
  });

  it('treats a cell as small when its injunctions concern fewer than 5 persons', async () => {
    // Six injunctions in 2013 about two children: a count of 6 would single out two families.
    const rows = Array.from({ length: 6 }, (_, i) => ({
      id: `J99000${String(i).padStart(2, '0')}`,
      person: i % 2 ? 'PTEST000001' : 'PTEST000002',
    }));
    for (const r of rows) {
      await db.query(
        `INSERT INTO injunctions (id, person_id, kind, area_id, child_birth_date, issued_on, ends_on, reason, caseworker)
         VALUES ($1, $2, 'CHILD_YOUTH_INJUNCTION', 'motalavej', '2000-01-01', '2013-03-01', '2013-09-01', 'test', 'TST')`,
        [r.id, r.person],
      );
    }
    try {
      const { body } = await gql('analyst', 'STATISTICS', STATISTICS, { areaId: 'motalavej', fromYear: 2013, toYear: 2013 });
      expect(body.errors).toBeUndefined();
      const cells = allCounts(body.data.injunctionStatistics);
      expect(cells.map((c) => c.count)).not.toContain(6);
      expect(body.data.injunctionStatistics.total).toEqual({ count: null, suppressed: true });
    } finally {
      await db.query("DELETE FROM injunctions WHERE id LIKE 'J99%'");
    }
  });
});

describe('municipality subgraph: disclosure log', () => {
  it("logs a caseworker's access before answering, for the municipality's auditor", async () => {
    const j = seededInjunctions[1]!;
    const read = await gql('municipality-caseworker', 'SSP_115', INJUNCTIONS, { filter: { personId: j.personId } });
    expect(read.body.data.injunctions.nodes.map((n: any) => n.id)).toEqual([j.id]);

    const q = `query($subject: ID) { municipalityDisclosureLog(subject: $subject, first: 100) {
      nodes { principal organisation purpose action entityType entityIds dataSubjects fields dataOwner decision criterion } } }`;
    const { body } = await gql('municipality-auditor', 'STATISTICS', q, { subject: j.personId });
    expect(body.errors).toBeUndefined();
    const entry = body.data.municipalityDisclosureLog.nodes.find(
      (e: any) => e.action === 'READ' && e.entityType === 'Injunction' && e.principal.endsWith('#dev-municipality-caseworker'),
    );
    expect(entry).toMatchObject({
      organisation: 'slagelse-kommune',
      purpose: 'SSP_115',
      dataOwner: 'slagelse-kommune',
      decision: 'PERMITTED',
      entityIds: [j.id],
      dataSubjects: [j.personId],
    });
    expect(entry.fields).toEqual(expect.arrayContaining(['reason', 'caseworker', 'person']));
    // The search itself, with its criterion.
    const all = await gql('municipality-auditor', 'STATISTICS', q, {});
    expect(
      all.body.data.municipalityDisclosureLog.nodes.some(
        (e: any) => e.action === 'SEARCH' && e.entityType === 'Injunction' && e.criterion === JSON.stringify({ personId: j.personId }),
      ),
    ).toBe(true);

    const verify = await gql('municipality-auditor', 'STATISTICS', '{ municipalityDisclosureLogVerification { ok checkedRows } }');
    expect(verify.body.data.municipalityDisclosureLogVerification.ok).toBe(true);
    expect(verify.body.data.municipalityDisclosureLogVerification.checkedRows).toBeGreaterThan(0);
  });

  it("keeps the log from everyone but the municipality's auditors", async () => {
    for (const [persona, purpose] of [
      ['police-auditor', 'STATISTICS'],
      ['municipality-caseworker', 'SSP_115'],
      ['housing-fob-auditor', 'STATISTICS'],
      ['analyst', 'STATISTICS'],
    ] as const) {
      const { body } = await gql(persona, purpose, '{ municipalityDisclosureLog { nodes { dataSubjects } } }');
      expect(codes(body), persona).toContain('FORBIDDEN');
      expectNoData(body, persona);
    }
  });

  it('withholds the data when the log cannot be written', async () => {
    // The log's head row is where every append starts: without it, no write succeeds.
    await db.query('ALTER TABLE disclosure_log_head RENAME TO disclosure_log_head_away');
    try {
      const { status, body } = await gql('municipality-caseworker', 'SSP_115', INJUNCTIONS, { first: 5 });
      expect(status).toBe(503);
      expect(codes(body)).toEqual(['AUDIT_UNAVAILABLE']);
      expectNoInjunctionData(body);
    } finally {
      await db.query('ALTER TABLE disclosure_log_head_away RENAME TO disclosure_log_head');
    }
    const after = await gql('municipality-caseworker', 'SSP_115', INJUNCTIONS, { first: 5 });
    expect(after.body.data.injunctions.nodes).toHaveLength(5);
  });
});

describe('municipality synthetic data', () => {
  it('is deterministic and follows the rules of the register and the law', () => {
    expect(municipalityInjunctions(new World({ anchor: world.anchor }))).toEqual(seededInjunctions);
    expect(seededInjunctions).toHaveLength(INJUNCTION_COUNT);
    const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
    for (const j of seededInjunctions) {
      expect(j.personId).toMatch(/^P[0-9A-Z]{10}$/);
      expect(j.issuedOn >= '2014-01-01' && day(j.issuedOn) <= world.anchor.getTime()).toBe(true);
      // Ages 10–17 when issued.
      const age = (day(j.issuedOn) - day(j.childBirthDate)) / (365.25 * 86_400_000);
      expect(age >= 10 && age < 18, j.id).toBe(true);
    }
    // Parental injunctions concern tenants of the same area, so joins with housing mean something.
    const tenants = new Map([...world.tenancies()].map((t) => [t.tenantPersonId, t]));
    for (const j of seededInjunctions.filter((x) => x.kind === 'PARENTAL_INJUNCTION')) {
      expect(tenants.get(j.personId)?.areaId, j.id).toBe(j.areaId);
    }
    expect(new Set(seededInjunctions.map((j) => j.personId)).size).toBe(INJUNCTION_COUNT);
  });

  it('seeds only an empty database', async () => {
    expect(await seedMunicipality(db, world)).toBe(false);
    const [n] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM injunctions');
    expect(n!.n).toBe(INJUNCTION_COUNT);
  });
});
