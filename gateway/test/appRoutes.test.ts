import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DevIssuer, TokenVerifier } from '@partnergraph/common';
import { createGateway, gatewayConfig, gatewayConfigFromEnv, type Gateway } from '@partnergraph/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * What the gateway serves beside /graphql: the built app (with a strict
 * content-security policy) and, in development only, the development
 * issuer's persona sign-in. A production gateway has no /dev routes.
 */
const SUPERGRAPH = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'partnergraph-routes-'));
const keys = join(dir, 'keys');
const app = join(dir, 'app');

beforeAll(async () => {
  mkdirSync(join(app, 'assets'), { recursive: true });
  writeFileSync(join(app, 'index.html'), '<!doctype html><html lang="da"><title>t</title><script type="module" src="/assets/app-1.js"></script></html>');
  writeFileSync(join(app, 'assets', 'app-1.js'), 'console.log("app")');
  writeFileSync(join(app, 'assets', 'app-1.js.map'), '{}');
  writeFileSync(join(dir, 'secret.txt'), 'not for the web');
  await DevIssuer.loadOrCreate(keys);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function gatewayWith(overrides: Parameters<typeof gatewayConfig>[0]): Promise<Gateway> {
  return createGateway(gatewayConfig({ ...overrides, supergraphPath: SUPERGRAPH, trust: (await DevIssuer.loadOrCreate(keys)).trustConfig(), rateLimit: undefined }));
}
const get = (gateway: Gateway, path: string, init: RequestInit = {}) => gateway.fetch(new Request(`http://gateway${path}`, init));

describe('the app beside /graphql', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await gatewayWith({ appDir: app });
  });
  afterAll(() => gateway?.stop());

  it('serves the page with a strict content-security policy, and the built files, nothing else', async () => {
    const page = await get(gateway, '/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self';.*frame-ancestors 'none'/);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const script = await get(gateway, '/assets/app-1.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/text\/javascript/);
    expect(script.headers.get('cache-control')).toMatch(/immutable/);
    for (const path of ['/assets/app-1.js.map', '/assets/../secret.txt', '/secret.txt', '/assets/%2e%2e/secret.txt', '/app/index.html']) {
      expect((await get(gateway, path)).status, path).toBe(404);
    }
    expect((await get(gateway, '/', { method: 'POST', body: '{}' })).status).toBe(405);
  });

  it('has no development routes unless in development mode with a development key', async () => {
    expect((await get(gateway, '/dev/personas')).status).toBe(404);
    // Nor does its page say there are: the sign-in then never asks /dev/personas (no failed request in production).
    expect(await (await get(gateway, '/')).text()).toBe('<!doctype html><html lang="da"><title>t</title><script type="module" src="/assets/app-1.js"></script></html>');
    const withKeyButNotDevelopment = await gatewayWith({ devIssuerKeys: keys, development: false, workbenchDir: app });
    try {
      for (const path of ['/', '/workbench']) expect(await (await get(withKeyButNotDevelopment, path)).text(), path).not.toMatch(/data-dev-sign-in/);
      expect((await get(withKeyButNotDevelopment, '/dev/personas')).status).toBe(404);
      expect((await get(withKeyButNotDevelopment, '/dev/token', { method: 'POST', body: '{"persona":"analyst"}' })).status).toBe(404);
    } finally {
      await withKeyButNotDevelopment.stop();
    }
  });
});

describe('the development issuer', () => {
  it('in development, lists the personas and signs a token the owners accept', async () => {
    const gateway = await gatewayWith({ devIssuerKeys: keys, development: true, appDir: app, workbenchDir: app });
    try {
      // The app's and the workbench's pages say so, for their sign-in to offer the personas.
      for (const path of ['/', '/workbench']) expect(await (await get(gateway, path)).text(), path).toMatch(/^<!doctype html><html data-dev-sign-in lang="da">/);
      const personas = (await (await get(gateway, '/dev/personas')).json()) as { personas: Array<{ name: string; purposes: string[] }> };
      expect(personas.personas.map((p) => p.name)).toContain('housing-fob-caseworker');
      const signed = await get(gateway, '/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ persona: 'housing-fob-caseworker' }) });
      expect(signed.status).toBe(200);
      expect(signed.headers.get('cache-control')).toBe('no-store');
      const { token } = (await signed.json()) as { token: string };
      const principal = await new TokenVerifier((await DevIssuer.loadOrCreate(keys)).trustConfig()).verify(`Bearer ${token}`);
      expect(principal).toMatchObject({ organisation: 'fob', roles: ['caseworker'] });
      expect((await get(gateway, '/dev/token', { method: 'POST', body: '{"persona":"root"}' })).status).toBe(400);
      expect((await get(gateway, '/dev/token', { method: 'POST', body: 'not json' })).status).toBe(400);
      expect((await get(gateway, '/dev/token')).status).toBe(405);
    } finally {
      await gateway.stop();
    }
  });

  it('is refused at start when NODE_ENV=production', async () => {
    const production = { NODE_ENV: 'production', GATEWAY_DEV_ISSUER: keys, PARTNERGRAPH_TRUST: JSON.stringify((await DevIssuer.loadOrCreate(keys)).trustConfig()) };
    const config = gatewayConfigFromEnv(production);
    const previous = process.env['NODE_ENV'];
    process.env['NODE_ENV'] = 'production';
    try {
      await expect(createGateway({ ...config, supergraphPath: SUPERGRAPH })).rejects.toThrow(/GATEWAY_DEV_ISSUER is refused when NODE_ENV=production/);
    } finally {
      if (previous === undefined) delete process.env['NODE_ENV'];
      else process.env['NODE_ENV'] = previous;
    }
    // And production's defaults mount no development routes at all.
    expect(gatewayConfigFromEnv({ NODE_ENV: 'production', PARTNERGRAPH_TRUST: production.PARTNERGRAPH_TRUST }).devIssuerKeys).toBeUndefined();
    expect(gatewayConfigFromEnv({ NODE_ENV: 'production', PARTNERGRAPH_TRUST: production.PARTNERGRAPH_TRUST }).development).toBe(false);
  });
});
