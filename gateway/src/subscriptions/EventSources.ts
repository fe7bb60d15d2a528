import { internalProof, INTERNAL_PROOF_HEADER } from '@partnergraph/common';
import { LRUCache } from 'lru-cache';
import { createClient } from 'graphql-sse';
import type { Redis } from 'ioredis';
import type { SubscriptionPlan } from './SubscriptionPlans.js';

/** One event for one subscriber: the key of the entity to answer with, or the owner's errors (the stream then ends). */
export type OwnerEvent = { key: string } | { errors: Array<{ message: string; extensions?: Record<string, unknown> }> };

/** The owner refused the subscription before it started (its status and errors, passed on as they are). */
export class SubscriptionRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`The owner refused the subscription (${status}).`);
  }
}

/**
 * Where a gateway process hears of events. Listening has begun when `open`
 * resolves, so an event after the subscriber is told "connected" is not
 * missed; `return()` stops listening.
 */
export interface EventSource {
  open(plan: SubscriptionPlan, forwardHeaders: Record<string, string>): Promise<AsyncIterableIterator<OwnerEvent>>;
  close(): Promise<void>;
}

/** A queue as an async iterator: pushes wake the consumer; `end()` ends it after what is queued; `return()` at once. Either runs `onEnd`. */
function eventQueue(onEnd: () => void): { push(event: OwnerEvent): void; end(): void; iterator: AsyncIterableIterator<OwnerEvent> } {
  const queue: OwnerEvent[] = [];
  let waiting: ((result: IteratorResult<OwnerEvent>) => void) | undefined;
  let ended = false;
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = ended = true;
    onEnd();
    waiting?.({ value: undefined, done: true });
    waiting = undefined;
  };
  const iterator: AsyncIterableIterator<OwnerEvent> = {
    next: () => {
      if (queue.length) return Promise.resolve({ value: queue.shift()!, done: false });
      if (ended) {
        finish();
        return Promise.resolve({ value: undefined, done: true });
      }
      return new Promise((resolve) => (waiting = resolve));
    },
    return: async () => {
      finish();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return {
    push(event) {
      if (ended) return;
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve({ value: event, done: false });
      } else queue.push(event);
    },
    end() {
      ended = true;
      if (waiting) finish();
    },
    iterator,
  };
}

/**
 * The default: each subscription is also a subscription at the owner's own
 * subgraph (graphql-sse at its /graphql/stream), opened with the subscriber's
 * own token and purpose, so the owner decides whether this principal may
 * subscribe at all. Works across processes with no shared infrastructure.
 * With the internal key, the stream proves it is the gateway's (admitted and
 * counted here), so the owner does not count it against direct callers' limits.
 */
export class OwnerStreamEvents implements EventSource {
  constructor(
    private readonly subgraphUrl: (subgraph: string) => string | undefined,
    private readonly internalKey?: string,
  ) {}

  async open(plan: SubscriptionPlan, forwardHeaders: Record<string, string>): Promise<AsyncIterableIterator<OwnerEvent>> {
    const url = this.subgraphUrl(plan.subgraph);
    if (!url) throw new SubscriptionRefused(503, JSON.stringify({ errors: [{ message: `The ${plan.subgraph} subgraph is not configured.`, extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] }));
    const { authorization, 'x-purpose': purpose } = forwardHeaders;
    const headers = this.internalKey && authorization && purpose ? { ...forwardHeaders, [INTERNAL_PROOF_HEADER]: internalProof(this.internalKey, authorization, purpose) } : forwardHeaders;
    const client = createClient({ url: `${url.replace(/\/$/, '')}/stream`, headers, retryAttempts: 0, fetchFn: fetch });
    let dispose = () => undefined as void;
    const events = eventQueue(() => {
      dispose();
      client.dispose();
    });
    await new Promise<void>((resolve, reject) => {
      let connected = false;
      dispose = client.subscribe<Record<string, Record<string, unknown> | null>>(
        { query: plan.ownerQuery },
        {
          next: (result) => {
            const key = result.data?.[plan.field]?.[plan.keyField];
            if (typeof key === 'string') events.push({ key });
            else if (result.errors?.length) {
              events.push({ errors: result.errors.map((e) => ({ message: e.message, ...(e.extensions ? { extensions: e.extensions as Record<string, unknown> } : {}) })) });
              events.end();
            }
          },
          error: (error) => {
            const response = (error as { response?: Response }).response;
            if (!connected && response) {
              void response.text().then(
                (body) => reject(new SubscriptionRefused(response.status, body)),
                () => reject(new SubscriptionRefused(response.status, '')),
              );
              return;
            }
            if (!connected) return reject(new SubscriptionRefused(502, JSON.stringify({ errors: [{ message: `The ${plan.subgraph} subgraph is unavailable.`, extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] })));
            events.push({ errors: [{ message: `The ${plan.subgraph} subgraph's stream ended; subscribe again.`, extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] });
            events.end();
          },
          complete: () => events.end(),
        },
        {
          connected: () => {
            connected = true;
            resolve();
          },
        },
      );
    });
    return events.iterator;
  }

  async close(): Promise<void> {}
}

/** What an owner publishes on the events channel (see the municipality's RedisEventRelay). */
interface EventMessage {
  id: string;
  subgraph: string;
  field: string;
  key: Record<string, unknown>;
}

/**
 * Where Redis is configured: each gateway process listens once on the
 * deployment's events channel, to which the owners relay their events, and
 * hands each event to its own subscribers — every process gets every event
 * once, so every subscriber gets it once. Whether a subscriber may see the
 * event's record is decided per event, by the owners, through the query.
 */
export class RedisEvents implements EventSource {
  private readonly listeners = new Map<string, Set<(event: OwnerEvent) => void>>();
  private readonly seen = new LRUCache<string, true>({ max: 10_000 });
  private ready: Promise<unknown> | undefined;

  constructor(
    private readonly subscriber: Redis,
    private readonly channel: string,
    private readonly onBadMessage: () => void = () => undefined,
  ) {
    subscriber.on('message', (channel: string, text: string) => {
      if (channel !== this.channel) return;
      let message: EventMessage;
      try {
        message = JSON.parse(text) as EventMessage;
      } catch {
        return this.onBadMessage();
      }
      if (typeof message.id !== 'string' || this.seen.has(message.id)) return;
      this.seen.set(message.id, true);
      for (const listener of this.listeners.get(`${message.subgraph}:${message.field}`) ?? []) {
        for (const value of Object.values(message.key ?? {})) if (typeof value === 'string') listener({ key: value });
      }
    });
  }

  async open(plan: SubscriptionPlan): Promise<AsyncIterableIterator<OwnerEvent>> {
    this.ready ??= this.subscriber.subscribe(this.channel);
    await this.ready;
    const name = `${plan.subgraph}:${plan.field}`;
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    const events = eventQueue(() => set.delete(events.push));
    set.add(events.push);
    return events.iterator;
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
  }
}
