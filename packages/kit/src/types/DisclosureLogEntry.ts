import { DateTimeResolver } from 'graphql-scalars';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { PageInfo } from './PageInfo.js';

/** One row of an owner's disclosure log: who saw what about whom, when, and why. */
@ObjectType({ description: "A row of the owner's tamper-evident disclosure log." })
@Directive('@shareable')
export class DisclosureLogEntry {
  @Field(() => ID, { nullable: false })
  id!: string;

  @Field(() => Int)
  seq!: number;

  @Field(() => DateTimeResolver)
  at!: Date;

  @Field(() => String, { description: 'Issuer and subject of the principal.' })
  principal!: string;

  @Field(() => String)
  organisation!: string;

  @Field(() => [String], { nullable: true })
  roles!: string[];

  @Field(() => String)
  purpose!: string;

  @Field(() => String, { description: 'Operation type, name and root fields.' })
  operation!: string;

  @Field(() => String, { description: 'READ, SEARCH, CREATE, UPDATE …' })
  action!: string;

  @Field(() => String)
  entityType!: string;

  @Field(() => [String], { nullable: true })
  entityIds!: string[];

  @Field(() => [String], { nullable: true, description: 'Pseudonymous ids of the persons concerned.' })
  dataSubjects!: string[];

  @Field(() => [String], { nullable: true })
  fields!: string[];

  @Field(() => String, { nullable: true, description: 'Search criterion, as JSON.' })
  criterion!: string | null;

  @Field(() => String, { description: 'Organisation whose data it was.' })
  dataOwner!: string;

  @Field(() => String, { description: 'PERMITTED or DENIED.' })
  decision!: string;

  @Field(() => String)
  hash!: string;

  @Field(() => String, { nullable: true, description: 'The W3C trace id of the request that made the disclosure, when tracing was on.' })
  traceId!: string | null;
}

@ObjectType()
@Directive('@shareable')
export class DisclosureLogConnection {
  @Field(() => [DisclosureLogEntry], { nullable: false })
  nodes!: DisclosureLogEntry[];

  @Field(() => PageInfo, { nullable: false })
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'Result of walking the hash chain from its anchor.' })
@Directive('@shareable')
export class DisclosureLogVerification {
  @Field(() => Boolean)
  ok!: boolean;

  @Field(() => Int)
  checkedRows!: number;

  @Field(() => Int, { nullable: true })
  brokenAtSeq!: number | null;

  @Field(() => String, { nullable: true })
  reason!: string | null;
}
