import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  AdvanceTerminationCaseDocument,
  CaseworkerInboxDocument,
  RecordCriminalDecisionDocument,
  ReferDecisionDocument,
} from '@partnergraph/operations';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, openBrowser, screenshot, type Person } from './support/browser.js';
import { launchOnFreePorts, stopWithCtrlC } from './support/launcher.js';

/**
 * The app as people use it (issue 12 §3): the system as `npm start` runs it,
 * Debian's Chromium driven by playwright-core. A board member sees the four
 * areas with their goals and a chart; FOB's caseworker opens a termination
 * case from a referral (and meets a CONFLICT as a person would); a notice the
 * police post appears in another partner's open app without a reload. Every
 * page: no console error, no failed request, no serious accessibility
 * violation (axe-core). Screenshots in test-results/app/.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'partnergraph-app-'));
let launcher: Awaited<ReturnType<typeof launchOnFreePorts>>['launcher'];
let base: string;
const people: Person[] = [];

beforeAll(async () => {
  // The webhook test's receiver listens on this machine, an address webhooks may reach only when allowed explicitly.
  ({ launcher, base } = await launchOnFreePorts(dataDir, { WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1' }));
}, 180_000);

afterAll(async () => {
  for (const person of people) await person.close().catch(() => undefined);
  if (launcher) await stopWithCtrlC(launcher.child);
  rmSync(dataDir, { recursive: true, force: true });
});

/** A development token, as the app's persona picker gets one. */
async function token(persona: string): Promise<string> {
  const res = await fetch(`${base}/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ persona }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

/** One request through the gateway, as the walkthrough sends them. */
async function gql<R, V>(persona: string, purpose: string, document: TypedDocumentNode<R, V> | string, variables?: V): Promise<{ data?: R; errors?: Array<{ extensions?: { code?: string } }> }> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(persona)}`, 'x-purpose': purpose },
    body: JSON.stringify({ query: typeof document === 'string' ? document : print(document), variables }),
  });
  return (await res.json()) as never;
}

async function signIn(persona: string): Promise<Person> {
  const person = await openBrowser();
  people.push(person);
  await person.page.goto(`${base}/`);
  await expect(person.page.getByRole('heading', { level: 1, name: 'Log ind' }).isVisible()).resolves.toBe(true);
  await person.page.getByLabel('Bruger', { exact: true }).selectOption(persona);
  await person.page.getByRole('button', { name: 'Log ind' }).first().click();
  await person.page.getByRole('navigation', { name: 'Hovedmenu' }).waitFor();
  return person;
}

/** Nothing went wrong on the page, and nothing serious for accessibility. */
async function expectClean(person: Person, name: string): Promise<void> {
  await screenshot(person.page, name);
  expect(await accessibilityViolations(person.page), `${name}: accessibility`).toEqual([]);
  expect(person.problems, `${name}: console and network`).toEqual([]);
}

describe('the app, against npm start', () => {
  it('lets a board member sign in and see the four areas with their goals and a safety-index chart', async () => {
    const board = await signIn('board-member');
    const page = board.page;
    await page.getByRole('heading', { level: 1, name: 'Overblik for bestyrelsen' }).waitFor();
    const areas = page.locator('article.area-card');
    await areas.nth(3).waitFor();
    expect(await areas.count()).toBe(4);
    expect(await page.getByRole('heading', { level: 2 }).allInnerTexts()).toEqual(
      expect.arrayContaining(['Motalavej', 'Ringparken / Schackenborg Vænge', 'Sydbyen', 'Parkvej / Præstevangen']),
    );
    for (let i = 0; i < 4; i++) {
      const area = areas.nth(i);
      expect(await area.locator('.goal-list li').count()).toBeGreaterThanOrEqual(2);
      expect(await area.locator('.status').first().innerText()).toMatch(/Opfyldt|Ikke opfyldt|Ingen data/);
      // The chart, with a text alternative and its figures as a table.
      const chart = area.getByRole('img', { name: /Tryghedsindeks for .*2013/ });
      expect(await chart.count()).toBe(1);
      expect(await area.locator('details table tbody tr').count()).toBeGreaterThanOrEqual(7);
    }
    await expect(areas.first().getByText('Henvist af politiet').isVisible()).resolves.toBe(true);
    await expectClean(board, 'board-overview');

    // The English switch, and back.
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Board overview' }).waitFor();
    await screenshot(page, 'board-overview-en');
    await page.getByRole('button', { name: 'Skift til dansk' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overblik for bestyrelsen' }).waitFor();
  }, 120_000);

  it("lets FOB's caseworker open a termination case from a referral, and shows a CONFLICT as a person would want it", async () => {
    // The police refer a decision about a current FOB tenant in Ringparken.
    const found = await gql<{ tenancies: { nodes: Array<{ tenant: { id: string } }> } }, Record<string, never>>(
      'housing-fob-caseworker',
      'CRIME_PREVENTION_63D',
      '{ tenancies(first: 1, filter: { areaId: "ringparken", current: true }) { nodes { tenant { id } } } }',
    );
    const personId = found.data!.tenancies.nodes[0]!.tenant.id;
    const decidedOn = new Date(Date.now() - 45 * 86_400_000).toISOString().slice(0, 10);
    const recorded = await gql('police-investigator', 'TERMINATION_90_10', RecordCriminalDecisionDocument, {
      input: {
        personId,
        personBirthDate: '1988-02-11',
        decidedOn,
        offenceCategory: 'THREATS',
        decisionType: 'UNCONDITIONAL_IMPRISONMENT',
        sentenceDays: 60,
        withinOrAffectingArea: true,
        areaId: 'ringparken',
        caseNumber: '0300-70001-09999-26',
        court: 'Retten i Næstved',
        offenceDescription: 'Threats against a caretaker (synthetic)',
      },
    });
    expect(recorded.errors).toBeUndefined();
    const referred = await gql('police-investigator', 'TERMINATION_90_10', ReferDecisionDocument, {
      input: { decisionId: recorded.data!.recordCriminalDecision!.id, housingCompanyId: 'fob', purpose: 'TERMINATION_90_10' },
    });
    expect(referred.errors).toBeUndefined();
    const referralId = referred.data!.referDecision!.id;

    const fob = await signIn('housing-fob-caseworker');
    const page = fob.page;
    await page.getByRole('link', { name: 'Indbakke' }).click();
    await page.getByRole('heading', { level: 1, name: 'Indbakke: henvisninger fra politiet' }).waitFor();
    await page.getByLabel('Formål', { exact: true }).selectOption('TERMINATION_90_10');
    const row = page.locator('tbody tr', { hasText: personId }).filter({ hasText: 'Ingen sag' }).filter({ hasText: 'Trusler' }).first();
    await row.waitFor();
    await screenshot(page, 'inbox');
    await row.getByRole('button', { name: /Åbn henvisning/ }).click();
    // Focus moves to the referral's heading.
    await page.waitForFunction(() => document.activeElement?.tagName === 'H2' && /Henvisning af/.test(document.activeElement.textContent ?? ''));
    await page.getByRole('button', { name: 'Åbn opsigelsessag' }).click();
    await page.getByText('Opsigelsessagen er åbnet.').waitFor();
    await page.getByText('Under vurdering', { exact: true }).first().waitFor();
    await expectClean(fob, 'inbox-case-opened');

    // Someone else moves the case on meanwhile; this caseworker's choice meets a CONFLICT.
    const inbox = await gql('housing-fob-caseworker', 'TERMINATION_90_10', CaseworkerInboxDocument, { first: 100 });
    const kase = inbox.data!.referrals!.nodes.find((r) => r.id === referralId)!.terminationCase!;
    const moved = await gql('housing-fob-caseworker', 'TERMINATION_90_10', AdvanceTerminationCaseDocument, { id: kase.id, version: kase.version!, status: 'NOTICE_SERVED' });
    expect(moved.errors).toBeUndefined();
    await page.getByRole('button', { name: 'Skift til: Opsigelse afgivet' }).click();
    const conflict = page.getByRole('alert').filter({ hasText: 'ændret af en anden' });
    await conflict.waitFor();
    // The latest status is shown, with the steps that now make sense.
    await page.getByRole('button', { name: 'Skift til: Ved retten' }).waitFor();
    await expectClean(fob, 'inbox-conflict');
  }, 120_000);

  it("shows a notice the police post in another partner's open app, without a reload", async () => {
    const sab = await signIn('housing-sab-caseworker');
    await sab.page.getByRole('link', { name: 'Varslinger' }).click();
    await sab.page.getByRole('heading', { level: 1, name: 'Varslinger om offentlige udtalelser' }).waitFor();
    await sab.page.getByText('Live: nye varslinger vises med det samme.').waitFor();
    const loads = { count: 0 };
    sab.page.on('load', () => loads.count++);

    const police = await signIn('police-investigator');
    await police.page.getByRole('link', { name: 'Varslinger' }).click();
    const subject = `Pressemeddelelse om tryghedsvandringer ${Date.now()}`;
    await police.page.getByLabel('Emne').fill(subject);
    await police.page.getByLabel('Hvad vil I udtale, og hvor?').fill('Resultaterne af efterårets tryghedsvandringer i Ringparken (syntetisk).');
    await police.page.getByLabel('Ringparken / Schackenborg Vænge').check();
    await police.page.getByRole('button', { name: 'Send varsling' }).click();
    await police.page.getByText('Varslingen er sendt til de andre parter.').waitFor();

    await sab.page.getByRole('heading', { level: 2, name: subject }).waitFor({ timeout: 15_000 });
    await sab.page.getByRole('status').filter({ hasText: `Ny varsling fra Sydsjællands og Lolland-Falsters Politi: ${subject}` }).waitFor();
    expect(loads.count).toBe(0);
    await expectClean(sab, 'notices-live');
    await expectClean(police, 'notices-posted');

    // SAB acknowledges; the police see it in their open app.
    await sab.page.getByRole('article', { name: subject }).getByRole('button', { name: 'Kvittér for modtagelse' }).click();
    await sab.page.getByText('Der er kvitteret for varslingen.').waitFor();
    await expectClean(sab, 'notices-acknowledged');
  }, 120_000);

  it("lets the secretariat's coordinator register a webhook and follow the deliveries per party", async () => {
    const received: string[] = [];
    const receiver = createServer((req, res) => {
      req.on('data', () => undefined);
      req.on('end', () => {
        received.push(String(req.headers['x-partnergraph-event-type']));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const kc = await signIn('secretariat-coordinator');
      const page = kc.page;
      await page.getByRole('link', { name: 'Webhooks' }).click();
      await page.getByRole('heading', { level: 1, name: /Webhooks/ }).waitFor();
      await page.getByLabel('Adresse (URL)').fill(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/partnergraph`);
      await page.getByRole('button', { name: 'Dan en hemmelighed' }).click();
      await page.getByRole('button', { name: 'Registrér webhook' }).click();
      await page.getByText('Webhooken er gemt.').waitFor();

      const posted = await gql('police-investigator', 'COORDINATION', 'mutation($input: PostNoticeInput!) { postNotice(input: $input) { id } }', {
        input: { subject: 'Webhook notice (test)', summary: 'Delivered to the secretariat (synthetic).', areaIds: ['sydbyen'], plannedPublicationAt: new Date(Date.now() + 86_400_000).toISOString() },
      });
      expect(posted.errors).toBeUndefined();
      const deadline = Date.now() + 20_000;
      while (!received.includes('notice.posted') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(received).toContain('notice.posted');
      // A reload ends the page's live streams (aborted requests, as a person reloading would see none of).
      kc.watching = false;
      await page.reload();
      await page.getByRole('heading', { level: 1, name: /Webhooks/ }).waitFor();
      kc.watching = true;
      const row = page.getByRole('row', { name: /Kompetencecenteret/ });
      await row.waitFor();
      expect(await row.getByRole('cell').nth(2).innerText()).toBe('1');
      await expectClean(kc, 'webhooks');
    } finally {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  }, 120_000);
});
