import { DevIssuer } from '@partnergraph/common';
import { createTestDatabase, personaClient } from '@partnergraph/subgraph-kit/testing';
import { World } from '@partnergraph/synthetic';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedHousing } from '../src/data/seed.js';
import { housingSubgraph } from '../src/server.js';

const world = new World();
let gql: ReturnType<typeof personaClient>;
let stop: () => Promise<void>;

beforeAll(async () => {
  const issuer = await DevIssuer.create();
  const db = await createTestDatabase('housing');
  const server = await housingSubgraph.create({ db, trust: issuer.trustConfig() });
  await seedHousing(db, world);
  const running = await server.listen(0);
  gql = personaClient(running.url, (p) => issuer.signPersona(p));
  stop = async () => {
    await server.stop();
    await db.close();
  };
});
afterAll(() => stop?.());

const currentTenantOf = (company: string) => {
  for (const t of world.tenancies()) if (t.companyId === company && !t.endDate) return t;
  throw new Error('no tenant');
};

describe('housing subgraph', () => {
  it('refuses requests without a valid token', async () => {
    const res = await gql(null, 'COORDINATION', '{ departments { id } }');
    expect(res.status).toBe(401);
    expect(res.body.data).toBeUndefined();
  });

  it('shows each company only its own tenants', async () => {
    for (const [persona, org] of [
      ['housing-fob-caseworker', 'fob'],
      ['housing-bk-caseworker', 'bolig-korsor'],
    ] as const) {
      const res = await gql(persona, 'CRIME_PREVENTION_63D', '{ tenancies(first: 1000) { nodes { id tenantName company { id } } } }');
      expect(res.body.errors).toBeUndefined();
      const companies = new Set(res.body.data.tenancies.nodes.map((t: any) => t.company.id));
      expect([...companies]).toEqual([org]);
    }
    const other = currentTenantOf('bolig-korsor');
    const res = await gql('housing-fob-caseworker', 'CRIME_PREVENTION_63D', `{ tenancy(id: "${other.id}") { id tenantName } }`);
    expect(res.body).toEqual({ data: { tenancy: null } });
  });

  it('tells the police whether a person holds a tenancy and with whom, nothing more', async () => {
    const tenant = currentTenantOf('fob');
    const q = `{ person(id: "${tenant.tenantPersonId}") { tenancyHolding { holdsCurrentTenancy housingCompanies { id } } tenancies { id } } }`;
    const res = await gql('police-investigator', 'CRIME_PREVENTION_63D', q);
    expect(res.body.data.person.tenancyHolding).toEqual({ holdsCurrentTenancy: true, housingCompanies: [{ id: 'fob' }] });
    expect(res.body.data.person.tenancies).toBeNull();
    expect(res.body.errors?.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN']);
    const wrongPurpose = await gql('police-investigator', 'STATISTICS', q);
    expect(wrongPurpose.body.data?.person ?? null).toBeNull();
  });

  it('answers the police yes or no for one company in one area, before a referral, and only the police', async () => {
    const tenant = currentTenantOf('fob');
    const ask = (persona: string, company: string, area: string) =>
      gql(persona, 'TERMINATION_90_10', `{ person(id: "${tenant.tenantPersonId}") { tenancyHolding { holdsCurrentTenancyWith(housingCompanyId: "${company}", areaId: "${area}") } } }`);
    const answer = async (company: string, area: string) => (await ask('police-investigator', company, area)).body.data.person.tenancyHolding.holdsCurrentTenancyWith;
    expect(await answer('fob', tenant.areaId)).toBe(true);
    expect(await answer('sab', tenant.areaId)).toBe(false);
    expect(await answer('fob', tenant.areaId === 'sydbyen' ? 'ringparken' : 'sydbyen')).toBe(false);
    const unknown = await ask('police-investigator', 'nobody', tenant.areaId);
    expect(unknown.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const company = await ask('housing-sab-caseworker', 'fob', tenant.areaId);
    expect(company.body.data?.person?.tenancyHolding ?? null).toBeNull();
  });

  it('gives the municipality no tenancy at all', async () => {
    const res = await gql('municipality-caseworker', 'SSP_115', '{ tenancies { nodes { id } } }');
    expect(res.body.data).toEqual({ tenancies: null });
    expect(res.body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('publishes occupancy to analysts with small cells suppressed', async () => {
    const res = await gql('analyst', 'STATISTICS', '{ departments { id units } }');
    expect(res.body.errors).toBeUndefined();
    const occ = await gql('analyst', 'STATISTICS', '{ tenancies { nodes { id } } }');
    expect(occ.body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('rejects malformed ids with a clear error', async () => {
    const res = await gql('housing-fob-caseworker', 'CRIME_PREVENTION_63D', '{ tenancy(id: "1; drop table") { id } }');
    expect(res.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(res.body)).not.toMatch(/stack|at .*\.ts/);
  });
});
