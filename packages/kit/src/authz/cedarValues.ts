/** Cedar values in their JSON form, as cedar-wasm takes them. */
export type EntityRef = { __entity: { type: string; id: string } };
export type CedarValue = boolean | number | string | EntityRef | CedarValue[] | { [key: string]: CedarValue };

/** A resource as policies see it: its uid, attributes and (optional) parents. */
export interface ResourceEntity {
  type: string;
  id: string;
  /** Every attribute (computed on first use where the descriptor gives attributes one by one). */
  readonly attrs: Record<string, CedarValue>;
  /** One attribute, computed on demand; undefined when the entity has no such attribute. */
  lookup?: (name: string) => CedarValue | undefined;
  parents?: EntityRef[];
}

const refs = new Map<string, Map<string, EntityRef>>();
/** Entity references are values: one shared (frozen) object per entity, not one per row. */
export const entityRef = (type: string, id: string): EntityRef => {
  let byId = refs.get(type);
  if (!byId) refs.set(type, (byId = new Map()));
  let ref = byId.get(id);
  if (!ref) {
    ref = Object.freeze({ __entity: Object.freeze({ type, id }) });
    if (byId.size < 100_000) byId.set(id, ref);
  }
  return ref;
};

export function isEntityRef(value: unknown): value is EntityRef {
  return typeof value === 'object' && value !== null && '__entity' in value;
}

export function cedarEquals(a: CedarValue, b: CedarValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (isEntityRef(a) || isEntityRef(b)) {
    return isEntityRef(a) && isEntityRef(b) && a.__entity.type === b.__entity.type && a.__entity.id === b.__entity.id;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    // Sets: equal when each holds every element of the other.
    if (!Array.isArray(a) || !Array.isArray(b)) return false;
    return a.every((x) => b.some((y) => cedarEquals(x, y))) && b.every((y) => a.some((x) => cedarEquals(x, y)));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => k in b && cedarEquals(a[k]!, (b as Record<string, CedarValue>)[k]!));
}

const refSets = new Map<string, readonly EntityRef[]>();
/** A set of references to entities of one type, shared by every row with the same members. */
export function entityRefs(type: string, ids: readonly string[]): EntityRef[] {
  const key = ids.length === 0 ? type : `${type}\u0000${ids.join('\u0000')}`;
  let refs = refSets.get(key);
  if (!refs) {
    refs = Object.freeze(ids.map((id) => entityRef(type, id)));
    if (refSets.size < 100_000) refSets.set(key, refs);
  }
  return refs as EntityRef[];
}
