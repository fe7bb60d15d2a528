import { once } from 'node:events';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import type { Queryable, SubgraphContext } from '@partnergraph/subgraph-kit';
import { csvLine } from './csv.js';
import type { ImportKind, ImportEnv, Values } from './kind.js';
import { Progress } from './progress.js';
import { FileError, formatOf } from './source.js';

export interface ExportOptions {
  kind: ImportKind<any>;
  file: string;
  ctx: SubgraphContext;
  progress?: Progress;
}

export interface ExportSummary {
  owner: string;
  kind: string;
  file: string;
  format: 'csv' | 'jsonl';
  rows: number;
}

const PAGE = 5000;

/**
 * Writes the principal's own rows of a kind back to a file in the format its
 * import reads (CSV: Danish headers, `;`, decimal commas, `dd-mm-yyyy`, UTF-8
 * with BOM; JSON Lines: the English fields, ISO dates), so that importing the
 * file again changes nothing. Rows come in keyset pages and each is checked
 * against the owner's `<Type>:export` rule; personal data is logged in the
 * owner's disclosure log before it is written, and the file appears under its
 * name only when complete.
 */
export async function runExport(options: ExportOptions): Promise<ExportSummary> {
  const { kind, ctx } = options;
  const type = kind.entityType;
  const action = `${type}:export`;
  if (!kind.purposes.includes(ctx.identity.purpose)) {
    throw new FileError(`${kind.owner} ${kind.name} is exported under ${kind.purposes.join(' or ')}, not ${ctx.identity.purpose}.`);
  }
  if (!ctx.authz.mayEver(action, type)) {
    throw new FileError(`Not permitted: ${ctx.identity.principal.organisation} may not export ${kind.owner} ${kind.name} under ${ctx.identity.purpose} (${kind.owner}'s policies, action ${action}).`);
  }
  const format = formatOf(options.file);
  const style = format === 'csv' ? 'danish' : 'json';
  const env: ImportEnv = { organisation: ctx.authz.organisation, authz: ctx.authz, today: new Date().toISOString().slice(0, 10), present: new Set(kind.columns.map((c) => c.field)) };
  const descriptor = ctx.authz.descriptor(type);
  const personal = descriptor?.personal;
  const progress = options.progress ?? new Progress(process.stderr, 'export');
  ctx.audit.operation = `export ${kind.owner} ${kind.name} ${basename(options.file)}`;
  const fields = kind.columns.map((c) => c.field);
  const partial = `${options.file}.partial`;
  const out = createWriteStream(partial, { encoding: 'utf8' });
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  let rows = 0;
  try {
    if (format === 'csv') await write(`\uFEFF${csvLine(kind.columns.map((c) => c.headers[0] ?? c.field), ';')}`);
    await readConsistently(ctx, async (db) => {
      let cursor: unknown[] | null = null;
      for (;;) {
        const params: unknown[] = [];
        const where = [ctx.authz.sqlFilterFor(action, type, params)];
        if (cursor) {
          const placeholders = cursor.map((value) => {
            params.push(value);
            return `$${params.length}`;
          });
          where.push(`(${kind.export.order.map(([sql]) => sql).join(', ')}) > (${placeholders.join(', ')})`);
        }
        params.push(PAGE);
        const page = await db.query<Record<string, unknown>>(
          `SELECT ${kind.export.columns} FROM ${kind.export.from} WHERE ${where.join(' AND ')}
           ORDER BY ${kind.export.order.map(([sql]) => sql).join(', ')} LIMIT $${params.length}`,
          params,
        );
        if (page.length === 0) break;
        const last = page[page.length - 1]!;
        cursor = kind.export.order.map(([, property]) => last[property]);
        const allowed = page.filter((row) => ctx.authz.can(action, type, row));
        if (personal && allowed.length) {
          // Logged before the rows are written: if the log cannot be written, the file is not made.
          const byOwner = new Map<string, { ids: string[]; subjects: Set<string> }>();
          for (const row of allowed) {
            const owners = personal.owner(row);
            for (const owner of typeof owners === 'string' ? [owners] : owners) {
              let b = byOwner.get(owner);
              if (!b) byOwner.set(owner, (b = { ids: [], subjects: new Set() }));
              b.ids.push(descriptor!.id(row));
              const subject = personal.subject(row);
              for (const s of typeof subject === 'string' ? [subject] : (subject ?? [])) b.subjects.add(s);
            }
          }
          await ctx.disclosureLog.append(
            [...byOwner].map(([owner, b]) => ctx.audit.changedRows('EXPORT', type, b.ids, [...b.subjects], fields, owner)),
          );
        }
        let text = '';
        for (const row of allowed) text += line(kind, kind.export.values(row), style);
        await write(text);
        rows += allowed.length;
        progress.update(rows, rows, rows);
        if (page.length < PAGE) break;
      }
    });
    out.end();
    await once(out, 'finish');
    await ctx.disclosureLog.append([
      ctx.audit.changedRows('EXPORT', type, [], [], fields, kind.dataOwner(env), { file: basename(options.file), rows }),
    ]);
    renameSync(partial, options.file);
    progress.done();
    return { owner: kind.owner, kind: kind.name, file: options.file, format, rows };
  } catch (error) {
    out.destroy();
    rmSync(partial, { force: true });
    throw error;
  }
}

function line(kind: ImportKind, values: Values, style: 'danish' | 'json'): string {
  if (style === 'danish') {
    return csvLine(
      kind.columns.map((c) => {
        const value = values[c.field];
        return value === null || value === undefined ? '' : String(c.type.format(value, 'danish'));
      }),
      ';',
    );
  }
  const record: Record<string, unknown> = {};
  for (const c of kind.columns) {
    const value = values[c.field];
    record[c.field] = value === null || value === undefined ? null : c.type.format(value, 'json');
  }
  return `${JSON.stringify(record)}\n`;
}

/**
 * On PostgreSQL the pages are read in one read-only snapshot, so an export
 * taken while others write is still one consistent picture. PGlite has one
 * connection (and no other writer while a command has it): pages are read directly.
 */
async function readConsistently(ctx: SubgraphContext, fn: (db: Queryable) => Promise<void>): Promise<void> {
  if (ctx.db.kind !== 'postgres') return fn(ctx.db);
  await ctx.db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    await fn(tx);
  });
}
