import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The headers of a webhook request (documented in the README, "Webhooks"):
 * receivers verify the signature, refuse old timestamps, and use the event id
 * to ignore a repeated delivery.
 */
export const WEBHOOK_HEADERS = {
  eventId: 'x-partnergraph-event-id',
  eventType: 'x-partnergraph-event-type',
  timestamp: 'x-partnergraph-timestamp',
  signature: 'x-partnergraph-signature',
  attempt: 'x-partnergraph-delivery-attempt',
} as const;

/** `v1=` and the hex HMAC-SHA256, keyed by the shared secret, of `<timestamp>.<body>`. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * What a receiver does (and what the tests do): recompute the signature, compare
 * in constant time, and refuse a timestamp more than `toleranceSeconds` away.
 */
export function verifyWebhook(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  toleranceSeconds = 300,
  now = Date.now(),
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(now / 1000 - timestamp) > toleranceSeconds || !headers.signature) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Only http(s), no credentials in the URL; with an allow-list, only its hosts (and their subdomains). */
export function webhookTargetProblem(url: string, allowedHosts: readonly string[]): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'must use http or https';
  if (parsed.username || parsed.password) return 'must not carry credentials';
  if (allowedHosts.length) {
    const host = parsed.hostname.toLowerCase();
    if (!allowedHosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`))) return 'is not on the allowed list of webhook targets';
  }
  return null;
}
