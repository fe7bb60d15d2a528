import { PERSONAS } from '@partnergraph/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlledProxy } from './support/controlledProxy.js';
import { startSystem, type System } from './support/system.js';

/**
 * The owners' rules across the referral workflow (issue 8, §§ 1–3): the police
 * refer a decision to a housing company, the company opens a termination case,
 * other companies learn of a termination for crime (§ 63 e). Each attack is
 * made through the gateway and straight at the owner's subgraph.
 */

const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
const RANDOM_ID = (prefix: string) => new RegExp(`^${prefix}[0-9A-HJKMNP-TV-Z]{16}$`);

const RECORD = 'mutation ($input: RecordCriminalDecisionInput!) { recordCriminalDecision(input: $input) { id } }';
const REFER = 'mutation ($input: ReferDecisionInput!) { referDecision(input: $input) { id purpose } }';
const OPEN = 'mutation ($input: OpenTerminationCaseInput!) { openTerminationCase(input: $input) { id status } }';
const ADVANCE = 'mutation ($id: ID!, $version: Int!, $status: TerminationStatus!) { advanceTerminationCase(id: $id, version: $version, status: $status) { status version } }';
/** The issue's own query: a referral, its date and purpose, and the tenant behind it. */
const LEAK_QUERY = (id: string) => `{ referral(id: "${id}") { purpose referredOn person { id tenancies { unitAddress tenantName } } decision { id } } }`;

type Client = System['gql'];
type Res = Awaited<ReturnType<Client>>;
const code = (res: Res) => res.body.errors?.[0]?.extensions?.['code'];

describe('the referral workflow between the owners', () => {
  let system: System;
  let police: Array<[string, Client]>;
  let housing: Array<[string, Client]>;
  beforeAll(async () => {
    system = await startSystem({ peerTimeoutMs: 1000 });
    police = [
      ['gateway', system.gql],
      ['police subgraph', system.direct('police')],
    ];
    housing = [
      ['gateway', system.gql],
      ['housing subgraph', system.direct('housing')],
    ];
  });
  afterAll(() => system?.stop());

  /** Current tenants of one company in one area (the world's, at the seed's day). */
  const tenantsOf = (company: string, areaId: string) =>
    [...system.world.tenancies()].filter((t) => t.companyId === company && t.areaId === areaId && !t.endDate && t.startDate < day(-30));
  let next = 0;
  /** A fresh current FOB tenant in Ringparken per scenario, so scenarios do not meet. */
  const freshFobTenant = () => tenantsOf('fob', 'ringparken')[next++]!;

  async function decide(personId: string, overrides: Record<string, unknown> = {}, purpose = 'CRIME_PREVENTION_63D'): Promise<string> {
    const input = {
      personId,
      personBirthDate: '1988-04-02',
      decidedOn: day(-40),
      offenceCategory: 'VANDALISM',
      decisionType: 'FINE',
      withinOrAffectingArea: true,
      areaId: 'ringparken',
      caseNumber: '0300-80001-00001-26',
      court: 'Retten i Næstved',
      offenceDescription: 'Synthetic decision for the referral tests',
      ...overrides,
    };
    if (String(input.decisionType).endsWith('IMPRISONMENT') && !('sentenceDays' in overrides)) Object.assign(input, { sentenceDays: 90 });
    const res = await system.gql('police-investigator', purpose, RECORD, { input });
    expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    return res.body.data.recordCriminalDecision.id as string;
  }

  const refer = (client: Client, decisionId: string, housingCompanyId: string, purpose: string) =>
    client('police-investigator', purpose, REFER, { input: { decisionId, housingCompanyId, purpose } });

  async function referred(decisionId: string, company: string, purpose: string): Promise<string> {
    const res = await refer(system.gql, decisionId, company, purpose);
    expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    return res.body.data.referDecision.id as string;
  }

  const referralRows = async (decisionId: string) =>
    (await system.owners['police']!.db.query<{ n: number }>('SELECT count(*)::int AS n FROM referrals WHERE decision_id = $1', [decisionId]))[0]!.n;

  /** Everything through which a company might see a referral or its decision, each way in. */
  async function seenByCompany(persona: string, purpose: string, referralId: string, decisionId: string, personId: string): Promise<string[]> {
    const seen: string[] = [];
    for (const [path, client] of police) {
      const one = await client(persona, purpose, `{ referral(id: "${referralId}") { purpose referredOn person { id } decision { id } } }`);
      if (one.body.data?.referral) seen.push(`${path}: referral(id)`);
      const inbox = await client(persona, purpose, '{ referrals(first: 1000) { nodes { id } } }');
      if (inbox.body.data?.referrals?.nodes.some((r: { id: string }) => r.id === referralId)) seen.push(`${path}: referrals inbox`);
      const decision = await client(persona, purpose, `{ criminalDecision(id: "${decisionId}") { id } }`);
      if (decision.body.data?.criminalDecision) seen.push(`${path}: criminalDecision(id)`);
      const list = await client(persona, purpose, '{ criminalDecisions(first: 1000) { nodes { id } } }');
      if (list.body.data?.criminalDecisions?.nodes.some((d: { id: string }) => d.id === decisionId)) seen.push(`${path}: criminalDecisions`);
    }
    const entities = await system.direct('police')(
      persona,
      purpose,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Referral { id purpose } ... on CriminalDecision { id decidedOn } } }`,
      { r: [{ __typename: 'Referral', id: referralId }, { __typename: 'CriminalDecision', id: decisionId }] },
    );
    if (entities.body.data?._entities?.some((e: unknown) => e !== null)) seen.push('police subgraph: _entities');
    const person = await system.gql(persona, purpose, `{ person(id: "${personId}") { criminalDecisions { id } } }`);
    if (person.body.data?.person?.criminalDecisions?.some((d: { id: string }) => d.id === decisionId)) seen.push('gateway: Person.criminalDecisions');
    const extension = await system.direct('housing')(
      persona,
      purpose,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Referral { id terminationCase { id } } } }`,
      { r: [{ __typename: 'Referral', id: referralId, housingCompany: { id: PERSONAS[persona]!.organisation } }] },
    );
    if (extension.body.data?._entities?.[0]?.terminationCase) seen.push("housing subgraph: Referral.terminationCase");
    return seen;
  }

  describe('§ 1: a referral discloses its decision, so it is visible only where its decision is', () => {
    it('refuses to refer a withdrawn charge, through the gateway and at the police subgraph', async () => {
      const tenant = freshFobTenant();
      const decisionId = await decide(tenant.tenantPersonId, { decisionType: 'CHARGE_WITHDRAWN' });
      for (const [path, client] of police) {
        const res = await refer(client, decisionId, 'fob', 'CRIME_PREVENTION_63D');
        expect(code(res), path).toBe('BAD_USER_INPUT');
        expect(res.body.errors![0]!.extensions!['policies'], path).toContain('housing-never-sees-withdrawn-charges');
        expect(res.body.data?.referDecision ?? null, path).toBeNull();
      }
      expect(await referralRows(decisionId)).toBe(0);
    });

    it('hides a withdrawn charge referred before the rule: no referral, decision, inbox row, entity or tenant', async () => {
      const tenant = freshFobTenant();
      const decisionId = await decide(tenant.tenantPersonId, { decisionType: 'CHARGE_WITHDRAWN' });
      // As the issue found it: referred to FOB (a row made before the rule, with an id of the old form).
      const referralId = 'R0999001';
      await system.owners['police']!.db.query(
        `INSERT INTO referrals (id, decision_id, housing_company, purpose, referred_on, referred_by) VALUES ($1, $2, 'fob', 'CRIME_PREVENTION_63D', current_date, 'before-the-rule')`,
        [referralId, decisionId],
      );
      const leak = await system.gql('housing-fob-caseworker', 'CRIME_PREVENTION_63D', LEAK_QUERY(referralId));
      // The answer itself (extensions carry only the request's cost).
      expect({ data: leak.body.data, errors: leak.body.errors }).toEqual({ data: { referral: null }, errors: undefined });
      expect(await seenByCompany('housing-fob-caseworker', 'CRIME_PREVENTION_63D', referralId, decisionId, tenant.tenantPersonId)).toEqual([]);
      // The police still see their own record.
      const own = await system.gql('police-investigator', 'CRIME_PREVENTION_63D', `{ referral(id: "${referralId}") { id decision { decisionType } } }`);
      expect(own.body.data.referral).toEqual({ id: referralId, decision: { decisionType: 'CHARGE_WITHDRAWN' } });
    });

    it('shows a referral exactly where its decision is: to its company, under its purpose, while recent', async () => {
      const tenant = freshFobTenant();
      const decisionId = await decide(tenant.tenantPersonId);
      const referralId = await referred(decisionId, 'fob', 'CRIME_PREVENTION_63D');
      expect(referralId).toMatch(RANDOM_ID('R'));
      expect(decisionId).toMatch(RANDOM_ID('D'));
      const all = ['police subgraph: _entities', 'gateway: Person.criminalDecisions'].concat(
        ...police.map(([path]) => [`${path}: referral(id)`, `${path}: referrals inbox`, `${path}: criminalDecision(id)`, `${path}: criminalDecisions`]),
      );
      expect((await seenByCompany('housing-fob-caseworker', 'CRIME_PREVENTION_63D', referralId, decisionId, tenant.tenantPersonId)).sort()).toEqual(all.sort());
      expect(await seenByCompany('housing-sab-caseworker', 'CRIME_PREVENTION_63D', referralId, decisionId, tenant.tenantPersonId)).toEqual([]);
      // Older than two years (as if time had passed): gone from the company's view, decision and referral alike.
      await system.owners['police']!.db.query(`UPDATE criminal_decisions SET decided_on = current_date - 800 WHERE id = $1`, [decisionId]);
      expect(await seenByCompany('housing-fob-caseworker', 'CRIME_PREVENTION_63D', referralId, decisionId, tenant.tenantPersonId)).toEqual([]);
    });
  });

  describe('§ 2: referral rules of § 63 d and § 90 stk. 1 nr. 10', () => {
    it('refers only to the company the person rents from in the decision’s area, as the housing companies answer', async () => {
      const tenant = freshFobTenant();
      const here = await decide(tenant.tenantPersonId);
      const elsewhere = await decide(tenant.tenantPersonId, { areaId: 'sydbyen' });
      const ended = [...system.world.tenancies()].find((t) => t.endDate && t.companyId === 'fob' && t.areaId === 'ringparken')!;
      const endedDecision = await decide(ended.tenantPersonId);
      const nobody = await decide(system.world.personId(system.world.tenancyCount + 50_000));
      for (const [path, client] of police) {
        for (const [decisionId, company] of [
          [here, 'sab'],
          [elsewhere, 'fob'],
          [endedDecision, 'fob'],
          [nobody, 'fob'],
        ] as const) {
          const res = await refer(client, decisionId, company, 'CRIME_PREVENTION_63D');
          expect(code(res), `${path} ${decisionId} → ${company}`).toBe('BAD_USER_INPUT');
          expect(res.body.errors![0]!.extensions!['field']).toBe('input.housingCompanyId');
        }
      }
      for (const id of [here, elsewhere, endedDecision, nobody]) expect(await referralRows(id)).toBe(0);
      expect(await referred(here, 'fob', 'CRIME_PREVENTION_63D')).toMatch(RANDOM_ID('R'));
      // The police learned only the yes or no, and the housing companies logged that they asked.
      const log = await system.owners['housing']!.db.query<{ fields: string[]; organisation: string }>(
        `SELECT fields, organisation FROM disclosure_log WHERE entity_type = 'TenancyHolding' AND $1 = ANY(data_subjects)`,
        [tenant.tenantPersonId],
      );
      expect(log.length).toBeGreaterThan(0);
      for (const row of log) {
        expect(row.organisation).toBe('police');
        expect(row.fields).toEqual(['holdsCurrentTenancyWith']);
      }
    });

    it('refers under a purpose only what fits it', async () => {
      const tenant = freshFobTenant();
      const refused: Array<[Record<string, unknown>, string]> = [
        [{ decisionType: 'FINE' }, 'TERMINATION_90_10'],
        [{ decisionType: 'UNCONDITIONAL_IMPRISONMENT', offenceCategory: 'THEFT' }, 'TERMINATION_90_10'],
        [{ decisionType: 'CONDITIONAL_IMPRISONMENT', offenceCategory: 'VIOLENCE' }, 'TERMINATION_90_10'],
        [{ decidedOn: day(-800) }, 'CRIME_PREVENTION_63D'],
        [{ withinOrAffectingArea: false }, 'CRIME_PREVENTION_63D'],
      ];
      for (const [overrides, purpose] of refused) {
        const decisionId = await decide(tenant.tenantPersonId, overrides, purpose);
        for (const [path, client] of police) {
          const res = await refer(client, decisionId, 'fob', purpose);
          expect(code(res), `${path} ${JSON.stringify(overrides)} under ${purpose}`).toBe('BAD_USER_INPUT');
        }
        expect(await referralRows(decisionId)).toBe(0);
      }
      const prison = await decide(tenant.tenantPersonId, { decisionType: 'UNCONDITIONAL_IMPRISONMENT', offenceCategory: 'VIOLENCE' }, 'TERMINATION_90_10');
      expect(await referred(prison, 'fob', 'TERMINATION_90_10')).toMatch(RANDOM_ID('R'));
      const fine = await decide(tenant.tenantPersonId);
      expect(await referred(fine, 'fob', 'CRIME_PREVENTION_63D')).toMatch(RANDOM_ID('R'));
    });

    it('lets a company read a referral and its decision only under the purpose it was referred under', async () => {
      const tenant = freshFobTenant();
      const decisionId = await decide(tenant.tenantPersonId);
      const referralId = await referred(decisionId, 'fob', 'CRIME_PREVENTION_63D');
      expect(await seenByCompany('housing-fob-caseworker', 'TERMINATION_90_10', referralId, decisionId, tenant.tenantPersonId)).toEqual([]);
      expect(await seenByCompany('housing-fob-caseworker', 'CRIME_PREVENTION_63D', referralId, decisionId, tenant.tenantPersonId)).not.toEqual([]);
    });

    it('makes no referral when the housing companies cannot be asked: refused, slow or garbled', async () => {
      const tenant = freshFobTenant();
      const decisionId = await decide(tenant.tenantPersonId);
      const proxy = await controlledProxy(system.owners['housing']!.url);
      system.peerOverrides['housing'] = proxy.url;
      try {
        for (const mode of ['down', 'slow', 'garbage'] as const) {
          proxy.state.mode = mode;
          const res = await refer(system.gql, decisionId, 'fob', 'CRIME_PREVENTION_63D');
          expect(code(res), mode).toBe('SUBGRAPH_UNAVAILABLE');
          expect(res.body.errors![0]!.message, mode).toMatch(/housing subgraph could not be reached/);
          expect(await referralRows(decisionId), mode).toBe(0);
        }
        // What the police sent: the caller's token and purpose, and the request's id and trace.
        proxy.state.mode = 'pass';
        proxy.state.seen.length = 0;
        expect(await referred(decisionId, 'fob', 'CRIME_PREVENTION_63D')).toMatch(RANDOM_ID('R'));
        const sent = proxy.state.seen[0]!;
        expect(sent['x-purpose']).toBe('CRIME_PREVENTION_63D');
        expect(sent['authorization']).toMatch(/^Bearer /);
        expect(sent['x-request-id']).toBeTruthy();
        expect(sent['traceparent']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/);
      } finally {
        delete system.peerOverrides['housing'];
        await proxy.close();
      }
    });
  });

  describe('§ 3: termination cases only by the referred company, on a real referral, without an oracle', () => {
    /** A FOB tenant with a § 90 referral to FOB. */
    async function prisonReferral() {
      const tenant = freshFobTenant();
      const decisionId = await decide(tenant.tenantPersonId, { decisionType: 'UNCONDITIONAL_IMPRISONMENT', offenceCategory: 'VIOLENCE' }, 'TERMINATION_90_10');
      const referralId = await referred(decisionId, 'fob', 'TERMINATION_90_10');
      return { tenant, decisionId, referralId };
    }
    const bkTenancy = () => tenantsOf('bolig-korsor', 'motalavej')[0]!;
    const open = (client: Client, persona: string, purpose: string, referralId: string, tenancyId: string, basis = 'ALMENLEJELOVEN_90_1_10') =>
      client(persona, purpose, OPEN, { input: { referralId, tenancyId, basis } });
    const caseRows = async (referralId: string) =>
      (await system.owners['housing']!.db.query<{ n: number }>('SELECT count(*)::int AS n FROM termination_cases WHERE referral_id = $1', [referralId]))[0]!.n;

    it("answers another company's referral exactly as one that does not exist: message, code, statements and time", async () => {
      const { referralId } = await prisonReferral();
      const missing = 'R' + 'Z'.repeat(16);
      const statements = { housing: 0, police: 0 };
      const counting = (owner: 'housing' | 'police') => () => void statements[owner]++;
      for (const [path, client] of housing) {
        const answers = [];
        const counts = [];
        for (const id of [referralId, missing]) {
          statements.housing = statements.police = 0;
          system.owners['housing']!.db.onStatement = counting('housing');
          system.owners['police']!.db.onStatement = counting('police');
          answers.push((await open(client, 'housing-bk-caseworker', 'TERMINATION_90_10', id, bkTenancy().id)).body);
          counts.push({ ...statements });
        }
        system.owners['housing']!.db.onStatement = undefined;
        system.owners['police']!.db.onStatement = undefined;
        expect(answers[0], path).toEqual(answers[1]);
        expect(answers[0]!.errors![0]!.extensions!['code'], path).toBe('NOT_FOUND');
        expect(answers[0]!.errors![0]!.message, path).toBe('Referral not found or not accessible.');
        expect(counts[0], `${path}: the same statements either way`).toEqual(counts[1]);
      }
      // The same work takes the same time. Timed in adjacent pairs, alternating which goes first, so
      // load hits both alike; an oracle shows as one kind being slower in nearly every pair (a sign
      // test: 30 pairs, chance of 25 or more one way without an oracle ~3e-4) by a real margin,
      // whereas load only scatters the pairs.
      const differences: number[] = [];
      for (let i = 0; i < 30; i++) {
        const pair: Record<string, number> = {};
        for (const [kind, id] of i % 2 ? ([['theirs', referralId], ['missing', missing]] as const) : ([['missing', missing], ['theirs', referralId]] as const)) {
          const t = performance.now();
          await open(system.gql, 'housing-bk-caseworker', 'TERMINATION_90_10', id, bkTenancy().id);
          pair[kind] = performance.now() - t;
        }
        differences.push(pair['theirs']! - pair['missing']!);
      }
      const slowerTheirs = differences.filter((d) => d > 0).length;
      const median = [...differences].sort((a, b) => a - b)[Math.floor(differences.length / 2)]!;
      const oracle = (slowerTheirs >= 25 || slowerTheirs <= 5) && Math.abs(median) > 2;
      expect(oracle, `${slowerTheirs}/30 pairs slower for another company's referral; median difference ${median.toFixed(2)} ms`).toBe(false);
      expect(await caseRows(referralId)).toBe(0);
    });

    it("does not let BK open a case on FOB's referral; FOB then opens it, and the police see the outcome", async () => {
      const { tenant, referralId } = await prisonReferral();
      const fobTenancy = tenant.id;
      for (const [path, client] of housing) {
        // BK's own tenancy, or FOB's tenancy of the person: not found either way, and no case.
        for (const tenancyId of [bkTenancy().id, fobTenancy]) {
          const res = await open(client, 'housing-bk-caseworker', 'TERMINATION_90_10', referralId, tenancyId);
          expect(code(res), path).toBe('NOT_FOUND');
        }
      }
      expect(await caseRows(referralId)).toBe(0);
      const opened = await open(system.gql, 'housing-fob-caseworker', 'TERMINATION_90_10', referralId, fobTenancy);
      expect(opened.body.errors).toBeUndefined();
      const caseId = opened.body.data.openTerminationCase.id as string;
      expect(caseId).toMatch(RANDOM_ID('C'));
      const again = await open(system.gql, 'housing-fob-caseworker', 'TERMINATION_90_10', referralId, fobTenancy);
      expect(code(again)).toBe('CONFLICT');
      // BK still learns nothing: not found, as before.
      expect(code(await open(system.gql, 'housing-bk-caseworker', 'TERMINATION_90_10', referralId, bkTenancy().id))).toBe('NOT_FOUND');
      const outcome = await system.gql('police-investigator', 'TERMINATION_90_10', `{ referral(id: "${referralId}") { terminationCase { id status } } }`);
      expect(outcome.body.data.referral.terminationCase).toEqual({ id: caseId, status: 'ASSESSING' });
    });

    it('opens no case on a referral that does not exist, so none can be passed off as a termination for crime', async () => {
      const tenant = freshFobTenant();
      for (const id of ['R0000001', 'R5000001', 'R' + '7'.repeat(16)]) {
        for (const [path, client] of housing) {
          const res = await open(client, 'housing-fob-caseworker', 'TERMINATION_90_10', id, tenant.id);
          expect(code(res), `${path} ${id}`).toBe('NOT_FOUND');
        }
        expect(await caseRows(id)).toBe(0);
      }
    });

    it('opens a case only under the purpose the referral was made under, on its basis, against the referred tenancy', async () => {
      const { tenant, referralId } = await prisonReferral();
      expect(code(await open(system.gql, 'housing-fob-caseworker', 'CRIME_PREVENTION_63D', referralId, tenant.id, 'OTHER'))).toBe('NOT_FOUND');
      const other = tenantsOf('fob', 'ringparken').at(-1)!;
      expect(code(await open(system.gql, 'housing-fob-caseworker', 'TERMINATION_90_10', referralId, other.id))).toBe('BAD_USER_INPUT');
      const fineTenant = freshFobTenant();
      const fine = await referred(await decide(fineTenant.tenantPersonId), 'fob', 'CRIME_PREVENTION_63D');
      expect(code(await open(system.gql, 'housing-fob-caseworker', 'CRIME_PREVENTION_63D', fine, fineTenant.id, 'ALMENLEJELOVEN_90_1_10'))).toBe('BAD_USER_INPUT');
      expect(await caseRows(referralId)).toBe(0);
      expect(await caseRows(fine)).toBe(0);
    });

    it('opens no case when the police cannot be asked', async () => {
      const { tenant, referralId } = await prisonReferral();
      const proxy = await controlledProxy(system.owners['police']!.url);
      system.peerOverrides['police'] = proxy.url;
      try {
        proxy.state.mode = 'down';
        const res = await open(system.gql, 'housing-fob-caseworker', 'TERMINATION_90_10', referralId, tenant.id);
        expect(code(res)).toBe('SUBGRAPH_UNAVAILABLE');
        expect(await caseRows(referralId)).toBe(0);
      } finally {
        delete system.peerOverrides['police'];
        await proxy.close();
      }
    });

    it('shows a case, and the referral it answers, only where that referral may be read', async () => {
      const { tenant, referralId } = await prisonReferral();
      const opened = await open(system.gql, 'housing-fob-caseworker', 'TERMINATION_90_10', referralId, tenant.id);
      const caseId = opened.body.data.openTerminationCase.id as string;
      const probe = `{ terminationCase(id: "${caseId}") { id referral { id } } terminationCases(first: 1000) { nodes { id } }
        tenancy(id: "${tenant.id}") { terminationCases { id } } }`;
      for (const [path, client] of housing) {
        const under90 = await client('housing-fob-caseworker', 'TERMINATION_90_10', probe);
        expect(under90.body.errors, path).toBeUndefined();
        expect(under90.body.data.terminationCase, path).toEqual({ id: caseId, referral: { id: referralId } });
        expect(under90.body.data.terminationCases.nodes.map((n: { id: string }) => n.id), path).toContain(caseId);
        expect(under90.body.data.tenancy.terminationCases.map((n: { id: string }) => n.id), path).toContain(caseId);
        // Under § 63 d the referral was not made: its case is not there.
        const under63d = await client('housing-fob-caseworker', 'CRIME_PREVENTION_63D', probe);
        expect(under63d.body.data.terminationCase, path).toBeNull();
        expect(under63d.body.data.terminationCases.nodes.map((n: { id: string }) => n.id), path).not.toContain(caseId);
        expect(under63d.body.data.tenancy.terminationCases, path).toEqual([]);
        // Another company: nothing.
        const sab = await client('housing-sab-caseworker', 'TERMINATION_90_10', `{ terminationCase(id: "${caseId}") { id } }`);
        expect(sab.body.data.terminationCase, path).toBeNull();
      }
      // Two years after the decision, the referral may no longer be read: the case stays, its link to the referral goes.
      await system.owners['housing']!.db.query('UPDATE termination_cases SET referral_decided_on = current_date - 800 WHERE id = $1', [caseId]);
      const later = await system.direct('housing')('housing-fob-caseworker', 'TERMINATION_90_10', `{ terminationCase(id: "${caseId}") { id referral { id } } }`);
      expect(later.body.data.terminationCase).toEqual({ id: caseId, referral: null });
      expect(code(later)).toBe('FORBIDDEN');
    });

    it('counts for § 63 e only completed § 90 cases that answer a referral the police confirmed', async () => {
      const { tenant, referralId } = await prisonReferral();
      const opened = await open(system.gql, 'housing-fob-caseworker', 'TERMINATION_90_10', referralId, tenant.id);
      let kase = { id: opened.body.data.openTerminationCase.id as string, version: 1 };
      for (const status of ['NOTICE_SERVED', 'IN_COURT', 'COMPLETED']) {
        const moved = await system.gql('housing-fob-caseworker', 'TERMINATION_90_10', ADVANCE, { ...kase, status });
        expect(moved.body.errors).toBeUndefined();
        kase = { ...kase, version: moved.body.data.advanceTerminationCase.version };
      }
      // A completed case on a referral nobody confirmed (as opened before the check existed).
      const forged = tenantsOf('fob', 'ringparken').at(-2)!;
      await system.owners['housing']!.db.query(
        `INSERT INTO termination_cases (id, tenancy_id, company_id, referral_id, basis, status, opened_on, status_changed_on, purpose)
         VALUES ('C0999001', $1, 'fob', 'R0999999', 'ALMENLEJELOVEN_90_1_10', 'COMPLETED', current_date, current_date, 'TERMINATION_90_10')`,
        [forged.id],
      );
      const check = (personId: string) =>
        system.gql('housing-sab-caseworker', 'CRIME_PREVENTION_63D', `{ crimeTerminationsOfApplicant(personId: "${personId}", areaId: "ringparken") { name address terminatedForCrime } }`);
      expect((await check(tenant.tenantPersonId)).body.data.crimeTerminationsOfApplicant).toEqual([
        { name: tenant.tenantName, address: tenant.unitAddress, terminatedForCrime: true },
      ]);
      for (const [path, client] of housing) {
        const res = await client('housing-sab-caseworker', 'CRIME_PREVENTION_63D', `{ crimeTerminationsOfApplicant(personId: "${forged.tenantPersonId}", areaId: "ringparken") { name } }`);
        expect(res.body.data.crimeTerminationsOfApplicant, path).toEqual([]);
      }
    });
  });

  it('keeps every disclosure-log row reviewable by some auditor', async () => {
    // Some of the municipality's personal data read too, so every owner has rows.
    const injunctions = await system.gql('municipality-caseworker', 'SSP_115', '{ injunctions(first: 5) { nodes { id person { id } } } }');
    expect(injunctions.body.errors).toBeUndefined();
    const auditors = [
      ...['police', 'slagelse-kommune', 'kompetencecenteret', 'bolig-korsor', 'skaelskor-boligselskab', 'fob', 'sab', 'slagelse-boligselskab'].map((organisation) => ({
        subject: `test-auditor-${organisation}`,
        organisation,
        roles: ['auditor' as const],
        purposes: ['COORDINATION' as const],
        areas: [],
      })),
    ];
    for (const owner of ['police', 'municipality', 'housing']) {
      const all = await system.owners[owner]!.db.query<{ seq: number; data_owner: string }>('SELECT seq::int AS seq, data_owner FROM disclosure_log');
      expect(all.length, owner).toBeGreaterThan(0);
      const reviewed = new Set<number>();
      for (const auditor of auditors) {
        const token = await system.issuer.sign(auditor);
        let after: string | null = null;
        do {
          const res: Response = await fetch(system.owners[owner]!.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'COORDINATION' },
            body: JSON.stringify({
              query: `query ($after: String) { ${owner}DisclosureLog(first: 1000, after: $after) { nodes { seq } pageInfo { hasNextPage endCursor } } }`,
              variables: { after },
            }),
          });
          const page: any = ((await res.json()) as any).data?.[`${owner}DisclosureLog`];
          for (const n of page?.nodes ?? []) reviewed.add(n.seq);
          after = page?.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
        } while (after);
      }
      // Rows written after the listing began (the auditors' own reads) need not be there yet.
      const unreviewed = all.filter((r) => !reviewed.has(r.seq));
      expect(unreviewed.map((r) => r.data_owner), `${owner}: rows no auditor can review`).toEqual([]);
    }
  });
});
