-- The canonical model of DESIGN.md. Every table carries school_id; every entity table has the same
-- evidence columns: first_seen_at (first observation that saw the record), last_absent_at (the last
-- observation that did not), changed_at (observation of the current state), deleted_at (gone from the
-- platform; never dropped). Superseded states live in record_versions.

CREATE TABLE schools (
  id text PRIMARY KEY,
  name text NOT NULL,
  timezone text NOT NULL,
  workweek int NOT NULL CHECK (workweek IN (5, 6)),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sync_runs (
  id bigserial PRIMARY KEY,
  school_id text NOT NULL REFERENCES schools(id),
  source text NOT NULL,
  mode text NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'ok', 'failed')),
  observed_at timestamptz NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  counts jsonb NOT NULL DEFAULT '{}'::jsonb,
  error text
);
CREATE INDEX sync_runs_school ON sync_runs (school_id, observed_at);

-- Per school and stream: the cursor to resume from and the last observation (the evidence clock).
CREATE TABLE stream_state (
  school_id text NOT NULL,
  stream text NOT NULL,
  source text NOT NULL,
  cursor text,
  last_observed_at timestamptz,
  last_full_read_at timestamptz,
  PRIMARY KEY (school_id, stream)
);

CREATE TABLE quarantine (
  id bigserial PRIMARY KEY,
  school_id text NOT NULL,
  sync_run_id bigint,
  stream text NOT NULL,
  origin text NOT NULL,
  field text,
  reason text NOT NULL,
  raw text NOT NULL,
  fingerprint text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (school_id, fingerprint)
);

CREATE TABLE record_versions (
  id bigserial PRIMARY KEY,
  school_id text NOT NULL,
  entity text NOT NULL,
  key text NOT NULL,
  valid_from timestamptz NOT NULL,
  valid_to timestamptz NOT NULL,
  sync_run_id bigint,
  data jsonb NOT NULL
);
CREATE INDEX record_versions_key ON record_versions (school_id, entity, key);

-- Outages the sync itself detected (failed runs, failed health checks); outages.jsonl goes to outages.
CREATE TABLE platform_outages (
  id bigserial PRIMARY KEY,
  school_id text NOT NULL,
  source text NOT NULL,
  from_at timestamptz NOT NULL,
  to_at timestamptz,
  reason text NOT NULL
);

CREATE TABLE periods (
  school_id text NOT NULL,
  key text NOT NULL,
  id text,
  kind text,
  number int,
  start_date date,
  end_date date,
  hash text NOT NULL,
  first_seen_at timestamptz NOT NULL,
  last_absent_at timestamptz,
  changed_at timestamptz NOT NULL,
  deleted_at timestamptz,
  sync_run_id bigint,
  PRIMARY KEY (school_id, key)
);

CREATE TABLE calendar_overrides (
  school_id text NOT NULL,
  key text NOT NULL,
  day date,
  kind text,
  hash text NOT NULL,
  first_seen_at timestamptz NOT NULL,
  last_absent_at timestamptz,
  changed_at timestamptz NOT NULL,
  deleted_at timestamptz,
  sync_run_id bigint,
  PRIMARY KEY (school_id, key)
);

CREATE TABLE subjects (
  school_id text NOT NULL,
  key text NOT NULL,
  id text,
  name text,
  hash text NOT NULL,
  first_seen_at timestamptz NOT NULL,
  last_absent_at timestamptz,
  changed_at timestamptz NOT NULL,
  deleted_at timestamptz,
  sync_run_id bigint,
  PRIMARY KEY (school_id, key)
);

CREATE TABLE classes (
  school_id text NOT NULL,
  key text NOT NULL,
  id text,
  grade int,
  letter text,
  class_teacher_id text,
  hash text NOT NULL,
  first_seen_at timestamptz NOT NULL,
  last_absent_at timestamptz,
  changed_at timestamptz NOT NULL,
  deleted_at timestamptz,
  sync_run_id bigint,
  PRIMARY KEY (school_id, key)
);

CREATE TABLE persons (
  school_id text NOT NULL,
  key text NOT NULL,
  id text,
  role text,
  name text,
  class_id text,
  child_ids text[],
  hash text NOT NULL,
  first_seen_at timestamptz NOT NULL,
  last_absent_at timestamptz,
  changed_at timestamptz NOT NULL,
  deleted_at timestamptz,
  sync_run_id bigint,
  PRIMARY KEY (school_id, key)
);

CREATE TABLE lessons (
  school_id text NOT NULL,
  key text NOT NULL,
  id text,
  class_id text,
  subject_id text,
  teacher_id text,
  substitute_teacher_id text,
  day date,
  number int,
  start_time text,
  end_time text,
  topic text,
  topic_recorded_at timestamptz,
  topic_author_id text,
  homework text,
  homework_recorded_at timestamptz,
  attendance_recorded_at timestamptz,
  topic_first_seen_at timestamptz,
  topic_last_absent_at timestamptz,
  homework_first_seen_at timestamptz,
  homework_last_absent_at timestamptz,
  hash text NOT NULL,
  first_seen_at timestamptz NOT NULL,
  last_absent_at timestamptz,
  changed_at timestamptz NOT NULL,
  deleted_at timestamptz,
  sync_run_id bigint,
  PRIMARY KEY (school_id, key)
);

CREATE TABLE works (
  school_id text NOT NULL,
  key text NOT NULL,
  id text,
  lesson_id text,
  class_id text,
  subject_id text,
  kind text,
  day date,
  results_announced_on date,
  hash text NOT NULL,
  first_seen_at timestamptz NOT NULL,
  last_absent_at timestamptz,
  changed_at timestamptz NOT NULL,
  deleted_at timestamptz,
  sync_run_id bigint,
  PRIMARY KEY (school_id, key)
);

CREATE TABLE marks (
  school_id text NOT NULL,
  key text NOT NULL,
  id text,
  student_id text,
  subject_id text,
  work_id text,
  lesson_id text,
  value text,
  weight numeric,
  recorded_at timestamptz,
  author_id text,
  hash text NOT NULL,
  first_seen_at timestamptz NOT NULL,
  last_absent_at timestamptz,
  changed_at timestamptz NOT NULL,
  deleted_at timestamptz,
  sync_run_id bigint,
  PRIMARY KEY (school_id, key)
);

CREATE TABLE attendance (
  school_id text NOT NULL,
  key text NOT NULL,
  student_id text,
  lesson_id text,
  status text,
  recorded_at timestamptz,
  hash text NOT NULL,
  first_seen_at timestamptz NOT NULL,
  last_absent_at timestamptz,
  changed_at timestamptz NOT NULL,
  deleted_at timestamptz,
  sync_run_id bigint,
  PRIMARY KEY (school_id, key)
);

CREATE TABLE period_marks (
  school_id text NOT NULL,
  key text NOT NULL,
  student_id text,
  subject_id text,
  period_id text,
  value text,
  recorded_at timestamptz,
  hash text NOT NULL,
  first_seen_at timestamptz NOT NULL,
  last_absent_at timestamptz,
  changed_at timestamptz NOT NULL,
  deleted_at timestamptz,
  sync_run_id bigint,
  PRIMARY KEY (school_id, key)
);

CREATE TABLE activity (
  school_id text NOT NULL,
  key text NOT NULL,
  person_id text,
  day date,
  logins int,
  diary_views int,
  entries int,
  hash text NOT NULL,
  first_seen_at timestamptz NOT NULL,
  last_absent_at timestamptz,
  changed_at timestamptz NOT NULL,
  deleted_at timestamptz,
  sync_run_id bigint,
  PRIMARY KEY (school_id, key)
);

CREATE TABLE outages (
  school_id text NOT NULL,
  key text NOT NULL,
  from_at timestamptz,
  to_at timestamptz,
  note text,
  hash text NOT NULL,
  first_seen_at timestamptz NOT NULL,
  last_absent_at timestamptz,
  changed_at timestamptz NOT NULL,
  deleted_at timestamptz,
  sync_run_id bigint,
  PRIMARY KEY (school_id, key)
);

CREATE INDEX lessons_day ON lessons (school_id, day);
CREATE INDEX lessons_class_day ON lessons (school_id, class_id, day);
CREATE INDEX works_lesson ON works (school_id, lesson_id);
CREATE INDEX marks_student ON marks (school_id, student_id, subject_id);
CREATE INDEX marks_lesson ON marks (school_id, lesson_id);
CREATE INDEX attendance_lesson ON attendance (school_id, lesson_id);
CREATE INDEX persons_class ON persons (school_id, class_id);

-- One sync of a source at a time: the holder is host:pid, so a killed holder on this host is detected.
CREATE TABLE sync_locks (
  source text PRIMARY KEY,
  owner text NOT NULL,
  run_id bigint,
  locked_until timestamptz NOT NULL
);
