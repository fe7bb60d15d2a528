import { ensureDevIdentity } from './devIdentity.js';
import { clientDataDirOrExit, runningSystems } from './runningSystems.js';

/**
 * `npm run -s gql -- <persona> <purpose> [--pick path] '<query>' ['<variables JSON>']`
 * Posts one GraphQL request to the gateway as a dev persona (what the README's
 * walkthrough uses); prints the JSON answer, or with --pick one value of it.
 */
const args = process.argv.slice(2);
const pickAt = args.indexOf('--pick');
const pick = pickAt >= 0 ? args.splice(pickAt, 2)[1] : undefined;
const [persona, purpose, query, variables] = args;
if (!persona || !purpose || !query) {
  console.error("Usage: npm run -s gql -- <persona> <purpose> [--pick data.path.to.value] '<query>' ['<variables JSON>']");
  process.exit(2);
}
const port = process.env['GATEWAY_PORT'];
const running = runningSystems().filter((s) => port === undefined || s.gatewayPort === Number(port));
const url = process.env['GATEWAY_URL'] ?? (running.length === 1 ? running[0]!.gatewayUrl : `http://127.0.0.1:${port ?? 4000}/graphql`);
const { issuer } = await ensureDevIdentity(clientDataDirOrExit());
const res = await fetch(url, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${await issuer.signPersona(persona)}`, 'x-purpose': purpose },
  body: JSON.stringify({ query, variables: variables ? JSON.parse(variables) : undefined }),
});
const body = (await res.json()) as Record<string, unknown>;
if (pick) {
  const value = pick.split('.').reduce<unknown>((v, k) => (v === null || v === undefined ? v : (v as Record<string, unknown>)[k]), body);
  if (value === undefined || value === null) {
    console.error(JSON.stringify(body, null, 2));
    process.exit(1);
  }
  console.log(typeof value === 'string' ? value : JSON.stringify(value));
} else {
  console.log(JSON.stringify(body, null, 2));
}
