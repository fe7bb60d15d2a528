import { badInput } from '@partnergraph/common';
import type { PageInfo } from './types/PageInfo.js';

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 50;

/** A keyset position: the sort value and the id of the last row seen. */
export type CursorKey = [string | number, string];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined): CursorKey | null {
  if (cursor === null || cursor === undefined) return null;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === 2 && ['string', 'number'].includes(typeof key[0]) && typeof key[1] === 'string') {
      return key as CursorKey;
    }
  } catch {
    // fall through
  }
  throw badInput('Invalid cursor: pass an endCursor from a previous page.', 'after');
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
 */
export async function pageOfVisible<T>(options: {
  first: number | null | undefined;
  after: string | null | undefined;
  fetch: (after: CursorKey | null, limit: number) => Promise<T[]>;
  key: (row: T) => CursorKey;
  visible: (rows: T[]) => T[];
  maxScanned?: number;
}): Promise<Page<T>> {
  const size = pageSize(options.first);
  let after = decodeCursor(options.after);
  const maxScanned = options.maxScanned ?? Math.max(10 * size, 2000);
  const nodes: T[] = [];
  let scanned = 0;
  let exhausted = false;
  let lastKey: CursorKey | null = null;
  while (nodes.length <= size && !exhausted && scanned < maxScanned) {
    // A little more than needed: rows the policies hide then rarely cost a second round trip.
    const limit = Math.ceil((size + 1 - nodes.length) * 1.05) + 4;
    const batch = await options.fetch(after, limit);
    scanned += batch.length;
    if (batch.length < limit) exhausted = true;
    if (batch.length === 0) break;
    for (const row of options.visible(batch)) nodes.push(row);
    lastKey = options.key(batch[batch.length - 1]!);
    after = lastKey;
  }
  if (nodes.length > size) {
    const page = nodes.slice(0, size);
    return { nodes: page, pageInfo: { hasNextPage: true, endCursor: encodeCursor(options.key(page[page.length - 1]!)) } };
  }
  // Scan bound reached: more may follow from where scanning stopped.
  const hasNextPage = !exhausted && lastKey !== null;
  const endKey = hasNextPage ? lastKey : nodes.length ? options.key(nodes[nodes.length - 1]!) : null;
  return { nodes, pageInfo: { hasNextPage, endCursor: endKey ? encodeCursor(endKey) : null } };
}
