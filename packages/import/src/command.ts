import { join, resolve } from 'node:path';
import { loadTrustConfig, TokenVerifier, type RequestIdentity } from '@partnergraph/common';
import { isPurpose, type Purpose } from '@partnergraph/vocabulary';
import { DatabaseInUseError, openDatabase, type Database, type Subgraph } from '@partnergraph/subgraph-kit';
import type { ImportKind } from './kind.js';
import { Progress } from './progress.js';
import { runExport } from './runExport.js';
import { runImport, type ImportSummary } from './runImport.js';
import { FileError } from './source.js';

/** An owner whose files can be imported: its subgraph (migrations, policies) and its kinds. */
export interface ImportOwner {
  subgraph: Subgraph;
  kinds: readonly ImportKind<any>[];
}

export interface CommandEnvironment {
  owners: readonly ImportOwner[];
  /** The embedded databases' folder (`PARTNERGRAPH_DATA_DIR`, default `.data`). */
  dataDir: string;
  /** Signs a development persona's token (`--as`), with the embedded identity provider. */
  devToken?: (persona: string) => Promise<string>;
  env?: NodeJS.ProcessEnv;
  out?: { write(text: string): boolean };
  err?: NodeJS.WriteStream | { write(text: string): boolean; isTTY?: boolean };
}

const USAGE = {
  import: `Usage: npm run import -- <owner> <kind> <file> [options]

  <file>            .csv (; or , separated, UTF-8 with or without BOM) or .jsonl
  --dry-run         check and report new, changed, unchanged and removed rows; write nothing
  --skip-invalid    import the valid rows and report the rest (default: any invalid row refuses the file)
  --delete-missing  delete the rows in the file's scope that it no longer has (default: keep and report them)
  --rejections <f>  where to write every rejected row when there are many (default: <file>.rejected.csv)
  --token <jwt>     the importing identity (or PARTNERGRAPH_TOKEN); verified against the trusted issuers
  --as <persona>    development only: a persona's token from the embedded identity provider
  --purpose <p>     the purpose to import under (default: the kind's)
  --json            print the summary as JSON
  --columns         list the kind's columns (Danish and English names) and exit

Kinds:`,
  export: `Usage: npm run export -- <owner> <kind> <file> [--token <jwt> | --as <persona>] [--purpose <p>]

  <file>            .csv (Danish headers, ;, decimal commas, dd-mm-yyyy, UTF-8 with BOM) or .jsonl

Kinds:`,
};

interface Args {
  positional: string[];
  flags: Set<string>;
  values: Map<string, string>;
}

const VALUE_OPTIONS = new Set(['--token', '--as', '--purpose', '--rejections']);

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { positional: [], flags: new Set(), values: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (VALUE_OPTIONS.has(a)) {
      const value = argv[++i];
      if (value === undefined) throw new FileError(`${a} needs a value.`);
      args.values.set(a, value);
    } else if (a.startsWith('--')) args.flags.add(a);
    else args.positional.push(a);
  }
  return args;
}

function kindList(owners: readonly ImportOwner[]): string {
  return owners.flatMap((o) => o.kinds.map((k) => `  ${`${o.subgraph.name} ${k.name}`.padEnd(26)} ${k.title}`)).join('\n');
}

export function columnList(kind: ImportKind): string {
  const rows = kind.columns.map((c) => {
    const need = c.optional ? 'optional column' : c.nullable ? 'may be empty' : 'required';
    return `  ${c.headers.join(' / ').padEnd(48)} ${c.field.padEnd(22)} ${need}; ${c.type.describe}. ${c.description}`;
  });
  return `${kind.owner} ${kind.name}: ${kind.title}\nPurposes: ${kind.purposes.join(', ')}\nColumns (Danish header first; JSON Lines uses the English name):\n${rows.join('\n')}\n`;
}

/**
 * `npm run import` and `npm run export`: finds the owner and kind, verifies
 * the identity, opens the owner's database (PostgreSQL from
 * `<OWNER>_DATABASE_URL`, else the embedded one, which must not be in use by
 * a running subgraph), migrates it, runs, prints a summary. Returns the exit code:
 * 0 done (or a clean dry run), 1 the file was refused, 2 a usage, identity or file error.
 */
export async function runTransferCommand(mode: 'import' | 'export', argv: readonly string[], environment: CommandEnvironment): Promise<number> {
  const env = environment.env ?? process.env;
  const out = environment.out ?? process.stdout;
  const err = environment.err ?? process.stderr;
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    err.write(`${(error as Error).message}\n`);
    return 2;
  }
  const [ownerName, kindName, file] = args.positional;
  const owner = environment.owners.find((o) => o.subgraph.name === ownerName);
  const kind = owner?.kinds.find((k) => k.name === kindName);
  if (!owner || !kind) {
    err.write(`${ownerName && !owner ? `Unknown owner ${ownerName}.\n` : kindName && !kind ? `Unknown kind ${kindName}.\n` : ''}${USAGE[mode]}\n${kindList(environment.owners)}\n`);
    return args.flags.has('--help') ? 0 : 2;
  }
  if (args.flags.has('--columns')) {
    out.write(columnList(kind));
    return 0;
  }
  if (!file) {
    err.write(`${USAGE[mode]}\n${kindList(environment.owners)}\n`);
    return 2;
  }
  const unknown = [...args.flags].filter((f) => !['--dry-run', '--skip-invalid', '--delete-missing', '--json', '--help'].includes(f));
  if (unknown.length || (mode === 'export' && [...args.flags].some((f) => f !== '--json'))) {
    err.write(`Unknown option ${unknown[0] ?? [...args.flags][0]}.\n${USAGE[mode]}\n`);
    return 2;
  }

  let identity: RequestIdentity;
  try {
    identity = await verifiedIdentity(args, kind, environment, env);
  } catch (error) {
    err.write(`${(error as Error).message}\n`);
    return 2;
  }

  let db: Database;
  const prefix = owner.subgraph.name.toUpperCase();
  const url = env[`${prefix}_DATABASE_URL`];
  try {
    db = await openDatabase({ url, dataDir: url ? undefined : join(environment.dataDir, owner.subgraph.name), applicationName: `partnergraph-${mode}` });
  } catch (error) {
    if (error instanceof DatabaseInUseError) {
      err.write(
        `The ${owner.subgraph.name} subgraph's embedded database (${error.dataDir}) is in use by process ${error.pid}: ` +
          `PGlite allows one process per data folder. Stop the system (Ctrl-C on npm start) and run the ${mode} again, ` +
          `or run the system on PostgreSQL (${prefix}_DATABASE_URL), where ${mode}s run while it serves.\n`,
      );
      return 2;
    }
    throw error;
  }
  const progress = new Progress(err, mode);
  try {
    // As the owner's server does at start: migrations, then its reference data.
    await owner.subgraph.prepare(db);
    const ctx = owner.subgraph.context(db, identity);
    if (mode === 'export') {
      const summary = await runExport({ kind, file: resolve(file), ctx, progress });
      out.write(args.flags.has('--json') ? `${JSON.stringify(summary)}\n` : `Exported ${summary.rows.toLocaleString('en')} ${kind.name} of ${identity.principal.organisation} to ${file}.\n`);
      return 0;
    }
    const summary = await runImport({
      kind,
      file,
      ctx,
      dryRun: args.flags.has('--dry-run'),
      skipInvalid: args.flags.has('--skip-invalid'),
      deleteMissing: args.flags.has('--delete-missing'),
      ...(args.values.has('--rejections') ? { rejectionsFile: args.values.get('--rejections')! } : {}),
      progress,
    });
    out.write(args.flags.has('--json') ? `${JSON.stringify(summary)}\n` : describeSummary(summary));
    return summary.refused ? 1 : 0;
  } catch (error) {
    if (error instanceof FileError) {
      err.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  } finally {
    await db.close();
  }
}

async function verifiedIdentity(args: Args, kind: ImportKind, environment: CommandEnvironment, env: NodeJS.ProcessEnv): Promise<RequestIdentity> {
  const persona = args.values.get('--as');
  let token = args.values.get('--token') ?? env['PARTNERGRAPH_TOKEN'];
  if (persona) {
    if (!environment.devToken) throw new Error('--as is for development only and not available here.');
    token = await environment.devToken(persona);
  }
  if (!token) throw new Error('Who imports? Give --token <jwt> (or PARTNERGRAPH_TOKEN), or in development --as <persona>.');
  // The same verification every subgraph applies to a request: signature, issuer, audience, expiry.
  const verifier = new TokenVerifier(loadTrustConfig(env, join(environment.dataDir, 'trust.json')));
  const principal = await verifier.verify(`Bearer ${token}`).catch(() => {
    throw new Error('The token was refused (signature, issuer, audience or expiry).');
  });
  const purpose = args.values.get('--purpose') ?? kind.purposes.find((p) => principal.purposes.includes(p)) ?? kind.purposes[0]!;
  if (!isPurpose(purpose)) throw new Error(`Unknown purpose ${purpose}.`);
  if (!principal.purposes.includes(purpose as Purpose)) throw new Error(`This principal may not use the purpose ${purpose} (it may use ${principal.purposes.join(', ')}).`);
  return { principal, purpose: purpose as Purpose };
}

/** The summary a person reads after an import. */
export function describeSummary(s: ImportSummary): string {
  const lines: string[] = [];
  const n = (x: number) => x.toLocaleString('en');
  const head = s.dryRun ? 'Dry run (nothing written)' : s.refused ? 'Refused (nothing written)' : 'Imported';
  lines.push(`${head}: ${s.owner} ${s.kind} from ${s.file} (${s.format.toUpperCase()}, ${n(s.rows)} rows, sha256 ${s.sha256.slice(0, 12)}…)`);
  if (s.ignoredColumns.length) lines.push(`  ignored columns: ${s.ignoredColumns.join(', ')}`);
  if (!s.refused) {
    lines.push(`  new ${n(s.new)}, changed ${n(s.changed)}, unchanged ${n(s.unchanged)}, removed ${n(s.removed)}`);
    if (s.missing) lines.push(`  stored but not in the file: ${n(s.missing)} (${s.keptReasons.concat(s.removed ? [`${n(s.removed)} removed`] : []).join('; ')})`);
  }
  if (s.rejectedRows) {
    lines.push(`  rejected rows: ${n(s.rejectedRows)}${s.refused ? '' : ' (skipped)'}`);
    for (const r of s.rejections) lines.push(`    line ${r.line}, ${r.column}: ${r.reason}`);
    if (s.rejectionsFile) lines.push(`  every rejected row: ${s.rejectionsFile}`);
  }
  if (s.refused) lines.push(`  ${s.refused}`);
  return `${lines.join('\n')}\n`;
}
