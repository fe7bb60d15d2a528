import type { Inbound, Route } from '@partnergraph/common';
import { APP_SECURITY_HEADERS, builtSite } from './appAssets.js';

/** Where the workbench's page is besides `GET /graphql` from a browser, and where its files are. */
export const WORKBENCH_PAGE = '/workbench';
const WORKBENCH_ASSETS = '/workbench/assets/';

/** The app's policy, but GraphiQL's stylesheet carries its fonts inline (data: URLs): fonts from there too, scripts still only from here. */
const WORKBENCH_SECURITY_HEADERS = {
  ...APP_SECURITY_HEADERS,
  'content-security-policy': APP_SECURITY_HEADERS['content-security-policy']!.replace("font-src 'self'", "font-src 'self' data:"),
};

/** A browser navigating to /graphql (it asks for HTML first); API clients ask for JSON and are never sent the page. */
export function wantsPage(inbound: Inbound): boolean {
  if (inbound.method !== 'GET' && inbound.method !== 'HEAD') return false;
  const accept = inbound.headers.accept;
  return accept !== undefined && accept.includes('text/html');
}

/**
 * The analysts' workbench (apps/workbench/dist: GraphiQL and its explorer,
 * built with every file it needs, nothing fetched from elsewhere) under the
 * same strict policy as the app. `page` answers `GET /graphql` from a browser;
 * `routes` are its own page and files, and `/` when no app is configured.
 */
export function workbenchRoutes(dir: string, atRoot: boolean, devSignIn = false): { page: Route; routes: Record<string, Route> } {
  const routes = builtSite(dir, atRoot ? [WORKBENCH_PAGE, '/'] : [WORKBENCH_PAGE], WORKBENCH_ASSETS, 'GATEWAY_WORKBENCH_DIR', WORKBENCH_SECURITY_HEADERS, devSignIn);
  return { page: routes[WORKBENCH_PAGE]!, routes };
}
