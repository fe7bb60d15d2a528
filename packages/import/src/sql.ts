import type { Queryable } from '@partnergraph/subgraph-kit';

/**
 * Replaces `:name` placeholders with positional parameters appended to
 * `params` (a name used twice is one parameter). `::type` casts are left alone.
 */
export function bindNamed(sql: string, named: Record<string, unknown>, params: unknown[]): string {
  const positions = new Map<string, number>();
  return sql.replace(/(?<![:\w]):([a-zA-Z]\w*)/g, (whole, name: string) => {
    if (!(name in named)) throw new Error(`No value for :${name} in an import statement.`);
    let at = positions.get(name);
    if (at === undefined) {
      params.push(named[name]);
      at = params.length;
      positions.set(name, at);
    }
    return `$${at}`;
  });
}

export interface ChangeBatch {
  action: 'CREATE' | 'UPDATE' | 'DELETE';
  dataOwner: string;
  ids: string[];
  subjects: string[];
  fields: string[];
}

/**
 * The import's changes in batches of at most `size` records, per action and
 * data owner, read from the plan in file order (and the removed rows by id):
 * the change log is written without holding all changed ids in memory.
 */
export async function* changeLogBatches(tx: Queryable, size: number): AsyncGenerator<ChangeBatch[]> {
  let after = 0;
  for (;;) {
    const rows = await tx.query<{ line: number; target_id: string; is_new: boolean; changed: string[]; subject: string | null; data_owner: string }>(
      `SELECT line, target_id, is_new, changed, subject, data_owner FROM import_plan
       WHERE line > $1 AND (is_new OR cardinality(changed) > 0) ORDER BY line LIMIT $2`,
      [after, size],
    );
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.line;
    yield group(rows.map((r) => ({ action: r.is_new ? 'CREATE' : 'UPDATE', id: r.target_id, subject: r.subject, owner: r.data_owner, fields: r.changed })));
    if (rows.length < size) break;
  }
  let afterId = '';
  for (;;) {
    const rows = await tx.query<{ id: string; subject: string | null; data_owner: string }>(
      'SELECT id, subject, data_owner FROM import_removed WHERE id > $1 ORDER BY id LIMIT $2',
      [afterId, size],
    );
    if (rows.length === 0) break;
    afterId = rows[rows.length - 1]!.id;
    yield group(rows.map((r) => ({ action: 'DELETE' as const, id: r.id, subject: r.subject, owner: r.data_owner, fields: [] })));
    if (rows.length < size) break;
  }
}

function group(rows: Array<{ action: ChangeBatch['action']; id: string; subject: string | null; owner: string; fields: string[] }>): ChangeBatch[] {
  const batches = new Map<string, { action: ChangeBatch['action']; dataOwner: string; ids: string[]; subjects: Set<string>; fields: Set<string> }>();
  for (const r of rows) {
    const key = `${r.action}\u0000${r.owner}`;
    let b = batches.get(key);
    if (!b) batches.set(key, (b = { action: r.action, dataOwner: r.owner, ids: [], subjects: new Set(), fields: new Set() }));
    b.ids.push(r.id);
    if (r.subject) b.subjects.add(r.subject);
    for (const f of r.fields) b.fields.add(f);
  }
  return [...batches.values()].map((b) => ({ ...b, subjects: [...b.subjects], fields: [...b.fields].sort() }));
}
