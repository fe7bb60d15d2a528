import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { errorAnswer, type Answer, type Inbound, type Route } from '@partnergraph/common';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/**
 * The app's page: its own scripts and styles only, talking to this gateway
 * only, never framed, no referrer. (Vite's build emits no inline script.)
 */
export const APP_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

/**
 * The built app (apps/web/dist) beside /graphql, as exact routes read once at
 * start: `/` is the page, `/assets/<file>` its content-hashed scripts and
 * styles (cached for a year). Only the text files the build produced are
 * served; source maps stay with the build.
 */
export function appRoutes(dir: string, devSignIn = false): Record<string, Route> {
  return builtSite(dir, ['/', '/index.html'], '/assets/', 'GATEWAY_APP_DIR', APP_SECURITY_HEADERS, devSignIn);
}

/**
 * Set on the page's `<html>` when this gateway serves the development
 * issuer's routes: the sign-in then offers personas, and otherwise never asks
 * for them (a production page makes no request that is bound to fail).
 */
export const DEV_SIGN_IN_ATTRIBUTE = 'data-dev-sign-in';

/**
 * A Vite build as exact routes: its index.html at each of `pages` (no-cache,
 * under the strict policy, marked when development sign-in is served) and the
 * files of its assets folder at `<assetsUrl><file>`.
 */
export function builtSite(dir: string, pages: readonly string[], assetsUrl: string, setting: string, security = APP_SECURITY_HEADERS, devSignIn = false): Record<string, Route> {
  const page = join(dir, 'index.html');
  if (!existsSync(page)) throw new Error(`${setting}: no index.html in ${dir}; build it first (npm run build).`);
  const serve = (answer: Answer): Route => (inbound: Inbound) => {
    if (inbound.method !== 'GET' && inbound.method !== 'HEAD') return errorAnswer(405, 'METHOD_NOT_ALLOWED', 'Use GET.', { allow: 'GET, HEAD' });
    return inbound.method === 'HEAD' ? { ...answer, body: '' } : answer;
  };
  const file = (path: string, headers: Record<string, string>): Answer => ({
    status: 200,
    headers: { 'content-type': TYPES[extname(path)]!, ...headers },
    body: readFileSync(path, 'utf8'),
  });
  const routes: Record<string, Route> = {};
  const built = file(page, { ...security, 'cache-control': 'no-cache' });
  const index = serve(devSignIn ? { ...built, body: built.body.replace(/<html\b/i, `<html ${DEV_SIGN_IN_ATTRIBUTE}`) } : built);
  for (const path of pages) routes[path] = index;
  const assets = join(dir, 'assets');
  if (existsSync(assets)) {
    for (const name of readdirSync(assets)) {
      const path = join(assets, name);
      if (!TYPES[extname(name)] || !statSync(path).isFile()) continue;
      routes[`${assetsUrl}${name}`] = serve(file(path, { 'x-content-type-options': 'nosniff', 'cache-control': 'public, max-age=31536000, immutable' }));
    }
  }
  return routes;
}
