import { areas, choice, code, organisation, period, text, type ImportKind } from '@partnergraph/import';
import { INITIATIVE_COLUMNS } from '../data/rows.js';
import { validateInitiative } from '../data/rules.js';
import { applyRule, NOT_YOURS } from './rules.js';

/** The agreement's three kinds of initiative, by their Danish names ("Indsatser"). */
export const initiativeKind = choice('kind', [
  { value: 'BUILDING_UP', labels: ['Opbyggende', 'Opbyggende indsats', 'Building-up'] },
  { value: 'PREVENTIVE', labels: ['Forebyggende', 'Forebyggende indsats', 'Preventive'] },
  { value: 'CRIME_PREVENTIVE', labels: ['Kriminalitetsforebyggende', 'Kriminalitetsforebyggende indsats', 'Kriminalpræventiv', 'Crime-preventive'] },
]);

const AREAS_OF = 'ARRAY(SELECT ia.area_id FROM initiative_areas ia WHERE ia.initiative_id = i.id ORDER BY ia.area_id)';
const NATURAL = 'i.responsible_organisation = s.responsible AND lower(i.title) = lower(s.title) AND i.starts_on = s.starts_on';

/**
 * The partnership's initiative register as its spreadsheet keeps it: title,
 * kind, areas, responsible party, period (and optionally a description). A
 * row is matched by its Id when the file has one (the export writes it),
 * otherwise by responsible party, title and start. Each party imports its
 * own initiatives; the secretariat, who keeps the spreadsheet, all parties'.
 */
export const initiativesImport: ImportKind = {
  owner: 'municipality',
  name: 'initiatives',
  title: "The initiative register (indsatser): title, kind, areas, responsible party, period",
  entityType: 'Initiative',
  purposes: ['COORDINATION'],
  columns: [
    { field: 'id', headers: ['Id', 'Nr', 'Indsats-id', 'initiativeId'], type: code({ pattern: /^I\d{5}$/, describe: 'initiative id (I and 5 digits)' }), optional: true, nullable: true, description: 'The register\'s id (empty for a new initiative); without it, rows match on responsible party, title and start.' },
    { field: 'title', headers: ['Titel', 'Indsats', 'Navn', 'title'], type: text({ max: 200 }), description: 'The initiative\'s title (3–200 characters).' },
    { field: 'kind', headers: ['Type', 'Indsatstype', 'Art', 'kind'], type: initiativeKind, description: 'Opbyggende, Forebyggende or Kriminalitetsforebyggende.' },
    { field: 'areas', headers: ['Områder', 'Område', 'Boligområder', 'areaIds'], type: areas, description: 'The areas it works in, separated by commas.' },
    { field: 'responsible', headers: ['Ansvarlig', 'Ansvarlig part', 'Ansvarlig organisation', 'responsibleOrganisation'], type: organisation, description: 'The party responsible (Politiet, Slagelse Kommune, FOB, …).' },
    { field: 'period', headers: ['Periode', 'period'], type: period, description: 'When it runs; open-ended while it runs.' },
    { field: 'description', headers: ['Beskrivelse', 'description'], type: text({ min: 0, max: 4000 }), optional: true, nullable: true, description: 'What it does; a file without the column leaves descriptions as they are.' },
  ],
  check(v, env, _prepared, reject) {
    const state = applyRule(
      () =>
        validateInitiative(
          {
            title: v['title'],
            description: v['description'] ?? '',
            kind: v['kind'],
            areaIds: v['areas'],
            startsOn: v['period'].start,
            endsOn: v['period'].end,
          },
          v['responsible'],
          '',
        ),
      { title: 'title', description: 'description', kind: 'kind', areaIds: 'areas', startsOn: 'period', endsOn: 'period' },
      reject,
    );
    if (!state) return null;
    return {
      id: v['id'] ?? null,
      title: state.title,
      // A file without the column keeps each description: it is filled in from the register before comparing.
      description: env.present.has('description') ? state.description : null,
      kind: state.kind,
      area_ids: [...state.areaIds].sort(),
      responsible: v['responsible'],
      starts_on: state.startsOn,
      ends_on: state.endsOn,
    };
  },
  resource: (s) => ({ id: s['id'] ?? 'new', responsibleOrganisationId: s['responsible'] }),
  dataOwner: () => 'slagelse-kommune',
  stage: { id: 'text', title: 'text', description: 'text', kind: 'text', area_ids: 'text[]', responsible: 'text', starts_on: 'date', ends_on: 'date' },
  uniqueKeys: [
    { columns: ['id'], fields: ['id'] },
    { columns: ['responsible', 'lower(title)', 'starts_on'], fields: ['responsible', 'title', 'period'] },
  ],
  setChecks: [
    `SELECT s.line, '-', '${NOT_YOURS}' FROM import_stage s
     WHERE s.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM initiatives i WHERE i.id = s.id)`,
    `SELECT s.line, 'title', 'matches several initiatives of the register by responsible party, title and start: give the Id'
     FROM import_stage s JOIN initiatives i ON ${NATURAL} WHERE s.id IS NULL GROUP BY s.line HAVING count(*) > 1`,
  ],
  target: {
    table: 'initiatives',
    alias: 'i',
    id: 'i.id',
    match: `((s.id IS NOT NULL AND i.id = s.id) OR (s.id IS NULL AND ${NATURAL}))`,
    scope: 'TRUE',
    compare: {
      title: ['s.title', 'i.title'],
      description: ['s.description', 'i.description'],
      kind: ['s.kind', 'i.kind'],
      areas: ['s.area_ids', AREAS_OF],
      responsible: ['s.responsible', 'i.responsible_organisation'],
      period: ['(s.starts_on, s.ends_on)', '(i.starts_on, i.ends_on)'],
    },
    dataOwner: ["'slagelse-kommune'", "'slagelse-kommune'"],
  },
  merge: {
    newId: "'I' || lpad(nextval('initiative_number')::text, 5, '0')",
    insert: `INSERT INTO initiatives (id, title, description, kind, responsible_organisation, starts_on, ends_on)
             SELECT p.target_id, p.title, coalesce(p.description, ''), p.kind, p.responsible, p.starts_on, p.ends_on FROM import_plan p WHERE p.is_new`,
    // Every change bumps the version, as the mutations do: an edit made from an older read gets CONFLICT.
    update: `UPDATE initiatives i SET title = p.title, description = p.description, kind = p.kind, responsible_organisation = p.responsible,
               starts_on = p.starts_on, ends_on = p.ends_on, version = i.version + 1, updated_at = now()
             FROM import_plan p WHERE i.id = p.target_id AND NOT p.is_new AND cardinality(p.changed) > 0`,
    remove: 'DELETE FROM initiatives i USING import_removed r WHERE i.id = r.id',
    after: [
      `DELETE FROM initiative_areas ia USING import_plan p WHERE ia.initiative_id = p.target_id AND 'areas' = ANY(p.changed)`,
      `INSERT INTO initiative_areas (initiative_id, area_id)
       SELECT p.target_id, unnest(p.area_ids) FROM import_plan p WHERE p.is_new OR 'areas' = ANY(p.changed)`,
    ],
  },
  export: {
    columns: INITIATIVE_COLUMNS,
    from: 'initiatives i',
    order: [['i.id', 'id']],
    values: (i: { id: string; title: string; description: string; kind: string; areaIds: string[]; responsibleOrganisationId: string; startsOn: string; endsOn: string | null }) => ({
      id: i.id,
      title: i.title,
      kind: i.kind,
      areas: i.areaIds,
      responsible: i.responsibleOrganisationId,
      period: { start: i.startsOn, end: i.endsOn },
      description: i.description,
    }),
  },
};
