import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DevIssuer, internalKeyFromEnv, loadTrustConfig, PERSONAS, type TokenClaims, type TrustConfig } from '@partnergraph/common';
import type { JSONWebKeySet } from 'jose';
import { checkSubgraph, type ContractCheck } from './contractCheck.js';
import { clientDataDirOrExit } from './runningSystems.js';

/**
 * `npm run check:subgraph -- --url <subgraph> --owner <name> [--trust <file>] [--keys <dir>] [--auditor <persona>]`
 *
 * Probes a running subgraph, written in any language, for the partnership's
 * contract and prints a pass/fail report; exits 1 when any check fails. The
 * tokens are signed with the keys of the operator's trust setup: the trust
 * file (default: the running system's, else ./.data/trust.json) and the
 * development issuer's keys beside it (`keys/`), which the trust file must name;
 * and PARTNERGRAPH_INTERNAL_KEY, with which the composition reads `_service`.
 */
const USAGE = 'Usage: npm run check:subgraph -- --url <subgraph GraphQL URL> --owner <name> [--trust <trust file>] [--keys <dir>] [--auditor <persona>] [--org <organisation>]';

export interface CheckArguments {
  url: string;
  owner: string;
  trust?: string | undefined;
  keys?: string | undefined;
  auditor?: string | undefined;
  org?: string | undefined;
}

export class UsageError extends Error {}

export function parseArguments(args: readonly string[]): CheckArguments {
  const values: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const name = args[i]!;
    if (!/^--(url|owner|trust|keys|auditor|org)$/.test(name)) throw new UsageError(`Unknown argument ${name}.\n${USAGE}`);
    const value = args[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value.\n${USAGE}`);
    values[name.slice(2)] = value;
  }
  if (!values['url'] || !values['owner']) throw new UsageError(`--url and --owner are required.\n${USAGE}`);
  try {
    const url = new URL(values['url']);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
  } catch {
    throw new UsageError(`--url must be an http(s) URL, e.g. http://127.0.0.1:4001/graphql (got ${values['url']}).`);
  }
  if (!/^[a-z][a-z0-9]{1,30}$/.test(values['owner'])) throw new UsageError('--owner is the owner\'s name in the supergraph: lower-case letters and digits, e.g. police.');
  return { url: values['url'], owner: values['owner'], trust: values['trust'], keys: values['keys'], auditor: values['auditor'], org: values['org'] };
}

/** The issuer whose keys sign the checks' tokens: it must be one the trust file names, with this very key. */
export async function signerFrom(trustFile: string, keysDir: string): Promise<{ issuer: DevIssuer; trust: TrustConfig }> {
  if (!existsSync(trustFile)) throw new UsageError(`No trust file at ${trustFile}: start the system once (npm start) or pass --trust.`);
  const trust = loadTrustConfig({ PARTNERGRAPH_TRUST_FILE: trustFile });
  const privatePath = join(keysDir, 'dev-issuer.private.jwk.json');
  if (!existsSync(privatePath)) throw new UsageError(`No signing key at ${privatePath}: pass --keys <dir> with the issuer's dev-issuer.private.jwk.json.`);
  const kid = (JSON.parse(readFileSync(privatePath, 'utf8')) as { kid?: string }).kid;
  const trusted = trust.issuers.find((entry) => {
    const jwks =
      typeof entry.jwks === 'string'
        ? /^https?:/.test(entry.jwks)
          ? undefined
          : (JSON.parse(readFileSync(entry.jwks.startsWith('file:') ? fileURLToPath(entry.jwks) : resolve(dirname(trustFile), entry.jwks), 'utf8')) as JSONWebKeySet)
        : entry.jwks;
    return jwks?.keys.some((key) => key.kid === kid);
  });
  if (!trusted) throw new UsageError(`The key in ${privatePath} (kid ${kid}) is not among the issuers of ${trustFile}: every token it signs would be refused.`);
  return { issuer: await DevIssuer.loadOrCreate(keysDir, trusted.issuer), trust };
}

/**
 * The owner's auditor: the persona named, else the first auditor persona of the owner, else an auditor
 * of `org`, else of `ownerOrganisation` (default: the owner's name).
 */
export function auditorClaims(owner: string, persona?: string, org?: string, ownerOrganisation = owner): TokenClaims {
  const named = persona ? PERSONAS[persona] : Object.entries(PERSONAS).find(([name, p]) => name.startsWith(`${owner}-`) && p.roles.includes('auditor'))?.[1];
  if (persona && !named) throw new UsageError(`Unknown persona ${persona}. Known: ${Object.keys(PERSONAS).join(', ')}`);
  if (named && !org) {
    const { description: _description, ...claims } = named;
    return claims;
  }
  return { subject: `contract-check-${owner}`, organisation: org ?? ownerOrganisation, roles: ['auditor'], purposes: ['STATISTICS', 'COORDINATION'], areas: [] };
}

export function printReport(url: string, owner: string, checks: readonly ContractCheck[], write: (line: string) => void = console.log): boolean {
  const failed = checks.filter((c) => !c.pass);
  write(`Contract check of ${owner} at ${url}`);
  for (const c of checks) write(`  ${c.pass ? 'PASS' : 'FAIL'}  ${c.name}\n        ${c.detail}`);
  write(failed.length ? `\n${failed.length} of ${checks.length} checks failed: ${failed.map((c) => c.name).join('; ')}` : `\nAll ${checks.length} checks passed.`);
  return failed.length === 0;
}

async function main(): Promise<void> {
  let args: CheckArguments;
  try {
    args = parseArguments(process.argv.slice(2));
    const trustFile = resolve(args.trust ?? join(clientDataDirOrExit(), 'trust.json'));
    const { issuer, trust } = await signerFrom(trustFile, resolve(args.keys ?? join(dirname(trustFile), 'keys')));
    const checks = await checkSubgraph({
      url: args.url,
      owner: args.owner,
      issuer,
      audience: trust.audience,
      auditor: auditorClaims(args.owner, args.auditor, args.org),
      internalKey: internalKeyFromEnv(process.env),
    });
    process.exitCode = printReport(args.url, args.owner, checks) ? 0 : 1;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
