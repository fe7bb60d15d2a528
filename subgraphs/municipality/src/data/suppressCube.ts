import { SMALL_CELL_THRESHOLD } from '@partnergraph/subgraph-kit';

/**
 * A table of any number of dimensions, each with its members and a total as
 * the last position (`sizes[d]` counts both). Cell values are in row-major order.
 */
export interface Cube {
  sizes: number[];
  counts: number[];
  /** Distinct persons behind each cell: the threshold is about persons, not records. */
  persons: number[];
}

/** Every line of the cube: all positions along one dimension, the total (last) included. */
function cubeLines(sizes: number[]): number[][] {
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
 * Hidden cells that the published cells determine exactly: every line says
 * "members sum to the total", and a hidden cell is safe only if some solution
 * of those equations can change it. Gaussian elimination over the hidden cells:
 * a cell is determined when it is a pivot whose row has no free column.
 */
export function determinedCells(sizes: number[], hidden: readonly boolean[]): number[] {
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
 * The kit's `suppressTable` rule in any number of dimensions: a cell is hidden
 * when 1–4 persons are behind it, and then, until nothing changes, in every
 * line that has exactly one hidden cell, the smallest other visible cell is
 * hidden too, preferring non-zero ones. That rule alone can leave a hidden
 * cell fixed by a combination of lines, so while any is (`determinedCells`),
 * one more cell next to it is hidden and the rule runs again. Returns the
 * hidden mask; every request is a slice of it, so no answers combine into a
 * hidden number.
 */
export function suppressCube(cube: Cube): boolean[] {
  const { sizes, counts, persons } = cube;
  const hidden = persons.map((p) => p > 0 && p < SMALL_CELL_THRESHOLD);
  const lines = cubeLines(sizes);
  const smallestVisible = (cells: number[]) =>
    cells.filter((c) => !hidden[c]).sort((a, b) => (counts[a] === 0 ? 1 : 0) - (counts[b] === 0 ? 1 : 0) || counts[a]! - counts[b]!)[0];

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
    const exposed = determinedCells(sizes, hidden)[0];
    if (exposed === undefined) return hidden;
    const pick = smallestVisible(lines.filter((l) => l.includes(exposed)).flat()) ?? smallestVisible(counts.map((_, i) => i));
    // Unreachable (with every cell hidden, nothing is determined); hide all rather than loop.
    if (pick === undefined) return hidden.map(() => true);
    hidden[pick] = true;
  }
}
