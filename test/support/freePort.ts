export { freePort } from '@partnergraph/subgraph-kit/testing';
