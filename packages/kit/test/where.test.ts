import { describe, expect, it } from 'vitest';
import { Where } from '../src/index.js';

describe('Where: one builder for the filter clauses of the owners and the disclosure log', () => {
  it('numbers parameters after those already written, leaves out filters not given, and adds the limit last', () => {
    const where = new Where()
      .andSql((params) => {
        params.push('fob');
        return `t.company = $${params.length}`;
      })
      .andIf('ringparken', 't.area_id = ?')
      .andIf(undefined, 't.department_id = ?')
      .andIf(null, 't.kind = ?')
      .andIf('', 't.name = ?')
      .andIf(0, 'seq < ?')
      .and('(t.on, t.id) < (?::date, ?)', '2026-01-01', 'T1')
      .and('t.end_date IS NULL');
    expect(`SELECT * FROM t ${where} LIMIT ${where.param(50)}`).toBe(
      'SELECT * FROM t WHERE t.company = $1 AND t.area_id = $2 AND seq < $3 AND (t.on, t.id) < ($4::date, $5) AND t.end_date IS NULL LIMIT $6',
    );
    expect(where.params).toEqual(['fob', 'ringparken', 0, '2026-01-01', 'T1', 50]);
  });

  it('lets every ? of a condition given one value stand for it (one parameter, used twice)', () => {
    const where = new Where().and('(i.starts_on <= ?::date AND (i.ends_on IS NULL OR i.ends_on >= ?::date))', '2026-11-30');
    expect(String(where)).toBe('WHERE (i.starts_on <= $1::date AND (i.ends_on IS NULL OR i.ends_on >= $1::date))');
    expect(where.params).toEqual(['2026-11-30']);
  });

  it('is empty without conditions, and refuses a condition whose ? and values do not match', () => {
    expect(String(new Where())).toBe('');
    expect(() => new Where().and('a = ? AND b = ?', 1, 2, 3)).toThrow(/More values than \?/);
    expect(() => new Where().and('a = ? AND b = ? AND c = ?', 1, 2)).toThrow(/More \? than values/);
    expect(() => new Where().and('a = 1', 1)).toThrow(/no \?/);
  });
});
