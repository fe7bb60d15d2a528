import { describe, expect, it } from 'vitest';
import { AREA_CHOICES, area, areas } from '../src/references.js';
import { date, decimal, int, kroner, month, parseNumber, period, pseudonym, text, ValueError, yesNo } from '../src/values.js';

const reason = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValueError) return error.message;
    throw error;
  }
  return null;
};

describe('cell values as Danish and English exports write them', () => {
  it('reads Danish numbers in Danish files and decimal points elsewhere', () => {
    expect(parseNumber('1.234,5', 'danish')).toBe(1234.5);
    expect(parseNumber('1234,5', 'danish')).toBe(1234.5);
    expect(parseNumber('72,7 %', 'danish')).toBe(72.7);
    expect(parseNumber('1.234', 'danish')).toBe(1234);
    // A lone point that groups no thousands is a decimal point (English-locale tables saved as Danish CSV).
    expect(parseNumber('72.5', 'danish')).toBe(72.5);
    expect(parseNumber('1,234.5', 'point')).toBe(1234.5);
    expect(parseNumber('1234.5', 'point')).toBe(1234.5);
    expect(parseNumber(61.5, 'point')).toBe(61.5);
    expect(reason(() => parseNumber('12,5', 'point'))).toBe('not a number (use a decimal point in this file)');
    expect(reason(() => parseNumber('ca. 85', 'danish'))).toBe('not a number (write e.g. 1.234,5 or 1234,5)');
    expect(reason(() => int({ min: 1, max: 20 }).parse('2,5', 'danish'))).toBe('not a whole number');
    expect(reason(() => int({ min: 1, max: 20 }).parse('21', 'danish'))).toBe('must be between 1 and 20');
    expect(reason(() => decimal({ min: 0, max: 100, decimals: 1 }).parse('72,75', 'danish'))).toBe('has more than 1 decimal');
    expect(decimal({ min: 0, max: 100, decimals: 1 }).format(58, 'danish')).toBe('58,0');
    expect(kroner({ min: 0, max: 100000 }).parse('6.543,50 kr.', 'danish')).toBe(6544);
  });

  it('reads dd-mm-yyyy and ISO dates, months and periods, and refuses days that do not exist', () => {
    expect(date.parse('31-12-2024', 'danish')).toBe('2024-12-31');
    expect(date.parse('1.3.2024', 'danish')).toBe('2024-03-01');
    expect(date.parse('2024-03-01', 'point')).toBe('2024-03-01');
    expect(date.parse('2024-03-01T00:00:00Z', 'point')).toBe('2024-03-01');
    expect(reason(() => date.parse('31-02-2019', 'danish'))).toBe('not a calendar date');
    expect(reason(() => date.parse('2019-13-01', 'danish'))).toBe('not a calendar date');
    expect(reason(() => date.parse('03/31/2024', 'danish'))).toBe('not a calendar date');
    expect(reason(() => date.parse('i går', 'danish'))).toBe('not a date (write dd-mm-yyyy or yyyy-mm-dd)');
    expect(date.format('2024-12-31', 'danish')).toBe('31-12-2024');
    expect(month.parse('03-2024', 'danish')).toBe('2024-03-01');
    expect(month.parse('2024-3', 'danish')).toBe('2024-03-01');
    expect(month.parse('marts 2024', 'danish')).toBe('2024-03-01');
    expect(month.parse('01-03-2024', 'danish')).toBe('2024-03-01');
    expect(reason(() => month.parse('15-03-2024', 'danish'))).toBe('a month given as a date must be its 1st day');
    expect(period.parse('01-04-2014 – 31-08-2017', 'danish')).toEqual({ start: '2014-04-01', end: '2017-08-31' });
    expect(period.parse('01-04-2014 - 31-08-2017', 'danish')).toEqual({ start: '2014-04-01', end: '2017-08-31' });
    expect(period.parse('01/04/2014 til 31/08/2017', 'danish')).toEqual({ start: '2014-04-01', end: '2017-08-31' });
    expect(period.parse('2014-04-01/2017-08-31', 'point')).toEqual({ start: '2014-04-01', end: '2017-08-31' });
    expect(period.parse('01-04-2014 –', 'danish')).toEqual({ start: '2014-04-01', end: null });
    expect(period.parse('fra 01-04-2014', 'danish')).toEqual({ start: '2014-04-01', end: null });
    expect(period.parse({ startsOn: '2014-04-01', endsOn: null }, 'point')).toEqual({ start: '2014-04-01', end: null });
    expect(reason(() => period.parse('31-08-2017 – 01-04-2014', 'danish'))).toBe('ends before it starts');
    expect(period.format({ start: '2014-04-01', end: null }, 'danish')).toBe('01-04-2014 –');
  });

  it('names areas by id or either of their names, and lists them without repeats', () => {
    expect(area.parse('Schackenborg Vænge', 'danish')).toBe('ringparken');
    expect(area.parse('PARKVEJ / PRÆSTEVANGEN', 'danish')).toBe('parkvej');
    expect(area.parse('motalavej', 'danish')).toBe('motalavej');
    expect(reason(() => area.parse('Vollsmose', 'danish'))).toMatch(/^unknown area \(known: Motalavej, /);
    expect(areas.parse('Sydbyen, Motalavej', 'danish')).toEqual(['motalavej', 'sydbyen']);
    expect(reason(() => areas.parse('Sydbyen, sydbyen', 'danish'))).toBe('names a area twice');
    expect(AREA_CHOICES).toHaveLength(4);
    expect(yesNo.parse('Ja', 'danish')).toBe(true);
    expect(yesNo.parse('nej', 'danish')).toBe(false);
  });

  it('never lets a CPR number in, and keeps spreadsheet formulas as text', () => {
    expect(pseudonym.parse('pab12cd34ef', 'danish')).toBe('PAB12CD34EF');
    // A pseudonym that happens to be all digits is still a pseudonym.
    expect(pseudonym.parse('P0101901234', 'danish')).toBe('P0101901234');
    expect(reason(() => pseudonym.parse('010190-1234', 'danish'))).toBe('looks like a CPR number; files must carry the pseudonymous person id, never CPR');
    expect(reason(() => pseudonym.parse('0101901234', 'danish'))).toBe('looks like a CPR number; files must carry the pseudonymous person id, never CPR');
    const name = text({ max: 200, noCpr: true });
    expect(reason(() => name.parse('Anne Hansen 010190-1234', 'danish'))).toBe('contains what looks like a CPR number, which never enters the system');
    expect(name.format('=1+1', 'danish')).toBe("'=1+1");
    expect(name.parse("'=1+1", 'danish')).toBe('=1+1');
    expect(name.parse("'quoted", 'danish')).toBe("'quoted");
    expect(name.format('=1+1', 'json')).toBe('=1+1');
  });
});
