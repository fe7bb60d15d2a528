import { randomUUID } from 'node:crypto';
import { NoticePostedLiveDocument, PostNoticeDocument } from '@partnergraph/operations';
import { subscribeOverEventStream } from '@partnergraph/subgraph-kit/testing';
import { eventsChannel, RedisEventRelay } from '@partnergraph/municipality';
import { print } from 'graphql';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '@partnergraph/gateway';
import { startSystem, type System } from './support/system.js';

/**
 * Live notices at the gateway (issue 12 §2): GraphQL subscriptions over
 * server-sent events at /graphql/stream. Each event is answered with each
 * subscriber's own selection under each subscriber's token and purpose;
 * with two gateway processes every subscriber gets every event once — events
 * from the owner's own stream by default, through Redis where configured.
 */
const REDIS = process.env['TEST_REDIS_URL'];
const streamOf = (graphqlUrl: string) => `${graphqlUrl}/stream`;
const planned = () => new Date(Date.now() + 5 * 86_400_000).toISOString();
type Result = { data?: any; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
const codes = (r: Result) => (r.errors ?? []).map((e) => e.extensions?.['code']);

async function headers(system: System, persona: string, purpose: string) {
  return { authorization: `Bearer ${await system.issuer.signPersona(persona)}`, 'x-purpose': purpose };
}

async function postNotice(system: System, subject: string): Promise<string> {
  const posted = await system.run('police-investigator', 'COORDINATION', PostNoticeDocument, {
    input: { subject, summary: 'Results of the autumn safety walks (test).', areaIds: ['ringparken'], plannedPublicationAt: planned() },
  });
  expect(posted.body.errors).toBeUndefined();
  return posted.body.data!.postNotice!.id;
}

/** Two subscribers of different organisations on two gateway processes: each gets its own selection, once. */
async function twoSubscribersOnTwoGateways(system: System, second: string) {
  const fob = subscribeOverEventStream(streamOf(system.gatewayUrl), await headers(system, 'housing-fob-caseworker', 'COORDINATION'), {
    query: 'subscription { noticePosted { id subject postedBy { id name } } }',
  });
  const municipality = subscribeOverEventStream(streamOf(second), await headers(system, 'municipality-caseworker', 'STATISTICS'), {
    query: 'subscription Watch { notice: noticePosted { summary areas { id name } missingAcknowledgements { id } } }',
    operationName: 'Watch',
  });
  try {
    await Promise.all([fob.connected, municipality.connected]);
    const subject = `Live through the gateway ${randomUUID()}`;
    const id = await postNotice(system, subject);
    const [forFob] = await fob.received(1);
    const [forMunicipality] = await municipality.received(1);
    expect(forFob).toEqual({ data: { noticePosted: { id, subject, postedBy: { id: 'police', name: 'Sydsjællands og Lolland-Falsters Politi' } } } });
    expect(forMunicipality!.errors).toBeUndefined();
    expect(forMunicipality!.data.notice).toMatchObject({
      summary: 'Results of the autumn safety walks (test).',
      areas: [{ id: 'ringparken', name: 'Ringparken / Schackenborg Vænge' }],
    });
    expect(forMunicipality!.data.notice.missingAcknowledgements).toHaveLength(7);
    // Once each: nothing more arrives.
    await new Promise((r) => setTimeout(r, 1500));
    expect(fob.results).toHaveLength(1);
    expect(municipality.results).toHaveLength(1);
  } finally {
    fob.close();
    municipality.close();
  }
}

describe('subscriptions at the gateway, events from the owner\'s stream', () => {
  let system: System;
  let second: string;
  beforeAll(async () => {
    system = await startSystem();
    second = (await system.extraGateway({ responseCache: false })).url;
  });
  afterAll(() => system?.stop());

  it('delivers each event to two subscribers of different organisations on two gateway processes, each with its own selection, once', async () => {
    await twoSubscribersOnTwoGateways(system, second);
  });

  it('answers acknowledgements too, with the acknowledgements as the subscriber may see them', async () => {
    const police = subscribeOverEventStream(streamOf(system.gatewayUrl), await headers(system, 'police-investigator', 'COORDINATION'), {
      query: 'subscription { noticeAcknowledged { id acknowledgements { organisation { id } } } }',
    });
    try {
      await police.connected;
      const id = await postNotice(system, `To acknowledge ${randomUUID()}`);
      const ack = await system.gql('housing-sab-caseworker', 'COORDINATION', 'mutation($id: ID!) { acknowledgeNotice(id: $id) { id } }', { id });
      expect(ack.body.errors).toBeUndefined();
      const [event] = await police.received(1);
      expect(event).toEqual({ data: { noticeAcknowledged: { id, acknowledgements: [{ organisation: { id: 'sab' } }] } } });
    } finally {
      police.close();
    }
  });

  it('admits a subscription only as it admits a query: token, purpose, valid operation, subscriptions only', async () => {
    const url = streamOf(system.gatewayUrl);
    const query = 'subscription { noticePosted { id } }';
    const noToken = subscribeOverEventStream(url, { 'x-purpose': 'COORDINATION' }, { query });
    await expect(noToken.connected).rejects.toThrow(/^401: .*UNAUTHENTICATED/);
    const wrongPurpose = subscribeOverEventStream(url, await headers(system, 'board-member', 'SSP_115'), { query });
    await expect(wrongPurpose.connected).rejects.toThrow(/^400: .*PURPOSE_NOT_ALLOWED/);
    const invalid = subscribeOverEventStream(url, await headers(system, 'board-member', 'COORDINATION'), { query: 'subscription { noticePosted { secretField } }' });
    await expect(invalid.connected).rejects.toThrow(/^400: .*GRAPHQL_VALIDATION_FAILED/);
    const aQuery = subscribeOverEventStream(url, await headers(system, 'board-member', 'COORDINATION'), { query: '{ areas { id } }' });
    await expect(aQuery.connected).rejects.toThrow(/^400: .*Only subscriptions/);
    for (const s of [noToken, wrongPurpose, invalid, aQuery]) s.close();
    // And a subscription sent to /graphql is pointed to the stream.
    const misplaced = await system.gql('board-member', 'COORDINATION', query);
    expect(misplaced.status).toBe(400);
    expect(misplaced.body.errors![0]!.message).toMatch(/graphql\/stream/);
  });

  it('refuses a subscriber no trusted issuer may vouch for, and never answers with what it may not see', async () => {
    // An organisation that is no party: no issuer is bound to it, so the gateway refuses the token before any owner
    // is asked (the owner's own refusal of a non-party is tested at the municipality subgraph).
    const stranger = await system.issuer.sign({ subject: 'stranger', organisation: 'unknown-org', roles: ['caseworker'], purposes: ['COORDINATION'], areas: [] });
    const refused = subscribeOverEventStream(streamOf(system.gatewayUrl), { authorization: `Bearer ${stranger}`, 'x-purpose': 'COORDINATION' }, { query: 'subscription { noticePosted { id } }' });
    await expect(refused.connected).rejects.toThrow(/^401: .*UNAUTHENTICATED/);
    refused.close();
  });

  it('under the safelist, admits registered subscriptions by hash only', async () => {
    const safelisted = await system.extraGateway({ safelist: true });
    const url = streamOf(safelisted.url);
    const adHoc = subscribeOverEventStream(url, await headers(system, 'board-member', 'COORDINATION'), { query: 'subscription { noticePosted { id } }' });
    await expect(adHoc.connected).rejects.toThrow(/^403: .*OPERATION_NOT_REGISTERED/);
    adHoc.close();
    const text = print(NoticePostedLiveDocument);
    const registered = subscribeOverEventStream(url, await headers(system, 'board-member', 'COORDINATION'), {
      query: '',
      operationName: 'NoticePostedLive',
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256(text) } },
    });
    try {
      await registered.connected;
      const id = await postNotice(system, `Registered live ${randomUUID()}`);
      const [event] = await registered.received(1);
      expect(event!.data.noticePosted).toMatchObject({ id, postedBy: { id: 'police' } });
    } finally {
      registered.close();
    }
  });
});

describe.skipIf(!REDIS)('subscriptions at the gateway, events through Redis', () => {
  let system: System;
  let second: string;
  let relay: RedisEventRelay;
  const prefix = `subs-${randomUUID()}:`;
  beforeAll(async () => {
    system = await startSystem({ gateway: { redisUrl: REDIS, redisPrefix: prefix } });
    second = (await system.extraGateway({ redisUrl: REDIS, redisPrefix: prefix, responseCache: false })).url;
    relay = new RedisEventRelay(system.owners['municipality']!.db, new Redis(REDIS!, { maxRetriesPerRequest: 1 }), eventsChannel(prefix), undefined, 100);
    relay.start();
  });
  afterAll(async () => {
    await relay?.stop();
    await system?.stop();
  });

  it('delivers each event to two subscribers of different organisations on two gateway processes, each with its own selection, once', async () => {
    await twoSubscribersOnTwoGateways(system, second);
  });

  it('relays each event once, also from two relays on the same database', async () => {
    const other = new RedisEventRelay(system.owners['municipality']!.db, new Redis(REDIS!, { maxRetriesPerRequest: 1 }), eventsChannel(prefix), undefined, 100);
    other.start();
    const listener = new Redis(REDIS!);
    const messages: string[] = [];
    listener.on('message', (_channel: string, text: string) => messages.push(text));
    await listener.subscribe(eventsChannel(prefix));
    try {
      const ids = [await postNotice(system, `Relayed A ${randomUUID()}`), await postNotice(system, `Relayed B ${randomUUID()}`)];
      const deadline = Date.now() + 10_000;
      while (messages.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 500));
      const keys = messages.map((m) => (JSON.parse(m) as { key: { id: string } }).key.id);
      expect(keys.sort()).toEqual([...ids].sort());
    } finally {
      await other.stop();
      listener.disconnect();
    }
  });
});
