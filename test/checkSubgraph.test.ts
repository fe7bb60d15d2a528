import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DevIssuer } from '@partnergraph/common';
import { discoverOwners } from '@partnergraph/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditorClaims, parseArguments, UsageError } from '../apps/cli/src/checkSubgraph.js';
import { checkSubgraph, type ContractCheck } from '../apps/cli/src/contractCheck.js';
import { startCarelessSubgraph } from './support/carelessSubgraph.js';
import { loadOwners, startSystem, type System } from './support/system.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'contract-check-'));
const keys = join(dir, 'keys');
const trustFile = join(dir, 'trust.json');

/**
 * `npm run check:subgraph`: the partnership's contract probed over HTTP. The
 * three owners, as they run in production (introspection off), pass every
 * check; a careless subgraph written with @apollo/subgraph alone fails, and
 * the report names each breach.
 */
let system: System;
let issuer: DevIssuer;
beforeAll(async () => {
  // The operator's trust setup on disk: the dev issuer's keys and a trust file naming them.
  issuer = await DevIssuer.loadOrCreate(keys);
  writeFileSync(trustFile, JSON.stringify(issuer.trustConfig(join(keys, 'dev-issuer.jwks.json'))));
  // Owners as they run in production (introspection off, `_service` only for the composition).
  system = await startSystem({ issuer });
});
afterAll(async () => {
  await system?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const failures = (checks: ContractCheck[]) => checks.filter((c) => !c.pass).map((c) => `${c.name}: ${c.detail}`);

describe('the contract check', () => {
  it.each(discoverOwners().map((o) => o.name))('passes the %s subgraph on every point', async (owner) => {
    // An owner without an auditor persona (a new one) is checked with an auditor of its own organisation.
    const { subgraph } = (await loadOwners()).find((o) => o.owner.name === owner)!;
    const auditor = auditorClaims(owner, undefined, undefined, subgraph.ownerOrganisation);
    const checks = await checkSubgraph({ url: system.owners[owner]!.url, owner, issuer, audience: 'partnergraph', auditor, internalKey: system.internalKey });
    expect(checks.map((c) => c.name)).toContain('`_service` only for the composition (internal proof)');
    expect(failures(checks)).toEqual([]);
    expect(checks.length).toBeGreaterThanOrEqual(20);
  });

  it('fails a careless subgraph and names each breach', async () => {
    const careless = await startCarelessSubgraph();
    try {
      const checks = await checkSubgraph({ url: careless.url, owner: 'careless', issuer, audience: 'partnergraph', auditor: auditorClaims('careless'), internalKey: system.internalKey });
      const failed = checks.filter((c) => !c.pass).map((c) => c.name);
      expect(failed).toEqual(
        expect.arrayContaining([
          '`_service` only for the composition (internal proof)',
          'refuses a token with `alg: none`',
          'refuses a token signed with a foreign key (same issuer name)',
          'refuses an expired token',
          'refuses a token for another audience',
          'token refusals answer alike (the reason goes to the log)',
          'refuses a request that names no purpose',
          'refuses a purpose the token does not grant',
          '`_entities` unreachable with a token signed with a foreign key (same issuer name)',
          '`_entities` unreachable with an expired token',
          'introspection off',
          '`__type` off',
          'refuses 500 aliases',
          'refuses a document of 21 000 tokens',
          'refuses a query 64 levels deep',
          'refuses a 2048 KiB body',
          'disclosure log `carelessDisclosureLog` readable by the owner\'s auditor',
          'no stack, SQL or library message in refusals',
        ]),
      );
      // What it does do is credited: alive, Federation 2, and a missing token refused.
      const passed = checks.filter((c) => c.pass).map((c) => c.name);
      expect(passed).toEqual(expect.arrayContaining(['/health answers 200', 'Federation 2 `_service { sdl }`', 'refuses no token', 'serves a valid token with a granted purpose']));
    } finally {
      await careless.stop();
    }
  });

  it('runs as a command: the report, exit 0 for an owner, 1 for the careless subgraph, 2 for bad arguments', async () => {
    // Not spawnSync: the subgraphs answering it run in this process.
    const run = (args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [join(root, 'apps/cli/dist/checkSubgraph.js'), ...args], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, PARTNERGRAPH_INTERNAL_KEY: system.internalKey },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
    const police = await run(['--url', system.owners['police']!.url, '--owner', 'police', '--trust', trustFile]);
    expect(police.stdout, police.stderr).toMatch(/All \d+ checks passed/);
    expect(police.status, police.stdout + police.stderr).toBe(0);

    const careless = await startCarelessSubgraph();
    try {
      const result = await run(['--url', careless.url, '--owner', 'careless', '--trust', trustFile]);
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/FAIL {2}refuses an expired token/);
      expect(result.stdout).toMatch(/PASS {2}refuses no token/);
    } finally {
      await careless.stop();
    }

    // A key the trust file does not name would make every check meaningless: refused before probing.
    const otherKeys = join(dir, 'other-keys');
    await DevIssuer.loadOrCreate(otherKeys);
    const untrusted = await run(['--url', system.owners['police']!.url, '--owner', 'police', '--trust', trustFile, '--keys', otherKeys]);
    expect(untrusted.status).toBe(2);
    expect(untrusted.stderr).toMatch(/not among the issuers/);
  });

  it('says what is wrong with its arguments', () => {
    expect(() => parseArguments(['--owner', 'police'])).toThrow(UsageError);
    expect(() => parseArguments(['--url', 'ftp://x', '--owner', 'police'])).toThrow(/http\(s\) URL/);
    expect(() => parseArguments(['--url', 'http://x/graphql', '--owner', 'Police!'])).toThrow(/lower-case/);
    expect(() => parseArguments(['--url', 'http://x/graphql', '--owner', 'police', '--nope', '1'])).toThrow(/Unknown argument --nope/);
    expect(parseArguments(['--url', 'http://x/graphql', '--owner', 'police', '--trust', 't.json'])).toMatchObject({ owner: 'police', trust: 't.json' });
  });
});
