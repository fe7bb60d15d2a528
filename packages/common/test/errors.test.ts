import { describe, expect, it } from 'vitest';
import { maskError } from '../src/index.js';

describe('error masking (gateway and subgraphs)', () => {
  it('passes known codes without internals and hides everything else', () => {
    const forbidden = maskError({ message: 'Not permitted for this principal and purpose.', path: ['a'], extensions: { code: 'FORBIDDEN', stacktrace: ['at x'] } });
    expect(forbidden).toEqual({ message: 'Not permitted for this principal and purpose.', path: ['a'], extensions: { code: 'FORBIDDEN' } });
    const leaky = maskError({ message: 'relation "criminal_decisions" does not exist', path: ['b'], extensions: { code: 'INTERNAL_SERVER_ERROR_FROM_PG' } });
    expect(leaky).toEqual({ message: 'Internal error.', path: ['b'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(maskError({ message: 'boom' })).toEqual({ message: 'Internal error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });
});
