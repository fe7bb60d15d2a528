import { RATIO_BASES, type Contender } from './contenders.js';
import type { LoadResult } from './load.js';
import type { Usage } from './procs.js';

export interface RunRecord {
  contender: string;
  round: number;
  /** False when the contender did not start or answer. */
  ok: boolean;
  load: LoadResult;
  warmupIncorrect: number;
  usage: Usage | null;
  /** Requests the subgraphs served per answered gateway request (measured window). */
  subgraphCallsPerRequest: number | null;
  peakRssMb: number | null;
  startupMs: number | null;
  /** First incorrect responses, or the failure. */
  samples: string[];
}

export interface Summary {
  contender: string;
  label: string;
  rounds: number;
  rps: number;
  rpsByRound: number[];
  p50Ms: number;
  p99Ms: number;
  /** Socket errors and timeouts. */
  errors: number;
  /** Non-200 or wrong bodies, warm-up included. */
  incorrect: number;
  peakRssMb: number | null;
  subgraphCallsPerRequest: number | null;
  gatewayCpu: number | null;
  subgraphsCpu: number | null;
  loaderCpu: number | null;
  /** Busy CPU outside these processes: kernel networking and anything else running (noise). */
  otherCpu: number | null;
  ratios: Record<string, number | null>;
  status: 'ok' | 'FAIL';
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const round1 = (x: number) => Math.round(x * 10) / 10;
const meanOrNull = (xs: (number | null | undefined)[]) => {
  const present = xs.filter((x): x is number => typeof x === 'number');
  return present.length ? round1(mean(present)) : null;
};

export function summarise(contenders: readonly Contender[], runs: RunRecord[]): Summary[] {
  const summaries = contenders.map((c): Summary => {
    const own = runs.filter((r) => r.contender === c.id);
    const ok = own.filter((r) => r.ok);
    const incorrect = own.reduce((n, r) => n + r.load.incorrect + r.warmupIncorrect, 0);
    const errors = own.reduce((n, r) => n + r.load.errors + r.load.timeouts, 0);
    const peaks = ok.map((r) => r.peakRssMb).filter((x): x is number => x !== null);
    return {
      contender: c.id,
      label: c.label,
      rounds: ok.length,
      rps: round1(mean(ok.map((r) => r.load.rps))),
      rpsByRound: own.map((r) => r.load.rps),
      p50Ms: round1(mean(ok.map((r) => r.load.latencyMs.p50))),
      p99Ms: round1(mean(ok.map((r) => r.load.latencyMs.p99))),
      errors,
      incorrect,
      peakRssMb: peaks.length ? Math.max(...peaks) : null,
      subgraphCallsPerRequest: meanOrNull(ok.map((r) => r.subgraphCallsPerRequest)),
      gatewayCpu: meanOrNull(ok.map((r) => r.usage?.gatewayCpu)),
      subgraphsCpu: meanOrNull(ok.map((r) => r.usage?.subgraphsCpu)),
      loaderCpu: meanOrNull(ok.map((r) => r.usage?.loaderCpu)),
      otherCpu: meanOrNull(ok.map((r) => r.usage?.otherCpu)),
      ratios: {},
      status: ok.length === own.length && own.length > 0 && incorrect === 0 && errors === 0 ? 'ok' : 'FAIL',
    };
  });
  for (const s of summaries) {
    for (const base of RATIO_BASES) {
      const b = summaries.find((x) => x.contender === base);
      s.ratios[base] = b && b.rps > 0 ? Math.round((100 * s.rps) / b.rps) / 100 : null;
    }
  }
  return summaries;
}

export function printTable(summaries: Summary[]): void {
  const header = ['contender', 'RPS', 'p50 ms', 'p99 ms', 'err/incorrect', 'peak RSS MB', 'sub calls/req', ...RATIO_BASES.map((b) => `vs ${b}`), 'CPU% gw/sub/load/other', 'status'];
  const rows = summaries.map((s) => [
    s.label,
    s.rps.toFixed(1),
    s.p50Ms.toFixed(1),
    s.p99Ms.toFixed(1),
    `${s.errors}/${s.incorrect}`,
    s.peakRssMb === null ? '-' : s.peakRssMb.toFixed(0),
    s.subgraphCallsPerRequest === null ? '-' : String(s.subgraphCallsPerRequest),
    ...RATIO_BASES.map((b) => (s.ratios[b] === null || s.ratios[b] === undefined ? '-' : `${s.ratios[b]!.toFixed(2)}x`)),
    [s.gatewayCpu, s.subgraphsCpu, s.loaderCpu, s.otherCpu].map((x) => (x === null ? '-' : x.toFixed(0))).join('/'),
    s.status,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of rows) console.log(line(row));
}
