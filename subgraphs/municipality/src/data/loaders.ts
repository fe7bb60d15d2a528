import { manyByKey, oneByKey, type Database } from '@partnergraph/subgraph-kit';
import DataLoader from 'dataloader';
import type { HousingArea } from '../types/HousingArea.js';
import type { Initiative } from '../types/Initiative.js';
import type { Injunction } from '../types/Injunction.js';
import type { Organisation } from '../types/Organisation.js';
import { AREA_COLUMNS, INITIATIVE_COLUMNS, INJUNCTION_COLUMNS, ORGANISATION_COLUMNS, statusCondition, today } from './rows.js';

/** One SQL statement per loader per request tick, however many entities are asked for. */
export function createMunicipalityLoaders(db: Database) {
  return {
    areaById: new DataLoader<string, HousingArea | null>(async (ids) =>
      oneByKey(ids, await db.query<HousingArea>(`SELECT ${AREA_COLUMNS} FROM housing_areas a WHERE a.id = ANY($1)`, [ids]), (r) => r.id),
    ),
    organisationById: new DataLoader<string, Organisation | null>(async (ids) =>
      oneByKey(ids, await db.query<Organisation>(`SELECT ${ORGANISATION_COLUMNS} FROM organisations o WHERE o.id = ANY($1)`, [ids]), (r) => r.id),
    ),
    initiativeById: new DataLoader<string, Initiative | null>(async (ids) =>
      oneByKey(ids, await db.query<Initiative>(`SELECT ${INITIATIVE_COLUMNS} FROM initiatives i WHERE i.id = ANY($1)`, [ids]), (r) => r.id),
    ),
    /** Initiatives running today, per area. */
    activeInitiativeCountByArea: new DataLoader<string, number>(async (areaIds) => {
      const rows = await db.query<{ areaId: string; n: number }>(
        `SELECT ia.area_id AS "areaId", count(*)::int AS n FROM initiatives i JOIN initiative_areas ia ON ia.initiative_id = i.id
         WHERE ia.area_id = ANY($1) AND ${statusCondition('ACTIVE', '$2')} GROUP BY ia.area_id`,
        [areaIds, today()],
      );
      return oneByKey(areaIds, rows, (r) => r.areaId).map((r) => r?.n ?? 0);
    }),
    injunctionById: new DataLoader<string, Injunction | null>(async (ids) =>
      oneByKey(ids, await db.query<Injunction>(`SELECT ${INJUNCTION_COLUMNS} FROM injunctions j WHERE j.id = ANY($1)`, [ids]), (r) => r.id),
    ),
    injunctionsByPerson: new DataLoader<string, Injunction[]>(async (personIds) =>
      manyByKey(
        personIds,
        await db.query<Injunction>(
          `SELECT ${INJUNCTION_COLUMNS} FROM injunctions j WHERE j.person_id = ANY($1) ORDER BY j.issued_on DESC, j.id DESC`,
          [personIds],
        ),
        (r) => r.personId,
      ),
    ),
  };
}

export type MunicipalityLoaders = ReturnType<typeof createMunicipalityLoaders>;
