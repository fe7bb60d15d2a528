import { cedarEquals, isEntityRef, type CedarValue, type ResourceEntity } from './cedarValues.js';

/**
 * Compiles the residual policies that Cedar's partial evaluation leaves when
 * only the resource is unknown into plain functions of the resource. The
 * principal, action and context are already folded in, so what remains is
 * usually a few attribute tests per row: microseconds instead of a wasm call.
 *
 * Semantics follow Cedar: a policy whose condition errors does not apply;
 * any satisfied forbid denies; otherwise any satisfied permit allows.
 * Whatever this compiler does not handle throws `Unsupported`, and the caller
 * asks Cedar itself for that row: the shortcut never guesses.
 */
export class Unsupported extends Error {}
class CedarEvalError extends Error {}

type Expr = Record<string, unknown>;
type Compiled = (resource: ResourceEntity) => CedarValue;

const fail = (why: string): never => {
  throw new CedarEvalError(why);
};

function asBool(v: CedarValue): boolean {
  return typeof v === 'boolean' ? v : fail('expected boolean');
}
function asLong(v: CedarValue): number {
  return typeof v === 'number' ? v : fail('expected long');
}
function asSet(v: CedarValue): CedarValue[] {
  return Array.isArray(v) ? v : fail('expected set');
}
const RESOURCE_MARK = Symbol('resource');
type Evaluated = CedarValue | { [RESOURCE_MARK]: ResourceEntity };
const isResource = (v: Evaluated): v is { [RESOURCE_MARK]: ResourceEntity } =>
  typeof v === 'object' && v !== null && RESOURCE_MARK in v;
const plain = (v: Evaluated): CedarValue =>
  isResource(v)
    ? { __entity: { type: v[RESOURCE_MARK].type, id: v[RESOURCE_MARK].id } }
    : v;

type Inner = (r: ResourceEntity) => Evaluated;

const isUnknownResourceExpr = (e: Expr) => 'unknown' in e && (e['unknown'] as Array<{ Value: unknown }>)[0]?.Value === 'resource';

/** A resource attribute, asking only for the one needed when the entity computes them one by one. */
function attributeOf(r: ResourceEntity, name: string): CedarValue | undefined {
  if (r.lookup) return r.lookup(name);
  return Object.prototype.hasOwnProperty.call(r.attrs, name) ? r.attrs[name] : undefined;
}

function checkedLong(n: number): number {
  if (!Number.isSafeInteger(n)) fail('overflow');
  return n;
}

function likeMatches(text: string, pattern: unknown[]): boolean {
  let regex = '^';
  for (const elem of pattern) {
    if (elem === 'Wildcard') regex += '.*';
    else if (typeof elem === 'object' && elem && 'Literal' in elem) {
      regex += String((elem as { Literal: string }).Literal).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else throw new Unsupported('like pattern');
  }
  return new RegExp(`${regex}$`, 's').test(text);
}

function compile(expr: Expr): Inner {
  const keys = Object.keys(expr);
  if (keys.length !== 1) throw new Unsupported('expression shape');
  const op = keys[0]!;
  const body = expr[op] as Record<string, unknown>;
  const bin = () => [compile(body['left'] as Expr), compile(body['right'] as Expr)] as const;
  switch (op) {
    case 'Value': {
      const value = expr['Value'] as CedarValue;
      return () => value;
    }
    case 'unknown': {
      const name = (expr['unknown'] as Array<{ Value: unknown }>)[0]?.Value;
      if (name !== 'resource') throw new Unsupported(`unknown ${String(name)}`);
      return (r) => ({ [RESOURCE_MARK]: r });
    }
    case '.': {
      const attr = body['attr'] as string;
      // `resource.attr`, by far the commonest residual: read it straight, no wrapper per row.
      if (isUnknownResourceExpr(body['left'] as Expr)) {
        return (r) => {
          const value = attributeOf(r, attr);
          return value !== undefined ? value : fail(`no attribute ${attr}`);
        };
      }
      const left = compile(body['left'] as Expr);
      return (r) => {
        const target = left(r);
        if (isResource(target)) {
          const value = attributeOf(target[RESOURCE_MARK], attr);
          return value !== undefined ? value : fail(`no attribute ${attr}`);
        }
        if (isEntityRef(target)) throw new Unsupported('attribute of another entity');
        if (typeof target === 'object' && target !== null && !Array.isArray(target)) {
          return Object.prototype.hasOwnProperty.call(target, attr) ? (target as Record<string, CedarValue>)[attr]! : fail('no record attribute');
        }
        return fail('attribute of a non-record');
      };
    }
    case 'has': {
      const left = compile(body['left'] as Expr);
      const path = Array.isArray(body['attr']) ? (body['attr'] as string[]) : [body['attr'] as string];
      return (r) => {
        let target: Evaluated = left(r);
        for (const attr of path) {
          let holder: Record<string, CedarValue>;
          if (isResource(target)) {
            const value = attributeOf(target[RESOURCE_MARK], attr);
            if (value === undefined) return false;
            target = value;
            continue;
          } else if (isEntityRef(target)) throw new Unsupported('has on another entity');
          else if (typeof target === 'object' && target !== null && !Array.isArray(target)) holder = target as Record<string, CedarValue>;
          else return fail('has on a non-record');
          if (!Object.prototype.hasOwnProperty.call(holder, attr)) return false;
          target = holder[attr]!;
        }
        return true;
      };
    }
    case 'is': {
      const left = compile(body['left'] as Expr);
      const type = body['entity_type'] as string;
      if (body['in'] !== undefined) throw new Unsupported('is ... in');
      return (r) => {
        const v = left(r);
        if (isResource(v)) return v[RESOURCE_MARK].type === type;
        if (isEntityRef(v)) return v.__entity.type === type;
        return fail('is on a non-entity');
      };
    }
    case 'in': {
      const [left, right] = bin();
      return (r) => {
        const l = left(r);
        const targets = (() => {
          const v = plain(right(r));
          return Array.isArray(v) ? v : [v];
        })();
        if (!isResource(l) && !isEntityRef(l)) return fail('in on a non-entity');
        const uid = plain(l);
        const ancestors = isResource(l) ? (l[RESOURCE_MARK].parents ?? []) : null;
        for (const t of targets) {
          if (!isEntityRef(t)) return fail('in on a non-entity');
          if (cedarEquals(uid, t)) return true;
          if (ancestors === null) throw new Unsupported('hierarchy of another entity');
          // Only direct parents are known; a deeper hierarchy needs Cedar itself.
          if (ancestors.some((a) => cedarEquals(a, t))) return true;
        }
        if (ancestors && ancestors.length > 0) throw new Unsupported('transitive hierarchy');
        return false;
      };
    }
    case '!': {
      const arg = compile(body['arg'] as Expr);
      return (r) => !asBool(plain(arg(r)));
    }
    case 'neg': {
      const arg = compile(body['arg'] as Expr);
      return (r) => checkedLong(-asLong(plain(arg(r))));
    }
    case '==':
    case '!=': {
      const [left, right] = bin();
      const negate = op === '!=';
      return (r) => cedarEquals(plain(left(r)), plain(right(r))) !== negate;
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const [left, right] = bin();
      return (r) => {
        const a = plain(left(r));
        const b = plain(right(r));
        if (typeof a !== 'number' || typeof b !== 'number') throw new Unsupported('comparison of non-longs');
        return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
      };
    }
    case '+':
    case '-':
    case '*': {
      const [left, right] = bin();
      return (r) => {
        const a = asLong(plain(left(r)));
        const b = asLong(plain(right(r)));
        return checkedLong(op === '+' ? a + b : op === '-' ? a - b : a * b);
      };
    }
    case '&&': {
      const [left, right] = bin();
      return (r) => asBool(plain(left(r))) && asBool(plain(right(r)));
    }
    case '||': {
      const [left, right] = bin();
      return (r) => asBool(plain(left(r))) || asBool(plain(right(r)));
    }
    case 'contains': {
      const [left, right] = bin();
      return (r) => {
        const set = asSet(plain(left(r)));
        const needle = plain(right(r));
        return set.some((x) => cedarEquals(x, needle));
      };
    }
    case 'containsAll':
    case 'containsAny': {
      const [left, right] = bin();
      const all = op === 'containsAll';
      return (r) => {
        const set = asSet(plain(left(r)));
        const others = asSet(plain(right(r)));
        const has = (x: CedarValue) => set.some((y) => cedarEquals(x, y));
        return all ? others.every(has) : others.some(has);
      };
    }
    case 'isEmpty': {
      const arg = compile(body['arg'] as Expr);
      return (r) => asSet(plain(arg(r))).length === 0;
    }
    case 'like': {
      const left = compile(body['left'] as Expr);
      const pattern = body['pattern'] as unknown[];
      return (r) => {
        const text = plain(left(r));
        return typeof text === 'string' ? likeMatches(text, pattern) : fail('like on a non-string');
      };
    }
    case 'if-then-else': {
      const cond = compile(body['if'] as Expr);
      const then = compile(body['then'] as Expr);
      const otherwise = compile(body['else'] as Expr);
      return (r) => (asBool(plain(cond(r))) ? then(r) : otherwise(r));
    }
    case 'Set': {
      const items = (expr['Set'] as Expr[]).map(compile);
      return (r) => items.map((item) => plain(item(r)));
    }
    case 'Record': {
      const entries = Object.entries(expr['Record'] as Record<string, Expr>).map(([k, v]) => [k, compile(v)] as const);
      return (r) => Object.fromEntries(entries.map(([k, f]) => [k, plain(f(r))]));
    }
    default:
      // Var (should have been folded), Slot, tags and extension functions.
      throw new Unsupported(`operator ${op}`);
  }
}

interface PolicyJsonLike {
  effect: 'permit' | 'forbid';
  principal: { op: string };
  action: { op: string };
  resource: { op: string; entity_type?: string; entity?: unknown };
  conditions: Array<{ kind: 'when' | 'unless'; body: Expr }>;
}

/** One residual policy as a predicate: true = applies, false = does not (or errored). */
export type PolicyPredicate = (resource: ResourceEntity) => boolean;

const TRUE_EXPR: Expr = { Value: true };
const FALSE_EXPR: Expr = { Value: false };
const isConst = (e: Expr, value: boolean) => 'Value' in e && e['Value'] === value;
const isUnknownResource = (e: Expr) => 'unknown' in e && (e['unknown'] as Array<{ Value: unknown }>)[0]?.Value === 'resource';

/**
 * Simplifies a residual for a resource type known in advance: `resource is T`
 * becomes a constant, and constants fold through `&&`, `||`, `!` and
 * `if-then-else`. Folding keeps what matters for a policy — whether it applies:
 * an error and `false` both mean "does not apply", so `e && false` is `false`,
 * but `e || true` is left alone (e may error).
 */
export function simplify(expr: Expr, resourceType: string): Expr {
  const op = Object.keys(expr)[0];
  const body = op ? (expr[op] as Record<string, Expr>) : undefined;
  switch (op) {
    case 'is': {
      const left = (body as unknown as { left: Expr; entity_type: string; in?: Expr }).left;
      if (isUnknownResource(left) && body!['in'] === undefined) {
        return (body as unknown as { entity_type: string }).entity_type === resourceType ? TRUE_EXPR : FALSE_EXPR;
      }
      return expr;
    }
    case '&&': {
      const left = simplify(body!['left']!, resourceType);
      if (isConst(left, false)) return FALSE_EXPR;
      const right = simplify(body!['right']!, resourceType);
      if (isConst(right, false)) return FALSE_EXPR;
      if (isConst(left, true)) return right;
      if (isConst(right, true)) return left;
      return { '&&': { left, right } };
    }
    case '||': {
      const left = simplify(body!['left']!, resourceType);
      if (isConst(left, true)) return TRUE_EXPR;
      const right = simplify(body!['right']!, resourceType);
      if (isConst(left, false)) return right;
      if (isConst(right, false)) return left;
      return { '||': { left, right } };
    }
    case '!': {
      const arg = simplify(body!['arg']!, resourceType);
      if (isConst(arg, true)) return FALSE_EXPR;
      if (isConst(arg, false)) return TRUE_EXPR;
      return { '!': { arg } };
    }
    case 'if-then-else': {
      const cond = simplify(body!['if']!, resourceType);
      if (isConst(cond, true)) return simplify(body!['then']!, resourceType);
      if (isConst(cond, false)) return simplify(body!['else']!, resourceType);
      return { 'if-then-else': { if: cond, then: simplify(body!['then']!, resourceType), else: simplify(body!['else']!, resourceType) } };
    }
    default:
      return expr;
  }
}

/**
 * A residual policy simplified for a known resource type: 'never' if it cannot
 * apply to such rows, 'always' if it applies to every one, else what remains.
 */
export function simplifyPolicy(policy: PolicyJsonLike, resourceType: string): 'never' | 'always' | PolicyJsonLike {
  if (policy.principal.op !== 'All' || policy.action.op !== 'All') return policy;
  if (policy.resource.op === 'is' && !('in' in policy.resource)) {
    if (policy.resource.entity_type !== resourceType) return 'never';
  } else if (policy.resource.op !== 'All') {
    return policy;
  }
  const conditions: PolicyJsonLike['conditions'] = [];
  for (const clause of policy.conditions) {
    const body = simplify(clause.body, resourceType);
    const holds = clause.kind === 'when' ? isConst(body, true) : isConst(body, false);
    const fails = clause.kind === 'when' ? isConst(body, false) : isConst(body, true);
    if (fails) return 'never';
    if (!holds) conditions.push({ kind: clause.kind, body });
  }
  if (conditions.length === 0) return 'always';
  return { ...policy, resource: { op: 'All' }, conditions };
}

export function compilePolicy(policy: PolicyJsonLike): PolicyPredicate {
  if (policy.principal.op !== 'All' || policy.action.op !== 'All') throw new Unsupported('scope left in residual');
  let scope: PolicyPredicate = () => true;
  if (policy.resource.op === 'is' && !('in' in policy.resource)) {
    const type = policy.resource.entity_type;
    scope = (r) => r.type === type;
  } else if (policy.resource.op === '==' && isEntityRef(policy.resource.entity)) {
    const target = policy.resource.entity.__entity;
    scope = (r) => r.type === target.type && r.id === target.id;
  } else if (policy.resource.op !== 'All') {
    throw new Unsupported('resource scope');
  }
  const clauses = policy.conditions.map((c) => ({ unless: c.kind === 'unless', fn: compile(c.body) }));
  return (resource) => {
    if (!scope(resource)) return false;
    try {
      for (const clause of clauses) {
        const value = asBool(plain(clause.fn(resource)));
        if (value === clause.unless) return false;
      }
      return true;
    } catch (error) {
      if (error instanceof CedarEvalError) return false;
      throw error;
    }
  };
}
