import { enumValues } from '@partnergraph/subgraph-kit';
import { registerEnumType } from 'type-graphql';
import { DECISION_TYPES, INCIDENT_CATEGORIES, OFFENCE_CATEGORIES } from '@partnergraph/vocabulary';

/** Offence category of a criminal decision (strafferetlig afgørelse). */
export const OffenceCategory = enumValues(OFFENCE_CATEGORIES);
registerEnumType(OffenceCategory, { name: 'OffenceCategory', description: 'Kind of offence a criminal decision concerns.' });

export const DecisionType = enumValues(DECISION_TYPES);
registerEnumType(DecisionType, {
  name: 'DecisionType',
  description: 'Outcome of a criminal decision.',
  valuesConfig: {
    UNCONDITIONAL_IMPRISONMENT: { description: 'Ubetinget fængsel: may ground termination under almenlejeloven § 90 stk. 1 nr. 10.' },
    CONDITIONAL_IMPRISONMENT: { description: 'Betinget fængsel.' },
    YOUTH_SANCTION: { description: 'Ungdomssanktion.' },
  },
});

export const IncidentCategory = enumValues(INCIDENT_CATEGORIES);
registerEnumType(IncidentCategory, { name: 'IncidentCategory', description: 'Category of reported incidents (anmeldelser).' });
