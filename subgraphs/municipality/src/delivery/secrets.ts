import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { createLogger } from '@partnergraph/common';
import type { Database } from '@partnergraph/subgraph-kit';

/**
 * Webhook secrets (hemmeligheder) at rest: AES-256-GCM under a key from the
 * environment, bound to the organisation's row, so a database dump or backup
 * does not hand out the HMAC keys that make a request look like ours.
 *
 * Stored as `pgws1.<key id>.<nonce>.<tag>.<ciphertext>` (base64url). The key id
 * says which key sealed it, so a rotation works: the new key in
 * PARTNERGRAPH_WEBHOOK_KEY, the old one in PARTNERGRAPH_WEBHOOK_KEY_PREVIOUS;
 * rows under the old key are still read, and are sealed again under the new
 * one on the next write (and at the next start). A value without the format's
 * prefix is a plain-text secret from before: still read (a rolling upgrade may
 * write one late), and sealed in place at start. A value with the prefix that
 * does not parse (truncated, altered, a later format) is unreadable like one no
 * key opens: never used as a secret, nor sealed as if it were plain text.
 */
export const MIN_WEBHOOK_KEY_LENGTH = 32;
const FORMAT = 'pgws1';
/** Any sealed format, this one or a later one: such a value is never plain text. */
const SEALED_PREFIX = /^pgws\d+\./;
const SEALED = /^pgws1\.([0-9a-f]{8})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]*)$/;
/** Development and tests only: production refuses to start without its own key. */
const DEVELOPMENT_KEY = 'partnergraph development webhook key - never use in production';

export interface WebhookKey {
  id: string;
  key: Buffer;
}

export interface WebhookKeyring {
  /** Seals every write. */
  current: WebhookKey;
  /** Only opens rows sealed before a rotation. */
  previous?: WebhookKey;
}

export function webhookKey(secret: string): WebhookKey {
  // The configured text may be any secret; the AES key and its id are derived from it, never the text itself.
  const key = Buffer.from(hkdfSync('sha256', secret, 'partnergraph', 'webhook secrets at rest', 32));
  const id = createHmac('sha256', key).update('key id').digest('hex').slice(0, 8);
  return { id, key };
}

function configuredKey(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name] || undefined;
  if (value !== undefined && value.length < MIN_WEBHOOK_KEY_LENGTH) {
    throw new Error(`${name} must be at least ${MIN_WEBHOOK_KEY_LENGTH} characters (e.g. openssl rand -base64 32).`);
  }
  return value;
}

/**
 * The keys from PARTNERGRAPH_WEBHOOK_KEY (and _PREVIOUS). Without one, a
 * production process (NODE_ENV=production) refuses to start, and any other
 * runs on the development key, saying so: `npm start` gives its own key, kept
 * under the data folder.
 */
export function webhookKeyringFromEnv(env: NodeJS.ProcessEnv = process.env, warn: (message: string) => void = () => undefined): WebhookKeyring {
  const current = configuredKey(env, 'PARTNERGRAPH_WEBHOOK_KEY');
  const previous = configuredKey(env, 'PARTNERGRAPH_WEBHOOK_KEY_PREVIOUS');
  if (!current && env['NODE_ENV'] === 'production') {
    throw new Error('PARTNERGRAPH_WEBHOOK_KEY is required when NODE_ENV=production: webhook secrets are encrypted with it (openssl rand -base64 32).');
  }
  if (!current) warn('PARTNERGRAPH_WEBHOOK_KEY not set: webhook secrets are encrypted with the development key (refused when NODE_ENV=production)');
  return { current: webhookKey(current ?? DEVELOPMENT_KEY), ...(previous ? { previous: webhookKey(previous) } : {}) };
}

let processKeyring: WebhookKeyring | undefined;
/** This process's keys, read once from its environment. */
export function webhookKeys(): WebhookKeyring {
  processKeyring ??= webhookKeyringFromEnv(process.env, (message) => createLogger('webhook-secrets').warn(message));
  return processKeyring;
}

/** The row a sealed secret belongs to: a sealed value copied to another organisation's row does not open. */
const boundTo = (organisationId: string) => Buffer.from(`webhooks.secret\n${organisationId}`);

export function sealWebhookSecret(keys: WebhookKeyring, organisationId: string, secret: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.current.key, nonce);
  cipher.setAAD(boundTo(organisationId));
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [FORMAT, keys.current.id, nonce.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

/** A keyed hash of a secret, for comparing inputs without keeping the secret or a hash one could test guesses against. */
export const fingerprintWebhookSecret = (keys: WebhookKeyring, secret: string): string =>
  createHmac('sha256', keys.current.key).update(`fingerprint\n${secret}`).digest('hex');

/** A stored secret no configured key opens (the key that sealed it is gone, or the row was tampered with). */
export class UnreadableWebhookSecret extends Error {
  constructor() {
    super('The webhook secret cannot be decrypted with the configured keys.');
  }
}

/** The secret of a stored value: sealed under the current or previous key, or plain text from before sealing. */
export function openWebhookSecret(keys: WebhookKeyring, organisationId: string, stored: string): string {
  const sealed = SEALED.exec(stored);
  if (!sealed) {
    if (SEALED_PREFIX.test(stored)) throw new UnreadableWebhookSecret();
    return stored;
  }
  const [, id, nonce, tag, body] = sealed as unknown as [string, string, string, string, string];
  const key = [keys.current, keys.previous].find((k) => k?.id === id);
  if (!key) throw new UnreadableWebhookSecret();
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(nonce, 'base64url'));
    decipher.setAAD(boundTo(organisationId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new UnreadableWebhookSecret();
  }
}

/** Whether a stored value is anything but sealed under the current key. */
export const needsSealing = (keys: WebhookKeyring, stored: string): boolean => SEALED.exec(stored)?.[1] !== keys.current.id;

/**
 * Seals, under the current key, every stored secret that is plain text or
 * under the previous key: run at start, after the SQL migrations. Each row is
 * replaced only if unchanged since read, so a registration meanwhile wins.
 * A row no key opens is left (and counted): its party registers again.
 */
export async function sealStoredWebhookSecrets(db: Database, keys: WebhookKeyring = webhookKeys()): Promise<{ sealed: number; unreadable: number }> {
  const rows = await db.query<{ organisationId: string; secret: string }>('SELECT organisation_id AS "organisationId", secret FROM webhooks');
  let sealed = 0;
  let unreadable = 0;
  for (const row of rows) {
    if (!needsSealing(keys, row.secret)) continue;
    let secret: string;
    try {
      secret = openWebhookSecret(keys, row.organisationId, row.secret);
    } catch {
      unreadable++;
      continue;
    }
    const updated = await db.query('UPDATE webhooks SET secret = $3 WHERE organisation_id = $1 AND secret = $2 RETURNING 1', [
      row.organisationId,
      row.secret,
      sealWebhookSecret(keys, row.organisationId, secret),
    ]);
    sealed += updated.length;
  }
  return { sealed, unreadable };
}
