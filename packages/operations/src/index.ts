export * from './generated.js';
