import { code, date, int, kroner, pseudonym, text, type ImportKind } from '@partnergraph/import';
import { TENANCY_COLUMNS } from '../data/rows.js';
import type { Tenancy } from '../types/Tenancy.js';

interface Prepared {
  /** The importing company's departments by number. */
  departments: Map<number, { id: string; areaId: string }>;
  latestMoveIn: string;
}

/** A tenancy may be signed ahead of moving in, but not by more than a year; older than 1950 is a typing error. */
const EARLIEST_MOVE_IN = '1950-01-01';

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * A housing company's tenancies (lejemål) as its tenancy system exports them:
 * one row per tenancy, keyed by the system's tenancy number (lejemålsnummer,
 * unique within the company), in a department the company has already
 * imported. The tenant is named by the pseudonymous person id; a CPR number
 * is refused wherever it appears.
 */
export const tenanciesImport: ImportKind<Prepared> = {
  owner: 'housing',
  name: 'tenancies',
  title: "A housing company's tenancies (lejemål) from its tenancy system",
  entityType: 'Tenancy',
  purposes: ['CRIME_PREVENTION_63D', 'TERMINATION_90_10'],
  columns: [
    {
      field: 'number',
      headers: ['Lejemål', 'Lejemålsnr', 'Lejemålsnummer', 'Lejenummer', 'tenancyNumber'],
      type: code({ pattern: /^[0-9A-Za-z][0-9A-Za-z./-]{0,39}$/, describe: 'tenancy number (1–40 letters, digits, ".", "/" or "-")' }),
      description: "The tenancy system's number for the tenancy (lejemålsnummer): the key, unique within the company.",
    },
    { field: 'department', headers: ['Afdeling', 'Afdelingsnr', 'Afd', 'departmentNumber'], type: int({ min: 1, max: 99999 }), description: "The department's number (imported before, as housing departments)." },
    { field: 'address', headers: ['Adresse', 'Lejemålsadresse', 'unitAddress'], type: text({ max: 200, noCpr: true }), personal: true, description: 'The dwelling\'s address.' },
    { field: 'tenantId', headers: ['Lejer-id', 'Person-id', 'Lejerid', 'tenantPersonId'], type: pseudonym, personal: true, description: "The tenant's pseudonymous person id (never a CPR number)." },
    { field: 'tenantName', headers: ['Lejer', 'Lejernavn', 'Navn', 'tenantName'], type: text({ max: 200, noCpr: true }), personal: true, description: "The tenant's name." },
    { field: 'householdSize', headers: ['Husstand', 'Antal beboere', 'Beboere', 'Personer', 'householdSize'], type: int({ min: 1, max: 20 }), description: 'Persons in the household.' },
    { field: 'moveIn', headers: ['Indflytningsdato', 'Indflytning', 'Startdato', 'startDate', 'moveInDate'], type: date, description: 'Move-in date (the tenancy starts).' },
    { field: 'moveOut', headers: ['Fraflytningsdato', 'Fraflytning', 'Slutdato', 'endDate', 'moveOutDate'], type: date, nullable: true, description: 'Move-out date; empty while the tenancy runs.' },
    { field: 'rent', headers: ['Husleje', 'Månedlig leje', 'Leje', 'monthlyRent'], type: kroner({ min: 0, max: 100000 }), description: 'Monthly rent in kroner.' },
  ],
  async prepare(db, env) {
    const rows = await db.query<{ number: number; id: string; areaId: string }>(
      'SELECT number, id, area_id AS "areaId" FROM departments WHERE company_id = $1',
      [env.organisation],
    );
    return { departments: new Map(rows.map((d) => [d.number, { id: d.id, areaId: d.areaId }])), latestMoveIn: addDays(env.today, 366) };
  },
  check(v, env, prepared, reject) {
    const department = prepared.departments.get(v['department']);
    if (!department) {
      reject('department', `${env.organisation} has no department ${v['department']} (import housing departments first)`);
      return null;
    }
    const moveIn: string = v['moveIn'];
    const moveOut: string | null = v['moveOut'];
    if (moveIn < EARLIEST_MOVE_IN || moveIn > prepared.latestMoveIn) {
      reject('moveIn', `must lie between ${EARLIEST_MOVE_IN} and a year from today`);
      return null;
    }
    if (moveOut !== null && moveOut < moveIn) {
      reject('moveOut', 'is before the move-in date');
      return null;
    }
    return {
      number: v['number'],
      department_id: department.id,
      area_id: department.areaId,
      unit_address: v['address'],
      tenant_person_id: v['tenantId'],
      tenant_name: v['tenantName'],
      household_size: v['householdSize'],
      start_date: moveIn,
      end_date: moveOut,
      monthly_rent: v['rent'],
    };
  },
  resource: (s, env) => ({ companyId: env.organisation, areaId: s['area_id'], isCurrent: s['end_date'] === null }),
  dataOwner: (env) => env.organisation,
  stage: {
    number: 'text',
    department_id: 'text',
    area_id: 'text',
    unit_address: 'text',
    tenant_person_id: 'text',
    tenant_name: 'text',
    household_size: 'int',
    start_date: 'date',
    end_date: 'date',
    monthly_rent: 'int',
  },
  uniqueKeys: [{ columns: ['number'], fields: ['number'] }],
  target: {
    table: 'tenancies',
    alias: 't',
    id: 't.id',
    match: 't.company_id = :organisation AND t.tenancy_number = s.number',
    scope: 't.company_id = :organisation',
    compare: {
      department: ['s.department_id', 't.department_id'],
      address: ['s.unit_address', 't.unit_address'],
      tenantId: ['s.tenant_person_id', 't.tenant_person_id'],
      tenantName: ['s.tenant_name', 't.tenant_name'],
      householdSize: ['s.household_size', 't.household_size'],
      moveIn: ['s.start_date', 't.start_date'],
      moveOut: ['s.end_date', 't.end_date'],
      rent: ['s.monthly_rent', 't.monthly_rent'],
    },
    keep: { sql: 'EXISTS (SELECT 1 FROM termination_cases c WHERE c.tenancy_id = t.id)', reason: 'kept: they have termination cases' },
    subject: ['s.tenant_person_id', 't.tenant_person_id'],
    dataOwner: [':organisation::text', 't.company_id'],
  },
  merge: {
    newId: "'T' || lpad(nextval('tenancy_id_number')::text, 7, '0')",
    insert: `INSERT INTO tenancies (id, tenancy_number, department_id, company_id, area_id, unit_address, tenant_person_id, tenant_name,
               household_size, start_date, end_date, monthly_rent)
             SELECT p.target_id, p.number, p.department_id, :organisation::text, p.area_id, p.unit_address, p.tenant_person_id, p.tenant_name,
               p.household_size, p.start_date, p.end_date, p.monthly_rent
             FROM import_plan p WHERE p.is_new`,
    update: `UPDATE tenancies t SET department_id = p.department_id, area_id = p.area_id, unit_address = p.unit_address,
               tenant_person_id = p.tenant_person_id, tenant_name = p.tenant_name, household_size = p.household_size,
               start_date = p.start_date, end_date = p.end_date, monthly_rent = p.monthly_rent
             FROM import_plan p WHERE t.id = p.target_id AND NOT p.is_new AND cardinality(p.changed) > 0`,
    remove: 'DELETE FROM tenancies t USING import_removed r WHERE t.id = r.id',
  },
  export: {
    columns: `${TENANCY_COLUMNS}, t.tenancy_number AS "tenancyNumber", d.number AS "departmentNumber"`,
    from: 'tenancies t JOIN departments d ON d.id = t.department_id',
    order: [['t.id', 'id']],
    values: (t: Tenancy & { tenancyNumber: string; departmentNumber: number }) => ({
      number: t.tenancyNumber,
      department: t.departmentNumber,
      address: t.unitAddress,
      tenantId: t.tenantPersonId,
      tenantName: t.tenantName,
      householdSize: t.householdSize,
      moveIn: t.startDate,
      moveOut: t.endDate,
      rent: t.monthlyRent,
    }),
  },
};
