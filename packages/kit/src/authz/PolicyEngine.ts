import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { LRUCache } from 'lru-cache';
import type { RequestIdentity } from '@partnergraph/common';
import { organisationKind } from '@partnergraph/vocabulary';
import { entityRef, type CedarValue, type ResourceEntity } from './cedarValues.js';
import { compilePolicy, simplifyPolicy, Unsupported, type PolicyPredicate } from './residualCompiler.js';

export interface PolicySource {
  /** Cedar policies (text). */
  policies: string;
  /** Cedar schema (human-readable form). */
  schema: string;
}

export function loadPolicySource(folder: URL): PolicySource {
  return {
    policies: readFileSync(new URL('policies.cedar', folder), 'utf8'),
    schema: readFileSync(new URL('schema.cedarschema', folder), 'utf8'),
  };
}

/** The request as policies see it: principal entities and context. */
export interface AuthorizationRequestBase {
  principal: { type: 'User'; id: string };
  entities: Array<{ uid: { type: string; id: string }; attrs: Record<string, CedarValue>; parents: Array<{ type: string; id: string }> }>;
  context: Record<string, CedarValue>;
  /** Everything that can change a decision apart from the resource; the cache key. */
  key: string;
}

/**
 * A decision for one (principal, purpose, action, resource type): either a
 * constant, or compiled residual policies evaluated per row, or — where the
 * compiler gives up — an exact Cedar call per row.
 */
export type CompiledDecision =
  | { kind: 'constant'; allow: boolean }
  | { kind: 'residual'; permits: PolicyPredicate[]; forbids: PolicyPredicate[]; residuals: ResidualPolicy[] }
  | { kind: 'exact'; residuals: ResidualPolicy[] };

/** A residual policy in Cedar's JSON form (what partial evaluation returns). */
export type ResidualPolicy = Parameters<typeof compilePolicy>[0];

export class PolicyValidationError extends Error {}

/** An attribute's type as Cedar's JSON schema states it: `{ type: 'EntityOrCommon', name: 'Organisation' }`, `{ type: 'Set', element: … }`. */
export interface CedarAttributeType {
  type: string;
  name?: string;
  element?: CedarAttributeType;
}

/**
 * One owner's policy set, preparsed once. Decisions that do not depend on the
 * row are taken once (partial evaluation) and cached across requests by the
 * attributes that matter: principal, organisation, roles, purpose, day.
 */
export class PolicyEngine {
  readonly id: string;
  private readonly decisions = new LRUCache<string, CompiledDecision>({ max: 20_000 });
  /** Compiled decisions by their residual: actions with the same residual share one object (and one memo per row). */
  private readonly byResidual = new LRUCache<string, CompiledDecision>({ max: 5000 });
  /** Action ids declared in the schema: an undeclared action is denied without asking. */
  readonly actions: Set<string>;
  /** Action groups each action is in: given to partial evaluation as entities (much cheaper than the schema each call). */
  private readonly actionParents: Map<string, string[]>;
  private readonly actionChains = new Map<string, AuthorizationRequestBase['entities']>();
  stats = { partialEvaluations: 0, exactCalls: 0 };
  /** The policies by their `@id`: Cedar then names the policies that decided by the owner's own ids. */
  private readonly policies: Record<string, string>;

  constructor(
    readonly name: string,
    readonly source: PolicySource,
  ) {
    this.id = `${name}-${createHash('sha256').update(source.policies).update(source.schema).digest('hex').slice(0, 12)}`;
    const validation = PolicyEngine.validate(source);
    if (validation.length) throw new PolicyValidationError(`${name} policies are invalid:\n${validation.join('\n')}`);
    this.policies = PolicyEngine.byId(source.policies);
    const parsed = cedar.preparsePolicySet(this.id, { staticPolicies: this.policies });
    if (parsed.type !== 'success') throw new PolicyValidationError(parsed.errors.map((e) => e.message).join('\n'));
    const schema = cedar.preparseSchema(this.id, source.schema);
    if (schema.type !== 'success') throw new PolicyValidationError(schema.errors.map((e) => e.message).join('\n'));
    this.actionParents = PolicyEngine.actionHierarchy(source.schema);
    this.actions = new Set(this.actionParents.keys());
  }

  static actionHierarchy(schemaText: string): Map<string, string[]> {
    const json = cedar.schemaToJson(schemaText);
    if (json.type !== 'success') throw new PolicyValidationError(json.errors.map((e) => e.message).join('\n'));
    const parents = new Map<string, string[]>();
    for (const ns of Object.values(json.json)) {
      for (const [id, action] of Object.entries(ns.actions)) parents.set(id, (action.memberOf ?? []).map((m) => m.id));
    }
    return parents;
  }

  /** Each policy of a set in Cedar's JSON form, its annotations (ids, comments) left out: for tools that compare policy sets. */
  static policiesAsJson(policiesText: string): Array<ResidualPolicy & { action: { op: string; entity?: { id: string }; entities?: Array<{ id: string }> } }> {
    const parts = cedar.policySetTextToParts(policiesText);
    if (parts.type !== 'success') throw new PolicyValidationError(parts.errors.map((e) => e.message).join('\n'));
    return parts.policies.map((text) => {
      const json = cedar.policyToJson(text);
      if (json.type !== 'success') throw new PolicyValidationError(json.errors.map((e) => e.message).join('\n'));
      const { annotations: _annotations, ...policy } = json.json as typeof json.json & { annotations?: unknown };
      return policy as never;
    });
  }

  /** Each entity type's declared attributes and their Cedar types (JSON schema form), for tools that reason about rules. */
  static entityAttributes(schemaText: string): Record<string, Record<string, CedarAttributeType>> {
    const json = cedar.schemaToJson(schemaText);
    if (json.type !== 'success') throw new PolicyValidationError(json.errors.map((e) => e.message).join('\n'));
    const out: Record<string, Record<string, CedarAttributeType>> = {};
    for (const ns of Object.values(json.json)) {
      for (const [type, declaration] of Object.entries(ns.entityTypes)) {
        const shape = (declaration as { shape?: { attributes?: Record<string, CedarAttributeType> } }).shape;
        out[type] = { ...(shape?.attributes ?? {}) };
      }
    }
    return out;
  }

  /** The action and every group above it, as Cedar entities. */
  private actionChain(action: string): AuthorizationRequestBase['entities'] {
    let chain = this.actionChains.get(action);
    if (!chain) {
      chain = [];
      const seen = new Set<string>();
      const visit = (id: string) => {
        if (seen.has(id)) return;
        seen.add(id);
        const parents = this.actionParents.get(id) ?? [];
        chain!.push({ uid: { type: 'Action', id }, attrs: {}, parents: parents.map((p) => ({ type: 'Action', id: p })) });
        parents.forEach(visit);
      };
      visit(action);
      this.actionChains.set(action, chain);
    }
    return chain;
  }

  /** Splits a policy set into its policies, keyed by their `@id` annotations (`policyN` where a policy has none). */
  static byId(text: string): Record<string, string> {
    const parts = cedar.policySetTextToParts(text);
    if (parts.type !== 'success') throw new PolicyValidationError(parts.errors.map((e) => e.message).join('\n'));
    const policies: Record<string, string> = {};
    parts.policies.forEach((policy, i) => {
      const json = cedar.policyToJson(policy);
      const id = (json.type === 'success' && json.json.annotations?.['id']) || `policy${i}`;
      if (policies[id]) throw new PolicyValidationError(`two policies share the id ${id}`);
      policies[id] = policy;
    });
    return policies;
  }

  /** Strict validation of the policies against the schema; returns the problems found. */
  static validate(source: PolicySource): string[] {
    const answer = cedar.validate({
      schema: source.schema,
      policies: { staticPolicies: source.policies },
      validationSettings: { mode: 'strict' },
    });
    if (answer.type === 'failure') return answer.errors.map((e) => e.message);
    return answer.validationErrors.map((e) => `${e.policyId}: ${e.error.message}${e.error.help ? ` (${e.error.help})` : ''}`);
  }


  /** Principal and context in Cedar's terms, from a verified identity. */
  static requestBase(identity: RequestIdentity, today: number): AuthorizationRequestBase {
    const p = identity.principal;
    const org = p.organisation;
    const principalId = `${p.issuer}#${p.subject}`;
    const attrs = {
      organisation: entityRef('Organisation', org),
      roles: [...p.roles].sort(),
      areas: [...p.areas].sort(),
    };
    const context = { purpose: identity.purpose, today };
    return {
      principal: { type: 'User', id: principalId },
      entities: [
        { uid: { type: 'User', id: principalId }, attrs, parents: [{ type: 'Organisation', id: org }] },
        { uid: { type: 'Organisation', id: org }, attrs: { kind: organisationKind(org) ?? 'UNKNOWN' }, parents: [] },
      ],
      context,
      // The subject does not enter the key: rules speak of organisations, roles, purposes and areas.
      key: JSON.stringify([org, attrs.roles, attrs.areas, identity.purpose, today]),
    };
  }

  /** The decision for every row of `resourceType` under `action`, for one request base. */
  decide(base: AuthorizationRequestBase, action: string, resourceType: string): CompiledDecision {
    if (!this.actions.has(action)) return { kind: 'constant', allow: false };
    const cacheKey = `${action}\u0000${resourceType}\u0000${base.key}`;
    const cached = this.decisions.get(cacheKey);
    if (cached) return cached;
    const decision = this.partial(base, action, resourceType);
    this.decisions.set(cacheKey, decision);
    return decision;
  }

  /**
   * Cedar's partial evaluation with the row unknown. This is its legacy, untyped
   * partial evaluator (`isAuthorizedPartial`, the `partial-eval` feature), which
   * is why the package is pinned exactly. Cedar's type-aware partial evaluation
   * (TPE: the resource's type known, its id and attributes not, residuals
   * well-typed and already simplified) would take over here once cedar-wasm
   * exposes it: it does what `simplifyPolicy` does by hand below.
   */
  private partial(base: AuthorizationRequestBase, action: string, resourceType: string): CompiledDecision {
    this.stats.partialEvaluations++;
    const answer = cedar.isAuthorizedPartial({
      principal: base.principal,
      action: { type: 'Action', id: action },
      resource: null,
      context: base.context,
      validateRequest: false,
      policies: { staticPolicies: this.policies },
      entities: [...base.entities, ...this.actionChain(action)],
    });
    if (answer.type !== 'residuals') return { kind: 'exact', residuals: [{ effect: 'permit', principal: { op: 'All' }, action: { op: 'All' }, resource: { op: 'All' }, conditions: [] }] };
    const response = answer.response;
    if (response.decision !== null) return { kind: 'constant', allow: response.decision === 'allow' };
    const raw = Object.values(response.residuals) as ResidualPolicy[];
    // With no decision, every satisfied policy is a permit (a satisfied forbid would have decided).
    for (const id of response.satisfied) {
      if (!response.residuals[id]) raw.push({ effect: 'permit', principal: { op: 'All' }, action: { op: 'All' }, resource: { op: 'All' }, conditions: [] });
    }
    // The resource type is known here, though not to Cedar: fold `resource is T` and the constants it leaves.
    const residuals: ResidualPolicy[] = [];
    let alwaysPermit = false;
    for (const policy of raw) {
      const simplified = simplifyPolicy(policy, resourceType);
      if (simplified === 'never') continue;
      if (simplified === 'always') {
        if (policy.effect === 'forbid') return { kind: 'constant', allow: false };
        alwaysPermit = true;
      }
      residuals.push(simplified === 'always' ? { ...policy, resource: { op: 'All' }, conditions: [] } : simplified);
    }
    const forbidsLeft = residuals.some((p) => p.effect === 'forbid');
    if (!residuals.some((p) => p.effect === 'permit')) return { kind: 'constant', allow: false };
    if (alwaysPermit && !forbidsLeft) return { kind: 'constant', allow: true };
    const key = JSON.stringify(residuals);
    const shared = this.byResidual.get(key);
    if (shared) return shared;
    let decision: CompiledDecision;
    try {
      const permits: PolicyPredicate[] = [];
      const forbids: PolicyPredicate[] = [];
      for (const policy of residuals) (policy.effect === 'permit' ? permits : forbids).push(compilePolicy(policy));
      decision = { kind: 'residual', permits, forbids, residuals };
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      decision = { kind: 'exact', residuals };
    }
    this.byResidual.set(key, decision);
    return decision;
  }

  /** Cedar itself, for one row. */
  exact(base: AuthorizationRequestBase, action: string, resource: ResourceEntity): boolean {
    return this.explain(base, action, resource).allow;
  }

  /** Cedar itself, for one row, with the ids of the policies that decided (the forbids that applied, or the permits). */
  explain(base: AuthorizationRequestBase, action: string, resource: ResourceEntity): { allow: boolean; policies: string[] } {
    if (!this.actions.has(action)) return { allow: false, policies: [] };
    this.stats.exactCalls++;
    const answer = cedar.statefulIsAuthorized({
      principal: base.principal,
      action: { type: 'Action', id: action },
      resource: { type: resource.type, id: resource.id },
      context: base.context,
      preparsedPolicySetId: this.id,
      preparsedSchemaName: this.id,
      validateRequest: false,
      entities: [
        ...base.entities,
        {
          uid: { type: resource.type, id: resource.id },
          attrs: resource.attrs,
          parents: (resource.parents ?? []).map((p) => p.__entity),
        },
      ],
    });
    if (answer.type !== 'success') return { allow: false, policies: [] };
    return { allow: answer.response.decision === 'allow', policies: [...answer.response.diagnostics.reason].sort() };
  }

  /** Applies a compiled decision to one row, asking Cedar where the compiler could not. */
  evaluate(decision: CompiledDecision, base: AuthorizationRequestBase, action: string, resource: ResourceEntity): boolean {
    if (decision.kind === 'constant') return decision.allow;
    if (decision.kind === 'exact') return this.exact(base, action, resource);
    try {
      for (const forbid of decision.forbids) if (forbid(resource)) return false;
      for (const permit of decision.permits) if (permit(resource)) return true;
      return false;
    } catch (error) {
      if (error instanceof Unsupported) return this.exact(base, action, resource);
      throw error;
    }
  }
}
