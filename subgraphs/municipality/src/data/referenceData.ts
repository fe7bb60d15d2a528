import { AGREEMENT_GOALS, AREAS, ORGANISATIONS, PARTNERSHIP_BODIES } from '@partnergraph/vocabulary';
import type { Database } from '@partnergraph/subgraph-kit';

/**
 * The partnership's areas, parties, goals and bodies: real, public master data
 * (the agreement's own), present even when no synthetic data is seeded.
 * Existing rows are the owner's and are kept.
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
    await tx.query(
      `INSERT INTO goals (id, area_id, metric, description, agreement_clause)
       SELECT id, area_id, metric, description, agreement_clause
       FROM json_to_recordset($1::json) AS x(id text, area_id text, metric text, description text, agreement_clause text)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(AGREEMENT_GOALS.map((g) => ({ id: g.id, area_id: g.areaId, metric: g.metric, description: g.description, agreement_clause: g.agreementClause })))],
    );
    await tx.query(
      `INSERT INTO bodies (id, kind, name, description, area_id, min_police_representatives, max_police_representatives, meetings_per_year)
       SELECT id, kind, name, description, area_id, min_police_representatives, max_police_representatives, meetings_per_year
       FROM json_to_recordset($1::json) AS x(id text, kind text, name text, description text, area_id text,
         min_police_representatives int, max_police_representatives int, meetings_per_year int)
       ON CONFLICT (id) DO NOTHING`,
      [
        JSON.stringify(
          PARTNERSHIP_BODIES.map((b) => ({
            id: b.id, kind: b.kind, name: b.name, description: b.description, area_id: b.areaId,
            min_police_representatives: b.minPoliceRepresentatives, max_police_representatives: b.maxPoliceRepresentatives,
            meetings_per_year: b.meetingsPerYear,
          })),
        ),
      ],
    );
  });
}
