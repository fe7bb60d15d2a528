import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DevIssuer } from '@partnergraph/common';
import { createGateway, gatewayConfig } from '@partnergraph/gateway';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, type Person } from './support/browser.js';
import { launchOnFreePorts, ROOT, stopWithCtrlC } from './support/launcher.js';
import { SUPERGRAPH } from './support/system.js';

/**
 * The analysts' workbench as an analyst uses it (issue 10 §5): the system as
 * `npm start` runs it, Debian's Chromium driven by playwright-core, the page
 * at GET /graphql. Sign in as the analyst persona, find injunctionStatistics
 * and its visibility note in the docs, run an aggregate and see suppressed
 * cells, meet FORBIDDEN for a personal field, download the CSV and read it,
 * and see an over-budget query refused before it runs. No console error and
 * no failed request on the page throughout. Screenshots in
 * test-results/workbench/ (git-ignored).
 */
const SCREENSHOTS = fileURLToPath(new URL('../test-results/workbench/', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'partnergraph-workbench-'));
let launcher: Awaited<ReturnType<typeof launchOnFreePorts>>['launcher'];
let base: string;
let gatewayPort: number;
let analyst: Person;

beforeAll(async () => {
  ({ launcher, base, gatewayPort } = await launchOnFreePorts(dataDir));
}, 180_000);

afterAll(async () => {
  await analyst?.close().catch(() => undefined);
  if (launcher) await stopWithCtrlC(launcher.child);
  rmSync(dataDir, { recursive: true, force: true });
});

const AGGREGATE = '{ injunctionStatistics(fromYear: 2016, toYear: 2024) { years { year byKind { kind count suppressed } total { count suppressed } } } }';

/** The text of one of GraphiQL's editors (CodeMirror keeps its instance on its element). */
const editorText = (page: Page, editor: 'query' | 'response') =>
  page.evaluate((selector) => (document.querySelector(selector) as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue(), `.graphiql-${editor}-editor .CodeMirror, .result-window .CodeMirror`);

async function typeQuery(page: Page, query: string): Promise<void> {
  await page.evaluate((text) => (document.querySelector('.graphiql-query-editor .CodeMirror') as unknown as { CodeMirror: { setValue(v: string): void } }).CodeMirror.setValue(text), query);
}

/** Runs what is in the editor and waits for the answer to show. */
async function runQuery(page: Page): Promise<Record<string, any>> {
  await page.evaluate(() => (document.querySelector('.result-window .CodeMirror') as unknown as { CodeMirror: { setValue(v: string): void } }).CodeMirror.setValue(''));
  await page.getByRole('button', { name: /Execute query/ }).click();
  await page.waitForFunction(() => ((document.querySelector('.result-window .CodeMirror') as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue() ?? '').trim().startsWith('{'));
  return JSON.parse(await editorText(page, 'response')) as Record<string, any>;
}

describe('the workbench, against npm start', () => {
  it('lets an analyst explore, query, export and meet the rules, in the browser', async () => {
    analyst = await openBrowser();
    const page = analyst.page;
    const graphqlPosts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/graphql') graphqlPosts.push(request.postData() ?? '');
    });

    // A browser at /graphql gets the workbench; sign in as the analyst persona (development issuer).
    await page.goto(`${base}/graphql`);
    await page.getByRole('heading', { level: 1, name: 'Log ind' }).waitFor();
    await page.getByLabel('Bruger', { exact: true }).selectOption('analyst');
    await page.getByRole('button', { name: 'Log ind' }).first().click();
    await page.locator('.graphiql-container').waitFor();
    expect(await page.getByLabel('Formål').inputValue()).toBe('STATISTICS');
    // The token stays in this tab's sessionStorage: never localStorage, never the URL.
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toMatch(/eyJ/);
    expect(page.url()).not.toMatch(/eyJ|token/);
    await screenshot(page, 'signed-in', SCREENSHOTS);

    // The docs: injunctionStatistics, with who may see it.
    await page.getByRole('button', { name: /Show Documentation Explorer/ }).click();
    await page.getByRole('link', { name: 'Query' }).click();
    await page.getByRole('link', { name: 'injunctionStatistics', exact: true }).click();
    const docs = page.locator('.graphiql-doc-explorer-content');
    await docs.getByText(/Visible to:/).first().waitFor();
    expect(await docs.innerText()).toMatch(/Visible to:[^\n]*analyst/);
    await screenshot(page, 'docs-injunction-statistics', SCREENSHOTS);

    // An aggregate: small cells come back suppressed (null with the flag), never 0.
    await typeQuery(page, AGGREGATE);
    await page.getByTestId('cost').getByText(/Pris: [\d.,]+ af 5\.000/).waitFor();
    const aggregate = await runQuery(page);
    expect(aggregate['errors']).toBeUndefined();
    expect(aggregate['extensions']?.cost).toMatchObject({ budget: 5000 });
    const cells = (aggregate['data'].injunctionStatistics.years as Array<{ byKind: Array<{ count: number | null; suppressed: boolean }> }>).flatMap((y) => y.byKind);
    const suppressed = cells.filter((c) => c.suppressed);
    expect(suppressed.length).toBeGreaterThan(0);
    expect(suppressed.every((c) => c.count === null)).toBe(true);
    await screenshot(page, 'aggregate-suppressed', SCREENSHOTS);

    // The CSV of the cells: suppressed ones empty, flagged, never 0.
    await page.getByLabel('Liste').selectOption('injunctionStatistics.years[].byKind');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Hent CSV' }).click()]);
    const downloaded = readFileSync((await download.path())!, 'utf8');
    const csv = downloaded.trim().split('\r\n');
    expect(csv[0]).toBe('year,total.count,total.suppressed,byKind.kind,byKind.count,byKind.suppressed');
    expect(csv).toHaveLength(cells.length + 1);
    const rows = csv.slice(1).map((line) => line.split(','));
    expect(rows.filter((r) => r[5] === 'true').length).toBe(suppressed.length);
    expect(rows.filter((r) => r[5] === 'true').every((r) => r[4] === '')).toBe(true);
    // The command line writes the same file.
    const file = join(dataDir, 'cells.csv');
    const cli = spawnSync(process.execPath, [join(ROOT, 'apps/cli/dist/gql.js'), 'analyst', 'STATISTICS', '--csv', file, '--list', 'injunctionStatistics.years[].byKind', AGGREGATE], {
      env: { ...process.env, GATEWAY_PORT: String(gatewayPort), PARTNERGRAPH_DATA_DIR: dataDir },
      encoding: 'utf8',
    });
    expect(cli.status, cli.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(downloaded);

    // A personal field: the owner refuses it (FORBIDDEN), the rest of the answer stands.
    await typeQuery(page, '{ areas { id } criminalDecisions(first: 1) { nodes { id } } }');
    const personal = await runQuery(page);
    expect(personal['errors']?.map((e: { extensions?: { code?: string } }) => e.extensions?.code)).toContain('FORBIDDEN');
    expect(personal['data']?.areas).toHaveLength(4);
    await screenshot(page, 'forbidden', SCREENSHOTS);

    // Over the analysts' budget: shown as you type, and refused before it runs (nothing sent to /graphql).
    const costly = '{ initiatives(first: 500) { nodes { id title areas { id name } } } }';
    await typeQuery(page, costly);
    await page.getByTestId('cost').getByText(/Over budget: .* dyreste del: initiatives\(first: 500\)\.nodes\.areas/).waitFor();
    const postsBefore = graphqlPosts.length;
    const refused = await runQuery(page);
    expect(refused['errors']?.[0]).toMatchObject({ extensions: { code: 'COST_LIMIT' }, message: expect.stringMatching(/Most of it is initiatives\(first: 500\)\.nodes\.areas/) });
    expect(graphqlPosts.slice(postsBefore)).toEqual([]);
    await screenshot(page, 'over-budget', SCREENSHOTS);

    // Ready examples: a registered operation opens in a tab with its variables.
    await page.getByRole('button', { name: /Gemte forespørgsler/ }).click();
    await page.getByRole('button', { name: 'AreaIncidents', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('.graphiql-query-editor .CodeMirror')?.textContent?.includes('query AreaIncidents'));
    const variables = await page.evaluate(() => (document.querySelector('.graphiql-editor-tool .CodeMirror') as unknown as { CodeMirror: { getValue(): string } } | null)?.CodeMirror.getValue() ?? '');
    expect(JSON.parse(variables || '{}')).toMatchObject({ areaId: 'motalavej', year: 2024 });
    await screenshot(page, 'example', SCREENSHOTS);

    expect(analyst.problems, 'console and network').toEqual([]);
  }, 180_000);

  it('in production asks for no development sign-in: no console error, no failed request', async () => {
    // A production gateway (no development issuer) serving the built workbench, as deployed.
    const issuer = await DevIssuer.create();
    const gateway = await createGateway(gatewayConfig({ supergraphPath: SUPERGRAPH, trust: issuer.trustConfig(), workbenchDir: join(ROOT, 'apps/workbench/dist'), development: false }));
    const { url } = await gateway.listen(0);
    const person = await openBrowser();
    try {
      const page = person.page;
      const asked: string[] = [];
      page.on('request', (request) => asked.push(`${request.method()} ${new URL(request.url()).pathname}`));
      await page.goto(new URL('/graphql', url).href);
      await page.getByRole('heading', { level: 1, name: 'Log ind' }).waitFor();
      await page.waitForLoadState('networkidle');
      // Only the token form: no persona picker, and /dev was never asked.
      expect(await page.getByLabel('Bruger', { exact: true }).count()).toBe(0);
      expect(asked.filter((line) => line.includes(' /dev/'))).toEqual([]);
      await page.getByLabel('Adgangstoken').fill(await issuer.signPersona('analyst'));
      await page.getByRole('button', { name: 'Log ind' }).click();
      await page.locator('.graphiql-container').waitFor();
      await page.waitForLoadState('networkidle');
      await screenshot(page, 'production-signed-in', SCREENSHOTS);
      expect(person.problems, 'console and network').toEqual([]);
    } finally {
      await person.close();
      await gateway.stop();
    }
  }, 120_000);
});
