/** SQL column lists that produce the GraphQL types' property names. */
export const AREA_COLUMNS = `a.id, a.name, a.town, a.is_special_area AS "isSpecialArea"`;

export const ORGANISATION_COLUMNS = `o.id, o.name, o.short_name AS "shortName", o.kind`;

export const INITIATIVE_COLUMNS = `i.id, i.title, i.description, i.kind, i.responsible_organisation AS "responsibleOrganisationId",
  i.starts_on AS "startsOn", i.ends_on AS "endsOn", i.version,
  ARRAY(SELECT ia.area_id FROM initiative_areas ia WHERE ia.initiative_id = i.id ORDER BY ia.area_id) AS "areaIds"`;

export const INJUNCTION_COLUMNS = `j.id, j.person_id AS "personId", j.kind, j.area_id AS "areaId",
  j.issued_on AS "issuedOn", j.ends_on AS "endsOn", j.reason, j.caseworker`;

/**
 * SQL for an initiative's status on day `$n`, matching `initiativeStatus`;
 * `param` is the placeholder of that day.
 */
export function statusCondition(status: string, param: string): string {
  switch (status) {
    case 'PLANNED':
      return `i.starts_on > ${param}::date`;
    case 'CLOSED':
      return `i.ends_on < ${param}::date`;
    default:
      return `(i.starts_on <= ${param}::date AND (i.ends_on IS NULL OR i.ends_on >= ${param}::date))`;
  }
}

export function initiativeStatus(row: { startsOn: string; endsOn: string | null }, day: string): 'PLANNED' | 'ACTIVE' | 'CLOSED' {
  if (row.startsOn > day) return 'PLANNED';
  if (row.endsOn !== null && row.endsOn < day) return 'CLOSED';
  return 'ACTIVE';
}

/** Today as 'YYYY-MM-DD' in UTC, the day statuses are decided on (as the policies' `context.today`). */
export const today = (now = new Date()): string => now.toISOString().slice(0, 10);
