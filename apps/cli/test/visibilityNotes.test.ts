import { printSubgraphSchema } from '@apollo/subgraph';
import { PolicyEngine } from '@partnergraph/subgraph-kit';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { policeSubgraph } from '../../../subgraphs/police/src/server.js';
import { visibilityNotes, withNotes } from '../src/visibilityNotes.js';

/**
 * Who may see what, in words, from the police's own policies: the notes the
 * composition writes into the schema's descriptions.
 */
describe('visibility notes', async () => {
  const sdl = printSubgraphSchema(await policeSubgraph.schema());
  const head = policeSubgraph.policies();
  const notes = visibilityNotes([{ owner: 'police', sdl, engine: head }]);

  it("says which persona kinds see a type, a field and a root field, under which purposes, as the owner's rules decide", () => {
    expect(notes.get('CriminalDecision.court')).toEqual(['Visible to: police (investigator) under CRIME_PREVENTION_63D, TERMINATION_90_10 or SSP_115.']);
    // Rows a housing company sees depend on the row (what was referred to it): said so, never as "all".
    expect(notes.get('CriminalDecision')![0]).toMatch(/housing companies \(caseworker\) only for the rows its rules admit, under CRIME_PREVENTION_63D or TERMINATION_90_10/);
    expect(notes.get('Mutation.referDecision')![0]).toMatch(/^Usable by: police \(investigator\)/);
    // Every type and field the owner serves has a note.
    const document = parse(sdl);
    for (const definition of document.definitions) {
      if (definition.kind !== 'ObjectTypeDefinition' || definition.name.value.startsWith('_')) continue;
      for (const field of definition.fields ?? []) {
        if (field.name.value.startsWith('_') || field.directives?.some((d) => d.name.value === 'external')) continue;
        expect(notes.get(`${definition.name.value}.${field.name.value}`), `${definition.name.value}.${field.name.value}`).toBeDefined();
      }
    }
  });

  it('follows the policies: a narrower rule narrows the note', () => {
    const narrower = head.source.policies.replace(/\["CRIME_PREVENTION_63D", "TERMINATION_90_10", "SSP_115"\]\.contains\(context\.purpose\)/, '["SSP_115"].contains(context.purpose)');
    expect(narrower).not.toBe(head.source.policies);
    const engine = new PolicyEngine('police', { policies: narrower, schema: head.source.schema });
    expect(visibilityNotes([{ owner: 'police', sdl, engine }]).get('CriminalDecision.court')).toEqual(['Visible to: police (investigator) under SSP_115.']);
  });

  it('adds each note after the description, leaving the rest of the SDL as it was', () => {
    const noted = withNotes('"""Decisions."""\ntype CriminalDecision { """The court."""\ncourt: String }', notes);
    expect(noted).toMatch(/"""\nDecisions\.\n\nVisible to: police \(investigator\)/);
    expect(noted).toMatch(/The court\.\n\s*\n\s*Visible to: police \(investigator\) under CRIME_PREVENTION_63D, TERMINATION_90_10 or SSP_115\./);
  });
});
