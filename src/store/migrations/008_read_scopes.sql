-- What each completed read of a stream covered in full (DESIGN.md "Sync and evidence of time"): a
-- date window, a class, a subject (null = unrestricted). Only a read whose scope held a record's
-- date, class and subject proves its absence: deletions and last_absent_at come from these rows.
CREATE TABLE read_scopes (
  id bigserial PRIMARY KEY,
  school_id text NOT NULL,
  stream text NOT NULL,
  sync_run_id bigint NOT NULL,
  observed_at timestamptz NOT NULL,
  date_from date,
  date_to date,
  class_id text,
  subject_id text
);
CREATE INDEX read_scopes_stream ON read_scopes (school_id, stream, observed_at);
