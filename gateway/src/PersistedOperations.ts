import { existsSync, readFileSync } from 'node:fs';
import { parse, print } from 'graphql';
import type { KeyValueStore } from './cache/KeyValueStore.js';
import { sha256 } from './Documents.js';

/** The registered operations: `schema/persisted-operations.json`, written at build from schema/operations. */
export type OperationManifest = Record<string, { name: string; query: string }>;

export function loadManifest(path: string | undefined): OperationManifest {
  if (!path || !existsSync(path)) return {};
  return JSON.parse(readFileSync(path, 'utf8')) as OperationManifest;
}

/** The hash an operation is registered under: of its canonical print, so formatting does not matter. */
export function canonicalHash(query: string): string {
  return sha256(print(parse(query)));
}

function canonicalHashOrUndefined(query: string): string | undefined {
  try {
    return canonicalHash(query);
  } catch {
    return undefined;
  }
}

export class OperationError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface PersistedQueryExtension {
  version?: number;
  sha256Hash?: string;
}

/** Who registers or looks up a persisted query. */
export interface PersistedQueryCaller {
  /** Registrations are kept per organisation: another company's hash lookups never find them. */
  organisation: string;
  /** May run unregistered (ad-hoc) text under the safelist: analysts. */
  mayRunAdHoc: boolean;
}

/**
 * Automatic persisted queries (hash first, text once) stored in Redis so every
 * gateway process knows them, plus the safelist: when on, apps may run only
 * registered operations; analysts may also send ad-hoc queries (within the
 * analyst cost budget, checked elsewhere), and anyone may ask for the schema.
 * A registration is the
 * organisation's own: a query text can name a person, so whether company A
 * sent an exact text must not be learnable by company B asking for its hash.
 * Registered (manifest) operations are known to every caller.
 */
export class PersistedOperations {
  constructor(
    private readonly manifest: OperationManifest,
    private readonly store: KeyValueStore,
    private readonly safelist: boolean,
    /** The canonical hash of a text, undefined when it does not parse; the gateway's parse-once cache. */
    private readonly canonicalHashOf: (text: string) => string | undefined = canonicalHashOrUndefined,
    private readonly ttlSeconds = 7 * 24 * 3600,
    /** Whether a text asks only for the schema (`__schema`, `__type`): every verified principal may, safelist or not. */
    private readonly schemaOnly: (text: string) => boolean = () => false,
  ) {}

  get registeredCount(): number {
    return Object.keys(this.manifest).length;
  }

  /** The query text to execute, and whether it is a registered operation. */
  async resolve(query: unknown, extension: PersistedQueryExtension | undefined, caller: PersistedQueryCaller): Promise<{ query: string; registered: boolean }> {
    const { mayRunAdHoc } = caller;
    const key = (hash: string) => `apq:${caller.organisation}:${hash}`;
    let text: string | undefined = typeof query === 'string' ? query : undefined;
    if (query !== undefined && query !== null && typeof query !== 'string') throw new OperationError('BAD_REQUEST', 'query must be a string.');
    if (extension) {
      const hash = extension.sha256Hash;
      if (extension.version !== 1 || typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) {
        throw new OperationError('PERSISTED_QUERY_INVALID', 'persistedQuery needs version 1 and a sha256Hash of 64 hex digits.');
      }
      if (text !== undefined) {
        if (sha256(text) !== hash) throw new OperationError('PERSISTED_QUERY_HASH_MISMATCH', 'The sha256Hash does not match the query.');
        // Register only what this principal could run as text anyway.
        if (!this.safelist || mayRunAdHoc || this.isRegistered(text)) await this.store.set(key(hash), text, this.ttlSeconds);
      } else {
        text = this.manifest[hash]?.query ?? (await this.store.get(key(hash)));
        if (text === undefined) throw new OperationError('PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound', 200);
      }
    }
    if (text === undefined) throw new OperationError('BAD_REQUEST', 'Send a query, or the sha256Hash of a persisted one.');
    const registered = this.isRegistered(text);
    if (this.safelist && !registered && !mayRunAdHoc && !this.schemaOnly(text)) {
      throw new OperationError('OPERATION_NOT_REGISTERED', 'Only registered operations may be run by this principal.', 403);
    }
    return { query: text, registered };
  }

  private isRegistered(text: string): boolean {
    if (this.registeredCount === 0) return false;
    const hash = this.canonicalHashOf(text);
    // Unparsable: not registered; the parse step reports the syntax error.
    return hash !== undefined && hash in this.manifest;
  }
}
