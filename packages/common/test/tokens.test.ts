import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DevIssuer, resolveIdentity, TokenVerifier, PERSONAS } from '../src/index.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('token verification', () => {
  it('accepts a persona token from a trusted issuer and maps its claims', async () => {
    const issuer = await DevIssuer.create();
    const verifier = new TokenVerifier(issuer.trustConfig());
    const principal = await verifier.verify(`Bearer ${await issuer.signPersona('housing-fob-caseworker')}`);
    expect(principal).toMatchObject({ organisation: 'fob', roles: ['caseworker'], subject: 'dev-fob-caseworker' });
  });

  it('rejects missing, malformed, expired, foreign, wrong-audience and unsigned tokens', async () => {
    const issuer = await DevIssuer.create();
    const stranger = await DevIssuer.create();
    const verifier = new TokenVerifier(issuer.trustConfig());
    const persona = PERSONAS['police-investigator']!;
    const expired = await issuer.sign(persona, { issuedAt: Math.floor(Date.now() / 1000) - 7200, expiresInSeconds: 3600 });
    const foreign = await stranger.sign(persona);
    const wrongAudience = await issuer.sign(persona, { audience: 'someone-else' });
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: issuer.issuer, sub: 'x', aud: 'partnergraph', org: 'police', roles: ['investigator'], purposes: ['SSP_115'], iat: now, exp: now + 600 };
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    // Algorithm confusion: an HMAC "signed" with the public key as the secret.
    const header = b64({ alg: 'HS256', typ: 'JWT', kid: issuer.jwks.keys[0]!.kid });
    const body = b64(claims);
    const hmac = createHmac('sha256', JSON.stringify(issuer.jwks.keys[0])).update(`${header}.${body}`).digest('base64url');
    for (const authorization of [undefined, 'Bearer', 'Basic abc', `Bearer ${expired}`, `Bearer ${foreign}`, `Bearer ${wrongAudience}`, `Bearer ${unsigned}`, `Bearer ${header}.${body}.${hmac}`]) {
      await expect(verifier.verify(authorization)).rejects.toThrow();
    }
  });

  it('rejects a token whose claims are malformed', async () => {
    const issuer = await DevIssuer.create();
    const verifier = new TokenVerifier(issuer.trustConfig());
    const bad = await issuer.sign({ ...PERSONAS['analyst']!, roles: ['superuser' as never] });
    await expect(verifier.verify(`Bearer ${bad}`)).rejects.toThrow(/role/);
  });

  it('requires a purpose the principal may use', async () => {
    const issuer = await DevIssuer.create();
    const verifier = new TokenVerifier(issuer.trustConfig());
    const token = `Bearer ${await issuer.signPersona('analyst')}`;
    const headers = (purpose?: string) => (name: string) => (name === 'authorization' ? token : name === 'x-purpose' ? purpose : undefined);
    await expect(resolveIdentity(headers(), verifier)).rejects.toMatchObject({ extensions: { code: 'PURPOSE_REQUIRED' } });
    await expect(resolveIdentity(headers('GOSSIP'), verifier)).rejects.toMatchObject({ extensions: { code: 'PURPOSE_NOT_ALLOWED' } });
    await expect(resolveIdentity(headers('SSP_115'), verifier)).rejects.toMatchObject({ extensions: { code: 'PURPOSE_NOT_ALLOWED' } });
    await expect(resolveIdentity(headers('STATISTICS'), verifier)).resolves.toMatchObject({ purpose: 'STATISTICS' });
  });
});
