import type { Database } from '@partnergraph/subgraph-kit';
import { explainAnalyze, isQuery, type RecordedStatement } from '@partnergraph/subgraph-kit/testing';

export { StatementRecorder } from '@partnergraph/subgraph-kit/testing';

/** EXPLAIN (ANALYZE, BUFFERS) of each recorded query, as printable text; writes are listed, not run again. */
export async function explainStatements(statements: readonly RecordedStatement[], dbOf: (owner: string) => Database): Promise<string> {
  const out: string[] = [];
  for (const [i, s] of statements.entries()) {
    out.push(`── ${i + 1}. ${s.owner}: ${s.sql.replace(/\s+/g, ' ').trim()}`);
    if (s.params.length) out.push(`   params: ${JSON.stringify(s.params).slice(0, 300)}`);
    if (isQuery(s)) out.push(...(await explainAnalyze(dbOf(s.owner), s)).map((line) => `   ${line}`), '');
    else out.push('   (writes; not run again)', '');
  }
  return out.join('\n');
}
