import { listsIn, toCsv } from '@partnergraph/operations';
import { describe, expect, it } from 'vitest';

/** A result list as CSV, as the workbench and `npm run gql -- --csv` write it. */
describe('result lists as CSV', () => {
  const data = {
    injunctionStatistics: {
      fromYear: 2020,
      years: [
        { year: 2023, total: { count: 7, suppressed: false }, byKind: [{ kind: 'PARENTAL', count: null, suppressed: true }, { kind: 'CHILD', count: 0, suppressed: false }] },
        { year: 2024, total: { count: null, suppressed: true }, byKind: [] },
      ],
    },
  };

  it('finds every list, and the lists inside a list beside their parent fields', () => {
    expect(listsIn(data).map((l) => [l.path, l.rows.length])).toEqual([
      ['injunctionStatistics.years', 2],
      ['injunctionStatistics.years[].byKind', 2],
    ]);
    expect(listsIn(null)).toEqual([]);
  });

  it('keeps a suppressed cell empty with its flag, never 0, and a true 0 as 0', () => {
    const [years, byKind] = listsIn(data);
    expect(toCsv(byKind!.rows)).toBe(
      ['year,total.count,total.suppressed,byKind.kind,byKind.count,byKind.suppressed', '2023,7,false,PARENTAL,,true', '2023,7,false,CHILD,0,false', ''].join('\r\n'),
    );
    const lines = toCsv(years!.rows).split('\r\n');
    expect(lines[0]).toBe('year,total.count,total.suppressed,byKind');
    expect(lines[2]).toBe('2024,,true,');
  });

  it('quotes what needs quoting and defuses spreadsheet formulas', () => {
    const csv = toCsv([{ title: 'Tryghedsvandring, "Motalavej"', note: '=HYPERLINK("x")', n: -3, multi: 'a\nb' }]);
    expect(csv).toBe(`title,note,n,multi\r\n"Tryghedsvandring, ""Motalavej""","'=HYPERLINK(""x"")",-3,"a\nb"\r\n`);
  });
});
