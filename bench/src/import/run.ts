import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeTenancyExport } from '@partnergraph/synthetic';
import pg from 'pg';
import { numberOption } from '../args.js';

/**
 * A housing company's nightly tenancy import at national size: a synthetic
 * tenancy-system export of 1,000,000 rows imported by `npm run import` into a
 * fresh PostgreSQL database, as the company's IT person would run it, then the
 * same file again (nothing changes). The baseline, measured in the same run,
 * is PostgreSQL's own floor: `COPY` of the same file into an unindexed table of
 * text columns. Prints wall time, the import's peak RSS and the ratio.
 *
 *   npm run bench:import [-- --rows 1000000 --heap 64]
 */
const rows = numberOption('rows', 1_000_000);
/** The JavaScript heap cap of the import process (MB): the README's bounded-memory claim. */
const heapMb = numberOption('heap', 64);
const adminUrl = process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const cli = join(root, 'apps/cli/dist/transfer.js');
const sample = join(root, 'subgraphs/housing/samples/departments.csv');
const dir = mkdtempSync(join(tmpdir(), 'partnergraph-bench-import-'));
// The baseline's server-side COPY reads the file as the database server's own user.
chmodSync(dir, 0o755);
const name = `partnergraph_bench_import_${process.pid}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const databaseUrl = url.toString();

interface Run {
  seconds: number;
  peakRssMb: number;
  code: number | null;
  out: string;
  err: string;
}

/** Runs the built import command in its own process; peak RSS read from /proc while it runs. */
function importCommand(kind: string, file: string, extra: string[] = []): Promise<Run> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, cli, 'import', 'housing', kind, file, '--as', 'housing-fob-caseworker', ...extra], {
    cwd: root,
    env: { ...process.env, HOUSING_DATABASE_URL: databaseUrl, PARTNERGRAPH_DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  let peakKb = 0;
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      // The process has just ended.
    }
  }, 100);
  return new Promise((done) =>
    child.on('exit', (code) => {
      clearInterval(poll);
      done({ seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssMb: peakKb / 1024, code, out, err });
    }),
  );
}

function check(run: Run, what: string): void {
  if (run.code !== 0) {
    process.stderr.write(run.out + run.err);
    throw new Error(`${what} failed (exit ${run.code})`);
  }
}

try {
  const file = join(dir, 'tenancies.csv');
  const generated = process.hrtime.bigint();
  await writeTenancyExport(file, rows);
  const sizeMb = statSync(file).size / 1024 / 1024;
  console.log(`tenancy export: ${rows.toLocaleString('en')} rows, ${sizeMb.toFixed(0)} MB (written in ${(Number(process.hrtime.bigint() - generated) / 1e9).toFixed(1)} s)`);
  check(await importCommand('departments', sample), 'departments import');

  // Baseline: PostgreSQL reading the same file into a bare table (server-side COPY, no parsing in Node).
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  await db.query('CREATE UNLOGGED TABLE bench_copy_floor (a text, b text, c text, d text, e text, f text, g text, h text, i text)');
  const copyStarted = process.hrtime.bigint();
  await db.query(`COPY bench_copy_floor FROM '${file.replace(/'/g, "''")}' WITH (FORMAT csv, DELIMITER ';', HEADER true, ENCODING 'UTF8')`);
  const copySeconds = Number(process.hrtime.bigint() - copyStarted) / 1e9;
  await db.query('DROP TABLE bench_copy_floor');

  const first = await importCommand('tenancies', file, ['--json']);
  check(first, 'first tenancy import');
  const again = await importCommand('tenancies', file, ['--json']);
  check(again, 'second tenancy import');
  const [count] = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM tenancies WHERE company_id = 'fob'")).rows;
  await db.end();
  const summary = (run: Run) => JSON.parse(run.out) as { new: number; changed: number; unchanged: number };
  if (count!.n !== rows || summary(first).new !== rows || summary(again).unchanged !== rows || summary(again).changed !== 0) {
    throw new Error(`wrong result: ${count!.n} rows stored; first ${JSON.stringify(summary(first))}; again ${JSON.stringify(summary(again))}`);
  }

  const line = (label: string, seconds: number, rss?: number) =>
    `| ${label.padEnd(44)} | ${seconds.toFixed(1).padStart(7)} s | ${(rows / seconds).toFixed(0).padStart(9)} rows/s | ${rss === undefined ? '        ' : `${rss.toFixed(0).padStart(5)} MB`} | ${(seconds / copySeconds).toFixed(2).padStart(6)}× |`;
  console.log(`\nPostgreSQL at ${new URL(adminUrl).host}, import heap capped at ${heapMb} MB, load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)}`);
  console.log('| step                                         |    wall |        throughput | peak RSS | vs COPY |');
  console.log('| -------------------------------------------- | ------- | ----------------- | -------- | ------- |');
  console.log(line('PostgreSQL COPY into a bare table (baseline)', copySeconds));
  console.log(line('npm run import: new file (all rows new)', first.seconds, first.peakRssMb));
  console.log(line('npm run import: same file again (unchanged)', again.seconds, again.peakRssMb));
  console.log(`\n${first.seconds <= 60 ? 'within' : 'OVER'} a minute for ${rows.toLocaleString('en')} tenancies`);
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
}
