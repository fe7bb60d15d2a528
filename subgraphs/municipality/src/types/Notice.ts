import { PageInfo } from '@partnergraph/subgraph-kit';
import { DateTimeResolver } from 'graphql-scalars';
import { Directive, Field, ID, InputType, ObjectType } from 'type-graphql';
import { HousingArea } from './HousingArea.js';
import { Organisation } from './Organisation.js';

/** One party's acknowledgement that it has read a notice. */
@ObjectType({ description: "A party's acknowledgement of a notice." })
export class NoticeAcknowledgement {
  noticeId!: string;
  organisationId!: string;

  @Field(() => Organisation)
  organisation!: Organisation | null;

  @Field(() => DateTimeResolver)
  acknowledgedAt!: string;

  @Field(() => String, {
    nullable: true,
    description: "The acknowledging principal's subject at its organisation's identity provider: staff's personal data, for their own party and the secretariat.",
  })
  acknowledgedBy!: string;
}

/**
 * A notice of a public statement (§ 6 of the agreement): a party that speaks
 * publicly about matters that may concern the others notifies them before, or
 * if that is impossible, as soon as possible after.
 */
@ObjectType({ description: 'A notice to the other parties of a public statement, made before it (or, if impossible, as soon as possible after).' })
@Directive('@key(fields: "id")')
export class Notice {
  @Field(() => ID, { nullable: false })
  id!: string;

  postedById!: string;
  areaIds!: string[];

  @Field(() => Organisation, { description: 'The party making the statement.' })
  postedBy!: Organisation | null;

  @Field(() => String)
  subject!: string;

  @Field(() => String)
  summary!: string;

  @Field(() => [HousingArea], { nullable: true })
  areas!: HousingArea[];

  @Field(() => DateTimeResolver, { description: 'When the statement will be published; null for a notice made after publication.' })
  plannedPublicationAt!: string | null;

  @Field(() => Boolean, { description: 'Whether the statement has been published by now.' })
  alreadyPublished!: boolean;

  @Field(() => DateTimeResolver, { description: 'When the statement was published, for a notice made after publication.' })
  publishedAt!: string | null;

  @Field(() => String, { description: 'Why the others could not be notified before; required for a late notice.' })
  reasonForLateNotice!: string | null;

  @Field(() => DateTimeResolver)
  postedAt!: string;

  @Field(() => Boolean, { description: 'Posted after the statement was published.' })
  isLate!: boolean;

  @Field(() => [NoticeAcknowledgement], { nullable: true })
  acknowledgements!: NoticeAcknowledgement[];

  @Field(() => [Organisation], { nullable: true, description: 'The other parties (and the secretariat) that have not acknowledged yet.' })
  missingAcknowledgements!: Organisation[];
}

@ObjectType()
export class NoticeConnection {
  @Field(() => [Notice], { nullable: false })
  nodes!: Notice[];

  @Field(() => PageInfo, { nullable: false })
  pageInfo!: PageInfo;
}

@InputType({ description: 'Narrows the notices.' })
export class NoticeFilter {
  @Field(() => ID, { description: 'Notices concerning this area.' })
  areaId?: string;

  @Field(() => ID, { description: 'Notices posted by this organisation.' })
  postedBy?: string;

  @Field(() => ID, { description: 'Notices this organisation has yet to acknowledge (not its own).' })
  unacknowledgedBy?: string;
}

@InputType({ description: 'A notice of a public statement: exactly one of plannedPublicationAt (future) or alreadyPublishedAt (past, with a reason).' })
export class PostNoticeInput {
  @Field(() => String, { nullable: false, description: '3–200 characters.' })
  subject!: string;

  @Field(() => String, { nullable: false, description: '3–4000 characters: what will be said, and where.' })
  summary!: string;

  @Field(() => [ID], { nullable: false, description: 'The areas the statement concerns (at least one).' })
  areaIds!: string[];

  @Field(() => DateTimeResolver, { description: 'When the statement will be published; must be in the future.' })
  plannedPublicationAt?: Date | null;

  @Field(() => DateTimeResolver, { description: 'When the statement was published, if the others could not be notified before; must be in the past.' })
  alreadyPublishedAt?: Date | null;

  @Field(() => String, { description: 'Why the others could not be notified before; required with alreadyPublishedAt.' })
  reasonForLateNotice?: string | null;
}
