import { LRUCache } from 'lru-cache';

/**
 * Heap bytes a cached query plan takes per character of its serialised form,
 * measured with many distinct plans of the partnership's supergraph: Apollo's
 * own cache counts only the serialised size.
 */
export const PLAN_BYTES_PER_SERIALISED_CHARACTER = 3.5;

/**
 * Apollo Gateway's query plans (`queryPlannerConfig.cache`), bounded by
 * estimated heap bytes, least recently used first.
 */
export class QueryPlans<Plan extends object = object> {
  private readonly plans: LRUCache<string, Plan>;

  constructor(maxBytes: number) {
    this.plans = new LRUCache<string, Plan>({
      maxSize: maxBytes,
      sizeCalculation: (plan, key) => Math.ceil(JSON.stringify(plan).length * PLAN_BYTES_PER_SERIALISED_CHARACTER) + key.length * 2 + 200,
    });
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.plans.size, bytes: this.plans.calculatedSize };
  }

  async get(key: string): Promise<Plan | undefined> {
    return this.plans.get(key);
  }

  async set(key: string, plan: Plan): Promise<void> {
    this.plans.set(key, plan);
  }

  async delete(key: string): Promise<boolean> {
    return this.plans.delete(key);
  }

  clear(): void {
    this.plans.clear();
  }
}
