import { randomFillSync } from 'node:crypto';

/** W3C trace context: the caller's trace continues through the gateway into every subgraph, and on into a subgraph's calls to its peers. */
export interface TraceContext {
  traceId: string;
  spanId: string;
  flags: string;
}

/**
 * Random ids from a pooled buffer refilled 4 KB at a time: the gateway makes a
 * span id per subgraph fetch, and one `randomBytes` call each showed in its
 * profile under load (bench README, issue 14). Same source, one call per ~500 ids.
 */
const pool = Buffer.alloc(4096);
let used = pool.length;
function randomHex(bytes: number): string {
  if (used + bytes > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const hex = pool.toString('hex', used, used + bytes);
  used += bytes;
  return hex;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** A valid `traceparent` as its parts (the span id is the caller's), or undefined. */
export function parseTraceparent(traceparent: string | undefined): TraceContext | undefined {
  const match = traceparent ? TRACEPARENT.exec(traceparent.trim()) : null;
  if (!match || /^0+$/.test(match[1]!) || /^0+$/.test(match[2]!)) return undefined;
  return { traceId: match[1]!, spanId: match[2]!, flags: match[3]! };
}

export function continueTrace(traceparent: string | undefined): TraceContext {
  const caller = parseTraceparent(traceparent);
  if (caller) return { traceId: caller.traceId, spanId: randomHex(8), flags: caller.flags };
  return { traceId: randomHex(16), spanId: randomHex(8), flags: '01' };
}

/** A child span for one subgraph fetch, as the `traceparent` header it is sent with. */
export function childTraceparent(trace: TraceContext): string {
  return `00-${trace.traceId}-${randomHex(8)}-${trace.flags}`;
}

/** The `traceresponse` header (W3C Trace Context, level 2): the trace a request was served in, for the caller to quote. */
export function traceResponse(trace: TraceContext): string {
  return `00-${trace.traceId}-${trace.spanId}-${trace.flags}`;
}
