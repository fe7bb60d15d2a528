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

/** One node of a plan that reads a table: how (`Seq Scan`, `Index Scan`, `Bitmap Index Scan`…), which relation, which index. */
export interface PlanScan {
  nodeType: string;
  relation?: string;
  index?: string;
}

/** The scans in the planner's chosen plan for a recorded query (EXPLAIN, not run). */
export async function planScans(db: Queryable, statement: RecordedStatement): Promise<PlanScan[]> {
  const [row] = await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${statement.sql}`, statement.params);
  const raw = row!['QUERY PLAN'];
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ Plan: PlanNode }>;
  const scans: PlanScan[] = [];
  const walk = (node: PlanNode) => {
    if (node['Relation Name'] || node['Index Name']) {
      scans.push({
        nodeType: node['Node Type'],
        ...(node['Relation Name'] ? { relation: node['Relation Name'] } : {}),
        ...(node['Index Name'] ? { index: node['Index Name'] } : {}),
      });
    }
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(plan[0]!.Plan);
  return scans;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** EXPLAIN (ANALYZE, BUFFERS) of a recorded query, as PostgreSQL prints it. */
export async function explainAnalyze(db: Queryable, statement: RecordedStatement): Promise<string[]> {
  const rows = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, statement.params);
  return rows.map((r) => r['QUERY PLAN']);
}
