-- Mutations carry an idempotency key: a retried request replays the first
-- answer instead of acting twice. Keys are per principal and expire.
CREATE TABLE idempotency_keys (
  principal text NOT NULL,
  key text NOT NULL,
  operation text NOT NULL,
  request_hash text NOT NULL,
  response jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (principal, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
