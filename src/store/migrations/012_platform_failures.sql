-- A platform's failures seen by syncs and checks since it last answered. They become an outage in
-- platform_outages (which moves deadlines) only once they have lasted long enough (src/sync/outages.ts).
CREATE TABLE platform_failures (
  school_id text NOT NULL,
  source text NOT NULL,
  first_at timestamptz NOT NULL,
  last_at timestamptz NOT NULL,
  reason text NOT NULL,
  PRIMARY KEY (school_id, source)
);
