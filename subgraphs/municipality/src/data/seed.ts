import { bulkInsert, type Database } from '@partnergraph/subgraph-kit';
import { municipalityInitiatives, municipalityInjunctions, municipalityMeetings, municipalityNotices, type World } from '@partnergraph/synthetic';
import { ensureReferenceData } from './referenceData.js';

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

/** The registry's name for it: every owner's `./seed` export is `seed(db, world)`. */
export { seedMunicipality as seed };
