import {
  AREAS,
  PARTNERSHIP_BODIES,
  type BodyDefinition,
  type BodyKindValue,
  type InitiativeKindValue,
  type InjunctionKindValue,
} from '@partnergraph/vocabulary';
import { GIVEN_NAMES, SURNAMES } from './names.js';
import { Random } from './random.js';
import { DEPARTMENTS, type World } from './world.js';

/**
 * Slagelse Kommune's slice of the synthetic partnership: the initiative register
 * (indsatser) of every party, and the municipality's injunctions under barnets
 * lov § 38/§ 39. Deterministic for a world's seed and anchor; no real person.
 */

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

/* ------------------------------------------------------------------------- */
/* Synthetic meetings, decisions and notices.                                 */
/* ------------------------------------------------------------------------- */

export interface MeetingDecisionSeed {
  id: string;
  text: string;
  ownerOrganisation: string;
  dueOn: string;
  completedOn: string | null;
}

export interface MeetingSeed {
  id: string;
  bodyId: string;
  scheduledFor: string;
  title: string;
  participants: Array<{ organisationId: string; representatives: number }>;
  decisions: MeetingDecisionSeed[];
}

const SECRETARIAT = 'kompetencecenteret';
const MUNICIPALITY_ID = 'slagelse-kommune';
/** Bolig Korsør, FOB and SAB were parties from 2014; the other two joined with the 2017 master plan. */
const FIRST_COMPANIES = ['bolig-korsor', 'fob', 'sab'];
const ALL_COMPANIES = ['bolig-korsor', 'skaelskor-boligselskab', 'fob', 'sab', 'slagelse-boligselskab'];
const MASTER_PLAN_START = '2017-09-01';

const DECISION_TEXTS: Record<BodyKindValue, readonly string[]> = {
  BOARD: [
    'The police present the year\'s safety index (Tryghedsindeks) per area at the next meeting',
    'Adjust the partnership\'s goals after this year\'s evaluation',
    'The secretariat updates annex 1 of the agreement with the new safety index',
    'Prepare the programme of the annual conference with the police\'s management',
    'Report on the use of tenancy termination for crime (almenboligloven § 63 d)',
    'Agree a joint press line on the safety index results',
  ],
  COORDINATION_GROUP: [
    'Map overlapping leisure-job efforts across the areas',
    'Coordinate the summer effort for young people in all four areas',
    'Circulate the updated initiative register before the next meeting',
    'Agree who informs the local council (Lokalrådet) about the new effort',
    'Follow up on attendance at the homework cafés',
    'Plan safety walks for the autumn with the housing companies',
  ],
  FOLLOW_UP_GROUP: [
    'Arrange a safety walk with residents and the local police',
    'Report broken lighting and overgrown paths to the housing company',
    'Invite the street-level workers to the next meeting',
    'Follow up on the gatherings of young people at the shopping centre',
    'Share the dates of the neighbourhood mothers\' open meetings',
  ],
  ANNUAL_CONFERENCE: [
    'The secretariat sends the conference\'s conclusions to all parties',
    'The board discusses the conference\'s proposals at its next meeting',
  ],
};

/** When each body met: months of the year (a body's meetings fall in these). */
const MEETING_MONTHS: Record<BodyKindValue, readonly number[]> = {
  BOARD: [3, 10],
  COORDINATION_GROUP: [2, 5, 9, 11],
  FOLLOW_UP_GROUP: [1, 4, 6, 10],
  ANNUAL_CONFERENCE: [11],
};

function participants(r: Random, body: BodyDefinition, on: string): MeetingSeed['participants'] {
  const companies = on >= MASTER_PLAN_START ? ALL_COMPANIES : FIRST_COMPANIES;
  switch (body.kind) {
    case 'BOARD':
      return [
        { organisationId: 'police', representatives: 3 },
        { organisationId: MUNICIPALITY_ID, representatives: 2 },
        ...companies.map((organisationId) => ({ organisationId, representatives: 1 })),
        { organisationId: SECRETARIAT, representatives: 1 },
      ];
    case 'COORDINATION_GROUP':
      return [
        { organisationId: 'police', representatives: 2 },
        { organisationId: MUNICIPALITY_ID, representatives: r.int(2, 3) },
        { organisationId: SECRETARIAT, representatives: r.int(1, 2) },
      ];
    case 'FOLLOW_UP_GROUP': {
      const local = [...new Set(DEPARTMENTS.filter((d) => d.areaId === body.areaId).map((d) => d.companyId))];
      return [
        { organisationId: 'police', representatives: r.int(1, 2) },
        ...(r.chance(0.6) ? [{ organisationId: MUNICIPALITY_ID, representatives: 1 }] : []),
        ...local.map((organisationId) => ({ organisationId, representatives: r.int(1, 2) })),
        { organisationId: SECRETARIAT, representatives: 1 },
      ];
    }
    case 'ANNUAL_CONFERENCE':
      return [
        { organisationId: 'police', representatives: r.int(3, 6) },
        { organisationId: MUNICIPALITY_ID, representatives: r.int(6, 12) },
        ...companies.map((organisationId) => ({ organisationId, representatives: r.int(1, 4) })),
        { organisationId: SECRETARIAT, representatives: r.int(2, 4) },
      ];
  }
}

function meetingTitle(body: BodyDefinition, on: string): string {
  const year = on.slice(0, 4);
  const month = Number(on.slice(5, 7));
  switch (body.kind) {
    case 'BOARD':
      return `Board meeting with the police, ${month < 7 ? 'spring' : 'autumn'} ${year}`;
    case 'COORDINATION_GROUP':
      return `Coordination group, Q${Math.ceil(month / 3)} ${year}`;
    case 'FOLLOW_UP_GROUP':
      return `${body.name}, Q${Math.ceil(month / 3)} ${year}`;
    case 'ANNUAL_CONFERENCE':
      return `Partnership conference ${year}`;
  }
}

/**
 * Meetings of every body from the first agreement (April 2014) to half a year
 * after the anchor, with their participants and, for meetings held, their
 * decisions: most completed, some open past their due date. Follow-up groups of
 * Sydbyen and Parkvej/Præstevangen meet from the 2017 master plan on.
 */
export function municipalityMeetings(world: World): MeetingSeed[] {
  const anchorDay = iso(world.anchor);
  const horizon = iso(plusDays(world.anchor, 180));
  const twoYearsAgo = iso(plusDays(world.anchor, -730));
  const slots: Array<{ body: BodyDefinition; on: string; r: Random }> = [];
  for (const body of PARTNERSHIP_BODIES) {
    const from = body.areaId && !FIRST.includes(body.areaId) ? MASTER_PLAN_START : '2014-04-01';
    for (let year = 2014; year <= Number(horizon.slice(0, 4)); year++) {
      for (const month of MEETING_MONTHS[body.kind]) {
        const r = new Random(`${world.seed}:meeting:${body.id}:${year}:${month}`);
        const on = `${year}-${String(month).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;
        if (on < from || on > horizon) continue;
        slots.push({ body, on, r });
      }
    }
  }
  slots.sort((a, b) => (a.on === b.on ? a.body.id.localeCompare(b.body.id) : a.on.localeCompare(b.on)));
  let decisionNumber = 0;
  return slots.map(({ body, on, r }, i) => {
    const people = participants(r, body, on);
    const decisions: MeetingDecisionSeed[] = [];
    if (on <= anchorDay) {
      const count = body.kind === 'ANNUAL_CONFERENCE' ? r.int(0, 1) : body.kind === 'FOLLOW_UP_GROUP' ? r.int(0, 2) : r.int(1, 3);
      for (let k = 0; k < count; k++) {
        const due = plusDays(at(on), r.int(14, 180));
        const dueOn = iso(due);
        // Old decisions were all followed up; of the last two years' some are still open.
        const open = dueOn >= twoYearsAgo && r.chance(dueOn < anchorDay ? 0.3 : 0.7);
        const doneBy = minDate(plusDays(due, r.int(-20, 30)), world.anchor);
        const completed = plusDays(at(on), Math.max(1, Math.floor((doneBy.getTime() - at(on).getTime()) / DAY)));
        decisions.push({
          id: `MD${String(++decisionNumber).padStart(6, '0')}`,
          text: r.pick(DECISION_TEXTS[body.kind]),
          ownerOrganisation: r.pick(people).organisationId,
          dueOn,
          completedOn: open || completed > world.anchor ? null : iso(completed),
        });
      }
    }
    return {
      id: `M${String(i + 1).padStart(6, '0')}`,
      bodyId: body.id,
      scheduledFor: on,
      title: meetingTitle(body, on),
      participants: people,
      decisions,
    };
  });
}

export interface NoticeSeed {
  id: string;
  postedBy: string;
  subject: string;
  summary: string;
  areaIds: string[];
  /** ISO instants (millisecond precision). */
  postedAt: string;
  plannedPublicationAt: string | null;
  publishedAt: string | null;
  reasonForLateNotice: string | null;
  acknowledgements: Array<{ organisationId: string; acknowledgedAt: string; acknowledgedBy: string }>;
}

interface NoticeTemplate {
  postedBy: string;
  subject: string;
  summary: string;
  areaIds: string[];
  /** Hours before the anchor the notice was posted. */
  hoursAgo: number;
  /** Hours after posting the statement is planned; negative: published that many hours before posting (a late notice). */
  publication: number;
  reasonForLateNotice?: string;
  /** Share of the other parties that acknowledged. */
  acknowledged: number;
}

const NOTICES: readonly NoticeTemplate[] = [
  { postedBy: 'police', subject: 'Press release: reinforced police presence at Motalavej', summary: 'The police announce foot patrols at fixed hours and a local police officer at Motalavej from next month.', areaIds: ['motalavej'], hoursAgo: 24 * 400, publication: 48, acknowledged: 1 },
  { postedBy: MUNICIPALITY_ID, subject: 'Interview with the local paper on the homework café in Ringparken', summary: "The municipality's youth consultant is interviewed about the homework café and its results.", areaIds: ['ringparken'], hoursAgo: 24 * 350, publication: 72, acknowledged: 1 },
  { postedBy: 'police', subject: 'The safety index (Tryghedsindeks) to the press', summary: "The police publish this year's safety index for the district, with figures for the four areas.", areaIds: ['motalavej', 'ringparken', 'sydbyen', 'parkvej'], hoursAgo: 24 * 300, publication: 96, acknowledged: 1 },
  { postedBy: 'bolig-korsor', subject: 'Statement on tenancy terminations for crime', summary: 'Bolig Korsør explains to the press that it terminates tenancies of tenants convicted of crime in the area (almenboligloven § 63 d).', areaIds: ['motalavej'], hoursAgo: 24 * 240, publication: 24, acknowledged: 0.85 },
  { postedBy: SECRETARIAT, subject: "Newsletter on the partnership's annual conference", summary: "Kompetencecenteret's newsletter reports on the conference and its conclusions.", areaIds: ['motalavej', 'ringparken', 'sydbyen', 'parkvej'], hoursAgo: 24 * 200, publication: 120, acknowledged: 1 },
  { postedBy: 'police', subject: 'Statement after the basement fire at Parkvej', summary: 'The duty officer commented to the press on the night of the fire; arson is being investigated.', areaIds: ['parkvej'], hoursAgo: 24 * 150, publication: -14, reasonForLateNotice: 'The statement was given to the press on the night of the fire, before the other parties could be reached.', acknowledged: 0.7 },
  { postedBy: MUNICIPALITY_ID, subject: 'Council press release: new street-level SSP team', summary: 'The municipality announces a street-level team working evenings and weekends in all four areas.', areaIds: ['motalavej', 'ringparken', 'sydbyen', 'parkvej'], hoursAgo: 24 * 90, publication: 72, acknowledged: 0.85 },
  { postedBy: 'skaelskor-boligselskab', subject: "Tenants' magazine: safety walks at Parkvej/Præstevangen", summary: 'An article on the safety walks, with photos and the improvements they led to.', areaIds: ['parkvej'], hoursAgo: 24 * 45, publication: 168, acknowledged: 0.6 },
  { postedBy: 'fob', subject: 'Letter to residents on renovation and lighting in Ringparken', summary: 'FOB informs residents about the renovation of paths and new lighting, as agreed in the follow-up group.', areaIds: ['ringparken'], hoursAgo: 24 * 20, publication: 96, acknowledged: 0.5 },
  { postedBy: 'slagelse-boligselskab', subject: 'Statement on gatherings of young people in Sydbyen', summary: 'Slagelse Boligselskab comments on complaints about evening gatherings at the shopping centre.', areaIds: ['sydbyen'], hoursAgo: 24 * 6, publication: 48, acknowledged: 0.4 },
  { postedBy: 'police', subject: 'Press briefing on a search operation in Sydbyen', summary: 'The police will brief the press on a planned search operation and its background.', areaIds: ['sydbyen'], hoursAgo: 6, publication: 60, acknowledged: 0.15 },
  { postedBy: 'sab', subject: 'Open house at Schackenborg Vænge', summary: 'SAB invites the press and residents to an open house on the new community rooms.', areaIds: ['ringparken'], hoursAgo: 3, publication: 120, acknowledged: 0 },
];

/** Principal subjects that acknowledge for each organisation (synthetic, like the dev personas). */
const CONTACTS: Record<string, string> = {
  police: 'dev-police-investigator',
  [MUNICIPALITY_ID]: 'dev-municipality-caseworker',
  'bolig-korsor': 'dev-bk-caseworker',
  'skaelskor-boligselskab': 'dev-skb-caseworker',
  fob: 'dev-fob-caseworker',
  sab: 'dev-sab-caseworker',
  'slagelse-boligselskab': 'dev-sbs-caseworker',
  [SECRETARIAT]: 'dev-secretariat-coordinator',
};
const PARTY_IDS = Object.keys(CONTACTS);
const HOUR = 3_600_000;

/**
 * Notices of public statements (§ 6 of the agreement), the last year and a
 * half: most in advance, one late (after publication, with its reason); older
 * ones acknowledged by most parties, some never by all, the newest by few.
 */
export function municipalityNotices(world: World): NoticeSeed[] {
  return NOTICES.map((t, i) => {
    const r = new Random(`${world.seed}:notice:${i}`);
    const postedAt = new Date(world.anchor.getTime() - t.hoursAgo * HOUR + r.int(0, 59) * 60_000);
    const publication = new Date(postedAt.getTime() + t.publication * HOUR);
    const others = PARTY_IDS.filter((o) => o !== t.postedBy);
    // The first parties of a shuffled order acknowledged, within hours and before the anchor.
    const order = others.map((o) => [o, r.next()] as const).sort((a, b) => a[1] - b[1]).map(([o]) => o);
    const acknowledgedBy = new Set(order.slice(0, Math.round(others.length * t.acknowledged)));
    const acknowledgements = others
      .filter((o) => acknowledgedBy.has(o))
      .map((organisationId) => ({
        organisationId,
        acknowledgedAt: new Date(postedAt.getTime() + r.int(1, Math.max(1, Math.min(60, t.hoursAgo - 1))) * HOUR).toISOString(),
        acknowledgedBy: CONTACTS[organisationId]!,
      }));
    return {
      id: `N${String(i + 1).padStart(6, '0')}`,
      postedBy: t.postedBy,
      subject: t.subject,
      summary: t.summary,
      areaIds: [...t.areaIds],
      postedAt: postedAt.toISOString(),
      plannedPublicationAt: t.publication > 0 ? publication.toISOString() : null,
      publishedAt: t.publication < 0 ? publication.toISOString() : null,
      reasonForLateNotice: t.reasonForLateNotice ?? null,
      acknowledgements,
    };
  });
}
