/** Counts of fewer than this many persons (but more than none) are never published. */
export const SMALL_CELL_THRESHOLD = 5;

/**
 * A table of any number of dimensions published with all its totals: along
 * each dimension the members, then the total as the last position (`sizes[d]`
 * counts both). Cells are in row-major order.
 */
export interface Cube {
  sizes: readonly number[];
  counts: readonly number[];
  /** Distinct persons behind each cell (the threshold is about persons); the counts themselves if absent. */
  persons?: readonly number[];
  /** Cells that are public anyway (a department's dwellings, say): never hidden, and known to whoever attacks the table. */
  published?: readonly boolean[];
}

/** Every line of the cube: all positions along one dimension, the total (last) included. */
export function cubeLines(sizes: readonly number[]): number[][] {
  const strides = sizes.map((_, d) => sizes.slice(d + 1).reduce((a, b) => a * b, 1));
  const cells = sizes.reduce((a, b) => a * b, 1);
  const lines: number[][] = [];
  sizes.forEach((size, d) => {
    for (let offset = 0; offset < cells; offset++) {
      if (Math.floor(offset / strides[d]!) % size !== 0) continue;
      lines.push(Array.from({ length: size }, (_, i) => offset + i * strides[d]!));
    }
  });
  return lines;
}

/**
 * Hidden cells that the published cells determine exactly. Every line says
 * "the members sum to the total"; over the hidden cells that is a linear
 * system, and a hidden cell is determined when it is a pivot whose reduced row
 * has no free column (Gaussian elimination with partial pivoting; the
 * coefficients are ±1, so the tolerance is safe at these sizes).
 */
export function determinedCells(sizes: readonly number[], hidden: readonly boolean[]): number[] {
  const unknowns = hidden.flatMap((h, i) => (h ? [i] : []));
  const column = new Map(unknowns.map((cell, j) => [cell, j]));
  const rows: number[][] = [];
  for (const line of cubeLines(sizes)) {
    const row = new Array<number>(unknowns.length).fill(0);
    let any = false;
    line.forEach((cell, i) => {
      const j = column.get(cell);
      if (j === undefined) return;
      row[j] = i === line.length - 1 ? -1 : 1;
      any = true;
    });
    if (any) rows.push(row);
  }
  const EPS = 1e-9;
  const pivots: Array<[row: number, col: number]> = [];
  let r = 0;
  for (let c = 0; c < unknowns.length && r < rows.length; c++) {
    let best = r;
    for (let i = r + 1; i < rows.length; i++) if (Math.abs(rows[i]![c]!) > Math.abs(rows[best]![c]!)) best = i;
    if (Math.abs(rows[best]![c]!) < EPS) continue;
    [rows[r], rows[best]] = [rows[best]!, rows[r]!];
    const pivot = rows[r]!;
    const scale = pivot[c]!;
    for (let j = 0; j < pivot.length; j++) pivot[j]! /= scale;
    for (let i = 0; i < rows.length; i++) {
      const f = rows[i]![c]!;
      if (i === r || Math.abs(f) < EPS) continue;
      for (let j = 0; j < pivot.length; j++) rows[i]![j]! -= f * pivot[j]!;
    }
    pivots.push([r, c]);
    r++;
  }
  const pivotCols = new Set(pivots.map(([, c]) => c));
  return pivots
    .filter(([row]) => rows[row]!.every((v, j) => pivotCols.has(j) || Math.abs(v) < EPS))
    .map(([, c]) => unknowns[c]!);
}

/**
 * Which cells of a cube to hide, so that no hidden count with persons behind
 * it can be recovered from what is published, by any linear reasoning over
 * the table and its totals:
 *
 * 1. a cell with 1–4 persons behind it is hidden (primary suppression);
 * 2. until nothing changes, in every line with exactly one hidden cell the
 *    smallest other cell is hidden too, preferring non-zero ones (a hidden
 *    zero protects nothing);
 * 3. while a hidden non-zero cell is still determined by the published cells
 *    — even for someone who knows which hidden cells are zero — one more cell
 *    next to it is hidden and step 2 runs again.
 *
 * Then every hidden non-zero cell can take more than one value consistent
 * with everything published and with counts never being negative (the kit's
 * test checks this with an exact solver). Cells marked `published` are never
 * hidden; should they fix a small cell by themselves, no suppression can help
 * and the cell stays hidden regardless.
 */
export function suppressCube(cube: Cube): boolean[] {
  const { sizes, counts } = cube;
  const persons = cube.persons ?? counts;
  const fixed = (i: number) => cube.published?.[i] === true;
  const hidden = persons.map((p, i) => p > 0 && p < SMALL_CELL_THRESHOLD && !fixed(i));
  const lines = cubeLines(sizes);
  const byCell = new Map<number, number[][]>();
  for (const line of lines) {
    for (const c of line) {
      const list = byCell.get(c);
      if (list) list.push(line);
      else byCell.set(c, [line]);
    }
  }
  /** Non-zero before zero, then smaller before larger. */
  const better = (a: number, b: number) => ((counts[a] === 0) !== (counts[b] === 0) ? counts[a] !== 0 : counts[a]! < counts[b]!);
  /** The best visible cell one may still hide. */
  const smallestVisible = (cells: Iterable<number>, nonZeroOnly = false) => {
    let pick: number | undefined;
    for (const c of cells) {
      if (hidden[c] || fixed(c) || (nonZeroOnly && counts[c] === 0)) continue;
      if (pick === undefined || better(c, pick)) pick = c;
    }
    return pick;
  };

  for (;;) {
    let changed = true;
    while (changed) {
      changed = false;
      for (const line of lines) {
        if (line.filter((c) => hidden[c]).length !== 1) continue;
        const pick = smallestVisible(line);
        if (pick === undefined) continue;
        hidden[pick] = true;
        changed = true;
      }
    }
    // Someone who knows the hidden zeros knows at least this much: they count as published here.
    const unknown = hidden.map((h, i) => h && counts[i] !== 0);
    const exposed = determinedCells(sizes, unknown)[0];
    if (exposed === undefined) return hidden;
    const near = byCell.get(exposed)!.flat();
    const pick = smallestVisible(near, true) ?? smallestVisible(counts.keys(), true) ?? smallestVisible(near);
    // Nothing left to hide: what must be published fixes the cell; it stays hidden all the same.
    if (pick === undefined) return hidden;
    hidden[pick] = true;
  }
}

export interface SuppressedTable {
  cells: (number | null)[][];
  rowTotals: (number | null)[];
  columnTotals: (number | null)[];
  total: number | null;
}

/**
 * A two-dimensional table of counts published with its row and column totals
 * and the grand total, suppressed by `suppressCube`: hidden cells are null.
 * `persons` (same shape as `counts`) says how many persons are behind each
 * cell where that is not the count; `publishedRowTotals` marks row totals that
 * are public anyway and so never hidden.
 */
export function suppressTable(counts: number[][], options: { persons?: number[][]; publishedRowTotals?: boolean } = {}): SuppressedTable {
  const rows = counts.length;
  const cols = rows ? counts[0]!.length : 0;
  const withMargins = (table: number[][]) => {
    const grid = table.map((r) => [...r, r.reduce((a, b) => a + b, 0)]);
    grid.push(Array.from({ length: cols + 1 }, (_, c) => grid.reduce((sum, r) => sum + r[c]!, 0)));
    return grid.flat();
  };
  const flat = withMargins(counts);
  const sizes = [rows + 1, cols + 1];
  const at = (r: number, c: number) => r * (cols + 1) + c;
  const hidden = suppressCube({
    sizes,
    counts: flat,
    persons: options.persons ? withMargins(options.persons) : flat,
    ...(options.publishedRowTotals ? { published: flat.map((_, i) => i % (cols + 1) === cols) } : {}),
  });
  const show = (r: number, c: number) => (hidden[at(r, c)] ? null : flat[at(r, c)]!);
  return {
    cells: counts.map((row, r) => row.map((_, c) => show(r, c))),
    rowTotals: counts.map((_, r) => show(r, cols)),
    columnTotals: Array.from({ length: cols }, (_, c) => show(rows, c)),
    total: show(rows, cols),
  };
}
