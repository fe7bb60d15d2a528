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
 * Hidden cells that the published cells determine exactly. Every line (its
 * members, then its total, as `cubeLines` gives them) says
 * "the members sum to the total"; over the hidden cells that is a linear
 * system, and a hidden cell is determined when it is a pivot whose reduced row
 * has no free column (Gaussian elimination with partial pivoting; the
 * coefficients are ±1, so the tolerance is safe at these sizes).
 */
export function determinedCells(lines: ReadonlyArray<readonly number[]>, hidden: readonly boolean[]): number[] {
  const unknowns = hidden.flatMap((h, i) => (h ? [i] : []));
  const column = new Map(unknowns.map((cell, j) => [cell, j]));
  const rows: number[][] = [];
  for (const line of lines) {
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
 * Cells bound by lines, each line's members summing to its total: a cube's
 * lines (`cubeLines`), or any others, e.g. a table joined to another owner's
 * published totals (`suppressTable`'s `outsideRowTotals`).
 */
export interface LinkedCells {
  counts: readonly number[];
  lines: ReadonlyArray<readonly number[]>;
  /** Distinct persons behind each cell (the threshold is about persons); the counts themselves if absent. */
  persons?: readonly number[];
  /** Cells that are public anyway (a department's dwellings, say): never hidden, and known to whoever attacks the table. */
  published?: readonly boolean[];
  /**
   * Cells never published here that a caller could still derive (another owner's count less ours, say):
   * hidden from the start and protected like any hidden cell; `small` marks those to treat as fewer than 5.
   */
  unpublished?: readonly boolean[];
  small?: readonly boolean[];
}

/**
 * Which cells of a cube to hide, so that no hidden count with persons behind
 * it can be recovered from what is published, by any linear reasoning over
 * the table and its totals: `suppressCells` over the cube's lines.
 */
export function suppressCube(cube: Cube): boolean[] {
  return suppressCells({ ...cube, lines: cubeLines(cube.sizes) });
}

/**
 * Which cells to hide, so that no hidden count with persons behind it can be
 * recovered from what is published, by any linear reasoning over the lines:
 *
 * 1. a cell with 1–4 persons behind it (or marked `small`) is hidden (primary
 *    suppression), and so is every `unpublished` cell (guarded, below, only
 *    if small);
 * 2. until nothing changes, in every line with exactly one hidden cell (a
 *    guarded one) the
 *    smallest other cell is hidden too, preferring non-zero ones (a hidden
 *    zero protects nothing);
 * 3. while a hidden non-zero guarded cell is still determined by the published cells
 *    — even for someone who knows which hidden cells are zero — one more cell
 *    next to it is hidden and step 2 runs again.
 *
 * Then every hidden non-zero cell can take more than one value consistent
 * with everything published and with counts never being negative (the kit's
 * test checks this with an exact solver). Cells marked `published` are never
 * hidden; should they fix a small cell by themselves, no suppression can help
 * and the cell stays hidden regardless.
 */
export function suppressCells(table: LinkedCells): boolean[] {
  const { counts, lines } = table;
  const persons = table.persons ?? counts;
  const fixed = (i: number) => table.published?.[i] === true;
  const small = (i: number) => (persons[i]! > 0 && persons[i]! < SMALL_CELL_THRESHOLD) || table.small?.[i] === true;
  const hidden = persons.map((_, i) => table.unpublished?.[i] === true || (!fixed(i) && small(i)));
  // An unpublished cell that is not small may be worked out: it is what a caller derives from what is public anyway.
  const guarded = (i: number) => table.unpublished?.[i] !== true || small(i);
  const byCell = new Map<number, (readonly number[])[]>();
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
  /**
   * Nothing to hide next to the exposed cell (its lines are hidden or public
   * anyway, as a difference to another owner's total is): the nearest visible
   * non-zero cell, through the lines of the hidden cells around it, whose
   * hiding leaves the exposed cell undetermined.
   */
  const furtherAway = (exposed: number, unknown: readonly boolean[]): number | undefined => {
    const seen = new Set([exposed]);
    let frontier = [exposed];
    while (frontier.length) {
      const next: number[] = [];
      for (const cell of frontier) for (const line of byCell.get(cell) ?? []) for (const c of line) if (!seen.has(c)) seen.add(c), next.push(c);
      const candidates = next.filter((c) => !hidden[c] && !fixed(c) && counts[c] !== 0).sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
      const breaks = candidates.find((c) => !determinedCells(lines, unknown.map((u, i) => u || i === c)).includes(exposed));
      if (breaks !== undefined) return breaks;
      frontier = next.filter((c) => hidden[c]);
    }
    return undefined;
  };

  for (;;) {
    let changed = true;
    while (changed) {
      changed = false;
      for (const line of lines) {
        const lone = line.filter((c) => hidden[c]);
        if (lone.length !== 1 || !guarded(lone[0]!)) continue;
        const pick = smallestVisible(line);
        if (pick === undefined) continue;
        hidden[pick] = true;
        changed = true;
      }
    }
    // Someone who knows the hidden zeros knows at least this much: they count as published here.
    const unknown = hidden.map((h, i) => h && counts[i] !== 0);
    const exposed = determinedCells(lines, unknown).find(guarded);
    if (exposed === undefined) return hidden;
    const near = (byCell.get(exposed) ?? []).flat();
    const pick = smallestVisible(near, true) ?? furtherAway(exposed, unknown) ?? smallestVisible(counts.keys(), true) ?? smallestVisible(near);
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
 * Per row, another owner's published count that contains the row's total (the
 * police's referrals in an area contain the cases opened on them): the number
 * as a caller can derive it from that owner's published figures; null where no
 * caller can; `'unchecked'` where a caller might but its value is not known
 * here (the other owner did not answer), so the difference counts as small.
 */
export type OutsideTotal = number | null | 'unchecked';

/** Distinct persons behind each row total, column total and the grand total (undefined: not known). */
export interface TotalPersons {
  rows?: readonly (number | undefined)[];
  columns?: readonly (number | undefined)[];
  total?: number | undefined;
}

export interface SuppressTableOptions {
  /** How many persons are behind each cell where that is not the count (same shape as `counts`). */
  persons?: number[][];
  /**
   * Distinct persons behind the totals, where known: one person can be in
   * several cells of a line (referred under both legal bases), so a total's
   * persons are not the sum of its cells'. A total without a figure here
   * counts the most persons behind any one of its cells, which is never more
   * than the truth: it is hidden unless one cell alone has enough persons.
   * Without `persons` the counts are the persons and totals add up.
   */
  totalPersons?: TotalPersons;
  /** The row totals are public anyway: never hidden. */
  publishedRowTotals?: boolean;
  /**
   * One outside total per row (see `OutsideTotal`). The difference, outside
   * total − row total, is then one more cell of the row, never published but
   * derivable by subtraction: it is hidden as a small cell when it is 1–4 or
   * negative (the two owners' counts disagree, and summing rows could bring a
   * small difference back), so the row total and enough cells go with it that
   * neither it nor the row total can be worked out. Its sum over the rows is
   * checked the same way where every row's outside total is derivable.
   */
  outsideRowTotals?: readonly OutsideTotal[];
}

/**
 * A two-dimensional table of counts published with its row and column totals
 * and the grand total, suppressed by `suppressCells`: hidden cells are null.
 * With `outsideRowTotals`, the table is suppressed jointly with another
 * owner's published row totals (one routine, one set of lines).
 */
export function suppressTable(counts: number[][], options: SuppressTableOptions = {}): SuppressedTable {
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
  const table: LinkedCells = {
    counts: flat,
    lines: cubeLines(sizes),
    persons: options.persons ? personsWithTotals(options.persons, options.totalPersons ?? {}) : flat,
    ...(options.publishedRowTotals ? { published: flat.map((_, i) => i % (cols + 1) === cols) } : {}),
  };
  const hidden = suppressCells(options.outsideRowTotals ? joinOutsideTotals(table, rows, cols, options.outsideRowTotals) : table);
  const show = (r: number, c: number) => (hidden[at(r, c)] ? null : flat[at(r, c)]!);
  return {
    cells: counts.map((row, r) => row.map((_, c) => show(r, c))),
    rowTotals: counts.map((_, r) => show(r, cols)),
    columnTotals: Array.from({ length: cols }, (_, c) => show(rows, c)),
    total: show(rows, cols),
  };
}

/**
 * Persons per cell, totals included (rows + 1 by cols + 1, flattened): a
 * total's persons as given, else the most behind one of its cells (a lower
 * bound: a person counted in two cells is one person).
 */
function personsWithTotals(cells: number[][], known: TotalPersons): number[] {
  const cols = cells.length ? cells[0]!.length : 0;
  const most = (values: number[]) => values.reduce((a, b) => Math.max(a, b), 0);
  const grid = cells.map((row, r) => [...row, known.rows?.[r] ?? most(row)]);
  const columns = Array.from({ length: cols }, (_, c) => known.columns?.[c] ?? most(cells.map((row) => row[c]!)));
  grid.push([...columns, known.total ?? most(cells.flat())]);
  return grid.flat();
}

/**
 * The table (rows + 1 by cols + 1, margins included) with two more cells per
 * row, the total row included: the difference D and the outside total T, on
 * the line D + row total = T, and a column line for each (their sums over the
 * rows). T is published where a caller can derive it (a sum only where every
 * row's is); D never is. A value not known here is NaN: it counts as non-zero.
 */
function joinOutsideTotals(table: LinkedCells, rows: number, cols: number, outside: readonly OutsideTotal[]): LinkedCells {
  if (outside.length !== rows) throw new Error(`outsideRowTotals has ${outside.length} rows; the table has ${rows}`);
  const base = table.counts.length;
  const diff = (r: number) => base + r;
  const total = (r: number) => base + rows + 1 + r;
  const rowTotal = (r: number) => r * (cols + 1) + cols;
  const derivable = outside.every((t) => t !== null);
  const grand: OutsideTotal = !derivable ? null : outside.includes('unchecked') ? 'unchecked' : outside.reduce<number>((a, t) => a + (t as number), 0);
  const all = [...outside, grand];
  const counts = [...table.counts];
  const persons = [...(table.persons ?? table.counts)];
  const published = [...(table.published ?? table.counts.map(() => false))];
  const unpublished = table.counts.map(() => false);
  const small = table.counts.map(() => false);
  all.forEach((t, r) => {
    const own = table.counts[rowTotal(r)]!;
    const d = typeof t === 'number' ? t - own : Number.NaN;
    counts[diff(r)] = d;
    // Checked in counts: only the outside owner knows the persons behind the difference.
    persons[diff(r)] = 0;
    published[diff(r)] = false;
    unpublished[diff(r)] = true;
    // Where our total is 0 the difference is the outside total itself: nothing of ours to protect.
    small[diff(r)] = t !== null && own !== 0 && (t === 'unchecked' || d < 0 || (d > 0 && d < SMALL_CELL_THRESHOLD));
    // Nothing between the totals: ours is the outside one, public already (hiding it would protect nothing).
    if (d === 0) published[rowTotal(r)] = true;
    counts[total(r)] = typeof t === 'number' ? t : Number.NaN;
    persons[total(r)] = 0;
    published[total(r)] = t !== null;
    unpublished[total(r)] = t === null;
    small[total(r)] = false;
  });
  const range = <T>(f: (r: number) => T): T[] => Array.from({ length: rows + 1 }, (_, r) => f(r));
  return {
    counts,
    persons,
    published,
    unpublished,
    small,
    lines: [...table.lines, ...range((r) => [diff(r), rowTotal(r), total(r)]), range(diff), range(total)],
  };
}
