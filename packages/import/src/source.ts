import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { extname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { CsvReader, CsvSyntaxError, detectDelimiter } from './csv.js';
import type { Column } from './kind.js';
import { fold, type NumberStyle, type Raw } from './values.js';

export type FileFormat = 'csv' | 'jsonl';

/** A problem with the whole file (not one row): nothing is imported. */
export class FileError extends Error {
  constructor(
    message: string,
    readonly line: number | null = null,
  ) {
    super(message);
  }
}

/** One data row of the file, by column field; a column the file lacks is absent. */
export interface SourceRow {
  line: number;
  cells: Map<string, Raw>;
  /** Why the row cannot be read at all (wrong number of fields, bad JSON). */
  broken?: { column: string; reason: string };
}

export interface Source {
  format: FileFormat;
  /** How numbers are written in it. */
  style: NumberStyle;
  /** Fields of the columns present in the file. */
  present: Set<string>;
  /** Header names the file has that no column takes (reported, then ignored). */
  ignored: string[];
  /** The header each present field was given under (for reports). */
  headerOf: Map<string, string>;
  rows: AsyncIterable<SourceRow>;
  totalBytes: number;
  /** Bytes read so far: progress. */
  bytesRead(): number;
  /** SHA-256 of the file, once it was read to the end (names the file in the change log). */
  sha256(): string;
}

export function formatOf(path: string): FileFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.csv' || ext === '.txt' || ext === '.tsv') return 'csv';
  throw new FileError(`Cannot tell the format of ${path}: name it .csv (or .txt, .tsv) or .jsonl (or .ndjson).`);
}

/** Maps header names to columns: every name a column accepts, folded (`Lejemålsnr.` = `lejemaalsnr`). */
function headerMatcher(columns: readonly Column[]): (header: string) => Column | undefined {
  const byName = new Map<string, Column>();
  for (const column of columns) for (const name of [column.field, ...column.headers]) byName.set(fold(name), column);
  return (header) => byName.get(fold(header));
}

function checkColumns(columns: readonly Column[], present: Set<string>): void {
  const missing = columns.filter((c) => !c.optional && !present.has(c.field));
  if (missing.length) {
    throw new FileError(
      `Missing column${missing.length > 1 ? 's' : ''}: ${missing.map((c) => `${c.headers[0]} (${c.field})`).join(', ')}. ` +
        'Every row would lack it, so nothing was imported.',
      1,
    );
  }
}

const NOT_UTF8 = 'the file is not UTF-8 text (was it saved as Windows-1252/ANSI? Save it as "CSV UTF-8")';

async function* chunks(path: string, onBuffer: (buffer: Buffer) => void): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let first = true;
  for await (const buffer of createReadStream(path, { highWaterMark: 1 << 18 }) as AsyncIterable<Buffer>) {
    onBuffer(buffer);
    let text = decoder.write(buffer);
    if (first) {
      text = text.replace(/^\uFEFF/, '');
      first = false;
    }
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

/**
 * Opens a CSV or JSON Lines file for streaming: reads the header (CSV) or the
 * first record (JSON Lines) to map columns, checks that every required column
 * is there, then yields rows one by one; nothing but the current piece of the
 * file is held in memory.
 */
export async function openSource(path: string, columns: readonly Column[]): Promise<Source> {
  const format = formatOf(path);
  let totalBytes: number;
  try {
    totalBytes = statSync(path).size;
  } catch {
    throw new FileError(`Cannot read ${path}: no such file.`);
  }
  let read = 0;
  const hash = createHash('sha256');
  const stream = chunks(path, (buffer) => {
    read += buffer.length;
    hash.update(buffer);
  })[Symbol.asyncIterator]();
  const match = headerMatcher(columns);
  const opening: Opening = { stream, match, columns, totalBytes, bytesRead: () => read };
  const opened = format === 'csv' ? await openCsv(opening) : await openJsonl(opening);
  let digest: string | undefined;
  return { ...opened, sha256: () => (digest ??= hash.digest('hex')) };
}

interface Opening {
  stream: AsyncIterator<string>;
  match: (header: string) => Column | undefined;
  columns: readonly Column[];
  totalBytes: number;
  bytesRead: () => number;
}

/** Which column each header (CSV) or key (JSON Lines) gives; unknown ones are reported and ignored. */
function mapHeaders(names: readonly string[], { match, columns }: Opening, line: number) {
  const fields: Array<string | null> = [];
  const present = new Set<string>();
  const headerOf = new Map<string, string>();
  const ignored: string[] = [];
  for (const raw of names) {
    const name = raw.trim();
    const column = name === '' ? undefined : match(name);
    fields.push(column?.field ?? null);
    if (!column) {
      if (name !== '') ignored.push(name);
      continue;
    }
    if (present.has(column.field)) {
      throw new FileError(`Columns ${headerOf.get(column.field)} and ${name} both give ${column.headers[0]} (${column.field}).`, line);
    }
    present.add(column.field);
    headerOf.set(column.field, name);
  }
  checkColumns(columns, present);
  return { fields, present, headerOf, ignored };
}

async function openCsv(opening: Opening): Promise<Omit<Source, 'sha256'>> {
  const { stream, totalBytes, bytesRead } = opening;
  // Read until the header line is complete to see its delimiter.
  let buffered = '';
  for (;;) {
    const next = await stream.next();
    if (next.done) break;
    buffered += next.value;
    if (/\r|\n/.test(buffered)) break;
  }
  if (buffered.trim() === '') throw new FileError('The file is empty: it has no header row.', 1);
  const headerLine = buffered.split(/\r?\n|\r/, 1)[0]!;
  if (headerLine.includes('\uFFFD')) throw new FileError(`Line 1: ${NOT_UTF8}.`, 1);
  const delimiter = detectDelimiter(headerLine);
  const reader = new CsvReader(delimiter);
  const pending = reader.push(buffered);
  let header: string[] | undefined;
  const takeHeader = (records: typeof pending) => {
    if (!header && records.length) header = records.shift()!.fields;
  };
  takeHeader(pending);
  if (!header) {
    // The header line has a quoted line break: read on until it ends.
    for (;;) {
      const next = await stream.next();
      if (next.done) {
        pending.push(...reader.end());
        takeHeader(pending);
        break;
      }
      pending.push(...reader.push(next.value));
      takeHeader(pending);
      if (header) break;
    }
  }
  if (!header) throw new FileError('The file has no complete header row.', 1);
  const { fields: fieldAt, present, headerOf, ignored } = mapHeaders(header, opening, 1);
  const width = header.length;

  async function* rows(): AsyncGenerator<SourceRow> {
    const toRow = (record: { line: number; fields: string[] }): SourceRow | null => {
      if (record.fields.length === 1 && record.fields[0]!.trim() === '') return null;
      if (record.fields.every((f) => f.trim() === '')) return null;
      const cells = new Map<string, Raw>();
      for (let i = 0; i < fieldAt.length && i < record.fields.length; i++) {
        const field = fieldAt[i];
        if (!field) continue;
        const value = record.fields[i]!;
        if (value.includes('\uFFFD')) throw new FileError(`Line ${record.line}: ${NOT_UTF8}.`, record.line);
        cells.set(field, value.trim() === '' ? null : value);
      }
      if (record.fields.length !== width) {
        return {
          line: record.line,
          cells,
          broken: {
            column: '-',
            reason: `has ${record.fields.length} field${record.fields.length === 1 ? '' : 's'} where the header has ${width} (a missing or extra ${delimiter === ';' ? 'semicolon' : delimiter === ',' ? 'comma' : 'tab'}, or an unquoted one inside a value?)`,
          },
        };
      }
      return { line: record.line, cells };
    };
    try {
      // The records read with the header, handed out and let go.
      for (let i = 0; i < pending.length; i++) {
        const row = toRow(pending[i]!);
        if (row) yield row;
      }
      pending.length = 0;
      for (;;) {
        const next = await stream.next();
        const records = next.done ? reader.end() : reader.push(next.value);
        for (const record of records) {
          const row = toRow(record);
          if (row) yield row;
        }
        if (next.done) break;
      }
    } catch (error) {
      if (error instanceof CsvSyntaxError) throw new FileError(`Line ${error.line}: ${error.message}.`, error.line);
      throw error;
    }
  }

  return { format: 'csv', style: delimiter === ',' ? 'point' : 'danish', present, ignored, headerOf, rows: rows(), totalBytes, bytesRead };
}

async function openJsonl(opening: Opening): Promise<Omit<Source, 'sha256'>> {
  const { stream, match, totalBytes, bytesRead } = opening;
  // Lines one at a time; the first record's keys name the columns (every record is checked against them).
  let rest = '';
  let lineNo = 0;
  async function* allLines(): AsyncGenerator<{ line: number; text: string }> {
    for (;;) {
      const next = await stream.next();
      if (!next.done) rest += next.value;
      let from = 0;
      let at: number;
      while ((at = rest.indexOf('\n', from)) >= 0) {
        lineNo++;
        const text = rest.slice(from, at).replace(/\r$/, '');
        from = at + 1;
        if (text.trim() !== '') yield { line: lineNo, text };
      }
      rest = rest.slice(from);
      if (next.done) {
        if (rest.trim() !== '') yield { line: ++lineNo, text: rest };
        return;
      }
    }
  }
  const source = allLines();
  const first = await source.next();
  if (first.done) throw new FileError('The file is empty: it has no records.', 1);
  let firstObject: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(first.value.text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    firstObject = parsed as Record<string, unknown>;
  } catch {
    throw new FileError(`Line ${first.value.line}: the first record is not a JSON object, so the columns cannot be known.`, first.value.line);
  }
  const keys = Object.keys(firstObject);
  const { fields, present, headerOf, ignored } = mapHeaders(keys, opening, first.value.line);
  const fieldOfKey = new Map<string, string | null>(keys.map((key, i) => [key, fields[i] ?? null]));

  const toRow = (line: number, text: string): SourceRow => {
    if (text.includes('\uFFFD')) throw new FileError(`Line ${line}: ${NOT_UTF8}.`, line);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { line, cells: new Map(), broken: { column: '-', reason: 'is not valid JSON' } };
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return { line, cells: new Map(), broken: { column: '-', reason: 'is not a JSON object' } };
    }
    const cells = new Map<string, Raw>();
    for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
      let field = fieldOfKey.get(key);
      if (field === undefined) {
        field = match(key)?.field ?? null;
        fieldOfKey.set(key, field);
      }
      if (!field || !present.has(field)) continue;
      cells.set(field, value === undefined || value === '' ? null : (value as Raw));
    }
    return { line, cells };
  };

  async function* rows(): AsyncGenerator<SourceRow> {
    yield toRow(first.value!.line, first.value!.text);
    for await (const { line, text } of source) yield toRow(line, text);
  }

  return { format: 'jsonl', style: 'point', present, ignored, headerOf, rows: rows(), totalBytes, bytesRead };
}
