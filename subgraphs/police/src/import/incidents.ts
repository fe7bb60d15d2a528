import { area, choice, int, month, type ImportKind } from '@partnergraph/import';
import { INCIDENT_CATEGORIES } from '@partnergraph/vocabulary';

/** The police's categories of reported incidents, by their Danish names. */
const CATEGORY_NAMES: Record<(typeof INCIDENT_CATEGORIES)[number], readonly string[]> = {
  VIOLENCE: ['Vold'],
  BURGLARY: ['Indbrud'],
  THEFT: ['Tyveri'],
  VANDALISM: ['Hærværk'],
  DRUGS: ['Narkotika', 'Narko'],
  THREATS: ['Trusler'],
  ARSON: ['Brandstiftelse', 'Ildspåsættelse'],
  DISTURBANCE: ['Uro', 'Ordensforstyrrelse'],
};

/**
 * Reported incidents (anmeldelser) per area, month and category, as the
 * police's statistics export them. A file speaks for the months it holds.
 */
export const incidentsImport: ImportKind = {
  owner: 'police',
  name: 'incidents',
  title: 'Reported incidents (anmeldelser) per area, month and category',
  entityType: 'IncidentCount',
  purposes: ['STATISTICS'],
  columns: [
    { field: 'area', headers: ['Område', 'Boligområde', 'areaId'], type: area, description: "The agreement's area (name or id)." },
    { field: 'month', headers: ['Måned', 'Periode', 'month'], type: month, description: 'The month (mm-yyyy, yyyy-mm or "marts 2024").' },
    {
      field: 'category',
      headers: ['Kategori', 'Anmeldelsestype', 'category'],
      type: choice('category', INCIDENT_CATEGORIES.map((c) => ({ value: c, labels: [...CATEGORY_NAMES[c], c] }))),
      description: 'Kind of incident.',
    },
    { field: 'count', headers: ['Antal', 'Anmeldelser', 'count'], type: int({ min: 0, max: 1_000_000 }), description: 'Reported incidents.' },
  ],
  check(v, env, _prepared, reject) {
    if (v['month'] > env.today) {
      reject('month', 'lies in the future');
      return null;
    }
    return { area_id: v['area'], month: v['month'], category: v['category'], count: v['count'] };
  },
  resource: (s) => ({ id: `${s['area_id']}:${s['month']}:${s['category']}` }),
  dataOwner: () => 'police',
  stage: { area_id: 'text', month: 'date', category: 'text', count: 'int' },
  uniqueKeys: [{ columns: ['area_id', 'month', 'category'], fields: ['area', 'month', 'category'] }],
  target: {
    table: 'incident_counts',
    alias: 'ic',
    id: "ic.area_id || ':' || to_char(ic.month, 'YYYY-MM') || ':' || ic.category",
    match: 'ic.area_id = s.area_id AND ic.month = s.month AND ic.category = s.category',
    scope: 'ic.month IN (SELECT s.month FROM import_stage s)',
    compare: { count: ['s.count', 'ic.count'] },
    dataOwner: ["'police'", "'police'"],
  },
  merge: {
    newId: "p.area_id || ':' || to_char(p.month, 'YYYY-MM') || ':' || p.category",
    insert: 'INSERT INTO incident_counts (area_id, month, category, count) SELECT p.area_id, p.month, p.category, p.count FROM import_plan p WHERE p.is_new',
    update: `UPDATE incident_counts ic SET count = p.count FROM import_plan p
             WHERE ic.area_id = p.area_id AND ic.month = p.month AND ic.category = p.category AND NOT p.is_new AND cardinality(p.changed) > 0`,
    remove: `DELETE FROM incident_counts ic USING import_removed r
             WHERE ic.area_id || ':' || to_char(ic.month, 'YYYY-MM') || ':' || ic.category = r.id`,
  },
  export: {
    columns: 'ic.area_id AS "areaId", ic.month, ic.category, ic.count',
    from: 'incident_counts ic',
    order: [
      ['ic.area_id', 'areaId'],
      ['ic.month', 'month'],
      ['ic.category', 'category'],
    ],
    values: (r: { areaId: string; month: string; category: string; count: number }) => ({ area: r.areaId, month: r.month, category: r.category, count: r.count }),
  },
};
