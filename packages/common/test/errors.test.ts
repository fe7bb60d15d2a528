import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { errorMasker, INTERNAL_MESSAGE } from '../src/index.js';

const recording = () => {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, log: { error: (details: Record<string, unknown>) => void lines.push(details) } };
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('error masking (gateway and subgraphs)', () => {
  it('passes errors produced on purpose without internals', () => {
    const { lines, log } = recording();
    const forbidden = errorMasker(log)({ message: 'Not permitted for this principal and purpose.', path: ['a'], extensions: { code: 'FORBIDDEN', stacktrace: ['at x'] } });
    expect(forbidden).toEqual({ message: 'Not permitted for this principal and purpose.', path: ['a'], extensions: { code: 'FORBIDDEN' } });
    expect(lines).toEqual([]);
  });

  it("passes an owner's rate-limit and cost refusals through the gateway as they are (they are the caller's to act on)", () => {
    const { lines, log } = recording();
    const mask = errorMasker(log);
    const limited = { message: 'Too many requests for this principal; retry after 3 s.', path: ['criminalDecisions'], extensions: { code: 'RATE_LIMITED' } };
    const costly = { message: 'Query cost 9000 exceeds the budget of 5000.', extensions: { code: 'COST_LIMIT', cost: { total: 9000 } } };
    expect(mask(limited)).toEqual(limited);
    expect(mask(costly)).toEqual(costly);
    expect(lines).toEqual([]);
  });

  it('turns INTERNAL_SERVER_ERROR, unknown codes and no code into one generic message with a correlation id, details only in the log', () => {
    const { lines, log } = recording();
    const mask = errorMasker(log);
    const cause = new GraphQLError('invalid input syntax for type date: "2020-01-01\' OR 1=1"', {
      path: ['criminalDecisions'],
      originalError: new TypeError('rule is not a function'),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    const cases = [
      mask(cause.toJSON(), cause),
      mask({ message: 'relation "criminal_decisions" does not exist', path: ['b'], extensions: { code: 'INTERNAL_SERVER_ERROR_FROM_PG' } }),
      mask({ message: 'boom' }),
      mask({ message: 'connect ECONNREFUSED 10.0.0.7:5432', extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'schools' } }),
    ];
    for (const masked of cases) {
      expect(masked.message).toBe(INTERNAL_MESSAGE);
      expect(Object.keys(masked.extensions ?? {}).sort()).toEqual(['code', 'correlationId']);
      expect(masked.extensions?.['code']).toBe('INTERNAL_SERVER_ERROR');
      expect(masked.extensions?.['correlationId']).toMatch(UUID);
    }
    expect(cases[0]!.path).toEqual(['criminalDecisions']);
    expect(new Set(cases.map((c) => c.extensions?.['correlationId'])).size).toBe(cases.length);
    // The log has the details under the id the caller got.
    expect(lines.map((l) => l['correlationId'])).toEqual(cases.map((c) => c.extensions?.['correlationId']));
    expect(JSON.stringify(lines[0])).toContain('rule is not a function');
    expect(JSON.stringify(lines[1])).toContain('criminal_decisions');
  });

  it("keeps the correlation id of an error that is already generic (a subgraph's, at the gateway)", () => {
    const { lines, log } = recording();
    const id = '0b4f8a52-6a3c-4e0e-9a52-1f2d3c4b5a69';
    const fromSubgraph = { message: INTERNAL_MESSAGE, path: ['x'], extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId: id, serviceName: 'police' } };
    expect(errorMasker(log)(fromSubgraph)).toEqual({ message: INTERNAL_MESSAGE, path: ['x'], extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId: id } });
    // A message other than the generic one is never kept, id or not.
    const forged = errorMasker(log)({ ...fromSubgraph, message: 'syntax error at or near "OR"' });
    expect(forged.message).toBe(INTERNAL_MESSAGE);
    expect(forged.extensions?.['correlationId']).not.toBe(id);
    expect(lines).toHaveLength(1);
  });
});
