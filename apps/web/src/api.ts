import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import registered from 'virtual:registered-operations';
import type { Session } from './session';

/** A GraphQL error as the app shows it: the code decides the words. */
export interface ApiError {
  code: string;
  message: string;
  /** Input field a BAD_USER_INPUT names. */
  field?: string;
  path?: ReadonlyArray<string | number>;
}

export interface ApiResult<Data> {
  data: Data | null;
  errors: ApiError[];
}

/** Thrown when there is no GraphQL answer at all (network, refusal before execution). */
export class RequestFailed extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 0,
  ) {
    super(message);
  }
}

export function operationName(document: TypedDocumentNode<unknown, never>): string {
  const definition = document.definitions.find((d) => d.kind === 'OperationDefinition');
  const name = definition && 'name' in definition ? definition.name?.value : undefined;
  if (!name) throw new Error('Every operation of the app is a named, registered operation.');
  return name;
}

/** The registered hash of an operation: the app sends only this, never query text. */
export function persistedQuery(name: string): { version: 1; sha256Hash: string } {
  const sha256Hash = registered[name];
  if (!sha256Hash) throw new Error(`${name} is not a registered operation: add it to schema/operations and run npm run schema.`);
  return { version: 1, sha256Hash };
}

export const authHeaders = (session: Session, purpose: string) => ({ authorization: `Bearer ${session.token}`, 'x-purpose': purpose });

type Variables<V> = V extends Record<string, never> ? undefined | V : V;

/**
 * Runs a registered operation at the gateway, under the session's token and
 * the chosen purpose. Partial answers are normal here (a field an owner does
 * not disclose is null with FORBIDDEN), so data and errors come back together.
 */
export async function run<Data, Vars>(
  session: Session,
  purpose: string,
  document: TypedDocumentNode<Data, Vars>,
  variables?: Variables<Vars>,
): Promise<ApiResult<Data>> {
  const name = operationName(document as TypedDocumentNode<unknown, never>);
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...authHeaders(session, purpose) },
      body: JSON.stringify({ operationName: name, variables: variables ?? {}, extensions: { persistedQuery: persistedQuery(name) } }),
    });
  } catch {
    throw new RequestFailed('NETWORK', 'No connection.');
  }
  let body: { data?: Data | null; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }> };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new RequestFailed('INTERNAL_SERVER_ERROR', `The server answered ${response.status}.`, response.status);
  }
  const errors: ApiError[] = (body.errors ?? []).map((e) => ({
    code: typeof e.extensions?.['code'] === 'string' ? (e.extensions['code'] as string) : 'INTERNAL_SERVER_ERROR',
    message: e.message,
    ...(typeof e.extensions?.['field'] === 'string' ? { field: e.extensions['field'] as string } : {}),
    ...(e.path ? { path: e.path } : {}),
  }));
  if (!('data' in body) && errors.length) throw new RequestFailed(errors[0]!.code, errors[0]!.message, response.status);
  return { data: body.data ?? null, errors };
}

/** The first error of a kind, e.g. the CONFLICT of a mutation. */
export const firstError = (result: ApiResult<unknown>, ...codes: string[]) => result.errors.find((e) => codes.length === 0 || codes.includes(e.code));
