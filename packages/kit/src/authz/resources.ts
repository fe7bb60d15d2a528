import type { Queryable } from '../db/Database.js';
import type { CedarValue, EntityRef } from './cedarValues.js';
import type { SqlAttributeMap } from './residualSql.js';

/**
 * How one GraphQL type appears to the owner's policies. Every object type a
 * subgraph serves is listed (deny by default): `attributes` gives what the
 * rules need of a row, and for personal data who the data subject is.
 */
export interface ResourceDescriptor<Row = any> {
  /** The row's id as the Cedar resource id. */
  id: (row: Row) => string;
  /**
   * What the policies may test of a row: a function giving all attributes, or
   * one function per attribute, so that a rule testing one attribute costs one
   * computation per row.
   */
  attributes: ((row: Row) => Record<string, CedarValue>) | Record<string, (row: Row) => CedarValue>;
  parents?: (row: Row) => EntityRef[];
  /** SQL for the attributes, so row rules can narrow the owner's queries (see residualSql). */
  sql?: SqlAttributeMap;
  /**
   * Every row of the type, as the loaders give them: what `npm run policy:diff`
   * decides the rules on (over the synthetic data). Without it, the diff uses
   * every combination of the type's attribute values where they are few and
   * known, and otherwise compares the rules' conditions only.
   */
  rows?: (db: Queryable) => Promise<readonly Row[]>;
  /**
   * Seconds an answer made only of such rows may be cached by the gateway (for
   * the same access scope). Absent = never: personal data is not cacheable.
   */
  cacheMaxAgeSeconds?: number;
  /** Personal data: every disclosure is written to the disclosure log. */
  personal?: {
    /** The data subject (pseudonymous person id). */
    subject: (row: Row) => string | readonly string[] | null | undefined;
    /** The organisation(s) whose record this is (a housing company's tenancy, say). */
    owner: (row: Row) => string | readonly string[];
    /**
     * Only these fields are personal data (a member of staff's user id on an
     * otherwise non-personal record): only they are logged, and only answers
     * with them are never cached. Absent: every field.
     */
    fields?: readonly string[];
  };
}

/**
 * Types that only carry other types (connections, page info, result
 * envelopes). Their fields are structural; the rows inside are checked.
 */
export interface ResourceRegistry {
  resources: Record<string, ResourceDescriptor>;
  structural: readonly string[];
  /** Root fields whose answers may be cached, and for how many seconds. */
  cacheableRootFields: Readonly<Record<string, number>>;
}

export function defineResources<R extends Record<string, ResourceDescriptor>>(
  resources: R,
  structural: readonly string[] = [],
  cacheableRootFields: Record<string, number> = {},
): ResourceRegistry {
  return { resources, structural, cacheableRootFields };
}

/** Whether one field of a type is personal data: logged on every disclosure, never cached. */
export function isPersonalField(descriptor: ResourceDescriptor | undefined, field: string): boolean {
  const personal = descriptor?.personal;
  return personal !== undefined && (personal.fields === undefined || personal.fields.includes(field));
}
