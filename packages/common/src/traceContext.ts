import { randomBytes } from 'node:crypto';

/** W3C trace context: the caller's trace continues through the gateway into every subgraph, and on into a subgraph's calls to its peers. */
export interface TraceContext {
  traceId: string;
  spanId: string;
  flags: string;
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
  if (caller) return { traceId: caller.traceId, spanId: randomBytes(8).toString('hex'), flags: caller.flags };
  return { traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex'), flags: '01' };
}

/** A child span for one subgraph fetch, as the `traceparent` header it is sent with. */
export function childTraceparent(trace: TraceContext): string {
  return `00-${trace.traceId}-${randomBytes(8).toString('hex')}-${trace.flags}`;
}
