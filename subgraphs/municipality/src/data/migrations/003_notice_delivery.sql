-- Delivering notices (§ 6) to the parties: every posting and acknowledgement
-- is an event, written in the same transaction as the change. Live
-- subscriptions read the events in order; each organisation that registered a
-- webhook gets its own delivery row (the outbox), sent by a deliverer that
-- claims due rows, so no notice is lost when a process is.

CREATE TABLE notice_events (
  seq bigserial PRIMARY KEY,
  -- The event id receivers use to recognise a repeated delivery.
  id uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('NOTICE_POSTED', 'NOTICE_ACKNOWLEDGED')),
  notice_id text NOT NULL REFERENCES notices (id),
  -- The organisation that posted or acknowledged.
  organisation_id text NOT NULL REFERENCES organisations (id),
  occurred_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  -- When the event was handed to Redis for the gateways (only where Redis is configured).
  relayed_at timestamptz
);
CREATE INDEX notice_events_unrelayed ON notice_events (seq) WHERE relayed_at IS NULL;

-- One webhook per organisation, registered by its own caseworker or coordinator.
CREATE TABLE webhooks (
  organisation_id text PRIMARY KEY REFERENCES organisations (id),
  url text NOT NULL CHECK (url ~ '^https?://'),
  -- The shared HMAC key; never returned through the graph.
  secret text NOT NULL,
  registered_by text NOT NULL,
  registered_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  version int NOT NULL DEFAULT 1
);

-- The outbox: one row per event and receiving organisation.
CREATE TABLE webhook_deliveries (
  id bigserial PRIMARY KEY,
  event_seq bigint NOT NULL REFERENCES notice_events (seq),
  organisation_id text NOT NULL REFERENCES organisations (id),
  status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'GAVE_UP')),
  -- Attempts started; a claim increments it, so an attempt is sent by one deliverer only.
  attempts int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  -- A claimed attempt belongs to its deliverer until then; after it, another may retry.
  lease_until timestamptz,
  last_attempt_at timestamptz,
  last_status int,
  last_error text,
  delivered_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (event_seq, organisation_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_organisation ON webhook_deliveries (organisation_id, status);
