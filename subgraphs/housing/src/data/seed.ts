import { bulkInsert, type Database } from '@partnergraph/subgraph-kit';
import { DEPARTMENTS, type World } from '@partnergraph/synthetic';

/** Loads the housing companies' slice of the synthetic partnership, once. */
export async function seedHousing(db: Database, world: World): Promise<boolean> {
  const [existing] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM departments');
  if (existing && existing.n > 0) return false;
  // Dwellings per department: its share of the tenancies plus a few vacancies.
  const perDepartment = new Map<string, number>();
  for (let i = 0; i < world.tenancyCount; i++) {
    const t = world.tenancy(i);
    if (!t.endDate) perDepartment.set(t.departmentId, (perDepartment.get(t.departmentId) ?? 0) + 1);
  }
  await db.transaction(async (tx) => {
    await bulkInsert(
      tx,
      'departments',
      { id: 'text', company_id: 'text', number: 'int', name: 'text', area_id: 'text', units: 'int' },
      DEPARTMENTS.map((d) => {
        const occupied = perDepartment.get(d.id) ?? 0;
        return { id: d.id, company_id: d.companyId, number: d.number, name: d.name, area_id: d.areaId, units: occupied + Math.ceil(occupied * 0.03) + 2 };
      }),
    );
    // The synthetic tenancy system numbers a tenancy by its department and a running number.
    const departmentNumber = new Map(DEPARTMENTS.map((d) => [d.id, d.number]));
    function* tenancies() {
      for (const t of world.tenancies()) {
        yield {
          id: t.id, tenancy_number: `${departmentNumber.get(t.departmentId)}-${t.id.slice(1)}`, department_id: t.departmentId, company_id: t.companyId, area_id: t.areaId, unit_address: t.unitAddress,
          tenant_person_id: t.tenantPersonId, tenant_name: t.tenantName, household_size: t.householdSize,
          start_date: t.startDate, end_date: t.endDate, monthly_rent: t.monthlyRent,
        };
      }
    }
    await bulkInsert(
      tx,
      'tenancies',
      {
        id: 'text', tenancy_number: 'text', department_id: 'text', company_id: 'text', area_id: 'text', unit_address: 'text', tenant_person_id: 'text',
        tenant_name: 'text', household_size: 'int', start_date: 'date', end_date: 'date', monthly_rent: 'int',
      },
      tenancies(),
    );
    function* cases() {
      for (const d of world.decisions()) {
        const referral = world.referralFor(d);
        const c = referral && world.terminationCaseFor(referral);
        if (c) {
          // The synthetic police made these referrals: confirmed as the case was opened.
          yield {
            id: c.id, tenancy_id: c.tenancyId, company_id: c.companyId, referral_id: c.referralId, basis: c.basis,
            status: c.status, opened_on: c.openedOn, status_changed_on: c.openedOn,
            purpose: c.purpose, referral_decided_on: c.referralDecidedOn, referral_confirmed_at: `${c.openedOn}T12:00:00Z`,
          };
        }
      }
    }
    await bulkInsert(
      tx,
      'termination_cases',
      {
        id: 'text', tenancy_id: 'text', company_id: 'text', referral_id: 'text', basis: 'text', status: 'text', opened_on: 'date', status_changed_on: 'date',
        purpose: 'text', referral_decided_on: 'date', referral_confirmed_at: 'timestamptz',
      },
      cases(),
    );
  });
  return true;
}

/** The registry's name for it: every owner's `./seed` export is `seed(db, world)`. */
export { seedHousing as seed };
