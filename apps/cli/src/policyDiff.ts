import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DevIssuer } from '@partnergraph/common';
import { discoverOwners, repoRoot } from '@partnergraph/registry';
import { openDatabase, PolicyEngine } from '@partnergraph/subgraph-kit';
import { World } from '@partnergraph/synthetic';
import { BaseError, resolveBase } from './base.js';
import { loadSeed, loadSubgraph } from './owners.js';
import { applyDeclarations, attributeCombinations, diffOwnerPolicies, formatPolicyDiff, parseAcceptedWidenings, type DecisionChange } from './policyDecisions.js';

/**
 * `npm run policy:diff [-- --base <ref>] [--owner <name>]`
 *
 * For each owner whose policies changed since the base (by default the
 * merge-base with main), decides every persona × purpose × action under the
 * base policies and the working tree's, on the owner's synthetic data (seeded
 * into an in-memory database), and prints the decisions that change. Fails on
 * a widening (deny → allow) not declared with a reason in the owner's
 * src/policies/accepted-widenings.json.
 */
const root = repoRoot();

/**
 * Types whose attributes changed: the base rules are decided on rows as the
 * working tree describes them, so a base rule reading an attribute that is
 * gone decides as if it did not apply (a permit does not permit, a forbid
 * does not forbid). Said next to the table, for the officer reading it.
 */
function shapeChanges(owner: string, before: Record<string, Record<string, unknown>>, after: Record<string, Record<string, unknown>>): string[] {
  const notes: string[] = [];
  for (const type of Object.keys(after)) {
    if (!before[type]) continue;
    const added = Object.keys(after[type]!).filter((a) => !(a in before[type]!));
    const removed = Object.keys(before[type]!).filter((a) => !(a in after[type]!));
    if (added.length || removed.length) {
      notes.push(
        `${owner}: ${type}'s attributes changed (${[added.length ? `added ${added.join(', ')}` : '', removed.length ? `removed ${removed.join(', ')}` : ''].filter(Boolean).join('; ')}): ` +
          `the base rules were decided on rows described the new way, and a base rule that reads a removed attribute decided as if it did not apply`,
      );
    }
  }
  return notes;
}
const argv = process.argv.slice(2);
const option = (name: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined);

try {
  const base = resolveBase(option('base'), root);
  const only = option('owner');
  const owners = discoverOwners(root).filter((o) => !only || o.name === only);
  if (only && owners.length === 0) throw new BaseError(`No owner named ${only}.`);
  const issuer = await DevIssuer.create();
  const world = new World();
  const changes: DecisionChange[] = [];
  const undeclared: DecisionChange[] = [];
  const notes: string[] = [];
  for (const owner of owners) {
    const folder = relative(root, join(owner.dir, 'src/policies'));
    const before = { policies: base.read(`${folder}/policies.cedar`), schema: base.read(`${folder}/schema.cedarschema`) };
    const subgraph = await loadSubgraph(owner);
    const head = subgraph.policies();
    if (before.policies === head.source.policies && before.schema === head.source.schema) continue;
    if (before.policies === null || before.schema === null) notes.push(`${owner.name} has no policies at the base: every decision it allows is new`);
    const baseEngine = before.policies !== null && before.schema !== null ? new PolicyEngine(owner.name, { policies: before.policies, schema: before.schema }) : null;
    if (baseEngine) notes.push(...shapeChanges(owner.name, PolicyEngine.entityAttributes(before.schema!), PolicyEngine.entityAttributes(head.source.schema)));
    // The owner's synthetic data, in a throwaway embedded database.
    const db = await openDatabase({});
    try {
      // Migrated (and the owner's reference data written) as a start would; the server is never started.
      await subgraph.create({ db, trust: issuer.trustConfig() });
      await (await loadSeed(owner))(db, world);
      const rows: Record<string, readonly object[]> = {};
      for (const [type, descriptor] of Object.entries(subgraph.resources.resources)) {
        if (descriptor.rows) rows[type] = await descriptor.rows(db);
      }
      const mine = diffOwnerPolicies({ owner: owner.name, base: baseEngine, head, registry: subgraph.resources, rows, combinations: attributeCombinations(head.source.schema) });
      const acceptedFile = join(owner.dir, 'src/policies/accepted-widenings.json');
      const accepted = parseAcceptedWidenings(existsSync(acceptedFile) ? readFileSync(acceptedFile, 'utf8') : null, relative(root, acceptedFile));
      undeclared.push(...applyDeclarations(mine, accepted));
      changes.push(...mine);
    } finally {
      await db.close();
    }
  }
  console.log(formatPolicyDiff(changes, base.label, owners.map((o) => o.name), notes));
  if (undeclared.length) {
    console.error(
      `Result: FAIL — ${undeclared.length} undeclared widening(s). Each newly disclosed decision must be declared, with a reason the owner's ` +
        `data-protection officer signs, in subgraphs/<owner>/src/policies/accepted-widenings.json: { "widenings": [ { "persona", "purpose", "action", "reason" } ] }.`,
    );
    process.exit(1);
  }
  console.log(`Result: pass (${changes.filter((c) => c.widened).length} widening(s), all declared; ${changes.filter((c) => !c.widened).length} other change(s))`);
} catch (error) {
  console.error(error instanceof BaseError ? error.message : error);
  process.exit(1);
}
