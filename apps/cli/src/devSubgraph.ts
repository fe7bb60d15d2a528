import { findOwner } from '@partnergraph/registry';
import { serveSubgraph } from '@partnergraph/subgraph-kit';
import { worldFromEnv } from '@partnergraph/synthetic';
import { loadSeed, loadSubgraph } from './owners.js';

/**
 * One owner's subgraph as `npm start` runs it in development: what the owner's
 * production entry serves, plus the synthetic partnership seeded into an empty
 * database (`PARTNERGRAPH_SEED=none` skips it). Production runs the owner's own
 * entry, which never loads the generator.
 *
 *   node apps/cli/dist/devSubgraph.js <owner>
 */
const owner = findOwner(process.argv[2]);
const [subgraph, seed] = await Promise.all([loadSubgraph(owner), loadSeed(owner)]);
const world = worldFromEnv();
await serveSubgraph(subgraph, { seed: (db) => seed(db, world) });
