import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Progress, runExport, runImport, type ImportKind } from '@partnergraph/import';
import { migrate, type Database } from '@partnergraph/subgraph-kit';
import { createTestDatabase, personaIdentity } from '@partnergraph/subgraph-kit/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { incidentsImport, safetyIndexImport } from '../src/import/index.js';
import { policeSubgraph } from '../src/server.js';

const sample = (name: string) => fileURLToPath(new URL(`../samples/${name}`, import.meta.url));
const quiet = () => new Progress({ write: () => true });

describe.each([
  { label: 'PostgreSQL', embedded: false },
  { label: 'PGlite', embedded: true },
])('police imports on $label', ({ embedded }) => {
  let db: Database;
  let dir: string;

  beforeEach(async () => {
    db = await createTestDatabase('police_import', { embedded });
    await migrate(db, policeSubgraph.migrations());
    dir = mkdtempSync(join(tmpdir(), 'police-import-'));
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const load = (kind: ImportKind, file: string, options: { skipInvalid?: boolean; deleteMissing?: boolean; dryRun?: boolean } = {}, persona = 'police-investigator') =>
    runImport({ kind, file, ctx: policeSubgraph.context(db, personaIdentity(persona, 'STATISTICS')), progress: quiet(), rejectionsFile: null, ...options });

  it('loads the yearly safety-index table, Danish or English, and the same table again changes nothing', async () => {
    expect(await load(safetyIndexImport, sample('safety-index.csv'))).toMatchObject({ new: 4, written: true });
    expect(await load(safetyIndexImport, sample('safety-index-2017.csv'))).toMatchObject({ new: 4, format: 'csv' });
    const rows = await db.query<{ area_id: string; year: number; share_feeling_safe: number; reported_crimes: number }>(
      'SELECT area_id, year, share_feeling_safe, reported_crimes FROM safety_index ORDER BY year, area_id',
    );
    expect(rows).toHaveLength(8);
    expect(rows.find((r) => r.area_id === 'motalavej' && r.year === 2016)).toMatchObject({ share_feeling_safe: 58, reported_crimes: 73 });
    expect(rows.find((r) => r.area_id === 'ringparken' && r.year === 2017)).toMatchObject({ share_feeling_safe: 72 });
    expect(await load(safetyIndexImport, sample('safety-index.csv'))).toMatchObject({ new: 0, changed: 0, unchanged: 4, written: false });
  });

  it('refuses a table with an unknown area, a bad number, a repeated area and year and an empty cell', async () => {
    const result = await load(safetyIndexImport, sample('safety-index-mistakes.csv'));
    expect(result.refused).toMatch(/^5 of 5 rows are invalid/);
    expect(result.rejections.map((r) => `${r.line} ${r.column}: ${r.reason}`)).toEqual([
      '2 Område: the same Område + År appears again on 1 later line',
      '3 Område: unknown area (known: Motalavej, Ringparken / Schackenborg Vænge, Sydbyen, Parkvej / Præstevangen) ("Nørrebro")',
      '4 Tryghedsindeks: not a number (write e.g. 1.234,5 or 1234,5) ("ca. 85")',
      '5 Område: the same Område + År as line 2',
      '6 Anmeldelser: missing value',
    ]);
    expect(await db.query('SELECT 1 FROM safety_index')).toHaveLength(0);
  });

  it('a table speaks for its years: an area missing from a year it has is removed only on request', async () => {
    await load(safetyIndexImport, sample('safety-index.csv'));
    await load(safetyIndexImport, sample('safety-index-2017.csv'));
    const partial = join(dir, 'partial.csv');
    const lines = readFileSync(sample('safety-index.csv'), 'utf8').split('\r\n');
    await import('node:fs').then((fs) => fs.writeFileSync(partial, lines.slice(0, 3).join('\r\n')));
    expect(await load(safetyIndexImport, partial)).toMatchObject({ unchanged: 2, missing: 2, removed: 0, kept: 2 });
    expect(await load(safetyIndexImport, partial, { deleteMissing: true })).toMatchObject({ unchanged: 2, missing: 2, removed: 2 });
    // 2017 is not in the file: untouched.
    expect(await db.query('SELECT 1 FROM safety_index WHERE year = 2017')).toHaveLength(4);
    expect(await db.query('SELECT 1 FROM safety_index WHERE year = 2016')).toHaveLength(2);
  });

  it('loads monthly incident counts by Danish category names, and refuses the mistakes', async () => {
    expect(await load(incidentsImport, sample('incidents.csv'))).toMatchObject({ new: 96, rejectedRows: 0 });
    const [vold] = await db.query<{ category: string; month: string }>("SELECT category, month FROM incident_counts WHERE category = 'VIOLENCE' ORDER BY month LIMIT 1");
    expect(vold).toEqual({ category: 'VIOLENCE', month: '2024-01-01' });
    const bad = await load(incidentsImport, sample('incidents-mistakes.csv'));
    expect(bad.rejections.map((r) => `${r.line} ${r.column}: ${r.reason}`)).toEqual([
      '2 Område: the same Område + Måned + Kategori appears again on 1 later line',
      '3 Måned: not a calendar date ("13-2024")',
      '4 Kategori: unknown category (known: Vold, Indbrud, Tyveri, Hærværk, Narkotika, Trusler, Brandstiftelse, Uro) ("Cykeltyveri")',
      '5 Område: the same Område + Måned + Kategori as line 2',
      '6 Område: unknown area (known: Motalavej, Ringparken / Schackenborg Vænge, Sydbyen, Parkvej / Præstevangen) ("Korsør Centrum")',
      '7 Antal: must be between 0 and 1000000 ("-2")',
    ]);
  });

  it('lets only police staff load statistics, under STATISTICS', async () => {
    await expect(load(safetyIndexImport, sample('safety-index.csv'), {}, 'police-auditor')).rejects.toThrow(/Not permitted/);
    await expect(
      runImport({ kind: safetyIndexImport, file: sample('safety-index.csv'), ctx: policeSubgraph.context(db, personaIdentity('secretariat-coordinator', 'STATISTICS')), progress: quiet() }),
    ).rejects.toThrow(/Not permitted/);
    await expect(
      runImport({ kind: safetyIndexImport, file: sample('safety-index.csv'), ctx: policeSubgraph.context(db, personaIdentity('police-investigator', 'COORDINATION')), progress: quiet() }),
    ).rejects.toThrow(/imported under STATISTICS/);
  });

  it('exports the statistics in the formats it imports: a round trip changes nothing', async () => {
    await load(safetyIndexImport, sample('safety-index.csv'));
    await load(incidentsImport, sample('incidents.csv'));
    const ctx = policeSubgraph.context(db, personaIdentity('police-investigator', 'STATISTICS'));
    for (const [kind, count] of [
      [safetyIndexImport, 4],
      [incidentsImport, 96],
    ] as const) {
      for (const ext of ['csv', 'jsonl']) {
        const file = join(dir, `${kind.name}.${ext}`);
        expect((await runExport({ kind, file, ctx, progress: quiet() })).rows).toBe(count);
        expect(await load(kind, file)).toMatchObject({ new: 0, changed: 0, unchanged: count });
      }
    }
    expect(readFileSync(join(dir, 'safety-index.csv'), 'utf8')).toContain('Motalavej;2016;58,0;72,7;41,2;61,5;73;312');
    expect(readFileSync(join(dir, 'incidents.csv'), 'utf8')).toMatch(/Motalavej;01-2024;Vold;\d/);
  });
});
