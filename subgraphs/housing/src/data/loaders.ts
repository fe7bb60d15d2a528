import { manyByKey, oneByKey, type Database } from '@partnergraph/subgraph-kit';
import DataLoader from 'dataloader';
import type { Department } from '../types/Department.js';
import type { Tenancy } from '../types/Tenancy.js';
import type { TerminationCase } from '../types/TerminationCase.js';
import { CASE_COLUMNS, DEPARTMENT_COLUMNS, TENANCY_COLUMNS } from './rows.js';

export interface OccupancyRow {
  departmentId: string;
  areaId: string;
  units: number;
  currentTenancies: number;
  currentResidents: number;
}

/** One SQL statement per loader per request tick, however many entities are asked for. */
export function createHousingLoaders(db: Database) {
  return {
    tenancyById: new DataLoader<string, Tenancy | null>(async (ids) =>
      oneByKey(ids, await db.query<Tenancy>(`SELECT ${TENANCY_COLUMNS} FROM tenancies t WHERE t.id = ANY($1)`, [ids]), (r) => r.id),
    ),
    tenanciesByPerson: new DataLoader<string, Tenancy[]>(async (personIds) =>
      manyByKey(
        personIds,
        await db.query<Tenancy>(
          `SELECT ${TENANCY_COLUMNS} FROM tenancies t WHERE t.tenant_person_id = ANY($1) ORDER BY t.start_date DESC, t.id`,
          [personIds],
        ),
        (r) => r.tenantPersonId,
      ),
    ),
    departmentById: new DataLoader<string, Department | null>(async (ids) =>
      oneByKey(ids, await db.query<Department>(`SELECT ${DEPARTMENT_COLUMNS} FROM departments d WHERE d.id = ANY($1)`, [ids]), (r) => r.id),
    ),
    departmentsByArea: new DataLoader<string, Department[]>(async (areaIds) =>
      manyByKey(
        areaIds,
        await db.query<Department>(`SELECT ${DEPARTMENT_COLUMNS} FROM departments d WHERE d.area_id = ANY($1) ORDER BY d.company_id, d.number`, [areaIds]),
        (r) => r.areaId,
      ),
    ),
    departmentsByCompany: new DataLoader<string, Department[]>(async (companyIds) =>
      manyByKey(
        companyIds,
        await db.query<Department>(`SELECT ${DEPARTMENT_COLUMNS} FROM departments d WHERE d.company_id = ANY($1) ORDER BY d.number`, [companyIds]),
        (r) => r.companyId,
      ),
    ),
    occupancyByArea: new DataLoader<string, OccupancyRow[]>(async (areaIds) =>
      manyByKey(
        areaIds,
        await db.query<OccupancyRow>(
          `SELECT d.id AS "departmentId", d.area_id AS "areaId", d.units,
                  coalesce(o.current_tenancies, 0) AS "currentTenancies", coalesce(o.current_residents, 0) AS "currentResidents"
           FROM departments d LEFT JOIN department_occupancy o ON o.department_id = d.id
           WHERE d.area_id = ANY($1) ORDER BY d.company_id, d.number`,
          [areaIds],
        ),
        (r) => r.areaId,
      ),
    ),
    caseById: new DataLoader<string, TerminationCase | null>(async (ids) =>
      oneByKey(
        ids,
        await db.query<TerminationCase>(`SELECT ${CASE_COLUMNS} FROM termination_cases c JOIN tenancies t ON t.id = c.tenancy_id WHERE c.id = ANY($1)`, [ids]),
        (r) => r.id,
      ),
    ),
    caseByReferral: new DataLoader<string, TerminationCase | null>(async (referralIds) =>
      oneByKey(
        referralIds,
        await db.query<TerminationCase>(
          `SELECT ${CASE_COLUMNS} FROM termination_cases c JOIN tenancies t ON t.id = c.tenancy_id WHERE c.referral_id = ANY($1)`,
          [referralIds],
        ),
        (r) => r.referralId,
      ),
    ),
    casesByTenancy: new DataLoader<string, TerminationCase[]>(async (tenancyIds) =>
      manyByKey(
        tenancyIds,
        await db.query<TerminationCase>(
          `SELECT ${CASE_COLUMNS} FROM termination_cases c JOIN tenancies t ON t.id = c.tenancy_id WHERE c.tenancy_id = ANY($1) ORDER BY c.opened_on DESC`,
          [tenancyIds],
        ),
        (r) => r.tenancyId,
      ),
    ),
  };
}

export type HousingLoaders = ReturnType<typeof createHousingLoaders>;
