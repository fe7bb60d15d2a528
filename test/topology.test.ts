import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverOwners, type Owner } from '@partnergraph/registry';
import { describe, expect, it } from 'vitest';
import { addOwnerToScrapeConfig, scrapeProblems } from '../apps/cli/src/scrapeConfig.js';
import { addOwnerToTopology, topologyProblems } from '../apps/cli/src/topology.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const compose = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
const owners = discoverOwners(root);

describe('the production topology (docker-compose.yml) agrees with the owner registry', () => {
  it('runs every registered owner on its entry and port, with its own database, behind the gateway', () => {
    expect(topologyProblems(compose, owners, root)).toEqual([]);
  });

  it('names what disagrees', () => {
    const housing = owners.find((o) => o.name === 'housing')!;
    // The gateway's variable (the last one of that name: subgraphs that check with housing have it too).
    const at = compose.lastIndexOf('SUBGRAPH_HOUSING_URL: http://housing:4003/graphql');
    const broken = `${compose.slice(0, at)}SUBGRAPH_HOUSNG_URL${compose.slice(at + 'SUBGRAPH_HOUSING_URL'.length)}`.replace('HOUSING_PORT: "4003"', 'HOUSING_PORT: "4009"');
    expect(broken).not.toBe(compose);
    expect(topologyProblems(broken, owners, root)).toEqual([
      `service "housing": HOUSING_PORT is 4009, the registry says ${housing.defaultPort}`,
      'gateway: SUBGRAPH_HOUSING_URL must be http://housing:4003/graphql',
      'gateway: SUBGRAPH_HOUSNG_URL names no registered owner',
    ]);
    const fourth: Owner = { ...housing, name: 'fourth', envPrefix: 'FOURTH', defaultPort: 4004, dir: join(root, 'subgraphs/fourth'), entryPath: join(root, 'subgraphs/fourth/dist/index.js') };
    expect(topologyProblems(compose, [...owners, fourth], root)).toEqual(['service "fourth" is missing (owner subgraphs/fourth)', 'gateway: SUBGRAPH_FOURTH_URL must be http://fourth:4004/graphql', 'gateway does not depend on fourth']);
  });

  it("adds a new owner's services, modelled on an existing owner's, so the check passes", () => {
    const model = owners[0]!;
    const fourth: Owner = { ...model, name: 'fourth', envPrefix: 'FOURTH', defaultPort: 4004, dir: join(root, 'subgraphs/fourth'), entryPath: join(root, 'subgraphs/fourth/dist/index.js') };
    const added = addOwnerToTopology(compose, model, fourth, owners);
    expect(topologyProblems(added, [...owners, fourth], root)).toEqual([]);
    // The rest of the file is untouched.
    expect(topologyProblems(added, owners, root)).toEqual(['gateway: SUBGRAPH_FOURTH_URL names no registered owner', 'service "fourth" runs subgraphs/fourth, which is no registered owner']);
  });
});

describe('Prometheus (deploy/prometheus.yml) scrapes every registered owner', () => {
  const scrape = readFileSync(join(root, 'deploy', 'prometheus.yml'), 'utf8');
  it('has each owner subgraph as a target at its registered port, and no other', () => {
    expect(scrapeProblems(scrape, owners)).toEqual([]);
    const fourth = { ...owners[0]!, name: 'fourth', envPrefix: 'FOURTH', defaultPort: 4004 };
    expect(scrapeProblems(scrape, [...owners, fourth])).toEqual(['subgraphs job has no target fourth:4004']);
    expect(scrapeProblems(addOwnerToScrapeConfig(scrape, fourth), [...owners, fourth])).toEqual([]);
    expect(scrapeProblems(scrape, owners.slice(1))).toEqual([`subgraphs job scrapes ${owners[0]!.name}:${owners[0]!.defaultPort}, which is no registered owner`]);
  });
});
