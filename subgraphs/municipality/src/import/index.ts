import { decisionsImport } from './decisions.js';
import { initiativesImport } from './initiatives.js';
import { meetingsImport } from './meetings.js';

export { decisionsImport, initiativesImport, meetingsImport };

/** What the municipality imports and exports (npm run import / export -- municipality <kind> <file>). */
export const municipalityImportKinds = [initiativesImport, meetingsImport, decisionsImport];
