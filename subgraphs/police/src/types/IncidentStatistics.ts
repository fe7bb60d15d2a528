import { Field, Int, ObjectType } from 'type-graphql';
import { IncidentCategory } from './enums.js';
import { HousingArea } from './HousingArea.js';

/** A published count: null and `suppressed` when it could single out fewer than 5. */
@ObjectType({ description: 'A count of incidents; null with suppressed = true when small or derivable.' })
export class IncidentCount {
  @Field(() => IncidentCategory, { nullable: true, description: 'Null for a total.' })
  category!: string | null;

  @Field(() => Int, { nullable: true })
  count!: number | null;

  @Field(() => Boolean)
  suppressed!: boolean;
}

@ObjectType({ description: 'Incidents of one month, by category, with the month total.' })
export class IncidentMonth {
  @Field(() => String, { description: 'YYYY-MM' })
  month!: string;

  @Field(() => [IncidentCount], { nullable: true })
  byCategory!: IncidentCount[];

  @Field(() => IncidentCount)
  total!: IncidentCount;
}

/** A year of monthly incident counts for an area, published as one table with its margins. */
@ObjectType({ description: 'Reported incidents in an area for one year: months × categories, with totals.' })
export class IncidentStatistics {
  areaId!: string;

  @Field(() => HousingArea)
  area!: HousingArea;

  @Field(() => Int)
  year!: number;

  @Field(() => [IncidentMonth], { nullable: true })
  months!: IncidentMonth[];

  @Field(() => [IncidentCount], { nullable: true })
  categoryTotals!: IncidentCount[];

  @Field(() => IncidentCount)
  total!: IncidentCount;
}
