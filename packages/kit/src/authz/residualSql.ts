import { isEntityRef, type CedarValue } from './cedarValues.js';

/**
 * Pushes the row-dependent part of the owner's policies down into SQL, so a
 * principal who may see few rows does not make the owner read many. The SQL
 * is only ever a superset of what the policies permit (inexact parts become
 * TRUE); every row fetched is still decided by Cedar's residual afterwards.
 */
export type SqlAttribute =
  | { sql: string; kind: 'long' | 'string' | 'boolean' }
  /** A date column that policies see as a Long of days since 1970-01-01: compared as a date, so indexes apply. */
  | { sql: string; kind: 'day' }
  /** A birth-date column that policies see as an age in whole years: compared as a date, not computed per row. */
  | { sql: string; kind: 'ageFromBirthDate' }
  | { sql: string; kind: 'entity'; entityType: string }
  | { sql: string; kind: 'stringSet' }
  /** `member`: SQL testing membership of one id (`?`), e.g. an EXISTS the planner can turn into a join. */
  | { sql: string; kind: 'entitySet'; entityType: string; member?: string };

export type SqlAttributeMap = Record<string, SqlAttribute>;

interface Translation {
  sql: string;
  exact: boolean;
}
const TRUE: Translation = { sql: 'TRUE', exact: false };

type Expr = Record<string, any>;
type Operand = { attr: SqlAttribute } | { value: CedarValue } | null;

class Builder {
  constructor(
    private readonly attributes: SqlAttributeMap,
    private readonly params: unknown[],
  ) {}

  private param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  private operand(expr: Expr): Operand {
    if ('Value' in expr) return { value: expr['Value'] as CedarValue };
    if ('.' in expr) {
      const left = expr['.'].left as Expr;
      if ('unknown' in left && left['unknown']?.[0]?.Value === 'resource') {
        const attr = this.attributes[expr['.'].attr as string];
        return attr ? { attr } : null;
      }
    }
    return null;
  }

  private scalar(value: CedarValue, attr: SqlAttribute): string | null {
    if (attr.kind === 'entity') {
      return isEntityRef(value) && value.__entity.type === attr.entityType ? this.param(value.__entity.id) : null;
    }
    if ((attr.kind === 'long' || attr.kind === 'day' || attr.kind === 'ageFromBirthDate') && typeof value === 'number') return this.param(value);
    if (attr.kind === 'string' && typeof value === 'string') return this.param(value);
    if (attr.kind === 'boolean' && typeof value === 'boolean') return this.param(value);
    return null;
  }

  translate(expr: Expr): Translation {
    const op = Object.keys(expr)[0];
    const body = op ? expr[op] : undefined;
    switch (op) {
      case 'Value':
        return typeof body === 'boolean' ? { sql: body ? 'TRUE' : 'FALSE', exact: true } : TRUE;
      case '.': {
        // A boolean attribute tested as such: `resource.withinOrAffectingArea`.
        const operand = this.operand(expr);
        return operand && 'attr' in operand && operand.attr.kind === 'boolean' ? { sql: `(${operand.attr.sql})`, exact: true } : TRUE;
      }
      case '&&': {
        const l = this.translate(body.left);
        const r = this.translate(body.right);
        return { sql: `(${l.sql} AND ${r.sql})`, exact: l.exact && r.exact };
      }
      case '||': {
        const l = this.translate(body.left);
        const r = this.translate(body.right);
        return { sql: `(${l.sql} OR ${r.sql})`, exact: l.exact && r.exact };
      }
      case '!': {
        const inner = this.translate(body.arg);
        return inner.exact ? { sql: `(NOT ${inner.sql})`, exact: true } : TRUE;
      }
      case '==':
      case '!=':
      case '<':
      case '<=':
      case '>':
      case '>=': {
        let left = this.operand(body.left);
        let right = this.operand(body.right);
        let sqlOp = op === '==' ? '=' : op === '!=' ? '<>' : op;
        if (left && 'value' in left && right && 'attr' in right) {
          [left, right] = [right, left];
          sqlOp = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' }[sqlOp] ?? sqlOp;
        }
        if (!left || !('attr' in left) || !right || !('value' in right)) return TRUE;
        if (left.attr.kind === 'stringSet' || left.attr.kind === 'entitySet') return TRUE;
        if ((op === '==' || op === '!=') === false && !['long', 'day', 'ageFromBirthDate'].includes(left.attr.kind)) return TRUE;
        if (left.attr.kind === 'ageFromBirthDate') {
          // age < n ⇔ born after today − n years (a day's slack either way keeps the SQL a superset).
          const p = this.scalar(right.value, left.attr);
          if (p === null || op === '==' || op === '!=') return TRUE;
          const years = sqlOp === '<' || sqlOp === '>=' ? `${p}::int` : `(${p}::int + 1)`;
          // A scalar subquery (one InitPlan): the planner cannot see the cut-off, so it does not assume the
          // permitted rows are spread evenly through the page order — young persons' decisions are all recent,
          // and an ordered scan of the page's index that checks the birth date in the index stops early.
          const bound = `(SELECT (current_date - make_interval(years => ${years}))::date)`;
          return sqlOp === '<' || sqlOp === '<='
            ? { sql: `(${left.attr.sql} > ${bound} - 1)`, exact: false }
            : { sql: `(${left.attr.sql} <= ${bound} + 1)`, exact: false };
        }
        const p = this.scalar(right.value, left.attr);
        if (p === null) return op === '==' ? { sql: 'FALSE', exact: true } : TRUE;
        if (left.attr.kind === 'day') return { sql: `(${left.attr.sql} ${sqlOp} (DATE '1970-01-01' + ${p}::int))`, exact: true };
        return { sql: `(${left.attr.sql} ${sqlOp} ${p})`, exact: true };
      }
      case 'contains': {
        const set = this.operand(body.left);
        const item = this.operand(body.right);
        // A listed value: `["A", "B"].contains(resource.attr)`.
        const listed = stringList(body.left);
        if (listed && item && 'attr' in item && item.attr.kind === 'string') {
          return { sql: `(${item.attr.sql} = ANY(${this.param(listed)}::text[]))`, exact: true };
        }
        if (!set || !('attr' in set) || !item || !('value' in item)) return TRUE;
        const value = item.value;
        if (set.attr.kind === 'stringSet' && typeof value === 'string') {
          return { sql: `(${this.param(value)} = ANY(${set.attr.sql}))`, exact: true };
        }
        if (set.attr.kind === 'entitySet' && isEntityRef(value)) {
          if (value.__entity.type !== set.attr.entityType) return { sql: 'FALSE', exact: true };
          const p = this.param(value.__entity.id);
          return { sql: set.attr.member ? `(${set.attr.member.replaceAll('?', p)})` : `(${p} = ANY(${set.attr.sql}))`, exact: true };
        }
        return TRUE;
      }
      case 'is': {
        // The resource's type is known to the caller: policies for other types do not apply.
        return TRUE;
      }
      default:
        return TRUE;
    }
  }
}

/** A set of string literals, as partial evaluation leaves it (`{ Set: [{ Value }] }` or `{ Value: [...] }`). */
function stringList(expr: Expr): string[] | null {
  const items: unknown[] | undefined = Array.isArray(expr['Set'])
    ? (expr['Set'] as Expr[]).map((e) => ('Value' in e ? e['Value'] : undefined))
    : Array.isArray(expr['Value'])
      ? (expr['Value'] as unknown[])
      : undefined;
  return items && items.every((v): v is string => typeof v === 'string') ? items : null;
}

interface PolicyJsonLike {
  effect: 'permit' | 'forbid';
  principal?: { op: string };
  action?: { op: string };
  resource?: { op: string };
  conditions: Array<{ kind: 'when' | 'unless'; body: Expr }>;
}

/**
 * SQL for "some permit may apply" over the residual policies, with its
 * parameters appended to `params`. Forbids are left to the row check.
 */
export function residualToSql(
  residuals: readonly PolicyJsonLike[],
  resourceType: string,
  attributes: SqlAttributeMap,
  params: unknown[],
): string {
  const builder = new Builder(attributes, params);
  const permits: string[] = [];
  for (const policy of residuals) {
    if (policy.effect !== 'permit') continue;
    if (!appliesToType(policy, resourceType)) continue;
    const parts = policy.conditions.map((c) => {
      const t = builder.translate(c.body);
      if (c.kind === 'when') return t.sql;
      return t.exact ? `(NOT ${t.sql})` : 'TRUE';
    });
    permits.push(parts.length ? parts.join(' AND ') : 'TRUE');
  }
  if (permits.length === 0) return 'FALSE';
  return `(${permits.map((p) => `(${p})`).join(' OR ')})`;
}

/** A residual whose conditions test `resource is Other` cannot permit rows of this type. */
function appliesToType(policy: PolicyJsonLike, resourceType: string): boolean {
  const found: string[] = [];
  const walk = (expr: Expr, positive: boolean) => {
    const op = Object.keys(expr)[0];
    if (op === '&&' && positive) {
      walk(expr['&&'].left, true);
      walk(expr['&&'].right, true);
    } else if (op === 'is') {
      const left = expr['is'].left as Expr;
      if ('unknown' in left && positive) found.push(expr['is'].entity_type as string);
    }
  };
  for (const c of policy.conditions) if (c.kind === 'when') walk(c.body, true);
  return found.every((t) => t === resourceType);
}

/**
 * SQL that holds for exactly the rows the residual policies permit (permits
 * and forbids), or null where any part cannot be said exactly in SQL. For
 * set-wise writes (imports), which must never act on a row the rules refuse.
 */
export function residualToExactSql(
  residuals: readonly PolicyJsonLike[],
  resourceType: string,
  attributes: SqlAttributeMap,
  params: unknown[],
): string | null {
  const builder = new Builder(attributes, params);
  const permits: string[] = [];
  const forbids: string[] = [];
  for (const policy of residuals) {
    if (!appliesToType(policy, resourceType)) continue;
    // A scope left in the residual (a resource `in`, a principal or action test) is not said in SQL.
    if ([policy.principal, policy.action, policy.resource].some((scope) => scope && scope.op !== 'All')) return null;
    const parts: string[] = [];
    for (const c of policy.conditions) {
      const t = builder.translate(c.body);
      if (!t.exact) return null;
      parts.push(c.kind === 'when' ? t.sql : `(NOT ${t.sql})`);
    }
    (policy.effect === 'permit' ? permits : forbids).push(parts.length ? `(${parts.join(' AND ')})` : 'TRUE');
  }
  if (permits.length === 0) return 'FALSE';
  const permitted = `(${permits.join(' OR ')})`;
  return forbids.length ? `(${permitted} AND NOT (${forbids.join(' OR ')}))` : permitted;
}
