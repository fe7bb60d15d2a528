import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkTrustConfig, DEFAULT_MAX_TOKEN_AGE_SECONDS, DevIssuer, loadTrustConfig, resolveIdentity, TokenVerifier, PERSONAS } from '../src/index.js';

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

describe('what an issuer may assert, and when', () => {
  it('refuses an organisation the issuer is not bound to: a housing company cannot mint org police', async () => {
    const housingIdp = await DevIssuer.create('https://sso.housing.test');
    const policeIdp = await DevIssuer.create('https://idp.police.test');
    const verifier = new TokenVerifier({
      audience: 'partnergraph',
      issuers: [
        { issuer: housingIdp.issuer, jwks: housingIdp.jwks, organisations: ['fob', 'sab'] },
        { issuer: policeIdp.issuer, jwks: policeIdp.jwks, organisations: ['police'] },
      ],
    });
    await expect(verifier.verify(`Bearer ${await housingIdp.signPersona('housing-fob-caseworker')}`)).resolves.toMatchObject({ organisation: 'fob' });
    await expect(verifier.verify(`Bearer ${await policeIdp.signPersona('police-investigator')}`)).resolves.toMatchObject({ organisation: 'police' });
    await expect(verifier.verify(`Bearer ${await housingIdp.signPersona('police-investigator')}`)).rejects.toThrow(/may not assert organisation police/);
    await expect(verifier.verify(`Bearer ${await policeIdp.signPersona('housing-fob-caseworker')}`)).rejects.toThrow(/may not assert/);
    // Through identity resolution the caller learns only that the token is not accepted.
    const forged = `Bearer ${await housingIdp.signPersona('police-investigator')}`;
    const header = (name: string) => (name === 'authorization' ? forged : name === 'x-purpose' ? 'STATISTICS' : undefined);
    await expect(resolveIdentity(header, verifier)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: 'A valid bearer token is required.' });
  });

  it('refuses a trust file that binds an issuer to no organisation, or turns the age limit off', () => {
    const issuer = { issuer: 'https://x.test', jwks: { keys: [] } };
    expect(() => checkTrustConfig({ issuers: [issuer] })).toThrow(/must list the organisations/);
    expect(() => checkTrustConfig({ issuers: [{ ...issuer, organisations: [] }] })).toThrow(/must list the organisations/);
    expect(() => checkTrustConfig({ issuers: [{ ...issuer, organisations: ['fob'] }], maxTokenAgeSeconds: 0 })).toThrow(/maxTokenAgeSeconds/);
    expect(() => checkTrustConfig({ issuers: [{ ...issuer, organisations: ['fob'] }], clockToleranceSeconds: 86_400 })).toThrow(/clockToleranceSeconds/);
    expect(checkTrustConfig({ issuers: [{ ...issuer, organisations: ['fob'] }] }).audience).toBe('partnergraph');
    expect(() => loadTrustConfig({ PARTNERGRAPH_TRUST: JSON.stringify({ issuers: [issuer] }) })).toThrow(/organisations/);
  });

  it('refuses tokens issued in the future beyond the clock skew', async () => {
    const issuer = await DevIssuer.create();
    const verifier = new TokenVerifier(issuer.trustConfig());
    const now = Math.floor(Date.now() / 1000);
    const future = await issuer.signPersona('analyst', { issuedAt: now + 600, expiresInSeconds: 3600 });
    await expect(verifier.verify(`Bearer ${future}`)).rejects.toThrow();
    const withinSkew = await issuer.signPersona('analyst', { issuedAt: now + 10, expiresInSeconds: 3600 });
    await expect(verifier.verify(`Bearer ${withinSkew}`)).resolves.toMatchObject({ organisation: 'kompetencecenteret' });
  });

  it('applies a maximum token age by default, also in the development trust file', async () => {
    const issuer = await DevIssuer.create();
    expect(issuer.trustConfig().maxTokenAgeSeconds).toBe(DEFAULT_MAX_TOKEN_AGE_SECONDS);
    const now = Math.floor(Date.now() / 1000);
    // Valid for a year, issued two days ago: its expiry is far, but it is too old.
    const longLived = await issuer.signPersona('analyst', { issuedAt: now - 2 * 86_400, expiresInSeconds: 365 * 86_400 });
    await expect(new TokenVerifier(issuer.trustConfig()).verify(`Bearer ${longLived}`)).rejects.toThrow();
    // Also where the trust configuration says nothing about age.
    const { maxTokenAgeSeconds: _omitted, ...silent } = issuer.trustConfig();
    await expect(new TokenVerifier(silent).verify(`Bearer ${longLived}`)).rejects.toThrow();
    const fresh = await issuer.signPersona('analyst', { issuedAt: now - 3600, expiresInSeconds: 365 * 86_400 });
    await expect(new TokenVerifier(silent).verify(`Bearer ${fresh}`)).resolves.toMatchObject({ subject: 'dev-analyst' });
  });
});
