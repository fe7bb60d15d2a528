import { AREAS, ORGANISATIONS } from '@partnergraph/common';
import { bulkInsert, type Database } from '@partnergraph/subgraph-kit';
import { municipalityInitiatives, municipalityInjunctions, type World } from '@partnergraph/synthetic';

/**
 * The partnership's areas and parties: real, public master data, present even
 * when no synthetic data is seeded. Existing rows are the owner's and are kept.
 */
export async function ensureReferenceData(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO housing_areas (id, name, town, is_special_area)
       SELECT id, name, town, is_special_area FROM json_to_recordset($1::json) AS x(id text, name text, town text, is_special_area boolean)
       ON CONFLICT (id) DO NOTHING`,
      [JSON.stringify(AREAS.map((a) => ({ id: a.id, name: a.name, town: a.town, is_special_area: a.isSpecialArea })))],
    );
    await tx.query(
      `INSERT INTO organisations (id, name, short_name, kind)
       SELECT id, name, short_name, kind FROM json_to_recordset($1::json) AS x(id text, name text, short_name text, kind text)
       ON CONFLICT (id) DO NOTHING`,
      [JSON.stringify(ORGANISATIONS.map((o) => ({ id: o.id, name: o.name, short_name: o.shortName, kind: o.kind })))],
    );
  });
}

/** Loads the municipality's slice of the synthetic partnership, once: an existing database is left alone. */
export async function seedMunicipality(db: Database, world: World): Promise<boolean> {
  await ensureReferenceData(db);
  const [existing] = await db.query<{ n: number }>('SELECT (SELECT count(*) FROM initiatives) + (SELECT count(*) FROM injunctions) AS n');
  if (existing && Number(existing.n) > 0) return false;
  await db.transaction(async (tx) => {
    const initiatives = municipalityInitiatives(world);
    await bulkInsert(
      tx,
      'initiatives',
      { id: 'text', title: 'text', description: 'text', kind: 'text', responsible_organisation: 'text', starts_on: 'date', ends_on: 'date' },
      initiatives.map((i) => ({
        id: i.id, title: i.title, description: i.description, kind: i.kind,
        responsible_organisation: i.responsibleOrganisation, starts_on: i.startsOn, ends_on: i.endsOn,
      })),
    );
    await bulkInsert(
      tx,
      'initiative_areas',
      { initiative_id: 'text', area_id: 'text' },
      initiatives.flatMap((i) => i.areaIds.map((areaId) => ({ initiative_id: i.id, area_id: areaId }))),
    );
    await bulkInsert(
      tx,
      'injunctions',
      {
        id: 'text', person_id: 'text', kind: 'text', area_id: 'text', child_birth_date: 'date',
        issued_on: 'date', ends_on: 'date', reason: 'text', caseworker: 'text',
      },
      municipalityInjunctions(world).map((j) => ({
        id: j.id, person_id: j.personId, kind: j.kind, area_id: j.areaId, child_birth_date: j.childBirthDate,
        issued_on: j.issuedOn, ends_on: j.endsOn, reason: j.reason, caseworker: j.caseworker,
      })),
    );
  });
  return true;
}
