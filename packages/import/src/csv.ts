/**
 * A streaming CSV reader (RFC 4180 with the liberties spreadsheets take):
 * fields quoted with `"` may hold delimiters, quotes (`""`) and line breaks;
 * records end at LF or CRLF. Each record knows the line it starts on, so a
 * rejected row is reported where a person finds it in the file.
 */
export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

export class CsvReader {
  private fields: string[] = [];
  private field = '';
  private inQuotes = false;
  /** The previous character closed a quoted section: `""` continues it. */
  private quoteClosed = false;
  private line = 1;
  private recordLine = 1;
  private pendingCr = false;
  private readonly delimiter: number;

  constructor(delimiter: string) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** Feeds a piece of text; returns the records completed in it. */
  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    const d = this.delimiter;
    let start = 0;
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (this.pendingCr) {
        this.pendingCr = false;
        if (c === LF) {
          start = i + 1;
          continue;
        }
      }
      if (this.inQuotes) {
        if (c === QUOTE) {
          this.field += chunk.slice(start, i);
          start = i + 1;
          this.inQuotes = false;
          this.quoteClosed = true;
        } else if (c === LF) {
          this.line++;
        }
        continue;
      }
      if (c === QUOTE && (this.quoteClosed || (i === start && this.field === ''))) {
        // `""` inside a quoted field is one quote; a quote opening a field starts quoting.
        this.field += chunk.slice(start, i);
        start = i + 1;
        if (this.quoteClosed) this.field += '"';
        this.inQuotes = true;
        this.quoteClosed = false;
        continue;
      }
      // Elsewhere a quote is a character like any other (as spreadsheets read `5" pipe`).
      this.quoteClosed = false;
      if (c === d) {
        this.fields.push(this.field + chunk.slice(start, i));
        this.field = '';
        start = i + 1;
      } else if (c === LF || c === CR) {
        this.fields.push(this.field + chunk.slice(start, i));
        this.field = '';
        start = i + 1;
        out.push({ line: this.recordLine, fields: this.fields });
        this.fields = [];
        this.line++;
        this.recordLine = this.line;
        if (c === CR) this.pendingCr = true;
      }
    }
    if (start < n) this.field += chunk.slice(start);
    return out;
  }

  /** The file ended: the last record (without a final line break), or a quote left open. */
  end(): CsvRecord[] {
    if (this.inQuotes) throw new CsvSyntaxError(this.recordLine, 'a quoted field is never closed (a " is missing)');
    if (this.fields.length === 0 && this.field === '') return [];
    this.fields.push(this.field);
    const record = { line: this.recordLine, fields: this.fields };
    this.fields = [];
    this.field = '';
    return [record];
  }
}

/** The delimiter of a header line: the most frequent of `;`, `,` and tab outside quotes (Danish exports use `;`). */
export function detectDelimiter(headerLine: string): ';' | ',' | '\t' {
  const counts = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts]++;
  }
  if (counts['\t'] > counts[';'] && counts['\t'] > counts[',']) return '\t';
  return counts[';'] >= counts[','] && counts[';'] > 0 ? ';' : ',';
}

/** One CSV line for a record, quoting only where needed (the delimiter, quotes, line breaks, edge spaces). */
export function csvLine(values: readonly string[], delimiter: string): string {
  const quoted = (v: string) => v.includes(delimiter) || /["\r\n]/.test(v) || v !== v.trim();
  return `${values.map((v) => (quoted(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(delimiter)}\r\n`;
}
