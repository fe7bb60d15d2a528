import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type System } from './support/system.js';

/**
 * Every disclosure of personal data has its row in the owner's log, written
 * before the answer leaves the owner; when the log cannot be written, the
 * owner's data is withheld (the rest of the answer still comes).
 */
describe('disclosure log through the gateway', () => {
  let system: System;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(() => system?.stop());

  it('writes one row per disclosure: who, purpose, entity ids, data subjects and fields', async () => {
    const read = await system.gql('housing-fob-caseworker', 'CRIME_PREVENTION_63D', '{ criminalDecisions(first: 5) { nodes { id decidedOn decisionType person { id } } } }');
    const nodes = read.body.data.criminalDecisions.nodes as Array<{ id: string }>;
    expect(nodes.length).toBeGreaterThan(0);
    const log = await system.gql('police-auditor', 'COORDINATION', '{ policeDisclosureLog(first: 20) { nodes { organisation purpose action entityType entityIds dataSubjects fields decision criterion } } }');
    const rows = log.body.data.policeDisclosureLog.nodes as Array<Record<string, any>>;
    const disclosure = rows.find((r) => r.organisation === 'fob' && r.entityType === 'CriminalDecision' && r.action === 'READ' && r.decision === 'PERMITTED');
    expect(disclosure).toBeDefined();
    expect([...disclosure!.entityIds].sort()).toEqual(nodes.map((n) => n.id).sort());
    expect(disclosure!.purpose).toBe('CRIME_PREVENTION_63D');
    expect(disclosure!.fields).toEqual(['decidedOn', 'decisionType', 'id']);
    expect(disclosure!.dataSubjects.length).toBeGreaterThan(0);
    // The refused field is logged as refused; the search with its criterion too.
    expect(rows.some((r) => r.organisation === 'fob' && r.decision === 'DENIED' && r.fields.includes('person'))).toBe(true);
    expect(rows.some((r) => r.organisation === 'fob' && r.action === 'SEARCH' && r.entityType === 'CriminalDecision')).toBe(true);
    const verification = await system.gql('police-auditor', 'COORDINATION', '{ policeDisclosureLogVerification { ok checkedRows } }');
    expect(verification.body.data.policeDisclosureLogVerification.ok).toBe(true);
    // Another owner's auditor cannot read the police's log.
    const other = await system.gql('municipality-auditor', 'COORDINATION', '{ policeDisclosureLog(first: 1) { nodes { id } } }');
    expect(other.body.data?.policeDisclosureLog ?? null).toBeNull();
  });

  it('withholds the owner\'s data when its log cannot be written, and says so', async () => {
    const police = system.owners['police']!.db;
    await police.query('ALTER TABLE disclosure_log_head RENAME TO disclosure_log_head_away');
    try {
      const res = await system.gql('police-investigator', 'CRIME_PREVENTION_63D', '{ criminalDecisions(first: 3) { nodes { id court } } areas { id name } }');
      expect(res.body.data.criminalDecisions).toBeNull();
      expect(res.body.errors?.map((e) => e.extensions?.['code'])).toContain('AUDIT_UNAVAILABLE');
      expect(JSON.stringify(res.body)).not.toMatch(/"D[0-9A-Z]{7,16}"|Retten/);
      // The municipality's part, which needed no police log row, still answers.
      expect(res.body.data.areas).toHaveLength(4);
    } finally {
      await police.query('ALTER TABLE disclosure_log_head_away RENAME TO disclosure_log_head');
    }
    const after = await system.gql('police-investigator', 'CRIME_PREVENTION_63D', '{ criminalDecisions(first: 3) { nodes { id } } }');
    expect(after.body.data.criminalDecisions.nodes).toHaveLength(3);
  });
});
