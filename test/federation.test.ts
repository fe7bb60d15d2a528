import { BoardOverviewDocument, PersonOverviewDocument, TenancyHoldingDocument } from '@partnergraph/operations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type System } from './support/system.js';

/** The federated graph end to end, on real PostgreSQL (when configured) and on the embedded PGlite. */
describe.each([
  ['server databases', false],
  ['embedded PGlite', true],
])('federated graph on %s', (_label, embedded) => {
  let system: System;
  beforeAll(async () => {
    system = await startSystem({ embedded });
  });
  afterAll(() => system?.stop());

  it('answers the board overview from three subgraphs in one query', async () => {
    const { body } = await system.run('secretariat-coordinator', 'STATISTICS', BoardOverviewDocument);
    expect(body.errors).toBeUndefined();
    const areas = body.data!.areas!;
    expect(areas.map((a) => a!.id).sort()).toEqual(['motalavej', 'parkvej', 'ringparken', 'sydbyen']);
    const currentByArea = new Map<string, number>();
    for (const t of system.world.tenancies()) if (!t.endDate) currentByArea.set(t.areaId, (currentByArea.get(t.areaId) ?? 0) + 1);
    const latestYear = Math.max(...system.world.safetyIndex().map((s) => s.year));
    for (const area of areas) {
      expect(area!.name).toBeTruthy(); // municipality
      expect(area!.latestSafetyIndex!.year).toBe(latestYear); // police
      expect(area!.latestSafetyIndex!.shareFeelingSafe).toBe(
        system.world.safetyIndex().find((s) => s.areaId === area!.id && s.year === latestYear)!.shareFeelingSafe,
      );
      expect(area!.activeInitiativeCount).toBeGreaterThan(0); // municipality
      expect(area!.currentTenancyCount).toBe(currentByArea.get(area!.id)); // housing
    }
  });

  it('joins a person across owners: tenancies from housing, decisions from police', async () => {
    // A tenant of FOB with a decision the police referred to FOB under § 63 d, read under that purpose.
    const decision = [...system.world.decisions()].find((d) => {
      const r = system.world.referralFor(d);
      return r?.housingCompany === 'fob' && r.purpose === 'CRIME_PREVENTION_63D';
    })!;
    const { body } = await system.run('housing-fob-caseworker', 'CRIME_PREVENTION_63D', PersonOverviewDocument, { id: decision.personId });
    expect(body.errors).toBeUndefined();
    const person = body.data!.person!;
    expect(person.tenancies!.length).toBeGreaterThan(0);
    expect(person.tenancies!.every((t) => t!.company!.id === 'fob')).toBe(true);
    expect(person.criminalDecisions!.map((d) => d!.id)).toContain(decision.id);
  });

  it('lets the police learn where a person holds a tenancy, with the company named by the municipality', async () => {
    const tenant = system.world.tenancy(0);
    const { body } = await system.run('police-investigator', 'TERMINATION_90_10', TenancyHoldingDocument, { personId: tenant.tenantPersonId });
    expect(body.errors).toBeUndefined();
    const holding = body.data!.person!.tenancyHolding!;
    expect(holding.holdsCurrentTenancy).toBe(tenant.endDate === null);
    if (!tenant.endDate) expect(holding.housingCompanies![0]!.name).toBe('Bolig Korsør');
  });

  it('rejects a request without a valid token at the gateway with a clean error', async () => {
    const res = await system.gql(null, 'STATISTICS', '{ areas { id } }');
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(res.body.data).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toMatch(/stack|\.ts:\d+/);
    const forged = await fetch(system.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'x-purpose': 'STATISTICS' },
      body: JSON.stringify({ query: '{ areas { id } }' }),
    });
    expect(forged.status).toBe(401);
  });
});
