import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createLogger, DevIssuer, PERSONAS } from '@partnergraph/common';
import type { Database } from '@partnergraph/subgraph-kit';
import { createTestDatabase, personaClient, subscribeOverEventStream } from '@partnergraph/subgraph-kit/testing';
import { World } from '@partnergraph/synthetic';
import { ORGANISATIONS } from '@partnergraph/vocabulary';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMunicipality } from '../src/data/seed.js';
import { verifyWebhook, WEBHOOK_HEADERS } from '../src/delivery/signature.js';
import type { ResolvedAddress } from '../src/delivery/addresses.js';
import { sealStoredWebhookSecrets, sealWebhookSecret, webhookKey, webhookKeys } from '../src/delivery/secrets.js';
import { DELIVERY_FAILURES, WebhookDeliverer, type DelivererSettings } from '../src/delivery/WebhookDeliverer.js';
import { createMunicipalityServer } from '../src/server.js';

/**
 * Notices delivered (issue 12): the municipality's outbox of webhook
 * deliveries, written with the notice; signed, retried, given up, never the
 * same attempt twice, resumed after a lost deliverer; and live notices over
 * server-sent events at the owner, answered per subscriber under the owner's rules.
 */

const world = new World();
const SECRET = 'fob-receiver-secret-0123456789abcdefghij';
const embeddedToo = Boolean(process.env['TEST_DATABASE_URL']);
const backends = [
  { label: embeddedToo ? 'PostgreSQL' : 'PGlite', embedded: false },
  ...(embeddedToo ? [{ label: 'PGlite', embedded: true }] : []),
];

type Body = { data?: any; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
const codes = (body: Body) => (body.errors ?? []).map((e) => e.extensions?.['code']);

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  answered: number | 'hung';
}

/** A partner's receiving system: answers each request as `script` says, and records it. */
class Receiver {
  readonly requests: Received[] = [];
  private server!: Server;
  url = '';
  private arrivals: Array<() => void> = [];

  constructor(
    private script: (n: number) => number | 'hang',
    private readonly answerHeaders: Record<string, string> = {},
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        const answer = this.script(this.requests.length + 1);
        this.requests.push({ headers: req.headers, body, answered: answer === 'hang' ? 'hung' : answer });
        for (const wake of this.arrivals.splice(0)) wake();
        if (answer !== 'hang') res.writeHead(answer, this.answerHeaders).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/partnergraph/notices`;
    return this;
  }

  setScript(script: (n: number) => number | 'hang') {
    this.script = script;
  }

  async arrived(count: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} requests, got ${this.requests.length}`);
      await new Promise<void>((resolve) => {
        this.arrivals.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const fast: DelivererSettings = {
  batchSize: 20,
  pollMs: 50,
  timeoutMs: 2_000,
  leaseMs: 3_000,
  retryBaseMs: 50,
  retryMaxMs: 200,
  giveUpAfterMs: 60_000,
  allowedHosts: [],
  // The receivers below listen on this machine: an address webhooks reach only when allowed explicitly.
  allowedAddresses: ['127.0.0.1'],
  // No real DNS in the tests: a name resolves only where a test gives its own resolver.
  lookup: async (hostname) => {
    throw new Error(`no DNS in the tests (${hostname})`);
  },
};

/** A deliverer's log, as its lines. */
const capturedLog = () => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()) });
  return { lines, logger: createLogger('deliverer-test', 'info', sink) };
};

const until = async (check: () => Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

const NOTICE = `mutation($input: PostNoticeInput!, $key: String) { postNotice(input: $input, idempotencyKey: $key) { id subject } }`;
const REGISTER = `mutation($input: RegisterWebhookInput!, $version: Int) { registerWebhook(input: $input, version: $version) { url version registeredBy organisation { id } } }`;
const STATES = `{ webhookDeliveryStates { organisation { id } registered target pending delivered gaveUp lastDeliveredAt lastFailure lastFailureAt } }`;
const future = () => new Date(Date.now() + 7 * 86_400_000).toISOString();
let keySeq = 0;
const newKey = () => `delivery-test-${process.pid}-${++keySeq}`;

describe.each(backends)('notices delivered, on $label', ({ embedded }) => {
  let issuer: DevIssuer;
  let db: Database;
  let url: string;
  let gql: ReturnType<typeof personaClient>;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    issuer = await DevIssuer.create();
    db = await createTestDatabase('municipality_delivery', { embedded });
    // The issuer is also (wrongly) trusted for an organisation that is no party: the owner's own rules must still refuse it.
    const server = await createMunicipalityServer({ db, trust: issuer.trustConfig(undefined, [...ORGANISATIONS.map((o) => o.id), 'unknown-org']) });
    await seedMunicipality(db, world);
    url = (await server.listen(0)).url;
    gql = personaClient(url, (persona) => issuer.signPersona(persona));
    stop = async () => {
      await server.stop();
      await db.close();
    };
  });
  afterAll(() => stop?.());

  const planned = future();
  const postNotice = async (subject: string, key = newKey()) => {
    const { body } = await gql('police-investigator', 'COORDINATION', NOTICE, {
      input: { subject, summary: 'A statement about the safety walks (test).', areaIds: ['ringparken'], plannedPublicationAt: planned },
      key,
    });
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data.postNotice.id as string;
  };
  const deliveries = (noticeId: string) =>
    db.query<{ organisation_id: string; status: string; attempts: number }>(
      `SELECT d.organisation_id, d.status, d.attempts FROM webhook_deliveries d JOIN notice_events e ON e.seq = d.event_seq
       WHERE e.notice_id = $1 ORDER BY d.organisation_id`,
      [noticeId],
    );
  const clearWebhooks = async () => {
    await db.query('DELETE FROM webhook_deliveries');
    await db.query('DELETE FROM webhooks');
  };
  const register = (persona: string, webhookUrl: string, version?: number, secret = SECRET) =>
    gql(persona, 'COORDINATION', REGISTER, { input: { url: webhookUrl, secret }, ...(version ? { version } : {}) });
  /** One party's delivery state, as the secretariat sees it. */
  const stateOf = async (organisation: string) =>
    (await gql('secretariat-coordinator', 'COORDINATION', STATES)).body.data.webhookDeliveryStates.find((s: any) => s.organisation.id === organisation);
  /** A deliverer runs until `organisation`'s delivery of notice `id` is delivered. */
  const deliverTo = async (organisation: string, id: string, settings: DelivererSettings = fast) => {
    const deliverer = new WebhookDeliverer(db, settings);
    deliverer.start();
    await until(async () => (await deliveries(id)).find((d) => d.organisation_id === organisation)?.status === 'DELIVERED');
    await deliverer.stop();
  };

  describe('registering a webhook', () => {
    it("lets a party's caseworker or coordinator register its own, write-only secret, and refuses what is not http(s)", async () => {
      await clearWebhooks();
      const first = await register('housing-fob-caseworker', 'https://fob.example/partnergraph');
      expect(first.body.errors).toBeUndefined();
      expect(first.body.data.registerWebhook).toMatchObject({ url: 'https://fob.example/partnergraph', version: 1, organisation: { id: 'fob' } });
      expect(first.body.data.registerWebhook.registeredBy).toBe(PERSONAS['housing-fob-caseworker']!.subject);

      // Registering again needs the version read; a stale version is a CONFLICT.
      expect(codes((await register('housing-fob-caseworker', 'https://fob.example/v2')).body)).toEqual(['BAD_USER_INPUT']);
      const replaced = await register('housing-fob-caseworker', 'https://fob.example/v2', 1);
      expect(replaced.body.data.registerWebhook.version).toBe(2);
      expect(codes((await register('housing-fob-caseworker', 'https://fob.example/v3', 1)).body)).toEqual(['CONFLICT']);

      for (const bad of ['ftp://fob.example/x', 'javascript:alert(1)', 'file:///etc/passwd', 'https://user:pw@fob.example/x', 'not a url at all']) {
        const { body } = await register('housing-fob-caseworker', bad, 2);
        expect(codes(body), bad).toEqual(['BAD_USER_INPUT']);
        expect(body.errors![0]!.extensions!['field']).toBe('input.url');
      }
      expect(codes((await register('housing-fob-caseworker', 'https://fob.example/x', 2, 'short')).body)).toEqual(['BAD_USER_INPUT']);

      // The secret cannot be asked for: it is not in the schema.
      expect(codes((await gql('housing-fob-caseworker', 'COORDINATION', '{ webhook { secret } }')).body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      // Each party sees its own webhook only; SAB has none.
      expect((await gql('housing-fob-caseworker', 'STATISTICS', '{ webhook { url } }')).body.data.webhook.url).toBe('https://fob.example/v2');
      expect((await gql('housing-sab-caseworker', 'COORDINATION', '{ webhook { url } }')).body.data.webhook).toBeNull();
    });

    it('refuses analysts, auditors, board members, and any purpose but COORDINATION', async () => {
      for (const [persona, purpose] of [
        ['analyst', 'STATISTICS'],
        ['housing-fob-auditor', 'COORDINATION'],
        ['board-member', 'COORDINATION'],
        ['police-investigator', 'COORDINATION'],
        ['housing-sab-caseworker', 'CRIME_PREVENTION_63D'],
      ] as const) {
        const { body } = await gql(persona, purpose, REGISTER, { input: { url: 'https://x.example/hook', secret: SECRET } });
        expect(codes(body), persona).toEqual(['FORBIDDEN']);
      }
      // FOB's webhook is FOB's: another party's coordinator sees its own (none), not FOB's.
      expect((await gql('secretariat-coordinator', 'COORDINATION', '{ webhook { url } }')).body.data.webhook).toBeNull();
    });
  });

  describe('the outbox', () => {
    it('writes one delivery per other party with a webhook, in the same transaction as the notice', async () => {
      await clearWebhooks();
      expect((await register('housing-fob-caseworker', 'https://fob.example/hook')).body.errors).toBeUndefined();
      expect((await register('housing-sab-caseworker', 'https://sab.example/hook')).body.errors).toBeUndefined();
      expect((await register('secretariat-coordinator', 'https://kc.example/hook')).body.errors).toBeUndefined();
      const before = Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM notice_events'))[0]!.n);

      const key = newKey();
      const id = await postNotice('Outbox notice (test)', key);
      expect((await deliveries(id)).map((d) => d.organisation_id)).toEqual(['fob', 'kompetencecenteret', 'sab']);
      // A retry with the same key changes nothing; a refused notice writes nothing.
      expect(await postNotice('Outbox notice (test)', key)).toBe(id);
      const refused = await gql('police-investigator', 'COORDINATION', NOTICE, {
        input: { subject: 'x', summary: 'too short subject', areaIds: ['ringparken'], plannedPublicationAt: future() },
      });
      expect(codes(refused.body)).toEqual(['BAD_USER_INPUT']);
      expect(Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM notice_events'))[0]!.n)).toBe(before + 1);

      // An acknowledgement goes to the poster and the secretariat (the police have no webhook here).
      const ack = await gql('housing-fob-caseworker', 'COORDINATION', 'mutation($id: ID!) { acknowledgeNotice(id: $id) { id } }', { id });
      expect(ack.body.errors).toBeUndefined();
      const acknowledgements = await db.query<{ organisation_id: string }>(
        `SELECT d.organisation_id FROM webhook_deliveries d JOIN notice_events e ON e.seq = d.event_seq WHERE e.notice_id = $1 AND e.kind = 'NOTICE_ACKNOWLEDGED'`,
        [id],
      );
      expect(acknowledgements.map((d) => d.organisation_id)).toEqual(['kompetencecenteret']);
    });
  });

  describe('the deliverer', () => {
    it('retries a receiver that fails twice, which then gets the notice exactly once, signed, with the same event id', async () => {
      await clearWebhooks();
      const fob = await new Receiver((n) => (n <= 2 ? 503 : 200)).start();
      const sab = await new Receiver(() => 204).start();
      try {
        expect((await register('housing-fob-caseworker', fob.url)).body.errors).toBeUndefined();
        expect((await register('housing-sab-caseworker', sab.url)).body.errors).toBeUndefined();
        const id = await postNotice('Retried notice (test)');
        const deliverer = new WebhookDeliverer(db, fast);
        deliverer.start();
        await until(async () => (await deliveries(id)).every((d) => d.status === 'DELIVERED'));
        // More rounds find nothing due: no request after the success.
        for (let i = 0; i < 3; i++) await deliverer.round();
        await deliverer.stop();

        expect(fob.requests.map((r) => r.answered)).toEqual([503, 503, 200]);
        expect(sab.requests.map((r) => r.answered)).toEqual([204]);
        expect(new Set(fob.requests.map((r) => r.headers[WEBHOOK_HEADERS.eventId])).size).toBe(1);
        expect(fob.requests.map((r) => r.headers[WEBHOOK_HEADERS.attempt])).toEqual(['1', '2', '3']);
        expect(new Set(fob.requests.map((r) => r.body)).size).toBe(1);
        for (const r of fob.requests) {
          const headers = { timestamp: r.headers[WEBHOOK_HEADERS.timestamp] as string, signature: r.headers[WEBHOOK_HEADERS.signature] as string };
          expect(verifyWebhook(SECRET, headers, r.body)).toBe(true);
          expect(verifyWebhook('another-secret-0123456789abcdefghijkl', headers, r.body)).toBe(false);
          expect(verifyWebhook(SECRET, headers, r.body.replace('Retried', 'Forged'))).toBe(false);
        }
        const body = JSON.parse(fob.requests[0]!.body);
        expect(body).toMatchObject({
          type: 'notice.posted',
          recipient: 'fob',
          notice: { id, subject: 'Retried notice (test)', postedBy: { id: 'police' }, areas: [{ id: 'ringparken' }] },
        });
        expect(fob.requests[0]!.headers[WEBHOOK_HEADERS.eventType]).toBe('notice.posted');
        expect((await deliveries(id)).find((d) => d.organisation_id === 'fob')!.attempts).toBe(3);

        const states = (await gql('secretariat-coordinator', 'COORDINATION', STATES)).body;
        expect(states.errors).toBeUndefined();
        const fobState = states.data.webhookDeliveryStates.find((s: any) => s.organisation.id === 'fob');
        expect(fobState).toMatchObject({ registered: true, target: new URL(fob.url).origin, pending: 0, delivered: 1, gaveUp: 0, lastFailure: null });
        expect(states.data.webhookDeliveryStates).toHaveLength(8);
      } finally {
        await fob.stop();
        await sab.stop();
      }
    });

    it('gives up after the retry period and shows the secretariat why; a party sees only its own state', async () => {
      await clearWebhooks();
      const fob = await new Receiver(() => 500).start();
      try {
        expect((await register('housing-fob-caseworker', fob.url)).body.errors).toBeUndefined();
        const id = await postNotice('Given-up notice (test)');
        const deliverer = new WebhookDeliverer(db, { ...fast, retryBaseMs: 100, giveUpAfterMs: 600 });
        deliverer.start();
        await until(async () => (await deliveries(id))[0]?.status === 'GAVE_UP');
        await deliverer.stop();
        expect(fob.requests.length).toBeGreaterThanOrEqual(2);
        const fobState = (await gql('secretariat-coordinator', 'COORDINATION', STATES)).body.data.webhookDeliveryStates.find(
          (s: any) => s.organisation.id === 'fob',
        );
        expect(fobState).toMatchObject({ gaveUp: 1, pending: 0, lastFailure: 'The receiver answered 500.' });
        expect(fobState.lastFailureAt).toMatch(/^\d{4}-/);
        // FOB's caseworker sees FOB's row only; an analyst sees none.
        const own = (await gql('housing-fob-caseworker', 'COORDINATION', STATES)).body.data.webhookDeliveryStates;
        expect(own.map((s: any) => s.organisation.id)).toEqual(['fob']);
        expect((await gql('analyst', 'STATISTICS', STATES)).body.data.webhookDeliveryStates).toEqual([]);
      } finally {
        await fob.stop();
      }
    });

    it('never sends the same attempt from two deliverers', async () => {
      await clearWebhooks();
      const fob = await new Receiver(() => 200).start();
      try {
        expect((await register('housing-fob-caseworker', fob.url)).body.errors).toBeUndefined();
        const ids: string[] = [];
        for (let i = 0; i < 12; i++) ids.push(await postNotice(`Busy notice ${i} (test)`));
        const a = new WebhookDeliverer(db, { ...fast, batchSize: 3 });
        const b = new WebhookDeliverer(db, { ...fast, batchSize: 3 });
        a.start();
        b.start();
        await until(async () => Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'DELIVERED'`))[0]!.n) === 12);
        await Promise.all([a.stop(), b.stop()]);
        const eventIds = fob.requests.map((r) => r.headers[WEBHOOK_HEADERS.eventId]);
        expect(eventIds).toHaveLength(12);
        expect(new Set(eventIds).size).toBe(12);
      } finally {
        await fob.stop();
      }
    });
  });

  describe('secrets at rest', () => {
    const secretOf = async (organisation: string) =>
      (await db.query<{ secret: string }>('SELECT secret FROM webhooks WHERE organisation_id = $1', [organisation]))[0]!.secret;
    const keyIdOf = (stored: string) => stored.split('.')[1];
    const signedWith = (secret: string, r: Received) =>
      verifyWebhook(secret, { timestamp: r.headers[WEBHOOK_HEADERS.timestamp] as string, signature: r.headers[WEBHOOK_HEADERS.signature] as string }, r.body);
    const old = webhookKey('the-key-before-the-rotation-0123456789abcdef');

    /** A clean slate with FOB's receiver registered as FOB's webhook, stopped afterwards. */
    const withFobReceiver = async (test: (fob: Receiver) => Promise<void>) => {
      await clearWebhooks();
      const fob = await new Receiver(() => 204).start();
      try {
        expect((await register('housing-fob-caseworker', fob.url)).body.errors).toBeUndefined();
        await test(fob);
      } finally {
        await fob.stop();
      }
    };

    it('stores the secret encrypted (nowhere in the database in plain text), and the deliverer signs with the secret itself', async () => {
      await withFobReceiver(async (fob) => {
        const stored = await secretOf('fob');
        expect(stored).toMatch(/^pgws1\.[0-9a-f]{8}\./);
        expect(stored).not.toContain(SECRET.slice(0, 12));
        // Not in any row of any table either (the audit log, the idempotency keys, …).
        const tables = await db.query<{ name: string }>(
          `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
        );
        for (const { name } of tables) {
          const [hit] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}" t WHERE t::text LIKE $1`, [`%${SECRET.slice(0, 12)}%`]);
          expect(hit!.n, name).toBe(0);
        }
        await deliverTo('fob', await postNotice('Sealed secret (test)'));
        expect(fob.requests).toHaveLength(1);
        expect(signedWith(SECRET, fob.requests[0]!)).toBe(true);
      });
    });

    it('delivers a row sealed under the previous key, and seals it under the current key on the next registration', async () => {
      const ROTATED = 'rotated-receiver-secret-0123456789abcdefgh';
      await withFobReceiver(async (fob) => {
        // As the row stood before the rotation: sealed under the old key.
        await db.query('UPDATE webhooks SET secret = $2 WHERE organisation_id = $1', ['fob', sealWebhookSecret({ current: old }, 'fob', ROTATED)]);
        const id = await postNotice('Rotated key (test)');

        // Without the previous key the row cannot be opened: a failed attempt, with a reason the secretariat can act on.
        const forgetful = new WebhookDeliverer(db, fast);
        expect(await forgetful.round()).toBe(1);
        expect(fob.requests).toHaveLength(0);
        expect(await stateOf('fob')).toMatchObject({ pending: 1, lastFailure: DELIVERY_FAILURES.unreadableSecret });
        await db.query('UPDATE webhook_deliveries SET next_attempt_at = now()');

        await deliverTo('fob', id, { ...fast, keys: { current: webhookKeys().current, previous: old } });
        expect(fob.requests).toHaveLength(1);
        expect(signedWith(ROTATED, fob.requests[0]!)).toBe(true);

        expect(keyIdOf(await secretOf('fob'))).toBe(old.id);
        expect((await register('housing-fob-caseworker', fob.url, 1, ROTATED)).body.errors).toBeUndefined();
        const resealed = await secretOf('fob');
        expect(keyIdOf(resealed)).toBe(webhookKeys().current.id);
        expect(resealed).not.toContain(ROTATED.slice(0, 12));
      });
    });

    it('reads a plain-text row from before, and seals plain-text and previous-key rows in place at start', async () => {
      const SAB_SECRET = 'sab-secret-from-before-the-rotation-0123456';
      await withFobReceiver(async (fob) => {
        expect((await register('housing-sab-caseworker', 'https://sab.example/hook', undefined, SAB_SECRET)).body.errors).toBeUndefined();
        await db.query('UPDATE webhooks SET secret = $2 WHERE organisation_id = $1', ['fob', SECRET]);
        await db.query('UPDATE webhooks SET secret = $2 WHERE organisation_id = $1', ['sab', sealWebhookSecret({ current: old }, 'sab', SAB_SECRET)]);
        await db.query(`INSERT INTO webhooks (organisation_id, url, secret, registered_by) VALUES ('bolig-korsor', 'https://bk.example/hook', $1, 'x')`, [
          sealWebhookSecret({ current: webhookKey('a-key-nobody-has-any-longer-0123456789abc') }, 'bolig-korsor', 'lost-secret-0123456789abcdefghijklmnop'),
        ]);

        await deliverTo('fob', await postNotice('Plain-text row (test)'));
        expect(signedWith(SECRET, fob.requests[0]!)).toBe(true);

        const keys = { current: webhookKeys().current, previous: old };
        expect(await sealStoredWebhookSecrets(db, keys)).toEqual({ sealed: 2, unreadable: 1 });
        expect(await sealStoredWebhookSecrets(db, keys)).toEqual({ sealed: 0, unreadable: 1 });
        for (const organisation of ['fob', 'sab']) {
          const stored = await secretOf(organisation);
          expect(keyIdOf(stored), organisation).toBe(webhookKeys().current.id);
          expect(stored).not.toContain(SECRET.slice(0, 12));
          expect(stored).not.toContain(SAB_SECRET.slice(0, 12));
        }

        await deliverTo('fob', await postNotice('After sealing (test)'));
        expect(signedWith(SECRET, fob.requests.at(-1)!)).toBe(true);
      });
    });

    it('fails closed on a value with the sealed prefix that does not parse: never sent with it, never sealed as plain text', async () => {
      await withFobReceiver(async (fob) => {
        const broken = `${sealWebhookSecret(webhookKeys(), 'fob', SECRET).slice(0, 40)}`;
        await db.query('UPDATE webhooks SET secret = $2 WHERE organisation_id = $1', ['fob', broken]);
        const { lines, logger } = capturedLog();
        await postNotice('Broken sealed secret (test)');
        expect(await new WebhookDeliverer(db, { ...fast, retryBaseMs: 60_000 }, logger).round()).toBe(1);
        expect(fob.requests).toHaveLength(0);
        expect(await stateOf('fob')).toMatchObject({ pending: 1, lastFailure: DELIVERY_FAILURES.unreadableSecret });
        expect(lines.find((l) => l['organisation'] === 'fob')).toMatchObject({ msg: 'webhook secret not readable with the configured keys' });
        expect(JSON.stringify(lines)).not.toContain(broken);
        expect(await sealStoredWebhookSecrets(db, webhookKeys())).toEqual({ sealed: 0, unreadable: 1 });
        expect(await secretOf('fob')).toBe(broken);
      });
    });
  });

  describe('webhook targets, resolved once per attempt', () => {
    /** A resolver from a table, counting its questions: no real DNS in the test. */
    const resolver = (answers: Record<string, (call: number) => string[]>) => {
      const calls: string[] = [];
      const lookup = async (hostname: string): Promise<ResolvedAddress[]> => {
        calls.push(hostname);
        const answer = answers[hostname];
        if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
        return answer(calls.filter((h) => h === hostname).length).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
      };
      return { calls, lookup };
    };
    const on = (receiver: Receiver, host: string) => {
      const u = new URL(receiver.url);
      u.hostname = host;
      return u.href;
    };

    it('connects to the address it checked, and refuses a name that resolves to a private, loopback or link-local address', async () => {
      await clearWebhooks();
      const fob = await new Receiver(() => 204).start();
      const sab = await new Receiver(() => 204).start();
      const kc = await new Receiver(() => 204).start();
      const { calls, lookup } = resolver({
        // Allowed at the check, then "rebound" to an address nothing listens on: only a second resolution would go there.
        'fob.partner.test': (n) => (n === 1 ? ['127.0.0.1'] : ['10.9.9.9']),
        // One refused address among allowed ones refuses the name.
        'sab.partner.test': () => ['127.0.0.1', '10.0.0.7'],
        // The cloud metadata address, IPv4-mapped.
        'kc.partner.test': () => ['::ffff:169.254.169.254'],
      });
      try {
        expect((await register('housing-fob-caseworker', on(fob, 'fob.partner.test'))).body.errors).toBeUndefined();
        expect((await register('housing-sab-caseworker', on(sab, 'sab.partner.test'))).body.errors).toBeUndefined();
        expect((await register('secretariat-coordinator', on(kc, 'kc.partner.test'))).body.errors).toBeUndefined();
        const id = await postNotice('Pinned target (test)');
        const deliverer = new WebhookDeliverer(db, { ...fast, lookup, retryBaseMs: 60_000 });
        expect(await deliverer.round()).toBe(3);

        expect(fob.requests).toHaveLength(1);
        // The name stays the request's Host; the connection went to the checked address.
        expect(fob.requests[0]!.headers.host).toBe(`fob.partner.test:${new URL(fob.url).port}`);
        expect(sab.requests).toHaveLength(0);
        expect(kc.requests).toHaveLength(0);
        expect(calls.sort()).toEqual(['fob.partner.test', 'kc.partner.test', 'sab.partner.test']);

        const rows = await deliveries(id);
        expect(rows.map((d) => [d.organisation_id, d.status, d.attempts])).toEqual([
          ['fob', 'DELIVERED', 1],
          ['kompetencecenteret', 'PENDING', 1],
          ['sab', 'PENDING', 1],
        ]);
        // A failed attempt (retried later) with a reason that names no address.
        for (const organisation of ['sab', 'kompetencecenteret']) {
          const state = await stateOf(organisation);
          expect(state, organisation).toMatchObject({ pending: 1, lastFailure: DELIVERY_FAILURES.refusedTarget });
          expect(state.lastFailure).not.toMatch(/10\.0\.0\.7|169\.254/);
        }
      } finally {
        await Promise.all([fob.stop(), sab.stop(), kc.stop()]);
      }
    });

    it("refuses an IP address in the URL that is not allowed; a name that does not resolve reads the same to the party as an internal one, the log tells them apart", async () => {
      await clearWebhooks();
      // As a partner probing which internal names exist would register them: one resolves (to an internal address), one does not.
      const { lookup } = resolver({ 'postgres.partner.test': () => ['10.0.0.5'] });
      expect((await register('housing-fob-caseworker', 'http://169.254.169.254/latest/meta-data')).body.errors).toBeUndefined();
      expect((await register('housing-sab-caseworker', 'http://[::1]:9/hook')).body.errors).toBeUndefined();
      expect((await register('secretariat-coordinator', 'https://nowhere.partner.test/hook')).body.errors).toBeUndefined();
      expect((await register('housing-bk-caseworker', 'http://postgres.partner.test/')).body.errors).toBeUndefined();
      await postNotice('Refused addresses (test)');
      const { lines, logger } = capturedLog();
      const deliverer = new WebhookDeliverer(db, { ...fast, lookup, retryBaseMs: 60_000 }, logger);
      expect(await deliverer.round()).toBe(4);
      const failures = new Map<string, unknown>();
      for (const organisation of ['fob', 'sab', 'kompetencecenteret', 'bolig-korsor']) {
        const state = await stateOf(organisation);
        expect(state, organisation).toMatchObject({ pending: 1 });
        failures.set(organisation, state.lastFailure);
      }
      expect(new Set(failures.values())).toEqual(new Set([DELIVERY_FAILURES.refusedTarget]));
      // The operator's log keeps what happened: which name did not resolve, which resolved to what.
      const said = (organisation: string) => lines.find((l) => l['organisation'] === organisation);
      expect(said('kompetencecenteret')).toMatchObject({ msg: 'webhook target host not resolved', host: 'nowhere.partner.test', code: 'ENOTFOUND' });
      expect(said('bolig-korsor')).toMatchObject({ msg: 'webhook target address refused', host: 'postgres.partner.test', refused: ['10.0.0.5'] });
    });

    it('does not follow a redirect: it is a failed attempt', async () => {
      await clearWebhooks();
      const elsewhere = await new Receiver(() => 200).start();
      const fob = await new Receiver(() => 302, { location: elsewhere.url }).start();
      try {
        expect((await register('housing-fob-caseworker', fob.url)).body.errors).toBeUndefined();
        await postNotice('Redirected (test)');
        const deliverer = new WebhookDeliverer(db, { ...fast, retryBaseMs: 60_000 });
        expect(await deliverer.round()).toBe(1);
        expect(fob.requests).toHaveLength(1);
        expect(elsewhere.requests).toHaveLength(0);
        expect(await stateOf('fob')).toMatchObject({ pending: 1, delivered: 0, lastFailure: 'The receiver answered 302.' });
      } finally {
        await Promise.all([fob.stop(), elsewhere.stop()]);
      }
    });
  });

  describe('live notices at the owner (server-sent events)', () => {
    const stream = () => url.replace(/\/graphql$/, '/graphql/stream');
    const headers = async (persona: string, purpose = 'COORDINATION') => ({ authorization: `Bearer ${await issuer.signPersona(persona)}`, 'x-purpose': purpose });

    it("answers each event with each subscriber's own selection, under the owner's rules", async () => {
      const fob = subscribeOverEventStream(stream(), await headers('housing-fob-caseworker'), { query: 'subscription { noticePosted { id subject postedBy { id } } }' });
      const police = subscribeOverEventStream(stream(), await headers('police-investigator', 'STATISTICS'), {
        query: 'subscription { noticePosted { id summary areas { id } } }',
      });
      try {
        await Promise.all([fob.connected, police.connected]);
        const id = await postNotice('Live notice (test)');
        const [fromFob] = await fob.received(1);
        const [fromPolice] = await police.received(1);
        expect(fromFob).toEqual({ data: { noticePosted: { id, subject: 'Live notice (test)', postedBy: { id: 'police' } } } });
        expect(fromPolice).toEqual({ data: { noticePosted: { id, summary: 'A statement about the safety walks (test).', areas: [{ id: 'ringparken' }] } } });
      } finally {
        fob.close();
        police.close();
      }
    });

    it('refuses a stream without a valid token, with a purpose the principal may not use, or for a query', async () => {
      const noToken = subscribeOverEventStream(stream(), { 'x-purpose': 'COORDINATION' }, { query: 'subscription { noticePosted { id } }' });
      await expect(noToken.connected).rejects.toThrow(/401|Unauthorized|valid bearer token/i);
      const wrongPurpose = subscribeOverEventStream(stream(), await headers('board-member', 'SSP_115'), { query: 'subscription { noticePosted { id } }' });
      await expect(wrongPurpose.connected).rejects.toThrow(/400|PURPOSE_NOT_ALLOWED|may not use/i);
      const query = subscribeOverEventStream(stream(), await headers('board-member'), { query: '{ notices(first: 1) { nodes { id } } }' });
      await expect(query.connected).rejects.toThrow(/Only subscriptions/);
      // An unknown organisation is no partner: the root field's rule refuses it.
      const stranger = await issuer.sign({ subject: 'stranger', organisation: 'unknown-org', roles: ['caseworker'], purposes: ['COORDINATION'], areas: [] });
      const refused = subscribeOverEventStream(stream(), { authorization: `Bearer ${stranger}`, 'x-purpose': 'COORDINATION' }, { query: 'subscription { noticePosted { id } }' });
      await expect(refused.connected).rejects.toThrow(/403|FORBIDDEN|Not permitted/i);
      for (const s of [noToken, wrongPurpose, query, refused]) s.close();
    });

    it('ends the stream when the token expires, instead of answering with it', async () => {
      // Expired 28 s ago: still within the 30 s clock tolerance for about two seconds.
      const token = await issuer.signPersona('housing-sab-caseworker', { issuedAt: Math.floor(Date.now() / 1000) - 3600, expiresInSeconds: 3600 - 28 });
      const sab = subscribeOverEventStream(stream(), { authorization: `Bearer ${token}`, 'x-purpose': 'COORDINATION' }, { query: 'subscription { noticePosted { id } }' });
      try {
        await sab.connected;
        await new Promise((r) => setTimeout(r, 3_000));
        await postNotice('After expiry (test)');
        const [result] = await sab.received(1);
        expect(codes(result as Body)).toEqual(['UNAUTHENTICATED']);
        expect(result!.data ?? null).toBeNull();
        await sab.completed;
      } finally {
        sab.close();
      }
    });
  });
});

const POSTGRES = process.env['TEST_DATABASE_URL'];
const deliverWebhooks = fileURLToPath(new URL('../dist/deliverWebhooks.js', import.meta.url));

/** A deliverer is its own process here (the built one, as deployed); killing it mid-delivery loses nothing. */
describe.skipIf(!POSTGRES)('a deliverer killed mid-delivery', () => {
  let db: Database & { url?: string };
  let issuer: DevIssuer;
  let stop: () => Promise<void>;
  let gql: ReturnType<typeof personaClient>;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    issuer = await DevIssuer.create();
    db = await createTestDatabase('municipality_deliverer_killed');
    const server = await createMunicipalityServer({ db, trust: issuer.trustConfig() });
    await seedMunicipality(db, world);
    const url = (await server.listen(0)).url;
    gql = personaClient(url, (persona) => issuer.signPersona(persona));
    stop = async () => {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      await server.stop();
      await db.close();
    };
  });
  afterAll(() => stop?.());

  const startDeliverer = () => {
    const child = spawn(process.execPath, [deliverWebhooks], {
      env: {
        ...process.env,
        MUNICIPALITY_DATABASE_URL: db.url!,
        WEBHOOK_POLL_MS: '100',
        WEBHOOK_TIMEOUT_MS: '1000',
        WEBHOOK_LEASE_MS: '2000',
        WEBHOOK_RETRY_BASE_MS: '100',
        WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1',
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    children.push(child);
    return child;
  };

  it('resumes from the outbox: the receiver gets the notice after the lease, with the same event id', async () => {
    const receiver = await new Receiver((n) => (n === 1 ? 'hang' : 200)).start();
    try {
      const registered = await gql('housing-fob-caseworker', 'COORDINATION', REGISTER, { input: { url: receiver.url, secret: SECRET } });
      expect(registered.body.errors).toBeUndefined();
      const posted = await gql('police-investigator', 'COORDINATION', NOTICE, {
        input: { subject: 'Resumed notice (test)', summary: 'Delivered after a lost deliverer (test).', areaIds: ['sydbyen'], plannedPublicationAt: future() },
      });
      expect(posted.body.errors).toBeUndefined();

      const first = startDeliverer();
      await receiver.arrived(1);
      first.kill('SIGKILL');
      await new Promise((resolve) => first.once('exit', resolve));
      const [claimed] = await db.query<{ status: string; attempts: number }>('SELECT status, attempts FROM webhook_deliveries');
      expect(claimed).toEqual({ status: 'PENDING', attempts: 1 });

      startDeliverer();
      await receiver.arrived(2, 15_000);
      await until(async () => (await db.query<{ status: string }>('SELECT status FROM webhook_deliveries'))[0]!.status === 'DELIVERED');
      const [done] = await db.query<{ status: string; attempts: number }>('SELECT status, attempts FROM webhook_deliveries');
      expect(done).toEqual({ status: 'DELIVERED', attempts: 2 });
      expect(receiver.requests.map((r) => r.headers[WEBHOOK_HEADERS.attempt])).toEqual(['1', '2']);
      expect(receiver.requests[0]!.headers[WEBHOOK_HEADERS.eventId]).toBe(receiver.requests[1]!.headers[WEBHOOK_HEADERS.eventId]);
      expect(receiver.requests[1]!.answered).toBe(200);
    } finally {
      await receiver.stop();
    }
  }, 60_000);
});
