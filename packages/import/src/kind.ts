import type { Purpose } from '@partnergraph/vocabulary';
import type { Queryable, RequestAuthorizer } from '@partnergraph/subgraph-kit';
import type { ValueType } from './values.js';

/** One column of a kind of file. */
export interface Column<T = any> {
  /** The canonical name: the JSON Lines key and the English header. */
  field: string;
  /** Header names a file may use, Danish first (the CSV export writes the first). Matching ignores case, accents and punctuation. */
  headers: readonly string[];
  type: ValueType<T>;
  /** An empty cell means "none" (otherwise a value is required). */
  nullable?: boolean;
  /** The file may leave the column out: existing rows keep their value, new rows get the default. */
  optional?: boolean;
  /** Personal data: rejection reports never repeat its value. */
  personal?: boolean;
  /** For the column listing and the README. */
  description: string;
}

/** What every rule of an import knows about who imports. */
export interface ImportEnv {
  /** The importing principal's organisation. */
  organisation: string;
  authz: RequestAuthorizer;
  /** Today, `yyyy-mm-dd` (UTC). */
  today: string;
  /** Fields of the columns present in the file. */
  present: ReadonlySet<string>;
}

/** A row's values by field, as the column types parsed them (null: empty; undefined: column not in the file). */
export type Values = Record<string, any>;

/** Records a reason a row is refused, against a column's field (or `-` for the row). */
export type Reject = (field: string, reason: string) => void;

/**
 * SQL pieces are written against fixed names: the staging table `s`
 * (`import_stage`, one row per file row, with `line`), the owner's table as
 * its resource alias (the alias its policies' SQL uses, e.g. `t`), and
 * `:organisation`, `:principal`, `:today` as parameters.
 */
export interface ImportTarget {
  /** The owner's table and the alias its policy SQL uses. */
  table: string;
  alias: string;
  /** The row's id in the disclosure log (an SQL expression over the alias). */
  id: string;
  /** Joins a stage row `s` to the existing row it is (the natural key). */
  match: string;
  /**
   * The existing rows the file speaks for: those absent from the file are
   * "removed". May refer to `import_stage s` (e.g. the years in the file).
   */
  scope: string;
  /** Fields compared to tell changed from unchanged: [stage SQL, target SQL]. */
  compare: Record<string, readonly [string, string]>;
  /** Rows that stay even when missing from the file, and why (other records depend on them). */
  keep?: { sql: string; reason: string };
  /** Personal data: the data subject, over the stage row and over the target row. */
  subject?: readonly [string, string];
  /** Whose record it is, for the log (stage SQL, target SQL). */
  dataOwner: readonly [string, string];
}

export interface ImportMerge {
  /** SQL giving a new row's id (sequences); run only when writing, so dry runs use up no ids. */
  newId: string;
  /** Writes the plan: `import_plan p` holds every stage column, `id`, `is_new` and `changed` (text[] of fields). */
  insert: string;
  update: string;
  /** Deletes the rows in `import_removed r` (`r.id`). */
  remove: string;
  /** Statements after the merge (child tables, derived rows), in order. */
  after?: readonly string[];
}

export interface ExportQuery {
  /** Columns as the owner's GraphQL type names them (so the policies see the same row). */
  columns: string;
  from: string;
  /** Keyset order: SQL expressions, and the row properties holding them. */
  order: ReadonlyArray<readonly [string, string]>;
  /** A row back to the file's values by field. */
  values(row: any): Values;
}

/** One kind of file an owner imports and exports, and how it merges into the owner's tables. */
export interface ImportKind<Prepared = unknown> {
  owner: string;
  name: string;
  /** One line for listings: what the file is and where it comes from. */
  title: string;
  /** The policy resource type: imports need `<Type>:import`, exports `<Type>:export`. */
  entityType: string;
  /** Purposes an import may run under; the first is the default. */
  purposes: readonly Purpose[];
  columns: readonly Column[];
  /** Reference data the rows are checked against, read once before the rows. */
  prepare?(db: Queryable, env: ImportEnv): Promise<Prepared>;
  /**
   * The owner's rules for one row (the same rules its GraphQL mutations
   * apply), after the column types have parsed it: returns the staged values
   * (keys of `stage`), or null after `reject` was called.
   */
  check(values: Values, env: ImportEnv, prepared: Prepared, reject: Reject): Record<string, unknown> | null;
  /** The staged row as the owner's policies see it (a row of the GraphQL type, e.g. `{ companyId }`). */
  resource(staged: Record<string, unknown>, env: ImportEnv): object;
  /** Staging columns (the keys `check` returns) and their SQL types; the stage column for a field is named as in `compare`. */
  stage: Record<string, string>;
  /** Within one file each of these keys names one row (stage SQL expressions; rows where any is null are not compared). */
  uniqueKeys: ReadonlyArray<{ columns: readonly string[]; fields: readonly string[] }>;
  /** Checks over the whole file that need the database (stage SQL returning `line`, `field`, `reason`). */
  setChecks?: readonly string[];
  target: ImportTarget;
  merge: ImportMerge;
  /** The data owner the import's summary row is logged for (whose auditors read it). */
  dataOwner(env: ImportEnv): string;
  export: ExportQuery;
}
