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

/** An instant as an ISO string with milliseconds, the same on both drivers (and in cursors and replays). */
export const instant = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export const GOAL_COLUMNS = `g.id, g.area_id AS "areaId", g.metric, g.description, g.agreement_clause AS "agreementClause"`;

export const NOTICE_COLUMNS = `n.id, n.posted_by AS "postedById", n.subject, n.summary,
  ${instant('n.posted_at')} AS "postedAt", ${instant('n.planned_publication_at')} AS "plannedPublicationAt",
  ${instant('n.published_at')} AS "publishedAt", n.reason_for_late_notice AS "reasonForLateNotice",
  ARRAY(SELECT na.area_id FROM notice_areas na WHERE na.notice_id = n.id ORDER BY na.area_id) AS "areaIds"`;

/** Of a notice `n`: some party other than the poster has not acknowledged it. */
export const MISSING_ACKNOWLEDGEMENT = `EXISTS (SELECT 1 FROM organisations o WHERE o.id <> n.posted_by
  AND NOT EXISTS (SELECT 1 FROM notice_acknowledgements k WHERE k.notice_id = n.id AND k.organisation_id = o.id))`;

export const ACKNOWLEDGEMENT_COLUMNS = `k.notice_id AS "noticeId", k.organisation_id AS "organisationId",
  ${instant('k.acknowledged_at')} AS "acknowledgedAt", k.acknowledged_by AS "acknowledgedBy"`;

export const BODY_COLUMNS = `b.id, b.kind, b.name, b.description, b.area_id AS "areaId",
  b.max_police_representatives AS "policeRepresentatives", b.min_police_representatives AS "minPoliceRepresentatives",
  b.meetings_per_year AS "meetingsPerYear"`;

export const MEETING_COLUMNS = `m.id, m.body_id AS "bodyId", m.scheduled_for AS "scheduledFor", m.title`;

export const PARTICIPANT_COLUMNS = `p.meeting_id AS "meetingId", p.organisation_id AS "organisationId", p.representatives`;

export const DECISION_COLUMNS = `d.id, d.meeting_id AS "meetingId", d.text, d.owner_organisation AS "ownerId",
  d.due_on AS "dueOn", d.completed_on AS "completedOn", d.version`;

/** Days from an ISO date, as ISO date. */
export const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
