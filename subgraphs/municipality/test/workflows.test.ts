import { DevIssuer, PERSONAS } from '@partnergraph/common';
import { PolicyEngine, loadPolicySource, type Database } from '@partnergraph/subgraph-kit';
import { createTestDatabase } from '@partnergraph/subgraph-kit/testing';
import { municipalityMeetings, municipalityNotices, World } from '@partnergraph/synthetic';
import { AGREEMENT_GOALS, PARTNERSHIP_BODIES } from '@partnergraph/vocabulary';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMunicipality } from '../src/data/seed.js';
import { municipalityResources } from '../src/policies/resources.js';
import { buildMunicipalitySchema, createMunicipalityServer } from '../src/server.js';

/**
 * The partnership's work through the municipality's subgraph (issue #4):
 * goals, the initiative register's mutations, notices of public statements
 * and the bodies' meetings and decisions — validation, owners' rules,
 * idempotent retries, optimistic versions and the change log.
 */

const world = new World();
const DAY = 86_400_000;
const today = () => new Date().toISOString().slice(0, 10);
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const PARTIES = ['police', 'slagelse-kommune', 'bolig-korsor', 'skaelskor-boligselskab', 'fob', 'sab', 'slagelse-boligselskab', 'kompetencecenteret'];

type Body = { data?: any; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
const codes = (body: Body) => (body.errors ?? []).map((e) => e.extensions?.['code']);
const fields = (body: Body) => (body.errors ?? []).map((e) => e.extensions?.['field']);

let keySeq = 0;
/** A fresh idempotency key per call site. */
const newKey = (label: string) => `${label}-${process.pid}-${++keySeq}-${Math.random().toString(36).slice(2, 10)}`;

const INITIATIVE_FIELDS = 'id title description kind status startsOn endsOn version responsibleOrganisation { id } areas { id }';
const CREATE = `mutation($input: CreateInitiativeInput!, $key: String) { createInitiative(input: $input, idempotencyKey: $key) { ${INITIATIVE_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $version: Int!, $input: UpdateInitiativeInput!, $key: String) {
  updateInitiative(id: $id, version: $version, input: $input, idempotencyKey: $key) { ${INITIATIVE_FIELDS} } }`;
const CLOSE = `mutation($id: ID!, $version: Int!, $endsOn: LocalDate!, $key: String) {
  closeInitiative(id: $id, version: $version, endsOn: $endsOn, idempotencyKey: $key) { ${INITIATIVE_FIELDS} } }`;

const NOTICE_FIELDS = `id subject summary postedBy { id } areas { id } plannedPublicationAt alreadyPublished publishedAt reasonForLateNotice postedAt isLate
  acknowledgements { organisation { id } acknowledgedAt acknowledgedBy } missingAcknowledgements { id }`;
/** Other parties' staff user ids are withheld (FORBIDDEN, null); nothing else is refused. */
const expectOnlyStaffIdsWithheld = (body: { errors?: Array<{ path?: readonly (string | number)[]; extensions?: Record<string, unknown> }> }, label: string) => {
  for (const e of body.errors ?? []) {
    expect(e.extensions?.['code'], label).toBe('FORBIDDEN');
    expect(e.path?.at(-1), label).toBe('acknowledgedBy');
  }
};
const POST_NOTICE = `mutation($input: PostNoticeInput!, $key: String) { postNotice(input: $input, idempotencyKey: $key) { ${NOTICE_FIELDS} } }`;
const ACK = `mutation($id: ID!, $key: String) { acknowledgeNotice(id: $id, idempotencyKey: $key) { ${NOTICE_FIELDS} } }`;
const NOTICES = `query($filter: NoticeFilter, $first: Int, $after: String) { notices(filter: $filter, first: $first, after: $after) {
  nodes { ${NOTICE_FIELDS} } pageInfo { hasNextPage endCursor } } }`;
const OVERDUE_ACKS = `query($h: Int, $first: Int) { overdueAcknowledgements(olderThanHours: $h, first: $first) { nodes { ${NOTICE_FIELDS} } pageInfo { hasNextPage } } }`;
const LATE = `query { lateNotices(first: 100) { nodes { ${NOTICE_FIELDS} } pageInfo { hasNextPage } } }`;

const MEETING_FIELDS = `id title scheduledFor heldOn body { id kind } participants { organisation { id kind } representatives }
  decisions { id text owner { id } dueOn completedOn isOverdue version }`;
const SCHEDULE = `mutation($input: ScheduleMeetingInput!, $key: String) { scheduleMeeting(input: $input, idempotencyKey: $key) { ${MEETING_FIELDS} } }`;
const DECISION_FIELDS = 'id text owner { id } dueOn completedOn isOverdue version meeting { id scheduledFor }';
const RECORD = `mutation($meetingId: ID!, $input: RecordDecisionInput!, $key: String) {
  recordDecision(meetingId: $meetingId, input: $input, idempotencyKey: $key) { ${DECISION_FIELDS} } }`;
const COMPLETE = `mutation($id: ID!, $version: Int!, $completedOn: LocalDate!, $key: String) {
  completeDecision(id: $id, version: $version, completedOn: $completedOn, idempotencyKey: $key) { ${DECISION_FIELDS} } }`;
const OVERDUE_DECISIONS = `query($ownerId: ID) { overdueDecisions(ownerId: $ownerId) { ${DECISION_FIELDS} } }`;

/** Participants with `police` police representatives and the usual others. */
const withPolice = (police: number) => [
  { organisationId: 'police', representatives: police },
  { organisationId: 'slagelse-kommune', representatives: 2 },
  { organisationId: 'kompetencecenteret', representatives: 1 },
];

const embeddedToo = Boolean(process.env['TEST_DATABASE_URL']);
const backends = [
  { label: embeddedToo ? 'PostgreSQL' : 'PGlite', embedded: false },
  ...(embeddedToo ? [{ label: 'PGlite', embedded: true }] : []),
];

describe.each(backends)('municipality workflows on $label', ({ embedded }) => {
  let issuer: DevIssuer;
  let url: string;
  let db: Database;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    issuer = await DevIssuer.create();
    db = await createTestDatabase('municipality_workflows', { embedded });
    const server = await createMunicipalityServer({ db, trust: issuer.trustConfig() });
    expect(await seedMunicipality(db, world)).toBe(true);
    const running = await server.listen(0);
    url = running.url;
    stop = async () => {
      await server.stop();
      await db.close();
    };
  });
  afterAll(() => stop?.());

  async function postAs(token: string, purpose: string, query: string, variables?: Record<string, unknown>) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': purpose },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, cacheControl: res.headers.get('cache-control'), body: (await res.json()) as Body };
  }
  const gql = async (persona: string, purpose: string, query: string, variables?: Record<string, unknown>) =>
    postAs(await issuer.signPersona(persona), purpose, query, variables);

  const count = async (sql: string, params: unknown[] = []) => Number((await db.query<{ n: number }>(sql, params))[0]!.n);
  const changeRows = (action: string, entityType: string, id: string) =>
    count('SELECT count(*) AS n FROM disclosure_log WHERE action = $1 AND entity_type = $2 AND $3 = ANY(entity_ids)', [action, entityType, id]);

  function expectError(body: Body, code: string, field?: string) {
    expect(codes(body), JSON.stringify(body.errors)).toEqual([code]);
    if (field) expect(fields(body)).toEqual([field]);
    expect(body.errors![0]!.message).toMatch(/\w/);
    expect(JSON.stringify(body)).not.toMatch(/stacktrace|\.ts:\d|at [A-Za-z]+ \(/);
    expect(Object.values(body.data ?? {}).every((v) => v === null)).toBe(true);
  }

  const initiativeInput = (over: Record<string, unknown> = {}) => ({
    title: 'Homework café, Sydbyen (test)',
    description: 'Weekly homework help (test).',
    kind: 'PREVENTIVE',
    areaIds: ['sydbyen'],
    startsOn: addDays(today(), -30),
    ...over,
  });

  async function createInitiative(persona: string, over: Record<string, unknown> = {}) {
    const { body } = await gql(persona, 'COORDINATION', CREATE, { input: initiativeInput(over), key: newKey('create') });
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data.createInitiative;
  }

  describe('goals', () => {
    it("serves the agreement's goals to every partner under any purpose, cacheable like the register", async () => {
      const q = '{ goals { id areaId metric description agreementClause area { id name } } areas { id goals { id metric } } }';
      for (const [persona, purpose] of [
        ['police-investigator', 'CRIME_PREVENTION_63D'],
        ['housing-fob-caseworker', 'COORDINATION'],
        ['secretariat-coordinator', 'COORDINATION'],
        ['analyst', 'STATISTICS'],
        ['municipality-auditor', 'STATISTICS'],
      ] as const) {
        const { body, cacheControl } = await gql(persona, purpose, q);
        expect(body.errors, persona).toBeUndefined();
        expect(cacheControl).toBe('private, max-age=300');
        expect(body.data.goals.map((g: any) => g.id)).toEqual(AGREEMENT_GOALS.map((g) => g.id));
        expect(body.data.goals).toHaveLength(9);
        for (const g of body.data.goals) {
          expect(g.area.id).toBe(g.areaId);
          expect(g.description).toBeTruthy();
          expect(g.agreementClause).toMatch(/^Mål: /);
        }
        const motalavej = body.data.areas.find((a: any) => a.id === 'motalavej');
        expect(motalavej.goals).toEqual([
          { id: 'goal-motalavej-comparable', metric: 'SAFETY_SHARE_VS_COMPARABLE_AREAS' },
          { id: 'goal-motalavej-previous-year', metric: 'SAFETY_SHARE_VS_PREVIOUS_YEAR' },
          { id: 'goal-motalavej-neighbourhood-problems', metric: 'NEIGHBOURHOOD_PROBLEMS_VS_PREVIOUS_YEAR' },
        ]);
        for (const a of body.data.areas.filter((x: any) => x.id !== 'motalavej')) {
          expect(a.goals.map((g: any) => g.metric)).toEqual(['SAFETY_SHARE_VS_COMPARABLE_AREAS', 'SAFETY_SHARE_VS_PREVIOUS_YEAR']);
        }
      }
    });

    it('filters by area, resolves Goal references with areaId and metric for the police, and rejects unknown areas', async () => {
      const one = await gql('police-investigator', 'COORDINATION', '{ goals(areaId: "sydbyen") { id metric } }');
      expect(one.body.data.goals.map((g: any) => g.id)).toEqual(['goal-sydbyen-comparable', 'goal-sydbyen-previous-year']);
      const refs = await gql('police-investigator', 'STATISTICS', 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Goal { id areaId metric } } }', {
        r: [{ __typename: 'Goal', id: 'goal-ringparken-comparable' }, { __typename: 'Goal', id: 'goal-nowhere' }, { __typename: 'Goal', id: 7 }],
      });
      expect(refs.body.data._entities).toEqual([{ id: 'goal-ringparken-comparable', areaId: 'ringparken', metric: 'SAFETY_SHARE_VS_COMPARABLE_AREAS' }, null, null]);
      const bad = await gql('police-investigator', 'COORDINATION', '{ goals(areaId: "atlantis") { id } }');
      expectError(bad.body, 'BAD_USER_INPUT', 'areaId');
    });
  });

  describe('initiative register', () => {
    it("creates an initiative for the caller's organisation, never cached, with a change-log row", async () => {
      const key = newKey('create');
      const input = initiativeInput({ title: 'Father group, Sydbyen (created)', areaIds: ['sydbyen', 'motalavej'], endsOn: addDays(today(), 300) });
      const { body, cacheControl } = await gql('housing-fob-caseworker', 'COORDINATION', CREATE, { input, key });
      expect(body.errors).toBeUndefined();
      expect(cacheControl).toBe('no-store');
      const created = body.data.createInitiative;
      expect(created).toMatchObject({
        title: 'Father group, Sydbyen (created)',
        kind: 'PREVENTIVE',
        status: 'ACTIVE',
        version: 1,
        responsibleOrganisation: { id: 'fob' },
        areas: [{ id: 'motalavej' }, { id: 'sydbyen' }],
        endsOn: addDays(today(), 300),
      });
      expect(created.id).toMatch(/^I\d{5}$/);
      expect(await changeRows('CREATE', 'Initiative', created.id)).toBe(1);
      // In the register for everyone, through the existing filters.
      const listed = await gql('analyst', 'STATISTICS', `query($f: InitiativeFilter) { initiatives(filter: $f, first: 100) { nodes { id } } }`, {
        f: { organisationId: 'fob', areaId: 'motalavej', startsFrom: input.startsOn, startsTo: input.startsOn },
      });
      expect(listed.body.data.initiatives.nodes.map((n: any) => n.id)).toContain(created.id);
      const before = await gql('analyst', 'STATISTICS', `query($f: InitiativeFilter) { initiatives(filter: $f, first: 100) { nodes { id } } }`, {
        f: { startsTo: addDays(input.startsOn, -1) },
      });
      expect(before.body.data.initiatives.nodes.map((n: any) => n.id)).not.toContain(created.id);
      const reversed = await gql('analyst', 'STATISTICS', `query($f: InitiativeFilter) { initiatives(filter: $f) { nodes { id } } }`, {
        f: { startsFrom: '2020-01-02', startsTo: '2020-01-01' },
      });
      expectError(reversed.body, 'BAD_USER_INPUT', 'filter.startsFrom');
    });

    it('validates the input with errors that name the field', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ title: 'ab' }, 'input.title'],
        [{ title: 'x'.repeat(201) }, 'input.title'],
        [{ areaIds: [] }, 'input.areaIds'],
        [{ areaIds: ['atlantis'] }, 'input.areaIds'],
        [{ areaIds: ['sydbyen', 'sydbyen'] }, 'input.areaIds'],
        [{ startsOn: '2024-05-01', endsOn: '2024-04-30' }, 'input.endsOn'],
        [{ startsOn: '1990-01-01' }, 'input.startsOn'],
        // The agreement: the police lead crime-preventive initiatives, not a housing company.
        [{ kind: 'CRIME_PREVENTIVE' }, 'input.kind'],
        [{ description: 'y'.repeat(4001) }, 'input.description'],
      ];
      for (const [over, field] of cases) {
        const { body } = await gql('housing-fob-caseworker', 'COORDINATION', CREATE, { input: initiativeInput(over), key: newKey('bad') });
        expectError(body, 'BAD_USER_INPUT', field);
      }
      // An unknown kind never reaches the resolver.
      const kind = await gql('housing-fob-caseworker', 'COORDINATION', CREATE, { input: initiativeInput({ kind: 'SOMETHING' }) });
      expect(codes(kind.body)).toEqual(['BAD_USER_INPUT']);
      // The police may lead crime-preventive initiatives; building-up ones are the municipality's and the housing companies'.
      await createInitiative('police-investigator', { kind: 'CRIME_PREVENTIVE', title: 'Exit programme (test)' });
      const building = await gql('police-investigator', 'COORDINATION', CREATE, { input: initiativeInput({ kind: 'BUILDING_UP' }) });
      expectError(building.body, 'BAD_USER_INPUT', 'input.kind');
      expect(await count("SELECT count(*) AS n FROM initiatives WHERE title = 'ab' OR starts_on = '1990-01-01'")).toBe(0);
    });

    it("updates only the caller's own organisation's initiatives, with the version read", async () => {
      const mine = await createInitiative('municipality-caseworker', { kind: 'BUILDING_UP', title: 'Job effort (to update)' });
      const { body } = await gql('municipality-caseworker', 'COORDINATION', UPDATE, {
        id: mine.id,
        version: 1,
        input: { title: 'Job and income effort (updated)', areaIds: ['parkvej', 'ringparken'], endsOn: addDays(today(), 100) },
        key: newKey('update'),
      });
      expect(body.errors).toBeUndefined();
      expect(body.data.updateInitiative).toMatchObject({
        id: mine.id,
        title: 'Job and income effort (updated)',
        version: 2,
        areas: [{ id: 'parkvej' }, { id: 'ringparken' }],
        endsOn: addDays(today(), 100),
        description: mine.description,
        responsibleOrganisation: { id: 'slagelse-kommune' },
      });
      const [log] = await db.query<{ fields: string[]; organisation: string; data_owner: string }>(
        "SELECT fields, organisation, data_owner FROM disclosure_log WHERE action = 'UPDATE' AND $1 = ANY(entity_ids)",
        [mine.id],
      );
      expect(log).toEqual({ fields: ['areaIds', 'endsOn', 'title'], organisation: 'slagelse-kommune', data_owner: 'slagelse-kommune' });
      // endsOn: null makes it open-ended again.
      const open = await gql('municipality-caseworker', 'COORDINATION', UPDATE, { id: mine.id, version: 2, input: { endsOn: null } });
      expect(open.body.data.updateInitiative).toMatchObject({ version: 3, endsOn: null });

      // Another organisation's initiative: refused, and nothing changes.
      for (const persona of ['housing-fob-caseworker', 'police-investigator', 'secretariat-coordinator']) {
        const other = await gql(persona, 'COORDINATION', UPDATE, { id: mine.id, version: 3, input: { title: 'Taken over' } });
        expectError(other.body, 'FORBIDDEN');
        const closed = await gql(persona, 'COORDINATION', CLOSE, { id: mine.id, version: 3, endsOn: today() });
        expectError(closed.body, 'FORBIDDEN');
      }
      const after = await gql('housing-fob-caseworker', 'COORDINATION', `{ initiative(id: "${mine.id}") { title version } }`);
      expect(after.body.data.initiative).toEqual({ title: 'Job and income effort (updated)', version: 3 });

      // A kind the responsible organisation may not lead, an empty change, null where a value is needed.
      const crime = await gql('municipality-caseworker', 'COORDINATION', UPDATE, { id: mine.id, version: 3, input: { kind: 'CRIME_PREVENTIVE' } });
      expectError(crime.body, 'BAD_USER_INPUT', 'input.kind');
      const empty = await gql('municipality-caseworker', 'COORDINATION', UPDATE, { id: mine.id, version: 3, input: {} });
      expectError(empty.body, 'BAD_USER_INPUT', 'input');
      const nullTitle = await gql('municipality-caseworker', 'COORDINATION', UPDATE, { id: mine.id, version: 3, input: { title: null } });
      expectError(nullTitle.body, 'BAD_USER_INPUT', 'input.title');
      const period = await gql('municipality-caseworker', 'COORDINATION', UPDATE, { id: mine.id, version: 3, input: { startsOn: addDays(today(), 10), endsOn: today() } });
      expectError(period.body, 'BAD_USER_INPUT', 'input.endsOn');
    });

    it('refuses unknown and malformed ids', async () => {
      const missing = await gql('municipality-caseworker', 'COORDINATION', UPDATE, { id: 'I09999', version: 1, input: { title: 'Nothing' } });
      expectError(missing.body, 'NOT_FOUND');
      const closeMissing = await gql('municipality-caseworker', 'COORDINATION', CLOSE, { id: 'I09999', version: 1, endsOn: today() });
      expectError(closeMissing.body, 'NOT_FOUND');
      const malformed = await gql('municipality-caseworker', 'COORDINATION', UPDATE, { id: 'x; DROP TABLE', version: 1, input: { title: 'Nothing' } });
      expectError(malformed.body, 'BAD_USER_INPUT', 'id');
    });

    it('refuses a stale version with CONFLICT; of two concurrent updates from the same version exactly one wins', async () => {
      const row = await createInitiative('housing-bk-caseworker', { title: 'Safety walks, Motalavej (race)', areaIds: ['motalavej'] });
      const [a, b] = await Promise.all(
        ['Safety walks (A)', 'Safety walks (B)'].map((title) =>
          gql('housing-bk-caseworker', 'COORDINATION', UPDATE, { id: row.id, version: 1, input: { title } }),
        ),
      );
      const results = [a!, b!];
      const won = results.filter((r) => !r.body.errors);
      const lost = results.filter((r) => r.body.errors);
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expectError(lost[0]!.body, 'CONFLICT');
      expect(won[0]!.body.data.updateInitiative.version).toBe(2);
      const [stored] = await db.query<{ title: string; version: number }>('SELECT title, version FROM initiatives WHERE id = $1', [row.id]);
      expect(stored).toEqual({ title: won[0]!.body.data.updateInitiative.title, version: 2 });
      expect(await changeRows('UPDATE', 'Initiative', row.id)).toBe(1);
      // Later, with the old version: CONFLICT again, and the close too.
      const stale = await gql('housing-bk-caseworker', 'COORDINATION', UPDATE, { id: row.id, version: 1, input: { title: 'Stale' } });
      expectError(stale.body, 'CONFLICT');
      const staleClose = await gql('housing-bk-caseworker', 'COORDINATION', CLOSE, { id: row.id, version: 1, endsOn: today() });
      expectError(staleClose.body, 'CONFLICT');
    });

    it('replays a retried create with the same idempotency key, and refuses the key for another input', async () => {
      const key = newKey('retry');
      const input = initiativeInput({ title: 'Leisure jobs, Sydbyen (retry)' });
      const first = await gql('housing-fob-caseworker', 'COORDINATION', CREATE, { input, key });
      const again = await gql('housing-fob-caseworker', 'COORDINATION', CREATE, { input, key });
      expect(first.body.errors).toBeUndefined();
      expect(again.body).toEqual(first.body);
      expect(await count('SELECT count(*) AS n FROM initiatives WHERE title = $1', [input.title])).toBe(1);
      expect(await changeRows('CREATE', 'Initiative', first.body.data.createInitiative.id)).toBe(1);

      const other = await gql('housing-fob-caseworker', 'COORDINATION', CREATE, { input: { ...input, title: 'Something else' }, key });
      expectError(other.body, 'CONFLICT');
      // Keys are per principal: another principal's same key is its own.
      const mine = await gql('housing-sab-caseworker', 'COORDINATION', CREATE, { input: { ...input, areaIds: ['ringparken'] }, key });
      expect(mine.body.errors).toBeUndefined();
      expect(mine.body.data.createInitiative.id).not.toBe(first.body.data.createInitiative.id);

      // Concurrent twins with one key: one row, one answer.
      const twinKey = newKey('twins');
      const twinInput = initiativeInput({ title: 'Neighbourhood mothers, Sydbyen (twins)' });
      const twins = await Promise.all([1, 2, 3].map(() => gql('housing-fob-caseworker', 'COORDINATION', CREATE, { input: twinInput, key: twinKey })));
      for (const t of twins) expect(t.body.errors).toBeUndefined();
      expect(new Set(twins.map((t) => t.body.data.createInitiative.id)).size).toBe(1);
      expect(await count('SELECT count(*) AS n FROM initiatives WHERE title = $1', [twinInput.title])).toBe(1);

      // A refused request claims no key: the corrected retry with the same key goes through.
      const fixKey = newKey('fix');
      const wrong = await gql('housing-fob-caseworker', 'COORDINATION', CREATE, { input: initiativeInput({ title: 'no' }), key: fixKey });
      expectError(wrong.body, 'BAD_USER_INPUT', 'input.title');
      const fixed = await gql('housing-fob-caseworker', 'COORDINATION', CREATE, { input: initiativeInput({ title: 'Fixed title (retry)' }), key: fixKey });
      expect(fixed.body.errors).toBeUndefined();

      const badKey = await gql('housing-fob-caseworker', 'COORDINATION', CREATE, { input, key: 'short' });
      expectError(badKey.body, 'BAD_USER_INPUT', 'idempotencyKey');
    });

    it('replays a retried update and close instead of refusing them as stale', async () => {
      const row = await createInitiative('police-investigator', { kind: 'CRIME_PREVENTIVE', title: 'At-risk youth (retry update)' });
      const key = newKey('update-retry');
      const vars = { id: row.id, version: 1, input: { title: 'At-risk youth effort (retried)' }, key };
      const first = await gql('police-investigator', 'COORDINATION', UPDATE, vars);
      const again = await gql('police-investigator', 'COORDINATION', UPDATE, vars);
      expect(first.body.data.updateInitiative.version).toBe(2);
      expect(again.body).toEqual(first.body);
      expect(await changeRows('UPDATE', 'Initiative', row.id)).toBe(1);
      const closeKey = newKey('close-retry');
      const close = await gql('police-investigator', 'COORDINATION', CLOSE, { id: row.id, version: 2, endsOn: today(), key: closeKey });
      const closeAgain = await gql('police-investigator', 'COORDINATION', CLOSE, { id: row.id, version: 2, endsOn: today(), key: closeKey });
      expect(close.body.data.closeInitiative).toMatchObject({ version: 3, endsOn: today(), status: 'ACTIVE' });
      expect(closeAgain.body).toEqual(close.body);
      expect(await changeRows('CLOSE', 'Initiative', row.id)).toBe(1);
    });

    it('closes an initiative on a day not before it started, and not twice', async () => {
      const row = await createInitiative('housing-fob-caseworker', { title: 'Homework café (to close)', startsOn: addDays(today(), -200) });
      const early = await gql('housing-fob-caseworker', 'COORDINATION', CLOSE, { id: row.id, version: 1, endsOn: addDays(today(), -201) });
      expectError(early.body, 'BAD_USER_INPUT', 'endsOn');
      const closed = await gql('housing-fob-caseworker', 'COORDINATION', CLOSE, { id: row.id, version: 1, endsOn: addDays(today(), -10) });
      expect(closed.body.data.closeInitiative).toMatchObject({ status: 'CLOSED', endsOn: addDays(today(), -10), version: 2 });
      const twice = await gql('housing-fob-caseworker', 'COORDINATION', CLOSE, { id: row.id, version: 2, endsOn: addDays(today(), -5) });
      expectError(twice.body, 'BAD_USER_INPUT', 'id');
      expect(await changeRows('CLOSE', 'Initiative', row.id)).toBe(1);
    });

    it('lets no analyst or auditor write, and no one outside COORDINATION', async () => {
      for (const [persona, purpose] of [
        ['analyst', 'STATISTICS'],
        ['municipality-auditor', 'COORDINATION'],
        ['police-auditor', 'COORDINATION'],
        ['police-investigator', 'CRIME_PREVENTION_63D'],
        ['municipality-caseworker', 'SSP_115'],
      ] as const) {
        const { body } = await gql(persona, purpose, CREATE, { input: initiativeInput({ title: `By ${persona} (refused)` }) });
        expectError(body, 'FORBIDDEN');
      }
      // An analyst who is also a coordinator still does not write.
      const token = await issuer.sign({ ...PERSONAS['secretariat-coordinator']!, subject: 'dev-coordinating-analyst', roles: ['coordinator', 'analyst'] });
      const both = await postAs(token, 'COORDINATION', CREATE, { input: initiativeInput({ title: 'By a coordinating analyst' }) });
      expectError(both.body, 'FORBIDDEN');
      expect(await count("SELECT count(*) AS n FROM initiatives WHERE title LIKE 'By %'")).toBe(0);
    });
  });

  describe('notices of public statements', () => {
    const inTwoDays = () => new Date(Date.now() + 2 * DAY).toISOString();
    let posted: any;

    it('posts a notice in advance; every other party is missing until it acknowledges', async () => {
      const { body, cacheControl } = await gql('police-investigator', 'COORDINATION', POST_NOTICE, {
        input: { subject: 'Press briefing on safety walks', summary: 'The police brief the local paper on this spring’s safety walks.', areaIds: ['parkvej', 'motalavej'], plannedPublicationAt: inTwoDays() },
        key: newKey('notice'),
      });
      expect(body.errors).toBeUndefined();
      expect(cacheControl).toBe('no-store');
      posted = body.data.postNotice;
      expect(posted).toMatchObject({
        postedBy: { id: 'police' },
        areas: [{ id: 'motalavej' }, { id: 'parkvej' }],
        alreadyPublished: false,
        publishedAt: null,
        reasonForLateNotice: null,
        isLate: false,
        acknowledgements: [],
      });
      expect(posted.id).toMatch(/^N\d{6}$/);
      expect(Date.parse(posted.postedAt)).toBeLessThanOrEqual(Date.now());
      expect(posted.missingAcknowledgements.map((o: any) => o.id)).toEqual(PARTIES.filter((p) => p !== 'police'));
      expect(await changeRows('POST', 'Notice', posted.id)).toBe(1);
    });

    it('takes one acknowledgement per other party; a second by the same organisation changes nothing', async () => {
      const fob = await gql('housing-fob-caseworker', 'COORDINATION', ACK, { id: posted.id, key: newKey('ack') });
      expect(fob.body.errors).toBeUndefined();
      const notice = fob.body.data.acknowledgeNotice;
      expect(notice.acknowledgements).toEqual([{ organisation: { id: 'fob' }, acknowledgedAt: expect.any(String), acknowledgedBy: 'dev-fob-caseworker' }]);
      expect(notice.missingAcknowledgements.map((o: any) => o.id)).toEqual(PARTIES.filter((p) => p !== 'police' && p !== 'fob'));
      // Another FOB principal: already acknowledged for FOB, the notice comes back unchanged.
      const colleague = await issuer.sign({ ...PERSONAS['housing-fob-caseworker']!, subject: 'dev-fob-colleague' });
      const again = await postAs(colleague, 'COORDINATION', ACK, { id: posted.id });
      expect(again.body.errors).toBeUndefined();
      expect(again.body.data.acknowledgeNotice.acknowledgements).toEqual(notice.acknowledgements);
      expect(await count('SELECT count(*) AS n FROM notice_acknowledgements WHERE notice_id = $1', [posted.id])).toBe(1);
      expect(await changeRows('ACKNOWLEDGE', 'Notice', posted.id)).toBe(1);
      // The secretariat and the municipality too (the board member acknowledges for the municipality).
      for (const persona of ['secretariat-coordinator', 'board-member']) {
        const r = await gql(persona, 'COORDINATION', ACK, { id: posted.id });
        expectOnlyStaffIdsWithheld(r.body, persona);
        expect(r.body.data.acknowledgeNotice, persona).not.toBeNull();
      }
      const read = await gql('analyst', 'STATISTICS', `{ notice(id: "${posted.id}") { acknowledgements { organisation { id } acknowledgedBy } missingAcknowledgements { id } } }`);
      expect(read.body.data.notice.acknowledgements.map((a: any) => a.organisation.id).sort()).toEqual(['fob', 'kompetencecenteret', 'slagelse-kommune']);
      expect(read.body.data.notice.missingAcknowledgements.map((o: any) => o.id)).toEqual(['bolig-korsor', 'skaelskor-boligselskab', 'sab', 'slagelse-boligselskab']);
    });

    it("shows who acknowledged (a member of staff's user id) only to that party and the secretariat, and logs it", async () => {
      const query = `{ notice(id: "${posted.id}") { acknowledgements { organisation { id } acknowledgedBy } } }`;
      const byOrganisation = (res: any) => Object.fromEntries(res.body.data.notice.acknowledgements.map((a: any) => [a.organisation.id, a.acknowledgedBy]));
      const analyst = await gql('analyst', 'STATISTICS', query);
      expect(Object.values(byOrganisation(analyst)).every((v) => v === null)).toBe(true);
      expect(new Set(analyst.body.errors?.map((e) => e.extensions?.['code']))).toEqual(new Set(['FORBIDDEN']));
      const bk = await gql('housing-bk-caseworker', 'COORDINATION', query);
      expect(byOrganisation(bk)['fob']).toBeNull();
      const fob = await gql('housing-fob-caseworker', 'COORDINATION', query);
      expect(byOrganisation(fob)['fob']).toBe('dev-fob-caseworker');
      expect(byOrganisation(fob)['kompetencecenteret']).toBeNull();
      const secretariat = await gql('secretariat-coordinator', 'COORDINATION', query);
      expect(secretariat.body.errors).toBeUndefined();
      expect(byOrganisation(secretariat)['fob']).toBe('dev-fob-caseworker');
      const logged = await db.query<{ organisation: string; fields: string[] }>(
        `SELECT organisation, fields FROM disclosure_log WHERE entity_type = 'NoticeAcknowledgement' AND action = 'READ' AND 'dev-fob-caseworker' = ANY(data_subjects)`,
      );
      expect(logged.map((r) => r.organisation)).toEqual(expect.arrayContaining(['fob', 'kompetencecenteret']));
      for (const row of logged) expect(row.fields).toEqual(['acknowledgedBy']);
    });

    it("refuses the poster's own acknowledgement, unknown notices and those who may not write", async () => {
      const own = await gql('police-investigator', 'COORDINATION', ACK, { id: posted.id });
      expectError(own.body, 'FORBIDDEN');
      expect(own.body.errors![0]!.message).toMatch(/posted this notice/);
      const missing = await gql('housing-fob-caseworker', 'COORDINATION', ACK, { id: 'N999999' });
      expectError(missing.body, 'NOT_FOUND');
      const malformed = await gql('housing-fob-caseworker', 'COORDINATION', ACK, { id: 'notice-1' });
      expectError(malformed.body, 'BAD_USER_INPUT', 'id');
      for (const [persona, purpose] of [['analyst', 'STATISTICS'], ['municipality-auditor', 'COORDINATION'], ['housing-bk-caseworker', 'CRIME_PREVENTION_63D']] as const) {
        const r = await gql(persona, purpose, ACK, { id: posted.id });
        expectError(r.body, 'FORBIDDEN');
      }
      expect(await count("SELECT count(*) AS n FROM notice_acknowledgements WHERE notice_id = $1 AND organisation_id IN ('police', 'bolig-korsor')", [posted.id])).toBe(0);
    });

    it('validates a notice: exactly one of a future planned or a past publication, and a reason when late', async () => {
      const base = { subject: 'Statement', summary: 'A statement to the press.', areaIds: ['sydbyen'] };
      const past = new Date(Date.now() - 3 * 3_600_000).toISOString();
      const cases: Array<[Record<string, unknown>, string]> = [
        [{}, 'input.plannedPublicationAt'],
        [{ plannedPublicationAt: inTwoDays(), alreadyPublishedAt: past, reasonForLateNotice: 'Because' }, 'input.alreadyPublishedAt'],
        [{ plannedPublicationAt: past }, 'input.plannedPublicationAt'],
        [{ plannedPublicationAt: inTwoDays(), reasonForLateNotice: 'Not late at all' }, 'input.reasonForLateNotice'],
        [{ alreadyPublishedAt: past }, 'input.reasonForLateNotice'],
        [{ alreadyPublishedAt: past, reasonForLateNotice: '  ' }, 'input.reasonForLateNotice'],
        [{ alreadyPublishedAt: inTwoDays(), reasonForLateNotice: 'The press called' }, 'input.alreadyPublishedAt'],
        [{ plannedPublicationAt: inTwoDays(), subject: 'ab' }, 'input.subject'],
        [{ plannedPublicationAt: inTwoDays(), areaIds: [] }, 'input.areaIds'],
        [{ plannedPublicationAt: inTwoDays(), areaIds: ['atlantis'] }, 'input.areaIds'],
      ];
      for (const [over, field] of cases) {
        const { body } = await gql('housing-bk-caseworker', 'COORDINATION', POST_NOTICE, { input: { ...base, ...over } });
        expectError(body, 'BAD_USER_INPUT', field);
      }
      expect(await count("SELECT count(*) AS n FROM notices WHERE posted_by = 'bolig-korsor' AND subject IN ('Statement', 'ab')")).toBe(0);
    });

    it('shows the secretariat late notices and overdue acknowledgements, and no one else', async () => {
      const late = await gql('municipality-caseworker', 'COORDINATION', POST_NOTICE, {
        input: {
          subject: 'Mayor commented on the fire at Parkvej',
          summary: 'The mayor answered the press at the scene.',
          areaIds: ['parkvej'],
          alreadyPublishedAt: new Date(Date.now() - 5 * 3_600_000).toISOString(),
          reasonForLateNotice: 'The mayor was asked at the scene, before anyone could be told.',
        },
      });
      expect(late.body.errors).toBeUndefined();
      const lateNotice = late.body.data.postNotice;
      expect(lateNotice).toMatchObject({ isLate: true, alreadyPublished: true, plannedPublicationAt: null });

      const seeded = municipalityNotices(world);
      const { body } = await gql('secretariat-coordinator', 'COORDINATION', LATE);
      expect(body.errors).toBeUndefined();
      const lateIds = body.data.lateNotices.nodes.map((n: any) => n.id);
      expect(lateIds).toEqual([lateNotice.id, ...seeded.filter((n) => n.publishedAt !== null).map((n) => n.id)]);
      for (const n of body.data.lateNotices.nodes) expect(n).toMatchObject({ isLate: true, alreadyPublished: true, reasonForLateNotice: expect.any(String) });

      const overdue = await gql('secretariat-coordinator', 'STATISTICS', OVERDUE_ACKS, { first: 100 });
      expect(overdue.body.errors).toBeUndefined();
      const cutoff = Date.now() - 48 * 3_600_000;
      const expected = seeded
        .filter((n) => Date.parse(n.postedAt) < cutoff && n.acknowledgements.length < PARTIES.length - 1)
        .map((n) => n.id)
        .reverse();
      expect(expected.length).toBeGreaterThan(0);
      expect(overdue.body.data.overdueAcknowledgements.nodes.map((n: any) => n.id)).toEqual(expected);
      for (const n of overdue.body.data.overdueAcknowledgements.nodes) {
        expect(n.missingAcknowledgements.length).toBeGreaterThan(0);
        expect(Date.parse(n.postedAt)).toBeLessThan(cutoff);
      }
      // With no grace period, today's notices are overdue too.
      const now = await gql('secretariat-coordinator', 'COORDINATION', OVERDUE_ACKS, { h: 0, first: 100 });
      const nowIds = now.body.data.overdueAcknowledgements.nodes.map((n: any) => n.id);
      expect(nowIds).toEqual(expect.arrayContaining([posted.id, lateNotice.id]));
      const negative = await gql('secretariat-coordinator', 'COORDINATION', OVERDUE_ACKS, { h: -1 });
      expectError(negative.body, 'BAD_USER_INPUT', 'olderThanHours');

      for (const [persona, purpose] of [
        ['police-investigator', 'COORDINATION'],
        ['municipality-caseworker', 'COORDINATION'],
        ['board-member', 'COORDINATION'],
        ['housing-fob-caseworker', 'COORDINATION'],
        ['analyst', 'STATISTICS'],
      ] as const) {
        for (const q of [LATE, OVERDUE_ACKS]) {
          // A page within the analysts' cost budget (met here too, by callers who bypass the gateway): the owner's rule refuses it.
          const r = await gql(persona, purpose, q.replace('(first: 100)', '(first: 5)'));
          expectError(r.body, 'FORBIDDEN');
        }
      }
    });

    it('lets every party read and filter every notice, in pages', async () => {
      for (const [persona, purpose] of [['analyst', 'STATISTICS'], ['housing-bk-caseworker', 'CRIME_PREVENTION_63D'], ['police-auditor', 'STATISTICS']] as const) {
        const r = await gql(persona, purpose, NOTICES, { first: 1000 });
        expectOnlyStaffIdsWithheld(r.body, persona);
        expect(r.body.data.notices.nodes.length).toBe(await count('SELECT count(*) AS n FROM notices'));
      }
      const all = (await gql('housing-fob-caseworker', 'COORDINATION', NOTICES, { first: 1000 })).body.data.notices.nodes;
      const postedAts = all.map((n: any) => n.postedAt);
      expect([...postedAts].sort().reverse()).toEqual(postedAts);
      const paged: string[] = [];
      let after: string | null = null;
      do {
        const { body } = await gql('housing-fob-caseworker', 'COORDINATION', NOTICES, { first: 4, after });
        paged.push(...body.data.notices.nodes.map((n: any) => n.id));
        after = body.data.notices.pageInfo.hasNextPage ? body.data.notices.pageInfo.endCursor : null;
      } while (after);
      expect(paged).toEqual(all.map((n: any) => n.id));

      const unacknowledged = await gql('housing-fob-caseworker', 'COORDINATION', NOTICES, { filter: { unacknowledgedBy: 'fob' }, first: 1000 });
      const unIds = unacknowledged.body.data.notices.nodes.map((n: any) => n.id);
      expect(unIds).toEqual(
        all.filter((n: any) => n.postedBy.id !== 'fob' && !n.acknowledgements.some((a: any) => a.organisation.id === 'fob')).map((n: any) => n.id),
      );
      expect(unIds).not.toContain(posted.id);
      const byPolice = await gql('housing-fob-caseworker', 'COORDINATION', NOTICES, { filter: { postedBy: 'police', areaId: 'parkvej' }, first: 1000 });
      expect(byPolice.body.data.notices.nodes.length).toBeGreaterThan(0);
      for (const n of byPolice.body.data.notices.nodes) {
        expect(n.postedBy.id).toBe('police');
        expect(n.areas.map((a: any) => a.id)).toContain('parkvej');
      }
      for (const filter of [{ postedBy: 'nobody' }, { areaId: 'atlantis' }, { unacknowledgedBy: 'nobody' }]) {
        const bad = await gql('housing-fob-caseworker', 'COORDINATION', NOTICES, { filter });
        expectError(bad.body, 'BAD_USER_INPUT');
      }
      const wrongCursor = await gql('housing-fob-caseworker', 'COORDINATION', NOTICES, { after: Buffer.from(JSON.stringify(['yesterday', 'N000001'])).toString('base64url') });
      expectError(wrongCursor.body, 'BAD_USER_INPUT', 'after');
    });
  });

  describe('meetings and decisions', () => {
    it("serves the agreement's bodies and the seeded meetings", async () => {
      const { body } = await gql('analyst', 'STATISTICS', '{ bodies { id name kind area { id } policeRepresentatives minPoliceRepresentatives meetingsPerYear } }');
      expect(body.errors).toBeUndefined();
      expect(body.data.bodies.map((b: any) => b.id)).toEqual(PARTNERSHIP_BODIES.map((b) => b.id));
      const board = body.data.bodies.find((b: any) => b.kind === 'BOARD');
      expect(board).toMatchObject({ policeRepresentatives: 3, minPoliceRepresentatives: 3, meetingsPerYear: 2, area: null });
      expect(body.data.bodies.find((b: any) => b.kind === 'COORDINATION_GROUP')).toMatchObject({ policeRepresentatives: 2, minPoliceRepresentatives: 2 });
      const followUps = body.data.bodies.filter((b: any) => b.kind === 'FOLLOW_UP_GROUP');
      expect(followUps.map((b: any) => b.area.id)).toEqual(['motalavej', 'ringparken', 'sydbyen', 'parkvej']);
      for (const f of followUps) expect([f.minPoliceRepresentatives, f.policeRepresentatives]).toEqual([1, 2]);

      const boardMeetings = await gql('housing-fob-caseworker', 'COORDINATION', `{ meetings(bodyId: "board", first: 1000) { nodes { ${MEETING_FIELDS} } } }`);
      const nodes = boardMeetings.body.data.meetings.nodes;
      const thisYear = new Date().getUTCFullYear();
      // Twice a year from 2015 (the first agreement took effect in April 2014).
      for (let year = 2015; year < thisYear; year++) {
        expect(nodes.filter((m: any) => m.scheduledFor.startsWith(String(year))).length, String(year)).toBe(2);
      }
      for (const m of nodes) {
        expect(m.body).toEqual({ id: 'board', kind: 'BOARD' });
        const police = m.participants.filter((p: any) => p.organisation.kind === 'POLICE').reduce((n: number, p: any) => n + p.representatives, 0);
        expect(police).toBe(3);
        expect(m.heldOn).toBe(m.scheduledFor <= today() ? m.scheduledFor : null);
      }
      const seeded = municipalityMeetings(world);
      expect(nodes.map((m: any) => m.id)).toEqual(seeded.filter((m) => m.bodyId === 'board').map((m) => m.id).reverse());

      const range = await gql('police-investigator', 'COORDINATION', '{ meetings(from: "2018-01-01", to: "2018-12-31", first: 1000) { nodes { scheduledFor } } }');
      expect(range.body.data.meetings.nodes.length).toBe(seeded.filter((m) => m.scheduledFor.startsWith('2018')).length);
      const bad = await gql('police-investigator', 'COORDINATION', '{ meetings(bodyId: "politburo") { nodes { id } } }');
      expectError(bad.body, 'BAD_USER_INPUT', 'bodyId');
    });

    it("refuses a meeting whose police representatives do not match the agreement's", async () => {
      const future = addDays(today(), 30);
      const cases: Array<[string, number, RegExp]> = [
        ['board', 2, /exactly 3 police representatives/],
        ['board', 4, /exactly 3 police representatives/],
        ['coordination-group', 3, /exactly 2 police representatives/],
        ['follow-up-sydbyen', 3, /1–2 police representatives/],
        ['follow-up-sydbyen', 0, /1–2 police representatives/],
      ];
      for (const [bodyId, police, message] of cases) {
        const participants = police ? withPolice(police) : withPolice(1).slice(1);
        const { body } = await gql('secretariat-coordinator', 'COORDINATION', SCHEDULE, { input: { bodyId, scheduledFor: future, title: 'A meeting', participants } });
        expectError(body, 'BAD_USER_INPUT', 'input.participants');
        expect(body.errors![0]!.message).toMatch(message);
      }
      const other: Array<[Record<string, unknown>, string]> = [
        [{ bodyId: 'politburo' }, 'input.bodyId'],
        [{ scheduledFor: '2010-01-01' }, 'input.scheduledFor'],
        [{ title: 'x' }, 'input.title'],
        [{ participants: [] }, 'input.participants'],
        [{ participants: [...withPolice(3), { organisationId: 'nobody', representatives: 1 }] }, 'input.participants[3].organisationId'],
        [{ participants: [...withPolice(3), { organisationId: 'police', representatives: 1 }] }, 'input.participants[3].organisationId'],
        [{ participants: [{ organisationId: 'police', representatives: 3 }, { organisationId: 'fob', representatives: 0 }] }, 'input.participants[1].representatives'],
      ];
      for (const [over, field] of other) {
        const input = { bodyId: 'board', scheduledFor: future, title: 'Board meeting', participants: withPolice(3), ...over };
        const { body } = await gql('secretariat-coordinator', 'COORDINATION', SCHEDULE, { input });
        expectError(body, 'BAD_USER_INPUT', field);
      }
      expect(await count("SELECT count(*) AS n FROM meetings WHERE title IN ('A meeting', 'Board meeting', 'x')")).toBe(0);
    });

    it('schedules meetings for the secretariat and the municipality only', async () => {
      const input = { bodyId: 'board', scheduledFor: addDays(today(), 40), title: 'Board meeting with the police (scheduled)', participants: withPolice(3) };
      const key = newKey('schedule');
      const { body, cacheControl } = await gql('secretariat-coordinator', 'COORDINATION', SCHEDULE, { input, key });
      expect(body.errors).toBeUndefined();
      expect(cacheControl).toBe('no-store');
      const meeting = body.data.scheduleMeeting;
      expect(meeting).toMatchObject({ title: input.title, scheduledFor: input.scheduledFor, heldOn: null, body: { id: 'board', kind: 'BOARD' }, decisions: [] });
      expect(meeting.id).toMatch(/^M\d{6}$/);
      expect(meeting.participants).toEqual(
        expect.arrayContaining([{ organisation: { id: 'police', kind: 'POLICE' }, representatives: 3 }, { organisation: { id: 'slagelse-kommune', kind: 'MUNICIPALITY' }, representatives: 2 }]),
      );
      const again = await gql('secretariat-coordinator', 'COORDINATION', SCHEDULE, { input, key });
      expect(again.body).toEqual(body);
      expect(await count('SELECT count(*) AS n FROM meetings WHERE title = $1', [input.title])).toBe(1);
      expect(await changeRows('SCHEDULE', 'Meeting', meeting.id)).toBe(1);

      const followUp = await gql('board-member', 'COORDINATION', SCHEDULE, {
        input: { bodyId: 'follow-up-motalavej', scheduledFor: addDays(today(), 20), title: 'Follow-up group Motalavej (scheduled)', participants: withPolice(1) },
      });
      expect(followUp.body.errors).toBeUndefined();

      for (const [persona, purpose] of [
        ['police-investigator', 'COORDINATION'],
        ['housing-fob-caseworker', 'COORDINATION'],
        ['analyst', 'STATISTICS'],
        ['municipality-auditor', 'COORDINATION'],
        ['municipality-caseworker', 'SSP_115'],
      ] as const) {
        const r = await gql(persona, purpose, SCHEDULE, { input: { ...input, title: `By ${persona}` } });
        expectError(r.body, 'FORBIDDEN');
        const d = await gql(persona, purpose, RECORD, { meetingId: meeting.id, input: { text: 'Not theirs', ownerId: 'police', dueOn: today() } });
        expectError(d.body, 'FORBIDDEN');
      }
    });

    it('records decisions at meetings held, lists the overdue ones, and completes them for the secretariat or the owner', async () => {
      const held = await gql('municipality-caseworker', 'COORDINATION', SCHEDULE, {
        input: { bodyId: 'coordination-group', scheduledFor: addDays(today(), -30), title: 'Coordination group (held)', participants: withPolice(2) },
      });
      const meeting = held.body.data.scheduleMeeting;
      expect(meeting.heldOn).toBe(addDays(today(), -30));
      const future = await gql('municipality-caseworker', 'COORDINATION', SCHEDULE, {
        input: { bodyId: 'coordination-group', scheduledFor: addDays(today(), 30), title: 'Coordination group (ahead)', participants: withPolice(2) },
      });

      const ahead = await gql('secretariat-coordinator', 'COORDINATION', RECORD, { meetingId: future.body.data.scheduleMeeting.id, input: { text: 'Too early', ownerId: 'police', dueOn: addDays(today(), 60) } });
      expectError(ahead.body, 'BAD_USER_INPUT', 'meetingId');
      const invalid: Array<[Record<string, unknown>, string]> = [
        [{ dueOn: addDays(today(), -31) }, 'input.dueOn'],
        [{ ownerId: 'nobody' }, 'input.ownerId'],
        [{ text: 'ok' }, 'input.text'],
      ];
      for (const [over, field] of invalid) {
        const r = await gql('secretariat-coordinator', 'COORDINATION', RECORD, { meetingId: meeting.id, input: { text: 'Report on lighting', ownerId: 'police', dueOn: today(), ...over } });
        expectError(r.body, 'BAD_USER_INPUT', field);
      }
      const missing = await gql('secretariat-coordinator', 'COORDINATION', RECORD, { meetingId: 'M999999', input: { text: 'Nowhere', ownerId: 'police', dueOn: today() } });
      expectError(missing.body, 'NOT_FOUND');

      const record = (text: string, ownerId: string, dueOn: string) =>
        gql('secretariat-coordinator', 'COORDINATION', RECORD, { meetingId: meeting.id, input: { text, ownerId, dueOn }, key: newKey('record') });
      const overdue = (await record('The police report on reported crime per area', 'police', addDays(today(), -10))).body.data.recordDecision;
      const secretariatOverdue = (await record('Circulate the updated register', 'fob', addDays(today(), -5))).body.data.recordDecision;
      const notYet = (await record('Plan the autumn safety walks', 'police', addDays(today(), 30))).body.data.recordDecision;
      expect(overdue).toMatchObject({ owner: { id: 'police' }, isOverdue: true, completedOn: null, version: 1, meeting: { id: meeting.id } });
      expect(notYet.isOverdue).toBe(false);
      expect(await changeRows('RECORD', 'MeetingDecision', overdue.id)).toBe(1);

      // Overdue: due before today, not completed; the seeded ones among them.
      const all = await gql('board-member', 'COORDINATION', OVERDUE_DECISIONS, {});
      expect(all.body.errors).toBeUndefined();
      const listed = all.body.data.overdueDecisions;
      expect(listed.length).toBe(await count('SELECT count(*) AS n FROM meeting_decisions WHERE completed_on IS NULL AND due_on < $1::date', [today()]));
      const seededOverdue = municipalityMeetings(world).flatMap((m) => m.decisions).filter((d) => d.completedOn === null && d.dueOn < today());
      expect(seededOverdue.length).toBeGreaterThan(0);
      expect(listed.map((d: any) => d.id)).toEqual(expect.arrayContaining([...seededOverdue.map((d) => d.id), overdue.id, secretariatOverdue.id]));
      for (const d of listed) expect(d).toMatchObject({ isOverdue: true, completedOn: null });
      expect(listed.map((d: any) => d.id)).not.toContain(notYet.id);
      const police = await gql('police-investigator', 'COORDINATION', OVERDUE_DECISIONS, { ownerId: 'police' });
      expect(police.body.data.overdueDecisions.map((d: any) => d.id)).toContain(overdue.id);
      for (const d of police.body.data.overdueDecisions) expect(d.owner.id).toBe('police');
      const unknownOwner = await gql('police-investigator', 'COORDINATION', OVERDUE_DECISIONS, { ownerId: 'nobody' });
      expectError(unknownOwner.body, 'BAD_USER_INPUT', 'ownerId');

      // Completion: not by another organisation, not in the future, not before the meeting.
      const notOwner = await gql('housing-fob-caseworker', 'COORDINATION', COMPLETE, { id: overdue.id, version: 1, completedOn: today() });
      expectError(notOwner.body, 'FORBIDDEN');
      const municipality = await gql('municipality-caseworker', 'COORDINATION', COMPLETE, { id: overdue.id, version: 1, completedOn: today() });
      expectError(municipality.body, 'FORBIDDEN');
      const analyst = await gql('analyst', 'STATISTICS', COMPLETE, { id: overdue.id, version: 1, completedOn: today() });
      expectError(analyst.body, 'FORBIDDEN');
      const tomorrow = await gql('police-investigator', 'COORDINATION', COMPLETE, { id: overdue.id, version: 1, completedOn: addDays(today(), 1) });
      expectError(tomorrow.body, 'BAD_USER_INPUT', 'completedOn');
      const beforeMeeting = await gql('police-investigator', 'COORDINATION', COMPLETE, { id: overdue.id, version: 1, completedOn: addDays(today(), -31) });
      expectError(beforeMeeting.body, 'BAD_USER_INPUT', 'completedOn');
      const stale = await gql('police-investigator', 'COORDINATION', COMPLETE, { id: overdue.id, version: 0, completedOn: today() });
      expectError(stale.body, 'CONFLICT');
      const unknown = await gql('police-investigator', 'COORDINATION', COMPLETE, { id: 'MD999999', version: 1, completedOn: today() });
      expectError(unknown.body, 'NOT_FOUND');

      const done = await gql('police-investigator', 'COORDINATION', COMPLETE, { id: overdue.id, version: 1, completedOn: today(), key: newKey('complete') });
      expect(done.body.errors).toBeUndefined();
      expect(done.body.data.completeDecision).toMatchObject({ completedOn: today(), isOverdue: false, version: 2 });
      const twice = await gql('police-investigator', 'COORDINATION', COMPLETE, { id: overdue.id, version: 2, completedOn: today() });
      expectError(twice.body, 'BAD_USER_INPUT', 'id');
      // The secretariat completes any decision.
      const bySecretariat = await gql('secretariat-coordinator', 'COORDINATION', COMPLETE, { id: secretariatOverdue.id, version: 1, completedOn: addDays(today(), -1) });
      expect(bySecretariat.body.data.completeDecision).toMatchObject({ completedOn: addDays(today(), -1), version: 2 });
      const afterwards = await gql('board-member', 'COORDINATION', OVERDUE_DECISIONS, {});
      const afterIds = afterwards.body.data.overdueDecisions.map((d: any) => d.id);
      expect(afterIds).not.toContain(overdue.id);
      expect(afterIds).not.toContain(secretariatOverdue.id);
      expect(await changeRows('COMPLETE', 'MeetingDecision', overdue.id)).toBe(1);

      const withDecisions = await gql('analyst', 'STATISTICS', `{ meeting(id: "${meeting.id}") { decisions { id completedOn } } }`);
      expect(withDecisions.body.data.meeting.decisions.map((d: any) => d.id).sort()).toEqual([overdue.id, secretariatOverdue.id, notYet.id].sort());
    });
  });

  describe('change log and rules', () => {
    it("shows every change to the municipality's auditor, with who made it", async () => {
      const q = `{ municipalityDisclosureLog(first: 1000) { nodes { principal organisation purpose action entityType entityIds fields dataOwner decision operation } } }`;
      const { body } = await gql('municipality-auditor', 'STATISTICS', q);
      expect(body.errors).toBeUndefined();
      const rows = body.data.municipalityDisclosureLog.nodes;
      const actions = new Set(rows.map((r: any) => `${r.action} ${r.entityType}`));
      for (const a of [
        'CREATE Initiative',
        'UPDATE Initiative',
        'CLOSE Initiative',
        'POST Notice',
        'ACKNOWLEDGE Notice',
        'SCHEDULE Meeting',
        'RECORD MeetingDecision',
        'COMPLETE MeetingDecision',
      ]) {
        expect(actions, a).toContain(a);
      }
      const ack = rows.find((r: any) => r.action === 'ACKNOWLEDGE' && r.principal.endsWith('#dev-fob-caseworker'));
      expect(ack).toMatchObject({ organisation: 'fob', purpose: 'COORDINATION', dataOwner: 'slagelse-kommune', decision: 'PERMITTED', fields: ['acknowledgements'] });
      expect(ack.operation).toMatch(/^mutation .*\{acknowledgeNotice\}$/);
      for (const r of rows.filter((x: any) => x.action !== 'READ' && x.action !== 'SEARCH')) expect(r.entityIds).toHaveLength(1);
      // Refused and invalid mutations left no change row.
      expect(await count("SELECT count(*) AS n FROM disclosure_log WHERE action IN ('CREATE', 'UPDATE', 'CLOSE') AND organisation IN ('kompetencecenteret') AND entity_type = 'Initiative'")).toBe(0);
      const verify = await gql('municipality-auditor', 'STATISTICS', '{ municipalityDisclosureLogVerification { ok } }');
      expect(verify.body.data.municipalityDisclosureLogVerification.ok).toBe(true);
    });

    it('keeps the rules strictly valid, and no mutation cacheable', async () => {
      expect(PolicyEngine.validate(loadPolicySource(new URL('../src/policies/', import.meta.url)))).toEqual([]);
      const mutations = Object.keys((await buildMunicipalitySchema()).getMutationType()!.getFields());
      expect(mutations.length).toBe(10);
      for (const m of mutations) expect(municipalityResources.cacheableRootFields[m], m).toBeUndefined();
    });
  });
});
