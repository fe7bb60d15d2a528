import { Purpose } from '@partnergraph/subgraph-kit';
import { Field, Int, ObjectType } from 'type-graphql';

/** A published count of referrals: null and `suppressed` when it could single out fewer than 5 persons. */
@ObjectType({ description: 'A count of referrals; null with suppressed = true when it concerns fewer than 5 persons or could be worked out from one that does.' })
export class ReferralCount {
  @Field(() => Purpose, { nullable: true, description: 'The legal basis; null for the total.' })
  purpose!: string | null;

  @Field(() => Int, { nullable: true })
  count!: number | null;

  @Field(() => Boolean, { nullable: false })
  suppressed!: boolean;
}

/**
 * The first step of the referral → termination funnel: how many decisions
 * about residents of an area the police referred to housing companies, by
 * legal basis. Counts only, published as one table over the four areas.
 */
@ObjectType({ description: 'Referrals of decisions about residents of an area to housing companies, by legal basis, since the partnership began; small cells suppressed.' })
export class ReferralStatistics {
  areaId!: string;

  @Field(() => ReferralCount)
  total!: ReferralCount;

  @Field(() => [ReferralCount], { nullable: true })
  byPurpose!: ReferralCount[];
}
