/**
 * A list of a GraphQL result as CSV, the same in the workbench and in
 * `npm run gql -- … --csv`: one row per list item, nested objects as dotted
 * columns, null as an empty cell. A suppressed count is null with its
 * `suppressed` flag beside it, so it stays empty with the flag column saying
 * why: never 0.
 */

/** A list found in a result: where it is (`incidentStatistics.byMonth`) and its items. */
export interface ResultList {
  path: string;
  rows: readonly unknown[];
}

/**
 * Every list in `data`, outermost first. A list inside a list's items is also
 * offered on its own (`years[].byKind`), each of its rows beside its parent's
 * other fields (the year), so a table of tables still comes out flat.
 */
export function listsIn(data: unknown, path = ''): ResultList[] {
  if (Array.isArray(data)) {
    const found: ResultList[] = [{ path, rows: data }];
    const inner = new Set<string>();
    for (const item of data) if (isObject(item)) for (const [key, value] of Object.entries(item)) if (Array.isArray(value)) inner.add(key);
    for (const key of inner) {
      const rows: unknown[] = [];
      for (const item of data) {
        if (!isObject(item) || !Array.isArray(item[key])) continue;
        const parent = Object.fromEntries(Object.entries(item).filter(([, value]) => !Array.isArray(value)));
        for (const child of item[key] as unknown[]) rows.push({ ...parent, [key]: child });
      }
      found.push({ path: `${path}[].${key}`, rows });
    }
    return found;
  }
  if (!isObject(data)) return [];
  const found: ResultList[] = [];
  for (const [key, value] of Object.entries(data)) found.push(...listsIn(value, path ? `${path}.${key}` : key));
  return found;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A row flattened to dotted columns, in the order the fields came; lists inside a row are joined with "; ". */
function flatten(value: unknown, prefix: string, into: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, into);
  } else if (Array.isArray(value)) {
    into.set(prefix, value.map((v) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v))).join('; '));
  } else {
    into.set(prefix || 'value', value);
  }
}

/** One cell: quoted when needed; a text a spreadsheet would run as a formula starts with a quote. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The rows as CSV (header line first, CRLF line ends as RFC 4180 has them). */
export function toCsv(rows: readonly unknown[]): string {
  const flat = rows.map((row) => {
    const columns = new Map<string, unknown>();
    flatten(row, '', columns);
    return columns;
  });
  const header: string[] = [];
  const seen = new Set<string>();
  for (const columns of flat) for (const name of columns.keys()) if (!seen.has(name)) seen.add(name), header.push(name);
  const lines = [header.map(cell).join(','), ...flat.map((columns) => header.map((name) => cell(columns.get(name))).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
