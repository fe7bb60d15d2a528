import { DevIssuer } from '@partnergraph/common';
import { openDatabase, PolicyEngine, type Database } from '@partnergraph/subgraph-kit';
import { World } from '@partnergraph/synthetic';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPolice } from '../../../subgraphs/police/src/data/seed.js';
import { policeSubgraph } from '../../../subgraphs/police/src/server.js';
import {
  affectedActions,
  applyDeclarations,
  attributeCombinations,
  diffOwnerPolicies,
  formatPolicyDiff,
  parseAcceptedWidenings,
  type OwnerPolicies,
} from '../src/policyDecisions.js';

/**
 * The policy diff on the police's own policies and synthetic data: a rule
 * change is reported as the decisions it changes, deny → allow marked as a
 * widening, counted in rows of the data.
 */
let db: Database;
let rows: OwnerPolicies['rows'];
const head = policeSubgraph.policies();
beforeAll(async () => {
  db = await openDatabase({});
  await policeSubgraph.create({ db, trust: (await DevIssuer.create()).trustConfig() });
  await seedPolice(db, new World());
  rows = {};
  for (const [type, descriptor] of Object.entries(policeSubgraph.resources.resources)) if (descriptor.rows) rows[type] = await descriptor.rows(db);
});
afterAll(() => db?.close());

const owner = (policies: string): OwnerPolicies => ({
  owner: 'police',
  base: head,
  head: new PolicyEngine('police', { policies, schema: head.source.schema }),
  registry: policeSubgraph.resources,
  rows,
  combinations: attributeCombinations(head.source.schema),
});
const edit = (from: string, to: string) => {
  expect(head.source.policies).toContain(from);
  return head.source.policies.replace(from, to);
};

describe('policy diff', () => {
  it('finds no change when the policies are the same, and looks only at the actions a changed policy reaches', () => {
    expect(diffOwnerPolicies(owner(head.source.policies))).toEqual([]);
    expect(affectedActions(head, owner(head.source.policies).head).size).toBe(0);
    const reached = affectedActions(head, owner(edit('resource.subjectAge < 18', 'resource.subjectAge < 16')).head);
    expect(reached.has('CriminalDecision.person')).toBe(true);
    expect(reached.has('SafetyIndexMeasurement.year')).toBe(false);
  });

  it('marks a widening, in rows: a § 63 d rule that also admits decisions referred under § 90 discloses them under § 63 d', () => {
    const widened = edit('  resource.referredUnder63d.contains(principal.organisation) &&', '  (resource.referredUnder63d.contains(principal.organisation) || resource.referredUnder9010.contains(principal.organisation)) &&');
    const changes = diffOwnerPolicies(owner(widened));
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((c) => c.widened > 0 && c.narrowed === 0 && c.over === 'rows')).toBe(true);
    // Only housing caseworkers, only under § 63 d, only the summary fields and referrals.
    expect(new Set(changes.map((c) => c.persona))).toEqual(new Set(['housing-fob-caseworker', 'housing-bk-caseworker', 'housing-sab-caseworker']));
    expect(new Set(changes.map((c) => c.purpose))).toEqual(new Set(['CRIME_PREVENTION_63D']));
    expect(changes.map((c) => c.action)).toContain('CriminalDecision.offenceCategory');
    expect(changes.map((c) => c.action)).not.toContain('CriminalDecision.court');
    const text = formatPolicyDiff(changes, 'main@abc1234 (merge-base)', ['police', 'housing']);
    expect(text).toMatch(/police: \d+ changed decision\(s\), \d+ widening\(s\)/);
    expect(text).toMatch(/WIDENING +housing-fob-caseworker +CRIME_PREVENTION_63D +CriminalDecision: \(row\), .*offenceCategory/);
    expect(text).toMatch(/allow \d+ of 800 +allow \d+ of 800 +\+\d+ −0 of 800 rows/);
    expect(text).toMatch(/housing: no decision changes/);
  });

  it('marks a narrowing, and a decision that changes for every row and purpose', () => {
    const narrowed = edit('resource.subjectAge < 18', 'resource.subjectAge < 16');
    const changes = diffOwnerPolicies(owner(narrowed));
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((c) => c.persona === 'municipality-caseworker' && c.purpose === 'SSP_115' && c.widened === 0 && c.narrowed > 0)).toBe(true);
    // A forbid taken away from analysts: a widening on every purpose they might use.
    const analysts = diffOwnerPolicies(owner(edit('@id("analysts-never-see-persons")\nforbid', '@id("analysts-never-see-persons")\npermit')));
    expect(analysts.some((c) => c.persona === 'analyst' && c.widened > 0)).toBe(true);
  });

  it('passes a widening only where it is declared, with a reason', () => {
    const changes = diffOwnerPolicies(owner(edit('  resource.referredUnder63d.contains(principal.organisation) &&', '  (resource.referredUnder63d.contains(principal.organisation) || resource.referredUnder9010.contains(principal.organisation)) &&')));
    const accepted = parseAcceptedWidenings(
      JSON.stringify({ widenings: [{ persona: 'housing-fob-caseworker', purpose: 'CRIME_PREVENTION_63D', action: '*', reason: 'Test: FOB may read § 90 referrals under § 63 d.' }] }),
      'accepted-widenings.json',
    );
    const undeclared = applyDeclarations(changes, accepted);
    expect(undeclared.length).toBeGreaterThan(0);
    expect(undeclared.some((c) => c.persona === 'housing-fob-caseworker')).toBe(false);
    expect(changes.filter((c) => c.persona === 'housing-fob-caseworker').every((c) => c.declared === 'Test: FOB may read § 90 referrals under § 63 d.')).toBe(true);
    expect(() => parseAcceptedWidenings(JSON.stringify({ widenings: [{ persona: '*', purpose: '*', action: '*' }] }), 'x.json')).toThrow(/x.json, widening 1: .*reason/);
  });

  it('decides types without listed rows on every combination of their attribute values', () => {
    const combinations = attributeCombinations(head.source.schema);
    // DisclosureLogEntry (a data owner): one per organisation and an unknown one.
    expect(combinations['DisclosureLogEntry']!.length).toBe(9);
    // CriminalDecision has days and ages: not enumerable, its rows come from the data.
    expect(combinations['CriminalDecision']).toBeUndefined();
    // Auditors reading any owner's log rows: a widening on those combinations.
    const changes = diffOwnerPolicies(owner(edit('  principal.roles.contains("auditor") &&\n  resource.dataOwner == principal.organisation', '  principal.roles.contains("auditor")')));
    expect(changes.some((c) => c.action === 'DisclosureLogEntry' && c.over === 'combinations' && c.widened > 0)).toBe(true);
  });
});
