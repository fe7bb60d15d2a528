/**
 * Cell values as the owners' systems and spreadsheets write them: Danish
 * numbers (`1.234,5`) and dates (`31-12-2024`) as well as ISO ones, yes/no
 * words, lists in one cell. Each parser throws a `ValueError` whose message is
 * the reason a person can act on; it never repeats the value.
 */

/** How numbers are written in a file: Danish (`;`-separated CSV) or with a decimal point (`,`-CSV, JSON Lines). */
export type NumberStyle = 'danish' | 'point';

/** What a file says in one cell: text from CSV, any JSON value from JSON Lines. */
export type Raw = string | number | boolean | null | readonly unknown[] | Record<string, unknown>;

export class ValueError extends Error {}

/** One way a column's values are read from a file and written back. */
export interface ValueType<T> {
  /** For the column listing: what a valid value looks like. */
  describe: string;
  parse(raw: Exclude<Raw, null>, style: NumberStyle): T;
  /** Back to the file: `danish` for CSV, `json` for JSON Lines. */
  format(value: T, style: 'danish' | 'json'): string | number | boolean | readonly unknown[] | Record<string, unknown>;
}

const fail = (reason: string): never => {
  throw new ValueError(reason);
};

const asText = (raw: Exclude<Raw, null>, what: string): string => {
  if (typeof raw === 'string') return raw.trim();
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  return fail(`expected ${what}, got a ${Array.isArray(raw) ? 'list' : 'JSON object'}`);
};

/** Folds a name for matching: lower case, no accents, only letters and digits (`Følgegruppe Motalavej` → `folgegruppemotalavej`). */
export function fold(text: string): string {
  return text
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/å/g, 'aa')
    .normalize('NFD')
    .replace(/[^a-z0-9]/g, '');
}

/* ----------------------------------------------------------------- numbers */

const DANISH_GROUPED = /^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/;
const POINT_GROUPED = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
const PLAIN = /^[+-]?\d+([.,]\d+)?$/;

/**
 * A number as written in the file's style. Danish: `1.234,5`, `1234,5`;
 * with a decimal point: `1,234.5`, `1234.5`. A lone `.` in a Danish file is
 * read as a decimal point unless it groups thousands (`72.5` is 72.5, `1.234`
 * is 1234), since tables exported with an English locale end up in Danish files.
 */
export function parseNumber(raw: Exclude<Raw, null>, style: NumberStyle): number {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : fail('not a number');
  const text = asText(raw, 'a number').replace(/[\s\u00a0]/g, '').replace(/%$/, '');
  if (text === '') return fail('empty');
  let normal: string;
  if (style === 'danish' && DANISH_GROUPED.test(text)) normal = text.replace(/\./g, '').replace(',', '.');
  else if (style === 'point' && POINT_GROUPED.test(text)) normal = text.replace(/,/g, '');
  else if (PLAIN.test(text)) {
    if (style === 'point' && text.includes(',')) return fail('not a number (use a decimal point in this file)');
    normal = text.replace(',', '.');
  } else return fail(style === 'danish' ? 'not a number (write e.g. 1.234,5 or 1234,5)' : 'not a number (write e.g. 1234.5)');
  const value = Number(normal);
  return Number.isFinite(value) ? value : fail('not a number');
}

export function formatNumber(value: number, style: 'danish' | 'json', decimals?: number): string | number {
  if (style === 'json') return value;
  const text = decimals === undefined ? String(value) : value.toFixed(decimals);
  return text.replace('.', ',');
}

export function int(options: { min: number; max: number }): ValueType<number> {
  return {
    describe: `whole number ${options.min}–${options.max}`,
    parse(raw, style) {
      const value = parseNumber(raw, style);
      if (!Number.isInteger(value)) fail('not a whole number');
      if (value < options.min || value > options.max) fail(`must be between ${options.min} and ${options.max}`);
      return value;
    },
    format: (value, style) => (style === 'json' ? value : String(value)),
  };
}

export function decimal(options: { min: number; max: number; decimals: number }): ValueType<number> {
  const factor = 10 ** options.decimals;
  return {
    describe: `number ${options.min}–${options.max} with at most ${options.decimals} decimal${options.decimals === 1 ? '' : 's'} (decimal comma or point)`,
    parse(raw, style) {
      const value = parseNumber(raw, style);
      if (value < options.min || value > options.max) fail(`must be between ${options.min} and ${options.max}`);
      const scaled = Math.round(value * factor);
      if (Math.abs(scaled - value * factor) > 1e-6) fail(`has more than ${options.decimals} decimal${options.decimals === 1 ? '' : 's'}`);
      return scaled / factor;
    },
    format: (value, style) => formatNumber(value, style, options.decimals),
  };
}

/** An amount in kroner, stored in whole kroner: øre are rounded (half up). */
export function kroner(options: { min: number; max: number }): ValueType<number> {
  return {
    describe: `amount in kroner ${options.min}–${options.max} (øre are rounded to whole kroner)`,
    parse(raw, style) {
      const text = typeof raw === 'string' ? raw.replace(/\s*(kr\.?|dkk)\s*$/i, '') : raw;
      const value = Math.round(parseNumber(text, style));
      if (value < options.min || value > options.max) fail(`must be between ${options.min} and ${options.max} kroner`);
      return value;
    },
    format: (value, style) => (style === 'json' ? value : String(value)),
  };
}

/* ------------------------------------------------------------------- dates */

const DAY_FIRST = /^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$/;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?(?:Z|[+-]00:?00)?)?$/;

const validDay = (y: number, m: number, d: number): string => {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || y > 2200 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return fail('not a calendar date');
  }
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
};

/** A day as `dd-mm-yyyy` (also with `.` or `/`, one-digit day and month) or ISO `yyyy-mm-dd`; returns ISO. */
export function parseDay(raw: Exclude<Raw, null>): string {
  const text = asText(raw, 'a date');
  const danish = DAY_FIRST.exec(text);
  if (danish) return validDay(Number(danish[3]), Number(danish[2]), Number(danish[1]));
  const iso = ISO_DAY.exec(text);
  if (iso) return validDay(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  return fail('not a date (write dd-mm-yyyy or yyyy-mm-dd)');
}

export const formatDay = (iso: string, style: 'danish' | 'json'): string =>
  style === 'json' ? iso : `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)}`;

export const date: ValueType<string> = {
  describe: 'date dd-mm-yyyy or yyyy-mm-dd',
  parse: (raw) => parseDay(raw),
  format: formatDay,
};

const MONTH_NAMES = ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december'];

/** A month: `2024-03`, `03-2024`, `marts 2024`, or the first day of it as a date; returns `yyyy-mm-01`. */
export const month: ValueType<string> = {
  describe: 'month yyyy-mm, mm-yyyy or a date on the 1st',
  parse(raw) {
    const text = asText(raw, 'a month').toLowerCase();
    let m = /^(\d{4})-(\d{1,2})$/.exec(text);
    if (m) return validDay(Number(m[1]), Number(m[2]), 1);
    m = /^(\d{1,2})[-./](\d{4})$/.exec(text);
    if (m) return validDay(Number(m[2]), Number(m[1]), 1);
    m = /^([a-zæøå]+)\.?\s+(\d{4})$/.exec(text);
    if (m) {
      const index = MONTH_NAMES.findIndex((name) => name.startsWith(m![1]!) && m![1]!.length >= 3);
      if (index >= 0) return validDay(Number(m[2]), index + 1, 1);
    }
    const day = parseDay(raw);
    if (!day.endsWith('-01')) fail('a month given as a date must be its 1st day');
    return day;
  },
  format: (value, style) => (style === 'json' ? value.slice(0, 7) : `${value.slice(5, 7)}-${value.slice(0, 4)}`),
};

/* -------------------------------------------------------------------- text */

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Free text of `min`–`max` characters. A leading `'` before `=`, `+`, `-` or
 * `@` is what our CSV export adds so spreadsheets do not run a cell as a
 * formula; it is taken off again here.
 */
export function text(options: { min?: number; max: number; noCpr?: boolean }): ValueType<string> {
  const min = options.min ?? 1;
  return {
    describe: `text of ${min}–${options.max} characters`,
    parse(raw) {
      let value = asText(raw, 'text');
      if (value.startsWith("'") && FORMULA_START.test(value.slice(1))) value = value.slice(1);
      if (value.length < min) fail(min === 1 ? 'empty' : `must be at least ${min} characters`);
      if (value.length > options.max) fail(`longer than ${options.max} characters`);
      if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(value)) fail('contains control characters');
      if (options.noCpr && looksLikeCpr(value)) fail('contains what looks like a CPR number, which never enters the system');
      return value;
    },
    format: (value, style) => (style === 'danish' && FORMULA_START.test(value) ? `'${value}` : value),
  };
}

/** Text that must match a pattern (ids, tenancy numbers). */
export function code(options: { pattern: RegExp; describe: string }): ValueType<string> {
  return {
    describe: options.describe,
    parse(raw) {
      const value = asText(raw, options.describe);
      if (!options.pattern.test(value)) fail(`not a valid ${options.describe}`);
      return value;
    },
    format: (value) => value,
  };
}

/* -------------------------------------------------------------- yes and no */

const YES = new Set(['ja', 'j', 'yes', 'y', 'true', 'sand', '1', 'x']);
const NO = new Set(['nej', 'n', 'no', 'false', 'falsk', '0']);

export const yesNo: ValueType<boolean> = {
  describe: 'ja/nej (also yes/no, true/false, 1/0)',
  parse(raw) {
    if (typeof raw === 'boolean') return raw;
    const folded = asText(raw, 'ja or nej').toLowerCase();
    if (YES.has(folded)) return true;
    if (NO.has(folded)) return false;
    return fail('not ja or nej');
  },
  format: (value, style) => (style === 'json' ? value : value ? 'ja' : 'nej'),
};

/* --------------------------------------------------------- named choices */

export interface Choice {
  /** What the database keeps (an enum value, an id). */
  value: string;
  /** Names a file may use; the first is what the CSV export writes. */
  labels: readonly string[];
}

/** One of a fixed set, by its value or any of its names, ignoring case, accents and punctuation. */
export function choice(what: string, choices: readonly Choice[]): ValueType<string> {
  const byName = new Map<string, string>();
  for (const c of choices) for (const name of [c.value, ...c.labels]) byName.set(fold(name), c.value);
  const labelOf = new Map(choices.map((c) => [c.value, c.labels[0] ?? c.value]));
  return {
    describe: `${what}: ${choices.map((c) => c.labels[0] ?? c.value).join(', ')}`,
    parse(raw) {
      const found = byName.get(fold(asText(raw, what)));
      return found ?? fail(`unknown ${what} (known: ${choices.map((c) => c.labels[0] ?? c.value).join(', ')})`);
    },
    format: (value, style) => (style === 'json' ? value : labelOf.get(value) ?? value),
  };
}

/** Several of a fixed set in one cell, separated by `,`, `;`, `+` or new lines; kept in the choices' order, without repeats. */
export function choiceList(what: string, choices: readonly Choice[]): ValueType<string[]> {
  const one = choice(what, choices);
  const order = choices.map((c) => c.value);
  return {
    describe: `one or more ${what}s, separated by commas`,
    parse(raw, style) {
      const items = Array.isArray(raw) ? raw.map((item) => String(item)) : asText(raw as Exclude<Raw, null>, `${what}s`).split(/[,;+\n]/);
      const values = items.map((item) => item.trim()).filter((item) => item !== '').map((item) => one.parse(item, style));
      if (values.length === 0) fail(`names no ${what}`);
      if (new Set(values).size !== values.length) fail(`names a ${what} twice`);
      return order.filter((v) => values.includes(v));
    },
    format: (values, style) => (style === 'json' ? values : values.map((v) => one.format(v, 'danish')).join(', ')),
  };
}

/* ---------------------------------------------------------------- persons */

/** Looks like a CPR number (ddmmyy-xxxx or ten digits): such a number never enters the system. */
export const looksLikeCpr = (value: string): boolean => /(^|\D)[0-3]\d[01]\d\d\d-?\d{4}(\D|$)/.test(value);

/**
 * A person's pseudonymous id (`P` and ten characters), never a CPR number:
 * files carry the pseudonym the partnership's pseudonymisation gave the person.
 */
export const pseudonym: ValueType<string> = {
  describe: 'pseudonymous person id (P and 10 letters or digits), never a CPR number',
  parse(raw) {
    const value = asText(raw, 'a person id').toUpperCase();
    if (/^P[0-9A-Z]{10}$/.test(value)) return value;
    if (looksLikeCpr(value)) fail('looks like a CPR number; files must carry the pseudonymous person id, never CPR');
    return fail('not a pseudonymous person id (P and 10 letters or digits)');
  },
  format: (value) => value,
};

/* ----------------------------------------------------------------- periods */

export interface Period {
  start: string;
  end: string | null;
}

/** Start and end of a period as written: `A – B`, `A - B`, `A til B`, ISO `A/B`; a missing end is open. */
function splitPeriod(value: string): [string, string] {
  const til = /\s+til\s*/i.exec(value);
  if (til) return [value.slice(0, til.index), value.slice(til.index + til[0].length)];
  const dash = /\s*[–—]\s*|\s+-(\s+|$)/.exec(value);
  if (dash) return [value.slice(0, dash.index), value.slice(dash.index + dash[0].length)];
  const iso = /^(\d{4}-\d{2}-\d{2})\/(.*)$/.exec(value);
  if (iso) return [iso[1]!, iso[2]!];
  return [value, ''];
}

/**
 * A period in one cell, as spreadsheets write it: `01-04-2014 – 31-08-2017`,
 * `01-04-2014 til 31-08-2017`, ISO `2014-04-01/2017-08-31`, open-ended
 * `01-04-2014 –`, `fra 01-04-2014` or `2014-04-01/..`; in JSON Lines also
 * `{"startsOn": …, "endsOn": …}`.
 */
export const period: ValueType<Period> = {
  describe: 'period "dd-mm-yyyy – dd-mm-yyyy" (open-ended: "dd-mm-yyyy –"; ISO "yyyy-mm-dd/yyyy-mm-dd" also)',
  parse(raw) {
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
      const o = raw as Record<string, unknown>;
      const start = o['startsOn'] ?? o['start'];
      const end = o['endsOn'] ?? o['end'] ?? null;
      if (typeof start !== 'string') return fail('a period needs its start (startsOn)');
      return { start: parseDay(start), end: end === null || end === '' ? null : parseDay(end as string) };
    }
    const value = asText(raw, 'a period').replace(/^fra\s+/i, '');
    const [startText, rest] = splitPeriod(value);
    const endText = rest.trim();
    let start: string;
    try {
      start = parseDay(startText.trim());
    } catch {
      return fail('not a period (write "dd-mm-yyyy – dd-mm-yyyy", or "dd-mm-yyyy –" while it runs)');
    }
    const end = endText === '' || endText === '..' ? null : parseDay(endText);
    if (end !== null && end < start) fail('ends before it starts');
    return { start, end };
  },
  format: (value, style) =>
    style === 'json'
      ? { startsOn: value.start, endsOn: value.end }
      : `${formatDay(value.start, 'danish')} –${value.end ? ` ${formatDay(value.end, 'danish')}` : ''}`,
};
