/** What resolvers and data loaders see: a place to run SQL, the same on PostgreSQL and PGlite. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction; rolls back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations); no parameters. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  /** Called once per statement sent; tests count statements with it. */
  onStatement: ((sql: string) => void) | undefined;
}

/** Postgres type oids whose text form we parse the same way on both drivers. */
export const TypeOid = { INT8: 20, DATE: 1082, NUMERIC: 1700, TIMESTAMPTZ: 1184 } as const;

/** DATE stays 'YYYY-MM-DD' (no time-zone shifts); counts and numerics become numbers. */
export const typeParsers: Record<number, (value: string) => unknown> = {
  [TypeOid.INT8]: (v) => Number(v),
  [TypeOid.NUMERIC]: (v) => Number(v),
  [TypeOid.DATE]: (v) => v,
};
