export * from './generated.js';
export * from './csv.js';
