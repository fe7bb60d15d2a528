-- The owner's disclosure log: append-only, hash-chained. Each row carries the
-- previous row's hash; the head row holds the chain's end and, after pruning,
-- its new anchor (the last pruned row), so verification still starts from a
-- known hash.
CREATE TABLE disclosure_log (
  seq bigint PRIMARY KEY,
  at timestamptz NOT NULL,
  request_id text NOT NULL,
  principal text NOT NULL,
  organisation text NOT NULL,
  roles text[] NOT NULL,
  purpose text NOT NULL,
  operation text NOT NULL,
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_ids text[] NOT NULL,
  data_subjects text[] NOT NULL,
  fields text[] NOT NULL,
  criterion text,
  data_owner text NOT NULL,
  decision text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX disclosure_log_at ON disclosure_log (at);
CREATE INDEX disclosure_log_subjects ON disclosure_log USING gin (data_subjects);
CREATE INDEX disclosure_log_owner ON disclosure_log (data_owner, seq);

CREATE TABLE disclosure_log_head (
  id int PRIMARY KEY CHECK (id = 1),
  last_seq bigint NOT NULL,
  last_hash text NOT NULL,
  anchor_seq bigint NOT NULL,
  anchor_hash text NOT NULL
);
INSERT INTO disclosure_log_head VALUES (1, 0, 'genesis', 0, 'genesis');

-- Rows are never updated; they are deleted only by retention pruning.
CREATE FUNCTION disclosure_log_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('partnergraph.pruning', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'disclosure_log is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER disclosure_log_append_only
  BEFORE UPDATE OR DELETE ON disclosure_log
  FOR EACH ROW EXECUTE FUNCTION disclosure_log_append_only();
