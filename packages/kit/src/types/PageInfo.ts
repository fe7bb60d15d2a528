import { Directive, Field, ObjectType } from 'type-graphql';

/** Cursor paging state, shared by every list that can grow. */
@ObjectType({ description: 'Where a page ends and whether more follow.' })
@Directive('@shareable')
export class PageInfo {
  @Field(() => Boolean, { nullable: false })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page.' })
  endCursor!: string | null;
}
