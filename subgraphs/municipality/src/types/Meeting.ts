import { PageInfo } from '@partnergraph/subgraph-kit';
import { LocalDateResolver } from 'graphql-scalars';
import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { BodyKind } from './enums.js';
import { HousingArea } from './HousingArea.js';
import { Organisation } from './Organisation.js';

/** A body of the agreement's organisation (Organisering). */
@ObjectType({ description: "A body of the partnership's organisation: the board, the coordination group, a follow-up group or the annual conference." })
export class Body {
  @Field(() => ID, { nullable: false })
  id!: string;

  areaId!: string | null;

  @Field(() => String)
  name!: string;

  @Field(() => BodyKind)
  kind!: string;

  @Field(() => String)
  description!: string;

  @Field(() => HousingArea, { description: 'The area of a follow-up group; null for the others.' })
  area!: HousingArea | null;

  @Field(() => Int, {
    description: 'Police representatives at a meeting, as the agreement sets them: board 3, coordination group 2, follow-up group at most 2. Null: no rule.',
  })
  policeRepresentatives!: number | null;

  @Field(() => Int, { description: 'The fewest police representatives at a meeting: a follow-up group has 1–2. Null: no rule.' })
  minPoliceRepresentatives!: number | null;

  @Field(() => Int, { description: 'Meetings a year, where the agreement says (board 2, conference 1).' })
  meetingsPerYear!: number | null;
}

@ObjectType({ description: 'An organisation at a meeting, with its number of representatives.' })
export class MeetingParticipation {
  organisationId!: string;

  @Field(() => Organisation)
  organisation!: Organisation | null;

  @Field(() => Int)
  representatives!: number;
}

/** A meeting of one of the agreement's bodies. */
@ObjectType({ description: "A meeting of one of the partnership's bodies." })
@Directive('@key(fields: "id")')
export class Meeting {
  @Field(() => ID, { nullable: false })
  id!: string;

  bodyId!: string;

  @Field(() => Body)
  body!: Body | null;

  @Field(() => String)
  title!: string;

  @Field(() => LocalDateResolver)
  scheduledFor!: string;

  @Field(() => LocalDateResolver, { description: 'The day it was held; null while it lies ahead.' })
  heldOn!: string | null;

  @Field(() => [MeetingParticipation], { nullable: true })
  participants!: MeetingParticipation[];

  @Field(() => [MeetingDecision], { nullable: true })
  decisions!: MeetingDecision[];
}

@ObjectType({ description: 'A decision taken at a meeting, with the organisation that follows it up.' })
export class MeetingDecision {
  @Field(() => ID, { nullable: false })
  id!: string;

  meetingId!: string;
  ownerId!: string;

  @Field(() => Meeting, { description: 'The meeting the decision was taken at.' })
  meeting!: Meeting | null;

  @Field(() => String)
  text!: string;

  @Field(() => Organisation, { description: 'The organisation that follows the decision up.' })
  owner!: Organisation | null;

  @Field(() => LocalDateResolver)
  dueOn!: string;

  @Field(() => LocalDateResolver)
  completedOn!: string | null;

  @Field(() => Boolean, { description: 'Due before today and not completed.' })
  isOverdue!: boolean;

  @Field(() => Int, { description: 'Row version; increases with every change.' })
  version!: number;
}

@ObjectType()
export class MeetingConnection {
  @Field(() => [Meeting], { nullable: false })
  nodes!: Meeting[];

  @Field(() => PageInfo, { nullable: false })
  pageInfo!: PageInfo;
}

@InputType({ description: 'An organisation taking part in a meeting.' })
export class ParticipantInput {
  @Field(() => ID, { nullable: false })
  organisationId!: string;

  @Field(() => Int, { nullable: false, description: '1–50.' })
  representatives!: number;
}

@InputType({ description: "A meeting of a body; the police's representatives must match the agreement." })
export class ScheduleMeetingInput {
  @Field(() => ID, { nullable: false })
  bodyId!: string;

  @Field(() => LocalDateResolver, { nullable: false, description: 'From 2014-04-01 (the first agreement) to five years ahead.' })
  scheduledFor!: string;

  @Field(() => String, { nullable: false, description: '3–200 characters.' })
  title!: string;

  @Field(() => [ParticipantInput], { nullable: false })
  participants!: ParticipantInput[];
}

@InputType({ description: 'A decision taken at a meeting that has been held.' })
export class RecordDecisionInput {
  @Field(() => String, { nullable: false, description: '3–2000 characters.' })
  text!: string;

  @Field(() => ID, { nullable: false, description: 'The organisation that follows the decision up.' })
  ownerId!: string;

  @Field(() => LocalDateResolver, { nullable: false, description: 'Not before the meeting.' })
  dueOn!: string;
}
