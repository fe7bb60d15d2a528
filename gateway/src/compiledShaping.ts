import { createRequire } from 'node:module';

/**
 * Apollo Gateway's last step, result shaping (the merged subgraph data projected
 * over the API schema: aliases, fragments, @skip/@include, __typename, leaf
 * checks), compiled once per operation instead of interpreted per value.
 *
 * Apollo's `computeResponse` looks up each selection's directives, allocates a
 * result object per value and rebuilds the federation `Operation` from the
 * document on every request; under load that, and the garbage it makes, is
 * the largest cost in the gateway after parsing (bench README, profile). Here:
 *
 * - the `Operation` built for execution is reused while the document is the
 *   same (the request path parses each text once, so the node is the same);
 * - its selections are compiled once into a plain tree (directives resolved to
 *   a literal or a variable name, type wrappers and leaf checks precomputed);
 * - the answer is shaped along that tree with Apollo's own algorithm for an
 *   answer without errors. The moment anything would produce an error or a
 *   null bubbling up (an invalid leaf, a null for a non-null field, an
 *   unknown __typename, an introspection field, a failed assertion), the
 *   answer is shaped again by Apollo's own `computeResponse` from the same
 *   input (which shaping never modifies), so its errors, paths and nulls are
 *   Apollo's to the letter.
 *
 * Installed by patching the two module exports Apollo's executor calls through
 * (it reads them at call time); `installCompiledShaping` is idempotent.
 */

/* The federation-internals objects used here, as far as this module relies on them. */
interface Type {
  name: string;
  kind: string;
  ofType?: Type;
}
interface Directive {
  arguments(): { if?: unknown };
}
interface Element {
  appliedDirectivesOf(directive: unknown): Directive[];
}
interface FieldElement extends Element {
  name: string;
  responseName(): string;
  definition: { type: Type; isSchemaIntrospectionField(): boolean };
}
interface FragmentElement extends Element {
  typeCondition?: Type;
}
interface Selection {
  kind: 'FieldSelection' | 'FragmentSelection';
  element: FieldElement | FragmentElement;
  selectionSet?: SelectionSet;
}
interface SelectionSet {
  selections(): Selection[];
}
interface Schema {
  type(name: string): Type | undefined;
  skipDirective(): unknown;
  includeDirective(): unknown;
  booleanType(): Type;
  intType(): Type;
  idType(): Type;
  floatType(): Type;
  schemaDefinition: { rootType(kind: string): Type };
}
interface Operation {
  schema(): Schema;
  rootKind: string;
  selectionSet: SelectionSet;
  collectDefaultedVariableValues(): Record<string, unknown>;
}
interface ShapingArgs {
  operation: Operation;
  variables?: Record<string, unknown>;
  input: Record<string, unknown> | null | undefined;
  introspectionHandling: unknown;
}
type ShapingResult = { data: unknown; errors: unknown[] };
interface Internals {
  isSubtype(type: Type, maybeSubType: Type): boolean;
  isObjectType(type: Type): boolean;
  isCompositeType(type: Type): boolean;
  isCustomScalarType(type: Type): boolean;
  isEnumType(type: Type): type is Type & { value(name: string): unknown };
  Variable: new (...args: never[]) => { name: string };
}

/** Thrown inside the fast path: shape this answer with Apollo's own code instead. */
const FALLBACK = Symbol('fallback');

/** How a directive's `if` is decided: a literal, or the name of a variable. */
type Condition = { literal: boolean } | { variable: string };

/** A field's type, outermost wrapper first. */
type Shape =
  | { k: 'nonNull'; of: Shape }
  | { k: 'list'; of: Shape }
  | { k: 'composite'; type: Type }
  | { k: 'leaf'; valid: (value: unknown) => boolean };

interface FieldEntry {
  field: true;
  responseName: string;
  skip: Condition | undefined;
  include: Condition | undefined;
  introspection: boolean;
  typename: boolean;
  shape: Shape;
  sub: CompiledSet | undefined;
}
interface FragmentEntry {
  field: false;
  skip: Condition | undefined;
  include: Condition | undefined;
  typeCondition: Type | undefined;
  sub: CompiledSet;
  /** Whether the condition applies to a runtime type (types are few and fixed: bounded). */
  applies: Map<Type, boolean>;
}
type CompiledSet = Array<FieldEntry | FragmentEntry>;

interface Compiled {
  schema: Schema;
  root: CompiledSet;
  rootType: Type;
  defaulted: Record<string, unknown>;
  /** Schema types by name, for the names met in answers that the schema has. */
  types: Map<string, Type>;
}

const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;

/** Apollo's test, whether the number prints as an integer, without printing it where the answer is known (below 1e21 an integer prints in digits). */
function isIntegerText(value: number): boolean {
  if (!Number.isInteger(value)) return false;
  return Math.abs(value) < 1e21 || INTEGER.test(String(value));
}

class Compiler {
  constructor(
    private readonly fi: Internals,
    private readonly schema: Schema,
  ) {}

  set(selectionSet: SelectionSet): CompiledSet {
    return selectionSet.selections().map((selection) => {
      const element = selection.element;
      const skip = this.condition(element, this.schema.skipDirective());
      const include = this.condition(element, this.schema.includeDirective());
      if (selection.kind === 'FieldSelection') {
        const field = element as FieldElement;
        const entry: FieldEntry = {
          field: true,
          responseName: field.responseName(),
          skip,
          include,
          introspection: field.definition.isSchemaIntrospectionField(),
          typename: field.name === '__typename',
          shape: this.shape(field.definition.type),
          sub: selection.selectionSet ? this.set(selection.selectionSet) : undefined,
        };
        return entry;
      }
      const entry: FragmentEntry = {
        field: false,
        skip,
        include,
        typeCondition: (element as FragmentElement).typeCondition,
        sub: this.set(selection.selectionSet!),
        applies: new Map(),
      };
      return entry;
    });
  }

  private condition(element: Element, directive: unknown): Condition | undefined {
    const applied = element.appliedDirectivesOf(directive)[0];
    if (!applied) return undefined;
    const value = applied.arguments().if;
    return value instanceof this.fi.Variable ? { variable: value.name } : { literal: Boolean(value) };
  }

  private shape(type: Type): Shape {
    if (type.kind === 'NonNullType') return { k: 'nonNull', of: this.shape(type.ofType!) };
    if (type.kind === 'ListType') return { k: 'list', of: this.shape(type.ofType!) };
    if (this.fi.isCompositeType(type)) return { k: 'composite', type };
    return { k: 'leaf', valid: this.leafCheck(type) };
  }

  /** Apollo's isValidLeafValue, decided for one type ahead of time. */
  private leafCheck(type: Type): (value: unknown) => boolean {
    const s = this.schema;
    if (this.fi.isCustomScalarType(type)) return () => true;
    const isBoolean = type === s.booleanType();
    const isIntOrId = type === s.intType() || type === s.idType();
    const isFloat = type === s.floatType();
    const isNumeric = isBoolean || type === s.intType() || isFloat;
    const enumType = this.fi.isEnumType(type) ? type : undefined;
    return (value) => {
      if (typeof value === 'boolean') return isBoolean;
      if (typeof value === 'number' && isFinite(value)) return isIntOrId ? isIntegerText(value) : isFloat;
      if (typeof value === 'string') return enumType ? enumType.value(value) !== undefined : !isNumeric;
      return false;
    };
  }
}

const hasOwn = Object.prototype.hasOwnProperty;

class Shaper {
  constructor(
    private readonly fi: Internals,
    private readonly c: Compiled,
    private readonly variables: Record<string, unknown>,
  ) {}

  private type(name: string): Type | undefined {
    let type = this.c.types.get(name);
    if (type === undefined) {
      type = this.c.schema.type(name);
      if (type !== undefined) this.c.types.set(name, type);
    }
    return type;
  }

  private decided(condition: Condition): boolean {
    if ('literal' in condition) return condition.literal;
    const value = this.variables[condition.variable];
    if (typeof value !== 'boolean') throw FALLBACK; // Apollo asserts
    return value;
  }

  private skipped(entry: FieldEntry | FragmentEntry): boolean {
    return (entry.skip !== undefined && this.decided(entry.skip)) || (entry.include !== undefined && !this.decided(entry.include));
  }

  /** Apollo's applySelectionSet, for a selection set that shapes without errors. */
  apply(input: Record<string, unknown>, set: CompiledSet, output: Record<string, unknown>, parentType: Type): void {
    for (const entry of set) {
      if ((entry.skip !== undefined || entry.include !== undefined) && this.skipped(entry)) continue;
      if (entry.field) {
        if (entry.introspection) throw FALLBACK;
        const name = entry.responseName;
        const outputValue = output[name];
        let inputValue = (hasOwn.call(input, name) ? input[name] : undefined) ?? null;
        if (entry.typename) {
          if (outputValue === undefined) {
            if (inputValue === null && name !== '__typename') inputValue = input['__typename'] ?? null;
            const type = typeof inputValue === 'string' ? (this.type(inputValue) ?? parentType) : parentType;
            if (!this.fi.isObjectType(type)) throw FALLBACK; // a null bubbling up
            output[name] = type.name;
          }
          continue;
        }
        output[name] = this.value(outputValue, entry.shape, inputValue, entry.sub);
      } else {
        const typename = input['__typename'];
        if (typename && typeof typename !== 'string') throw FALLBACK;
        if (this.applies(entry, typename as string | undefined, parentType)) this.apply(input, entry.sub, output, entry.typeCondition ?? parentType);
      }
    }
  }

  private applies(entry: FragmentEntry, typename: string | undefined, parentType: Type): boolean {
    const condition = entry.typeCondition;
    if (!condition) return true;
    let runtime: Type;
    if (typename) {
      const type = this.type(typename);
      if (!type) return false;
      runtime = type;
    } else {
      runtime = parentType;
    }
    let applies = entry.applies.get(runtime);
    if (applies === undefined) entry.applies.set(runtime, (applies = this.fi.isSubtype(condition, runtime)));
    return applies;
  }

  /** Apollo's updateOutputValue, for a value that shapes without errors. */
  private value(outputValue: unknown, shape: Shape, inputValue: unknown, sub: CompiledSet | undefined): unknown {
    if (outputValue === null || (outputValue !== undefined && !sub)) return outputValue;
    switch (shape.k) {
      case 'nonNull': {
        const updated = this.value(outputValue, shape.of, inputValue, sub);
        if (updated === null) throw FALLBACK; // an error, and a null bubbling up
        return updated;
      }
      case 'list': {
        if (inputValue === null) return null;
        if (!Array.isArray(inputValue) || (outputValue !== undefined && !Array.isArray(outputValue))) throw FALLBACK;
        const outputs = outputValue as unknown[] | undefined;
        if (outputs !== undefined && outputs.length !== inputValue.length) throw FALLBACK;
        const updated = new Array<unknown>(inputValue.length);
        for (let i = 0; i < inputValue.length; i++) updated[i] = this.value(outputs?.[i], shape.of, inputValue[i], sub);
        return updated;
      }
      case 'composite': {
        if (inputValue === null) return null;
        if (!sub || typeof inputValue !== 'object' || (outputValue !== undefined && typeof outputValue !== 'object')) throw FALLBACK;
        const input = inputValue as Record<string, unknown>;
        const typename = input['__typename'];
        if (typename !== undefined && typeof typename !== 'string') throw FALLBACK;
        let objType = shape.type;
        if (typename) {
          const named = this.type(typename);
          if (!named || !this.fi.isCompositeType(named)) throw FALLBACK;
          objType = named;
        }
        const output = (outputValue as Record<string, unknown> | undefined) ?? (Object.create(null) as Record<string, unknown>);
        this.apply(input, sub, output, objType);
        return output;
      }
      case 'leaf': {
        if (inputValue === null) return null;
        if (outputValue !== undefined || !shape.valid(inputValue)) throw FALLBACK;
        return inputValue;
      }
    }
  }
}

/**
 * Shapes answers with operations compiled once. `compile` and `shape` are
 * separate for the tests (and the count of compilations they check).
 */
export class CompiledShaping {
  private readonly compiled = new WeakMap<Operation, Compiled>();
  /** Operations compiled so far (tests: once per operation, not per request). */
  compilations = 0;
  /** Answers shaped by Apollo's own code because the fast path met an error. */
  fallbacks = 0;

  constructor(
    private readonly fi: Internals,
    private readonly original: (args: ShapingArgs) => ShapingResult,
  ) {}

  shape(args: ShapingArgs): ShapingResult {
    const { operation, input } = args;
    if (!input) return this.original(args);
    let c = this.compiled.get(operation);
    if (!c) {
      const schema = operation.schema();
      c = {
        schema,
        root: new Compiler(this.fi, schema).set(operation.selectionSet),
        rootType: schema.schemaDefinition.rootType(operation.rootKind),
        defaulted: operation.collectDefaultedVariableValues(),
        types: new Map(),
      };
      this.compiled.set(operation, c);
      this.compilations++;
    }
    const variables = { __proto__: null, ...c.defaulted, ...args.variables } as Record<string, unknown>;
    try {
      const data = Object.create(null) as Record<string, unknown>;
      new Shaper(this.fi, c, variables).apply(input, c.root, data, c.rootType);
      return { data, errors: [] };
    } catch (error) {
      if (error !== FALLBACK) throw error;
      this.fallbacks++;
      return this.original(args);
    }
  }
}

/** The executor's document: its operation definition first, then its fragments (as `executeQueryPlan` builds it). */
interface ExecutionDocument {
  kind: string;
  definitions: readonly object[];
}

/**
 * `operationFromDocument` for the executor's call (`{ validate: false }`), reusing
 * the operation while the definitions are the same objects: a cached document
 * yields the same nodes on every request.
 */
export function reusingOperations(original: (schema: object, document: ExecutionDocument, options?: object) => Operation) {
  const bySchema = new WeakMap<object, WeakMap<object, { definitions: readonly object[]; operation: Operation }>>();
  return (schema: object, document: ExecutionDocument, options?: { validate?: boolean; operationName?: string }): Operation => {
    const first = document.definitions[0];
    if (!first || options?.validate !== false || options.operationName !== undefined || Object.keys(options).length !== 1) return original(schema, document, options);
    let byNode = bySchema.get(schema);
    if (!byNode) bySchema.set(schema, (byNode = new WeakMap()));
    const hit = byNode.get(first);
    if (hit && hit.definitions.length === document.definitions.length && hit.definitions.every((d, i) => d === document.definitions[i])) return hit.operation;
    const operation = original(schema, document, options);
    byNode.set(first, { definitions: [...document.definitions], operation });
    return operation;
  };
}

let installed: CompiledShaping | undefined;

/**
 * Routes Apollo Gateway's result shaping through `CompiledShaping`, and its
 * per-request operation building through `reusingOperations`, for every gateway
 * in this process. Returns the shaping (its counters are for tests).
 */
export function installCompiledShaping(): CompiledShaping {
  if (installed) return installed;
  // The very modules @apollo/gateway loaded (its own copy of federation-internals).
  const gatewayRequire = createRequire(createRequire(import.meta.url).resolve('@apollo/gateway'));
  const fi = gatewayRequire('@apollo/federation-internals') as Internals;
  const operations = gatewayRequire('@apollo/federation-internals/dist/operations.js') as { operationFromDocument: Parameters<typeof reusingOperations>[0] };
  const shaping = gatewayRequire('./resultShaping.js') as { computeResponse: (args: ShapingArgs) => ShapingResult };
  installed = new CompiledShaping(fi, shaping.computeResponse);
  const compiled = installed;
  shaping.computeResponse = (args) => compiled.shape(args);
  operations.operationFromDocument = reusingOperations(operations.operationFromDocument);
  return installed;
}
