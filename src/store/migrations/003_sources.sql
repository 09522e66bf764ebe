-- Configured platform sources. Secret keys of `config` (tokens, passwords) are stored encrypted
-- (AES-256-GCM with REGLAMENT_SECRET); school_id is learned at the first successful discover.
CREATE TABLE sources (
  id text PRIMARY KEY,
  kind text NOT NULL,
  config jsonb NOT NULL,
  school_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX platform_outages_open ON platform_outages (school_id, source) WHERE to_at IS NULL;
