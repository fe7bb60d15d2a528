-- The trace of the request that made each disclosure, so an auditor can tie a
-- row to a request and an operator a request to its rows. Null for rows written
-- before this column, and for work outside a request (imports). A row with a
-- trace id has it in its hash (see rowHash); rows without keep their old hash.
ALTER TABLE disclosure_log ADD COLUMN trace_id text;
CREATE INDEX disclosure_log_trace ON disclosure_log (trace_id) WHERE trace_id IS NOT NULL;
