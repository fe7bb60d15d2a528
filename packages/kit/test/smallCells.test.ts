import { describe, expect, it } from 'vitest';
import { suppressTable, SMALL_CELL_THRESHOLD } from '../src/index.js';

/** Every line (row, column, margins included) must hide either none or at least two cells. */
function assertNoSingleHidden(table: ReturnType<typeof suppressTable>) {
  const grid = [...table.cells.map((row, r) => [...row, table.rowTotals[r]!]), [...table.columnTotals, table.total]];
  const lines = [...grid, ...grid[0]!.map((_, c) => grid.map((row) => row[c]!))];
  for (const line of lines) {
    const hidden = line.filter((v) => v === null).length;
    expect(hidden === 0 || hidden >= 2).toBe(true);
  }
}

describe('small-cell suppression', () => {
  it('hides counts from 1 to 4 and keeps the rest', () => {
    const t = suppressTable([[0, 3, 20, 40]]);
    expect(t.cells[0]![1]).toBeNull();
    expect(t.cells[0]![0]).toBe(0);
    for (const v of t.cells.flat()) if (v !== null) expect(v === 0 || v >= SMALL_CELL_THRESHOLD).toBe(true);
  });

  it('hides a second cell so the first cannot be recovered from a total', () => {
    const t = suppressTable([
      [3, 20, 40],
      [10, 12, 50],
    ]);
    expect(t.cells[0]![0]).toBeNull();
    assertNoSingleHidden(t);
    // The row total is published; with one hidden cell it would give the 3 away.
    const visible = t.cells[0]!.filter((v): v is number => v !== null);
    expect(visible.length).toBeLessThanOrEqual(1);
  });

  it('holds for random tables', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 300; i++) {
      const rows = 1 + Math.floor(rand() * 12);
      const cols = 1 + Math.floor(rand() * 8);
      const counts = Array.from({ length: rows }, () => Array.from({ length: cols }, () => Math.floor(rand() * 12)));
      const t = suppressTable(counts);
      assertNoSingleHidden(t);
      counts.forEach((row, r) => row.forEach((v, c) => v > 0 && v < 5 && expect(t.cells[r]![c]).toBeNull()));
    }
  });
});
