-- The police district's data: safety index, incident statistics, criminal
-- decisions about residents and their referrals to housing companies.

CREATE TABLE safety_index (
  area_id text NOT NULL,
  year int NOT NULL,
  share_feeling_safe numeric(5, 1) NOT NULL CHECK (share_feeling_safe BETWEEN 0 AND 100),
  comparable_share numeric(5, 1) NOT NULL CHECK (comparable_share BETWEEN 0 AND 100),
  neighbourhood_problems_index numeric(5, 1) NOT NULL,
  experienced_safety_index numeric(5, 1) NOT NULL,
  reported_crimes int NOT NULL CHECK (reported_crimes >= 0),
  respondents int NOT NULL CHECK (respondents >= 0),
  PRIMARY KEY (area_id, year)
);

CREATE TABLE incident_counts (
  area_id text NOT NULL,
  month date NOT NULL,
  category text NOT NULL,
  count int NOT NULL CHECK (count >= 0),
  PRIMARY KEY (area_id, month, category)
);

CREATE TABLE criminal_decisions (
  id text PRIMARY KEY,
  person_id text NOT NULL,
  person_birth_date date NOT NULL,
  decided_on date NOT NULL,
  offence_category text NOT NULL,
  decision_type text NOT NULL,
  sentence_days int,
  within_or_affecting_area boolean NOT NULL,
  area_id text NOT NULL,
  case_number text NOT NULL,
  court text NOT NULL,
  offence_description text NOT NULL,
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX criminal_decisions_person ON criminal_decisions (person_id);
CREATE INDEX criminal_decisions_decided ON criminal_decisions (decided_on DESC, id DESC);
CREATE INDEX criminal_decisions_area ON criminal_decisions (area_id, decided_on DESC);

CREATE TABLE referrals (
  id text PRIMARY KEY,
  decision_id text NOT NULL REFERENCES criminal_decisions (id),
  housing_company text NOT NULL,
  purpose text NOT NULL CHECK (purpose IN ('CRIME_PREVENTION_63D', 'TERMINATION_90_10')),
  referred_on date NOT NULL,
  referred_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (decision_id, housing_company)
);
CREATE INDEX referrals_company ON referrals (housing_company, referred_on DESC, id DESC);
CREATE INDEX referrals_decision ON referrals (decision_id);
