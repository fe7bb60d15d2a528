import { Field, Int, ObjectType } from 'type-graphql';
import { InjunctionKind } from './enums.js';
import { HousingArea } from './HousingArea.js';

/** A published count: null and `suppressed` when it could single out fewer than 5. */
@ObjectType({ description: 'A count of injunctions; null with suppressed = true when small or derivable.' })
export class InjunctionCount {
  @Field(() => InjunctionKind, { description: 'Null for a total.' })
  kind!: string | null;

  @Field(() => Int)
  count!: number | null;

  @Field(() => Boolean)
  suppressed!: boolean;
}

@ObjectType({ description: 'Injunctions issued in one year, by kind, with the year total.' })
export class InjunctionYear {
  @Field(() => Int)
  year!: number;

  @Field(() => [InjunctionCount], { nullable: true })
  byKind!: InjunctionCount[];

  @Field(() => InjunctionCount)
  total!: InjunctionCount;
}

/** Injunctions per year and kind, published as one table with its margins. */
@ObjectType({ description: 'Injunctions issued in an area (or all areas) over a range of years: years × kinds, with totals.' })
export class InjunctionStatistics {
  areaId!: string | null;

  @Field(() => HousingArea, { description: 'Null for all areas together.' })
  area!: HousingArea | null;

  @Field(() => Int)
  fromYear!: number;

  @Field(() => Int)
  toYear!: number;

  @Field(() => [InjunctionYear], { nullable: true })
  years!: InjunctionYear[];

  @Field(() => [InjunctionCount], { nullable: true })
  kindTotals!: InjunctionCount[];

  @Field(() => InjunctionCount)
  total!: InjunctionCount;
}
