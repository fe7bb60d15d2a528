/** SQL column lists that produce the GraphQL types' property names. */
export const TENANCY_COLUMNS = `t.id, t.department_id AS "departmentId", t.company_id AS "companyId", t.area_id AS "areaId",
  t.unit_address AS "unitAddress", t.tenant_person_id AS "tenantPersonId", t.tenant_name AS "tenantName",
  t.household_size AS "householdSize", t.start_date AS "startDate", t.end_date AS "endDate",
  t.monthly_rent AS "monthlyRent", (t.end_date IS NULL) AS "isCurrent"`;

export const DEPARTMENT_COLUMNS = `d.id, d.company_id AS "companyId", d.area_id AS "areaId", d.number, d.name, d.units`;

export const CASE_COLUMNS = `c.id, c.tenancy_id AS "tenancyId", c.company_id AS "companyId", c.referral_id AS "referralId",
  c.basis, c.status, c.opened_on AS "openedOn", c.status_changed_on AS "statusChangedOn", c.version,
  c.purpose, c.referral_decided_on AS "referralDecidedOn", (c.referral_confirmed_at IS NOT NULL) AS "fromConfirmedReferral",
  t.tenant_person_id AS "tenantPersonId"`;
