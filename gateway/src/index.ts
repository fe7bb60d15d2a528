export * from './config.js';
export * from './context.js';
export * from './createGateway.js';
export * from './SubgraphDataSource.js';
