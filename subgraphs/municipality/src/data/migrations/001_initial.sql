-- Slagelse Kommune's data: the partnership's areas and organisations (master
-- data the municipality keeps), the initiative register of every party, and
-- the municipality's injunctions under barnets lov § 38 and § 39.

CREATE TABLE housing_areas (
  id text PRIMARY KEY,
  name text NOT NULL,
  town text NOT NULL,
  is_special_area boolean NOT NULL
);

CREATE TABLE organisations (
  id text PRIMARY KEY,
  name text NOT NULL,
  short_name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('POLICE', 'MUNICIPALITY', 'HOUSING_COMPANY', 'SECRETARIAT'))
);

CREATE TABLE initiatives (
  id text PRIMARY KEY,
  title text NOT NULL,
  description text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('BUILDING_UP', 'PREVENTIVE', 'CRIME_PREVENTIVE')),
  responsible_organisation text NOT NULL REFERENCES organisations (id),
  starts_on date NOT NULL,
  ends_on date CHECK (ends_on IS NULL OR ends_on >= starts_on),
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX initiatives_starts ON initiatives (starts_on DESC, id DESC);
CREATE INDEX initiatives_organisation ON initiatives (responsible_organisation);

CREATE TABLE initiative_areas (
  initiative_id text NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
  area_id text NOT NULL REFERENCES housing_areas (id),
  PRIMARY KEY (initiative_id, area_id)
);
CREATE INDEX initiative_areas_area ON initiative_areas (area_id);

CREATE TABLE injunctions (
  id text PRIMARY KEY,
  person_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('PARENTAL_INJUNCTION', 'CHILD_YOUTH_INJUNCTION')),
  area_id text NOT NULL REFERENCES housing_areas (id),
  -- The child concerned; not served, kept for the age rule (10–17 when issued).
  child_birth_date date NOT NULL,
  issued_on date NOT NULL,
  ends_on date NOT NULL CHECK (ends_on >= issued_on),
  reason text NOT NULL,
  caseworker text NOT NULL,
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Injunctions concern children under 18; § 39 only ages 10–17.
  CHECK (issued_on < child_birth_date + interval '18 years'),
  CHECK (kind <> 'CHILD_YOUTH_INJUNCTION' OR issued_on >= child_birth_date + interval '10 years')
);
CREATE INDEX injunctions_person ON injunctions (person_id);
CREATE INDEX injunctions_issued ON injunctions (issued_on DESC, id DESC);
CREATE INDEX injunctions_area ON injunctions (area_id, issued_on DESC);
