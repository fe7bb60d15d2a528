import { area, decimal, int, type ImportKind } from '@partnergraph/import';
import { SAFETY_COLUMNS } from '../data/rows.js';

const FIRST_YEAR = 2000;

/**
 * Politiets Tryghedsindeks as the police publish it once a year: one row per
 * area and year, keyed by both. A file speaks for the years it holds: an
 * area missing from a year the file has is "removed".
 */
export const safetyIndexImport: ImportKind = {
  owner: 'police',
  name: 'safety-index',
  title: 'Politiets Tryghedsindeks per area and year (the yearly publication table)',
  entityType: 'SafetyIndexMeasurement',
  purposes: ['STATISTICS'],
  columns: [
    { field: 'area', headers: ['Område', 'Boligområde', 'areaId'], type: area, description: "The agreement's area (name or id)." },
    { field: 'year', headers: ['År', 'Årstal', 'year'], type: int({ min: FIRST_YEAR, max: 2100 }), description: 'The year measured.' },
    { field: 'shareFeelingSafe', headers: ['Tryghedsindeks', 'Andel trygge', 'Andel trygge (%)', 'shareFeelingSafe'], type: decimal({ min: 0, max: 100, decimals: 1 }), description: 'Share of residents who feel basically safe, %.' },
    { field: 'comparableAreasShare', headers: ['Sammenlignelige områder', 'Sammenlignelige områder (%)', 'comparableShare'], type: decimal({ min: 0, max: 100, decimals: 1 }), description: 'The same share in comparable areas overall, %.' },
    { field: 'neighbourhoodProblemsIndex', headers: ['Nabolagsproblemer', 'Indeks for nabolagsproblemer', 'neighbourhoodProblems'], type: decimal({ min: 0, max: 100, decimals: 1 }), description: 'Index of neighbourhood problems (nabolagsproblemer).' },
    { field: 'experiencedSafetyIndex', headers: ['Oplevet tryghed', 'Indeks for oplevet tryghed', 'experiencedSafety'], type: decimal({ min: 0, max: 100, decimals: 1 }), description: 'Index of experienced safety (oplevet tryghed).' },
    { field: 'reportedCrimes', headers: ['Anmeldelser', 'Anmeldte forbrydelser', 'reportedCrimes'], type: int({ min: 0, max: 1_000_000 }), description: 'Reported crimes (anmeldelser) in the year.' },
    { field: 'respondents', headers: ['Respondenter', 'Antal besvarelser', 'respondents'], type: int({ min: 0, max: 1_000_000 }), description: 'Residents who answered the survey.' },
  ],
  check(v, env, _prepared, reject) {
    if (v['year'] > Number(env.today.slice(0, 4))) {
      reject('year', 'lies in the future');
      return null;
    }
    return {
      area_id: v['area'],
      year: v['year'],
      share_feeling_safe: v['shareFeelingSafe'],
      comparable_share: v['comparableAreasShare'],
      neighbourhood_problems_index: v['neighbourhoodProblemsIndex'],
      experienced_safety_index: v['experiencedSafetyIndex'],
      reported_crimes: v['reportedCrimes'],
      respondents: v['respondents'],
    };
  },
  resource: (s) => ({ areaId: s['area_id'], year: s['year'] }),
  dataOwner: () => 'police',
  stage: {
    area_id: 'text',
    year: 'int',
    share_feeling_safe: 'numeric(5, 1)',
    comparable_share: 'numeric(5, 1)',
    neighbourhood_problems_index: 'numeric(5, 1)',
    experienced_safety_index: 'numeric(5, 1)',
    reported_crimes: 'int',
    respondents: 'int',
  },
  uniqueKeys: [{ columns: ['area_id', 'year'], fields: ['area', 'year'] }],
  target: {
    table: 'safety_index',
    alias: 'si',
    id: "si.area_id || ':' || si.year",
    match: 'si.area_id = s.area_id AND si.year = s.year',
    scope: 'si.year IN (SELECT s.year FROM import_stage s)',
    compare: {
      shareFeelingSafe: ['s.share_feeling_safe', 'si.share_feeling_safe'],
      comparableAreasShare: ['s.comparable_share', 'si.comparable_share'],
      neighbourhoodProblemsIndex: ['s.neighbourhood_problems_index', 'si.neighbourhood_problems_index'],
      experiencedSafetyIndex: ['s.experienced_safety_index', 'si.experienced_safety_index'],
      reportedCrimes: ['s.reported_crimes', 'si.reported_crimes'],
      respondents: ['s.respondents', 'si.respondents'],
    },
    dataOwner: ["'police'", "'police'"],
  },
  merge: {
    newId: "p.area_id || ':' || p.year",
    insert: `INSERT INTO safety_index (area_id, year, share_feeling_safe, comparable_share, neighbourhood_problems_index,
               experienced_safety_index, reported_crimes, respondents)
             SELECT p.area_id, p.year, p.share_feeling_safe, p.comparable_share, p.neighbourhood_problems_index,
               p.experienced_safety_index, p.reported_crimes, p.respondents FROM import_plan p WHERE p.is_new`,
    update: `UPDATE safety_index si SET share_feeling_safe = p.share_feeling_safe, comparable_share = p.comparable_share,
               neighbourhood_problems_index = p.neighbourhood_problems_index, experienced_safety_index = p.experienced_safety_index,
               reported_crimes = p.reported_crimes, respondents = p.respondents
             FROM import_plan p WHERE si.area_id = p.area_id AND si.year = p.year AND NOT p.is_new AND cardinality(p.changed) > 0`,
    remove: "DELETE FROM safety_index si USING import_removed r WHERE si.area_id || ':' || si.year = r.id",
  },
  export: {
    columns: SAFETY_COLUMNS,
    from: 'safety_index',
    order: [
      ['area_id', 'areaId'],
      ['year', 'year'],
    ],
    values: (m: Record<string, unknown>) => ({ ...m, area: m['areaId'] }),
  },
};
