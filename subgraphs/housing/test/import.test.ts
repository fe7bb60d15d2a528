import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Purpose } from '@partnergraph/vocabulary';
import { FileError, Progress, runExport, runImport, type ImportKind } from '@partnergraph/import';
import { migrate, type Database } from '@partnergraph/subgraph-kit';
import { createTestDatabase, personaIdentity } from '@partnergraph/subgraph-kit/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { departmentsImport, tenanciesImport } from '../src/import/index.js';
import { housingSubgraph } from '../src/server.js';

const sample = (name: string) => fileURLToPath(new URL(`../samples/${name}`, import.meta.url));
const quiet = () => new Progress({ write: () => true });

describe.each([
  { label: 'PostgreSQL', embedded: false },
  { label: 'PGlite', embedded: true },
])('housing imports on $label', ({ embedded }) => {
  let db: Database;
  let dir: string;

  beforeEach(async () => {
    db = await createTestDatabase('housing_import', { embedded });
    await migrate(db, housingSubgraph.migrations());
    dir = mkdtempSync(join(tmpdir(), 'housing-import-'));
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const load = (persona: string, purpose: Purpose, kind: ImportKind<any>, file: string, options: { dryRun?: boolean; skipInvalid?: boolean; deleteMissing?: boolean } = {}) =>
    runImport({ kind, file, ctx: housingSubgraph.context(db, personaIdentity(persona, purpose)), progress: quiet(), rejectionsFile: null, ...options });
  const fob = (kind: ImportKind<any>, file: string, options?: Parameters<typeof load>[4]) =>
    load('housing-fob-caseworker', kind === departmentsImport ? 'COORDINATION' : 'CRIME_PREVENTION_63D', kind, file, options);
  const tenancies = (company: string) =>
    db.query<{ tenancy_number: string; end_date: string | null; monthly_rent: number; household_size: number; department_id: string; area_id: string }>(
      'SELECT tenancy_number, end_date, monthly_rent, household_size, department_id, area_id FROM tenancies WHERE company_id = $1 ORDER BY tenancy_number',
      [company],
    );

  it("loads a company's departments and tenancies; the same files again, as CSV or JSON Lines, change nothing", async () => {
    const departments = await fob(departmentsImport, sample('departments.csv'));
    expect(departments).toMatchObject({ new: 3, changed: 0, unchanged: 0, written: true, refused: null, rejectedRows: 0 });
    const first = await fob(tenanciesImport, sample('tenancies.csv'));
    expect(first).toMatchObject({ rows: 12, new: 12, changed: 0, unchanged: 0, written: true, format: 'csv' });
    const rows = await tenancies('fob');
    expect(rows).toHaveLength(12);
    // Danish decimal comma, thousands dot, øre rounded to whole kroner; an empty move-out date is none.
    expect(rows[0]).toMatchObject({ tenancy_number: '21-0101-01', monthly_rent: 8605, end_date: null, department_id: 'fob-21', area_id: 'ringparken' });
    expect(rows[3]!.end_date).toMatch(/^2024-/);

    expect(await fob(departmentsImport, sample('departments.csv'))).toMatchObject({ new: 0, changed: 0, unchanged: 3, written: false });
    expect(await fob(tenanciesImport, sample('tenancies.csv'))).toMatchObject({ new: 0, changed: 0, unchanged: 12, written: false });
    expect(await fob(tenanciesImport, sample('tenancies.jsonl'))).toMatchObject({ new: 0, changed: 0, unchanged: 12, format: 'jsonl' });
  });

  it('an updated export changes only what changed, and the change log says which fields', async () => {
    await fob(departmentsImport, sample('departments.csv'));
    await fob(tenanciesImport, sample('tenancies.csv'));
    const dry = await fob(tenanciesImport, sample('tenancies-updated.csv'), { dryRun: true });
    expect(dry).toMatchObject({ new: 1, changed: 2, unchanged: 10, dryRun: true, written: false });
    expect(await tenancies('fob')).toHaveLength(12);

    const updated = await fob(tenanciesImport, sample('tenancies-updated.csv'));
    expect(updated).toMatchObject({ new: 1, changed: 2, unchanged: 10, written: true });
    const rows = await tenancies('fob');
    expect(rows).toHaveLength(13);
    expect(rows.find((r) => r.tenancy_number === '21-0101-01')!.end_date).toBe('2025-01-31');
    expect(rows.find((r) => r.tenancy_number === '22-0106-01')!.monthly_rent).toBe(7100);

    const log = await db.query<{ action: string; entity_type: string; data_owner: string; fields: string[]; entity_ids: string[]; data_subjects: string[]; operation: string }>(
      "SELECT action, entity_type, data_owner, fields, entity_ids, data_subjects, operation FROM disclosure_log WHERE action LIKE 'IMPORT%' ORDER BY seq",
    );
    const updates = log.filter((r) => r.action === 'IMPORT_UPDATE');
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ entity_type: 'Tenancy', data_owner: 'fob', fields: ['moveOut', 'rent'] });
    expect(updates[0]!.entity_ids).toHaveLength(2);
    expect(updates[0]!.data_subjects).toHaveLength(2);
    expect(updates[0]!.operation).toBe('import housing tenancies tenancies-updated.csv');
    const creates = log.filter((r) => r.action === 'IMPORT_CREATE' && r.entity_type === 'Tenancy');
    expect(creates.map((r) => r.entity_ids.length)).toEqual([12, 1]);
    expect(creates[0]!.data_subjects).toHaveLength(12);
    // One summary row per import that wrote, naming the file by its hash.
    const summaries = log.filter((r) => r.action === 'IMPORT');
    expect(summaries.length).toBe(3);
    const verified = await housingSubgraph.context(db, personaIdentity('housing-fob-auditor', 'COORDINATION')).disclosureLog.verify();
    expect(verified.ok).toBe(true);
  });

  it('refuses a file with the mistakes real exports have, naming line, column and reason, and writes nothing', async () => {
    await fob(departmentsImport, sample('departments.csv'));
    const refused = await fob(tenanciesImport, sample('tenancies-mistakes.csv'));
    expect(refused.refused).toMatch(/6 of 8 rows are invalid; nothing was imported/);
    expect(refused.written).toBe(false);
    const byLine = Object.fromEntries(refused.rejections.map((r) => [`${r.line} ${r.column}`, r.reason]));
    expect(byLine).toMatchObject({
      '2 Lejemål': 'the same Lejemål appears again on 1 later line',
      '3 Indflytningsdato': 'not a calendar date ("31-02-2019")',
      '4 Lejemål': 'the same Lejemål as line 2',
      '5 Afdeling': 'fob has no department 99 (import housing departments first)',
      '6 Lejer-id': 'looks like a CPR number; files must carry the pseudonymous person id, never CPR',
      '7 Husstand': 'missing value',
    });
    // A personal value is never repeated in a report.
    expect(JSON.stringify(refused)).not.toContain('010190-1234');
    expect(await tenancies('fob')).toHaveLength(0);

    const skipped = await fob(tenanciesImport, sample('tenancies-mistakes.csv'), { skipInvalid: true });
    expect(skipped).toMatchObject({ rejectedRows: 6, new: 2, written: true, refused: null });
    expect((await tenancies('fob')).map((r) => r.tenancy_number)).toEqual(['22-0107-01', '22-0108-01']);
  });

  it('refuses a file that lacks a column, and a department file with an unknown area', async () => {
    await expect(fob(tenanciesImport, sample('tenancies-missing-column.csv'))).rejects.toThrow(/Missing column: Fraflytningsdato \(moveOut\)/);
    await expect(fob(tenanciesImport, sample('tenancies-missing-column.csv'))).rejects.toBeInstanceOf(FileError);
    const departments = await fob(departmentsImport, sample('departments-mistakes.csv'));
    expect(departments.refused).not.toBeNull();
    expect(departments.rejections.map((r) => `${r.line} ${r.column}: ${r.reason}`)).toEqual([
      '2 Afdeling: the same Afdeling appears again on 1 later line',
      '3 Område: unknown area (known: Motalavej, Ringparken / Schackenborg Vænge, Sydbyen, Parkvej / Præstevangen) ("Slagelse Nord")',
      '4 Boliger: not a number (write e.g. 1.234,5 or 1234,5) ("mange")',
      '5 Afdeling: the same Afdeling as line 2',
    ]);
  });

  it("a company's file speaks only for the company: another's rows are never matched, changed or deleted", async () => {
    await fob(departmentsImport, sample('departments.csv'));
    await fob(tenanciesImport, sample('tenancies.csv'));
    const sab = (kind: ImportKind<any>, file: string, options?: Parameters<typeof load>[4]) =>
      load('housing-sab-caseworker', kind === departmentsImport ? 'COORDINATION' : 'CRIME_PREVENTION_63D', kind, file, options);
    // The same department and tenancy numbers, from SAB's system, are SAB's own rows.
    expect(await sab(departmentsImport, sample('departments.csv'))).toMatchObject({ new: 3 });
    expect(await sab(tenanciesImport, sample('tenancies.csv'))).toMatchObject({ new: 12, unchanged: 0 });
    // SAB's file of one tenancy, deleting what it lacks, deletes SAB's other eleven and none of FOB's.
    const one = join(dir, 'one.csv');
    writeFileSync(one, readFileSync(sample('tenancies.csv'), 'utf8').split('\r\n').slice(0, 2).join('\r\n'));
    expect(await sab(tenanciesImport, one, { deleteMissing: true })).toMatchObject({ unchanged: 1, missing: 11, removed: 11 });
    expect(await tenancies('sab')).toHaveLength(1);
    expect(await tenancies('fob')).toHaveLength(12);
    // Without --delete-missing, missing rows are reported and kept.
    expect(await fob(tenanciesImport, one)).toMatchObject({ unchanged: 1, missing: 11, removed: 0, kept: 11 });
    expect(await tenancies('fob')).toHaveLength(12);
  });

  it('lets only the owner company\'s caseworkers import, under the purposes the policies name', async () => {
    for (const [persona, purpose] of [
      ['police-investigator', 'CRIME_PREVENTION_63D'],
      ['analyst', 'STATISTICS'],
      ['housing-fob-auditor', 'COORDINATION'],
      ['municipality-caseworker', 'SSP_115'],
    ] as const) {
      await expect(load(persona, purpose, departmentsImport, sample('departments.csv'))).rejects.toThrow(/Not permitted|imported under/);
    }
    await expect(load('housing-fob-caseworker', 'STATISTICS', tenanciesImport, sample('tenancies.csv'))).rejects.toThrow(/imported under CRIME_PREVENTION_63D or TERMINATION_90_10/);
    expect(await db.query('SELECT 1 FROM departments')).toHaveLength(0);
  });

  it('keeps tenancies that termination cases depend on, even with --delete-missing', async () => {
    await fob(departmentsImport, sample('departments.csv'));
    await fob(tenanciesImport, sample('tenancies.csv'));
    const [target] = await db.query<{ id: string }>("SELECT id FROM tenancies WHERE tenancy_number = '21-0102-01'");
    await db.query(
      `INSERT INTO termination_cases (id, tenancy_id, company_id, referral_id, purpose, basis, status, opened_on, status_changed_on)
       VALUES ('C0000001', $1, 'fob', 'R0000001', 'CRIME_PREVENTION_63D', 'OTHER', 'ASSESSING', current_date, current_date)`,
      [target!.id],
    );
    const one = join(dir, 'first.csv');
    writeFileSync(one, readFileSync(sample('tenancies.csv'), 'utf8').split('\r\n').slice(0, 2).join('\r\n'));
    const result = await fob(tenanciesImport, one, { deleteMissing: true });
    expect(result).toMatchObject({ missing: 11, removed: 10, kept: 1 });
    expect(result.keptReasons).toEqual(['1 kept: they have termination cases']);
    expect((await tenancies('fob')).map((r) => r.tenancy_number)).toEqual(['21-0101-01', '21-0102-01']);
    const deletes = await db.query<{ entity_ids: string[]; data_subjects: string[] }>("SELECT entity_ids, data_subjects FROM disclosure_log WHERE action = 'IMPORT_DELETE'");
    expect(deletes.flatMap((d) => d.entity_ids)).toHaveLength(10);
    expect(deletes.flatMap((d) => d.data_subjects)).toHaveLength(10);
  });

  it('exports the company\'s own rows in the formats it imports: a round trip changes nothing', async () => {
    await fob(departmentsImport, sample('departments.csv'));
    await fob(tenanciesImport, sample('tenancies.csv'));
    await load('housing-sab-caseworker', 'COORDINATION', departmentsImport, sample('departments.csv'));
    await load('housing-sab-caseworker', 'CRIME_PREVENTION_63D', tenanciesImport, sample('tenancies.csv'));
    // A value a spreadsheet would run as a formula survives the trip as text.
    const formula = join(dir, 'formula.csv');
    writeFileSync(formula, readFileSync(sample('tenancies.csv'), 'utf8').replace('Jens Yilmaz', '"=HYPERLINK(""x"") Yilmaz"'));
    expect(await fob(tenanciesImport, formula)).toMatchObject({ changed: 1 });

    const ctx = housingSubgraph.context(db, personaIdentity('housing-fob-caseworker', 'CRIME_PREVENTION_63D'));
    for (const name of ['tenancies.csv', 'tenancies.jsonl']) {
      const file = join(dir, name);
      const exported = await runExport({ kind: tenanciesImport, file, ctx, progress: quiet() });
      expect(exported.rows).toBe(12);
      const text = readFileSync(file, 'utf8');
      if (name.endsWith('.csv')) {
        expect(text.startsWith('\uFEFFLejemål;Afdeling;Adresse;Lejer-id;Lejer;Husstand;Indflytningsdato;Fraflytningsdato;Husleje\r\n')).toBe(true);
        expect(text).toContain(`;"'=HYPERLINK(""x"") Yilmaz";`);
      }
      expect(text.split('\n').filter(Boolean)).toHaveLength(name.endsWith('.csv') ? 13 : 12);
      expect(await fob(tenanciesImport, file)).toMatchObject({ new: 0, changed: 0, unchanged: 12 });
    }
    const [name] = await db.query<{ tenant_name: string }>("SELECT tenant_name FROM tenancies WHERE company_id = 'fob' AND tenancy_number = '21-0101-01'");
    expect(name!.tenant_name).toBe('=HYPERLINK("x") Yilmaz');
    const exportsLogged = await db.query<{ entity_ids: string[]; data_owner: string }>("SELECT entity_ids, data_owner FROM disclosure_log WHERE action = 'EXPORT' AND cardinality(entity_ids) > 0");
    expect(exportsLogged.map((e) => [e.data_owner, e.entity_ids.length])).toEqual([
      ['fob', 12],
      ['fob', 12],
    ]);
    const departmentsFile = join(dir, 'departments.csv');
    await runExport({ kind: departmentsImport, file: departmentsFile, ctx: housingSubgraph.context(db, personaIdentity('housing-fob-caseworker', 'COORDINATION')), progress: quiet() });
    expect(await fob(departmentsImport, departmentsFile)).toMatchObject({ unchanged: 3, new: 0, changed: 0 });
  });
});
