import { AREAS } from './areas.js';

/**
 * The partnership agreement's own definitions (Mål and Organisering): its
 * goals per area and its bodies. Public master data, not synthetic.
 */

/** What a goal of the agreement measures (the police assess it from their safety index). */
export const GOAL_METRICS = [
  'SAFETY_SHARE_VS_COMPARABLE_AREAS',
  'SAFETY_SHARE_VS_PREVIOUS_YEAR',
  'NEIGHBOURHOOD_PROBLEMS_VS_PREVIOUS_YEAR',
] as const;
export type GoalMetricValue = (typeof GOAL_METRICS)[number];

export interface GoalDefinition {
  id: string;
  areaId: string;
  metric: GoalMetricValue;
  description: string;
  agreementClause: string;
}

const GOAL_CLAUSES: Record<GoalMetricValue, { suffix: string; description: (area: string) => string; clause: string }> = {
  SAFETY_SHARE_VS_COMPARABLE_AREAS: {
    suffix: 'comparable',
    description: (area) =>
      `${area}: the share of residents who feel safe (Politiets Tryghedsindeks) is at least the share in comparable areas overall.`,
    clause:
      'Mål: "Trygheden måles i Politiets Tryghedsindeks, og målet er, at andelen af beboere, der er trygge i hvert af boligområderne som minimum svarer til andelen af trygge i tilsvarende boligområder samlet set."',
  },
  SAFETY_SHARE_VS_PREVIOUS_YEAR: {
    suffix: 'previous-year',
    description: (area) => `${area}: each year, the share of residents who feel safe improves on the year before.`,
    clause: 'Mål: "Målet for det enkelte år er, at trygheden har udviklet sig positivt i forhold til niveauet målt i det foregående år."',
  },
  NEIGHBOURHOOD_PROBLEMS_VS_PREVIOUS_YEAR: {
    suffix: 'neighbourhood-problems',
    description: (area) =>
      `${area}: fewer residents report that kinds of crime and insecurity-creating behaviour occur in their neighbourhood (nabolagsproblemer) than the year before.`,
    clause:
      'Mål: "Målet for 2017 for Motalavej er, at reducere antallet af borgere, som angiver, at forskellige former for nabolagsproblemer forekommer, dvs. at øge indekset for nabolagsproblemer i alt."',
  },
};

/** Every area: the two safety goals; Motalavej also the neighbourhood-problems goal. */
export const AGREEMENT_GOALS: readonly GoalDefinition[] = AREAS.flatMap((area) =>
  GOAL_METRICS.filter((metric) => metric !== 'NEIGHBOURHOOD_PROBLEMS_VS_PREVIOUS_YEAR' || area.id === 'motalavej').map((metric) => ({
    id: `goal-${area.id}-${GOAL_CLAUSES[metric].suffix}`,
    areaId: area.id,
    metric,
    description: GOAL_CLAUSES[metric].description(area.name),
    agreementClause: GOAL_CLAUSES[metric].clause,
  })),
);

/** The agreement's organisation (Organisering). */
export const BODY_KINDS = ['BOARD', 'COORDINATION_GROUP', 'FOLLOW_UP_GROUP', 'ANNUAL_CONFERENCE'] as const;
export type BodyKindValue = (typeof BODY_KINDS)[number];

export interface BodyDefinition {
  id: string;
  kind: BodyKindValue;
  name: string;
  description: string;
  /** Follow-up groups only: one per area. */
  areaId: string | null;
  /** Police representatives at a meeting, as the agreement sets them (null: no rule). */
  minPoliceRepresentatives: number | null;
  maxPoliceRepresentatives: number | null;
  /** Meetings a year, where the agreement says. */
  meetingsPerYear: number | null;
}

export const PARTNERSHIP_BODIES: readonly BodyDefinition[] = [
  {
    id: 'board',
    kind: 'BOARD',
    name: 'Bestyrelsen for den boligsociale helhedsplan',
    description:
      "The joint social master plan's board, joined at two meetings a year by 3 representatives of the police's management; follows up on the partnership's goals and adjusts goals and initiatives.",
    areaId: null,
    minPoliceRepresentatives: 3,
    maxPoliceRepresentatives: 3,
    meetingsPerYear: 2,
  },
  {
    id: 'coordination-group',
    kind: 'COORDINATION_GROUP',
    name: 'Koordinationsgruppen',
    description:
      "Follows the concrete goals of initiatives and activities, and secures coherence, coordination and communication; 2 police representatives, the municipality's efforts and Kompetencecenteret.",
    areaId: null,
    minPoliceRepresentatives: 2,
    maxPoliceRepresentatives: 2,
    meetingsPerYear: null,
  },
  ...AREAS.map((area) => ({
    id: `follow-up-${area.id}`,
    kind: 'FOLLOW_UP_GROUP' as const,
    name: `Følgegruppe ${area.name}`,
    description: `The follow-up group of ${area.name}: 1–2 police representatives, the local housing organisations, other local stakeholders and Kompetencecenteret.`,
    areaId: area.id,
    minPoliceRepresentatives: 1,
    maxPoliceRepresentatives: 2,
    meetingsPerYear: null,
  })),
  {
    id: 'annual-conference',
    kind: 'ANNUAL_CONFERENCE',
    name: 'Partnerskabets årlige konference',
    description:
      "Once a year, for staff and managers working in the areas; programme set by the board and the police's management, convened by Kompetencecenteret with Slagelse Kommune.",
    areaId: null,
    minPoliceRepresentatives: null,
    maxPoliceRepresentatives: null,
    meetingsPerYear: 1,
  },
];
