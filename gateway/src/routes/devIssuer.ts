import { DevIssuer, errorAnswer, HttpError, jsonAnswer, PERSONAS, type Inbound, type Route } from '@partnergraph/common';

/** Where the development issuer's routes live; a production gateway has none of them. */
export const DEV_ISSUER_ROUTES = ['/dev/personas', '/dev/token'] as const;

/**
 * Development only: the embedded default's identity provider behind the
 * gateway, so the app can sign in as a synthetic persona. `GET /dev/personas`
 * lists them; `POST /dev/token {"persona": name}` signs a token with the
 * development key. The gateway mounts these only in development mode with a
 * development key configured, and refuses to start with one when
 * NODE_ENV=production (`assertDevIssuerAllowed`).
 */
export function devIssuerRoutes(issuer: DevIssuer, expiresInSeconds = 8 * 3600): Record<(typeof DEV_ISSUER_ROUTES)[number], Route> {
  const noStore = { 'cache-control': 'no-store' };
  return {
    '/dev/personas': (inbound: Inbound) => {
      if (inbound.method !== 'GET') return errorAnswer(405, 'METHOD_NOT_ALLOWED', 'Use GET.', { allow: 'GET' });
      const personas = Object.entries(PERSONAS).map(([name, p]) => ({ name, description: p.description, organisation: p.organisation, roles: p.roles, purposes: p.purposes }));
      return jsonAnswer(200, { personas }, noStore);
    },
    '/dev/token': async (inbound: Inbound) => {
      if (inbound.method !== 'POST') return errorAnswer(405, 'METHOD_NOT_ALLOWED', 'Use POST with {"persona": name}.', { allow: 'POST' });
      let persona: unknown;
      try {
        persona = (JSON.parse((await inbound.readBody(1024)).toString('utf8')) as { persona?: unknown }).persona;
      } catch (error) {
        if (error instanceof HttpError) return error.answer();
        return errorAnswer(400, 'BAD_REQUEST', 'Send {"persona": name} as JSON.');
      }
      if (typeof persona !== 'string' || !Object.hasOwn(PERSONAS, persona)) {
        return errorAnswer(400, 'BAD_USER_INPUT', `Unknown persona. Known: ${Object.keys(PERSONAS).join(', ')}.`);
      }
      const token = await issuer.signPersona(persona, { expiresInSeconds });
      return jsonAnswer(200, { token, expiresAt: new Date(Date.now() + expiresInSeconds * 1000).toISOString() }, noStore);
    },
  };
}

/** A development key in production is a configuration mistake: refuse to start rather than serve it. */
export function assertDevIssuerAllowed(devIssuerKeys: string | undefined, env: NodeJS.ProcessEnv): void {
  if (devIssuerKeys && env['NODE_ENV'] === 'production') {
    throw new Error('GATEWAY_DEV_ISSUER is refused when NODE_ENV=production: a production gateway signs no tokens.');
  }
}
