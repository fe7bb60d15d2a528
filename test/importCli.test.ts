import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '@partnergraph/subgraph-kit/testing';
import { writeTenancyExport } from '@partnergraph/synthetic';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `npm run import` / `npm run export` as an owner's IT person runs them: the
 * built command in its own process, with a development persona's token
 * verified like any other, into PostgreSQL or the embedded PGlite folder of a
 * stopped system. Runs the built output (npm test builds first).
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'partnergraph-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sample = (owner: string, name: string) => join(root, 'subgraphs', owner, 'samples', name);

function cli(args: string[], env: Record<string, string>, nodeOptions: string[] = []) {
  const result = spawnSync(process.execPath, [...nodeOptions, join(root, 'apps/cli/dist/transfer.js'), ...args], {
    cwd: root,
    env: { ...process.env, PARTNERGRAPH_DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'error', ...env },
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr, signal: result.signal };
}

describe('npm run import / export', () => {
  it('streams a large tenancy export in bounded memory into PostgreSQL (heap capped far below the file)', async () => {
    const db = await createTestDatabase('import_cli');
    try {
      const env = { HOUSING_DATABASE_URL: db.url ?? '' };
      // Without PostgreSQL (embedded-only runs) the same bound is checked against PGlite below.
      if (!db.url) return;
      const file = join(dir, 'tenancies-large.csv');
      const rows = 150_000;
      await writeTenancyExport(file, rows);
      expect(cli(['import', 'housing', 'departments', sample('housing', 'departments.csv'), '--as', 'housing-fob-caseworker'], env).code).toBe(0);
      // The file is about 15 MB on disk (30 MB as JavaScript text); parsed rows held at once would need several times the cap.
      const run = cli(['import', 'housing', 'tenancies', file, '--as', 'housing-fob-caseworker'], env, ['--max-old-space-size=64']);
      expect(run.signal).toBeNull();
      expect(run.err).not.toMatch(/heap out of memory/);
      expect(run.code).toBe(0);
      expect(run.out).toContain(`new ${rows.toLocaleString('en')}, changed 0, unchanged 0, removed 0`);
      // Plain progress lines when not on a terminal.
      expect(run.err).toMatch(/import: 100 % read, 150,000 rows/);
      expect(run.err).toMatch(/import: writing the change log/);
      const [count] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM tenancies WHERE company_id = 'fob'");
      expect(count!.n).toBe(rows);
      // And again: nothing changes, still within the cap.
      const again = cli(['import', 'housing', 'tenancies', file, '--as', 'housing-fob-caseworker', '--json'], env, ['--max-old-space-size=64']);
      expect(again.code).toBe(0);
      expect(JSON.parse(again.out)).toMatchObject({ new: 0, changed: 0, unchanged: rows, written: false });
    } finally {
      await db.close();
    }
  }, 300_000);

  it('imports into a stopped system\'s embedded database, refuses while a process has it open, and round-trips through export', async () => {
    const env = { HOUSING_DATABASE_URL: '', PARTNERGRAPH_DATA_DIR: join(dir, 'embedded') };
    const departments = cli(['import', 'housing', 'departments', sample('housing', 'departments.csv'), '--as', 'housing-fob-caseworker'], env);
    expect(departments.code).toBe(0);
    expect(departments.out).toContain('new 3, changed 0, unchanged 0, removed 0');
    const dry = cli(['import', 'housing', 'tenancies', sample('housing', 'tenancies.csv'), '--as', 'housing-fob-caseworker', '--dry-run'], env);
    expect(dry.out).toMatch(/^Dry run \(nothing written\): housing tenancies/);
    expect(dry.out).toContain('new 12, changed 0, unchanged 0, removed 0');
    const first = cli(['import', 'housing', 'tenancies', sample('housing', 'tenancies.csv'), '--as', 'housing-fob-caseworker'], env);
    expect(first.code).toBe(0);
    expect(first.out).toContain('new 12, changed 0, unchanged 0, removed 0');

    // A refused file: exit code 1, every reason with its line and column.
    const refused = cli(['import', 'housing', 'tenancies', sample('housing', 'tenancies-mistakes.csv'), '--as', 'housing-fob-caseworker'], env);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('line 3, Indflytningsdato: not a calendar date ("31-02-2019")');
    expect(refused.out).toContain('6 of 8 rows are invalid; nothing was imported');

    // While another process (a running subgraph) has the folder open, the command says so and touches nothing.
    const holder = spawn(
      process.execPath,
      ['--input-type=module', '-e', `import { openDatabase } from '${join(root, 'packages/kit/dist/index.js')}'; await openDatabase({ dataDir: ${JSON.stringify(join(dir, 'embedded', 'housing'))} }); console.log('open'); setInterval(() => {}, 1000);`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
      const busy = cli(['import', 'housing', 'tenancies', sample('housing', 'tenancies.csv'), '--as', 'housing-fob-caseworker'], env);
      expect(busy.code).toBe(2);
      expect(busy.err).toContain(`is in use by process ${holder.pid}: PGlite allows one process per data folder. Stop the system`);
    } finally {
      holder.kill('SIGKILL');
      await once(holder, 'exit');
    }
    // A lock left by a process that died does not stand in the way.
    const exported = join(dir, 'fob-tenancies.csv');
    const out = cli(['export', 'housing', 'tenancies', exported, '--as', 'housing-fob-caseworker'], env);
    expect(out.code).toBe(0);
    expect(out.out).toBe(`Exported 12 tenancies of fob to ${exported}.\n`);
    expect(existsSync(`${exported}.partial`)).toBe(false);
    const back = cli(['import', 'housing', 'tenancies', exported, '--as', 'housing-fob-caseworker', '--json'], env);
    expect(JSON.parse(back.out)).toMatchObject({ new: 0, changed: 0, unchanged: 12 });
    // Another company's export of the same folder has none of FOB's rows.
    const other = join(dir, 'sab-tenancies.jsonl');
    expect(cli(['export', 'housing', 'tenancies', other, '--as', 'housing-sab-caseworker'], env).code).toBe(0);
    expect(readFileSync(other, 'utf8')).toBe('');
  }, 180_000);

  it('writes every rejected row to a file when there are many, and refuses unverified identities', async () => {
    const env = { HOUSING_DATABASE_URL: '', PARTNERGRAPH_DATA_DIR: join(dir, 'rejections') };
    expect(cli(['import', 'housing', 'departments', sample('housing', 'departments.csv'), '--as', 'housing-fob-caseworker'], env).code).toBe(0);
    const file = join(dir, 'many-bad.csv');
    const header = readFileSync(sample('housing', 'tenancies.csv'), 'utf8').split('\r\n')[0];
    writeFileSync(file, `${header}\r\n${Array.from({ length: 30 }, (_, i) => `21-9${i};21;Ringparken 1;PAAAAAAAAA${i % 10};Anne Hansen;2;32-01-2020;;5000`).join('\r\n')}`);
    const run = cli(['import', 'housing', 'tenancies', file, '--as', 'housing-fob-caseworker'], env);
    expect(run.code).toBe(1);
    expect(run.out).toContain(`every rejected row: ${file}.rejected.csv`);
    const rejected = readFileSync(`${file}.rejected.csv`, 'utf8').trim().split('\r\n');
    expect(rejected).toHaveLength(31);
    expect(rejected[1]).toBe('2;Indflytningsdato;"not a calendar date (""32-01-2020"")"');

    const forged = cli(['import', 'housing', 'departments', sample('housing', 'departments.csv'), '--token', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'], env);
    expect(forged.code).toBe(2);
    expect(forged.err).toBe('The token was refused (signature, issuer, audience or expiry).\n');
    const noIdentity = cli(['import', 'housing', 'departments', sample('housing', 'departments.csv')], { ...env, PARTNERGRAPH_TOKEN: '' });
    expect(noIdentity.code).toBe(2);
    expect(noIdentity.err).toMatch(/^Who imports\?/);
    const listing = cli(['import', 'housing', 'tenancies', '--columns'], env);
    expect(listing.out).toContain('Lejemål / Lejemålsnr / Lejemålsnummer / Lejenummer / tenancyNumber');
  }, 120_000);
});
