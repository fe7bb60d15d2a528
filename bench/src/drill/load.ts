import { randomUUID } from 'node:crypto';

/** What the load sends: a statistics board over every owner, a personal police answer, a notice posted (a write with its outbox rows), and bad input. */
export const BOARD = '{ areas { name latestSafetyIndex { shareFeelingSafe } activeInitiativeCount currentTenancyCount } }';
export const DECISIONS = '{ criminalDecisions(first: 3) { nodes { id decidedOn } } }';
const BAD_INPUT = '{"query":"{ areas { name "}';
const NOTICE = 'mutation($input: PostNoticeInput!, $key: String) { postNotice(input: $input, idempotencyKey: $key) { id } }';
const noticeBody = (key: string) =>
  JSON.stringify({
    query: NOTICE,
    variables: {
      key,
      input: { subject: 'Drill notice', summary: 'A statement posted by the fault drill.', areaIds: ['ringparken'], plannedPublicationAt: new Date(Date.now() + 7 * 86_400_000).toISOString() },
    },
  });

export interface LoadStats {
  requests: number;
  /** Answers that were not 2xx, network failures (status 0) included. */
  non2xx: number;
  networkErrors: number;
  /** Requests with no answer within the client's timeout. */
  hangs: number;
  errorsByCode: Map<string, number>;
  latenciesMs: number[];
  /** Request ids of personal answers delivered with data: each must have its owner's log row. */
  delivered: string[];
  /** Bad input answered 5xx (it must be 4xx). */
  badInput5xx: number;
  /** Notices posted (the write answered with its id). */
  writes: number;
}

export interface Tokens {
  coordinator: string;
  investigator: string;
}

/**
 * `workers` clients in a loop over loopback until `stop` is called, each
 * request with a client timeout; a delivered answer is known by the request
 * id the gateway gave it (its `x-request-id`), which the owners' log rows carry.
 */
export function runLoad(url: string, tokens: Tokens, workers: number, timeoutMs: number): { stop(): Promise<LoadStats> } {
  const stats: LoadStats = { requests: 0, non2xx: 0, networkErrors: 0, hangs: 0, errorsByCode: new Map(), latenciesMs: [], delivered: [], badInput5xx: 0, writes: 0 };
  let running = true;
  const one = async (i: number) => {
    const kind = i % 10 === 9 ? 'write' : i % 5 === 4 ? 'bad' : i % 2 === 0 ? 'personal' : 'board';
    const requestId = randomUUID();
    const body = kind === 'bad' ? BAD_INPUT : kind === 'write' ? noticeBody(requestId) : JSON.stringify({ query: kind === 'personal' ? DECISIONS : BOARD });
    const headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${kind === 'board' ? tokens.coordinator : tokens.investigator}`,
      'x-purpose': kind === 'board' ? 'STATISTICS' : kind === 'write' ? 'COORDINATION' : 'CRIME_PREVENTION_63D',
    };
    const started = performance.now();
    stats.requests++;
    try {
      const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      stats.latenciesMs.push(performance.now() - started);
      if (res.status < 200 || res.status > 299) stats.non2xx++;
      if (kind === 'bad' && res.status >= 500) stats.badInput5xx++;
      let json: { data?: { criminalDecisions?: { nodes?: unknown[] }; postNotice?: { id?: string } } | null; errors?: Array<{ extensions?: { code?: string } }> } = {};
      try {
        json = JSON.parse(text) as typeof json;
      } catch {
        stats.errorsByCode.set('(not JSON)', (stats.errorsByCode.get('(not JSON)') ?? 0) + 1);
      }
      for (const error of json.errors ?? []) {
        const code = error.extensions?.code ?? '(no code)';
        stats.errorsByCode.set(code, (stats.errorsByCode.get(code) ?? 0) + 1);
      }
      const servedAs = res.headers.get('x-request-id');
      if (kind === 'personal' && servedAs && (json.data?.criminalDecisions?.nodes?.length ?? 0) > 0) stats.delivered.push(servedAs);
      if (kind === 'write' && json.data?.postNotice?.id) stats.writes++;
    } catch (error) {
      stats.latenciesMs.push(performance.now() - started);
      stats.non2xx++;
      if ((error as Error).name === 'TimeoutError') stats.hangs++;
      else stats.networkErrors++;
    }
  };
  const loops = Array.from({ length: workers }, async (_, w) => {
    for (let i = w; running; i += workers) await one(i);
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return stats;
    },
  };
}

export function p99(values: number[]): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!);
}
