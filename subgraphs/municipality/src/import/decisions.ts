import { code, date, organisation, text, type ImportKind } from '@partnergraph/import';
import { DECISION_COLUMNS } from '../data/rows.js';
import { validateDecision } from '../data/rules.js';
import { body } from './meetings.js';
import { applyRule, NOT_YOURS } from './rules.js';

interface Prepared {
  /** Meetings by body and day: `<body>|<yyyy-mm-dd>` → ids. */
  meetings: Map<string, string[]>;
}

const NATURAL = 'd.meeting_id = s.meeting_id AND d.text = s.text';

/**
 * Decisions of the bodies' meetings, as minutes list them: the meeting (body
 * and date), the decision, who follows it up, by when, and when it was done.
 * The meeting must be imported (or scheduled) first. Matched by Id when the
 * file has one, otherwise by meeting and text. A file speaks for the
 * meetings it holds decisions of.
 */
export const decisionsImport: ImportKind<Prepared> = {
  owner: 'municipality',
  name: 'decisions',
  title: "Decisions of the bodies' meetings: meeting, decision, follow-up, due and done",
  entityType: 'MeetingDecision',
  purposes: ['COORDINATION'],
  columns: [
    { field: 'id', headers: ['Id', 'Beslutnings-id', 'decisionId'], type: code({ pattern: /^MD\d{6}$/, describe: 'decision id (MD and 6 digits)' }), optional: true, nullable: true, description: "The decision's id (empty for a new one); without it, rows match on meeting and text." },
    { field: 'body', headers: ['Organ', 'Mødeforum', 'Forum', 'bodyId'], type: body, description: 'The body whose meeting took the decision.' },
    { field: 'meetingDate', headers: ['Mødedato', 'Dato', 'meetingDate'], type: date, description: 'The day of that meeting.' },
    { field: 'text', headers: ['Beslutning', 'Tekst', 'text'], type: text({ max: 2000 }), description: 'The decision (3–2000 characters).' },
    { field: 'owner', headers: ['Ansvarlig', 'Opfølgning', 'ownerId'], type: organisation, description: 'The organisation that follows it up.' },
    { field: 'dueOn', headers: ['Frist', 'dueOn'], type: date, description: 'When it is due (not before the meeting).' },
    { field: 'completedOn', headers: ['Udført', 'Afsluttet', 'completedOn'], type: date, nullable: true, description: 'When it was done; empty while open.' },
  ],
  async prepare(db) {
    const rows = await db.query<{ id: string; bodyId: string; scheduledFor: string }>('SELECT id, body_id AS "bodyId", scheduled_for AS "scheduledFor" FROM meetings');
    const meetings = new Map<string, string[]>();
    for (const m of rows) {
      const key = `${m.bodyId}|${m.scheduledFor}`;
      meetings.set(key, [...(meetings.get(key) ?? []), m.id]);
    }
    return { meetings };
  },
  check(v, _env, prepared, reject) {
    const found = prepared.meetings.get(`${v['body']}|${v['meetingDate']}`) ?? [];
    if (found.length !== 1) {
      reject('meetingDate', found.length === 0 ? 'no meeting of that body on that day (import the meetings first)' : 'the body met several times that day');
      return null;
    }
    const state = applyRule(
      () => validateDecision(v['meetingDate'], { text: v['text'], ownerId: v['owner'], dueOn: v['dueOn'], completedOn: v['completedOn'] }, ''),
      { meetingId: 'meetingDate', text: 'text', ownerId: 'owner', dueOn: 'dueOn', completedOn: 'completedOn' },
      reject,
    );
    if (!state) return null;
    return { id: v['id'] ?? null, meeting_id: found[0], text: state.text, owner: state.ownerId, due_on: state.dueOn, completed_on: state.completedOn };
  },
  resource: (s) => ({ id: s['id'] ?? 'new', ownerId: s['owner'] }),
  dataOwner: () => 'slagelse-kommune',
  stage: { id: 'text', meeting_id: 'text', text: 'text', owner: 'text', due_on: 'date', completed_on: 'date' },
  uniqueKeys: [
    { columns: ['id'], fields: ['id'] },
    { columns: ['meeting_id', 'text'], fields: ['meetingDate', 'text'] },
  ],
  setChecks: [
    `SELECT s.line, '-', '${NOT_YOURS}' FROM import_stage s
     WHERE s.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM meeting_decisions d WHERE d.id = s.id)`,
    `SELECT s.line, 'text', 'matches several decisions of the meeting: give the Id'
     FROM import_stage s JOIN meeting_decisions d ON ${NATURAL} WHERE s.id IS NULL GROUP BY s.line HAVING count(*) > 1`,
  ],
  target: {
    table: 'meeting_decisions',
    alias: 'd',
    id: 'd.id',
    match: `((s.id IS NOT NULL AND d.id = s.id) OR (s.id IS NULL AND ${NATURAL}))`,
    scope: 'd.meeting_id IN (SELECT s.meeting_id FROM import_stage s)',
    compare: {
      meetingDate: ['s.meeting_id', 'd.meeting_id'],
      text: ['s.text', 'd.text'],
      owner: ['s.owner', 'd.owner_organisation'],
      dueOn: ['s.due_on', 'd.due_on'],
      completedOn: ['s.completed_on', 'd.completed_on'],
    },
    dataOwner: ["'slagelse-kommune'", "'slagelse-kommune'"],
  },
  merge: {
    newId: "'MD' || lpad(nextval('meeting_decision_number')::text, 6, '0')",
    insert: `INSERT INTO meeting_decisions (id, meeting_id, text, owner_organisation, due_on, completed_on)
             SELECT p.target_id, p.meeting_id, p.text, p.owner, p.due_on, p.completed_on FROM import_plan p WHERE p.is_new`,
    update: `UPDATE meeting_decisions d SET meeting_id = p.meeting_id, text = p.text, owner_organisation = p.owner, due_on = p.due_on,
               completed_on = p.completed_on, version = d.version + 1
             FROM import_plan p WHERE d.id = p.target_id AND NOT p.is_new AND cardinality(p.changed) > 0`,
    remove: 'DELETE FROM meeting_decisions d USING import_removed r WHERE d.id = r.id',
  },
  export: {
    columns: `${DECISION_COLUMNS}, m.body_id AS "bodyId", m.scheduled_for AS "meetingOn"`,
    from: 'meeting_decisions d JOIN meetings m ON m.id = d.meeting_id',
    order: [['d.id', 'id']],
    values: (d: { id: string; bodyId: string; meetingOn: string; text: string; ownerId: string; dueOn: string; completedOn: string | null }) => ({
      id: d.id,
      body: d.bodyId,
      meetingDate: d.meetingOn,
      text: d.text,
      owner: d.ownerId,
      dueOn: d.dueOn,
      completedOn: d.completedOn,
    }),
  },
};
