import { departmentsImport } from './departments.js';
import { tenanciesImport } from './tenancies.js';

export { departmentsImport, tenanciesImport };

/** What the housing companies import and export (npm run import / export -- housing <kind> <file>). */
export const housingImportKinds = [departmentsImport, tenanciesImport];
