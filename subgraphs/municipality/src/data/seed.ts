import { AREAS, ORGANISATIONS } from '@partnergraph/common';
import { bulkInsert, type Database } from '@partnergraph/subgraph-kit';
import {
  AGREEMENT_GOALS,
  municipalityInitiatives,
  municipalityInjunctions,
  municipalityMeetings,
  municipalityNotices,
  PARTNERSHIP_BODIES,
  type World,
} from '@partnergraph/synthetic';

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

/**
 * Loads the municipality's slice of the synthetic partnership, once: each part
 * (register and injunctions; notices and meetings) only into empty tables, so
 * an existing database is left alone. True when anything was loaded.
 */
export async function seedMunicipality(db: Database, world: World): Promise<boolean> {
  await ensureReferenceData(db);
  const registers = await seedRegisters(db, world);
  const workflows = await seedWorkflows(db, world);
  return registers || workflows;
}

async function isEmpty(db: Database, tables: string[]): Promise<boolean> {
  const [existing] = await db.query<{ n: number }>(`SELECT ${tables.map((t) => `(SELECT count(*) FROM ${t})`).join(' + ')} AS n`);
  return !existing || Number(existing.n) === 0;
}

async function seedRegisters(db: Database, world: World): Promise<boolean> {
  if (!(await isEmpty(db, ['initiatives', 'injunctions']))) return false;
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

/** Notices with their acknowledgements, and meetings with participants and decisions. */
async function seedWorkflows(db: Database, world: World): Promise<boolean> {
  if (!(await isEmpty(db, ['notices', 'meetings']))) return false;
  const notices = municipalityNotices(world);
  const meetings = municipalityMeetings(world);
  await db.transaction(async (tx) => {
    await bulkInsert(
      tx,
      'notices',
      {
        id: 'text', posted_by: 'text', posted_by_principal: 'text', subject: 'text', summary: 'text', posted_at: 'timestamptz',
        planned_publication_at: 'timestamptz', published_at: 'timestamptz', reason_for_late_notice: 'text',
      },
      notices.map((n) => ({
        id: n.id, posted_by: n.postedBy, posted_by_principal: `synthetic#${n.postedBy}`, subject: n.subject, summary: n.summary,
        posted_at: n.postedAt, planned_publication_at: n.plannedPublicationAt, published_at: n.publishedAt, reason_for_late_notice: n.reasonForLateNotice,
      })),
    );
    await bulkInsert(tx, 'notice_areas', { notice_id: 'text', area_id: 'text' }, notices.flatMap((n) => n.areaIds.map((a) => ({ notice_id: n.id, area_id: a }))));
    await bulkInsert(
      tx,
      'notice_acknowledgements',
      { notice_id: 'text', organisation_id: 'text', acknowledged_at: 'timestamptz', acknowledged_by: 'text' },
      notices.flatMap((n) =>
        n.acknowledgements.map((a) => ({ notice_id: n.id, organisation_id: a.organisationId, acknowledged_at: a.acknowledgedAt, acknowledged_by: a.acknowledgedBy })),
      ),
    );
    await bulkInsert(
      tx,
      'meetings',
      { id: 'text', body_id: 'text', scheduled_for: 'date', title: 'text' },
      meetings.map((m) => ({ id: m.id, body_id: m.bodyId, scheduled_for: m.scheduledFor, title: m.title })),
    );
    await bulkInsert(
      tx,
      'meeting_participants',
      { meeting_id: 'text', organisation_id: 'text', representatives: 'int' },
      meetings.flatMap((m) => m.participants.map((p) => ({ meeting_id: m.id, organisation_id: p.organisationId, representatives: p.representatives }))),
    );
    await bulkInsert(
      tx,
      'meeting_decisions',
      { id: 'text', meeting_id: 'text', text: 'text', owner_organisation: 'text', due_on: 'date', completed_on: 'date' },
      meetings.flatMap((m) =>
        m.decisions.map((d) => ({ id: d.id, meeting_id: m.id, text: d.text, owner_organisation: d.ownerOrganisation, due_on: d.dueOn, completed_on: d.completedOn })),
      ),
    );
  });
  return true;
}
