import { choice, code, date, organisation, text, ValueError, type ImportKind, type ValueType } from '@partnergraph/import';
import { PARTNERSHIP_BODIES } from '@partnergraph/vocabulary';
import { MEETING_COLUMNS } from '../data/rows.js';
import { validateMeeting } from '../data/rules.js';
import { applyRule, NOT_YOURS } from './rules.js';

const BODY_SHORT_NAMES: Record<string, readonly string[]> = {
  BOARD: ['Bestyrelsen', 'Bestyrelse'],
  COORDINATION_GROUP: ['Koordinationsgruppe'],
  ANNUAL_CONFERENCE: ['Årskonferencen', 'Årskonference', 'Konferencen'],
  FOLLOW_UP_GROUP: [],
};

/** The agreement's bodies by id or name (`Bestyrelsen`, `Koordinationsgruppen`, `Følgegruppe Motalavej`). */
export const body = choice(
  'body',
  PARTNERSHIP_BODIES.map((b) => ({ value: b.id, labels: [b.name, ...BODY_SHORT_NAMES[b.kind]!, b.id] })),
);

export type Participant = { organisationId: string; representatives: number };

const one = organisation;

/**
 * Who took part, in one cell: `Politiet 3, Slagelse Kommune 2, FOB 1` (an
 * organisation without a number sent one); in JSON Lines also a list of
 * `{"organisationId", "representatives"}`. Kept sorted by organisation id.
 */
export const participants: ValueType<Participant[]> = {
  describe: 'participants "Politiet 3, Slagelse Kommune 2, FOB 1"',
  parse(raw, style) {
    const items: Participant[] = [];
    if (Array.isArray(raw)) {
      for (const item of raw as Array<Record<string, unknown>>) {
        if (!item || typeof item !== 'object') throw new ValueError('a participant must be {"organisationId", "representatives"}');
        const org = one.parse(String(item['organisationId'] ?? item['organisation'] ?? ''), style);
        const n = Number(item['representatives'] ?? 1);
        items.push({ organisationId: org, representatives: n });
      }
    } else {
      for (const part of String(raw).split(/[,;\n]/)) {
        const trimmed = part.trim();
        if (!trimmed) continue;
        const m = /^(.*?)[\s:(]*(\d+)\)?$/.exec(trimmed);
        const name = m && m[1]!.trim() ? m[1]! : trimmed;
        items.push({ organisationId: one.parse(name.trim(), style), representatives: m && m[1]!.trim() ? Number(m[2]) : 1 });
      }
    }
    if (items.length === 0) throw new ValueError('names no participant');
    return items.sort((a, b) => a.organisationId.localeCompare(b.organisationId));
  },
  format: (value, style) =>
    style === 'json'
      ? value.map((p) => ({ organisationId: p.organisationId, representatives: p.representatives }))
      : value.map((p) => `${one.format(p.organisationId, 'danish')} ${p.representatives}`).join(', '),
};

/** Participants as one comparable text, `fob=1;police=3` (sorted), in the stage and from the tables. */
const canonical = (list: Participant[]) => list.map((p) => `${p.organisationId}=${p.representatives}`).join(';');
const PARTICIPANTS_OF = `(SELECT string_agg(mp.organisation_id || '=' || mp.representatives, ';' ORDER BY mp.organisation_id)
  FROM meeting_participants mp WHERE mp.meeting_id = m.id)`;
const NATURAL = 'm.body_id = s.body_id AND m.scheduled_for = s.scheduled_for';

/**
 * Meetings of the partnership's bodies, as the secretariat's meeting plan
 * lists them: body, date, title, participants. Matched by Id when the file
 * has one, otherwise by body and date. The police's representatives must be
 * as the agreement says, as when a meeting is scheduled through the graph.
 * A file speaks for the bodies and the span of dates it holds.
 */
export const meetingsImport: ImportKind = {
  owner: 'municipality',
  name: 'meetings',
  title: "Meetings of the partnership's bodies: body, date, title, participants",
  entityType: 'Meeting',
  purposes: ['COORDINATION'],
  columns: [
    { field: 'id', headers: ['Id', 'Møde-id', 'meetingId'], type: code({ pattern: /^M\d{6}$/, describe: 'meeting id (M and 6 digits)' }), optional: true, nullable: true, description: 'The meeting\'s id (empty for a new one); without it, rows match on body and date.' },
    { field: 'body', headers: ['Organ', 'Mødeforum', 'Forum', 'bodyId'], type: body, description: 'Bestyrelsen, Koordinationsgruppen, Følgegruppe <område> or the annual conference.' },
    { field: 'date', headers: ['Dato', 'Mødedato', 'scheduledFor'], type: date, description: 'The day of the meeting.' },
    { field: 'title', headers: ['Titel', 'Emne', 'title'], type: text({ max: 200 }), description: 'Title (3–200 characters).' },
    { field: 'participants', headers: ['Deltagere', 'participants'], type: participants, description: 'Organisations and their representatives, e.g. "Politiet 3, Slagelse Kommune 2".' },
  ],
  check(v, _env, _prepared, reject) {
    const definition = PARTNERSHIP_BODIES.find((b) => b.id === v['body'])!;
    const state = applyRule(
      () =>
        validateMeeting(
          { kind: definition.kind, minPoliceRepresentatives: definition.minPoliceRepresentatives, policeRepresentatives: definition.maxPoliceRepresentatives },
          { scheduledFor: v['date'], title: v['title'], participants: v['participants'] },
          '',
        ),
      { title: 'title', scheduledFor: 'date', participants: 'participants' },
      reject,
    );
    if (!state) return null;
    return { id: v['id'] ?? null, body_id: v['body'], scheduled_for: state.scheduledFor, title: state.title, participants: canonical(state.participants) };
  },
  resource: (s) => ({ id: s['id'] ?? 'new' }),
  dataOwner: () => 'slagelse-kommune',
  stage: { id: 'text', body_id: 'text', scheduled_for: 'date', title: 'text', participants: 'text' },
  uniqueKeys: [
    { columns: ['id'], fields: ['id'] },
    { columns: ['body_id', 'scheduled_for'], fields: ['body', 'date'] },
  ],
  setChecks: [
    `SELECT s.line, '-', '${NOT_YOURS}' FROM import_stage s
     WHERE s.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM meetings m WHERE m.id = s.id)`,
    `SELECT s.line, 'date', 'matches several meetings of the body on that day: give the Id'
     FROM import_stage s JOIN meetings m ON ${NATURAL} WHERE s.id IS NULL GROUP BY s.line HAVING count(*) > 1`,
  ],
  target: {
    table: 'meetings',
    alias: 'm',
    id: 'm.id',
    match: `((s.id IS NOT NULL AND m.id = s.id) OR (s.id IS NULL AND ${NATURAL}))`,
    scope: `m.body_id IN (SELECT s.body_id FROM import_stage s)
            AND m.scheduled_for BETWEEN (SELECT min(s.scheduled_for) FROM import_stage s) AND (SELECT max(s.scheduled_for) FROM import_stage s)`,
    compare: {
      body: ['s.body_id', 'm.body_id'],
      date: ['s.scheduled_for', 'm.scheduled_for'],
      title: ['s.title', 'm.title'],
      participants: ['s.participants', PARTICIPANTS_OF],
    },
    keep: { sql: 'EXISTS (SELECT 1 FROM meeting_decisions d WHERE d.meeting_id = m.id)', reason: 'kept: they have decisions' },
    dataOwner: ["'slagelse-kommune'", "'slagelse-kommune'"],
  },
  merge: {
    newId: "'M' || lpad(nextval('meeting_number')::text, 6, '0')",
    insert: `INSERT INTO meetings (id, body_id, scheduled_for, title)
             SELECT p.target_id, p.body_id, p.scheduled_for, p.title FROM import_plan p WHERE p.is_new`,
    update: `UPDATE meetings m SET body_id = p.body_id, scheduled_for = p.scheduled_for, title = p.title, version = m.version + 1
             FROM import_plan p WHERE m.id = p.target_id AND NOT p.is_new AND cardinality(p.changed) > 0`,
    remove: `DELETE FROM meetings m USING import_removed r WHERE m.id = r.id`,
    after: [
      `DELETE FROM meeting_participants mp USING import_plan p WHERE mp.meeting_id = p.target_id AND 'participants' = ANY(p.changed)`,
      `INSERT INTO meeting_participants (meeting_id, organisation_id, representatives)
       SELECT p.target_id, split_part(x, '=', 1), split_part(x, '=', 2)::int
       FROM import_plan p, unnest(string_to_array(p.participants, ';')) AS x WHERE p.is_new OR 'participants' = ANY(p.changed)`,
    ],
  },
  export: {
    columns: `${MEETING_COLUMNS}, ${PARTICIPANTS_OF} AS participants`,
    from: 'meetings m',
    order: [['m.id', 'id']],
    values: (m: { id: string; bodyId: string; scheduledFor: string; title: string; participants: string | null }) => ({
      id: m.id,
      body: m.bodyId,
      date: m.scheduledFor,
      title: m.title,
      participants: (m.participants ?? '')
        .split(';')
        .filter(Boolean)
        .map((x) => ({ organisationId: x.split('=')[0]!, representatives: Number(x.split('=')[1]) })),
    }),
  },
};
