import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DevIssuer } from '@partnergraph/common';
import { describe, expect, it } from 'vitest';
import { addressAllowed, addressAllowList, embeddedIPv4 } from '../src/delivery/addresses.js';
import { openWebhookSecret, sealWebhookSecret, UnreadableWebhookSecret, webhookKey, webhookKeyringFromEnv } from '../src/delivery/secrets.js';

/** Issue 12's leftovers: which addresses a webhook may reach, and the keys its secrets are sealed with. */

const KEY = 'a-webhook-key-for-the-tests-0123456789abcdef';
const SECRET = 'receiver-secret-0123456789abcdefghijklmn';

describe('webhook target addresses', () => {
  const none = addressAllowList([]);

  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.254',
    '192.168.1.1',
    '169.254.169.254',
    '169.254.0.1',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '239.255.255.250',
    '255.255.255.255',
    '::',
    '::1',
    'fe80::1',
    'fe80::1%eth0',
    'fd00::1',
    'fc12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '::ffff:10.0.0.1',
    '64:ff9b::10.0.0.1',
    // Local-use NAT64: the operator's own translator, whatever IPv4 address it carries.
    '64:ff9b:1::a00:1',
    '64:ff9b:1::1.1.1.1',
    // IPv4-translated (SIIT) carrying a private, loopback or link-local address.
    '::ffff:0:10.0.0.1',
    '::ffff:0:7f00:1',
    '::ffff:0:169.254.169.254',
    // The 6to4 relay anycast, and 6to4 through it.
    '192.88.99.1',
    '2002:c058:6301::',
    '2002:7f00:1::',
    '::127.0.0.1',
  ])('refuses %s', (address) => {
    expect(addressAllowed(address, none)).toBe(false);
  });

  it.each(['1.1.1.1', '8.8.4.4', '172.32.0.1', '192.169.0.1', '2606:4700:4700::1111', '::ffff:1.1.1.1', '::ffff:0:1.1.1.1', '64:ff9b::1.1.1.1'])('allows the public address %s', (address) => {
    expect(addressAllowed(address, none)).toBe(true);
  });

  it('allows a refused address or range only where configured, in either notation', () => {
    const allowed = addressAllowList(['127.0.0.1', '10.20.0.0/16', 'fd00:1::/32']);
    expect(addressAllowed('127.0.0.1', allowed)).toBe(true);
    expect(addressAllowed('::ffff:127.0.0.1', allowed)).toBe(true);
    expect(addressAllowed('127.0.0.2', allowed)).toBe(false);
    expect(addressAllowed('10.20.3.4', allowed)).toBe(true);
    expect(addressAllowed('10.21.3.4', allowed)).toBe(false);
    expect(addressAllowed('fd00:1::5', allowed)).toBe(true);
    expect(addressAllowed('169.254.169.254', allowed)).toBe(false);
    expect(() => addressAllowList(['localhost'])).toThrow(/Not an IP address/);
  });

  it('reads the IPv4 address inside mapped, translated (SIIT), NAT64 and 6to4 addresses', () => {
    expect(embeddedIPv4('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(embeddedIPv4('::FFFF:192.168.0.1')).toBe('192.168.0.1');
    expect(embeddedIPv4('::ffff:0:a00:1')).toBe('10.0.0.1');
    expect(embeddedIPv4('::ffff:1:a00:1')).toBeUndefined();
    expect(embeddedIPv4('64:ff9b::a9fe:a9fe')).toBe('169.254.169.254');
    expect(embeddedIPv4('2002:0a00:0001::1')).toBe('10.0.0.1');
    expect(embeddedIPv4('2606:4700::1')).toBeUndefined();
    expect(embeddedIPv4('1.2.3.4')).toBeUndefined();
  });
});

describe('webhook secret keys', () => {
  it('refuses to start in production without a key, or with a short one anywhere', () => {
    expect(() => webhookKeyringFromEnv({ NODE_ENV: 'production' })).toThrow(/PARTNERGRAPH_WEBHOOK_KEY is required when NODE_ENV=production/);
    expect(() => webhookKeyringFromEnv({ NODE_ENV: 'production', PARTNERGRAPH_WEBHOOK_KEY: 'short' })).toThrow(/at least 32 characters/);
    expect(() => webhookKeyringFromEnv({ PARTNERGRAPH_WEBHOOK_KEY: KEY, PARTNERGRAPH_WEBHOOK_KEY_PREVIOUS: 'short' })).toThrow(/_PREVIOUS must be at least 32/);
    const keys = webhookKeyringFromEnv({ NODE_ENV: 'production', PARTNERGRAPH_WEBHOOK_KEY: KEY });
    expect(keys.current.id).toBe(webhookKey(KEY).id);
    expect(keys.previous).toBeUndefined();
  });

  it('runs on the development key outside production, and says so', () => {
    const warnings: string[] = [];
    const keys = webhookKeyringFromEnv({}, (message) => warnings.push(message));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/development key/);
    expect(keys.current.id).not.toBe(webhookKey(KEY).id);
  });

  it("seals a secret for one organisation's row: another key or another row does not open it", () => {
    const keys = { current: webhookKey(KEY) };
    const sealed = sealWebhookSecret(keys, 'fob', SECRET);
    expect(sealed).not.toContain(SECRET.slice(0, 8));
    expect(sealWebhookSecret(keys, 'fob', SECRET)).not.toBe(sealed);
    expect(openWebhookSecret(keys, 'fob', sealed)).toBe(SECRET);
    expect(() => openWebhookSecret(keys, 'sab', sealed)).toThrow(UnreadableWebhookSecret);
    expect(() => openWebhookSecret({ current: webhookKey(`${KEY}-other`) }, 'fob', sealed)).toThrow(UnreadableWebhookSecret);
    const [format, id, nonce, tag, body] = sealed.split('.');
    const flipped = `${body!.startsWith('A') ? 'B' : 'A'}${body!.slice(1)}`;
    expect(() => openWebhookSecret(keys, 'fob', [format, id, nonce, tag, flipped].join('.'))).toThrow(UnreadableWebhookSecret);
    // The previous key opens what it sealed; the message names no secret.
    const rotated = { current: webhookKey(`${KEY}-new`), previous: webhookKey(KEY) };
    expect(openWebhookSecret(rotated, 'fob', sealed)).toBe(SECRET);
    expect(new UnreadableWebhookSecret().message).not.toContain(SECRET);
  });

  it('refuses a value with the sealed prefix that does not parse, instead of reading it as a plain-text secret', () => {
    const keys = { current: webhookKey(KEY) };
    const sealed = sealWebhookSecret(keys, 'fob', SECRET);
    const [format, id, nonce, tag, body] = sealed.split('.');
    for (const broken of [
      sealed.slice(0, -3) + '!!!',
      `${format}.${id}.${nonce}.${tag}`,
      `${format}.${id!.toUpperCase()}.${nonce}.${tag}.${body}`,
      `${format}.${id}.${nonce}.${tag}.${body}.extra`,
      'pgws1.',
      'pgws1.plain-text-looking-secret-0123456789',
      `pgws2.${id}.${nonce}.${tag}.${body}`,
    ]) {
      expect(() => openWebhookSecret(keys, 'fob', broken), broken).toThrow(UnreadableWebhookSecret);
    }
    // Without the prefix a value is still a plain-text secret from before sealing.
    expect(openWebhookSecret(keys, 'fob', 'pgws-like-but-plain-0123456789abcdef')).toBe('pgws-like-but-plain-0123456789abcdef');
  });
});

describe("the municipality's production entry", () => {
  const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

  /** Starts the built entry as production runs it (embedded database in a temporary folder); resolves with its exit code and output. */
  async function start(extra: Record<string, string>): Promise<{ code: number | null; output: string }> {
    const dataDir = mkdtempSync(join(tmpdir(), 'partnergraph-webhook-key-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      PARTNERGRAPH_DATA_DIR: dataDir,
      PARTNERGRAPH_TRUST: JSON.stringify((await DevIssuer.create()).trustConfig()),
      MUNICIPALITY_PORT: '0',
      ...extra,
    };
    for (const name of ['MUNICIPALITY_DATABASE_URL', 'PARTNERGRAPH_WEBHOOK_KEY', 'PARTNERGRAPH_WEBHOOK_KEY_PREVIOUS', 'REDIS_URL']) if (!(name in extra)) delete env[name];
    try {
      return await new Promise((resolve) => {
        const child = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (c: Buffer) => (output += c.toString()));
        child.stderr.on('data', (c: Buffer) => (output += c.toString()));
        // A process that came up instead of refusing is stopped, and counts as started (code 0).
        const up = setInterval(() => {
          if (/listening|ready|started/i.test(output)) child.kill('SIGTERM');
        }, 100);
        // The embedded database's first start is slow on a loaded machine: a hang, not slowness, is what this catches.
        const timer = setTimeout(() => child.kill('SIGKILL'), 75_000);
        child.on('exit', (code) => {
          clearInterval(up);
          clearTimeout(timer);
          resolve({ code: code ?? 0, output });
        });
      });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }

  it('refuses to start without PARTNERGRAPH_WEBHOOK_KEY, or with one too short', async () => {
    const missing = await start({});
    expect(missing.code).not.toBe(0);
    expect(missing.output).toContain('PARTNERGRAPH_WEBHOOK_KEY is required when NODE_ENV=production');
    const short = await start({ PARTNERGRAPH_WEBHOOK_KEY: 'too-short' });
    expect(short.code).not.toBe(0);
    expect(short.output).toContain('PARTNERGRAPH_WEBHOOK_KEY must be at least 32 characters');
    expect(short.output).not.toContain('too-short');
    // With a key it comes up: the refusals above are the key's.
    const keyed = await start({ PARTNERGRAPH_WEBHOOK_KEY: KEY });
    expect(keyed.output).toContain('municipality subgraph listening');
  }, 240_000);
});
