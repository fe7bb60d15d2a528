import { Field, Int, ObjectType } from 'type-graphql';
import { TerminationStatus } from './enums.js';

/** A published count of termination cases: null and `suppressed` when it could single out fewer than 5 tenants. */
@ObjectType({ description: 'A count of termination cases; null with suppressed = true when it concerns fewer than 5 tenants or could be worked out from one that does.' })
export class TerminationCaseCount {
  @Field(() => TerminationStatus, { nullable: true, description: 'Where the cases stand now; null for the total.' })
  status!: string | null;

  @Field(() => Int, { nullable: true })
  count!: number | null;

  @Field(() => Boolean, { nullable: false })
  suppressed!: boolean;
}

/**
 * The housing companies' part of the referral → termination funnel
 * (henvisning → opsigelsessag): the termination cases opened on police
 * referrals in an area, by where they stand now. Counts only, published as
 * one table over the four areas, suppressed jointly with the police's
 * published referral counts: the police's total less `opened` (referrals
 * without a case) is a cell of the same table.
 */
@ObjectType({
  description:
    'Termination cases opened on police referrals in an area, by current status; small cells suppressed. ' +
    "Checked against the police's published referral counts of the same moment, asked as the caller: where the police's total " +
    '(or the sum of its legal bases) less opened would be 1–4 or negative, opened is suppressed with enough statuses that neither ' +
    "it nor the difference can be worked out; when the police's counts cannot be had, every area's opened is suppressed. " +
    'The difference is checked in referrals (the persons behind it are the police\'s to know), and differences between ' +
    'figures of different moments are not covered.',
})
export class TerminationCaseStatistics {
  areaId!: string;

  @Field(() => TerminationCaseCount, { description: "Cases opened on referrals; suppressed also where the police's referral total less it would be 1–4." })
  opened!: TerminationCaseCount;

  @Field(() => [TerminationCaseCount], { nullable: true })
  byStatus!: TerminationCaseCount[];
}
