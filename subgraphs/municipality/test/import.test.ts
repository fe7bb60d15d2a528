import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Purpose } from '@partnergraph/vocabulary';
import { Progress, runExport, runImport, type ImportKind } from '@partnergraph/import';
import type { Database } from '@partnergraph/subgraph-kit';
import { createTestDatabase, personaIdentity } from '@partnergraph/subgraph-kit/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateInitiative } from '../src/data/rules.js';
import { decisionsImport, initiativesImport, meetingsImport } from '../src/import/index.js';
import { municipalitySubgraph } from '../src/server.js';

const sample = (name: string) => fileURLToPath(new URL(`../samples/${name}`, import.meta.url));
const quiet = () => new Progress({ write: () => true });

describe.each([
  { label: 'PostgreSQL', embedded: false },
  { label: 'PGlite', embedded: true },
])('municipality imports on $label', ({ embedded }) => {
  let db: Database;
  let dir: string;

  beforeEach(async () => {
    db = await createTestDatabase('municipality_import', { embedded });
    await municipalitySubgraph.prepare(db);
    dir = mkdtempSync(join(tmpdir(), 'municipality-import-'));
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const load = (kind: ImportKind<any>, file: string, persona = 'secretariat-coordinator', options: { skipInvalid?: boolean; deleteMissing?: boolean } = {}, purpose: Purpose = 'COORDINATION') =>
    runImport({ kind, file, ctx: municipalitySubgraph.context(db, personaIdentity(persona, purpose)), progress: quiet(), rejectionsFile: null, ...options });
  const lines = (result: Awaited<ReturnType<typeof load>>) => result.rejections.map((r) => `${r.line} ${r.column}: ${r.reason}`);

  it("loads the partnership's initiative spreadsheet; the same sheet again changes nothing", async () => {
    expect(await load(initiativesImport, sample('initiatives.csv'))).toMatchObject({ new: 5, rejectedRows: 0, written: true });
    const rows = await db.query<{ title: string; kind: string; responsible_organisation: string; starts_on: string; ends_on: string | null; areas: string[] }>(
      `SELECT title, kind, responsible_organisation, starts_on, ends_on,
              ARRAY(SELECT area_id FROM initiative_areas a WHERE a.initiative_id = i.id ORDER BY area_id) AS areas
       FROM initiatives i ORDER BY title`,
    );
    expect(rows.find((r) => r.title === 'Exit-forløb i alle områder')).toMatchObject({
      kind: 'CRIME_PREVENTIVE',
      responsible_organisation: 'police',
      starts_on: '2024-01-01',
      ends_on: null,
      areas: ['motalavej', 'parkvej', 'ringparken', 'sydbyen'],
    });
    expect(rows.find((r) => r.title === 'Økonomisk rådgivning')).toMatchObject({ responsible_organisation: 'fob', ends_on: '2026-05-31', areas: ['ringparken', 'sydbyen'] });
    expect(await load(initiativesImport, sample('initiatives.csv'))).toMatchObject({ new: 0, changed: 0, unchanged: 5 });
  });

  it("a party loads only its own initiatives: the other parties' rows are refused by the policies", async () => {
    const police = await load(initiativesImport, sample('initiatives.csv'), 'police-investigator');
    expect(police.refused).not.toBeNull();
    expect(lines(police)).toEqual([
      "2 -: not permitted: municipality's policies do not let police import this row",
      "4 -: not permitted: municipality's policies do not let police import this row",
      "6 -: not permitted: municipality's policies do not let police import this row",
    ]);
    expect(await load(initiativesImport, sample('initiatives.csv'), 'police-investigator', { skipInvalid: true })).toMatchObject({ new: 2, rejectedRows: 3 });
    expect((await db.query<{ r: string }>('SELECT DISTINCT responsible_organisation AS r FROM initiatives')).map((x) => x.r)).toEqual(['police']);
    // The police's file, deleting what it lacks, never reaches another party's initiatives.
    await load(initiativesImport, sample('initiatives.csv'), 'secretariat-coordinator');
    const oneRow = join(dir, 'one.csv');
    writeFileSync(oneRow, readFileSync(sample('initiatives.csv'), 'utf8').split('\r\n').filter((l, i) => i === 0 || l.includes('Tryghedsvandring')).join('\r\n'));
    expect(await load(initiativesImport, oneRow, 'police-investigator', { deleteMissing: true })).toMatchObject({ unchanged: 1, missing: 1, removed: 1 });
    expect(await db.query('SELECT 1 FROM initiatives')).toHaveLength(4);
    for (const [persona, purpose] of [
      ['analyst', 'STATISTICS'],
      ['municipality-auditor', 'COORDINATION'],
    ] as const) {
      await expect(load(initiativesImport, sample('initiatives.csv'), persona, {}, purpose)).rejects.toThrow(/Not permitted|imported under/);
    }
  });

  it('applies the rules of the GraphQL mutations, word for word', async () => {
    const result = await load(initiativesImport, sample('initiatives-mistakes.csv'));
    let leadRule = '';
    try {
      validateInitiative({ title: 'Exit-forløb', description: '', kind: 'CRIME_PREVENTIVE', areaIds: ['motalavej'], startsOn: '2024-01-01', endsOn: null }, 'fob', 'input');
    } catch (error) {
      leadRule = (error as Error).message;
    }
    expect(leadRule).toMatch(/^Crime-preventive initiatives are led by the police/);
    expect(lines(result)).toEqual([
      '2 Ansvarlig: the same Ansvarlig + Titel + Periode appears again on 1 later line',
      `3 Type: ${leadRule}`,
      '4 Områder: unknown area (known: Motalavej, Ringparken / Schackenborg Vænge, Sydbyen, Parkvej / Præstevangen) ("Vollsmose")',
      '5 Periode: not a period (write "dd-mm-yyyy – dd-mm-yyyy", or "dd-mm-yyyy –" while it runs) ("snart")',
      '6 Ansvarlig: the same Ansvarlig + Titel + Periode as line 2',
    ]);
  });

  it('exports the register with ids; an edited export changes only the edited initiative, and bumps its version', async () => {
    await load(initiativesImport, sample('initiatives.csv'));
    const ctx = municipalitySubgraph.context(db, personaIdentity('secretariat-coordinator', 'COORDINATION'));
    for (const ext of ['csv', 'jsonl']) {
      const file = join(dir, `initiatives.${ext}`);
      expect((await runExport({ kind: initiativesImport, file, ctx, progress: quiet() })).rows).toBe(5);
      expect(await load(initiativesImport, file)).toMatchObject({ new: 0, changed: 0, unchanged: 5 });
    }
    const csv = readFileSync(join(dir, 'initiatives.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('\uFEFFId;Titel;Type;Områder;Ansvarlig;Periode;Beskrivelse');
    expect(csv).toContain(';Exit-forløb i alle områder;Kriminalitetsforebyggende;Motalavej, Parkvej / Præstevangen, Ringparken / Schackenborg Vænge, Sydbyen;Politiet;01-01-2024 –;');
    // Renamed in the spreadsheet, found by its Id.
    const edited = join(dir, 'edited.csv');
    writeFileSync(edited, csv.replace('Fædregruppe Motalavej', 'Fædregruppen på Motalavej'));
    expect(await load(initiativesImport, edited)).toMatchObject({ new: 0, changed: 1, unchanged: 4 });
    const [renamed] = await db.query<{ version: number }>("SELECT version FROM initiatives WHERE title = 'Fædregruppen på Motalavej'");
    expect(renamed!.version).toBe(2);
    const log = await db.query<{ action: string; fields: string[] }>("SELECT action, fields FROM disclosure_log WHERE action = 'IMPORT_UPDATE'");
    expect(log).toEqual([{ action: 'IMPORT_UPDATE', fields: ['title'] }]);
  });

  it('loads meetings and their decisions, refuses the mistakes, and round-trips both', async () => {
    expect(await load(meetingsImport, sample('meetings.csv'))).toMatchObject({ new: 3, rejectedRows: 0 });
    expect(await load(decisionsImport, sample('decisions.csv'))).toMatchObject({ new: 3, rejectedRows: 0 });
    const participants = await db.query<{ organisation_id: string; representatives: number }>(
      "SELECT organisation_id, representatives FROM meeting_participants p JOIN meetings m ON m.id = p.meeting_id WHERE m.body_id = 'board' ORDER BY organisation_id",
    );
    expect(participants).toEqual([
      { organisation_id: 'fob', representatives: 1 },
      { organisation_id: 'kompetencecenteret', representatives: 1 },
      { organisation_id: 'police', representatives: 3 },
      { organisation_id: 'slagelse-kommune', representatives: 2 },
    ]);
    expect(lines(await load(meetingsImport, sample('meetings-mistakes.csv')))).toEqual([
      '2 Deltagere: A board meeting has exactly 3 police representatives (the agreement\'s "Organisering"); got 2.',
      expect.stringMatching(/^3 Organ: unknown body \(known: .*\) \("Styregruppen"\)$/),
      '4 Dato: not a calendar date ("30-02-2024")',
      expect.stringMatching(/^5 Deltagere: unknown organisation \(known: Politiet, .*\)$/),
    ]);
    expect(lines(await load(decisionsImport, sample('decisions-mistakes.csv')))).toEqual([
      '3 Mødedato: no meeting of that body on that day (import the meetings first)',
      '4 Frist: dueOn must not be before the meeting (2024-02-20).',
      '5 Udført: completedOn must not be in the future.',
    ]);
    const ctx = municipalitySubgraph.context(db, personaIdentity('secretariat-coordinator', 'COORDINATION'));
    for (const kind of [meetingsImport, decisionsImport]) {
      for (const ext of ['csv', 'jsonl']) {
        const file = join(dir, `${kind.name}.${ext}`);
        expect((await runExport({ kind, file, ctx, progress: quiet() })).rows).toBe(3);
        expect(await load(kind, file)).toMatchObject({ new: 0, changed: 0, unchanged: 3 });
      }
    }
    expect(readFileSync(join(dir, 'meetings.csv'), 'utf8')).toContain(';Bestyrelsesmøde, forår;FOB 1, Sekretariatet 1, Politiet 3, Slagelse Kommune 2');
    await expect(load(meetingsImport, sample('meetings.csv'), 'housing-fob-caseworker')).rejects.toThrow(/Not permitted/);
  });
});
