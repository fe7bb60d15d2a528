import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium, as CI installs it (.ci/run). */
export const CHROMIUM = '/usr/bin/chromium';
/** Screenshots of every view, for people to look at; git-ignored. */
export const SCREENSHOTS = fileURLToPath(new URL('../../test-results/app/', import.meta.url));

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Person {
  context: BrowserContext;
  page: Page;
  /** Console errors, failed requests and error answers seen since `watching`. */
  problems: string[];
  watching: boolean;
  close(): Promise<void>;
}

/**
 * One person's browser: headless Debian Chromium with a fresh profile and no
 * background traffic (this machine's network is closed). Every console error,
 * failed request and HTTP error answer is recorded while `watching`.
 */
export async function openBrowser(viewport = { width: 1366, height: 900 }): Promise<Person> {
  const profile = mkdtempSync(join(tmpdir(), 'partnergraph-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    locale: 'da-DK',
    timezoneId: 'Europe/Copenhagen',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const person: Person = {
    context,
    page,
    problems: [],
    watching: true,
    async close() {
      person.watching = false;
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
  page.on('console', (message) => {
    if (person.watching && message.type() === 'error') person.problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => {
    if (person.watching) person.problems.push(`page error: ${error.message}`);
  });
  page.on('requestfailed', (request) => {
    // A request the page cancels itself (the workbench drops a superseded cost
    // check while the analyst types) is not a failure; a server that fails
    // shows up as another network error or as an HTTP error status.
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    if (person.watching) person.problems.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`);
  });
  page.on('response', (response) => {
    if (person.watching && response.status() >= 400) person.problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  return person;
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  // Through the debugging protocol: the app's CSP (rightly) refuses inline scripts.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.join('; ')})`);
}

export async function screenshot(page: Page, name: string, folder = SCREENSHOTS): Promise<void> {
  mkdirSync(folder, { recursive: true });
  await page.screenshot({ path: join(folder, `${name}.png`), fullPage: true });
}
