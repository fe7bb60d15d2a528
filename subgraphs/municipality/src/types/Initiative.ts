import { PageInfo } from '@partnergraph/subgraph-kit';
import { LocalDateResolver } from 'graphql-scalars';
import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { InitiativeKind, InitiativeStatus } from './enums.js';
import { HousingArea } from './HousingArea.js';
import { Organisation } from './Organisation.js';

/** An initiative (indsats) in the partnership's register: one party's effort in one or more areas. */
@ObjectType({ description: "An initiative (indsats) of a party in one or more of the partnership's areas." })
@Directive('@key(fields: "id")')
export class Initiative {
  @Field(() => ID, { nullable: false })
  id!: string;

  responsibleOrganisationId!: string;
  areaIds!: string[];

  @Field(() => String)
  title!: string;

  @Field(() => String)
  description!: string;

  @Field(() => InitiativeKind)
  kind!: string;

  @Field(() => Organisation, { description: 'The party that leads the initiative.' })
  responsibleOrganisation!: Organisation | null;

  @Field(() => [HousingArea], { nullable: true })
  areas!: HousingArea[];

  @Field(() => LocalDateResolver)
  startsOn!: string;

  @Field(() => LocalDateResolver, { description: 'Null while open-ended.' })
  endsOn!: string | null;

  @Field(() => InitiativeStatus, { description: "From the period and today's date." })
  status!: string;

  @Field(() => Int, { description: 'Row version; increases with every change.' })
  version!: number;
}

@ObjectType()
export class InitiativeConnection {
  @Field(() => [Initiative], { nullable: false })
  nodes!: Initiative[];

  @Field(() => PageInfo, { nullable: false })
  pageInfo!: PageInfo;
}

@InputType({ description: "Narrows an area's initiatives." })
export class AreaInitiativeFilter {
  @Field(() => InitiativeKind)
  kind?: string;

  @Field(() => ID, { description: 'The responsible organisation.' })
  organisationId?: string;

  @Field(() => LocalDateResolver, { description: 'Running on this day.' })
  activeOn?: string;

  @Field(() => InitiativeStatus, { description: 'Status as of today.' })
  status?: string;

  @Field(() => LocalDateResolver, { description: 'Starting on or after this day.' })
  startsFrom?: string;

  @Field(() => LocalDateResolver, { description: 'Starting on or before this day.' })
  startsTo?: string;
}

@InputType({ description: 'Narrows the initiative register.' })
export class InitiativeFilter extends AreaInitiativeFilter {
  @Field(() => ID)
  areaId?: string;
}

@InputType({ description: "A new initiative of the caller's organisation, which becomes its responsible organisation." })
export class CreateInitiativeInput {
  @Field(() => String, { nullable: false, description: '3–200 characters.' })
  title!: string;

  @Field(() => String, { description: 'At most 4000 characters.' })
  description?: string | null;

  @Field(() => InitiativeKind, {
    nullable: false,
    description: 'Building-up initiatives are led by the municipality or a housing company, crime-preventive ones by the police; any party leads preventive ones.',
  })
  kind!: string;

  @Field(() => [ID], { nullable: false, description: 'At least one of the four areas.' })
  areaIds!: string[];

  @Field(() => LocalDateResolver, { nullable: false })
  startsOn!: string;

  @Field(() => LocalDateResolver, { description: 'Not before startsOn; omit while open-ended.' })
  endsOn?: string | null;
}

@InputType({ description: 'Changes to an initiative: only the fields given change; endsOn: null makes it open-ended.' })
export class UpdateInitiativeInput {
  @Field(() => String, { description: '3–200 characters.' })
  title?: string | null;

  @Field(() => String, { description: 'At most 4000 characters.' })
  description?: string | null;

  @Field(() => InitiativeKind)
  kind?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Replaces the areas: at least one.' })
  areaIds?: string[] | null;

  @Field(() => LocalDateResolver)
  startsOn?: string | null;

  @Field(() => LocalDateResolver, { description: 'Not before startsOn; null: open-ended.' })
  endsOn?: string | null;
}
