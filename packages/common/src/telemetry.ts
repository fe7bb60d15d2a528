import { AsyncLocalStorage } from 'node:async_hooks';
import type * as OtelApi from '@opentelemetry/api';
import { childTraceparent, continueTrace, parseTraceparent, type TraceContext } from './traceContext.js';

/** Span attributes: ids of requests, names of operations and owners, counts. Never variables, never ids of persons. */
export type SpanAttributes = Record<string, string | number | boolean>;

/** A span as the services see it. With tracing off it is one shared object that does nothing. */
export interface SpanHandle {
  setAttributes(attributes: SpanAttributes): void;
  /** Marks the span failed with a code (an error class or GraphQL code), never a message: messages may hold data. */
  fail(code: string): void;
}

const NO_SPAN: SpanHandle = { setAttributes: () => undefined, fail: () => undefined };

interface Sdk {
  shutdown(): Promise<void>;
}

/** Set only when OTEL_EXPORTER_OTLP_ENDPOINT is set and `startTelemetry` ran: otherwise no OpenTelemetry module is loaded. */
let otel: typeof OtelApi | undefined;
let sdk: Sdk | undefined;
let tracer: OtelApi.Tracer | undefined;

/** The request a piece of code runs for: log lines and disclosure-log rows take its trace id from here. */
const requests = new AsyncLocalStorage<TraceContext>();

/** The trace of the request being served, if any. */
export function currentTrace(): TraceContext | undefined {
  return requests.getStore();
}

export function tracingEnabled(): boolean {
  return otel !== undefined;
}

/**
 * Starts the OpenTelemetry SDK for this process when the standard
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is set: spans are batched and exported over
 * OTLP/HTTP (JSON) to `<endpoint>/v1/traces`. Without it nothing is loaded and
 * every span helper below is a no-op. Only traces: metrics are Prometheus
 * (`/metrics`), logs are stdout. One SDK per process; the first service name wins.
 */
export async function startTelemetry(service: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const endpoint = env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  if (!endpoint) return false;
  if (otel) return true;
  // The standard's rule: the signal's own endpoint as given, else the base endpoint with /v1/traces.
  const url = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] ?? `${endpoint.replace(/\/$/, '')}/v1/traces`;
  const [api, { NodeSDK }, { OTLPTraceExporter }] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
  ]);
  const started = new NodeSDK({
    serviceName: env['OTEL_SERVICE_NAME'] ?? service,
    traceExporter: new OTLPTraceExporter({ url }),
    // Traces only: without these the SDK would also start OTLP metric and log exporters from the environment.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
  });
  started.start();
  sdk = started;
  otel = api;
  tracer = api.trace.getTracer('partnergraph');
  return true;
}

/** Exports what is buffered (tests, and a process about to exit). */
export async function flushTelemetry(): Promise<void> {
  const provider = otel?.trace.getTracerProvider() as { getDelegate?: () => { forceFlush?: () => Promise<void> } } | undefined;
  await provider?.getDelegate?.().forceFlush?.();
}

/** Exports what is left and stops the SDK; tracing is off afterwards. */
export async function stopTelemetry(): Promise<void> {
  await sdk?.shutdown();
  otel?.trace.disable();
  otel?.context.disable();
  otel = undefined;
  sdk = undefined;
  tracer = undefined;
}

function handle(span: OtelApi.Span, api: typeof OtelApi): SpanHandle {
  return {
    setAttributes: (attributes) => span.setAttributes(attributes),
    fail: (code) => span.setStatus({ code: api.SpanStatusCode.ERROR, message: code }),
  };
}

function errorCode(error: unknown): string {
  const code = (error as { extensions?: { code?: unknown } } | undefined)?.extensions?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.name : 'error';
}

/**
 * Where a request's trace comes from: the caller's `traceparent`, continued
 * only when the caller is one of ours (the gateway or a peer owner, proven).
 */
export interface IncomingTrace {
  traceparent: string | undefined;
  trusted: boolean;
}

/**
 * Serves one request in its trace, every log line and disclosure-log row
 * inside `fn` carrying its trace id, and with tracing on a server span over it.
 * A trusted caller's trace continues; anyone else's request starts a new one
 * (an auditor follows a disclosure's trace id to this request's spans, so a
 * caller does not get to choose it), with the caller's trace as a span link.
 */
export function inRequest<T>(name: string, incoming: IncomingTrace, attributes: SpanAttributes, fn: (span: SpanHandle, trace: TraceContext) => Promise<T>): Promise<T> {
  const api = otel;
  if (!api || !tracer) {
    const trace = continueTrace(incoming.trusted ? incoming.traceparent : undefined);
    return requests.run(trace, () => fn(NO_SPAN, trace));
  }
  const caller = parseTraceparent(incoming.traceparent);
  const callerContext = caller && { ...caller, traceFlags: Number.parseInt(caller.flags, 16), isRemote: true };
  const parent = callerContext && incoming.trusted ? api.trace.setSpanContext(api.ROOT_CONTEXT, callerContext) : api.ROOT_CONTEXT;
  const links = callerContext && !incoming.trusted ? [{ context: callerContext }] : [];
  const span = tracer.startSpan(name, { kind: api.SpanKind.SERVER, attributes, links }, parent);
  const context = span.spanContext();
  const trace: TraceContext = { traceId: context.traceId, spanId: context.spanId, flags: context.traceFlags.toString(16).padStart(2, '0') };
  const spanHandle = handle(span, api);
  return api.context.with(api.trace.setSpan(parent, span), () =>
    requests.run(trace, async () => {
      try {
        return await fn(spanHandle, trace);
      } catch (error) {
        spanHandle.fail(errorCode(error));
        throw error;
      } finally {
        span.end();
      }
    }),
  );
}

/** The span of the code running now (the request's, outside any child span); the no-op one with tracing off. */
export function activeSpan(): SpanHandle {
  const api = otel;
  const span = api?.trace.getActiveSpan();
  return api && span ? handle(span, api) : NO_SPAN;
}

/** A piece of a request (planning, a fetch, an SQL statement, the disclosure-log write) as a child span. */
export function inSpan<T>(name: string, attributes: SpanAttributes, fn: (span: SpanHandle) => Promise<T>, kind: 'internal' | 'client' = 'internal'): Promise<T> {
  const api = otel;
  if (!api || !tracer) return fn(NO_SPAN);
  return tracer.startActiveSpan(name, { kind: kind === 'client' ? api.SpanKind.CLIENT : api.SpanKind.INTERNAL, attributes }, async (span) => {
    const spanHandle = handle(span, api);
    try {
      return await fn(spanHandle);
    } catch (error) {
      spanHandle.fail(errorCode(error));
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * The `traceparent` for a call this request makes (a subgraph fetch, a peer
 * owner): the active span as parent when tracing is on, else a new span id in
 * the request's trace; `fallback` when there is no request in scope.
 */
export function outgoingTraceparent(fallback?: TraceContext): string | undefined {
  const api = otel;
  if (api) {
    const span = api.trace.getActiveSpan();
    if (span) {
      const c = span.spanContext();
      return `00-${c.traceId}-${c.spanId}-${c.traceFlags.toString(16).padStart(2, '0')}`;
    }
  }
  const trace = requests.getStore() ?? fallback;
  return trace ? childTraceparent(trace) : undefined;
}
