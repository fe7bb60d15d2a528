import { Ctx, Resolver, Root, Subscription } from 'type-graphql';
import type { MunicipalityContext } from '../context.js';
import { NoticeEventFeed, type NoticeEvent, type NoticeEventKind } from '../delivery/events.js';
import { Notice } from '../types/Notice.js';

const eventsOf = (kind: NoticeEventKind) => ({ context }: { context: MunicipalityContext }) =>
  NoticeEventFeed.of(context.db).iterate((event) => event.kind === kind);

/**
 * Live notices (§ 6) over server-sent events at `/graphql/stream` (the
 * graphql-sse protocol). Each event is answered as its own request: the
 * subscriber's token is checked again and the notice is read under the
 * owner's rules; an event about a notice the subscriber may not see is not sent.
 */
@Resolver()
export class NoticeSubscriptionResolver {
  @Subscription(() => Notice, {
    nullable: true,
    description: 'Each notice posted from now on, by any party. Over server-sent events (graphql-sse).',
    subscribe: eventsOf('NOTICE_POSTED'),
  })
  async noticePosted(@Root() event: NoticeEvent, @Ctx() ctx: MunicipalityContext): Promise<Notice | null> {
    return ctx.authz.visibleOrNull('Notice', await ctx.loaders.noticeById.load(event.noticeId));
  }

  @Subscription(() => Notice, {
    nullable: true,
    description: 'A notice each time a party acknowledges it, from now on. Over server-sent events (graphql-sse).',
    subscribe: eventsOf('NOTICE_ACKNOWLEDGED'),
  })
  async noticeAcknowledged(@Root() event: NoticeEvent, @Ctx() ctx: MunicipalityContext): Promise<Notice | null> {
    return ctx.authz.visibleOrNull('Notice', await ctx.loaders.noticeById.load(event.noticeId));
  }
}
