import { describe, expect, it } from 'vitest';
import { childTraceparent, continueTrace, parseTraceparent } from '../src/traceContext.js';

describe('trace context ids from the pooled random bytes', () => {
  it('gives every subgraph fetch its own well-formed span id in the caller’s trace, across pool refills', () => {
    const trace = continueTrace('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(trace.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    const spans = new Set<string>();
    // 2,000 ids of 8 bytes: about four refills of the 4 KB pool.
    for (let i = 0; i < 2000; i++) {
      const child = parseTraceparent(childTraceparent(trace));
      expect(child?.traceId).toBe(trace.traceId);
      expect(child?.spanId).toMatch(/^[0-9a-f]{16}$/);
      spans.add(child!.spanId);
    }
    expect(spans.size).toBe(2000);
    const fresh = continueTrace(undefined);
    expect(fresh.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(fresh.traceId).not.toBe(continueTrace(undefined).traceId);
  });
});
