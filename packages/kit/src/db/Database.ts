import type { StatementObserver } from './statementTelemetry.js';

/** What resolvers and data loaders see: a place to run SQL, the same on PostgreSQL and PGlite. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

/** One transaction's connection: statements, and bulk loads through COPY. */
export interface Transaction extends Queryable {
  /**
   * Runs `COPY <table> (<columns>) FROM STDIN` with `data` in PostgreSQL's COPY
   * text format (tab-separated, `\N` for NULL, one row per line; see
   * `copyTextLine`). Streams with back-pressure, so memory stays bounded.
   */
  copyFrom(table: string, columns: readonly string[], data: AsyncIterable<string>): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /**
   * Runs `fn` in one transaction; rolls back if it throws. `untimed`: its
   * statements are exempt from the serving statement timeout (migrations, whose
   * length is the data's and which may wait for another starter's lock).
   */
  transaction<T>(fn: (tx: Transaction) => Promise<T>, options?: { untimed?: boolean }): Promise<T>;
  /** Runs a script of several statements (migrations); no parameters. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  /** Called once per statement sent; tests count statements with it. */
  onStatement: ((sql: string) => void) | undefined;
  /** Called when the database stops or starts answering again (a server database only), for the owner's log. */
  onAvailability?: ((available: boolean, cause?: Error) => void) | undefined;
  /** Told each statement's time and each wait for a connection (the owner's metrics); set by the subgraph server. */
  observer: StatementObserver | undefined;
}

/** Postgres type oids whose text form we parse the same way on both drivers. */
export const TypeOid = { INT8: 20, DATE: 1082, NUMERIC: 1700, TIMESTAMPTZ: 1184 } as const;

/** DATE stays 'YYYY-MM-DD' (no time-zone shifts); counts and numerics become numbers. */
export const typeParsers: Record<number, (value: string) => unknown> = {
  [TypeOid.INT8]: (v) => Number(v),
  [TypeOid.NUMERIC]: (v) => Number(v),
  [TypeOid.DATE]: (v) => v,
};

/** One value in COPY text format: backslash, tab, newline and carriage return escaped, null as `\N`. */
export function copyTextValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = value instanceof Date ? value.toISOString() : Array.isArray(value) ? pgArrayLiteral(value) : String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : text;
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A row in COPY text format, ending in a newline. */
export function copyTextLine(values: readonly unknown[]): string {
  return `${values.map(copyTextValue).join('\t')}\n`;
}

/** A text[] literal: every element quoted, so commas, braces and quotes inside survive. */
function pgArrayLiteral(values: readonly unknown[]): string {
  return `{${values.map((v) => (v === null || v === undefined ? 'NULL' : `"${String(v).replace(/[\\"]/g, (c) => `\\${c}`)}"`)).join(',')}}`;
}

/** A quoted SQL identifier (tables and columns named in generated statements). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
