import { PERSONAS, type RequestIdentity } from '@partnergraph/common';
import { PURPOSES } from '@partnergraph/vocabulary';
import { Random } from '@partnergraph/synthetic';
import { describe, expect, it } from 'vitest';
import { entityRef, PolicyEngine, residualToSql, type ResourceEntity } from '../src/index.js';

const schema = `
entity Organisation = { kind: String };
entity User in [Organisation] = { organisation: Organisation, roles: Set<String>, areas: Set<String> };
type RequestContext = { purpose: String, today: Long };
entity Thing = { owner: Organisation, day: Long, tags: Set<String>, area: String, secret: Bool, note?: String };
action read appliesTo { principal: [User], resource: [Thing], context: RequestContext };
action write appliesTo { principal: [User], resource: [Thing], context: RequestContext };
`;
const policies = `
@id("owner") permit (principal, action == Action::"read", resource is Thing)
  when { resource.owner == principal.organisation && resource.day >= context.today - 30 };
@id("tagged") permit (principal, action, resource is Thing)
  when { resource.tags.contains(principal.organisation.kind) || resource.tags.containsAny(principal.roles) };
@id("area") permit (principal, action == Action::"read", resource is Thing)
  when { principal.areas.contains(resource.area) && context.purpose == "STATISTICS" && !(resource.day < 100) };
@id("noted") permit (principal, action == Action::"read", resource is Thing)
  when { resource has note && resource.note like "*public*" };
@id("cond") permit (principal, action == Action::"write", resource is Thing)
  when { if resource.secret then principal.roles.contains("auditor") else resource.day + 1 > 50 };
@id("no-secrets") forbid (principal, action, resource is Thing)
  when { resource.secret && !principal.roles.contains("auditor") }
  unless { resource.owner == principal.organisation };
`;

const ORGS = ['police', 'fob', 'bolig-korsor', 'slagelse-kommune', 'kompetencecenteret'];
const AREAS = ['motalavej', 'ringparken', 'sydbyen', 'parkvej'];

function randomThing(r: Random, i: number): ResourceEntity {
  const attrs: ResourceEntity['attrs'] = {
    owner: entityRef('Organisation', r.pick(ORGS)),
    day: r.int(0, 400),
    tags: ORGS.map(() => r.pick(['POLICE', 'HOUSING_COMPANY', 'caseworker', 'analyst', 'x'])).slice(0, r.int(0, 3)),
    area: r.pick(AREAS),
    secret: r.chance(0.3),
  };
  if (r.chance(0.5)) attrs['note'] = r.pick(['public notice', 'private', 'a public one', '']);
  return { type: 'Thing', id: `t${i}`, attrs };
}

describe('partial evaluation and compiled residuals', () => {
  const engine = new PolicyEngine('test', { schema, policies });

  it('validates the policies strictly against the schema', () => {
    expect(PolicyEngine.validate({ schema, policies })).toEqual([]);
    expect(PolicyEngine.validate({ schema, policies: 'permit (principal, action, resource) when { resource.nope };' })).not.toEqual([]);
  });

  it('decides every row exactly as Cedar does, for every persona, purpose and action', () => {
    const r = new Random('residuals');
    const rows = Array.from({ length: 150 }, (_, i) => randomThing(r, i));
    let compared = 0;
    let allowed = 0;
    const kinds = new Set<string>();
    for (const persona of Object.values(PERSONAS)) {
      for (const purpose of PURPOSES) {
        const identity: RequestIdentity = { principal: { ...persona, issuer: 'test' }, purpose };
        const base = PolicyEngine.requestBase(identity, 365);
        for (const action of ['read', 'write']) {
          const decision = engine.decide(base, action, 'Thing');
          kinds.add(decision.kind);
          for (const row of rows) {
            const fast = engine.evaluate(decision, base, action, row);
            const exact = engine.exact(base, action, row);
            expect(fast, `${persona.subject} ${purpose} ${action} ${JSON.stringify(row.attrs)}`).toBe(exact);
            compared++;
            if (exact) allowed++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
    // The compiled path is what is being compared, not only Cedar against itself.
    expect(kinds).toContain('residual');
    expect(allowed).toBeGreaterThan(compared / 20);
    expect(allowed).toBeLessThan(compared);
  });

  it('denies undeclared actions without asking Cedar', () => {
    const identity: RequestIdentity = { principal: { ...PERSONAS['police-investigator']!, issuer: 'test' }, purpose: 'SSP_115' };
    const base = PolicyEngine.requestBase(identity, 365);
    expect(engine.decide(base, 'delete', 'Thing')).toEqual({ kind: 'constant', allow: false });
  });

  it('pushes a superset of the permitted rows into SQL', () => {
    const identity: RequestIdentity = { principal: { ...PERSONAS['housing-fob-caseworker']!, issuer: 'test' }, purpose: 'CRIME_PREVENTION_63D' };
    const base = PolicyEngine.requestBase(identity, 365);
    const decision = engine.decide(base, 'read', 'Thing');
    expect(decision.kind).toBe('residual');
    const params: unknown[] = [];
    const sql = residualToSql(decision.kind === 'residual' ? decision.residuals : [], 'Thing', {
      owner: { sql: 'owner_id', kind: 'entity', entityType: 'Organisation' },
      day: { sql: 'day', kind: 'long' },
      area: { sql: 'area', kind: 'string' },
      tags: { sql: 'tags', kind: 'stringSet' },
    }, params);
    expect(sql).toContain('owner_id = $');
    expect(params).toContain('fob');
    expect(params).toContain(335);
  });

  it('pushes a boolean attribute tested as such into SQL, exactly', () => {
    const flagged = new PolicyEngine('flagged', {
      schema: `entity Organisation = { kind: String };
entity User in [Organisation] = { organisation: Organisation, roles: Set<String>, areas: Set<String> };
type RequestContext = { purpose: String, today: Long };
entity Thing = { public: Bool, day: Long };
action read appliesTo { principal: [User], resource: [Thing], context: RequestContext };`,
      policies: '@id("public") permit (principal, action, resource) when { resource.public && resource.day >= context.today - 30 };',
    });
    const identity: RequestIdentity = { principal: { ...PERSONAS['analyst']!, issuer: 'test' }, purpose: 'STATISTICS' };
    const decision = flagged.decide(PolicyEngine.requestBase(identity, 365), 'read', 'Thing');
    const params: unknown[] = [];
    const sql = residualToSql(decision.kind === 'residual' ? decision.residuals : [], 'Thing', {
      public: { sql: 't.is_public', kind: 'boolean' },
      day: { sql: 't.day', kind: 'long' },
    }, params);
    expect(sql).toContain('(t.is_public)');
    expect(sql).not.toContain('TRUE');
    expect(params).toEqual([335]);
  });
});
