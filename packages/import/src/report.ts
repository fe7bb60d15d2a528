import { createWriteStream, type WriteStream } from 'node:fs';
import { csvLine } from './csv.js';

/** A refused row: where it is in the file, which column, and why. */
export interface Rejection {
  line: number;
  /** The column's header as the file has it, or `-` for the row as a whole. */
  column: string;
  reason: string;
}

/** How many rejections are kept in memory to print; all of them go to the rejection file. */
export const REJECTIONS_SHOWN = 20;

/**
 * Collects rejected rows: the first few in memory (to print); once there are
 * more, every one goes to a CSV file beside the input (large imports can
 * reject many rows, and memory stays bounded).
 */
export class RejectionReport {
  readonly shown: Rejection[] = [];
  private count = 0;
  private rejectedLines = 0;
  private lastLine = -1;
  private file: WriteStream | undefined;
  /** The rejection file, once one was written. */
  written: string | null = null;

  constructor(private readonly path: string | null) {}

  /** Rejections arrive per row in file order, then from whole-file checks: a row counts once. */
  add(rejection: Rejection, newRow = rejection.line !== this.lastLine): void {
    this.count++;
    if (newRow) this.rejectedLines++;
    this.lastLine = rejection.line;
    if (this.shown.length < REJECTIONS_SHOWN) {
      this.shown.push(rejection);
      return;
    }
    if (!this.file && this.path) {
      this.file = createWriteStream(this.path, { encoding: 'utf8' });
      this.written = this.path;
      this.file.write(`\uFEFF${csvLine(['Linje (line)', 'Kolonne (column)', 'Årsag (reason)'], ';')}`);
      for (const r of this.shown) this.write(r);
    }
    this.write(rejection);
  }

  private write(r: Rejection): void {
    this.file?.write(csvLine([String(r.line), r.column, r.reason], ';'));
  }

  /** Reasons given (a row may have several). */
  get total(): number {
    return this.count;
  }

  /** Rows refused. */
  get rows(): number {
    return this.rejectedLines;
  }

  async close(): Promise<void> {
    const file = this.file;
    if (!file) return;
    this.file = undefined;
    await new Promise<void>((resolve, reject) => file.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
}
