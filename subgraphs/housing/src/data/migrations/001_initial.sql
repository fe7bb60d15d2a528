-- The five housing companies' data, one database, each company's rows
-- separated by company_id and by the owner's policies.

CREATE TABLE departments (
  id text PRIMARY KEY,
  company_id text NOT NULL,
  number int NOT NULL,
  name text NOT NULL,
  area_id text NOT NULL,
  units int NOT NULL CHECK (units >= 0),
  UNIQUE (company_id, number)
);
CREATE INDEX departments_area ON departments (area_id);

CREATE TABLE tenancies (
  id text PRIMARY KEY,
  department_id text NOT NULL REFERENCES departments (id),
  company_id text NOT NULL,
  area_id text NOT NULL,
  unit_address text NOT NULL,
  tenant_person_id text NOT NULL,
  tenant_name text NOT NULL,
  household_size int NOT NULL CHECK (household_size > 0),
  start_date date NOT NULL,
  end_date date,
  monthly_rent int NOT NULL,
  CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX tenancies_person ON tenancies (tenant_person_id);
CREATE INDEX tenancies_company ON tenancies (company_id, id);
CREATE INDEX tenancies_department ON tenancies (department_id, id);

-- Current occupancy per department, kept by statement-level triggers so that
-- area counts stay cheap at national volume and bulk loads stay fast.
CREATE TABLE department_occupancy (
  department_id text PRIMARY KEY REFERENCES departments (id),
  current_tenancies int NOT NULL DEFAULT 0,
  current_residents int NOT NULL DEFAULT 0
);

CREATE FUNCTION department_occupancy_insert() RETURNS trigger AS $$
BEGIN
  INSERT INTO department_occupancy AS o (department_id, current_tenancies, current_residents)
  SELECT department_id, count(*), sum(household_size) FROM new_rows WHERE end_date IS NULL GROUP BY department_id
  ON CONFLICT (department_id) DO UPDATE
    SET current_tenancies = o.current_tenancies + excluded.current_tenancies,
        current_residents = o.current_residents + excluded.current_residents;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION department_occupancy_delete() RETURNS trigger AS $$
BEGIN
  UPDATE department_occupancy o
  SET current_tenancies = o.current_tenancies - d.n, current_residents = o.current_residents - d.r
  FROM (SELECT department_id, count(*) AS n, sum(household_size) AS r FROM old_rows WHERE end_date IS NULL GROUP BY department_id) d
  WHERE o.department_id = d.department_id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION department_occupancy_update() RETURNS trigger AS $$
BEGIN
  UPDATE department_occupancy o
  SET current_tenancies = o.current_tenancies - d.n, current_residents = o.current_residents - d.r
  FROM (SELECT department_id, count(*) AS n, sum(household_size) AS r FROM old_rows WHERE end_date IS NULL GROUP BY department_id) d
  WHERE o.department_id = d.department_id;
  INSERT INTO department_occupancy AS o (department_id, current_tenancies, current_residents)
  SELECT department_id, count(*), sum(household_size) FROM new_rows WHERE end_date IS NULL GROUP BY department_id
  ON CONFLICT (department_id) DO UPDATE
    SET current_tenancies = o.current_tenancies + excluded.current_tenancies,
        current_residents = o.current_residents + excluded.current_residents;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER tenancies_occupancy_insert AFTER INSERT ON tenancies
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION department_occupancy_insert();
CREATE TRIGGER tenancies_occupancy_delete AFTER DELETE ON tenancies
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION department_occupancy_delete();
CREATE TRIGGER tenancies_occupancy_update AFTER UPDATE ON tenancies
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION department_occupancy_update();

CREATE TABLE termination_cases (
  id text PRIMARY KEY,
  tenancy_id text NOT NULL REFERENCES tenancies (id),
  company_id text NOT NULL,
  -- The police referral the case stems from, if any (the police's id; not a foreign key across owners).
  referral_id text,
  basis text NOT NULL CHECK (basis IN ('ALMENLEJELOVEN_90_1_10', 'OTHER')),
  status text NOT NULL CHECK (status IN ('ASSESSING', 'NOTICE_SERVED', 'IN_COURT', 'COMPLETED', 'WITHDRAWN')),
  opened_on date NOT NULL,
  status_changed_on date NOT NULL,
  version int NOT NULL DEFAULT 1,
  UNIQUE (referral_id)
);
CREATE INDEX termination_cases_company ON termination_cases (company_id, opened_on DESC, id DESC);
CREATE INDEX termination_cases_tenancy ON termination_cases (tenancy_id);
