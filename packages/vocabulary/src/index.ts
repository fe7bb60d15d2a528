export * from './areas.js';
export * from './organisations.js';
export * from './purposes.js';
export * from './agreement.js';
export * from './police.js';
export * from './municipality.js';
export * from './housing.js';
