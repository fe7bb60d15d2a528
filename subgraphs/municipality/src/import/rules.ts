import type { Reject } from '@partnergraph/import';
import { GraphQLError } from 'graphql';

/**
 * Runs one of the municipality's rules (the ones its mutations apply) on an
 * imported row: a refusal becomes a rejection of the column the rule names.
 */
export function applyRule<T>(rule: () => T, columnOf: Record<string, string>, reject: Reject): T | null {
  try {
    return rule();
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    const field = String(error.extensions['field'] ?? '-').replace(/\[\d+\].*$/, '');
    reject(columnOf[field] ?? '-', error.message);
    return null;
  }
}

/** The same record named twice (by Id and by its natural key, say) is ambiguous: the file must say which. */
export const NOT_YOURS = 'names a record that is not among those you may change';
