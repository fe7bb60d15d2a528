import { Field, Float, Int, ObjectType } from 'type-graphql';
import { HousingArea } from './HousingArea.js';

/** One year of Politiets Tryghedsindeks (the police's safety index) for one area. */
@ObjectType({ description: "One year of the police's safety index (Politiets Tryghedsindeks) for an area." })
export class SafetyIndexMeasurement {
  areaId!: string;

  @Field(() => HousingArea)
  area!: HousingArea;

  @Field(() => Int)
  year!: number;

  @Field(() => Float, { description: 'Share of residents who feel basically safe, in per cent.' })
  shareFeelingSafe!: number;

  @Field(() => Float, { description: 'The same share in comparable areas overall, in per cent.' })
  comparableAreasShare!: number;

  @Field(() => Float, { description: 'Neighbourhood problems (nabolagsproblemer) sub-index: lower is better.' })
  neighbourhoodProblemsIndex!: number;

  @Field(() => Float, { description: 'Experienced safety (oplevet tryghed) sub-index.' })
  experiencedSafetyIndex!: number;

  @Field(() => Int, { description: 'Reported crimes (anmeldelser) in the year.' })
  reportedCrimes!: number;

  @Field(() => Int, { description: 'Survey respondents behind the shares.' })
  respondents!: number;
}
