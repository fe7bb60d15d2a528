import { childTraceparent, continueTrace, internalProof, INTERNAL_PROOF_HEADER, outgoingTraceparent, type Logger } from '@partnergraph/common';
import { PURPOSE_HEADER } from '@partnergraph/vocabulary';
import { GraphQLError } from 'graphql';

/**
 * Where a peer owner's subgraph answers, by owner name (`police`, `housing`).
 * Asked on every call, so a test can start every owner on port 0 first and
 * tell them about each other afterwards. Absent = the peer is not configured.
 */
export type PeerUrls = (owner: string) => string | undefined;

/** `SUBGRAPH_<OWNER>_URL`: the same variables the gateway reads to find the subgraphs. */
export const peerUrlsFromEnv =
  (env: NodeJS.ProcessEnv = process.env): PeerUrls =>
  (owner) =>
    env[`SUBGRAPH_${owner.toUpperCase()}_URL`] || undefined;

export const DEFAULT_PEER_TIMEOUT_MS = 5000;

export interface PeerError {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: Record<string, unknown>;
}

export interface PeerAnswer<Data> {
  data: Data | null;
  /** Refusals the peer's own rules gave (FORBIDDEN, NOT_FOUND): the peer decided, so the answer counts. */
  refusals: PeerError[];
}

/** What a resolver may ask a peer owner: a GraphQL operation, as the caller, under the caller's purpose. */
export interface Peers {
  query<Data>(owner: string, query: string, variables?: Record<string, unknown>): Promise<PeerAnswer<Data>>;
}

/** The request a peer call continues: the caller's own credentials and purpose, nothing of ours. */
export interface PeerRequest {
  authorization: string | undefined;
  purpose: string;
  requestId: string;
  traceparent: string | undefined;
}

/** Codes by which a peer's own rules answer "no": the answer stands, fail closed. */
const DECIDING_CODES = new Set(['FORBIDDEN', 'NOT_FOUND']);

/**
 * A peer owner that did not answer, or answered with anything but data and
 * its own refusals: the caller gets a clear error, and whatever needed the
 * peer's word does not happen.
 */
export function peerUnavailable(owner: string): GraphQLError {
  return new GraphQLError(`The ${owner} subgraph could not be reached to check this; nothing was done. Try again later.`, {
    extensions: { code: 'SUBGRAPH_UNAVAILABLE', peer: owner },
  });
}

/**
 * One owner's subgraph asking another's, for one request: the caller's bearer
 * token and purpose are forwarded (the peer verifies them and applies its own
 * rules, taking no one's word), with the request id and trace, under a timeout.
 * Fails closed: no answer from the peer is an error, never a default.
 */
export function peerCaller(urls: PeerUrls, request: PeerRequest, options: { timeoutMs?: number; logger: Logger; internalKey?: string | undefined }): Peers {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PEER_TIMEOUT_MS;
  return {
    async query<Data>(owner: string, query: string, variables?: Record<string, unknown>): Promise<PeerAnswer<Data>> {
      const url = urls(owner);
      const log = options.logger.child({ peer: owner, requestId: request.requestId });
      if (!url || !request.authorization) {
        log.error(url ? 'peer call without the caller token' : 'peer not configured');
        throw peerUnavailable(owner);
      }
      let status = 0;
      let body: { data?: Data | null; errors?: PeerError[] } | undefined;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/graphql-response+json, application/json',
            authorization: request.authorization,
            [PURPOSE_HEADER]: request.purpose,
            'x-request-id': request.requestId,
            // The request's trace (its current span as parent when tracing is on); the caller's header outside a request.
            traceparent: outgoingTraceparent() ?? childTraceparent(continueTrace(request.traceparent)),
            // This request was admitted here already: the peer does not count it against the caller again.
            ...(options.internalKey ? { [INTERNAL_PROOF_HEADER]: internalProof(options.internalKey, request.authorization, request.purpose) } : {}),
          },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        status = res.status;
        body = (await res.json()) as typeof body;
      } catch (error) {
        log.error({ err: (error as Error).name, status }, 'peer did not answer');
        throw peerUnavailable(owner);
      }
      const errors = body?.errors ?? [];
      const undecided = errors.filter((e) => !DECIDING_CODES.has(String(e.extensions?.['code'])));
      if (status !== 200 || !body || !('data' in body) || undecided.length > 0) {
        log.error({ status, codes: errors.map((e) => e.extensions?.['code']) }, 'peer answered with an error');
        throw peerUnavailable(owner);
      }
      return { data: body.data ?? null, refusals: errors };
    },
  };
}
