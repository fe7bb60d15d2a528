/** SQL column lists that produce the GraphQL types' property names. */
export const DECISION_COLUMNS = `d.id, d.person_id AS "personId", d.person_birth_date AS "personBirthDate",
  d.decided_on AS "decidedOn", d.offence_category AS "offenceCategory", d.decision_type AS "decisionType",
  d.sentence_days AS "sentenceDays", d.within_or_affecting_area AS "withinOrAffectingArea", d.area_id AS "areaId",
  d.case_number AS "caseNumber", d.court, d.offence_description AS "offenceDescription",
  d.referred_under_63d AS "referredUnder63d", d.referred_under_90_10 AS "referredUnder9010"`;

export const REFERRAL_COLUMNS = `r.id, r.decision_id AS "decisionId", r.housing_company AS "housingCompanyId",
  r.purpose, r.referred_on AS "referredOn", d.person_id AS "personId", d.decided_on AS "decidedOn",
  d.decision_type AS "decisionType", d.offence_category AS "offenceCategory", d.within_or_affecting_area AS "withinOrAffectingArea",
  d.area_id AS "areaId"`;

export const SAFETY_COLUMNS = `area_id AS "areaId", year, share_feeling_safe AS "shareFeelingSafe",
  comparable_share AS "comparableAreasShare", neighbourhood_problems_index AS "neighbourhoodProblemsIndex",
  experienced_safety_index AS "experiencedSafetyIndex", reported_crimes AS "reportedCrimes", respondents`;
