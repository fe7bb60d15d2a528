import {
  AREAS,
  INCIDENT_CATEGORIES,
  OFFENCE_CATEGORIES,
  type DecisionTypeValue,
  type IncidentCategoryValue,
  type OffenceCategoryValue,
  type TerminationBasisValue,
  type TerminationStatusValue,
} from '@partnergraph/vocabulary';
import { GIVEN_NAMES, SURNAMES } from './names.js';
import { hashedId, pseudonym, Random } from './random.js';

/**
 * The synthetic partnership, addressable by index: entity i of a kind is
 * derived from its own seeded generator, so each owner can generate just its
 * slice (the police need the tenant of tenancy k, not all tenancies) and the
 * national scale streams without holding everything in memory.
 */
export interface WorldOptions {
  seed?: string;
  /** Dates are laid out relative to this day (default: today). */
  anchor?: Date;
  tenancies?: number;
  decisions?: number;
}

export const DEFAULT_SCALE = { tenancies: 2500, decisions: 800 } as const;
export const NATIONAL_SCALE = { tenancies: 1_000_000, decisions: 200_000 } as const;

/**
 * The offence categories almenlejeloven § 90 stk. 1 nr. 10 lists (violence,
 * threats, weapons, arson, drugs; not theft, burglary or vandalism), as this
 * generator reads the law to make referrals that fit it. The police's own
 * rule is in their policies.cedar.
 */
export const TERMINATION_90_10_OFFENCES: readonly string[] = ['VIOLENCE', 'THREATS', 'WEAPONS', 'ARSON', 'DRUGS'];

export interface DepartmentSeed {
  id: string;
  companyId: string;
  number: number;
  name: string;
  areaId: string;
  street: string;
  /** Share of the area's tenancies. */
  weight: number;
}

/** Which companies have departments (afdelinger) in which area. */
export const DEPARTMENTS: readonly DepartmentSeed[] = [
  { id: 'bk-motalavej-1', companyId: 'bolig-korsor', number: 11, name: 'Motalavej Syd', areaId: 'motalavej', street: 'Motalavej', weight: 0.6 },
  { id: 'bk-motalavej-2', companyId: 'bolig-korsor', number: 12, name: 'Motalavej Nord', areaId: 'motalavej', street: 'Motalavej', weight: 0.4 },
  { id: 'fob-ringparken', companyId: 'fob', number: 21, name: 'Ringparken', areaId: 'ringparken', street: 'Ringparken', weight: 0.55 },
  { id: 'sab-schackenborg', companyId: 'sab', number: 31, name: 'Schackenborg Vænge', areaId: 'ringparken', street: 'Schackenborg Vænge', weight: 0.45 },
  { id: 'sbs-sydbyen', companyId: 'slagelse-boligselskab', number: 41, name: 'Sydbyen Øst', areaId: 'sydbyen', street: 'Sydbyvej', weight: 0.6 },
  { id: 'fob-sydbyen', companyId: 'fob', number: 22, name: 'Sydbyen Vest', areaId: 'sydbyen', street: 'Kalundborgvej', weight: 0.4 },
  { id: 'skb-parkvej', companyId: 'skaelskor-boligselskab', number: 51, name: 'Parkvej', areaId: 'parkvej', street: 'Parkvej', weight: 0.55 },
  { id: 'skb-praestevangen', companyId: 'skaelskor-boligselskab', number: 52, name: 'Præstevangen', areaId: 'parkvej', street: 'Præstevangen', weight: 0.45 },
];

/** Share of all tenancies per area. */
const AREA_WEIGHTS: Record<string, number> = { motalavej: 0.24, ringparken: 0.36, sydbyen: 0.24, parkvej: 0.16 };

export interface TenancySeed {
  id: string;
  departmentId: string;
  companyId: string;
  areaId: string;
  unitAddress: string;
  tenantPersonId: string;
  tenantName: string;
  householdSize: number;
  startDate: string;
  endDate: string | null;
  monthlyRent: number;
}

export interface DecisionSeed {
  id: string;
  /** Position in the world (0-based): keys the decision's referral and case. */
  index: number;
  personId: string;
  personBirthDate: string;
  decidedOn: string;
  offenceCategory: OffenceCategoryValue;
  decisionType: DecisionTypeValue;
  sentenceDays: number | null;
  withinOrAffectingArea: boolean;
  areaId: string;
  caseNumber: string;
  court: string;
  offenceDescription: string;
  /** The tenancy of the person at the time, if any (not stored by the police). */
  tenancyIndex: number | null;
}

export interface ReferralSeed {
  id: string;
  /** The referred decision's position in the world. */
  index: number;
  decisionId: string;
  housingCompany: string;
  purpose: 'CRIME_PREVENTION_63D' | 'TERMINATION_90_10';
  referredOn: string;
  tenancyId: string;
  /** The referred decision's date: what the company learns of it with the referral. */
  decidedOn: string;
}

export interface TerminationCaseSeed {
  id: string;
  tenancyId: string;
  companyId: string;
  referralId: string;
  /** The purpose the referral was made under, and so the case is run under. */
  purpose: ReferralSeed['purpose'];
  referralDecidedOn: string;
  basis: TerminationBasisValue;
  status: TerminationStatusValue;
  openedOn: string;
}

export interface SafetyIndexSeed {
  areaId: string;
  year: number;
  shareFeelingSafe: number;
  comparableShare: number;
  neighbourhoodProblemsIndex: number;
  experiencedSafetyIndex: number;
  reportedCrimes: number;
  respondents: number;
}

export interface IncidentSeed {
  areaId: string;
  month: string;
  category: IncidentCategoryValue;
  count: number;
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);
const FIRST_YEAR = 2013;

export class World {
  readonly seed: string;
  readonly anchor: Date;
  readonly tenancyCount: number;
  readonly decisionCount: number;
  private readonly areaStarts: Array<[string, number]>;

  constructor(options: WorldOptions = {}) {
    this.seed = options.seed ?? 'slagelse-2017';
    const anchor = options.anchor ?? new Date();
    this.anchor = new Date(`${day(anchor)}T00:00:00Z`);
    this.tenancyCount = options.tenancies ?? DEFAULT_SCALE.tenancies;
    this.decisionCount = options.decisions ?? DEFAULT_SCALE.decisions;
    let acc = 0;
    this.areaStarts = AREAS.map((a) => {
      const start = acc;
      acc += AREA_WEIGHTS[a.id]!;
      return [a.id, start];
    });
  }

  get lastYear(): number {
    return this.anchor.getUTCFullYear();
  }

  private rng(kind: string, i: number): Random {
    return new Random(`${this.seed}:${kind}:${i}`);
  }

  personId(n: number): string {
    return pseudonym('P', n, this.seed);
  }

  private personName(r: Random): string {
    return `${r.pick(GIVEN_NAMES)} ${r.pick(SURNAMES)}`;
  }

  /** Tenancy i, laid out so areas get their share in index order. */
  tenancy(i: number): TenancySeed {
    const r = this.rng('tenancy', i);
    const position = (i + 0.5) / this.tenancyCount;
    let areaId = this.areaStarts[0]![0];
    for (const [id, start] of this.areaStarts) if (position >= start) areaId = id;
    const departments = DEPARTMENTS.filter((d) => d.areaId === areaId);
    const department = r.weighted(departments.map((d) => [d, d.weight] as const));
    const ended = r.chance(0.14);
    const start = addDays(this.anchor, -r.int(60, 365 * 25));
    const end = ended ? addDays(start, r.int(200, Math.max(201, Math.floor((this.anchor.getTime() - start.getTime()) / 86_400_000) - 1))) : null;
    const floor = r.pick(['st.', '1.', '2.', '3.', '4.']);
    return {
      id: `T${String(i + 1).padStart(7, '0')}`,
      departmentId: department.id,
      companyId: department.companyId,
      areaId,
      unitAddress: `${department.street} ${r.int(1, 120)}, ${floor} ${r.pick(['tv.', 'th.', 'mf.'])}`,
      tenantPersonId: this.personId(i),
      tenantName: this.personName(r),
      householdSize: r.weighted([
        [1, 35],
        [2, 25],
        [3, 15],
        [4, 15],
        [5, 7],
        [6, 3],
      ]),
      startDate: day(start),
      endDate: end && end < this.anchor ? day(end) : null,
      monthlyRent: r.int(4200, 9800),
    };
  }

  /** Decision j: mostly about tenants of the areas, some about others. */
  decision(j: number): DecisionSeed {
    const r = this.rng('decision', j);
    const aboutTenant = r.chance(0.8);
    const tenancyIndex = aboutTenant ? r.int(0, this.tenancyCount - 1) : null;
    const tenancy = tenancyIndex === null ? null : this.tenancy(tenancyIndex);
    const personId = tenancy ? tenancy.tenantPersonId : this.personId(this.tenancyCount + j);
    // Recent years are denser: the follow-up got systematic.
    const daysBack = Math.floor(Math.pow(r.next(), 2) * (this.anchor.getTime() - Date.UTC(FIRST_YEAR, 0, 1)) / 86_400_000);
    const decidedOn = addDays(this.anchor, -Math.max(1, daysBack));
    const decisionType = r.weighted<DecisionTypeValue>([
      ['UNCONDITIONAL_IMPRISONMENT', 22],
      ['CONDITIONAL_IMPRISONMENT', 25],
      ['COMMUNITY_SERVICE', 12],
      ['FINE', 28],
      ['YOUTH_SANCTION', 8],
      ['CHARGE_WITHDRAWN', 5],
    ]);
    const youth = decisionType === 'YOUTH_SANCTION' || r.chance(0.12);
    const ageAtDecision = youth ? r.int(15, 17) : r.int(18, 55);
    const birth = addDays(decidedOn, -(ageAtDecision * 365 + r.int(0, 364)));
    const offenceCategory = r.pick(OFFENCE_CATEGORIES);
    const areaId = tenancy ? tenancy.areaId : r.pick(AREAS).id;
    return {
      id: hashedId('D', `${this.seed}:decision:${j}`),
      index: j,
      personId,
      personBirthDate: day(birth),
      decidedOn: day(decidedOn),
      offenceCategory,
      decisionType,
      sentenceDays: decisionType.endsWith('IMPRISONMENT') ? r.int(7, 720) : null,
      withinOrAffectingArea: tenancy ? r.chance(0.85) : r.chance(0.4),
      areaId,
      caseNumber: `0${r.int(300, 399)}-${r.int(70000, 89999)}-${r.int(10000, 99999)}-${decidedOn.getUTCFullYear() % 100}`,
      court: r.pick(['Retten i Næstved', 'Retten i Holbæk', 'Østre Landsret']),
      offenceDescription: `${offenceCategory.toLowerCase()} (synthetic case)`,
      tenancyIndex,
    };
  }

  /**
   * The police refer recent decisions about current tenants for acts in or
   * affecting their area, to the company they rent from there, under the
   * purpose that fits: § 90 stk. 1 nr. 10 for unconditional imprisonment for
   * an offence it lists, § 63 d otherwise; never a withdrawn charge.
   */
  referralFor(decision: DecisionSeed): ReferralSeed | null {
    if (decision.tenancyIndex === null || !decision.withinOrAffectingArea) return null;
    if (decision.decisionType === 'CHARGE_WITHDRAWN') return null;
    const tenancy = this.tenancy(decision.tenancyIndex);
    if (tenancy.endDate) return null;
    const age = (this.anchor.getTime() - Date.parse(decision.decidedOn)) / 86_400_000;
    if (age > 700) return null;
    const r = this.rng('referral', decision.index + 1);
    if (!r.chance(0.9)) return null;
    const referredOn = day(addDays(new Date(`${decision.decidedOn}T00:00:00Z`), r.int(3, 40)));
    // Referred on a day that has come, while the person rented there.
    if (referredOn > day(this.anchor) || referredOn < tenancy.startDate) return null;
    const prison = decision.decisionType === 'UNCONDITIONAL_IMPRISONMENT' && TERMINATION_90_10_OFFENCES.includes(decision.offenceCategory);
    return {
      id: hashedId('R', `${this.seed}:referral:${decision.index}`),
      index: decision.index,
      decisionId: decision.id,
      housingCompany: tenancy.companyId,
      purpose: prison ? 'TERMINATION_90_10' : 'CRIME_PREVENTION_63D',
      referredOn,
      tenancyId: tenancy.id,
      decidedOn: decision.decidedOn,
    };
  }

  /** The housing company opens a case for some referrals, under the referral's purpose. */
  terminationCaseFor(referral: ReferralSeed): TerminationCaseSeed | null {
    const r = this.rng('case', referral.index + 1);
    if (!r.chance(0.6)) return null;
    const openedOn = addDays(new Date(`${referral.referredOn}T00:00:00Z`), r.int(2, 30));
    if (openedOn > this.anchor) return null;
    return {
      id: hashedId('C', `${this.seed}:case:${referral.index}`),
      tenancyId: referral.tenancyId,
      companyId: referral.housingCompany,
      referralId: referral.id,
      purpose: referral.purpose,
      referralDecidedOn: referral.decidedOn,
      basis: referral.purpose === 'TERMINATION_90_10' ? 'ALMENLEJELOVEN_90_1_10' : 'OTHER',
      status: r.weighted([
        ['ASSESSING', 30],
        ['NOTICE_SERVED', 20],
        ['IN_COURT', 15],
        ['COMPLETED', 20],
        ['WITHDRAWN', 15],
      ] as const),
      openedOn: day(openedOn),
    };
  }

  *tenancies(): Generator<TenancySeed> {
    for (let i = 0; i < this.tenancyCount; i++) yield this.tenancy(i);
  }

  *decisions(): Generator<DecisionSeed> {
    for (let j = 0; j < this.decisionCount; j++) yield this.decision(j);
  }

  /**
   * Politiets Tryghedsindeks per area and year, around the published figures:
   * district 83.7–89.4 %, SUB areas 72.7 % (2015), Motalavej about 70 % falling
   * to 58 % in 2016, reported crimes Ringparken 123→113 and Motalavej 89→73.
   */
  safetyIndex(): SafetyIndexSeed[] {
    const base: Record<string, { share: number; crimes: number; problems: number }> = {
      motalavej: { share: 70, crimes: 89, problems: 34 },
      ringparken: { share: 72.5, crimes: 123, problems: 30 },
      sydbyen: { share: 81, crimes: 70, problems: 20 },
      parkvej: { share: 85, crimes: 45, problems: 14 },
    };
    const out: SafetyIndexSeed[] = [];
    for (const area of AREAS) {
      const b = base[area.id]!;
      const r = this.rng(`safety-${area.id}`, 0);
      for (let year = FIRST_YEAR; year <= this.lastYear; year++) {
        const t = year - FIRST_YEAR;
        // A slow upward trend, kept within the published range (58 %–89.4 %).
        let share = b.share + t * 0.3 + r.noise(1.2);
        if (area.id === 'motalavej') {
          share = year < 2016 ? 70 + r.noise(0.8) : year === 2016 ? 58 : Math.min(78, 58 + (year - 2016) * 1.8 + r.noise(1.5));
        }
        const comparable = area.isSpecialArea ? 72.7 + (year - 2015) * 0.4 + r.noise(0.4) : 86.5 + r.noise(1.2);
        const crimes =
          area.id === 'ringparken' ? Math.round(123 - (t * 10) / 4 + r.noise(3)) : area.id === 'motalavej' ? Math.round(89 - t * 4 + r.noise(3)) : Math.round(b.crimes - t * 1.5 + r.noise(3));
        out.push({
          areaId: area.id,
          year,
          shareFeelingSafe: round1(clamp(share, 55, 89.4)),
          comparableShare: round1(clamp(comparable, 60, 95)),
          neighbourhoodProblemsIndex: round1(clamp(b.problems + (area.id === 'motalavej' && year === 2016 ? 9 : 0) - t * 0.6 + r.noise(1.5), 5, 60)),
          experiencedSafetyIndex: round1(clamp(share * 0.9 + r.noise(1), 40, 95)),
          reportedCrimes: Math.max(20, crimes),
          respondents: r.int(180, 420),
        });
      }
    }
    return out;
  }

  /** Monthly incident counts per area and category, consistent with the yearly reported crimes. */
  incidents(): IncidentSeed[] {
    const out: IncidentSeed[] = [];
    const yearly = new Map(this.safetyIndex().map((s) => [`${s.areaId}:${s.year}`, s.reportedCrimes]));
    const mix: Record<IncidentCategoryValue, number> = {
      VIOLENCE: 0.14, BURGLARY: 0.16, THEFT: 0.24, VANDALISM: 0.16, DRUGS: 0.1, THREATS: 0.08, ARSON: 0.03, DISTURBANCE: 0.09,
    };
    const lastMonth = this.anchor.getUTCMonth();
    for (const area of AREAS) {
      const r = this.rng(`incidents-${area.id}`, 0);
      for (let year = FIRST_YEAR; year <= this.lastYear; year++) {
        const perMonth = (yearly.get(`${area.id}:${year}`) ?? 60) / 12;
        const months = year === this.lastYear ? lastMonth : 12;
        for (let m = 0; m < months; m++) {
          for (const category of INCIDENT_CATEGORIES) {
            out.push({
              areaId: area.id,
              month: `${year}-${String(m + 1).padStart(2, '0')}-01`,
              category,
              count: r.poisson(perMonth * mix[category] * 1.4),
            });
          }
        }
      }
    }
    return out;
  }
}

const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x));
const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * The world every subgraph seeds from: PARTNERGRAPH_SEED_ANCHOR (YYYY-MM-DD)
 * pins the dates so that subgraphs seeded on different days still agree.
 */
export function worldFromEnv(env: NodeJS.ProcessEnv = process.env): World {
  const anchor = env['PARTNERGRAPH_SEED_ANCHOR'];
  return new World({ ...(anchor ? { anchor: new Date(`${anchor}T00:00:00Z`) } : {}) });
}
