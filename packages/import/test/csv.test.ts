import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvReader, csvLine, detectDelimiter } from '../src/csv.js';
import type { Column } from '../src/kind.js';
import { FileError, openSource } from '../src/source.js';
import { int, text } from '../src/values.js';

const dir = mkdtempSync(join(tmpdir(), 'csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (text: string, delimiter = ';', pieces = 1) => {
  const reader = new CsvReader(delimiter);
  const out = [];
  const size = Math.ceil(text.length / pieces);
  for (let i = 0; i < text.length; i += size) out.push(...reader.push(text.slice(i, i + size)));
  out.push(...reader.end());
  return out;
};

const columns: Column[] = [
  { field: 'name', headers: ['Navn'], type: text({ max: 50 }), description: '' },
  { field: 'count', headers: ['Antal'], type: int({ min: 0, max: 10 }), description: '' },
];

describe('CSV as spreadsheets write it', () => {
  it('reads quoted fields with delimiters, quotes and line breaks, and knows each record\'s first line', () => {
    const text = 'a;b\r\n"x;y";"he said ""hej"""\r\n"two\r\nlines";3\n5" pipe;4';
    for (const pieces of [1, 2, 7, text.length]) {
      expect(read(text, ';', pieces)).toEqual([
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['x;y', 'he said "hej"'] },
        { line: 3, fields: ['two\r\nlines', '3'] },
        { line: 5, fields: ['5" pipe', '4'] },
      ]);
    }
    expect(() => read('a;"open\n')).toThrow(/never closed/);
  });

  it('tells the delimiter from the header, and writes lines it reads back', () => {
    expect(detectDelimiter('Afdeling;Navn;Område')).toBe(';');
    expect(detectDelimiter('area,year,"a;b"')).toBe(',');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    const values = ['x;y', 'he said "hej"', ' padded ', 'plain', 'a,b'];
    expect(read(csvLine(values, ';'))).toEqual([{ line: 1, fields: values }]);
    expect(csvLine(['a,b'], ';')).toBe('a,b\r\n');
  });

  it('reads UTF-8 with or without BOM, maps headers whatever their case and accents, and refuses a missing column', async () => {
    const withBom = join(dir, 'bom.csv');
    writeFileSync(withBom, '\uFEFFnavn;ANTAL;Ekstra\r\nÆble;2;x\r\n\r\nØl;3;y');
    const source = await openSource(withBom, columns);
    expect(source.ignored).toEqual(['Ekstra']);
    const rows = [];
    for await (const row of source.rows) rows.push([row.line, row.cells.get('name'), row.cells.get('count')]);
    expect(rows).toEqual([
      [2, 'Æble', '2'],
      [4, 'Øl', '3'],
    ]);
    const missing = join(dir, 'missing.csv');
    writeFileSync(missing, 'Navn\r\nÆble\r\n');
    await expect(openSource(missing, columns)).rejects.toThrow('Missing column: Antal (count). Every row would lack it, so nothing was imported.');
    const latin1 = join(dir, 'latin1.csv');
    writeFileSync(latin1, Buffer.from('Navn;Antal\r\n\xc6ble;2\r\n', 'latin1'));
    const bad = await openSource(latin1, columns);
    await expect((async () => {
      for await (const _ of bad.rows) void _;
    })()).rejects.toThrow(/Line 2: the file is not UTF-8 text/);
    await expect(openSource(join(dir, 'nope.csv'), columns)).rejects.toBeInstanceOf(FileError);
  });

  it('reads JSON Lines by field names, and reports a broken line without stopping', async () => {
    const file = join(dir, 'rows.jsonl');
    writeFileSync(file, '{"name":"a","count":1}\n\n{"name":"b", oops}\n[1]\n{"Navn":"c","count":null}\n');
    const source = await openSource(file, columns);
    const rows = [];
    for await (const row of source.rows) rows.push([row.line, row.broken?.reason ?? null, row.cells.get('name') ?? null]);
    expect(rows).toEqual([
      [1, null, 'a'],
      [3, 'is not valid JSON', null],
      [4, 'is not a JSON object', null],
      [5, null, 'c'],
    ]);
  });
});
