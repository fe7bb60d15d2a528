import { badInput, ErrorCode, forbidden, graphqlError, notFound } from '@partnergraph/common';
import { HOUSING_COMPANY_IDS, organisationShortName, type Purpose } from '@partnergraph/vocabulary';
import { randomId, runMutation } from '@partnergraph/subgraph-kit';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { PoliceContext } from '../context.js';
import { assertArea, assertId } from '../data/ids.js';
import { DECISION_COLUMNS, REFERRAL_COLUMNS } from '../data/rows.js';
import { CriminalDecision } from '../types/CriminalDecision.js';
import { ReferDecisionInput, RecordCriminalDecisionInput } from '../types/DecisionInputs.js';
import { Referral } from '../types/Referral.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const today = () => new Date().toISOString().slice(0, 10);

/** Asked of the housing companies' subgraph, as the caller: the one thing the police may learn there for a referral. */
const TENANCY_CHECK = `query TenancyCheck($person: ID!, $company: ID!, $area: ID!) {
  person(id: $person) { tenancyHolding { holdsCurrentTenancyWith(housingCompanyId: $company, areaId: $area) } }
}`;

/**
 * Almenboligloven § 63 d / almenlejeloven § 90 stk. 1 nr. 10: a decision goes
 * only to the company with which the person holds a current tenancy in the
 * decision's area, checked with the housing companies at the time. No answer
 * from them, no referral.
 */
async function holdsCurrentTenancyWith(ctx: PoliceContext, personId: string, company: string, areaId: string): Promise<boolean> {
  const answer = await ctx.peers.query<{ person: { tenancyHolding: { holdsCurrentTenancyWith: boolean | null } | null } | null }>('housing', TENANCY_CHECK, {
    person: personId,
    company,
    area: areaId,
  });
  return answer.data?.person?.tenancyHolding?.holdsCurrentTenancyWith === true;
}

function validateDecision(input: RecordCriminalDecisionInput): void {
  assertId('person', input.personId, 'input.personId');
  assertArea(input.areaId, 'input.areaId');
  if (!DATE.test(input.decidedOn) || input.decidedOn > today()) throw badInput('decidedOn must be a date, not in the future.', 'input.decidedOn');
  if (!DATE.test(input.personBirthDate) || input.personBirthDate >= input.decidedOn) {
    throw badInput('personBirthDate must be a date before the decision.', 'input.personBirthDate');
  }
  const imprisonment = input.decisionType.endsWith('IMPRISONMENT');
  if (imprisonment && !(Number.isInteger(input.sentenceDays) && input.sentenceDays! > 0)) {
    throw badInput('sentenceDays is required for imprisonment and must be a positive number of days.', 'input.sentenceDays');
  }
  if (!imprisonment && input.sentenceDays != null) throw badInput('sentenceDays applies to imprisonment only.', 'input.sentenceDays');
  for (const field of ['caseNumber', 'court', 'offenceDescription'] as const) {
    if (!input[field].trim() || input[field].length > 500) throw badInput(`${field} must be 1–500 characters.`, `input.${field}`);
  }
}

@Resolver()
export class DecisionMutationResolver {
  @Mutation(() => CriminalDecision, { description: 'Record a criminal decision about a person (police only).' })
  async recordCriminalDecision(
    @Ctx() ctx: PoliceContext,
    @Arg('input', () => RecordCriminalDecisionInput, { nullable: false }) input: RecordCriminalDecisionInput,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey?: string,
  ): Promise<CriminalDecision> {
    validateDecision(input);
    if (!ctx.authz.canDo('CriminalDecision:write', 'CriminalDecision', { areaId: input.areaId })) throw forbidden();
    return runMutation(ctx, {
      name: 'recordCriminalDecision',
      idempotencyKey,
      input,
      work: async (tx) => {
        const [row] = await tx.query<CriminalDecision>(
          `WITH d AS (
             INSERT INTO criminal_decisions (id, person_id, person_birth_date, decided_on, offence_category, decision_type, sentence_days,
               within_or_affecting_area, area_id, case_number, court, offence_description)
             VALUES ($12, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             RETURNING *)
           SELECT ${DECISION_COLUMNS} FROM d`,
          [input.personId, input.personBirthDate, input.decidedOn, input.offenceCategory, input.decisionType, input.sentenceDays ?? null,
            input.withinOrAffectingArea, input.areaId, input.caseNumber, input.court, input.offenceDescription, randomId('D')],
        );
        const decision = row!;
        return {
          result: decision,
          changes: [ctx.audit.changed('CREATE', 'CriminalDecision', decision.id, decision.personId, Object.keys(input), 'police')],
        };
      },
    });
  }

  @Mutation(() => Referral, {
    description:
      'Refer a decision to a housing company (Almenboligloven § 63 d, or almenlejeloven § 90 stk. 1 nr. 10 for unconditional imprisonment). The purpose of the request is the legal basis.',
  })
  async referDecision(
    @Ctx() ctx: PoliceContext,
    @Arg('input', () => ReferDecisionInput, { nullable: false }) input: ReferDecisionInput,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey?: string,
  ): Promise<Referral> {
    assertId('decision', input.decisionId, 'input.decisionId');
    if (!HOUSING_COMPANY_IDS.includes(input.housingCompanyId)) throw badInput('Unknown housing company.', 'input.housingCompanyId');
    if (input.purpose !== 'CRIME_PREVENTION_63D' && input.purpose !== 'TERMINATION_90_10') {
      throw badInput('A referral is made under CRIME_PREVENTION_63D or TERMINATION_90_10.', 'input.purpose');
    }
    if (input.purpose !== ctx.identity.purpose) throw badInput('The referral purpose must be the purpose of this request (x-purpose).', 'input.purpose');
    const purpose = input.purpose as Purpose;
    const company = input.housingCompanyId;
    const decision = await ctx.loaders.decisionById.load(input.decisionId);
    if (!decision || !ctx.authz.canRead('CriminalDecision', decision)) throw notFound('Criminal decision');
    const proposed: Referral = {
      ...decision,
      id: 'proposed',
      decisionId: decision.id,
      housingCompanyId: company,
      purpose,
      referredOn: today(),
      decision: null,
      person: null,
      housingCompany: null,
    };
    if (!ctx.authz.can('Referral:write', 'Referral', proposed)) throw forbidden();
    // The rule that decides what the company may read decides what may be referred to it.
    const reading = ctx.authz.recipientDecision({ organisation: company, roles: ['caseworker'], purpose }, 'Referral', 'Referral', proposed);
    if (!reading.allow) {
      throw graphqlError(
        ErrorCode.BAD_USER_INPUT,
        `${organisationShortName(company)} could never read this referral under ${purpose}, so it is not made. Under CRIME_PREVENTION_63D (§ 63 d) a referral concerns a decision of the last two years for acts within or affecting the area; under TERMINATION_90_10 (§ 90 stk. 1 nr. 10) an unconditional prison sentence for an offence the provision lists, too; a withdrawn charge is never referred.`,
        { field: 'input.decisionId', policies: reading.policies },
      );
    }
    if (!(await holdsCurrentTenancyWith(ctx, decision.personId, company, decision.areaId))) {
      throw badInput(
        `The person holds no current tenancy with ${organisationShortName(company)} in the decision's area (${decision.areaId}), as the housing companies answer: a decision is referred only to that company.`,
        'input.housingCompanyId',
      );
    }
    return runMutation(ctx, {
      name: 'referDecision',
      idempotencyKey,
      input,
      work: async (tx) => {
        const inserted = await tx.query<{ id: string }>(
          `INSERT INTO referrals (id, decision_id, housing_company, purpose, referred_on, referred_by)
           VALUES ($5, $1, $2, $3, current_date, $4)
           ON CONFLICT (decision_id, housing_company) DO NOTHING RETURNING id`,
          [input.decisionId, company, purpose, ctx.identity.principal.subject, randomId('R')],
        );
        if (inserted.length === 0) throw graphqlError(ErrorCode.CONFLICT, 'This decision was already referred to that housing company.');
        const [referral] = await tx.query<Referral>(
          `SELECT ${REFERRAL_COLUMNS} FROM referrals r JOIN criminal_decisions d ON d.id = r.decision_id WHERE r.id = $1`,
          [inserted[0]!.id],
        );
        return {
          result: referral!,
          changes: [ctx.audit.changed('CREATE', 'Referral', referral!.id, decision.personId, ['decisionId', 'housingCompanyId', 'purpose'], 'police')],
        };
      },
    });
  }
}
