import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { BlockList, LookupFunction } from 'node:net';
import type { Logger } from '@partnergraph/common';
import type { Database } from '@partnergraph/subgraph-kit';
import { instant } from '../data/rows.js';
import { addressAllowed, addressAllowList, resolveHost, systemLookup, type ResolvedAddress, type WebhookLookup } from './addresses.js';
import { Rounds } from './Rounds.js';
import { openWebhookSecret, webhookKeys, type WebhookKeyring } from './secrets.js';
import { signWebhook, WEBHOOK_HEADERS, webhookTargetProblem } from './signature.js';

export interface DelivererSettings {
  /** Deliveries claimed per round. */
  batchSize: number;
  /** How often due deliveries are looked for (a change in this process also wakes the deliverer). */
  pollMs: number;
  /** Per request; a receiver slower than this has failed the attempt. */
  timeoutMs: number;
  /** A claimed attempt is the claimer's for this long; longer than the timeout, so only a lost deliverer's attempt is taken over. */
  leaseMs: number;
  /** The first retry waits this long, each further one twice as long as the one before ... */
  retryBaseMs: number;
  /** ... but never longer than this. */
  retryMaxMs: number;
  /** After this long since the event, a delivery that has not succeeded is given up. */
  giveUpAfterMs: number;
  /** Hosts webhooks may target (empty: any). */
  allowedHosts: string[];
  /** Addresses or CIDR ranges a request may reach although they are loopback, private, link-local or reserved (empty: none). */
  allowedAddresses: string[];
  /** How host names are resolved (default: the system's resolver); tests give their own. */
  lookup?: WebhookLookup;
  /** The keys the stored secrets are sealed with (default: this process's, from its environment). */
  keys?: WebhookKeyring;
}

const num = (value: string | undefined, fallback: number) => (value === undefined || value === '' ? fallback : Number(value));

/** The deliverer's settings from the environment; the README lists the variables. */
export function delivererSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): DelivererSettings {
  const timeoutMs = num(env['WEBHOOK_TIMEOUT_MS'], 10_000);
  return {
    batchSize: num(env['WEBHOOK_BATCH_SIZE'], 20),
    pollMs: num(env['WEBHOOK_POLL_MS'], 2_000),
    timeoutMs,
    leaseMs: Math.max(num(env['WEBHOOK_LEASE_MS'], 60_000), timeoutMs + 1_000),
    retryBaseMs: num(env['WEBHOOK_RETRY_BASE_MS'], 30_000),
    retryMaxMs: num(env['WEBHOOK_RETRY_MAX_MS'], 3_600_000),
    giveUpAfterMs: num(env['WEBHOOK_GIVE_UP_AFTER_HOURS'], 24) * 3_600_000,
    allowedHosts: allowedWebhookHosts(env),
    allowedAddresses: list(env['WEBHOOK_ALLOWED_ADDRESSES']),
  };
}

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);

export const allowedWebhookHosts = (env: NodeJS.ProcessEnv = process.env): string[] => list(env['WEBHOOK_ALLOWED_HOSTS']);

/**
 * The messages a party and the secretariat see for an attempt that did not reach the receiver: what happened, nothing internal.
 * A name that does not resolve and one that resolves to a refused address read the same: told apart, a party
 * could learn which internal host names (postgres, redis, …) exist. The log says which.
 */
export const DELIVERY_FAILURES = {
  refusedTarget: "The receiver's host does not resolve to an address webhooks may reach (this server, a private or link-local network, or similar are refused).",
  unreachable: 'The receiver could not be reached.',
  unreadableSecret: "The webhook's secret cannot be read: register the webhook again.",
} as const;

/** Connects to the address already checked, whatever the name would resolve to now; the name stays in Host and TLS (SNI, certificate). */
const pinnedLookup =
  (target: ResolvedAddress): LookupFunction =>
  (_hostname, options, callback) => {
    if (options.all) callback(null, [target]);
    else callback(null, target.address, target.family);
  };

interface Claimed {
  id: number;
  attempts: number;
  organisationId: string;
  ageMs: number;
  url: string | null;
  secret: string | null;
  eventId: string;
  kind: 'NOTICE_POSTED' | 'NOTICE_ACKNOWLEDGED';
  occurredAt: string;
  actorId: string;
  actorName: string;
  notice: {
    id: string;
    subject: string;
    summary: string;
    postedBy: { id: string; name: string };
    areas: Array<{ id: string; name: string }>;
    postedAt: string;
    plannedPublicationAt: string | null;
    publishedAt: string | null;
    reasonForLateNotice: string | null;
  };
}

/** A claimed delivery whose organisation still has a webhook. */
type Sendable = Claimed & { url: string; secret: string };

const EVENT_TYPES = { NOTICE_POSTED: 'notice.posted', NOTICE_ACKNOWLEDGED: 'notice.acknowledged' } as const;

/**
 * Sends the outbox's due deliveries as signed POST requests. A round claims
 * due rows (`FOR UPDATE SKIP LOCKED`, then a lease), so two deliverers never
 * send the same attempt; a deliverer that dies leaves its claimed attempts to
 * be retried when their lease ends, so nothing is lost (a receiver may then
 * see an event twice: the event id tells). Failures are retried with
 * exponential backoff until `giveUpAfterMs` after the event.
 */
export class WebhookDeliverer {
  private readonly rounds: Rounds;
  private readonly allowedAddresses: BlockList;
  private readonly lookup: WebhookLookup;
  private readonly keys: WebhookKeyring;

  constructor(
    private readonly db: Database,
    private readonly settings: DelivererSettings,
    private readonly logger?: Logger,
  ) {
    this.allowedAddresses = addressAllowList(settings.allowedAddresses);
    this.lookup = settings.lookup ?? systemLookup;
    this.keys = settings.keys ?? webhookKeys();
    this.rounds = new Rounds(() => this.drain(), settings.pollMs, (error) => logger?.error({ err: error.message }, 'webhook delivery round failed'));
  }

  start(): void {
    this.rounds.start();
  }

  /** Stops claiming; attempts already sent finish first. */
  stop(): Promise<void> {
    return this.rounds.stop();
  }

  /** Rounds until nothing is due. */
  private async drain(): Promise<void> {
    while (this.rounds.started && (await this.round()) > 0);
  }

  /** Claims up to one batch of due deliveries and sends them; returns how many it claimed. */
  async round(): Promise<number> {
    const claimed = await this.claim();
    await Promise.all(claimed.map((delivery) => this.send(delivery)));
    return claimed.length;
  }

  private async claim(): Promise<Claimed[]> {
    const { batchSize, leaseMs } = this.settings;
    return this.db.query<Claimed>(
      `WITH due AS (
         SELECT d.id FROM webhook_deliveries d
         WHERE d.status = 'PENDING' AND d.next_attempt_at <= now() AND (d.lease_until IS NULL OR d.lease_until <= now())
         ORDER BY d.next_attempt_at, d.id LIMIT $1 FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE webhook_deliveries d SET attempts = d.attempts + 1, lease_until = now() + make_interval(secs => $2::float8 / 1000),
           last_attempt_at = now()
         FROM due WHERE d.id = due.id
         RETURNING d.id, d.attempts, d.organisation_id, d.event_seq
       )
       SELECT c.id, c.attempts, c.organisation_id AS "organisationId",
         (extract(epoch FROM now() - e.occurred_at) * 1000)::float8 AS "ageMs",
         w.url, w.secret, e.id::text AS "eventId", e.kind, ${instant('e.occurred_at')} AS "occurredAt",
         e.organisation_id AS "actorId", actor.name AS "actorName",
         json_build_object(
           'id', n.id, 'subject', n.subject, 'summary', n.summary,
           'postedBy', json_build_object('id', poster.id, 'name', poster.name),
           'areas', (SELECT coalesce(json_agg(json_build_object('id', a.id, 'name', a.name) ORDER BY a.id), '[]'::json)
                     FROM notice_areas na JOIN housing_areas a ON a.id = na.area_id WHERE na.notice_id = n.id),
           'postedAt', ${instant('n.posted_at')}, 'plannedPublicationAt', ${instant('n.planned_publication_at')},
           'publishedAt', ${instant('n.published_at')}, 'reasonForLateNotice', n.reason_for_late_notice
         ) AS notice
       FROM claimed c
       JOIN notice_events e ON e.seq = c.event_seq
       JOIN notices n ON n.id = e.notice_id
       JOIN organisations poster ON poster.id = n.posted_by
       JOIN organisations actor ON actor.id = e.organisation_id
       LEFT JOIN webhooks w ON w.organisation_id = c.organisation_id`,
      [batchSize, leaseMs],
    );
  }

  /** The request body: the same bytes on every attempt. */
  static body(delivery: Pick<Claimed, 'eventId' | 'kind' | 'occurredAt' | 'organisationId' | 'actorId' | 'actorName' | 'notice'>): string {
    return JSON.stringify({
      id: delivery.eventId,
      type: EVENT_TYPES[delivery.kind],
      occurredAt: delivery.occurredAt,
      recipient: delivery.organisationId,
      notice: delivery.notice,
      ...(delivery.kind === 'NOTICE_ACKNOWLEDGED' ? { acknowledgedBy: { id: delivery.actorId, name: delivery.actorName } } : {}),
    });
  }

  private async send(delivery: Claimed): Promise<void> {
    if (!delivery.url || !delivery.secret) return this.finish(delivery, { gaveUp: 'The organisation no longer has a webhook.' });
    const problem = webhookTargetProblem(delivery.url, this.settings.allowedHosts);
    if (problem) return this.finish(delivery, { gaveUp: `The webhook URL ${problem}.` });
    return this.attempt(delivery as Sendable);
  }

  private async attempt(delivery: Sendable): Promise<void> {
    let status: number | null = null;
    let error: string | null = null;
    try {
      const secret = this.secretOf(delivery);
      const target = secret === undefined ? DELIVERY_FAILURES.unreadableSecret : await this.target(delivery);
      if (typeof target === 'string') error = target;
      else {
        status = await this.post(delivery, secret!, target);
        if (status < 200 || status >= 300) error = `The receiver answered ${status}.`;
      }
    } catch (e) {
      error = (e as Error).name === 'TimeoutError' ? `No answer within ${this.settings.timeoutMs} ms.` : DELIVERY_FAILURES.unreachable;
    }
    if (error === null) return this.finish(delivery, { delivered: status! });
    const wait = Math.min(this.settings.retryBaseMs * 2 ** (delivery.attempts - 1), this.settings.retryMaxMs);
    const jittered = Math.round(wait * (1 + Math.random() * 0.1));
    if (delivery.ageMs + jittered > this.settings.giveUpAfterMs) return this.finish(delivery, { gaveUp: error, status });
    return this.finish(delivery, { retryInMs: jittered, error, status });
  }

  /** The stored secret opened, or undefined (logged, never the value) when no configured key opens it. */
  private secretOf(delivery: Sendable): string | undefined {
    try {
      return openWebhookSecret(this.keys, delivery.organisationId, delivery.secret);
    } catch {
      this.logger?.warn({ delivery: delivery.id, organisation: delivery.organisationId }, 'webhook secret not readable with the configured keys');
      return undefined;
    }
  }

  /**
   * The one address this attempt connects to: the host resolved once, and
   * every address it gave checked (one refused address refuses the name, so
   * a resolver cannot slip an internal address in beside a public one).
   * A string is the failure the attempt records.
   */
  private async target(delivery: Sendable): Promise<ResolvedAddress | string> {
    const host = new URL(delivery.url).hostname;
    let addresses: ResolvedAddress[];
    const refuse = (detail: Record<string, unknown>, message: string) => {
      this.logger?.warn({ delivery: delivery.id, organisation: delivery.organisationId, host, ...detail }, message);
      return DELIVERY_FAILURES.refusedTarget;
    };
    try {
      addresses = await resolveHost(host, this.lookup);
    } catch (e) {
      return refuse({ code: (e as { code?: unknown }).code }, 'webhook target host not resolved');
    }
    if (!addresses.length) return refuse({}, 'webhook target host not resolved');
    const refused = addresses.filter((a) => !addressAllowed(a.address, this.allowedAddresses));
    if (refused.length) return refuse({ refused: refused.map((a) => a.address) }, 'webhook target address refused');
    return addresses[0]!;
  }

  /** One signed POST to the checked address; redirects are answers like any other (not followed). Resolves with the status. */
  private post(delivery: Sendable, secret: string, target: ResolvedAddress): Promise<number> {
    const body = WebhookDeliverer.body(delivery);
    const timestamp = Math.floor(Date.now() / 1000);
    const headers: OutgoingHttpHeaders = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'user-agent': 'partnergraph-webhooks/1',
      [WEBHOOK_HEADERS.eventId]: delivery.eventId,
      [WEBHOOK_HEADERS.eventType]: EVENT_TYPES[delivery.kind],
      [WEBHOOK_HEADERS.timestamp]: String(timestamp),
      [WEBHOOK_HEADERS.signature]: signWebhook(secret, timestamp, body),
      [WEBHOOK_HEADERS.attempt]: String(delivery.attempts),
    };
    const url = new URL(delivery.url);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const signal = AbortSignal.timeout(this.settings.timeoutMs);
    return new Promise<number>((resolve, reject) => {
      // No shared agent: a pooled connection is never reused for another attempt's check.
      const req = send(url, { method: 'POST', headers, agent: false, lookup: pinnedLookup(target), signal }, (res) => {
        resolve(res.statusCode ?? 0);
        res.destroy();
      });
      req.on('error', (e) => reject(signal.aborted ? Object.assign(new Error('timeout'), { name: 'TimeoutError' }) : e));
      req.end(body);
    });
  }

  /** Records an attempt's outcome, if the attempt is still this deliverer's (same attempt number, still pending). */
  private async finish(
    delivery: Claimed,
    outcome: { delivered: number } | { gaveUp: string; status?: number | null } | { retryInMs: number; error: string; status: number | null },
  ): Promise<void> {
    const params: unknown[] = [delivery.id, delivery.attempts];
    let set: string;
    if ('delivered' in outcome) {
      params.push(outcome.delivered);
      set = `status = 'DELIVERED', delivered_at = now(), last_status = $3, last_error = NULL`;
      this.logger?.info({ delivery: delivery.id, attempt: delivery.attempts, organisation: delivery.organisationId }, 'webhook delivered');
    } else if ('gaveUp' in outcome) {
      params.push(outcome.status ?? null, outcome.gaveUp);
      set = `status = 'GAVE_UP', last_status = $3, last_error = $4`;
      this.logger?.warn({ delivery: delivery.id, attempt: delivery.attempts, organisation: delivery.organisationId, reason: outcome.gaveUp }, 'webhook given up');
    } else {
      params.push(outcome.status, outcome.error, outcome.retryInMs);
      set = `last_status = $3, last_error = $4, next_attempt_at = now() + make_interval(secs => $5::float8 / 1000)`;
    }
    await this.db.query(
      `UPDATE webhook_deliveries SET ${set}, lease_until = NULL WHERE id = $1 AND attempts = $2 AND status = 'PENDING'`,
      params,
    );
  }
}
