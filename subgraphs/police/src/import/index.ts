import { incidentsImport } from './incidents.js';
import { safetyIndexImport } from './safetyIndex.js';

export { incidentsImport, safetyIndexImport };

/** What the police import and export (npm run import / export -- police <kind> <file>). */
export const policeImportKinds = [safetyIndexImport, incidentsImport];
