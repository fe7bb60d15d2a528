import { AREAS } from '@partnergraph/common';
import { GIVEN_NAMES, SURNAMES } from './names.js';
import { Random } from './random.js';
import { DEPARTMENTS, type World } from './world.js';

/**
 * Slagelse Kommune's slice of the synthetic partnership: the initiative register
 * (indsatser) of every party, and the municipality's injunctions under barnets
 * lov § 38/§ 39. Deterministic for a world's seed and anchor; no real person.
 */

/** The agreement's three kinds of initiative. */
export const INITIATIVE_KINDS = ['BUILDING_UP', 'PREVENTIVE', 'CRIME_PREVENTIVE'] as const;
export type InitiativeKindValue = (typeof INITIATIVE_KINDS)[number];

/** Barnets lov § 38 (formerly Serviceloven § 57 a) and § 39 (formerly § 57 b). */
export const INJUNCTION_KINDS = ['PARENTAL_INJUNCTION', 'CHILD_YOUTH_INJUNCTION'] as const;
export type InjunctionKindValue = (typeof INJUNCTION_KINDS)[number];

export interface InitiativeSeed {
  id: string;
  title: string;
  description: string;
  kind: InitiativeKindValue;
  responsibleOrganisation: string;
  areaIds: string[];
  startsOn: string;
  endsOn: string | null;
}

export interface InjunctionSeed {
  id: string;
  personId: string;
  kind: InjunctionKindValue;
  areaId: string;
  /** The child concerned: the person itself for § 39, the parent's child for § 38. */
  childBirthDate: string;
  issuedOn: string;
  endsOn: string;
  reason: string;
  caseworker: string;
}

/** Who may lead: the agreement gives building-up to municipality and housing, crime-preventive to the police. */
type Lead = 'municipality' | 'housing' | 'police' | 'any';

interface InitiativeTemplate {
  title: string;
  danish: string;
  description: string;
  kind: InitiativeKindValue;
  lead: Lead;
}

const TEMPLATES = {
  homework: { title: 'Homework café', danish: 'lektiecafé', kind: 'BUILDING_UP', lead: 'housing', description: 'Weekly homework help for school children, run with volunteers, towards a higher level of education.' },
  education: { title: 'Education guidance for young residents', danish: 'uddannelsesvejledning', kind: 'BUILDING_UP', lead: 'municipality', description: 'Guidance of 15–25-year-olds into and through youth education.' },
  jobs: { title: 'Job and income effort', danish: 'beskæftigelsesindsats i boligområdet', kind: 'BUILDING_UP', lead: 'municipality', description: 'Job centre staff in the area, helping residents into work and a higher income.' },
  money: { title: 'Financial counselling', danish: 'økonomisk rådgivning', kind: 'BUILDING_UP', lead: 'housing', description: 'Debt and budget counselling for tenants, to prevent evictions for rent arrears.' },
  parents: { title: 'Parent programme', danish: 'forældreprogram', kind: 'PREVENTIVE', lead: 'municipality', description: 'Courses for and with parents on raising children and cooperating with school.' },
  youngMothers: { title: "Young mothers' group", danish: 'tilbud til unge mødre', kind: 'PREVENTIVE', lead: 'any', description: 'Network and guidance for young mothers.' },
  neighbourhoodMothers: { title: 'Neighbourhood mothers', danish: 'bydelsmødre', kind: 'PREVENTIVE', lead: 'housing', description: 'Trained volunteer women who reach isolated women and families in the area.' },
  fathers: { title: 'Father group', danish: 'fædregruppe', kind: 'PREVENTIVE', lead: 'any', description: 'Fathers meet to support each other and take part in the life of the area.' },
  street: { title: 'Street-level work', danish: 'gadeplansarbejde', kind: 'PREVENTIVE', lead: 'municipality', description: 'SSP street workers meet young people where they are, evenings and weekends.' },
  leisureJobs: { title: 'Leisure jobs for young people', danish: 'fritidsjobindsats', kind: 'PREVENTIVE', lead: 'any', description: 'Finds and supports first leisure jobs for 13–17-year-olds.' },
  safetyWalks: { title: 'Safety walks', danish: 'tryghedsvandringer', kind: 'PREVENTIVE', lead: 'any', description: 'Residents, police and housing staff walk the area and note what makes it feel unsafe.' },
  presence: { title: 'Visible police presence', danish: 'synlig polititilstedeværelse', kind: 'PREVENTIVE', lead: 'police', description: 'Foot patrols and a local police officer at fixed hours in the area.' },
  trust: { title: 'Trust building between residents and police', danish: 'opbygning af tillid og relationer', kind: 'PREVENTIVE', lead: 'police', description: 'Dialogue meetings, sports and open events with the local police.' },
  atRiskYouth: { title: 'Effort for at-risk youth', danish: 'indsats over for udsatte unge', kind: 'CRIME_PREVENTIVE', lead: 'police', description: 'Follow-up on young people at risk of crime, with SSP and their parents.' },
  authorities: { title: 'Coordinated authority effort', danish: 'sammenhængende myndighedsindsats', kind: 'CRIME_PREVENTIVE', lead: 'police', description: 'Police, municipality and tax authorities act together on the same persons and addresses.' },
  exit: { title: 'Exit programme', danish: 'Exit-forløb', kind: 'CRIME_PREVENTIVE', lead: 'police', description: 'Help for people who want to leave a criminal group.' },
  termination: { title: 'Follow-up on criminal decisions for tenancy termination', danish: 'konsekvent opsigelse af lejere, der begår kriminalitet', kind: 'CRIME_PREVENTIVE', lead: 'police', description: 'The police follow up on criminal decisions about residents and pass them to the housing companies (almenboligloven § 63 d).' },
} as const satisfies Record<string, InitiativeTemplate>;

type TemplateKey = keyof typeof TEMPLATES;

/**
 * When an initiative ran. A: the first agreement (April 2014, Motalavej and
 * Ringparken only); B: the joint social master plan 2017–2021 (all four areas);
 * C: since 2022, still running; O: from the first agreement, still running;
 * P: planned, not started.
 */
type Phase = 'A' | 'O' | 'B' | 'C' | 'P';

const ALL = AREAS.map((a) => a.id);
const FIRST = ['motalavej', 'ringparken'];

/** The register, by template, areas and phase: every area has initiatives running today. */
const REGISTER: ReadonlyArray<readonly [TemplateKey, readonly string[], Phase]> = [
  ['homework', ['motalavej'], 'A'],
  ['homework', ['ringparken'], 'A'],
  ['jobs', FIRST, 'A'],
  ['parents', ['ringparken'], 'A'],
  ['neighbourhoodMothers', ['motalavej'], 'A'],
  ['street', FIRST, 'A'],
  ['safetyWalks', ['motalavej'], 'A'],
  ['presence', ['motalavej'], 'A'],
  ['presence', ['ringparken'], 'A'],
  ['atRiskYouth', FIRST, 'A'],
  ['termination', FIRST, 'O'],
  ['termination', ['sydbyen', 'parkvej'], 'C'],
  ['homework', ['sydbyen'], 'B'],
  ['homework', ['parkvej'], 'B'],
  ['education', ALL, 'B'],
  ['youngMothers', ['ringparken'], 'B'],
  ['fathers', ['motalavej'], 'B'],
  ['neighbourhoodMothers', ['sydbyen'], 'B'],
  ['leisureJobs', ['ringparken', 'sydbyen'], 'B'],
  ['leisureJobs', ['parkvej'], 'B'],
  ['safetyWalks', ['sydbyen', 'parkvej'], 'B'],
  ['trust', ['motalavej'], 'B'],
  ['authorities', ALL, 'B'],
  ['exit', ALL, 'B'],
  ['parents', ['motalavej'], 'B'],
  ['homework', ['motalavej'], 'C'],
  ['homework', ['ringparken'], 'C'],
  ['jobs', ALL, 'C'],
  ['education', ['sydbyen', 'parkvej'], 'C'],
  ['neighbourhoodMothers', ['ringparken'], 'C'],
  ['fathers', ['sydbyen'], 'C'],
  ['street', ALL, 'C'],
  ['leisureJobs', FIRST, 'C'],
  ['safetyWalks', ALL, 'C'],
  ['presence', ['motalavej'], 'C'],
  ['trust', ['ringparken'], 'C'],
  ['atRiskYouth', ALL, 'C'],
  ['exit', ALL, 'C'],
  ['youngMothers', ['parkvej'], 'C'],
  ['money', ['ringparken'], 'P'],
  ['parents', ['sydbyen'], 'P'],
];

const DAY = 86_400_000;
const iso = (d: Date) => d.toISOString().slice(0, 10);
const at = (date: string) => new Date(`${date}T00:00:00Z`);
const plusDays = (d: Date, n: number) => new Date(d.getTime() + n * DAY);
const minDate = (a: Date, b: Date) => (a < b ? a : b);

function housingCompanyIn(r: Random, areaId: string): string {
  return r.pick(DEPARTMENTS.filter((d) => d.areaId === areaId)).companyId;
}

function responsible(r: Random, lead: Lead, areaId: string): string {
  switch (lead) {
    case 'municipality':
      return 'slagelse-kommune';
    case 'police':
      return 'police';
    case 'housing':
      return housingCompanyIn(r, areaId);
    case 'any':
      return r.weighted([
        ['slagelse-kommune', 3],
        [housingCompanyIn(r, areaId), 3],
        ['police', 1],
      ]);
  }
}

function period(r: Random, phase: Phase, anchor: Date): [Date, Date | null] {
  switch (phase) {
    case 'A': {
      const start = plusDays(at('2014-04-01'), r.int(0, 240));
      return [start, minDate(plusDays(start, r.int(540, 1400)), at('2017-08-31'))];
    }
    case 'O':
      return [plusDays(at('2014-04-01'), r.int(0, 30)), null];
    case 'B': {
      const start = plusDays(at('2017-09-01'), r.int(0, 300));
      return [start, minDate(plusDays(start, r.int(700, 1600)), at('2021-12-31'))];
    }
    case 'C': {
      // Started in the current period, before the anchor; open-ended or ending after it.
      const from = at('2022-01-01');
      const span = Math.max(1, Math.floor((anchor.getTime() - from.getTime()) / DAY) - 30);
      const start = plusDays(from, r.int(0, Math.min(span, 900)));
      return [start, r.chance(0.55) ? null : plusDays(anchor, r.int(30, 500))];
    }
    case 'P': {
      const start = plusDays(anchor, r.int(20, 150));
      return [start, plusDays(start, 365)];
    }
  }
}

/** The initiative register: ~40 initiatives of every party, 2014 to today. */
export function municipalityInitiatives(world: World): InitiativeSeed[] {
  return REGISTER.map(([key, areaIds, phase], i) => {
    const r = new Random(`${world.seed}:initiative:${i}`);
    const t: InitiativeTemplate = TEMPLATES[key];
    const [start, end] = period(r, phase, world.anchor);
    const single = areaIds.length === 1 ? AREAS.find((a) => a.id === areaIds[0]) : undefined;
    return {
      id: `I${String(i + 1).padStart(5, '0')}`,
      title: single ? `${t.title}, ${single.name}` : t.title,
      description: `${t.description} (${t.danish})`,
      kind: t.kind,
      responsibleOrganisation: responsible(r, t.lead, areaIds[0]!),
      areaIds: [...areaIds],
      startsOn: iso(start),
      endsOn: end ? iso(end) : null,
    };
  });
}

const REASONS: Record<InjunctionKindValue, readonly string[]> = {
  PARENTAL_INJUNCTION: [
    "Child's persistent unlawful school absence (synthetic)",
    "Child's criminal behaviour in the area; parents not cooperating (synthetic)",
    'Parents not taking part in agreed support for the child (synthetic)',
    "Child's insecurity-creating behaviour late at night (synthetic)",
  ],
  CHILD_YOUTH_INJUNCTION: [
    'Criminal behaviour within or affecting the area (synthetic)',
    'Serious school absence (synthetic)',
    'Insecurity-creating behaviour in a group (synthetic)',
    'Staying out at night in breach of agreements (synthetic)',
  ],
};

/** Initials as the municipality's systems show caseworkers; a fixed synthetic pool. */
function caseworkers(seed: string): string[] {
  const r = new Random(`${seed}:caseworkers`);
  const pool = new Set<string>();
  while (pool.size < 8) {
    const given = r.pick(GIVEN_NAMES);
    const surname = r.pick(SURNAMES);
    pool.add(`${given.slice(0, 2)}${surname.slice(0, 1)}`.toUpperCase());
  }
  return [...pool];
}

const AREA_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['motalavej', 0.32],
  ['ringparken', 0.38],
  ['sydbyen', 0.18],
  ['parkvej', 0.12],
];

/**
 * Injunctions 2014..anchor, about children aged 10–17 when issued. A § 38
 * injunction is about a parent: a current tenant with a household in the same
 * area, so joins with the housing subgraph mean something. A § 39 injunction is
 * about the child: a person beyond the tenants and the police's decisions.
 * Each person has at most one injunction.
 */
export function municipalityInjunctions(world: World, count = 60): InjunctionSeed[] {
  const pool = caseworkers(world.seed);
  const usedTenancies = new Set<number>();
  const first = at('2014-01-01').getTime();
  const span = Math.floor((world.anchor.getTime() - first) / DAY);
  const out: InjunctionSeed[] = [];
  for (let k = 0; k < count; k++) {
    const r = new Random(`${world.seed}:injunction:${k}`);
    const kind = r.weighted<InjunctionKindValue>([
      ['PARENTAL_INJUNCTION', 4],
      ['CHILD_YOUTH_INJUNCTION', 6],
    ]);
    const areaId = r.weighted(AREA_WEIGHTS);
    const issued = plusDays(new Date(first), r.int(0, Math.max(0, span - 1)));
    const childAge = r.int(10, 17);
    const childBirth = plusDays(issued, -(childAge * 365 + r.int(3, 360)));
    let personId: string | null = null;
    if (kind === 'PARENTAL_INJUNCTION') {
      // Probe for a tenant of the area with a household, living there when issued.
      for (let attempt = 0; attempt < 400 && personId === null; attempt++) {
        const i = r.int(0, world.tenancyCount - 1);
        if (usedTenancies.has(i)) continue;
        const t = world.tenancy(i);
        if (t.areaId !== areaId || t.householdSize < 2) continue;
        if (at(t.startDate) > issued || (t.endDate !== null && at(t.endDate) < issued)) continue;
        usedTenancies.add(i);
        personId = t.tenantPersonId;
      }
    }
    personId ??= world.personId(world.tenancyCount + world.decisionCount + k);
    out.push({
      id: `J${String(k + 1).padStart(7, '0')}`,
      personId,
      kind,
      areaId,
      childBirthDate: iso(childBirth),
      issuedOn: iso(issued),
      endsOn: iso(plusDays(issued, r.int(90, 365))),
      reason: r.pick(REASONS[kind]),
      caseworker: r.pick(pool),
    });
  }
  return out;
}
