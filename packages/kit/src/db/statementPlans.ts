import pg from 'pg';
import type { Database, Queryable } from './Database.js';

/** One statement an owner's subgraph sent, with its parameters. */
export interface RecordedStatement {
  owner: string;
  sql: string;
  params: readonly unknown[];
}

/**
 * Records the statements sent to owners' databases, parameters included, while
 * recording: what a request really runs, for plan tests and the benchmarks'
 * EXPLAIN tools.
 */
export class StatementRecorder {
  readonly statements: RecordedStatement[] = [];
  private recording = false;

  /** The owner's database, recording every statement it is sent. */
  wrap<D extends Database>(owner: string, db: D): D {
    const record = (target: Queryable): Queryable => ({
      query: (sql, params) => {
        if (this.recording) this.statements.push({ owner, sql, params: params ?? [] });
        return target.query(sql, params);
      },
    });
    return Object.assign(Object.create(db) as D, {
      query: record(db).query,
      transaction: <T>(fn: (tx: Queryable) => Promise<T>) => db.transaction((tx) => fn(record(tx))),
    });
  }

  /** What `fn` sends. */
  async during(fn: () => Promise<unknown>): Promise<RecordedStatement[]> {
    const from = this.statements.length;
    this.recording = true;
    try {
      await fn();
    } finally {
      this.recording = false;
    }
    return this.statements.slice(from);
  }
}

/** A read statement (its plan may be asked for); writes are not run again. */
export const isQuery = (statement: RecordedStatement) => /^\s*(SELECT|WITH)\b/i.test(statement.sql) && !/\bFOR\s+UPDATE\b/i.test(statement.sql);

/** One node of a plan: what it does (`Seq Scan`, `Index Scan`, `Sort`…) and, where it reads a table, which relation and index. */
export interface PlanScan {
  nodeType: string;
  relation?: string;
  index?: string;
  /** What the index itself tests, and what is tested on each row fetched (as PostgreSQL prints them). */
  indexCond?: string;
  filter?: string;
}

/** A parameter as PostgreSQL's text input reads it (arrays as array literals). */
function parameterText(value: unknown): string {
  if (Array.isArray(value)) {
    const element = (v: unknown): string => (v === null || v === undefined ? 'NULL' : Array.isArray(v) ? parameterText(v) : `"${parameterText(v).replace(/[\\"]/g, '\\$&')}"`);
    return `{${value.map(element).join(',')}}`;
  }
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/**
 * The scans in the planner's chosen plan for a recorded query (EXPLAIN, not
 * run). `generic`: the plan made without the parameters' values, which a
 * statement kept prepared may be answered by after its first executions
 * (PostgreSQL only; the statement is prepared and dropped in a transaction).
 */
export async function planScans(db: Database, statement: RecordedStatement, options: { generic?: boolean } = {}): Promise<PlanScan[]> {
  return (await planNodes(db, statement, options)).filter((node) => node.relation || node.index);
}

/** Every node of the planner's chosen plan (as `planScans`), e.g. to find a `Sort` the plan needs. */
export async function planNodes(db: Database, statement: RecordedStatement, options: { generic?: boolean } = {}): Promise<PlanScan[]> {
  const explain = async (q: Queryable) => {
    if (!options.generic || statement.params.length === 0) return q.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${statement.sql}`, statement.params);
    await q.query(`PREPARE partnergraph_plan_check AS ${statement.sql}`);
    // EXECUTE takes no bind parameters: the values go in as literals.
    const args = statement.params.map((p) => (p === null || p === undefined ? 'NULL' : pg.escapeLiteral(parameterText(p)))).join(', ');
    // A prepared statement outlives a rolled-back transaction: it is dropped whatever happens.
    await q.query('SAVEPOINT plan_check');
    try {
      // PostgreSQL decides between its custom and generic plan after five executions, as a kept statement meets it.
      for (let i = 0; i < 5; i++) await q.query(`EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE partnergraph_plan_check(${args})`);
      return await q.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) EXECUTE partnergraph_plan_check(${args})`);
    } catch (error) {
      await q.query('ROLLBACK TO SAVEPOINT plan_check');
      throw error;
    } finally {
      await q.query('DEALLOCATE partnergraph_plan_check');
    }
  };
  const [row] = options.generic ? await db.transaction(explain) : await explain(db);
  const raw = row!['QUERY PLAN'];
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ Plan: PlanNode }>;
  const nodes: PlanScan[] = [];
  const walk = (node: PlanNode) => {
    nodes.push({
      nodeType: node['Node Type'],
      ...(node['Relation Name'] ? { relation: node['Relation Name'] } : {}),
      ...(node['Index Name'] ? { index: node['Index Name'] } : {}),
      ...(node['Index Cond'] ? { indexCond: node['Index Cond'] } : {}),
      ...(node['Filter'] ? { filter: node['Filter'] } : {}),
    });
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(plan[0]!.Plan);
  return nodes;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Filter?: string;
  Plans?: PlanNode[];
}

/** EXPLAIN (ANALYZE, BUFFERS) of a recorded query, as PostgreSQL prints it. */
export async function explainAnalyze(db: Queryable, statement: RecordedStatement): Promise<string[]> {
  const rows = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, statement.params);
  return rows.map((r) => r['QUERY PLAN']);
}
