import { badInput, isStorableText } from '@partnergraph/common';
import {
  getNamedType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';

/** More than any query plan sends in one fetch (a 1,000-row page with a few entities per row). */
const MAX_REPRESENTATIONS = 10_000;
const MAX_ID_LENGTH = 256;

/**
 * Checks `_entities` representations against the subgraph's own schema before
 * any reference resolver sees them: each a plain object naming one of this
 * subgraph's entity types, holding only fields of that type (no prototype keys
 * or anything else), each of its declared type: enum values among the enum's,
 * scalars as the scalar parses them, text storable, ids short. A caller who
 * bypasses the gateway gets BAD_USER_INPUT, never a resolver's failure.
 */
export function representationChecker(schema: GraphQLSchema): (representations: unknown) => void {
  const entityUnion = schema.getType('_Entity');
  const entities = new Map<string, GraphQLObjectType>(
    entityUnion && 'getTypes' in entityUnion ? (entityUnion.getTypes() as GraphQLObjectType[]).map((t) => [t.name, t]) : [],
  );
  const keys = new Map([...entities.values()].map((type) => [type.name, keyFields(type)]));
  return (representations) => {
    if (!Array.isArray(representations)) throw badInput('representations must be a list.', 'representations');
    if (representations.length > MAX_REPRESENTATIONS) throw badInput(`At most ${MAX_REPRESENTATIONS} representations per request.`, 'representations');
    representations.forEach((representation, index) => {
      const where = `Representation ${index}`;
      if (!isPlainObject(representation)) throw badInput(`${where} is not an object.`, 'representations');
      const typename = representation['__typename'];
      const type = typeof typename === 'string' ? entities.get(typename) : undefined;
      if (!type) throw badInput(`${where} does not name an entity type of this subgraph.`, 'representations');
      for (const key of keys.get(type.name) ?? []) {
        if (representation[key] === undefined || representation[key] === null) throw badInput(`${where} (${type.name}) lacks its key ${key}.`, 'representations');
      }
      checkFields(type, representation, `${where} (${type.name})`, 0, true);
    });
  };
}

/** The top-level fields of the type's first `@key` (nested selections count by their field). */
function keyFields(type: GraphQLObjectType): string[] {
  for (const node of [type.astNode, ...type.extensionASTNodes]) {
    for (const directive of node?.directives ?? []) {
      if (directive.name.value !== 'key') continue;
      const fields = directive.arguments?.find((a) => a.name.value === 'fields')?.value;
      if (fields?.kind !== Kind.STRING) continue;
      let depth = 0;
      const names: string[] = [];
      for (const token of fields.value.match(/[{}]|[_A-Za-z][_0-9A-Za-z]*/g) ?? []) {
        if (token === '{') depth++;
        else if (token === '}') depth--;
        else if (depth === 0) names.push(token);
      }
      return names;
    }
  }
  return [];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function checkFields(type: GraphQLObjectType, value: Record<string, unknown>, where: string, depth: number, root: boolean): void {
  if (depth > 8) throw badInput(`${where} nests too deep.`, 'representations');
  const fields = type.getFields();
  for (const key of Object.keys(value)) {
    if (key === '__typename' && (root || value[key] === type.name)) continue;
    // Own fields only: `__proto__`, `constructor` and the like are no field of any type here.
    const field = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (!field || key.startsWith('__')) throw badInput(`${where} holds a field its type does not have.`, 'representations');
    checkValue(field.type, value[key], `${where}.${key}`, depth);
  }
}

function checkValue(type: GraphQLOutputType, value: unknown, where: string, depth: number): void {
  if (isNonNullType(type)) {
    if (value === null || value === undefined) throw badInput(`${where} must not be null.`, 'representations');
    return checkValue(type.ofType, value, where, depth);
  }
  if (value === null || value === undefined) return;
  if (isListType(type)) {
    if (!Array.isArray(value)) throw badInput(`${where} must be a list.`, 'representations');
    for (const item of value) checkValue(type.ofType, item, where, depth + 1);
    return;
  }
  const named = getNamedType(type);
  if (isEnumType(named)) {
    if (typeof value !== 'string' || !named.getValues().some((v) => v.name === value)) {
      throw badInput(`${where} is not a ${named.name} value.`, 'representations');
    }
    return;
  }
  if (isScalarType(named)) {
    if (typeof value === 'string' && (!isStorableText(value) || (named.name === 'ID' && value.length > MAX_ID_LENGTH))) {
      throw badInput(`${where} is not a valid ${named.name}.`, 'representations');
    }
    if (typeof value === 'object') throw badInput(`${where} is not a valid ${named.name}.`, 'representations');
    try {
      named.parseValue(value);
    } catch {
      throw badInput(`${where} is not a valid ${named.name}.`, 'representations');
    }
    return;
  }
  if (isObjectType(named)) {
    if (!isPlainObject(value)) throw badInput(`${where} must be an object.`, 'representations');
    return checkFields(named, value, where, depth + 1, false);
  }
  throw badInput(`${where} cannot be given in a representation.`, 'representations');
}
