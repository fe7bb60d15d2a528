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
 * The housing companies' part of the referral → termination funnel: the
 * termination cases opened on police referrals in an area, by where they
 * stand now. Counts only, published as one table over the four areas.
 */
@ObjectType({ description: 'Termination cases opened on police referrals in an area, by current status; small cells suppressed.' })
export class TerminationCaseStatistics {
  areaId!: string;

  @Field(() => TerminationCaseCount, { description: 'Cases opened on referrals.' })
  opened!: TerminationCaseCount;

  @Field(() => [TerminationCaseCount], { nullable: true })
  byStatus!: TerminationCaseCount[];
}
