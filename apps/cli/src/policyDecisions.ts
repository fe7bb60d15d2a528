import { PERSONAS, type RequestIdentity } from '@partnergraph/common';
import { dayNumber, entityRef, PolicyEngine, RequestAuthorizer, type CedarAttributeType, type CedarValue, type CompiledDecision, type ResourceEntity, type ResourceRegistry } from '@partnergraph/subgraph-kit';
import {
  AREA_IDS,
  DECISION_TYPES,
  OFFENCE_CATEGORIES,
  ORGANISATION_KINDS,
  ORGANISATIONS,
  PURPOSES,
  TERMINATION_BASES,
  TERMINATION_STATUSES,
  type Purpose,
} from '@partnergraph/vocabulary';

/**
 * What a change of an owner's policies newly discloses: every persona ×
 * purpose × action (row kind `Type`, field `Type.field`, root field
 * `Query.field`, write `Type:write`) decided under the base policies and the
 * working tree's, on the owner's synthetic data, and the decisions that differ.
 * A decision that goes from deny to allow for any row is a widening; it must be
 * declared, with a reason, before it merges.
 */

export interface DecisionChange {
  owner: string;
  persona: string;
  purpose: Purpose;
  action: string;
  /** Rows (or attribute combinations) the comparison covered (1 for root fields and row-independent decisions). */
  rows: number;
  /** What `rows` counts: rows of the synthetic data, combinations of the type's attribute values, or the request itself. */
  over: 'rows' | 'combinations' | 'request';
  /** Rows denied before and allowed now. */
  widened: number;
  /** Rows allowed before and denied now. */
  narrowed: number;
  /** Decisions that depend on the row where no rows were listed: their conditions changed, rows unknown. */
  conditionsChanged: boolean;
  before: string;
  after: string;
  /** The declared reason, when a widening is declared. */
  declared?: string;
}

export interface AcceptedWidening {
  persona: string;
  purpose: string;
  action: string;
  reason: string;
}

export interface OwnerPolicies {
  owner: string;
  /** Null where the owner did not exist at the base (every allow is then new). */
  base: PolicyEngine | null;
  head: PolicyEngine;
  registry: ResourceRegistry;
  /** Rows per resource type, as the loaders give them. */
  rows: Record<string, readonly object[]>;
  /** For types that list no rows: every combination of their attributes' values (see attributeCombinations). */
  combinations?: Record<string, ResourceEntity[]>;
}

/** Actions that decide something for a request (groups like `decisionSummary` do not). */
const DECIDING = /^([A-Z]\w*)(?:\.\w+|:\w+)?$/;

function summary(allowed: number, of: number): string {
  return allowed === 0 ? 'deny' : allowed === of ? `allow (all ${of})` : `allow ${allowed} of ${of}`;
}

/**
 * The rows of a type as the rules see them, each distinct entity once with the
 * number of rows it stands for (rows with equal attributes decide alike).
 */
type Sample = { over: DecisionChange['over']; entities: Array<{ entity: ResourceEntity; rows: number }> };

function entitiesOf(owner: OwnerPolicies, type: string, authorizer: RequestAuthorizer): Sample | null {
  if (type === 'Query' || type === 'Mutation' || type === 'Subscription') return { over: 'request', entities: [{ entity: { type, id: type, attrs: {} }, rows: 1 }] };
  const rows = owner.rows[type];
  if (!rows || rows.length === 0 || !owner.registry.resources[type]) {
    const combinations = owner.combinations?.[type];
    return combinations?.length ? { over: 'combinations', entities: combinations.map((entity) => ({ entity, rows: 1 })) } : null;
  }
  const distinct = new Map<string, { entity: ResourceEntity; rows: number }>();
  for (const row of rows) {
    const e = authorizer.entity(type, row);
    const entity: ResourceEntity = { type, id: e.id, attrs: { ...e.attrs }, ...(e.parents ? { parents: e.parents } : {}) };
    const key = JSON.stringify([entity.attrs, entity.parents ?? []]);
    const known = distinct.get(key);
    if (known) known.rows++;
    else distinct.set(key, { entity, rows: 1 });
  }
  return { over: 'rows', entities: [...distinct.values()] };
}

/** Values a string attribute of that name takes, from the vocabulary. */
const STRING_DOMAINS: Record<string, readonly string[]> = {
  areaId: AREA_IDS,
  purpose: PURPOSES,
  kind: ORGANISATION_KINDS,
  decisionType: DECISION_TYPES,
  offenceCategory: OFFENCE_CATEGORIES,
  basis: TERMINATION_BASES,
  status: TERMINATION_STATUSES,
};
const MAX_COMBINATIONS = 5000;

/** The values an attribute of this Cedar type can take, where they are few and known; else null. */
function domainOf(attribute: string, t: CedarAttributeType): CedarValue[] | null {
  const name = t.type === 'EntityOrCommon' || t.type === 'Entity' ? t.name : t.type;
  if (name === 'Organisation') return [...ORGANISATIONS.map((o) => entityRef('Organisation', o.id)), entityRef('Organisation', 'unknown-organisation')];
  if (name === 'Bool' || name === 'Boolean') return [true, false];
  if (name === 'String') return STRING_DOMAINS[attribute] ? [...STRING_DOMAINS[attribute]] : null;
  if (t.type === 'Set' && t.element) {
    const element = domainOf(attribute, t.element);
    return element ? [[], ...element.map((v) => [v])] : null;
  }
  return null;
}

/**
 * For each entity type of a Cedar schema whose attributes all take few, known
 * values (organisations, booleans, the vocabulary's areas, purposes, kinds…),
 * every combination of them: what the policy diff decides on where a type
 * lists no rows. Types with other attributes (days, free text) are left out.
 */
export function attributeCombinations(schemaText: string): Record<string, ResourceEntity[]> {
  const out: Record<string, ResourceEntity[]> = {};
  for (const [type, attributes] of Object.entries(PolicyEngine.entityAttributes(schemaText))) {
    const domains = Object.entries(attributes).map(([name, t]) => [name, domainOf(name, t)] as const);
    if (domains.some(([, d]) => d === null)) continue;
    let combos: Array<Record<string, CedarValue>> = [{}];
    for (const [name, values] of domains) {
      combos = combos.flatMap((c) => values!.map((v) => ({ ...c, [name]: v })));
      if (combos.length > MAX_COMBINATIONS) break;
    }
    if (combos.length <= MAX_COMBINATIONS) out[type] = combos.map((attrs, i) => ({ type, id: `combination-${i}`, attrs }));
  }
  return out;
}

/**
 * The actions whose decisions can differ: those in the scope of a policy that
 * is in one set and not the other (under either side's action groups), those
 * whose groups changed, and those declared on one side only. Policies that
 * are the same in both decide alike on the same rows.
 */
export function affectedActions(base: PolicyEngine | null, head: PolicyEngine): Set<string> {
  const all = new Set([...(base?.actions ?? []), ...head.actions]);
  if (!base) return all;
  const hierarchies = [PolicyEngine.actionHierarchy(base.source.schema), PolicyEngine.actionHierarchy(head.source.schema)];
  const ancestors = (action: string, parents: Map<string, string[]>) => {
    const seen = new Set<string>([action]);
    const queue = [action];
    while (queue.length) for (const p of parents.get(queue.shift()!) ?? []) if (!seen.has(p)) seen.add(p), queue.push(p);
    return seen;
  };
  const affected = new Set<string>();
  for (const action of all) {
    const [b, h] = hierarchies.map((parents) => (parents.has(action) ? [...ancestors(action, parents)].sort().join(',') : null));
    if (b !== h) affected.add(action);
  }
  const key = (p: object) => JSON.stringify(p);
  const basePolicies = PolicyEngine.policiesAsJson(base.source.policies);
  const headPolicies = PolicyEngine.policiesAsJson(head.source.policies);
  const baseKeys = new Set(basePolicies.map(key));
  const headKeys = new Set(headPolicies.map(key));
  const changed = [...basePolicies.filter((p) => !headKeys.has(key(p))), ...headPolicies.filter((p) => !baseKeys.has(key(p)))];
  for (const policy of changed) {
    const scope = policy.action;
    if (scope.op === 'All') return all;
    const named = new Set([...(scope.entity ? [scope.entity.id] : []), ...(scope.entities ?? []).map((e) => e.id)]);
    for (const action of all) {
      if (named.has(action) || (scope.op === 'in' && hierarchies.some((parents) => [...ancestors(action, parents)].some((a) => named.has(a))))) affected.add(action);
    }
  }
  return affected;
}

/** Every decision that differs between the base and the working tree's policies of one owner. */
export function diffOwnerPolicies(owner: OwnerPolicies, today = new Date()): DecisionChange[] {
  const affected = affectedActions(owner.base, owner.head);
  const actions = [...affected].filter((a) => DECIDING.test(a)).sort();
  const identityFor = (persona: string, purpose: Purpose): RequestIdentity => ({ principal: { ...PERSONAS[persona]!, issuer: 'policy-diff' }, purpose });
  const entityMaker = new RequestAuthorizer(owner.head, owner.registry, identityFor('analyst', 'STATISTICS'));
  const types = new Map<string, ReturnType<typeof entitiesOf>>();
  const entitiesFor = (type: string) => {
    if (!types.has(type)) types.set(type, entitiesOf(owner, type, entityMaker));
    return types.get(type)!;
  };
  const day = dayNumber(today);
  const changes: DecisionChange[] = [];
  for (const persona of Object.keys(PERSONAS)) {
    for (const purpose of PURPOSES) {
      const request = PolicyEngine.requestBase(identityFor(persona, purpose), day);
      for (const action of actions) {
        const type = DECIDING.exec(action)![1]!;
        const before: CompiledDecision = owner.base ? owner.base.decide(request, action, type) : { kind: 'constant', allow: false };
        const after = owner.head.decide(request, action, type);
        if (before.kind === 'constant' && after.kind === 'constant') {
          if (before.allow === after.allow) continue;
          changes.push({
            owner: owner.owner, persona, purpose, action, rows: 1, over: 'request',
            widened: after.allow ? 1 : 0, narrowed: after.allow ? 0 : 1, conditionsChanged: false,
            before: before.allow ? 'allow' : 'deny', after: after.allow ? 'allow' : 'deny',
          });
          continue;
        }
        // The same residual conditions decide every row alike: nothing to compare row by row.
        if (before.kind !== 'constant' && after.kind !== 'constant' && JSON.stringify(before.residuals) === JSON.stringify(after.residuals)) continue;
        const sample = entitiesFor(type);
        if (!sample) {
          // The decision depends on the row and no rows are listed: compare the conditions themselves.
          const text = (d: CompiledDecision) => (d.kind === 'constant' ? String(d.allow) : JSON.stringify(d.residuals));
          if (text(before) !== text(after)) {
            changes.push({
              owner: owner.owner, persona, purpose, action, rows: 0, over: 'rows', widened: 0, narrowed: 0, conditionsChanged: true,
              before: before.kind === 'constant' ? (before.allow ? 'allow' : 'deny') : 'depends on the row',
              after: after.kind === 'constant' ? (after.allow ? 'allow' : 'deny') : 'depends on the row',
            });
          }
          continue;
        }
        let rows = 0, allowedBefore = 0, allowedAfter = 0, widened = 0, narrowed = 0;
        for (const { entity, rows: n } of sample.entities) {
          const was = owner.base ? owner.base.evaluate(before, request, action, entity) : false;
          const is = owner.head.evaluate(after, request, action, entity);
          rows += n;
          if (was) allowedBefore += n;
          if (is) allowedAfter += n;
          if (!was && is) widened += n;
          if (was && !is) narrowed += n;
        }
        if (widened || narrowed) {
          changes.push({
            owner: owner.owner, persona, purpose, action, rows, over: sample.over, widened, narrowed, conditionsChanged: false,
            before: summary(allowedBefore, rows), after: summary(allowedAfter, rows),
          });
        }
      }
    }
  }
  return changes;
}

const matches = (pattern: string, value: string) => pattern === '*' || pattern === value;

/** Checks the reviewed file's shape; the message names the entry. */
export function parseAcceptedWidenings(text: string | null, file: string): AcceptedWidening[] {
  if (!text) return [];
  const raw = JSON.parse(text) as { widenings?: unknown };
  if (!Array.isArray(raw.widenings)) throw new Error(`${file}: expected { "widenings": [ { "persona", "purpose", "action", "reason" } ] }.`);
  return raw.widenings.map((entry, i) => {
    const w = entry as Partial<AcceptedWidening>;
    if (![w.persona, w.purpose, w.action].every((v) => typeof v === 'string') || typeof w.reason !== 'string' || w.reason.trim().length < 10) {
      throw new Error(`${file}, widening ${i + 1}: needs "persona", "purpose", "action" (each may be "*") and a "reason" the owner's data-protection officer can sign (10 characters at least).`);
    }
    return w as AcceptedWidening;
  });
}

/** Marks the declared widenings; returns the undeclared ones. */
export function applyDeclarations(changes: DecisionChange[], accepted: AcceptedWidening[]): DecisionChange[] {
  const undeclared: DecisionChange[] = [];
  for (const change of changes) {
    if (!change.widened && !change.conditionsChanged) continue;
    const declaration = accepted.find((a) => matches(a.persona, change.persona) && matches(a.purpose, change.purpose) && matches(a.action, change.action));
    if (declaration) change.declared = declaration.reason;
    // A changed condition on rows nobody listed may hide a widening: it needs a declaration too.
    else undeclared.push(change);
  }
  return undeclared;
}

const kindOf = (c: DecisionChange) => (c.widened ? 'WIDENING' : c.conditionsChanged ? 'CHANGED' : 'narrowing');
const rowsOf = (c: DecisionChange) =>
  c.conditionsChanged ? 'conditions changed; no rows listed' : c.over === 'request' ? '' : `+${c.widened} −${c.narrowed} of ${c.rows} ${c.over}`;

/** `CriminalDecision.court` → ['CriminalDecision', 'court']; the row action `CriminalDecision` → ['CriminalDecision', '(row)']. */
const splitAction = (action: string): [string, string] => {
  const m = /^(\w+)([.:])(\w+)$/.exec(action);
  return m ? [m[1]!, m[2] === ':' ? m[3]! : m[3]!] : [action, '(row)'];
};

/**
 * The table an owner's data-protection officer reads and signs: one line per
 * persona and change, the purposes under which it holds and the actions of one
 * type it concerns gathered on that line.
 */
export function formatPolicyDiff(changes: DecisionChange[], baseLabel: string, owners: string[], notes: string[] = []): string {
  const lines = [`Policy diff: decisions under the working tree's policies against ${baseLabel}, every persona × purpose × action, on the synthetic data`];
  for (const owner of owners) {
    const mine = changes.filter((c) => c.owner === owner);
    if (mine.length === 0) {
      lines.push(`  ${owner}: no decision changes`);
      continue;
    }
    lines.push(`  ${owner}: ${mine.length} changed decision(s), ${mine.filter((c) => c.widened).length} widening(s)`);
    // Gather purposes, then the actions of one type, that change alike for one persona.
    const byPurposes = new Map<string, { change: DecisionChange; purposes: string[] }>();
    for (const c of mine) {
      const key = JSON.stringify([c.persona, c.action, kindOf(c), c.before, c.after, rowsOf(c), c.declared ?? '']);
      const entry = byPurposes.get(key);
      if (entry) entry.purposes.push(c.purpose);
      else byPurposes.set(key, { change: c, purposes: [c.purpose] });
    }
    const byActions = new Map<string, { change: DecisionChange; purposes: string[]; type: string; actions: string[] }>();
    for (const { change: c, purposes } of byPurposes.values()) {
      const [type, action] = splitAction(c.action);
      const key = JSON.stringify([c.persona, purposes, type, kindOf(c), c.before, c.after, rowsOf(c), c.declared ?? '']);
      const entry = byActions.get(key);
      if (entry) entry.actions.push(action);
      else byActions.set(key, { change: c, purposes, type, actions: [action] });
    }
    const header = ['', 'persona', 'purposes', 'actions', 'before', 'after', 'rows'];
    const entries = [...byActions.values()];
    const rows = entries.map(({ change: c, purposes, type, actions }) => [
      kindOf(c),
      c.persona,
      purposes.length === PURPOSES.length ? 'every purpose' : purposes.join(', '),
      `${type}: ${actions.join(', ')}`,
      c.before,
      c.after,
      rowsOf(c),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: string[]) => `    ${r.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd()}`;
    lines.push(line(header));
    for (const [i, r] of rows.entries()) {
      lines.push(line(r));
      const declared = entries[i]!.change.declared;
      if (declared) lines.push(`      declared: ${declared}`);
    }
  }
  lines.push(...notes.map((n) => `  note: ${n}`));
  return lines.join('\n');
}
