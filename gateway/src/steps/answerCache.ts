import { randomUUID } from 'node:crypto';
import { JSON_CONTENT_TYPE } from '@partnergraph/common';
import type { KeyValueStore } from '../cache/KeyValueStore.js';
import type { Owners } from '../context.js';
import type { GatewayMetrics } from '../metrics.js';
import type { GatewayAnswer, Step } from '../pipeline/Step.js';

const GENERATION_TTL_SECONDS = 30 * 86400;

/**
 * Each owner's data generation, shared by every gateway process through the
 * store: a mutation that executed at an owner starts a new generation there,
 * which retires the cached answers holding that owner's data, and no others.
 */
export class OwnerGenerations {
  private keys: string[] = [];

  constructor(
    private readonly store: KeyValueStore,
    private readonly owners: Owners,
  ) {}

  private generationKeys(): string[] {
    if (this.keys.length !== this.owners.names.length) this.keys = this.owners.names.map((name) => `rc:gen:${name}`);
    return this.keys;
  }

  current(): Promise<Array<string | undefined>> {
    return this.store.getMany(this.generationKeys());
  }

  /** The stamp of an answer made of the owners in `mask`, at the given generations. */
  stamp(mask: number, generations: ReadonlyArray<string | undefined>): string {
    let stamp = `${mask}:`;
    const names = this.owners.names;
    for (let i = 0; i < names.length; i++) if (mask & this.owners.bit(i)) stamp += `${generations[i] ?? '0'},`;
    return stamp;
  }

  async retire(mask: number): Promise<void> {
    const keys = this.generationKeys();
    const generation = randomUUID();
    await Promise.all(keys.filter((_, i) => mask & this.owners.bit(i)).map((key) => this.store.set(key, generation, GENERATION_TTL_SECONDS)));
  }
}

/**
 * Answers the owners marked cacheable (not personal, a max-age, no errors),
 * kept for as long as they said, per access scope. Only a mutation that
 * executed retires cached answers, and only those holding data of the owners
 * it changed.
 */
export function answerCache(store: KeyValueStore, owners: Owners, metrics: GatewayMetrics, supergraphId: () => string = () => ''): Step {
  const generations = new OwnerGenerations(store, owners);
  // Answers shared in flight come back through this step once per request: stored once.
  const stored = new WeakSet<GatewayAnswer>();
  return {
    name: 'answerCache',
    async run(exchange, next) {
      if (exchange.kind === 'mutation') {
        const answer = await next(exchange);
        if (answer.changed) await generations.retire(answer.changed);
        return answer;
      }
      // The supergraph is part of the key: an answer made on another supergraph is never served on this one.
      const served = supergraphId();
      const key = `rc:${served.slice(0, 16)}:${exchange.requestKey}:${exchange.scope}`;
      const [value, current] = await Promise.all([store.get(key), generations.current()]);
      if (value !== undefined) {
        const end = value.indexOf('\n');
        const stamp = value.slice(0, end);
        if (stamp === generations.stamp(Number(stamp.slice(0, stamp.indexOf(':'))), current)) {
          metrics.cache.inc({ result: 'hit' });
          return { status: 200, headers: { 'content-type': JSON_CONTENT_TYPE, 'x-cache': 'hit' }, body: value.slice(end + 1) };
        }
      }
      metrics.cache.inc({ result: 'miss' });
      const answer = await next(exchange);
      const cacheability = answer.cacheability;
      if (answer.status === 200 && cacheability && !cacheability.personal && cacheability.maxAge > 0 && Number.isFinite(cacheability.maxAge) && !stored.has(answer) && supergraphId() === served) {
        stored.add(answer);
        await store.set(key, `${generations.stamp(answer.owners ?? 0, current)}\n${answer.body}`, cacheability.maxAge);
        metrics.cache.inc({ result: 'store' });
      }
      return answer;
    },
  };
}
