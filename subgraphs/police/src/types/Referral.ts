import { PageInfo, Purpose } from '@partnergraph/subgraph-kit';
import { LocalDateResolver } from 'graphql-scalars';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { CriminalDecision } from './CriminalDecision.js';
import { Organisation } from './Organisation.js';
import { Person } from './Person.js';

/** The police pass a criminal decision to the housing company where the person holds a tenancy. */
@ObjectType({ description: 'A criminal decision referred by the police to a housing company.' })
@Directive('@key(fields: "id")')
export class Referral {
  @Field(() => ID, { nullable: false })
  id!: string;

  decisionId!: string;
  housingCompanyId!: string;
  personId!: string;
  /** What the referral discloses of its decision, for the policies: it is read only where its decision may be. */
  decidedOn!: string;
  decisionType!: string;
  offenceCategory!: string;
  withinOrAffectingArea!: boolean;
  areaId!: string;

  @Field(() => CriminalDecision, { nullable: true })
  decision!: CriminalDecision | null;

  @Field(() => Person, { nullable: true, description: 'The tenant the decision concerns.' })
  person!: Person | null;

  @Field(() => Organisation, { nullable: true })
  housingCompany!: Organisation | null;

  @Field(() => Purpose, { nullable: true, description: 'The legal basis the referral was made under.' })
  purpose!: string;

  @Field(() => LocalDateResolver, { nullable: true })
  referredOn!: string;
}

@ObjectType()
export class ReferralConnection {
  @Field(() => [Referral], { nullable: false })
  nodes!: Referral[];

  @Field(() => PageInfo, { nullable: false })
  pageInfo!: PageInfo;
}
