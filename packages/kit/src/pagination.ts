import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { badInput } from '@partnergraph/common';
import type { PageInfo } from './types/PageInfo.js';

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 50;

/** A keyset position: the sort value and the id of the last row seen. */
export type CursorKey = [string | number, string];

/**
 * What a list's cursor holds, checked before any of it reaches SQL: the sort
 * value's kind (a day `YYYY-MM-DD`, an instant `YYYY-MM-DDTHH:MM:SS.mmmZ`, a
 * sequence number, or none: `''`) and the owner's id format.
 */
export interface CursorShape {
  sort: 'day' | 'instant' | 'sequence' | 'none';
  id: (value: string) => boolean;
}

const INVALID = 'Invalid cursor: pass an endCursor from a previous page of the same list.';

/** A calendar day that exists (2020-02-30 and 0000-01-01 do not), as PostgreSQL's `date` reads it. */
export function isDay(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  // Years 0001-9999: PostgreSQL has no year zero.
  const time = Date.parse(`${value}T00:00:00Z`);
  return value >= '0001-01-01' && !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

/** An instant as the owners write it (UTC, milliseconds), that exists. */
export function isInstant(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value)) return false;
  const time = Date.parse(value);
  return value >= '0001-01-01' && !Number.isNaN(time) && new Date(time).toISOString() === value;
}

function fitsShape(key: unknown, shape: CursorShape): key is CursorKey {
  if (!Array.isArray(key) || key.length !== 2) return false;
  const [sort, id] = key as unknown[];
  if (typeof id !== 'string' || !shape.id(id)) return false;
  switch (shape.sort) {
    case 'day':
      return isDay(sort);
    case 'instant':
      return isInstant(sort);
    case 'sequence':
      return typeof sort === 'number' && Number.isSafeInteger(sort) && sort >= 0;
    case 'none':
      return sort === '';
  }
}

/**
 * Positions after a row the principal may not see are sealed (AES-256-GCM), so
 * a cursor never tells a caller the sort value or id of a hidden row. The key
 * is `PARTNERGRAPH_CURSOR_KEY` (any secret shared by an owner's instances) or,
 * without it, one made at start: then a sealed cursor is good only on the
 * instance that made it, and elsewhere is refused as invalid.
 */
const SEALED = 's.';
let sealingKey: Buffer | undefined;
function key(): Buffer {
  const secret = process.env['PARTNERGRAPH_CURSOR_KEY'];
  sealingKey ??= secret ? createHash('sha256').update(`partnergraph cursor\n${secret}`).digest() : randomBytes(32);
  return sealingKey;
}

function seal(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return SEALED + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

function unseal(sealed: string): string | undefined {
  const raw = Buffer.from(sealed.slice(SEALED.length), 'base64url');
  if (raw.length < 29) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key(), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** A cursor for a position; `hidden` when the row there is one the principal may not see. */
export function encodeCursor(position: CursorKey, hidden = false): string {
  const plain = JSON.stringify(position);
  return hidden ? seal(plain) : Buffer.from(plain).toString('base64url');
}

/** A cursor back to its position, or BAD_USER_INPUT when it is not one this list made. */
export function decodeCursor(cursor: string | null | undefined, shape: CursorShape): CursorKey | null {
  if (cursor === null || cursor === undefined) return null;
  if (cursor.length <= 512) {
    const text = cursor.startsWith(SEALED) ? unseal(cursor) : Buffer.from(cursor, 'base64url').toString('utf8');
    try {
      const position = text === undefined ? undefined : (JSON.parse(text) as unknown);
      if (fitsShape(position, shape)) return position;
    } catch {
      // not JSON: invalid like any other
    }
  }
  throw badInput(INVALID, 'after');
}

export function pageSize(first: number | null | undefined): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 1 and ${MAX_PAGE_SIZE}.`, 'first');
  }
  return size;
}

export interface Page<T> {
  nodes: T[];
  pageInfo: PageInfo;
}

/**
 * Pages over rows in keyset order, keeping only rows the principal may see.
 * Hidden rows never count toward the page; scanning is bounded so that a
 * principal who sees little cannot make the owner read everything at once.
 * The cursor is checked against `cursor` before `fetch` sees it.
 */
export async function pageOfVisible<T>(options: {
  first: number | null | undefined;
  after: string | null | undefined;
  cursor: CursorShape;
  fetch: (after: CursorKey | null, limit: number) => Promise<T[]>;
  key: (row: T) => CursorKey;
  visible: (rows: T[]) => T[];
  maxScanned?: number;
}): Promise<Page<T>> {
  const size = pageSize(options.first);
  let after = decodeCursor(options.after, options.cursor);
  const maxScanned = options.maxScanned ?? Math.max(10 * size, 2000);
  const nodes: T[] = [];
  let scanned = 0;
  let exhausted = false;
  let last: { key: CursorKey; visible: boolean } | null = null;
  while (nodes.length <= size && !exhausted && scanned < maxScanned) {
    // A little more than needed: rows the policies hide then rarely cost a second round trip.
    const limit = Math.ceil((size + 1 - nodes.length) * 1.05) + 4;
    const batch = await options.fetch(after, limit);
    scanned += batch.length;
    if (batch.length < limit) exhausted = true;
    if (batch.length === 0) break;
    const shown = options.visible(batch);
    for (const row of shown) nodes.push(row);
    const lastRow = batch[batch.length - 1]!;
    last = { key: options.key(lastRow), visible: shown[shown.length - 1] === lastRow };
    after = last.key;
  }
  if (nodes.length > size) {
    const page = nodes.slice(0, size);
    return { nodes: page, pageInfo: { hasNextPage: true, endCursor: encodeCursor(options.key(page[page.length - 1]!)) } };
  }
  // Scan bound reached: more may follow from where scanning stopped, which may be a hidden row (sealed then).
  if (!exhausted && last !== null) return { nodes, pageInfo: { hasNextPage: true, endCursor: encodeCursor(last.key, !last.visible) } };
  const endKey = nodes.length ? options.key(nodes[nodes.length - 1]!) : null;
  return { nodes, pageInfo: { hasNextPage: false, endCursor: endKey ? encodeCursor(endKey) : null } };
}
