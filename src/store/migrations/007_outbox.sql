-- Escalation delivery (DESIGN.md "Escalation"): staff contacts and the outbox of messages to send.
-- contacts hold personal data (addresses, chat ids): read by the deliver job, never logged.
CREATE TABLE contacts (
  school_id text NOT NULL,
  person_id text NOT NULL,
  email text,
  telegram_chat_id text,
  webhook_url text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (school_id, person_id)
);

-- One row per logical message; id is its idempotency key (e.g. digest:<school>:<person>:<day>), so
-- building the same day's digests twice inserts nothing. The queue job that delivers it has the same id.
-- channel is null only for a row that failed with 'no contact'. The recipient's address is not copied
-- here: the deliver job reads the current contact.
CREATE TABLE outbox (
  id text PRIMARY KEY,
  school_id text NOT NULL,
  channel text CHECK (channel IN ('email', 'telegram', 'webhook')),
  person_id text NOT NULL,
  subject text NOT NULL,
  text text NOT NULL,
  html text,
  kind text NOT NULL CHECK (kind IN ('digest', 'weekly-summary', 'alert')),
  status text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts int NOT NULL DEFAULT 0,
  not_before timestamptz NOT NULL,
  sent_at timestamptz,
  provider_id text,
  last_error text,
  -- the violations this message told about
  violation_ids bigint[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_status ON outbox (school_id, status, not_before);
