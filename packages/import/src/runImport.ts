import { basename } from 'node:path';
import { copyTextLine, runMutation, type Queryable, type SubgraphContext, type Transaction } from '@partnergraph/subgraph-kit';
import type { ImportEnv, ImportKind, Values } from './kind.js';
import { Progress } from './progress.js';
import { RejectionReport, type Rejection } from './report.js';
import { FileError, openSource, type SourceRow } from './source.js';
import { ValueError } from './values.js';
import { bindNamed, changeLogBatches } from './sql.js';

export interface ImportOptions {
  kind: ImportKind<any>;
  file: string;
  /** The importing identity's context (`subgraph.context(db, identity)`): its policies, audit and log. */
  ctx: SubgraphContext;
  dryRun?: boolean;
  /** Import the valid rows and report the rest (otherwise any invalid row refuses the whole file). */
  skipInvalid?: boolean;
  /** Delete the existing rows in the file's scope that the file no longer has. */
  deleteMissing?: boolean;
  /** Where every rejection goes when there are more than can be shown (default: `<file>.rejected.csv`). */
  rejectionsFile?: string | null;
  progress?: Progress;
  /** Today (`yyyy-mm-dd`), for the rules that compare with it. */
  today?: string;
}

export interface ImportSummary {
  owner: string;
  kind: string;
  file: string;
  sha256: string;
  format: 'csv' | 'jsonl';
  /** Data rows in the file. */
  rows: number;
  /** Rows refused, and the first reasons (all of them in `rejectionsFile`). */
  rejectedRows: number;
  rejections: Rejection[];
  rejectionsFile: string | null;
  ignoredColumns: string[];
  new: number;
  changed: number;
  unchanged: number;
  /** Existing rows in the file's scope that the file no longer has. */
  missing: number;
  /** Of those, deleted (or, in a dry run, that would be). */
  removed: number;
  /** Of those, kept: other records depend on them, or --delete-missing was not given. */
  kept: number;
  keptReasons: string[];
  dryRun: boolean;
  /** The database was changed (false for dry runs and refused files). */
  written: boolean;
  /** Why nothing was imported, when nothing was. */
  refused: string | null;
}

/** Thrown inside the transaction to roll a dry run (or a refused file) back with its summary. */
class RollBack extends Error {
  constructor(readonly summary: ImportSummary) {
    super('rolled back');
  }
}

const LOG_BATCH = 1000;

/**
 * Imports one file of one kind for the identity in `ctx`, in one transaction:
 * every row parsed and checked by the owner's rules and policies, valid rows
 * staged through COPY, checked again as a set (duplicate keys, references),
 * then merged by natural key — new rows inserted, changed rows updated, rows
 * that did not change left alone — with change-log rows (and, for personal
 * data, the data subjects) in the owner's disclosure log.
 */
export async function runImport(options: ImportOptions): Promise<ImportSummary> {
  const { kind, ctx } = options;
  const type = kind.entityType;
  const action = `${type}:import`;
  if (!kind.purposes.includes(ctx.identity.purpose)) {
    throw new FileError(`${kind.owner} ${kind.name} is imported under ${kind.purposes.join(' or ')}, not ${ctx.identity.purpose}.`);
  }
  if (!ctx.authz.mayEver(action, type)) {
    throw new FileError(`Not permitted: ${ctx.identity.principal.organisation} (${ctx.identity.principal.roles.join(', ')}) may not import ${kind.owner} ${kind.name} under ${ctx.identity.purpose} (${kind.owner}'s policies, action ${action}).`);
  }
  const source = await openSource(options.file, kind.columns);
  const env: ImportEnv = {
    organisation: ctx.authz.organisation,
    authz: ctx.authz,
    today: options.today ?? new Date().toISOString().slice(0, 10),
    present: source.present,
  };
  const report = new RejectionReport(options.rejectionsFile === undefined ? `${options.file}.rejected.csv` : options.rejectionsFile);
  const progress = options.progress ?? new Progress();
  const label = (field: string) => source.headerOf.get(field) ?? kind.columns.find((c) => c.field === field)?.headers[0] ?? field;
  ctx.audit.operation = `import ${kind.owner} ${kind.name} ${basename(options.file)}`;
  let rows = 0;

  const summaryOf = (counts: Partial<ImportSummary>): ImportSummary => ({
    owner: kind.owner,
    kind: kind.name,
    file: options.file,
    sha256: source.sha256(),
    format: source.format,
    rows,
    rejectedRows: report.rows,
    rejections: [...report.shown].sort((a, b) => a.line - b.line),
    rejectionsFile: report.written,
    ignoredColumns: source.ignored,
    new: 0,
    changed: 0,
    unchanged: 0,
    missing: 0,
    removed: 0,
    kept: 0,
    keptReasons: [],
    dryRun: Boolean(options.dryRun),
    written: false,
    refused: null,
    ...counts,
  });

  try {
    return await runMutation(ctx, {
      name: `import:${kind.owner}:${kind.name}`,
      idempotencyKey: null,
      input: { file: basename(options.file) },
      work: async (tx) => {
        await tuneSession(ctx, tx);
        const named = { organisation: env.organisation, principal: `${ctx.identity.principal.issuer}#${ctx.identity.principal.subject}`, today: env.today };
        const prepared = kind.prepare ? await kind.prepare(tx, env) : undefined;
        const stageColumns = Object.keys(kind.stage);
        await tx.query(
          `CREATE TEMP TABLE import_stage (line int PRIMARY KEY, ${stageColumns.map((c) => `${c} ${kind.stage[c]}`).join(', ')}) ON COMMIT DROP`,
        );

        // Read, parse and check every row; stage the valid ones through COPY.
        async function* staged(): AsyncGenerator<string> {
          let batch = '';
          for await (const row of source.rows) {
            rows++;
            const values = checkRow(row);
            if (values) batch += copyTextLine([row.line, ...stageColumns.map((c) => values[c])]);
            if (batch.length > 1 << 16) {
              yield batch;
              batch = '';
              progress.update(source.bytesRead(), source.totalBytes, rows);
            }
          }
          if (batch) yield batch;
          progress.update(source.totalBytes, source.totalBytes, rows);
        }
        const checkRow = (row: SourceRow): Record<string, unknown> | null => {
          if (row.broken) {
            report.add({ line: row.line, column: row.broken.column, reason: `The row ${row.broken.reason}` });
            return null;
          }
          let ok = true;
          const reject = (field: string, reason: string) => {
            ok = false;
            report.add({ line: row.line, column: field === '-' ? '-' : label(field), reason });
          };
          const values: Values = {};
          for (const column of kind.columns) {
            if (!source.present.has(column.field)) {
              values[column.field] = undefined;
              continue;
            }
            const raw = row.cells.get(column.field) ?? null;
            if (raw === null) {
              if (!column.nullable) reject(column.field, 'missing value');
              values[column.field] = null;
              continue;
            }
            try {
              values[column.field] = column.type.parse(raw, source.style);
            } catch (error) {
              if (!(error instanceof ValueError)) throw error;
              const shown = !column.personal && typeof raw !== 'object' && String(raw).length <= 60 ? ` ("${String(raw)}")` : '';
              reject(column.field, `${error.message}${shown}`);
            }
          }
          if (!ok) return null;
          const stagedRow = kind.check(values, env, prepared, reject);
          if (!ok || !stagedRow) return null;
          if (!ctx.authz.can(action, type, kind.resource(stagedRow, env))) {
            reject('-', `not permitted: ${kind.owner}'s policies do not let ${env.organisation} import this row`);
            return null;
          }
          return stagedRow;
        };
        await tx.copyFrom('import_stage', ['line', ...stageColumns], staged());
        await tx.query('ANALYZE import_stage');

        // Whole-file checks: keys repeated within the file, records not the principal's, the kind's own.
        progress.step('checking keys and references');
        const params: unknown[] = [];
        const writable = ctx.authz.exactSqlFilter(action, type, params);
        if (writable === null) {
          throw new FileError(`${kind.owner}'s rule for ${action} cannot be applied to a whole file at once; nothing was imported.`);
        }
        await tx.query('CREATE TEMP TABLE import_rejected (line int NOT NULL, field text NOT NULL, reason text NOT NULL) ON COMMIT DROP');
        for (const key of kind.uniqueKeys) {
          const cols = key.columns.join(', ');
          const what = key.fields.map(label).join(' + ');
          await tx.query(
            `INSERT INTO import_rejected (line, field, reason)
             SELECT line, $1, CASE WHEN line = first_line THEN 'the same ' || $2 || ' appears again on ' || (n - 1) || ' later line' || CASE WHEN n > 2 THEN 's' ELSE '' END
                                   ELSE 'the same ' || $2 || ' as line ' || first_line END
             FROM (SELECT line, min(line) OVER w AS first_line, count(*) OVER w AS n FROM import_stage s
                   WHERE ${key.columns.map((c) => `${c} IS NOT NULL`).join(' AND ')} WINDOW w AS (PARTITION BY ${cols})) d
             WHERE n > 1`,
            [key.fields[0]!, what],
          );
        }
        const { alias, table } = kind.target;
        // The policy's parameters are numbered from $1: they go along only with statements that use the policy.
        const bound = (sql: string) => {
          const p = sql.includes(':writable') ? [...params] : [];
          return { sql: bindNamed(sql.replaceAll(':writable', `(${writable})`), named, p), params: p };
        };
        const notYours = bound(
          `INSERT INTO import_rejected (line, field, reason)
           SELECT s.line, '-', 'names a record that is not among those you may change' FROM import_stage s
           JOIN ${table} ${alias} ON ${kind.target.match} WHERE NOT (:writable)`,
        );
        await tx.query(notYours.sql, notYours.params);
        for (const check of kind.setChecks ?? []) {
          const q = bound(`INSERT INTO import_rejected (line, field, reason) ${check}`);
          await tx.query(q.sql, q.params);
        }
        // Columns the file leaves out keep what the rows have.
        for (const column of kind.columns) {
          if (!column.optional || source.present.has(column.field)) continue;
          const [stageSql, targetSql] = kind.target.compare[column.field] ?? [];
          if (!stageSql || !targetSql) continue;
          const q = bound(`UPDATE import_stage s SET ${stageSql.replace(/^s\./, '')} = ${targetSql} FROM ${table} ${alias} WHERE ${kind.target.match} AND (:writable)`);
          await tx.query(q.sql, q.params);
        }

        // The plan: each staged row with the existing row it matches and the fields that differ.
        progress.step('comparing with what is stored');
        const compared = Object.entries(kind.target.compare);
        const changedSql = `CASE WHEN ${kind.target.id} IS NULL THEN '{}'::text[] ELSE array_remove(ARRAY[${compared
          .map(([field, [s, t]]) => `CASE WHEN ${s} IS DISTINCT FROM ${t} THEN '${field}' END`)
          .join(', ')}]::text[], NULL) END`;
        await tx.query(
          `CREATE TEMP TABLE import_plan ON COMMIT DROP AS SELECT s.*, NULL::text AS target_id, false AS is_new, '{}'::text[] AS changed,
             NULL::text AS subject, NULL::text AS data_owner FROM import_stage s WITH NO DATA`,
        );
        const plan = bound(
          `INSERT INTO import_plan SELECT s.*, ${kind.target.id}, ${kind.target.id} IS NULL, ${changedSql},
             ${kind.target.subject ? kind.target.subject[0] : 'NULL'}, ${kind.target.dataOwner[0]}
           FROM import_stage s LEFT JOIN ${table} ${alias} ON ${kind.target.match} AND (:writable)`,
        );
        await tx.query(plan.sql, plan.params);
        await tx.query('CREATE INDEX ON import_plan (target_id)');
        await tx.query('CREATE INDEX ON import_plan (line)');
        await tx.query('ANALYZE import_plan');
        // Two lines that name one stored record (by Id and by natural key, say): the file must say which it means.
        await tx.query(
          `INSERT INTO import_rejected (line, field, reason)
           SELECT line, '-', CASE WHEN line = first_line THEN 'names the same record as line ' || last_line ELSE 'names the same record as line ' || first_line END
           FROM (SELECT line, min(line) OVER w AS first_line, max(line) OVER w AS last_line, count(*) OVER w AS n
                 FROM import_plan p WHERE NOT is_new AND NOT EXISTS (SELECT 1 FROM import_rejected r WHERE r.line = p.line)
                 WINDOW w AS (PARTITION BY target_id)) x
           WHERE n > 1`,
        );
        await streamRejections(tx, report, label);
        const refuse = (reason: string): never => {
          throw new RollBack(summaryOf({ refused: reason }));
        };
        if (report.rows > 0 && !options.skipInvalid) {
          refuse(`${report.rows.toLocaleString('en')} of ${rows.toLocaleString('en')} rows are invalid; nothing was imported (fix them, or give --skip-invalid to import the valid rows)`);
        }
        if (report.rows > 0) {
          await tx.query('DELETE FROM import_stage s USING import_rejected r WHERE s.line = r.line');
          await tx.query('DELETE FROM import_plan p USING import_rejected r WHERE p.line = r.line');
        }
        await tx.query('CREATE TEMP TABLE import_removed (id text PRIMARY KEY, subject text, data_owner text, kept boolean NOT NULL) ON COMMIT DROP');
        const missing = bound(
          `INSERT INTO import_removed SELECT ${kind.target.id}, ${kind.target.subject ? kind.target.subject[1] : 'NULL'}, ${kind.target.dataOwner[1]},
             ${kind.target.keep ? `(${kind.target.keep.sql})` : 'false'}
           FROM ${table} ${alias} WHERE (${kind.target.scope}) AND (:writable)
             AND NOT EXISTS (SELECT 1 FROM import_plan p WHERE p.target_id = ${kind.target.id})`,
        );
        await tx.query(missing.sql, missing.params);
        const [counts] = await tx.query<{ new: number; changed: number; unchanged: number }>(
          `SELECT count(*) FILTER (WHERE is_new)::int AS new, count(*) FILTER (WHERE NOT is_new AND cardinality(changed) > 0)::int AS changed,
                  count(*) FILTER (WHERE NOT is_new AND cardinality(changed) = 0)::int AS unchanged FROM import_plan`,
        );
        const [gone] = await tx.query<{ missing: number; kept: number }>(
          'SELECT count(*)::int AS missing, count(*) FILTER (WHERE kept)::int AS kept FROM import_removed',
        );
        const keptReasons: string[] = [];
        let removable = (gone?.missing ?? 0) - (gone?.kept ?? 0);
        if ((gone?.kept ?? 0) > 0 && kind.target.keep) keptReasons.push(`${gone!.kept} ${kind.target.keep.reason}`);
        if (removable > 0 && !options.deleteMissing) {
          keptReasons.push(`${removable} kept: give --delete-missing to delete what the file no longer has`);
          removable = 0;
        } else if (removable > 0 && report.rows > 0) {
          keptReasons.push(`${removable} kept: rows were rejected, so the file is not a complete picture`);
          removable = 0;
        }
        const summary = summaryOf({
          new: counts!.new,
          changed: counts!.changed,
          unchanged: counts!.unchanged,
          missing: gone!.missing,
          removed: removable,
          kept: gone!.missing - removable,
          keptReasons,
        });
        if (options.dryRun) throw new RollBack(summary);

        // Write: ids for new rows, then the owner's merge statements.
        progress.step('writing');
        const run = async (sql: string) => {
          const q = bound(sql);
          await tx.query(q.sql, q.params);
        };
        if (summary.new > 0) await run(`UPDATE import_plan p SET target_id = ${kind.merge.newId} WHERE is_new`);
        if (summary.new > 0) await run(kind.merge.insert);
        if (summary.changed > 0) await run(kind.merge.update);
        if (removable > 0) {
          await tx.query('DELETE FROM import_removed WHERE kept');
          await run(kind.merge.remove);
        } else {
          await tx.query('DELETE FROM import_removed');
        }
        for (const statement of kind.merge.after ?? []) await run(statement);

        // The change log: one row per batch of records, with their data subjects.
        progress.step('writing the change log');
        const allFields = Object.keys(kind.target.compare);
        for await (const entries of changeLogBatches(tx, LOG_BATCH)) {
          await ctx.disclosureLog.append(
            entries.map((e) =>
              ctx.audit.changedRows(`IMPORT_${e.action}`, type, e.ids, e.subjects, e.action === 'CREATE' ? allFields : e.action === 'DELETE' ? [] : e.fields, e.dataOwner),
            ),
            tx,
          );
        }
        progress.done();
        const done = { ...summary, written: summary.new + summary.changed + summary.removed > 0 };
        return {
          result: done,
          changes: [
            ctx.audit.changedRows('IMPORT', type, [], [], Object.keys(kind.target.compare), kind.dataOwner(env), {
              file: basename(options.file),
              sha256: done.sha256,
              rows,
              rejected: done.rejectedRows,
              new: done.new,
              changed: done.changed,
              unchanged: done.unchanged,
              removed: done.removed,
              kept: done.kept,
            }),
          ],
        };
      },
    });
  } catch (error) {
    if (error instanceof RollBack) {
      progress.done();
      return error.summary;
    }
    throw error;
  } finally {
    await report.close();
  }
}

/** Memory for the set-wise steps (PostgreSQL; PGlite keeps its defaults). */
async function tuneSession(ctx: SubgraphContext, tx: Transaction): Promise<void> {
  if (ctx.db.kind !== 'postgres') return;
  await tx.query("SET LOCAL work_mem = '256MB'");
  await tx.query("SET LOCAL maintenance_work_mem = '256MB'");
}

/** The whole-file checks' rejections, in file order, into the report (in batches: there may be many). */
async function streamRejections(tx: Queryable, report: RejectionReport, label: (field: string) => string): Promise<void> {
  let after: [number, string, string] = [0, '', ''];
  for (;;) {
    const batch = await tx.query<{ line: number; field: string; reason: string }>(
      `SELECT line, field, reason FROM import_rejected WHERE (line, field, reason) > ($1, $2, $3)
       ORDER BY line, field, reason LIMIT 1000`,
      after,
    );
    for (const r of batch) report.add({ line: r.line, column: r.field === '-' ? '-' : label(r.field), reason: r.reason });
    if (batch.length < 1000) return;
    const last = batch[batch.length - 1]!;
    after = [last.line, last.field, last.reason];
  }
}


