/** A small string store with expiry: Redis in production, memory as fallback and for the embedded default. */
export interface KeyValueStore {
  get(key: string): Promise<string | undefined>;
  /** Several keys in one round trip. */
  getMany(keys: readonly string[]): Promise<Array<string | undefined>>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
}
