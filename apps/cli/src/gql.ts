import { writeFileSync } from 'node:fs';
import { listsIn, toCsv } from '@partnergraph/operations';
import { ensureDevIdentity } from './devIdentity.js';
import { clientDataDirOrExit, runningSystems } from './runningSystems.js';

/**
 * `npm run -s gql -- <persona> <purpose> [--pick path] [--csv <file> [--list path]] '<query>' ['<variables JSON>']`
 * Posts one GraphQL request to the gateway as a dev persona (what the README's
 * walkthrough uses); prints the JSON answer, or with --pick one value of it,
 * or with --csv writes a list of the result as CSV (the first list, or the one
 * --list names, e.g. `injunctionStatistics.years[].byKind`; `-` for stdout),
 * suppressed cells empty with their `suppressed` flag, as the workbench does.
 */
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(`--${name}`);
  if (at < 0) return undefined;
  const value = args.splice(at, 2)[1];
  if (value === undefined) {
    console.error(`--${name} needs a value.`);
    process.exit(2);
  }
  return value;
};
const pick = option('pick');
const csvFile = option('csv');
const listPath = option('list');
const [persona, purpose, query, variables] = args;
if (!persona || !purpose || !query || (listPath && !csvFile)) {
  console.error("Usage: npm run -s gql -- <persona> <purpose> [--pick data.path.to.value] [--csv <file|-> [--list path]] '<query>' ['<variables JSON>']");
  process.exit(2);
}
let parsedVariables: unknown;
try {
  parsedVariables = variables ? JSON.parse(variables) : undefined;
} catch {
  console.error('The variables are not valid JSON.');
  process.exit(2);
}
const port = process.env['GATEWAY_PORT'];
const running = runningSystems().filter((s) => port === undefined || s.gatewayPort === Number(port));
const url = process.env['GATEWAY_URL'] ?? (running.length === 1 ? running[0]!.gatewayUrl : `http://127.0.0.1:${port ?? 4000}/graphql`);
const { issuer } = await ensureDevIdentity(clientDataDirOrExit());
const res = await fetch(url, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${await issuer.signPersona(persona)}`, 'x-purpose': purpose },
  body: JSON.stringify({ query, variables: parsedVariables }),
});
const body = (await res.json()) as Record<string, unknown>;
if (csvFile) {
  const lists = listsIn(body['data'] ?? null);
  const list = listPath ? lists.find((l) => l.path === listPath) : lists[0];
  if (body['errors']) console.error(JSON.stringify(body['errors'], null, 2));
  if (!list) {
    console.error(listPath ? `No list at ${listPath}. Lists in the result: ${lists.map((l) => l.path).join(', ') || 'none'}.` : 'The result has no list to write.');
    process.exit(1);
  }
  const csv = toCsv(list.rows);
  if (csvFile === '-') process.stdout.write(csv);
  else {
    writeFileSync(csvFile, csv);
    console.error(`wrote ${list.rows.length} rows of ${list.path} to ${csvFile}`);
  }
} else if (pick) {
  const value = pick.split('.').reduce<unknown>((v, k) => (v === null || v === undefined ? v : (v as Record<string, unknown>)[k]), body);
  if (value === undefined || value === null) {
    console.error(JSON.stringify(body, null, 2));
    process.exit(1);
  }
  console.log(typeof value === 'string' ? value : JSON.stringify(value));
} else {
  console.log(JSON.stringify(body, null, 2));
}
