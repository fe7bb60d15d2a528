/** The benchmarks' command-line options: `--name value`, read from the process's arguments. */
const args = process.argv.slice(2);

export function textOption(name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

export function numberOption(name: string, fallback: number): number {
  const text = textOption(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`--${name} needs a number, got ${JSON.stringify(text)}`);
  return value;
}
