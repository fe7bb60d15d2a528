-- The partnership's work: the agreement's goals, notices of public statements
-- (§ 6) with the other parties' acknowledgements, and the agreement's bodies
-- with their meetings, participants and decisions. None of it is personal data.

-- Ids for records made through the graph, above the range the synthetic seed uses.
CREATE SEQUENCE initiative_number START 50001;
CREATE SEQUENCE notice_number START 500001;
CREATE SEQUENCE meeting_number START 500001;
CREATE SEQUENCE meeting_decision_number START 500001;

-- Goal definitions (Mål); the police assess them where the safety index lives.
CREATE TABLE goals (
  id text PRIMARY KEY,
  area_id text NOT NULL REFERENCES housing_areas (id),
  metric text NOT NULL CHECK (metric IN ('SAFETY_SHARE_VS_COMPARABLE_AREAS', 'SAFETY_SHARE_VS_PREVIOUS_YEAR', 'NEIGHBOURHOOD_PROBLEMS_VS_PREVIOUS_YEAR')),
  description text NOT NULL,
  agreement_clause text NOT NULL,
  UNIQUE (area_id, metric)
);

ALTER TABLE initiatives ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- A notice that a party makes (or made) a public statement that may matter to the others.
CREATE TABLE notices (
  id text PRIMARY KEY,
  posted_by text NOT NULL REFERENCES organisations (id),
  posted_by_principal text NOT NULL,
  subject text NOT NULL,
  summary text NOT NULL,
  -- Millisecond precision, so a cursor (an ISO instant) names a row exactly.
  posted_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  -- Notified before: when it will be published. Notified after: when it was, and why late.
  planned_publication_at timestamptz,
  published_at timestamptz,
  reason_for_late_notice text,
  CHECK ((planned_publication_at IS NULL) <> (published_at IS NULL)),
  CHECK (published_at IS NULL OR reason_for_late_notice IS NOT NULL)
);
CREATE INDEX notices_posted ON notices (posted_at DESC, id DESC);
CREATE INDEX notices_posted_by ON notices (posted_by);

CREATE TABLE notice_areas (
  notice_id text NOT NULL REFERENCES notices (id) ON DELETE CASCADE,
  area_id text NOT NULL REFERENCES housing_areas (id),
  PRIMARY KEY (notice_id, area_id)
);
CREATE INDEX notice_areas_area ON notice_areas (area_id);

-- One acknowledgement per notice and organisation; never by the poster.
CREATE TABLE notice_acknowledgements (
  notice_id text NOT NULL REFERENCES notices (id) ON DELETE CASCADE,
  organisation_id text NOT NULL REFERENCES organisations (id),
  acknowledged_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  -- The acknowledging principal's subject at its identity provider.
  acknowledged_by text NOT NULL,
  PRIMARY KEY (notice_id, organisation_id)
);
CREATE INDEX notice_acknowledgements_organisation ON notice_acknowledgements (organisation_id);

-- The agreement's organisation: board, coordination group, follow-up groups, conference.
CREATE TABLE bodies (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('BOARD', 'COORDINATION_GROUP', 'FOLLOW_UP_GROUP', 'ANNUAL_CONFERENCE')),
  name text NOT NULL,
  description text NOT NULL,
  area_id text REFERENCES housing_areas (id),
  min_police_representatives int,
  max_police_representatives int,
  meetings_per_year int,
  CHECK (min_police_representatives IS NULL OR max_police_representatives >= min_police_representatives),
  CHECK ((kind = 'FOLLOW_UP_GROUP') = (area_id IS NOT NULL))
);

CREATE TABLE meetings (
  id text PRIMARY KEY,
  body_id text NOT NULL REFERENCES bodies (id),
  scheduled_for date NOT NULL,
  title text NOT NULL,
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meetings_body ON meetings (body_id, scheduled_for DESC, id DESC);
CREATE INDEX meetings_scheduled ON meetings (scheduled_for DESC, id DESC);

CREATE TABLE meeting_participants (
  meeting_id text NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  organisation_id text NOT NULL REFERENCES organisations (id),
  representatives int NOT NULL CHECK (representatives > 0),
  PRIMARY KEY (meeting_id, organisation_id)
);

CREATE TABLE meeting_decisions (
  id text PRIMARY KEY,
  meeting_id text NOT NULL REFERENCES meetings (id),
  text text NOT NULL,
  owner_organisation text NOT NULL REFERENCES organisations (id),
  due_on date NOT NULL,
  completed_on date,
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meeting_decisions_meeting ON meeting_decisions (meeting_id);
CREATE INDEX meeting_decisions_open ON meeting_decisions (due_on) WHERE completed_on IS NULL;
