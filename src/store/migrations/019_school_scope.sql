-- Many schools on one deployment (issue 12): the schema is ready for distribution by school_id on a
-- sharded PostgreSQL (Citus). A distributed table's primary key and unique constraints must hold its
-- distribution column, and a foreign key between two distributed tables must join on it, so every
-- per-school table whose key was a bare serial id now keys on (school_id, id). The global tables
-- (schools, sources, sync_locks, users, user_sessions, audit_log, schema_migrations) are listed with
-- their reason in test/store/school-scope.test.ts and the README's "Scaling out".
-- Lookups by a bare id keep an index of their own (a row found by id alone is still found fast).

ALTER TABLE violation_events DROP CONSTRAINT violation_events_violation_id_fkey;
ALTER TABLE archive_checks DROP CONSTRAINT archive_checks_archive_file_id_fkey;

ALTER TABLE sync_runs DROP CONSTRAINT sync_runs_pkey, ADD PRIMARY KEY (school_id, id);
ALTER TABLE quarantine DROP CONSTRAINT quarantine_pkey, ADD PRIMARY KEY (school_id, id);
ALTER TABLE record_versions DROP CONSTRAINT record_versions_pkey, ADD PRIMARY KEY (school_id, id);
ALTER TABLE platform_outages DROP CONSTRAINT platform_outages_pkey, ADD PRIMARY KEY (school_id, id);
ALTER TABLE violations DROP CONSTRAINT violations_pkey, ADD PRIMARY KEY (school_id, id);
ALTER TABLE violation_events DROP CONSTRAINT violation_events_pkey, ADD PRIMARY KEY (school_id, id);
ALTER TABLE incidents DROP CONSTRAINT incidents_pkey, ADD PRIMARY KEY (school_id, id);
ALTER TABLE rule_checks DROP CONSTRAINT rule_checks_pkey, ADD PRIMARY KEY (school_id, id);
ALTER TABLE archive_files DROP CONSTRAINT archive_files_pkey, ADD PRIMARY KEY (school_id, id);
ALTER TABLE archive_checks DROP CONSTRAINT archive_checks_pkey, ADD PRIMARY KEY (school_id, id);
ALTER TABLE report_files DROP CONSTRAINT report_files_pkey, ADD PRIMARY KEY (school_id, id);
ALTER TABLE enrollments DROP CONSTRAINT enrollments_pkey, ADD PRIMARY KEY (school_id, id);
ALTER TABLE outbox DROP CONSTRAINT outbox_pkey, ADD PRIMARY KEY (school_id, id);
ALTER TABLE read_scopes DROP CONSTRAINT read_scopes_pkey, ADD PRIMARY KEY (school_id, id);

ALTER TABLE violation_events ADD CONSTRAINT violation_events_violation_fkey
  FOREIGN KEY (school_id, violation_id) REFERENCES violations (school_id, id) ON DELETE CASCADE;
ALTER TABLE archive_checks ADD CONSTRAINT archive_checks_archive_file_fkey
  FOREIGN KEY (school_id, archive_file_id) REFERENCES archive_files (school_id, id);

CREATE INDEX sync_runs_id ON sync_runs (id);
CREATE INDEX violations_id ON violations (id);
CREATE INDEX archive_files_id ON archive_files (id);
CREATE INDEX outbox_id ON outbox (id);
CREATE INDEX quarantine_run ON quarantine (sync_run_id);
CREATE INDEX sync_runs_source ON sync_runs (source, id);

-- A school's own regulation preset (000–004); null = the deployment's `escalation.preset`.
ALTER TABLE schools ADD COLUMN preset text;
