/**
 * Progress of a long import or export: a bar redrawn in place on a terminal,
 * plain lines (every 10 % or 10 s) otherwise, so logs of nightly jobs stay readable.
 */
export class Progress {
  private lastLine = 0;
  private lastDecile = -1;
  private lastRows = -1;
  private lastDraw = 0;
  private readonly started = Date.now();

  constructor(
    private readonly out: NodeJS.WriteStream | { write(text: string): boolean; isTTY?: boolean } = process.stderr,
    private readonly label = 'import',
  ) {}

  private get tty(): boolean {
    return Boolean(this.out.isTTY);
  }

  /** `done` of `total` (bytes, rows); `rows` for the reader. */
  update(done: number, total: number, rows: number): void {
    const now = Date.now();
    const fraction = total > 0 ? Math.min(1, done / total) : 0;
    const seconds = ((now - this.started) / 1000).toFixed(1);
    if (this.tty) {
      if (now - this.lastDraw < 100 && fraction < 1) return;
      this.lastDraw = now;
      const width = 30;
      const filled = Math.round(fraction * width);
      this.out.write(`\r${this.label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)} % ${rows.toLocaleString('en')} rows ${seconds} s `);
      return;
    }
    const decile = Math.floor(fraction * 10);
    // The last chunk is read before its rows are counted: the end is told once more, with every row.
    const end = fraction === 1 && rows !== this.lastRows;
    if (decile > this.lastDecile || end || now - this.lastLine >= 10_000) {
      this.lastDecile = decile;
      this.lastLine = now;
      this.lastRows = rows;
      this.out.write(`${this.label}: ${(fraction * 100).toFixed(0)} % read, ${rows.toLocaleString('en')} rows, ${seconds} s\n`);
    }
  }

  /** A named step after reading (checking, merging, logging). */
  step(name: string): void {
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    this.out.write(`${this.tty ? '\r\x1b[K' : ''}${this.label}: ${name} (${seconds} s)\n`);
  }

  done(): void {
    if (this.tty) this.out.write('\r\x1b[K');
  }
}
