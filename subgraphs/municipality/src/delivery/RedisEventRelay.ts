import type { Logger } from '@partnergraph/common';
import type { Database } from '@partnergraph/subgraph-kit';
import type { Redis } from 'ioredis';
import { EVENT_COLUMNS, type NoticeEvent, type NoticeEventKind } from './events.js';
import { Rounds } from './Rounds.js';

/** What a gateway receives on the events channel: the subscription field and the key of the record to answer with. */
export interface EventMessage {
  /** The event id: a gateway delivers each once. */
  id: string;
  subgraph: string;
  field: string;
  key: { id: string };
}

const FIELDS: Record<NoticeEventKind, string> = { NOTICE_POSTED: 'noticePosted', NOTICE_ACKNOWLEDGED: 'noticeAcknowledged' };

/** The channel gateways listen on, under the deployment's Redis prefix. */
export const eventsChannel = (prefix: string) => `${prefix}events`;

export const eventMessage = (event: NoticeEvent): EventMessage => ({
  id: event.id,
  subgraph: 'municipality',
  field: FIELDS[event.kind],
  key: { id: event.noticeId },
});

/**
 * Where Redis is configured, hands each new event to the gateways through
 * Redis pub/sub, once: a round claims unrelayed events (`FOR UPDATE SKIP
 * LOCKED`, so replicas of the municipality do not relay the same event) and
 * marks them only after publishing. Events older than `maxAgeMs` are not live
 * any more and are left (webhooks deliver them durably).
 */
export class RedisEventRelay {
  private readonly rounds: Rounds;

  constructor(
    private readonly db: Database,
    private readonly redis: Redis,
    private readonly channel: string,
    logger?: Logger,
    pollMs = 1000,
    private readonly maxAgeMs = 60_000,
  ) {
    this.rounds = new Rounds(() => this.round(), pollMs, (error) => logger?.warn({ err: error.message }, 'relaying events to Redis failed; will retry'));
  }

  start(): void {
    this.rounds.start();
  }

  async stop(): Promise<void> {
    await this.rounds.stop();
    this.redis.disconnect();
  }

  /** Publishes unrelayed live events; returns how many. */
  async round(): Promise<number> {
    return this.db.transaction(async (tx) => {
      const events = await tx.query<NoticeEvent>(
        `SELECT ${EVENT_COLUMNS} FROM notice_events e
         WHERE e.relayed_at IS NULL AND e.occurred_at > now() - make_interval(secs => $1::float8 / 1000)
         ORDER BY e.seq LIMIT 100 FOR UPDATE SKIP LOCKED`,
        [this.maxAgeMs],
      );
      for (const event of events) await this.redis.publish(this.channel, JSON.stringify(eventMessage(event)));
      if (events.length) await tx.query('UPDATE notice_events SET relayed_at = now() WHERE seq = ANY($1::bigint[])', [events.map((e) => e.seq)]);
      return events.length;
    });
  }
}
