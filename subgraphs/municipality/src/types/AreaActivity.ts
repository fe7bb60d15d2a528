import { Field, Int, ObjectType } from 'type-graphql';
import { InitiativeKind } from './enums.js';

/** Initiatives (indsatser) of one kind running today in an area: a count, no personal data. */
@ObjectType({ description: 'How many initiatives of one kind run today in an area.' })
export class InitiativeKindCount {
  @Field(() => InitiativeKind, { nullable: false })
  kind!: string;

  @Field(() => Int, { nullable: false })
  count!: number;
}
