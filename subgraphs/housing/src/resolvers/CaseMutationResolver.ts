import { badInput, ErrorCode, forbidden, graphqlError, notFound } from '@partnergraph/common';
import { assertUpdated, dayNumber, entityRef, randomId, runMutation } from '@partnergraph/subgraph-kit';
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { HousingContext } from '../context.js';
import { assertArea, assertId } from '../data/ids.js';
import { CASE_COLUMNS, TENANCY_COLUMNS } from '../data/rows.js';
import { OpenTerminationCaseInput } from '../types/CaseInputs.js';
import { CrimeTermination } from '../types/CrimeTermination.js';
import { TerminationStatus } from '../types/enums.js';
import type { Tenancy } from '../types/Tenancy.js';
import { TerminationCase } from '../types/TerminationCase.js';

/** assessing → notice served → in court → completed, or withdrawn from any open step. */
export const TRANSITIONS: Record<string, readonly string[]> = {
  ASSESSING: ['NOTICE_SERVED', 'WITHDRAWN'],
  NOTICE_SERVED: ['IN_COURT', 'COMPLETED', 'WITHDRAWN'],
  IN_COURT: ['COMPLETED', 'WITHDRAWN'],
  COMPLETED: [],
  WITHDRAWN: [],
};

const principalOf = (ctx: HousingContext) => `${ctx.identity.principal.issuer}#${ctx.identity.principal.subject}`;

/** Asked of the police's subgraph, as the caller: the referral as the caller may read it there, or null. */
const REFERRAL_CHECK = `query ReferralCheck($id: ID!) {
  referral(id: $id) { id purpose housingCompany { id } person { id } decision { decidedOn area { id } } }
}`;

interface ConfirmedReferral {
  id: string;
  purpose: string;
  housingCompany: { id: string } | null;
  person: { id: string } | null;
  decision: { decidedOn: string; area: { id: string } | null } | null;
}

/**
 * The police confirm the referral, asked as the caller under the caller's
 * purpose: they answer only a referral made to the caller's company under that
 * purpose (and readable now); another company's referral and one that does
 * not exist both come back null. No answer from the police, no case.
 */
async function confirmReferral(ctx: HousingContext, referralId: string): Promise<(ConfirmedReferral & { decision: NonNullable<ConfirmedReferral['decision']> }) | null> {
  const answer = await ctx.peers.query<{ referral: ConfirmedReferral | null }>('police', REFERRAL_CHECK, { id: referralId });
  const referral = answer.data?.referral;
  const ours =
    referral &&
    referral.id === referralId &&
    referral.housingCompany?.id === ctx.authz.organisation &&
    referral.purpose === ctx.identity.purpose &&
    referral.person &&
    referral.decision?.area;
  return ours ? (referral as ConfirmedReferral & { decision: NonNullable<ConfirmedReferral['decision']> }) : null;
}

@Resolver()
export class CaseMutationResolver {
  @Mutation(() => TerminationCase, { description: 'Open a termination case on a referral, against your own current tenancy of that person.' })
  async openTerminationCase(
    @Ctx() ctx: HousingContext,
    @Arg('input', () => OpenTerminationCaseInput, { nullable: false }) input: OpenTerminationCaseInput,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey?: string,
  ): Promise<TerminationCase> {
    assertId('referral', input.referralId, 'input.referralId');
    assertId('tenancy', input.tenancyId, 'input.tenancyId');
    const company = ctx.authz.organisation;
    const purpose = ctx.identity.purpose;
    const opening = { company: entityRef('Organisation', company), purpose, fromConfirmedReferral: true, referralDecidedOnDay: dayNumber(new Date()) };
    if (!ctx.authz.canDo('TerminationCase:write', 'TerminationCase', opening)) throw forbidden();
    // Not yours and does not exist: the same question to the police, the same answer here.
    const referral = await confirmReferral(ctx, input.referralId);
    if (!referral) throw notFound('Referral');
    if (input.basis === 'ALMENLEJELOVEN_90_1_10' && referral.purpose !== 'TERMINATION_90_10') {
      throw badInput('Almenlejeloven § 90 stk. 1 nr. 10 is the basis only for a referral made under TERMINATION_90_10.', 'input.basis');
    }
    return runMutation(ctx, {
      name: 'openTerminationCase',
      idempotencyKey,
      input,
      work: async (tx) => {
        const [tenancy] = await tx.query<Tenancy>(`SELECT ${TENANCY_COLUMNS} FROM tenancies t WHERE t.id = $1 FOR UPDATE`, [input.tenancyId]);
        // Another company's tenancy is as unknown as a missing one.
        if (!tenancy || tenancy.companyId !== company) throw notFound('Tenancy');
        if (!tenancy.isCurrent) throw badInput('The tenancy has ended; there is nothing to terminate.', 'input.tenancyId');
        if (tenancy.tenantPersonId !== referral.person!.id || tenancy.areaId !== referral.decision.area!.id) {
          throw badInput("The referral concerns another tenant, or another area: open the case against the referred person's tenancy there.", 'input.tenancyId');
        }
        const id = randomId('C');
        const inserted = await tx.query<{ id: string }>(
          `INSERT INTO termination_cases (id, tenancy_id, company_id, referral_id, basis, status, opened_on, status_changed_on,
             purpose, referral_decided_on, referral_confirmed_at)
           VALUES ($1, $2, $3, $4, $5, 'ASSESSING', current_date, current_date, $6, $7, now())
           ON CONFLICT (referral_id) DO NOTHING RETURNING id`,
          [id, input.tenancyId, company, referral.id, input.basis, referral.purpose, referral.decision.decidedOn],
        );
        // Only the company the referral was made to gets this far: no one else learns of the case.
        if (inserted.length === 0) throw graphqlError(ErrorCode.CONFLICT, 'A termination case already answers this referral.');
        await tx.query('INSERT INTO termination_case_events (case_id, status, by_principal) VALUES ($1, $2, $3)', [id, 'ASSESSING', principalOf(ctx)]);
        const [row] = await tx.query<TerminationCase>(`SELECT ${CASE_COLUMNS} FROM termination_cases c JOIN tenancies t ON t.id = c.tenancy_id WHERE c.id = $1`, [id]);
        return { result: row!, changes: [ctx.audit.changed('CREATE', 'TerminationCase', id, tenancy.tenantPersonId, ['referralId', 'tenancyId', 'basis'], company)] };
      },
    });
  }

  @Mutation(() => TerminationCase, {
    description: 'Move a case on: ASSESSING → NOTICE_SERVED → IN_COURT → COMPLETED, or WITHDRAWN from an open step. COMPLETED ends the tenancy.',
  })
  async advanceTerminationCase(
    @Ctx() ctx: HousingContext,
    @Arg('id', () => ID, { nullable: false }) id: string,
    @Arg('version', () => Int, { nullable: false, description: 'The version you read; a newer one means someone else moved the case.' }) version: number,
    @Arg('status', () => TerminationStatus, { nullable: false }) status: string,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey?: string,
  ): Promise<TerminationCase> {
    assertId('terminationCase', id);
    return runMutation(ctx, {
      name: 'advanceTerminationCase',
      idempotencyKey,
      input: { id, version, status },
      work: async (tx) => {
        const [current] = await tx.query<TerminationCase>(`SELECT ${CASE_COLUMNS} FROM termination_cases c JOIN tenancies t ON t.id = c.tenancy_id WHERE c.id = $1`, [id]);
        if (!current || !ctx.authz.can('TerminationCase:write', 'TerminationCase', current)) throw notFound('Termination case');
        if (current.version !== version) throw graphqlError(ErrorCode.CONFLICT, 'Termination case was changed by someone else since you read it; reload it and apply your change again.');
        if (!TRANSITIONS[current.status]!.includes(status)) {
          throw badInput(`A case that is ${current.status} cannot become ${status}. Allowed: ${TRANSITIONS[current.status]!.join(', ') || 'none (final)'}.`, 'status');
        }
        const updated = await tx.query<{ id: string }>(
          `UPDATE termination_cases SET status = $3, status_changed_on = current_date, version = version + 1
           WHERE id = $1 AND version = $2 RETURNING id`,
          [id, version, status],
        );
        await assertUpdated(tx, updated, 'termination_cases', id, 'Termination case');
        if (status === 'COMPLETED') await tx.query('UPDATE tenancies SET end_date = current_date WHERE id = $1 AND end_date IS NULL', [current.tenancyId]);
        await tx.query('INSERT INTO termination_case_events (case_id, status, by_principal) VALUES ($1, $2, $3)', [id, status, principalOf(ctx)]);
        const [row] = await tx.query<TerminationCase>(`SELECT ${CASE_COLUMNS} FROM termination_cases c JOIN tenancies t ON t.id = c.tenancy_id WHERE c.id = $1`, [id]);
        return { result: row!, changes: [ctx.audit.changed('UPDATE', 'TerminationCase', id, current.tenantPersonId, ['status'], current.companyId)] };
      },
    });
  }

  @Query(() => [CrimeTermination], {
    nullable: true,
    description:
      'Almenboligloven § 63 e: for an applicant, terminations for crime by other housing companies in the same area — name, address and the fact only.',
  })
  async crimeTerminationsOfApplicant(
    @Ctx() ctx: HousingContext,
    @Arg('personId', () => ID, { nullable: false }) personId: string,
    @Arg('areaId', () => ID, { nullable: false }) areaId: string,
  ): Promise<CrimeTermination[]> {
    assertId('person', personId, 'personId');
    assertArea(areaId);
    // § 63 e works within an area: the asking company must let dwellings there itself (the rule in policies.cedar; said here plainly).
    const own = await ctx.loaders.departmentsByArea.load(areaId);
    if (!own.some((d) => d.companyId === ctx.authz.organisation)) {
      throw graphqlError(ErrorCode.FORBIDDEN, 'Almenboligloven § 63 e applies only within an area where your company has departments.');
    }
    ctx.audit.searched('CrimeTermination', { personId, areaId }, ctx.authz.organisation);
    const rows = await ctx.db.query<Omit<CrimeTermination, 'areaCompanyIds'>>(
      `SELECT t.tenant_person_id AS "personId", t.company_id AS "companyId", t.tenant_name AS name, t.unit_address AS address,
              true AS "terminatedForCrime", (c.referral_confirmed_at IS NOT NULL) AS "fromConfirmedReferral", c.basis, c.status
       FROM termination_cases c JOIN tenancies t ON t.id = c.tenancy_id
       WHERE t.tenant_person_id = $1 AND t.area_id = $2 AND c.status = 'COMPLETED' AND c.basis = 'ALMENLEJELOVEN_90_1_10'
         AND c.referral_confirmed_at IS NOT NULL AND t.company_id <> $3`,
      [personId, areaId, ctx.authz.organisation],
    );
    const areaCompanyIds = [...new Set(own.map((d) => d.companyId))].sort();
    return ctx.authz.visible('CrimeTermination', rows.map((r) => ({ ...r, areaCompanyIds })));
  }
}
