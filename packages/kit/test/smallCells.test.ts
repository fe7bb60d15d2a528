import { describe, expect, it } from 'vitest';
import { cubeLines, SMALL_CELL_THRESHOLD, suppressCube, suppressTable, type OutsideTotal } from '../src/index.js';

/**
 * The attacker: knows every published cell and that the table adds up (each
 * line's members sum to its total) and that no count is negative, and solves
 * for the hidden cells exactly — rational arithmetic, no rounding — with a
 * linear program per hidden cell: its smallest and largest possible value.
 * A cell whose two agree is recovered.
 */

/** Exact rationals on BigInt. */
class Q {
  readonly n: bigint;
  readonly d: bigint;
  constructor(n: bigint, d = 1n) {
    if (d === 0n) throw new Error('division by zero');
    if (d < 0n) [n, d] = [-n, -d];
    const g = gcd(n < 0n ? -n : n, d);
    this.n = g > 1n ? n / g : n;
    this.d = g > 1n ? d / g : d;
  }
  static of(x: number | bigint) {
    return new Q(BigInt(x));
  }
  add(o: Q) {
    return new Q(this.n * o.d + o.n * this.d, this.d * o.d);
  }
  sub(o: Q) {
    return new Q(this.n * o.d - o.n * this.d, this.d * o.d);
  }
  mul(o: Q) {
    return new Q(this.n * o.n, this.d * o.d);
  }
  div(o: Q) {
    return new Q(this.n * o.d, this.d * o.n);
  }
  neg() {
    return new Q(-this.n, this.d);
  }
  sign() {
    return this.n === 0n ? 0 : this.n > 0n ? 1 : -1;
  }
  cmp(o: Q) {
    return this.sub(o).sign();
  }
}
function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a || 1n;
}
const ZERO = Q.of(0);
const ONE = Q.of(1);

/**
 * min c·y subject to A y = b, y ≥ 0, by the two-phase simplex method with
 * Bland's rule (no cycling). Returns the optimum, or null when unbounded.
 */
function simplexMin(A: Q[][], b: Q[], c: Q[]): Q | null {
  const m = A.length;
  const n = c.length;
  // Tableau rows: [coefficients of n variables + m artificials | rhs], rhs made non-negative.
  const T: Q[][] = A.map((row, i) => {
    const flip = b[i]!.sign() < 0;
    const r = row.map((v) => (flip ? v.neg() : v));
    for (let k = 0; k < m; k++) r.push(k === i ? ONE : ZERO);
    r.push(flip ? b[i]!.neg() : b[i]!);
    return r;
  });
  const basis = Array.from({ length: m }, (_, i) => n + i);
  const width = n + m;
  const pivot = (row: number, col: number) => {
    const p = T[row]![col]!;
    T[row] = T[row]!.map((v) => v.div(p));
    for (let i = 0; i < m; i++) {
      if (i === row || T[i]![col]!.sign() === 0) continue;
      const f = T[i]![col]!;
      T[i] = T[i]!.map((v, j) => v.sub(f.mul(T[row]![j]!)));
    }
    basis[row] = col;
  };
  /** Minimises `cost` over the columns allowed; false if unbounded. */
  const run = (cost: Q[], allowed: (j: number) => boolean): boolean => {
    for (;;) {
      // Reduced costs: cost_j − Σ cost_basis · T_ij.
      let enter = -1;
      for (let j = 0; j < width && enter < 0; j++) {
        if (!allowed(j) || basis.includes(j)) continue;
        let reduced = cost[j]!;
        for (let i = 0; i < m; i++) reduced = reduced.sub(cost[basis[i]!]!.mul(T[i]![j]!));
        if (reduced.sign() < 0) enter = j;
      }
      if (enter < 0) return true;
      let leave = -1;
      let best: Q | null = null;
      for (let i = 0; i < m; i++) {
        if (T[i]![enter]!.sign() <= 0) continue;
        const ratio = T[i]![width]!.div(T[i]![enter]!);
        if (best === null || ratio.cmp(best) < 0 || (ratio.cmp(best) === 0 && basis[i]! < basis[leave]!)) {
          best = ratio;
          leave = i;
        }
      }
      if (leave < 0) return false;
      pivot(leave, enter);
    }
  };
  const phase1 = Array.from({ length: width }, (_, j) => (j >= n ? ONE : ZERO));
  run(phase1, () => true);
  const infeasibility = basis.reduce((s, j, i) => (j >= n ? s.add(T[i]![width]!) : s), ZERO);
  if (infeasibility.sign() !== 0) throw new Error('the published table is inconsistent with its own cells');
  // Drive artificials (at zero) out of the basis where possible; rows where not are redundant.
  for (let i = 0; i < m; i++) {
    if (basis[i]! < n) continue;
    const col = T[i]!.findIndex((v, j) => j < n && v.sign() !== 0);
    if (col >= 0) pivot(i, col);
  }
  const cost = [...c, ...Array.from({ length: m }, () => ZERO)];
  if (!run(cost, (j) => j < n)) return null;
  return basis.reduce((s, j, i) => s.add(cost[j]!.mul(T[i]![width]!)), ZERO);
}

/** For each hidden cell, [min, max] over everything consistent with the published cells and lines (max null = unbounded). */
function feasibleRanges(lines: ReadonlyArray<readonly number[]>, counts: readonly number[], hidden: readonly boolean[]): Map<number, [Q, Q | null]> {
  const unknowns = hidden.flatMap((h, i) => (h ? [i] : []));
  const column = new Map(unknowns.map((cell, j) => [cell, j]));
  const A: Q[][] = [];
  const b: Q[] = [];
  for (const line of lines) {
    const row = unknowns.map(() => ZERO);
    let rhs = ZERO;
    let any = false;
    line.forEach((cell, i) => {
      const coefficient = i === line.length - 1 ? Q.of(-1) : ONE;
      const j = column.get(cell);
      if (j === undefined) rhs = rhs.sub(coefficient.mul(Q.of(counts[cell]!)));
      else {
        row[j] = coefficient;
        any = true;
      }
    });
    if (any) {
      A.push(row);
      b.push(rhs);
    }
  }
  const ranges = new Map<number, [Q, Q | null]>();
  unknowns.forEach((cell, j) => {
    const unit = unknowns.map((_, k) => (k === j ? ONE : ZERO));
    const min = simplexMin(A, b, unit)!;
    const negMax = simplexMin(A, b, unit.map((v) => v.neg()));
    ranges.set(cell, [min, negMax === null ? null : negMax.neg()]);
  });
  return ranges;
}

/** The cells the attacker pins down: hidden, and only one value possible. */
function recovered(lines: ReadonlyArray<readonly number[]>, counts: readonly number[], hidden: readonly boolean[]): number[] {
  return [...feasibleRanges(lines, counts, hidden)].filter(([, [min, max]]) => max !== null && min.cmp(max) === 0).map(([cell]) => cell);
}

/** A table with its margins, flattened as `suppressCube` takes it. */
function withMargins(members: number[][]): number[] {
  const rows = members.map((r) => [...r, r.reduce((a, b) => a + b, 0)]);
  const totals = rows[0]!.map((_, c) => rows.reduce((s, r) => s + r[c]!, 0));
  return [...rows, totals].flat();
}

function random(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

/**
 * A table joined to another owner's row totals, as the attacker sees it: the
 * cube (margins included), then per row (total row last) the difference
 * "outside total − row total" and the outside total, on the line
 * difference + row total = outside total, with a column line for each.
 */
function joint(members: number[][], outside: readonly (number | null)[]) {
  const rows = members.length;
  const cols = members[0]!.length;
  const cube = withMargins(members);
  const rowTotal = (r: number) => cube[r * (cols + 1) + cols]!;
  const known = outside.every((t) => t !== null);
  const totals = [...outside.map((t) => t ?? 0), outside.reduce<number>((a, t) => a + (t ?? 0), 0)];
  const base = cube.length;
  const diff = (r: number) => base + r;
  const total = (r: number) => base + rows + 1 + r;
  const all = Array.from({ length: rows + 1 }, (_, r) => r);
  return {
    counts: [...cube, ...all.map((r) => totals[r]! - rowTotal(r)), ...totals],
    lines: [...cubeLines([rows + 1, cols + 1]), ...all.map((r) => [diff(r), r * (cols + 1) + cols, total(r)]), all.map(diff), all.map(total)],
    diff,
    /** What the attacker does not see: the table's hidden cells, every difference, the outside totals no one can derive. */
    hidden: (t: ReturnType<typeof suppressTable>) => [
      ...[...t.cells.map((r, i) => [...r, t.rowTotals[i]!]), [...t.columnTotals, t.total]].flat().map((v) => v === null),
      ...all.map(() => true),
      ...all.map((r) => (r === rows ? !known : outside[r] === null)),
    ],
  };
}

describe('small-cell suppression', () => {
  it('the attacker recovers a cell that "two hidden per line" leaves exposed', () => {
    // Two blocks of small cells joined by one small cell (0,2): every line hides 0 or ≥2 cells,
    // the old rule's whole guarantee, yet (0,2) follows from the totals.
    const small = new Set(['0,0', '0,1', '1,0', '1,1', '2,2', '2,3', '3,2', '3,3', '0,2']);
    const members = [0, 1, 2, 3].map((r) => [0, 1, 2, 3].map((c) => (small.has(`${r},${c}`) ? 2 : 20 + r + c)));
    const counts = withMargins(members);
    const sizes = [5, 5];
    const lineRuleOnly = counts.map((_, i) => small.has(`${Math.floor(i / 5)},${i % 5}`));
    for (const line of cubeLines(sizes)) expect(line.filter((c) => lineRuleOnly[c]).length).not.toBe(1);
    expect(recovered(cubeLines(sizes), counts, lineRuleOnly)).toEqual([2]);

    const hidden = suppressCube({ sizes, counts });
    expect(recovered(cubeLines(sizes), counts, hidden)).toEqual([]);
    for (let i = 0; i < counts.length; i++) if (lineRuleOnly[i]) expect(hidden[i]).toBe(true);
  });

  it('the attacker recovers a lone hidden cell from its total, and nothing once suppressTable has run', () => {
    const counts = withMargins([
      [3, 20, 40],
      [10, 12, 50],
    ]);
    const primaryOnly = counts.map((n) => n > 0 && n < 5);
    expect(recovered(cubeLines([3, 4]), counts, primaryOnly)).toEqual([0]);
    const t = suppressTable([
      [3, 20, 40],
      [10, 12, 50],
    ]);
    expect(t.cells[0]![0]).toBeNull();
    const hidden = [...t.cells.map((r, i) => [...r, t.rowTotals[i]!]), [...t.columnTotals, t.total]].flat().map((v) => v === null);
    expect(recovered(cubeLines([3, 4]), counts, hidden)).toEqual([]);
  });

  it('hides every count of 1–4 persons, never a published cell, and leaves no hidden count recoverable: random tables', () => {
    const rand = random(7);
    let tables = 0;
    let hiddenCells = 0;
    for (let round = 0; round < 60; round++) {
      const rows = 1 + Math.floor(rand() * 7);
      const cols = 1 + Math.floor(rand() * 5);
      const members = Array.from({ length: rows }, () => Array.from({ length: cols }, () => (rand() < 0.25 ? 0 : Math.floor(rand() * 14))));
      const publishedRowTotals = round % 3 === 0;
      const t = suppressTable(members, { publishedRowTotals });
      const counts = withMargins(members);
      const hidden = [...t.cells.map((r, i) => [...r, t.rowTotals[i]!]), [...t.columnTotals, t.total]].flat().map((v) => v === null);
      counts.forEach((n, i) => {
        const isRowTotal = i % (cols + 1) === cols;
        if (publishedRowTotals && isRowTotal) expect(hidden[i], `published cell ${i}`).toBe(false);
        else if (n > 0 && n < SMALL_CELL_THRESHOLD) expect(hidden[i], `small cell ${i} of ${JSON.stringify(members)}`).toBe(true);
      });
      const ranges = feasibleRanges(cubeLines([rows + 1, cols + 1]), counts, hidden);
      // What the public cells fix by themselves (a one-column table's cells are its published row totals) no suppression can protect.
      const unprotectable = new Set(publishedRowTotals ? recovered(cubeLines([rows + 1, cols + 1]), counts, counts.map((_, i) => i % (cols + 1) !== cols)) : []);
      for (const [cell, [min, max]] of ranges) {
        if (counts[cell] === 0 || unprotectable.has(cell)) continue;
        // A two-dimensional table's bounds are whole numbers: at least two values stay possible.
        expect(max === null || max.sub(min).cmp(ONE) >= 0, `cell ${cell} of ${JSON.stringify(members)} ${publishedRowTotals ? '(row totals published)' : ''}`).toBe(true);
        hiddenCells++;
      }
      tables++;
    }
    expect(tables).toBe(60);
    expect(hiddenCells).toBeGreaterThan(100);
  });

  it('leaves no hidden count recoverable in random three-dimensional cubes (the injunction statistics)', () => {
    const rand = random(11);
    for (let round = 0; round < 15; round++) {
      const dims = [2 + Math.floor(rand() * 2), 2 + Math.floor(rand() * 3), 2];
      const sizes = dims.map((d) => d + 1);
      const at = (a: number, b: number, c: number) => (a * sizes[1]! + b) * sizes[2]! + c;
      const counts = new Array<number>(sizes[0]! * sizes[1]! * sizes[2]!).fill(0);
      for (let a = 0; a < dims[0]!; a++)
        for (let b = 0; b < dims[1]!; b++)
          for (let c = 0; c < dims[2]!; c++) {
            const n = rand() < 0.3 ? 0 : Math.floor(rand() * 9);
            for (const [x, y, z] of [[a, b, c], [dims[0]!, b, c], [a, dims[1]!, c], [a, b, dims[2]!], [dims[0]!, dims[1]!, c], [dims[0]!, b, dims[2]!], [a, dims[1]!, dims[2]!], [dims[0]!, dims[1]!, dims[2]!]] as const) {
              counts[at(x, y, z)]! += n;
            }
          }
      const hidden = suppressCube({ sizes, counts });
      counts.forEach((n, i) => n > 0 && n < 5 && expect(hidden[i]).toBe(true));
      const exposed = recovered(cubeLines(sizes), counts, hidden).filter((cell) => counts[cell] !== 0);
      expect(exposed, `cube ${round}`).toEqual([]);
    }
  });

  describe('totals of persons counted in several cells (referred under both legal bases)', () => {
    // Three persons, each referred under both bases: two cells of 3, a total of 6 referrals of 3 persons.
    const counts = [
      [3, 3],
      [20, 15],
      [30, 12],
      [25, 18],
    ];

    it('hides a total whose distinct persons are few, however many its cells add up to', () => {
      const t = suppressTable(counts, { persons: counts, totalPersons: { rows: [3, undefined, undefined, undefined] } });
      expect(t.cells[0]).toEqual([null, null]);
      expect(t.rowTotals[0]).toBeNull();
    });

    it('without the distinct figure, counts a total as the most persons in one of its cells: hidden, never summed', () => {
      const t = suppressTable(counts, { persons: counts });
      expect(t.rowTotals[0]).toBeNull();
    });

    it('publishes the total when its distinct persons are enough', () => {
      const t = suppressTable(counts, { persons: counts, totalPersons: { rows: [6, undefined, undefined, undefined] } });
      expect(t.rowTotals[0]).toBe(6);
      expect(t.cells[0]).toEqual([null, null]);
    });
  });

  describe('jointly with another owner\'s row totals (referrals → cases opened on them)', () => {
    const cases = [
      [6, 5, 0, 7],
      [12, 0, 9, 8],
      [5, 6, 0, 0],
    ];

    it('the attacker recovers a difference of 3 from the two owners\' published totals, and nothing once it is checked', () => {
      const referrals = [18 + 3, 29, 11 + 5];
      const j = joint(cases, referrals);
      const alone = suppressTable(cases);
      // Each owner's table is safe on its own: nothing small in it.
      expect(alone.rowTotals).toEqual([18, 29, 11]);
      expect(recovered(j.lines, j.counts, j.hidden(alone))).toContain(j.diff(0));

      const t = suppressTable(cases, { outsideRowTotals: referrals });
      expect(t.rowTotals[0]).toBeNull();
      const ranges = feasibleRanges(j.lines, j.counts, j.hidden(t));
      for (const [cell, [min, max]] of ranges) {
        // A difference of 5 or more (here the sum over the rows, 8) is the caller's to compute.
        if (j.counts[cell] === 0 || (cell >= j.diff(0) && j.counts[cell]! >= SMALL_CELL_THRESHOLD)) continue;
        expect(max === null || max.sub(min).cmp(ONE) >= 0, `cell ${cell}`).toBe(true);
      }
      expect(ranges.has(j.diff(0))).toBe(true);
      // Not all hidden: a row whose difference is at least 5 keeps its total (the other pays for the column's balance).
      expect(t.rowTotals[1]).toBe(29);
    });

    it('changes nothing where no difference is small', () => {
      expect(suppressTable(cases, { outsideRowTotals: [18, 29 + 7, 11] })).toEqual(suppressTable(cases));
      expect(suppressTable(cases, { outsideRowTotals: [null, 29 + 1, null] }).rowTotals[1]).toBeNull();
    });

    it('hides a row total above its outside total (the owners disagree: summing rows could bring a small difference back)', () => {
      const t = suppressTable(cases, { outsideRowTotals: [18 + 12, 29 - 6, 11] });
      expect(t.rowTotals[1]).toBeNull();
      // The row the outside total equals is public through it: hiding it would protect nothing, so another row pays.
      expect(t.rowTotals).toEqual([null, null, 11]);
    });

    it('fails closed: outside totals not known here hide every row total but an empty row\'s', () => {
      const t = suppressTable([...cases, [0, 0, 0, 0]], { outsideRowTotals: ['unchecked', 'unchecked', 'unchecked', 'unchecked'] });
      expect(t.rowTotals).toEqual([null, null, null, 0]);
      for (let r = 0; r < 3; r++) expect(t.cells[r]!.some((c) => c === null)).toBe(true);
    });

    it('leaves no small difference and no hidden count recoverable: random tables and outside totals', () => {
      const rand = random(23);
      let smallDifferences = 0;
      for (let round = 0; round < 40; round++) {
        const rows = 1 + Math.floor(rand() * 5);
        const cols = 1 + Math.floor(rand() * 5);
        const members = Array.from({ length: rows }, () => Array.from({ length: cols }, () => (rand() < 0.3 ? 0 : Math.floor(rand() * 12))));
        // Differences of 0, small, or large, never negative (the solver's counts are non-negative); some totals not derivable.
        const outside = members.map((r) => {
          const roll = rand();
          if (roll < 0.15) return null;
          const gap = roll < 0.35 ? 0 : roll < 0.7 ? 1 + Math.floor(rand() * 4) : 5 + Math.floor(rand() * 6);
          return r.reduce((a, b) => a + b, 0) + gap;
        });
        const t = suppressTable(members, { outsideRowTotals: outside });
        const j = joint(members, outside);
        const hidden = j.hidden(t);
        const ranges = feasibleRanges(j.lines, j.counts, hidden);
        // Public anyway: the derivable outside totals, and a row total its outside total equals (for one who knows the zero between).
        const publicAnyway = j.counts.map((_, i) => !hidden[i] && (i > j.diff(rows) || (i % (cols + 1) === cols && i < j.diff(0) && j.counts[j.diff(Math.floor(i / (cols + 1)))] === 0)));
        const unprotectable = new Set(recovered(j.lines, j.counts, publicAnyway.map((p) => !p)));
        const ownTotal = (r: number) => members[r]?.reduce((a, b) => a + b, 0) ?? members.flat().reduce((a, b) => a + b, 0);
        for (const [cell, [min, max]] of ranges) {
          const isDifference = cell >= j.diff(0) && cell <= j.diff(rows);
          const value = j.counts[cell]!;
          if (value === 0 || unprotectable.has(cell)) continue;
          // A difference of 5 or more, or one in a row with nothing of ours, is the caller's to compute.
          if (isDifference && (value >= SMALL_CELL_THRESHOLD || ownTotal(cell - j.diff(0)) === 0)) continue;
          // An outside total no one can derive is the other owner's secret, not ours to keep.
          if (cell >= j.diff(rows) + 1) continue;
          if (isDifference) smallDifferences++;
          expect(max === null || max.sub(min).cmp(ONE) >= 0, `cell ${cell} of ${JSON.stringify(members)} against ${JSON.stringify(outside)}`).toBe(true);
        }
      }
      expect(smallDifferences).toBeGreaterThan(20);
    });
  });
});
