import autocannon from 'autocannon';

/** Order-insensitive for object keys, ordered for arrays. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * Checks every response against the expected JSON. A body that was once parsed and
 * found equal is remembered verbatim, so the common case is one length test and one
 * string comparison; only a body never seen before is parsed.
 */
export class ResponseChecker {
  private readonly accepted: string[] = [];
  incorrect = 0;
  checked = 0;
  readonly samples: string[] = [];

  private readonly expected: unknown;

  /** `expected` may be a recorded answer: its `extensions` are left out of the comparison as the answers' are. */
  constructor(expected: unknown) {
    const { extensions: _extensions, ...answer } = (expected ?? {}) as { extensions?: unknown };
    this.expected = expected !== null && typeof expected === 'object' && !Array.isArray(expected) ? answer : expected;
  }

  check(status: number, body: string): boolean {
    this.checked++;
    if (status === 200) {
      for (const known of this.accepted) if (body.length === known.length && body === known) return true;
      if (this.verify(body)) {
        if (this.accepted.length < 16) this.accepted.push(body);
        return true;
      }
    }
    this.incorrect++;
    if (this.samples.length < 3) this.samples.push(`HTTP ${status}: ${body.slice(0, 300)}`);
    return false;
  }

  private verify(body: string): boolean {
    try {
      // `extensions` (our gateway reports each answer's cost there) are not part of the answer compared.
      const { extensions: _extensions, ...parsed } = JSON.parse(body) as { errors?: unknown; extensions?: unknown };
      return parsed.errors === undefined && deepEqual(parsed, this.expected);
    } catch {
      return false;
    }
  }
}

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  durationSeconds: number;
  checker: ResponseChecker;
}

export interface LoadResult {
  rps: number;
  requests: number;
  durationSeconds: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  /** Socket errors and timeouts. */
  errors: number;
  timeouts: number;
  non2xx: number;
  incorrect: number;
  bytesPerResponse: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const incorrectBefore = options.checker.incorrect;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    pipelining: 1,
    duration: options.durationSeconds,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: options.body,
        // Typed as (status, body, context) in @types/autocannon; body is the response text.
        onResponse: (status: number, body: string) => {
          options.checker.check(status, body);
        },
      },
    ],
  });
  return {
    rps: Math.round((10 * result.requests.total) / result.duration) / 10,
    requests: result.requests.total,
    durationSeconds: result.duration,
    latencyMs: {
      mean: result.latency.mean,
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    incorrect: options.checker.incorrect - incorrectBefore,
    bytesPerResponse: result.requests.total ? Math.round(result.throughput.total / result.requests.total) : 0,
  };
}
