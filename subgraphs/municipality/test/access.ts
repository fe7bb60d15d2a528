import { personaHas, type AccessExpectation, type AccessProbe } from '@partnergraph/subgraph-kit/testing';
import { municipalityInjunctions, type World } from '@partnergraph/synthetic';
import type { Purpose } from '@partnergraph/vocabulary';

/**
 * Slagelse Kommune's access rules as it states them (MISSION.md, the README's
 * table), as expectations over the synthetic world: injunctions under barnets
 * lov § 38/§ 39 are for the municipality's own caseworkers under SSP_115;
 * everyone else sees counts only. Computed from the world, not read back from
 * the Cedar policies they test. Checked at the municipality subgraph
 * (access.test.ts) and through the gateway (the root access matrix).
 */

const INJUNCTION_FIELDS = ['id', 'person', 'kind', 'area', 'issuedOn', 'endsOn', 'reason', 'caseworker'];

export function accessProbes(world: World): AccessProbe[] {
  const injunctions = new Set(municipalityInjunctions(world).map((i) => i.id));
  const injunctionAccess = (name: string, purpose: Purpose): AccessExpectation =>
    personaHas(name, 'MUNICIPALITY', 'caseworker') && purpose === 'SSP_115' ? { rows: injunctions, fields: INJUNCTION_FIELDS } : 'none';
  return [
    {
      name: 'injunctions',
      root: 'injunctions',
      fields: INJUNCTION_FIELDS,
      objectFields: ['person', 'area'],
      expect: injunctionAccess,
    },
  ];
}
