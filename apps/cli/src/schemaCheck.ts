import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  parse,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  getNamedType,
  type GraphQLSchema,
} from 'graphql';

/**
 * What a change of the composed API schema does to its clients: every change
 * (breaking, dangerous, safe) by the owner whose subgraph it is in, the
 * registered operations it breaks, and whether each breaking change was
 * declared, with a reason, in the reviewed file schema/accepted-changes.json.
 */

export type Level = 'BREAKING' | 'DANGEROUS' | 'SAFE';

export interface AcceptedChange {
  /** The schema coordinate the change is at, as the report prints it: `Query.referrals`, `Referral.purpose`. */
  path: string;
  /** The kind of change, as the report prints it: `FIELD_REMOVED`, `FIELD_TYPE_CHANGED`… */
  type: string;
  /** Why clients may take it: required, reviewed. */
  reason: string;
}

export interface Operation {
  name: string;
  query: string;
  /** Where it is registered: `schema/operations/X.graphql` or the persisted-operations manifest. */
  source: string;
}

export interface ReportedChange {
  level: Level;
  type: string;
  path: string;
  message: string;
  owners: string[];
  /** Registered operations that use what changed. */
  operations: string[];
  /** The declared reason, for a breaking change that is accepted. */
  accepted?: string;
}

export interface SchemaCheckReport {
  changes: ReportedChange[];
  /** Registered operations that no longer validate against the new API schema. */
  brokenOperations: Array<{ name: string; source: string; errors: string[] }>;
  operationsChecked: number;
  /** Breaking changes without a declaration. */
  undeclared: ReportedChange[];
  /** Declarations that match no change (left over: remove them). */
  unusedAcceptances: AcceptedChange[];
  ok: boolean;
}

const LEVEL: Record<CriticalityLevel, Level> = {
  [CriticalityLevel.Breaking]: 'BREAKING',
  [CriticalityLevel.Dangerous]: 'DANGEROUS',
  [CriticalityLevel.NonBreaking]: 'SAFE',
};

/** Checks the reviewed file's shape; the message names the entry. */
export function parseAccepted(text: string | null, file = 'schema/accepted-changes.json'): AcceptedChange[] {
  if (!text) return [];
  const raw = JSON.parse(text) as { changes?: unknown };
  if (!Array.isArray(raw.changes)) throw new Error(`${file}: expected { "changes": [ { "path", "type", "reason" } ] }.`);
  return raw.changes.map((entry, i) => {
    const c = entry as Partial<AcceptedChange>;
    if (typeof c.path !== 'string' || typeof c.type !== 'string' || typeof c.reason !== 'string' || c.reason.trim().length < 10) {
      throw new Error(`${file}, change ${i + 1}: each declaration needs "path", "type" and a "reason" a reviewer can judge (10 characters at least).`);
    }
    return { path: c.path, type: c.type, reason: c.reason };
  });
}

/** Which owners' subgraphs define the type (and field) a change path names. */
function ownersOf(path: string, subgraphs: Record<string, GraphQLSchema>): string[] {
  const [typeName, fieldName] = path.split('.');
  const owners: string[] = [];
  for (const [owner, schema] of Object.entries(subgraphs)) {
    const type = schema.getType(typeName!);
    if (!type) continue;
    if (!fieldName) {
      owners.push(owner);
      continue;
    }
    const has =
      isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)
        ? fieldName in type.getFields()
        : isEnumType(type)
          ? type.getValue(fieldName) !== undefined
          : false;
    if (has) owners.push(owner);
  }
  return owners;
}

/** The schema coordinates an operation touches: `Type`, `Type.field`, `Type.field.arg`, `Enum.VALUE`. */
function coordinates(schema: GraphQLSchema, query: string): Set<string> {
  const used = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  visit(
    parse(query),
    visitWithTypeInfo(typeInfo, {
      Field() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field) return;
        used.add(parent.name);
        used.add(`${parent.name}.${field.name}`);
        used.add(getNamedType(field.type).name);
      },
      Argument() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        const arg = typeInfo.getArgument();
        if (parent && field && arg) {
          used.add(`${parent.name}.${field.name}.${arg.name}`);
          used.add(getNamedType(arg.type).name);
        }
      },
      EnumValue(node) {
        const type = typeInfo.getInputType();
        if (type) used.add(`${getNamedType(type).name}.${node.value}`);
      },
      VariableDefinition(node) {
        let type = node.type;
        while (type.kind !== 'NamedType') type = type.type;
        used.add(type.name.value);
      },
    }),
  );
  return used;
}

const touches = (used: Set<string>, path: string) => {
  if (used.has(path)) return true;
  const parts = path.split('.');
  // An argument added to or removed from a field concerns every operation using the field.
  return parts.length === 3 && used.has(`${parts[0]}.${parts[1]}`);
};

export async function checkSchema(input: {
  baseApi: string | null;
  newApi: string;
  baseSubgraphs: Record<string, string>;
  newSubgraphs: Record<string, string>;
  operations: Operation[];
  accepted: AcceptedChange[];
}): Promise<SchemaCheckReport> {
  const newSchema = buildSchema(input.newApi);
  const baseSchema = input.baseApi ? buildSchema(input.baseApi) : null;
  const build = (sdls: Record<string, string>) =>
    Object.fromEntries(Object.entries(sdls).map(([owner, sdl]) => [owner, buildSchema(sdl, { assumeValid: true, assumeValidSDL: true })]));
  const newSubgraphs = build(input.newSubgraphs);
  const baseSubgraphs = build(input.baseSubgraphs);

  const usage = input.operations.map((op) => {
    try {
      return { op, used: coordinates(baseSchema ?? newSchema, op.query) };
    } catch {
      return { op, used: new Set<string>() };
    }
  });
  const changes: Change[] = baseSchema ? await diff(baseSchema, newSchema) : [];
  const used = new Set<AcceptedChange>();
  const reported: ReportedChange[] = changes.map((change) => {
    const path = change.path ?? '';
    const level = LEVEL[change.criticality.level];
    const owners = [...new Set([...ownersOf(path, newSubgraphs), ...ownersOf(path, baseSubgraphs)])].sort();
    const accepted = level === 'BREAKING' ? input.accepted.find((a) => a.path === path && a.type === change.type) : undefined;
    if (accepted) used.add(accepted);
    return {
      level,
      type: change.type,
      path,
      message: change.message,
      owners: owners.length ? owners : ['(composition)'],
      operations: usage.filter((u) => touches(u.used, path)).map((u) => u.op.name),
      ...(accepted ? { accepted: accepted.reason } : {}),
    };
  });

  const brokenOperations: SchemaCheckReport['brokenOperations'] = [];
  for (const op of input.operations) {
    let errors: string[];
    try {
      errors = validate(newSchema, parse(op.query)).map((e) => e.message);
    } catch (error) {
      errors = [(error as Error).message];
    }
    if (errors.length) brokenOperations.push({ name: op.name, source: op.source, errors });
  }
  const undeclared = reported.filter((c) => c.level === 'BREAKING' && !c.accepted);
  return {
    changes: reported,
    brokenOperations,
    operationsChecked: input.operations.length,
    undeclared,
    unusedAcceptances: input.accepted.filter((a) => !used.has(a)),
    ok: undeclared.length === 0 && brokenOperations.length === 0,
  };
}

const ORDER: Level[] = ['BREAKING', 'DANGEROUS', 'SAFE'];

/** The report as CI prints it: per owner, breaking first; then the operations; then the verdict. */
export function formatSchemaReport(report: SchemaCheckReport, baseLabel: string): string {
  const lines = [`Schema check: the composed API schema against ${baseLabel}`];
  if (report.changes.length === 0) lines.push('  no change to the API schema');
  const byOwner = new Map<string, ReportedChange[]>();
  for (const change of report.changes) {
    const key = change.owners.join(', ');
    byOwner.set(key, [...(byOwner.get(key) ?? []), change]);
  }
  for (const [owner, changes] of [...byOwner.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const counts = ORDER.map((l) => `${changes.filter((c) => c.level === l).length} ${l.toLowerCase()}`).join(', ');
    lines.push(`  ${owner} (${counts})`);
    for (const c of [...changes].sort((a, b) => ORDER.indexOf(a.level) - ORDER.indexOf(b.level) || a.path.localeCompare(b.path))) {
      lines.push(`    ${c.level.padEnd(9)} ${c.path.padEnd(40)} ${c.message}`);
      if (c.level !== 'SAFE' && c.operations.length) lines.push(`              used by: ${c.operations.join(', ')}`);
      if (c.accepted) lines.push(`              declared in schema/accepted-changes.json: ${c.accepted}`);
      else if (c.level === 'BREAKING') lines.push(`              not declared: add { "path": "${c.path}", "type": "${c.type}", "reason": "…" } to schema/accepted-changes.json once reviewed`);
    }
  }
  lines.push(`Registered operations: ${report.operationsChecked - report.brokenOperations.length} of ${report.operationsChecked} valid against the new API schema`);
  for (const op of report.brokenOperations) lines.push(`  BROKEN ${op.name} (${op.source}): ${op.errors.join(' ')}`);
  for (const a of report.unusedAcceptances) lines.push(`  note: schema/accepted-changes.json declares ${a.type} at ${a.path}, which this change does not make (remove it)`);
  lines.push(
    report.ok
      ? `Result: pass (${report.changes.filter((c) => c.level === 'BREAKING').length} breaking, all declared; ${report.changes.filter((c) => c.level !== 'BREAKING').length} other)`
      : `Result: FAIL — ${report.undeclared.length} undeclared breaking change(s), ${report.brokenOperations.length} broken registered operation(s)`,
  );
  return lines.join('\n');
}
