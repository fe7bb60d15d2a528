import type { RequestIdentity, Role } from '@partnergraph/common';
import type { Purpose } from '@partnergraph/vocabulary';
import type { CedarValue, ResourceEntity } from './cedarValues.js';
import { PolicyEngine, type AuthorizationRequestBase, type CompiledDecision } from './PolicyEngine.js';
import { isPersonalField, type ResourceDescriptor, type ResourceRegistry } from './resources.js';
import { residualToExactSql, residualToSql } from './residualSql.js';

/** Days since 1970-01-01 (UTC): how policies compare dates. */
export const dayNumber = (date: Date | string): number =>
  Math.floor((typeof date === 'string' ? (date.length === 10 ? Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) : Date.parse(date)) : date.getTime()) / 86_400_000);

/**
 * The owner's policies applied to one request. Decisions are compiled once per
 * (action, type) and reused for every row; row attributes are computed once per row.
 */
export class RequestAuthorizer {
  private readonly base: AuthorizationRequestBase;
  /** Per type: the row decision and each field's, so a field check is one or two lookups. */
  private readonly plans = new Map<string, { row: CompiledDecision; fields: Map<string, CompiledDecision> }>();
  /** Decisions of this request, by type then action: no string building on the hot path. */
  private readonly compiled = new Map<string, Map<string, CompiledDecision>>();
  private readonly fieldActions = new Map<string, Map<string, string>>();
  private readonly structural: ReadonlySet<string>;
  private readonly entities = new WeakMap<object, ResourceEntity>();
  /** Row verdicts per decision: the fields of one row usually share their decision. */
  private readonly verdicts = new Map<CompiledDecision, WeakMap<object, boolean>>();
  private readonly cursor = new RowCursor();
  /** Actions the rules refused at least once in this request (metrics and the request's span; names, never rows). */
  readonly denied = new Set<string>();
  /** Distinct decisions taken (action and type), for the request's span. */
  decisions = 0;

  constructor(
    private readonly engine: PolicyEngine,
    private readonly registry: ResourceRegistry,
    readonly identity: RequestIdentity,
    /** Policy checks off: only for the owner's own benchmarks, never configurable at run time. */
    private readonly enforce = true,
    now = new Date(),
  ) {
    this.base = PolicyEngine.requestBase(identity, dayNumber(now));
    this.structural = new Set(registry.structural);
  }

  get organisation(): string {
    return this.identity.principal.organisation;
  }

  descriptor(type: string): ResourceDescriptor | undefined {
    return this.registry.resources[type];
  }

  isStructural(type: string): boolean {
    return this.structural.has(type);
  }

  /** How long the owner lets an answer touching this field be cached: 0 = not at all. */
  cacheMaxAge(type: string, field: string, isRoot: boolean): number {
    // A mutation's answer is never cached, whatever its name.
    if (isRoot) return type === 'Mutation' ? 0 : (this.registry.cacheableRootFields[field] ?? 0);
    if (this.isStructural(type)) return Number.POSITIVE_INFINITY;
    const descriptor = this.registry.resources[type];
    // A personal field is logged on every disclosure, so an answer with it is never served from a cache.
    if (isPersonalField(descriptor, field)) return 0;
    return descriptor?.cacheMaxAgeSeconds ?? 0;
  }

  /** The Cedar view of a row, computed once per row object. */
  entity(type: string, row: object): ResourceEntity {
    const known = this.entities.get(row);
    if (known && known.type === type) return known;
    const descriptor = this.registry.resources[type];
    if (!descriptor) throw new Error(`No policy resource for type ${type}`);
    const attributes = descriptor.attributes;
    let entity: ResourceEntity;
    if (typeof attributes === 'function') {
      entity = { type, id: descriptor.id(row), attrs: attributes(row) };
    } else {
      entity = new LazyEntity(type, descriptor.id(row), row, attributes);
    }
    if (descriptor.parents) entity.parents = descriptor.parents(row);
    this.entities.set(row, entity);
    return entity;
  }

  private decision(action: string, type: string): CompiledDecision {
    let byAction = this.compiled.get(type);
    if (!byAction) this.compiled.set(type, (byAction = new Map()));
    let decision = byAction.get(action);
    if (!decision) {
      decision = this.engine.decide(this.base, action, type);
      byAction.set(action, decision);
      this.decisions++;
    }
    return decision;
  }

  private fieldAction(type: string, field: string): string {
    let byField = this.fieldActions.get(type);
    if (!byField) this.fieldActions.set(type, (byField = new Map()));
    let action = byField.get(field);
    if (!action) byField.set(field, (action = `${type}.${field}`));
    return action;
  }

  /** Root fields: `Query.<field>` / `Mutation.<field>`, decided without a row. */
  canUseRootField(type: string, field: string): boolean {
    if (!this.enforce) return true;
    const action = this.fieldAction(type, field);
    const decision = this.decision(action, type);
    const allowed = decision.kind === 'constant' ? decision.allow : this.engine.evaluate(decision, this.base, action, { type, id: type, attrs: {} });
    if (!allowed) this.denied.add(action);
    return allowed;
  }

  /** May the principal do `action` on this row (or on the type, for row-independent actions)? */
  can(action: string, type: string, row?: object): boolean {
    if (!this.enforce) return true;
    if (!this.registry.resources[type]) return false;
    const decision = this.decision(action, type);
    const allowed = decision.kind === 'constant' ? decision.allow : row ? this.verdict(decision, action, type, row) : false;
    if (!allowed) this.denied.add(action);
    return allowed;
  }

  /** Row visibility is the action named after the type itself, e.g. `CriminalDecision`. */
  canRead(type: string, row: object): boolean {
    return this.can(type, type, row);
  }

  /** Field actions are named `<Type>.<field>`; a field is visible when the row and the field are. */
  canReadField(type: string, field: string, row: object): boolean {
    if (!this.enforce) return true;
    let plan = this.plans.get(type);
    if (!plan) {
      if (!this.registry.resources[type]) return false;
      this.plans.set(type, (plan = { row: this.decision(type, type), fields: new Map() }));
    }
    const rowVisible = this.verdict(plan.row, type, type, row);
    if (!rowVisible) {
      this.denied.add(type);
      return false;
    }
    let field_ = plan.fields.get(field);
    if (!field_) plan.fields.set(field, (field_ = this.decision(this.fieldAction(type, field), type)));
    // Same residual as the row's (one shared object): already decided.
    if (field_ === plan.row) return true;
    const action = this.fieldAction(type, field);
    const allowed = this.verdict(field_, action, type, row);
    if (!allowed) this.denied.add(action);
    return allowed;
  }

  private verdict(decision: CompiledDecision, action: string, type: string, row: object): boolean {
    if (decision.kind === 'constant') return decision.allow;
    let byRow = this.verdicts.get(decision);
    if (!byRow) this.verdicts.set(decision, (byRow = new WeakMap()));
    let verdict = byRow.get(row);
    if (verdict === undefined) {
      verdict = this.engine.evaluate(decision, this.base, action, this.view(decision, type, row));
      byRow.set(row, verdict);
    }
    return verdict;
  }

  /**
   * The row as the decision needs it. Compiled residuals read attributes one at
   * a time, through one reusable cursor (no object per row); Cedar itself gets
   * the whole entity.
   */
  private view(decision: CompiledDecision, type: string, row: object): ResourceEntity {
    const descriptor = this.registry.resources[type];
    if (decision.kind === 'residual' && descriptor && typeof descriptor.attributes !== 'function' && !descriptor.parents) {
      return this.cursor.point(type, descriptor.id(row), row, descriptor.attributes);
    }
    return this.entity(type, row);
  }

  /** Rows the principal may not see are absent, not errors. */
  visible<T extends object>(type: string, rows: readonly T[]): T[] {
    if (!this.enforce) return [...rows];
    const decision = this.decision(type, type);
    // Through the memo: the row's fields are checked against the same decision right after.
    const visible = decision.kind === 'constant' ? (decision.allow ? [...rows] : []) : rows.filter((row) => this.verdict(decision, type, type, row));
    if (visible.length < rows.length) this.denied.add(type);
    return visible;
  }

  /** Entity lookups: a row the principal may not see resolves to null, like a missing one. */
  visibleOrNull<T extends object>(type: string, row: T | null | undefined): T | null {
    return row && this.canRead(type, row) ? row : null;
  }

  /**
   * A SQL condition (parameters appended to `params`) that every row the
   * principal may read satisfies. Rows it selects are still checked one by one.
   */
  sqlFilter(type: string, params: unknown[]): string {
    return this.sqlFilterFor(type, type, params);
  }

  /**
   * SQL that selects exactly the rows of `type` on which the principal may do
   * `action` (parameters appended to `params`), or null when the owner's rule
   * cannot be said exactly in SQL: set-wise writes then refuse to run.
   */
  exactSqlFilter(action: string, type: string, params: unknown[]): string | null {
    if (!this.enforce) return 'TRUE';
    const decision = this.decision(action, type);
    if (decision.kind === 'constant') return decision.allow ? 'TRUE' : 'FALSE';
    const attributes = this.registry.resources[type]?.sql;
    return attributes ? residualToExactSql(decision.residuals, type, attributes, params) : null;
  }

  /** False when the rules refuse `action` on every row of `type` for this principal and purpose. */
  mayEver(action: string, type: string): boolean {
    if (!this.enforce) return true;
    const decision = this.decision(action, type);
    return decision.kind !== 'constant' || decision.allow;
  }

  /** A superset, in SQL, of the rows of `type` on which `action` may be permitted (rows are still checked one by one). */
  sqlFilterFor(action: string, type: string, params: unknown[]): string {
    if (!this.enforce) return 'TRUE';
    const decision = this.decision(action, type);
    if (decision.kind === 'constant') return decision.allow ? 'TRUE' : 'FALSE';
    const attributes = this.registry.resources[type]?.sql;
    return attributes ? residualToSql(decision.residuals, type, attributes, params) : 'TRUE';
  }

  /**
   * Would the owner's policies let another principal — a role at an
   * organisation, under a purpose — do `action` on this row, and which
   * policies decide? How an owner refuses to hand over what its recipient
   * could never read: the rule is stated once, for the reading.
   */
  recipientDecision(
    recipient: { organisation: string; roles: Role[]; purpose: Purpose },
    action: string,
    type: string,
    row: object,
  ): { allow: boolean; policies: string[] } {
    if (!this.enforce) return { allow: true, policies: [] };
    const identity: RequestIdentity = {
      principal: { subject: 'recipient', issuer: 'what-if', organisation: recipient.organisation, roles: recipient.roles, purposes: [recipient.purpose], areas: [] },
      purpose: recipient.purpose,
    };
    const base = PolicyEngine.requestBase(identity, this.base.context['today'] as number);
    const entity = this.entity(type, row);
    return this.engine.explain(base, action, { type, id: entity.id, attrs: entity.attrs, ...(entity.parents ? { parents: entity.parents } : {}) });
  }

  /** For mutations: attributes of a row that does not exist yet. */
  canDo(action: string, type: string, attrs: Record<string, CedarValue>, id = 'new'): boolean {
    if (!this.enforce) return true;
    const decision = this.decision(action, type);
    return this.engine.evaluate(decision, this.base, action, { type, id, attrs });
  }
}

/** A row as a Cedar entity whose attributes are computed one at a time, as the rules ask for them. */
class LazyEntity implements ResourceEntity {
  private readonly known: Record<string, CedarValue> = {};
  parents?: ResourceEntity['parents'];

  constructor(
    readonly type: string,
    readonly id: string,
    private readonly row: object,
    private readonly attributes: Record<string, (row: any) => CedarValue>,
  ) {}

  lookup(name: string): CedarValue | undefined {
    const value = this.known[name];
    if (value !== undefined) return value;
    const compute = this.attributes[name];
    return compute ? (this.known[name] = compute(this.row)) : undefined;
  }

  get attrs(): Record<string, CedarValue> {
    for (const name of Object.keys(this.attributes)) this.lookup(name);
    return this.known;
  }
}

/** One row at a time, read attribute by attribute: evaluation is synchronous, so one cursor serves every row. */
class RowCursor implements ResourceEntity {
  type = '';
  id = '';
  private row: object = {};
  private attributes: Record<string, (row: any) => CedarValue> = {};

  point(type: string, id: string, row: object, attributes: Record<string, (row: any) => CedarValue>): this {
    this.type = type;
    this.id = id;
    this.row = row;
    this.attributes = attributes;
    return this;
  }

  lookup(name: string): CedarValue | undefined {
    const compute = this.attributes[name];
    return compute ? compute(this.row) : undefined;
  }

  get attrs(): Record<string, CedarValue> {
    return Object.fromEntries(Object.entries(this.attributes).map(([name, compute]) => [name, compute(this.row)]));
  }
}
