import { PERSONAS, type RequestIdentity } from '@partnergraph/common';
import { dayNumber, PolicyEngine, type CompiledDecision } from '@partnergraph/subgraph-kit';
import { organisationKind, PURPOSES, type Purpose } from '@partnergraph/vocabulary';
import { Kind, parse, print, visit, type DocumentNode, type StringValueNode } from 'graphql';

/**
 * Who may see each type and field, in words, from each owner's Cedar
 * policies: every persona kind (organisation kind and roles) × purpose decided
 * as a request would be (`Type` for a type's rows, `Type.field` for a field,
 * `Query.field` for a root field). Written into the descriptions of the
 * composed schema, so the workbench's docs answer "may I see this?"; the
 * drift check covers them with the rest of the schema.
 */

/** One owner's view: its served SDL and its policies. */
export interface OwnerRules {
  owner: string;
  sdl: string;
  engine: PolicyEngine;
}

type Verdict = 'all' | 'some' | 'none';

const KIND_WORDS: Record<string, string> = {
  POLICE: 'police',
  MUNICIPALITY: 'municipality',
  HOUSING_COMPANY: 'housing companies',
  SECRETARIAT: 'secretariat',
};
const ROOTS = new Set(['Query', 'Mutation', 'Subscription']);
/** Decided on a fixed day, so the notes (and the drift check) do not change with the calendar. */
const DAY = dayNumber(new Date('2026-01-01T12:00:00Z'));

/** The persona kinds (organisation kind and roles), each with the personas standing for it (e.g. every housing company's caseworker). */
function personaKinds(): Array<{ organisation: string; roles: string; identities: (purpose: Purpose) => RequestIdentity[] }> {
  const kinds = new Map<string, { organisation: string; roles: string; names: string[] }>();
  for (const [name, persona] of Object.entries(PERSONAS)) {
    const organisation = KIND_WORDS[organisationKind(persona.organisation) ?? ''] ?? persona.organisation;
    const roles = [...persona.roles].sort().join('/');
    const kind = kinds.get(`${organisation}|${roles}`) ?? { organisation, roles, names: [] };
    kind.names.push(name);
    kinds.set(`${organisation}|${roles}`, kind);
  }
  return [...kinds.values()].map(({ organisation, roles, names }) => ({
    organisation,
    roles,
    identities: (purpose) => names.map((name) => ({ principal: { ...PERSONAS[name]!, issuer: 'visibility-notes' }, purpose })),
  }));
}

const verdictOf = (d: CompiledDecision): Verdict => (d.kind === 'constant' ? (d.allow ? 'all' : 'none') : 'some');
/** A field is seen where its row is and its own rule allows. */
const both = (a: Verdict, b: Verdict): Verdict => (a === 'none' || b === 'none' ? 'none' : a === 'all' && b === 'all' ? 'all' : 'some');
/** Personas of one kind that decide differently (one company, not another) see it for some rows. */
const together = (verdicts: Verdict[]): Verdict => (verdicts.every((v) => v === verdicts[0]) ? verdicts[0]! : 'some');

const purposesText = (purposes: string[]) =>
  purposes.length === PURPOSES.length ? 'under any purpose' : `under ${purposes.length === 1 ? purposes[0] : `${purposes.slice(0, -1).join(', ')} or ${purposes.at(-1)}`}`;

/**
 * The sentence for one action (or a field's pair of actions) of one owner:
 * the persona kinds that see it under the same purposes together, e.g.
 * "police (investigator, auditor), secretariat (analyst) under STATISTICS or
 * COORDINATION; housing companies (caseworker) only for the rows its rules
 * admit, under CRIME_PREVENTION_63D".
 */
function sentence(decide: (request: ReturnType<typeof PolicyEngine.requestBase>) => Verdict, verb: string): string {
  const phrases = new Map<string, Map<string, string[]>>();
  const say = (phrase: string, organisation: string, roles: string) => {
    const byOrganisation = phrases.get(phrase) ?? new Map<string, string[]>();
    byOrganisation.set(organisation, [...(byOrganisation.get(organisation) ?? []), roles]);
    phrases.set(phrase, byOrganisation);
  };
  for (const kind of personaKinds()) {
    const all: string[] = [];
    const some: string[] = [];
    for (const purpose of PURPOSES) {
      const verdict = together(kind.identities(purpose).map((identity) => decide(PolicyEngine.requestBase(identity, DAY))));
      if (verdict === 'all') all.push(purpose);
      else if (verdict === 'some') some.push(purpose);
    }
    if (all.length) say(purposesText(all), kind.organisation, kind.roles);
    if (some.length) say(`only for the rows its rules admit, ${purposesText(some)}`, kind.organisation, kind.roles);
  }
  const parts = [...phrases].map(([phrase, byOrganisation]) => `${[...byOrganisation].map(([organisation, roles]) => `${organisation} (${roles.join(', ')})`).join(', ')} ${phrase}`);
  return parts.length ? `${verb}: ${parts.join('; ')}.` : `${verb}: no one.`;
}

/**
 * Decisions of one owner's engine, shared between actions that the same
 * policies apply to (most field actions only inherit their group's rules):
 * decided once per signature, type and request instead of once per action.
 */
class Decisions {
  private readonly signatures = new Map<string, string>();
  private readonly verdicts = new Map<string, Verdict>();
  private readonly parents: Map<string, string[]>;
  private readonly scopes: Array<{ op: string; named: Set<string> }>;

  constructor(readonly engine: PolicyEngine) {
    this.parents = PolicyEngine.actionHierarchy(engine.source.schema);
    this.scopes = PolicyEngine.policiesAsJson(engine.source.policies).map(({ action }) => ({
      op: action.op,
      named: new Set([...(action.entity ? [action.entity.id] : []), ...(action.entities ?? []).map((e) => e.id)]),
    }));
  }

  has(action: string): boolean {
    return this.engine.actions.has(action);
  }

  /** Which policies apply to an action: those naming it or a group it is in (transitively), or every action. */
  private signature(action: string): string {
    let signature = this.signatures.get(action);
    if (signature === undefined) {
      const groups = new Set([action]);
      const queue = [action];
      while (queue.length) for (const parent of this.parents.get(queue.shift()!) ?? []) if (!groups.has(parent)) groups.add(parent), queue.push(parent);
      signature = this.scopes
        .map((scope, i) => (scope.op === 'All' || (scope.op === '==' ? scope.named.has(action) : [...groups].some((g) => scope.named.has(g))) ? i : -1))
        .filter((i) => i >= 0)
        .join(',');
      this.signatures.set(action, signature);
    }
    return signature;
  }

  verdict(request: ReturnType<typeof PolicyEngine.requestBase>, action: string, type: string): Verdict {
    const key = `${this.signature(action)}|${type}|${request.key}`;
    let verdict = this.verdicts.get(key);
    if (verdict === undefined) this.verdicts.set(key, (verdict = verdictOf(this.engine.decide(request, action, type))));
    return verdict;
  }
}

/**
 * The notes by `Type` and `Type.field`, for every object type and field an
 * owner serves (its own fields, not the ones it only references).
 */
export function visibilityNotes(owners: OwnerRules[]): Map<string, string[]> {
  const said = new Map<string, Array<{ owner: string; text: string }>>();
  const add = (key: string, owner: string, text: string) => said.set(key, [...(said.get(key) ?? []), { owner, text }]);
  const documents = owners.map((o) => ({ rules: o, document: parse(o.sdl) }));
  for (const { rules, document } of documents) {
    const { owner } = rules;
    const engine = new Decisions(rules.engine);
    const row = (type: string) => (request: ReturnType<typeof PolicyEngine.requestBase>) => engine.verdict(request, type, type);
    for (const [key, { type, field }] of ownFields(document)) {
      if (field === undefined) {
        if (ROOTS.has(type)) continue;
        add(key, owner, engine.has(type) ? sentence(row(type), 'Visible to') : 'Visible where a field that returns it is.');
        continue;
      }
      const action = `${type}.${field}`;
      const verb = type === 'Mutation' ? 'Usable by' : 'Visible to';
      if (ROOTS.has(type)) {
        if (engine.has(action)) add(key, owner, sentence((r) => engine.verdict(r, action, type), verb));
        else add(key, owner, `${verb}: anyone with a verified token (what it returns is decided row by row).`);
      } else if (engine.has(action)) {
        const ownRow = engine.has(type);
        add(key, owner, sentence((r) => both(ownRow ? row(type)(r) : 'all', engine.verdict(r, action, type)), verb));
      } else if (engine.has(type)) {
        add(key, owner, 'Visible with its row (see the type).');
      } else {
        add(key, owner, 'Visible with the value it belongs to.');
      }
    }
  }
  // Where several owners serve a type or field and say different things, each note names its owner.
  const notes = new Map<string, string[]>();
  for (const [key, list] of said) {
    const texts = new Set(list.map((n) => n.text));
    notes.set(key, texts.size === 1 ? [...texts] : list.map((n) => `(${n.owner}) ${n.text}`));
  }
  return notes;
}

/** The types and the fields an owner's SDL defines itself (`@external` ones are another owner's). */
function ownFields(document: DocumentNode): Map<string, { type: string; field?: string }> {
  const out = new Map<string, { type: string; field?: string }>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const type = definition.name.value;
    if (type.startsWith('_')) continue;
    out.set(type, { type });
    for (const field of definition.fields ?? []) {
      if (field.name.value.startsWith('_') || field.directives?.some((d) => d.name.value === 'external')) continue;
      out.set(`${type}.${field.name.value}`, { type, field: field.name.value });
    }
  }
  return out;
}

/** The SDL with each note at the end of its type's or field's description. */
export function withNotes(sdl: string, notes: Map<string, string[]>): string {
  const describe = (existing: StringValueNode | undefined, key: string): StringValueNode | undefined => {
    const note = notes.get(key);
    if (!note) return existing;
    const text = existing?.value ?? '';
    return { kind: Kind.STRING, value: text ? `${text}\n\n${note.join('\n')}` : note.join('\n'), block: true };
  };
  let type = '';
  const document = visit(parse(sdl), {
    ObjectTypeDefinition: {
      enter(node) {
        type = node.name.value;
        return { ...node, description: describe(node.description, type) };
      },
    },
    InterfaceTypeDefinition: {
      enter(node) {
        type = node.name.value;
      },
    },
    FieldDefinition(node) {
      return { ...node, description: describe(node.description, `${type}.${node.name.value}`) };
    },
  });
  return print(document);
}
