import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkSchema, formatSchemaReport, parseAccepted, type Operation } from '../src/schemaCheck.js';

/** The committed composition, changed the way an owner's change would change it. */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const api = readFileSync(join(root, 'schema/api.graphql'), 'utf8');
const subgraphs = Object.fromEntries(
  readdirSync(join(root, 'schema/subgraphs')).map((f) => [f.replace(/\.graphql$/, ''), readFileSync(join(root, 'schema/subgraphs', f), 'utf8')]),
);
const operations: Operation[] = readdirSync(join(root, 'schema/operations')).map((f) => ({
  name: f.replace(/\.graphql$/, ''),
  query: readFileSync(join(root, 'schema/operations', f), 'utf8'),
  source: `schema/operations/${f}`,
}));
const edit = (text: string, from: string | RegExp, to: string) => {
  expect(text).toMatch(from);
  return text.replace(from, to);
};
/** `Referral.referredOn`, the type's last field, with its description (the composed schema describes every field). */
const REFERRED_ON = /(?: {2}"""(?:(?!""")[\s\S])*"""\n)? {2}referredOn: LocalDate\n\}/;

/** The police drop `Referral.referredOn` (used by the referral inbox) and add `Referral.withdrawn`. */
const policeChange = () => {
  const newApi = edit(api, REFERRED_ON, '  withdrawn: Boolean\n}');
  const police = edit(subgraphs['police']!, '  referredOn: LocalDate\n', '  withdrawn: Boolean\n');
  return { newApi, newSubgraphs: { ...subgraphs, police } };
};

describe('schema check', () => {
  it('reports nothing for an unchanged schema, and every registered operation valid', async () => {
    const report = await checkSchema({ baseApi: api, newApi: api, baseSubgraphs: subgraphs, newSubgraphs: subgraphs, operations, accepted: [] });
    expect(report).toMatchObject({ changes: [], brokenOperations: [], ok: true, operationsChecked: operations.length });
  });

  it('lists each change by owner, names the operations a breaking change breaks, and fails on it undeclared', async () => {
    const { newApi, newSubgraphs } = policeChange();
    const report = await checkSchema({ baseApi: api, newApi, baseSubgraphs: subgraphs, newSubgraphs, operations, accepted: [] });
    expect(report.changes.map((c) => [c.level, c.type, c.path, c.owners])).toEqual(
      expect.arrayContaining([
        ['BREAKING', 'FIELD_REMOVED', 'Referral.referredOn', ['police']],
        ['SAFE', 'FIELD_ADDED', 'Referral.withdrawn', ['police']],
      ]),
    );
    const removal = report.changes.find((c) => c.path === 'Referral.referredOn')!;
    expect(removal.operations).toContain('ReferralInbox');
    expect(report.brokenOperations.map((o) => o.name)).toContain('ReferralInbox');
    expect(report.brokenOperations.find((o) => o.name === 'ReferralInbox')!.errors.join(' ')).toMatch(/Cannot query field "referredOn" on type "Referral"/);
    expect(report.ok).toBe(false);
    const text = formatSchemaReport(report, 'main@abc1234 (merge-base)');
    expect(text).toMatch(/police \(1 breaking, 0 dangerous, 1 safe\)/);
    expect(text).toMatch(/BREAKING {2}Referral\.referredOn/);
    expect(text).toMatch(/used by: .*ReferralInbox/);
    expect(text).toMatch(/BROKEN ReferralInbox \(schema\/operations\/ReferralInbox\.graphql\)/);
    expect(text).toMatch(/Result: FAIL — 1 undeclared breaking change\(s\), \d+ broken registered operation\(s\)/);
  });

  it('passes a declared breaking change that breaks no registered operation; safe additions pass undeclared', async () => {
    const newApi = edit(api, REFERRED_ON, '}');
    const police = edit(subgraphs['police']!, '  referredOn: LocalDate\n', '');
    const without = operations.filter((o) => !/referredOn/.test(o.query));
    const accepted = [{ path: 'Referral.referredOn', type: 'FIELD_REMOVED', reason: 'No app reads it since the inbox v2; agreed with the housing companies.' }];
    const report = await checkSchema({ baseApi: api, newApi, baseSubgraphs: subgraphs, newSubgraphs: { ...subgraphs, police }, operations: without, accepted });
    expect(report.ok).toBe(true);
    expect(report.changes.find((c) => c.path === 'Referral.referredOn')!.accepted).toMatch(/inbox v2/);
    const added = edit(api, REFERRED_ON, '  referredOn: LocalDate\n  withdrawn: Boolean\n}');
    expect((await checkSchema({ baseApi: api, newApi: added, baseSubgraphs: subgraphs, newSubgraphs: subgraphs, operations, accepted: [] })).ok).toBe(true);
    // A declaration that matches nothing is pointed out.
    const stale = await checkSchema({ baseApi: api, newApi: api, baseSubgraphs: subgraphs, newSubgraphs: subgraphs, operations, accepted });
    expect(stale.unusedAcceptances).toEqual(accepted);
  });

  it('refuses a declaration without a reason', () => {
    expect(() => parseAccepted('{ "changes": [ { "path": "Referral.referredOn", "type": "FIELD_REMOVED" } ] }')).toThrow(/change 1: .*"reason"/);
    expect(() => parseAccepted('[]')).toThrow(/expected \{ "changes"/);
  });

  it('runs as `npm run schema:check -- --base <file>`: prints the report and fails on an undeclared breaking change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'partnergraph-schema-check-'));
    try {
      // The base had a field this tree no longer has: for the check, a removal.
      const base = join(dir, 'api.graphql');
      writeFileSync(base, edit(api, REFERRED_ON, '  referredOn: LocalDate\n  legacyCode: String\n}'));
      const run = await new Promise<{ status: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [join(root, 'apps/cli/dist/compose.js'), '--check', '--base', base], { cwd: root });
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (out += c.toString()));
        child.on('exit', (status) => resolve({ status, out }));
      });
      expect(run.out).toMatch(new RegExp(`Schema check: the composed API schema against ${base.replace(/[/.]/g, '\\$&')}`));
      expect(run.out).toMatch(/BREAKING {2}Referral\.legacyCode/);
      expect(run.out).toMatch(/Result: FAIL — 1 undeclared breaking change/);
      expect(run.status).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
