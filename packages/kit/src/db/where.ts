/**
 * One SQL WHERE clause and its parameters, built condition by condition: the
 * filters of the owners' list queries and of the disclosure log (they were
 * written out six times). In a condition given one value, every `?` stands for
 * that value; given several, the `?`s stand for them in order. Each becomes a
 * numbered parameter (`$n`), so a condition must not use `?` otherwise (the
 * jsonb `?` operators).
 */
export class Where {
  private readonly conditions: string[] = [];

  /** `params` may already hold values of the statement's. */
  constructor(readonly params: unknown[] = []) {}

  /** A condition with the value(s) of its `?`s. */
  and(sql: string, ...values: unknown[]): this {
    if (values.length === 1) {
      if (!sql.includes('?')) throw new Error(`A value but no ? in "${sql}".`);
      const param = this.param(values[0]);
      this.conditions.push(sql.replaceAll('?', param));
      return this;
    }
    let next = 0;
    const numbered = sql.replaceAll('?', () => {
      if (next >= values.length) throw new Error(`More ? than values in "${sql}".`);
      return this.param(values[next++]);
    });
    if (next !== values.length) throw new Error(`More values than ? in "${sql}".`);
    this.conditions.push(numbered);
    return this;
  }

  /** A condition on an optional filter: left out when the filter was not given (undefined, null or ''). */
  andIf(value: unknown, sql: string): this {
    return value === undefined || value === null || value === '' ? this : this.and(sql, value);
  }

  /**
   * A condition that writes its own parameters into `params` and numbers them
   * (an owner rule's SQL filter: `where.andSql((params) => authz.sqlFilter(type, params))`).
   */
  andSql(write: (params: unknown[]) => string): this {
    this.conditions.push(write(this.params));
    return this;
  }

  /** One more parameter outside the conditions (a LIMIT): its `$n`. */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** `WHERE a AND b …`, or nothing without conditions. */
  toString(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}
