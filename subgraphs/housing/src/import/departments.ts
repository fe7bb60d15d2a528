import { area, int, text, type ImportKind } from '@partnergraph/import';
import { DEPARTMENT_COLUMNS } from '../data/rows.js';

/**
 * A housing company's departments (afdelinger) from its own systems: one row
 * per department, keyed by its number within the company. The company is the
 * importer's own organisation: a file never speaks for another company.
 */
export const departmentsImport: ImportKind = {
  owner: 'housing',
  name: 'departments',
  title: "A housing company's departments (afdelinger): number, name, area, dwellings",
  entityType: 'Department',
  purposes: ['COORDINATION'],
  columns: [
    { field: 'number', headers: ['Afdeling', 'Afdelingsnr', 'Afdelingsnummer', 'Afd', 'departmentNumber'], type: int({ min: 1, max: 99999 }), description: "The department's number in the company (afdelingsnummer): the key." },
    { field: 'name', headers: ['Afdelingsnavn', 'Navn', 'departmentName'], type: text({ max: 200 }), description: "The department's name." },
    { field: 'area', headers: ['Område', 'Boligområde', 'areaId'], type: area, description: "The agreement's area the department lies in (name or id)." },
    { field: 'units', headers: ['Boliger', 'Antal boliger', 'Antal lejemål', 'dwellings'], type: int({ min: 0, max: 100000 }), description: 'Dwellings in the department.' },
  ],
  check: (v) => ({ number: v['number'], name: v['name'], area_id: v['area'], units: v['units'] }),
  resource: (_staged, env) => ({ companyId: env.organisation }),
  dataOwner: (env) => env.organisation,
  stage: { number: 'int', name: 'text', area_id: 'text', units: 'int' },
  uniqueKeys: [{ columns: ['number'], fields: ['number'] }],
  target: {
    table: 'departments',
    alias: 'd',
    id: 'd.id',
    match: 'd.company_id = :organisation AND d.number = s.number',
    scope: 'd.company_id = :organisation',
    compare: { name: ['s.name', 'd.name'], area: ['s.area_id', 'd.area_id'], units: ['s.units', 'd.units'] },
    keep: { sql: 'EXISTS (SELECT 1 FROM tenancies t WHERE t.department_id = d.id)', reason: 'kept: they have tenancies (import the tenancies first)' },
    dataOwner: [':organisation::text', 'd.company_id'],
  },
  merge: {
    newId: ":organisation::text || '-' || p.number",
    insert: `INSERT INTO departments (id, company_id, number, name, area_id, units)
             SELECT p.target_id, :organisation::text, p.number, p.name, p.area_id, p.units FROM import_plan p WHERE p.is_new`,
    update: `UPDATE departments d SET name = p.name, area_id = p.area_id, units = p.units
             FROM import_plan p WHERE d.id = p.target_id AND NOT p.is_new AND cardinality(p.changed) > 0`,
    remove: 'DELETE FROM departments d USING import_removed r WHERE d.id = r.id',
    // A department that moved area takes its tenancies along (they carry the area for the access rules).
    after: [
      `UPDATE tenancies t SET area_id = d.area_id FROM departments d
       WHERE d.id = t.department_id AND d.company_id = :organisation AND t.area_id <> d.area_id`,
    ],
  },
  export: {
    columns: DEPARTMENT_COLUMNS,
    from: 'departments d',
    order: [['d.id', 'id']],
    values: (d: { number: number; name: string; areaId: string; units: number }) => ({ number: d.number, name: d.name, area: d.areaId, units: d.units }),
  },
};
