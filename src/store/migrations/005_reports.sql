-- Generated report files (DESIGN.md "Reports"): every file written is kept on disk and listed here,
-- with its checksum, so that a report handed out can be found and verified later.
CREATE TABLE report_files (
  id bigserial PRIMARY KEY,
  school_id text NOT NULL,
  kind text NOT NULL,
  params jsonb NOT NULL DEFAULT '{}'::jsonb,
  format text NOT NULL CHECK (format IN ('pdf', 'xlsx', 'csv', 'json')),
  path text NOT NULL,
  sha256 text NOT NULL,
  bytes bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (school_id, path)
);
CREATE INDEX report_files_school ON report_files (school_id, kind, created_at);
