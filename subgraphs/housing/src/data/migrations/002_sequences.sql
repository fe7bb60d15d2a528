-- Ids for termination cases opened through the graph, above the seed's range.
CREATE SEQUENCE termination_case_number START 5000001;

-- History of each case: who moved it where, when.
CREATE TABLE termination_case_events (
  case_id text NOT NULL REFERENCES termination_cases (id),
  at timestamptz NOT NULL DEFAULT now(),
  status text NOT NULL,
  by_principal text NOT NULL
);
CREATE INDEX termination_case_events_case ON termination_case_events (case_id, at);
