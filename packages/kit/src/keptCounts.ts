import type { Queryable } from './db/Database.js';
import { SMALL_CELL_THRESHOLD, type TotalPersons } from './smallCells.js';

/** Counts kept by `kept_counts_install` (kit migration 004): its counts table, group column and person column. */
export interface KeptCounts {
  table: string;
  group: string;
  person: string;
}

/** A kept table as `suppressTable` takes it: areas × groups, with the distinct persons behind cells and totals. */
export interface KeptTable {
  counts: number[][];
  persons: number[][];
  totalPersons: TotalPersons;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Reads kept counts per area and group. A total's persons are counted
 * distinct only where the cells cannot settle it: when one cell alone has
 * enough persons the total does too, and when the cells' persons add up to
 * fewer the total has fewer. In between (every cell small, their sum not) one
 * person may be in several cells, so the few rows behind those cells are
 * counted; on a large partnership nothing more is read.
 */
export async function readKeptCounts(db: Queryable, kept: KeptCounts, areas: readonly string[], groups: readonly string[]): Promise<KeptTable> {
  for (const name of [kept.table, kept.group, kept.person]) if (!IDENTIFIER.test(name)) throw new Error(`not a plain SQL name: ${name}`);
  const rows = await db.query<{ areaId: string; grp: string; total: number; persons: number }>(
    `SELECT area_id AS "areaId", ${kept.group} AS grp, total, persons FROM ${kept.table}`,
  );
  const cell = (areaId: string, grp: string) => rows.find((r) => r.areaId === areaId && r.grp === grp);
  const counts = areas.map((a) => groups.map((g) => cell(a, g)?.total ?? 0));
  const persons = areas.map((a) => groups.map((g) => cell(a, g)?.persons ?? 0));

  const unsettled = (line: number[]) => Math.max(0, ...line) < SMALL_CELL_THRESHOLD && line.reduce((a, b) => a + b, 0) >= SMALL_CELL_THRESHOLD;
  const distinct = async (column: 'area_id' | 'grp', keys: readonly string[]): Promise<Map<string, number>> => {
    if (keys.length === 0) return new Map();
    const by = column === 'area_id' ? 'area_id' : kept.group;
    const found = await db.query<{ key: string; persons: number }>(
      `SELECT ${by} AS key, count(DISTINCT ${kept.person})::int AS persons FROM ${kept.table}_persons WHERE ${by} = ANY($1) GROUP BY ${by}`,
      [keys],
    );
    return new Map(found.map((r) => [r.key, r.persons]));
  };
  const byArea = await distinct('area_id', areas.filter((_, r) => unsettled(persons[r]!)));
  const byGroup = await distinct('grp', groups.filter((_, c) => unsettled(persons.map((row) => row[c]!))));
  let total: number | undefined;
  if (unsettled(persons.flat())) {
    const [all] = await db.query<{ persons: number }>(`SELECT count(DISTINCT ${kept.person})::int AS persons FROM ${kept.table}_persons`);
    total = all?.persons ?? 0;
  }
  return {
    counts,
    persons,
    totalPersons: { rows: areas.map((a) => byArea.get(a)), columns: groups.map((g) => byGroup.get(g)), total },
  };
}
