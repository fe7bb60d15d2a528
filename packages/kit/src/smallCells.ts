/** Counts of fewer than this many (but more than zero) are never published. */
export const SMALL_CELL_THRESHOLD = 5;

export interface SuppressedTable {
  cells: (number | null)[][];
  rowTotals: (number | null)[];
  columnTotals: (number | null)[];
  total: number | null;
}

const isSmall = (n: number) => n > 0 && n < SMALL_CELL_THRESHOLD;

/**
 * Suppresses small cells of a table published with its margins, and enough
 * other cells that none can be recovered by subtracting from a total: in every
 * row and column (margins included) either no cell or at least two are hidden.
 */
export function suppressTable(counts: number[][]): SuppressedTable {
  const rows = counts.length;
  const cols = rows ? counts[0]!.length : 0;
  // Work on the table extended with its margins: row totals as a last column,
  // column totals as a last row, the grand total in the corner.
  const grid: number[][] = counts.map((r) => [...r, r.reduce((a, b) => a + b, 0)]);
  const columnTotals = Array.from({ length: cols + 1 }, (_, c) => grid.reduce((sum, r) => sum + r[c]!, 0));
  grid.push(columnTotals);
  const hidden = grid.map((r) => r.map(isSmall));

  const lines: Array<Array<[number, number]>> = [];
  for (let r = 0; r <= rows; r++) lines.push(Array.from({ length: cols + 1 }, (_, c) => [r, c] as [number, number]));
  for (let c = 0; c <= cols; c++) lines.push(Array.from({ length: rows + 1 }, (_, r) => [r, c] as [number, number]));

  let changed = true;
  while (changed) {
    changed = false;
    for (const line of lines) {
      const hiddenInLine = line.filter(([r, c]) => hidden[r]![c]!);
      if (hiddenInLine.length !== 1) continue;
      // Hide the smallest other visible cell, preferring non-zero ones (a zero hides nothing).
      const candidates = line
        .filter(([r, c]) => !hidden[r]![c]!)
        .sort(([r1, c1], [r2, c2]) => {
          const a = grid[r1]![c1]!;
          const b = grid[r2]![c2]!;
          return (a === 0 ? 1 : 0) - (b === 0 ? 1 : 0) || a - b;
        });
      const pick = candidates[0];
      if (!pick) continue;
      hidden[pick[0]]![pick[1]] = true;
      changed = true;
    }
  }
  const show = (r: number, c: number) => (hidden[r]![c]! ? null : grid[r]![c]!);
  return {
    cells: counts.map((row, r) => row.map((_, c) => show(r, c))),
    rowTotals: counts.map((_, r) => show(r, cols)),
    columnTotals: Array.from({ length: cols }, (_, c) => show(rows, c)),
    total: show(rows, cols),
  };
}
