import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type JWK, type JSONWebKeySet } from 'jose';
import { ORGANISATIONS } from '@partnergraph/vocabulary';
import { PERSONAS, type Persona } from './personas.js';
import { DEFAULT_AUDIENCE } from './trustConfig.js';
import { DEFAULT_CLOCK_TOLERANCE_SECONDS, DEFAULT_MAX_TOKEN_AGE_SECONDS, type TrustConfig } from './tokens.js';

export const DEV_ISSUER = 'https://dev-issuer.partnergraph.local';
const ALG = 'ES256';
type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export type TokenClaims = Omit<Persona, 'description'>;

/**
 * The embedded default's identity provider: an ES256 key generated on first
 * start and kept under the data folder. It signs persona tokens for development;
 * production trusts the partners' own issuers instead.
 */
export class DevIssuer {
  private constructor(
    private readonly privateKey: SigningKey,
    readonly jwks: JSONWebKeySet,
    private readonly kid: string,
    readonly issuer: string,
  ) {}

  static async create(issuer = DEV_ISSUER): Promise<DevIssuer> {
    const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
    const kid = `dev-${Date.now().toString(36)}`;
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' };
    return new DevIssuer(privateKey, { keys: [publicJwk] }, kid, issuer);
  }

  /** Keys live in `<dir>/dev-issuer.private.jwk.json` and `<dir>/dev-issuer.jwks.json`. */
  static async loadOrCreate(dir: string, issuer = DEV_ISSUER): Promise<DevIssuer> {
    const privatePath = join(dir, 'dev-issuer.private.jwk.json');
    const jwksPath = join(dir, 'dev-issuer.jwks.json');
    if (existsSync(privatePath) && existsSync(jwksPath)) {
      const jwk = JSON.parse(readFileSync(privatePath, 'utf8')) as JWK;
      const key = (await importJWK(jwk, ALG)) as SigningKey;
      return new DevIssuer(key, JSON.parse(readFileSync(jwksPath, 'utf8')) as JSONWebKeySet, jwk.kid!, issuer);
    }
    mkdirSync(dir, { recursive: true });
    const created = await DevIssuer.create(issuer);
    const privateJwk = { ...(await exportJWK(created.privateKey)), kid: created.kid, alg: ALG };
    writeFileSync(privatePath, JSON.stringify(privateJwk), { mode: 0o600 });
    writeFileSync(jwksPath, JSON.stringify(created.jwks, null, 2));
    return created;
  }

  /**
   * Trusts this issuer for the partnership's own organisations only (every
   * persona's), with the same skew and token-age bounds production has.
   */
  trustConfig(jwksPath?: string, organisations: readonly string[] = ORGANISATIONS.map((o) => o.id)): TrustConfig {
    return {
      audience: DEFAULT_AUDIENCE,
      clockToleranceSeconds: DEFAULT_CLOCK_TOLERANCE_SECONDS,
      maxTokenAgeSeconds: DEFAULT_MAX_TOKEN_AGE_SECONDS,
      issuers: [
        {
          issuer: this.issuer,
          jwks: jwksPath ? pathToFileURL(jwksPath).href : this.jwks,
          organisations: [...organisations],
        },
      ],
    };
  }

  async sign(claims: TokenClaims, options: { expiresInSeconds?: number; audience?: string; issuedAt?: number } = {}) {
    const now = options.issuedAt ?? Math.floor(Date.now() / 1000);
    return new SignJWT({
      org: claims.organisation,
      roles: claims.roles,
      purposes: claims.purposes,
      areas: claims.areas,
    })
      .setProtectedHeader({ alg: ALG, kid: this.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setSubject(claims.subject)
      .setAudience(options.audience ?? DEFAULT_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + (options.expiresInSeconds ?? 8 * 3600))
      .sign(this.privateKey);
  }

  async signPersona(name: string, options?: Parameters<DevIssuer['sign']>[1]): Promise<string> {
    const persona = PERSONAS[name];
    if (!persona) throw new Error(`Unknown persona ${name}. Known: ${Object.keys(PERSONAS).join(', ')}`);
    return this.sign(persona, options);
  }
}
