import type { Database, Queryable } from '@partnergraph/subgraph-kit';
import { Rounds } from './Rounds.js';
import { instant } from '../data/rows.js';

export const NOTICE_EVENT_KINDS = ['NOTICE_POSTED', 'NOTICE_ACKNOWLEDGED'] as const;
export type NoticeEventKind = (typeof NOTICE_EVENT_KINDS)[number];

/** Something that happened to a notice, as recorded in `notice_events`. */
export interface NoticeEvent {
  seq: number;
  /** The event id receivers use to recognise a repeated delivery. */
  id: string;
  kind: NoticeEventKind;
  noticeId: string;
  /** Who posted or acknowledged. */
  organisationId: string;
  occurredAt: string;
}

export const EVENT_COLUMNS = `e.seq, e.id::text AS id, e.kind, e.notice_id AS "noticeId", e.organisation_id AS "organisationId",
  ${instant('e.occurred_at')} AS "occurredAt"`;

/** The secretariat follows up on acknowledgements, so it hears of them with the poster. */
const SECRETARIAT = 'kompetencecenteret';

/**
 * Records an event in the caller's transaction, with one outbox row for each
 * organisation whose webhook should hear of it: a posting goes to every other
 * party, an acknowledgement to the poster and the secretariat. The change and
 * its deliveries commit together or not at all.
 */
export async function recordNoticeEvent(tx: Queryable, kind: NoticeEventKind, noticeId: string, organisationId: string): Promise<void> {
  const [event] = await tx.query<{ seq: number }>(
    'INSERT INTO notice_events (kind, notice_id, organisation_id) VALUES ($1, $2, $3) RETURNING seq',
    [kind, noticeId, organisationId],
  );
  await tx.query(
    `INSERT INTO webhook_deliveries (event_seq, organisation_id)
     SELECT $1, w.organisation_id FROM webhooks w
     WHERE w.organisation_id <> $2
       AND ($3 = 'NOTICE_POSTED' OR w.organisation_id IN ((SELECT n.posted_by FROM notices n WHERE n.id = $4), $5))`,
    [event!.seq, organisationId, kind, noticeId, SECRETARIAT],
  );
}

type Listener = (event: NoticeEvent) => void;

/**
 * The events of one database in order, for live subscriptions: reads new rows
 * when a change commits in this process, and every `pollMs` for changes made
 * by other processes on the same database. Transactions may commit out of seq
 * order, so the last `window` seqs are read again and delivered once.
 */
export class NoticeEventFeed {
  private static readonly feeds = new WeakMap<Database, NoticeEventFeed>();
  private readonly listeners = new Set<Listener>();
  private readonly seen = new Set<number>();
  /** Events up to this seq were there before the first listener came. */
  private floor = 0;
  private highest: number | undefined;
  /** Reads while anyone listens; the next round retries a failed one. */
  private readonly rounds: Rounds;

  private constructor(
    private readonly db: Database,
    pollMs: number,
    private readonly window = 200,
  ) {
    this.rounds = new Rounds(() => this.read(), pollMs);
  }

  static of(db: Database, pollMs = 1000): NoticeEventFeed {
    let feed = NoticeEventFeed.feeds.get(db);
    if (!feed) NoticeEventFeed.feeds.set(db, (feed = new NoticeEventFeed(db, pollMs)));
    return feed;
  }

  /** Calls `listener` with each event committed from now on; returns the unsubscribe. */
  async subscribe(listener: Listener): Promise<() => void> {
    if (this.highest === undefined) {
      const [row] = await this.db.query<{ seq: number | null }>('SELECT max(seq) AS seq FROM notice_events');
      if (this.highest === undefined) this.highest = this.floor = Number(row?.seq ?? 0);
    }
    this.listeners.add(listener);
    this.rounds.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) void this.rounds.stop();
    };
  }

  /**
   * Events one at a time. Listening starts before this resolves, so nothing
   * committed after it is missed; `return()` stops listening.
   */
  async iterate(filter: (event: NoticeEvent) => boolean = () => true): Promise<AsyncIterableIterator<NoticeEvent>> {
    const queue: NoticeEvent[] = [];
    let waiting: ((result: IteratorResult<NoticeEvent>) => void) | undefined;
    let done = false;
    const unsubscribe = await this.subscribe((event) => {
      if (done || !filter(event)) return;
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve({ value: event, done: false });
      } else queue.push(event);
    });
    const finish = async (): Promise<IteratorResult<NoticeEvent>> => {
      done = true;
      unsubscribe();
      waiting?.({ value: undefined, done: true });
      waiting = undefined;
      return { value: undefined, done: true };
    };
    const iterator: AsyncIterableIterator<NoticeEvent> = {
      next: () =>
        queue.length
          ? Promise.resolve({ value: queue.shift()!, done: false })
          : done
            ? Promise.resolve({ value: undefined, done: true })
            : new Promise((resolve) => (waiting = resolve)),
      return: finish,
      throw: async (error: unknown) => {
        await finish();
        throw error;
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  private async read(): Promise<void> {
    if (this.highest === undefined || this.listeners.size === 0) return;
    const rows = await this.db.query<NoticeEvent>(
      `SELECT ${EVENT_COLUMNS} FROM notice_events e WHERE e.seq > $1 ORDER BY e.seq LIMIT 1000`,
      [Math.max(0, this.highest - this.window)],
    );
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq <= this.floor || this.seen.has(seq)) continue;
      this.seen.add(seq);
      this.highest = Math.max(this.highest, seq);
      const event = { ...row, seq };
      for (const listener of this.listeners) listener(event);
    }
    for (const seq of this.seen) if (seq <= this.highest - this.window) this.seen.delete(seq);
  }
}
