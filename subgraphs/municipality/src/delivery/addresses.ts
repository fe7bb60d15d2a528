import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * Which addresses a webhook request may connect to. A partner chooses the URL,
 * so without this the municipality's server could be made to call its own
 * internal services (SSRF), also through a name that resolves to a public
 * address at registration and to an internal one at send time (DNS
 * rebinding): the deliverer therefore resolves once per attempt, checks every
 * address, and connects to the one it checked.
 */

/**
 * Not the public internet: this host, private networks, link-local (incl. the
 * cloud metadata address 169.254.169.254), the 6to4 relay anycast (relays
 * forward into whatever network runs them), multicast, reserved.
 */
const REFUSED_V4 = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.88.99.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
];
/**
 * Unspecified, loopback, IPv4-compatible, local-use NAT64 (translated by the
 * operator's own gateway, into any network it reaches), discard, Teredo,
 * documentation, unique-local, link-local, site-local, multicast.
 */
const REFUSED_V6 = ['::/96', '64:ff9b:1::/48', '100::/64', '2001::/32', '2001:db8::/32', 'fc00::/7', 'fe80::/10', 'fec0::/10', 'ff00::/8'];

const refused = new BlockList();
for (const range of REFUSED_V4) addRange(refused, range);
for (const range of REFUSED_V6) addRange(refused, range);

function addRange(list: BlockList, range: string): void {
  const [address = '', bits] = range.split('/');
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
  if (!family) throw new Error(`Not an IP address or range: "${range}".`);
  if (bits === undefined) list.addAddress(address, family);
  else list.addSubnet(address, Number(bits), family);
}

/** An IPv6 address's 16 bytes (zone dropped), or undefined if it is none. */
function ipv6Bytes(address: string): number[] | undefined {
  const plain = address.split('%')[0]!;
  if (!isIPv6(plain)) return undefined;
  let text = plain;
  // A trailing dotted quad (::ffff:127.0.0.1) is two groups.
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad[1]!.split('.').map(Number) as [number, number, number, number];
    text = text.slice(0, -quad[1]!.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const groups = (part: string) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

/**
 * The IPv4 address an IPv6 address carries: IPv4-mapped (::ffff:a.b.c.d),
 * IPv4-translated (SIIT, ::ffff:0:a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4
 * (2002:aabb:ccdd::) all reach that IPv4 address, so they are judged by it.
 */
export function embeddedIPv4(address: string): string | undefined {
  const bytes = ipv6Bytes(address);
  if (!bytes) return undefined;
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  let v4: number[] | undefined;
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) v4 = bytes.slice(12);
  else if (zeros(0, 8) && bytes[8] === 0xff && bytes[9] === 0xff && zeros(10, 12)) v4 = bytes.slice(12);
  else if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12)) v4 = bytes.slice(12);
  else if (bytes[0] === 0x20 && bytes[1] === 0x02) v4 = bytes.slice(2, 6);
  return v4?.join('.');
}

/**
 * Ranges allowed although refused above (WEBHOOK_ALLOWED_ADDRESSES: addresses
 * or CIDR ranges, comma-separated), e.g. a partner reached over a private
 * link, or the tests' receivers on 127.0.0.1.
 */
export function addressAllowList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) addRange(list, entry);
  return list;
}

const familyOf = (address: string) => (isIPv4(address) ? 'ipv4' : 'ipv6');

/** Whether a request may connect to `address`. */
export function addressAllowed(address: string, allowed: BlockList): boolean {
  const plain = address.split('%')[0]!;
  const v4 = embeddedIPv4(plain);
  const judged = [plain, ...(v4 ? [v4] : [])];
  if (judged.some((a) => allowed.check(a, familyOf(a)))) return true;
  return !judged.some((a) => refused.check(a, familyOf(a)));
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** How a host name becomes addresses (the system resolver; tests give their own). */
export type WebhookLookup = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemLookup: WebhookLookup = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));

/** The URL's host as addresses: an IP literal is itself, a name is resolved once. */
export async function resolveHost(hostname: string, lookup: WebhookLookup): Promise<ResolvedAddress[]> {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  if (isIPv4(bare)) return [{ address: bare, family: 4 }];
  if (isIPv6(bare)) return [{ address: bare, family: 6 }];
  return lookup(bare);
}
