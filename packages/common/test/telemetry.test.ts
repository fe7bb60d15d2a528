import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, currentTrace, inRequest, inSpan, outgoingTraceparent, startTelemetry, tracingEnabled } from '../src/index.js';

/** Tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT): nothing is loaded, yet the trace context flows and log lines carry it. */
describe('the trace context with tracing off', () => {
  it('starts nothing without an endpoint', async () => {
    expect(await startTelemetry('test', {})).toBe(false);
    expect(tracingEnabled()).toBe(false);
  });

  it("continues a trusted caller's trace: log lines of the request and its outgoing calls carry its trace id; none outside", async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
    const logger = createLogger('test', 'info', sink);
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    logger.info('before');
    const outgoing = await inRequest('POST /graphql', { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, trusted: true }, {}, async (_span, trace) => {
      expect(trace.traceId).toBe(traceId);
      expect(currentTrace()).toBe(trace);
      await inSpan('child', {}, async () => logger.info('inside'));
      return outgoingTraceparent();
    });
    logger.info('after');
    expect(outgoing).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(outgoing).not.toContain('00f067aa0ba902b7');
    const parsed = lines.map((l) => JSON.parse(l) as { msg: string; traceId?: string });
    expect(parsed.map((l) => [l.msg, l.traceId])).toEqual([
      ['before', undefined],
      ['inside', traceId],
      ['after', undefined],
    ]);
    expect(currentTrace()).toBeUndefined();
  });

  it('starts a new trace for a caller without a valid traceparent', async () => {
    for (const header of [undefined, 'garbage', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`]) {
      const trace = await inRequest('POST /graphql', { traceparent: header, trusted: true }, {}, async (_span, t) => t);
      expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(trace.traceId).not.toBe('0'.repeat(32));
    }
  });

  it("starts a new trace for a caller it does not trust, whatever its traceparent: the trace is not the caller's to choose", async () => {
    const chosen = '4bf92f3577b34da6a3ce929d0e0e4736';
    const trace = await inRequest('POST /graphql', { traceparent: `00-${chosen}-00f067aa0ba902b7-01`, trusted: false }, {}, async (_span, t) => t);
    expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(trace.traceId).not.toBe(chosen);
  });
});
