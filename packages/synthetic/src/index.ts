export * from './random.js';
export * from './names.js';
export * from './world.js';
export * from './municipality.js';
export * from './exports.js';
