import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageOfVisible, type CursorKey, type CursorShape } from '../src/pagination.js';

interface Row {
  day: string;
  id: string;
  visible: boolean;
}

const SHAPE: CursorShape = { sort: 'day', id: (id) => /^D\d{7}$/.test(id) };

/** Rows newest first; every `every`-th visible, the rest hidden by "policy". */
function rows(count: number, visibleWhen: (i: number) => boolean): Row[] {
  return Array.from({ length: count }, (_, i) => {
    const day = new Date(Date.UTC(2024, 0, 1) - i * 86_400_000).toISOString().slice(0, 10);
    return { day, id: `D${String(count - i).padStart(7, '0')}`, visible: visibleWhen(i) };
  });
}

function page(all: Row[], first: number, after: string | null, maxScanned: number) {
  const fetched: CursorKey[] = [];
  return pageOfVisible<Row>({
    first,
    after,
    cursor: SHAPE,
    key: (row) => [row.day, row.id],
    visible: (batch) => batch.filter((r) => r.visible),
    maxScanned,
    fetch: async (cursor, limit) => {
      if (cursor) fetched.push(cursor);
      const start = cursor ? all.findIndex((r) => r.day < cursor[0] || (r.day === cursor[0] && r.id < cursor[1])) : 0;
      return start === -1 ? [] : all.slice(start, start + limit);
    },
  });
}

/** Every key a cursor can be read as without the owner's key: the plain JSON, or nothing. */
function readable(cursor: string): string {
  return Buffer.from(cursor, 'base64url').toString('latin1') + cursor;
}

describe('keyset pages over the rows a principal may see (issue 8 § 7)', () => {
  it("never puts a hidden row's key in an endCursor, and still pages through every visible row once", async () => {
    // Long runs of hidden rows: the scan bound stops in the middle of them.
    const all = rows(400, (i) => i % 97 === 0 || i === 399);
    const hidden = all.filter((r) => !r.visible);
    const seen: string[] = [];
    let after: string | null = null;
    let sealed = 0;
    for (let pages = 0; pages < 100; pages++) {
      const { nodes, pageInfo } = await page(all, 2, after, 30);
      seen.push(...nodes.map((n) => n.id));
      if (pageInfo.endCursor) {
        const text = readable(pageInfo.endCursor);
        for (const row of hidden) {
          expect(text).not.toContain(row.id);
          expect(text).not.toContain(row.day);
        }
        if (pageInfo.endCursor.startsWith('s.')) sealed++;
      }
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(seen).toEqual(all.filter((r) => r.visible).map((r) => r.id));
    // The bound was hit inside hidden runs, so some positions had to be sealed.
    expect(sealed).toBeGreaterThan(0);
  });

  it('uses a visible row\'s key when the page ends on one', async () => {
    const all = rows(10, () => true);
    const { pageInfo } = await page(all, 3, null, 2000);
    expect(decodeCursor(pageInfo.endCursor, SHAPE)).toEqual([all[2]!.day, all[2]!.id]);
    expect(pageInfo.endCursor!.startsWith('s.')).toBe(false);
  });

  it('refuses cursors that are not a position of this list, before any fetch', async () => {
    const bad = [
      '!!!',
      encodeCursor(["2020-01-01' OR 1=1", 'D0000001']),
      Buffer.from('[1e300,"D0000001"]').toString('base64url'),
      encodeCursor(['2020-02-30', 'D0000001']),
      encodeCursor(['2020-01-01', 'J0000001']),
      encodeCursor(['2020-01-01T00:00:00.000Z', 'D0000001']),
      Buffer.from('{"0":"2020-01-01","1":"D0000001"}').toString('base64url'),
      's.' + Buffer.alloc(40).toString('base64url'),
      // Sealed, then tampered with.
      (() => {
        const sealed = encodeCursor(['2020-01-01', 'D0000001'], true);
        return sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
      })(),
      'W'.repeat(600),
    ];
    for (const cursor of bad) {
      await expect(page(rows(3, () => true), 1, cursor, 10), cursor).rejects.toMatchObject({
        message: 'Invalid cursor: pass an endCursor from a previous page of the same list.',
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    expect(decodeCursor(encodeCursor(['2020-01-01', 'D0000001'], true), SHAPE)).toEqual(['2020-01-01', 'D0000001']);
  });
});
