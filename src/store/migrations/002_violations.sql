-- Violations found by the rules (DESIGN.md "Rules"): one row per rule and entity, identified by a
-- stable fingerprint so that re-checking never duplicates; its history in violation_events. Access
-- breaches of 001 §4.2–4.3 are incidents. rule_checks records each check (the incremental window).

CREATE TABLE violations (
  id bigserial PRIMARY KEY,
  school_id text NOT NULL,
  -- sha256 of rule id + entity key
  fingerprint text NOT NULL,
  rule_id text NOT NULL,
  clause text NOT NULL,
  entity jsonb NOT NULL,
  responsible_id text,
  deadline timestamptz NOT NULL,
  detected_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'resolved', 'waived')),
  level int NOT NULL DEFAULT 0,
  evidence jsonb NOT NULL,
  message text NOT NULL,
  resolved_at timestamptz,
  resolution jsonb,
  waived_by text,
  waive_reason text,
  last_checked_at timestamptz NOT NULL,
  UNIQUE (school_id, fingerprint)
);
CREATE INDEX violations_status ON violations (school_id, status, rule_id);

CREATE TABLE violation_events (
  id bigserial PRIMARY KEY,
  violation_id bigint NOT NULL REFERENCES violations(id) ON DELETE CASCADE,
  school_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('opened', 'escalated', 'resolved', 'waived', 'reopened')),
  at timestamptz NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX violation_events_violation ON violation_events (violation_id, id);

-- 001 §4.2–4.3: from reported_at on, every operation made through the account is invalid.
CREATE TABLE incidents (
  id bigserial PRIMARY KEY,
  school_id text NOT NULL,
  account_id text NOT NULL,
  reported_at timestamptz NOT NULL,
  note text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incidents_account ON incidents (school_id, account_id);

CREATE TABLE rule_checks (
  id bigserial PRIMARY KEY,
  school_id text NOT NULL,
  preset text NOT NULL,
  as_of timestamptz NOT NULL,
  -- the latest observation of the store the check saw: changed_at after it is new to the next check
  observed_through timestamptz,
  -- the lessons stream's last full read then: absences became provable up to it
  full_read_through timestamptz,
  incremental boolean NOT NULL,
  rules text[] NOT NULL,
  class_id text,
  counts jsonb NOT NULL DEFAULT '{}'::jsonb,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX rule_checks_school ON rule_checks (school_id, id);
