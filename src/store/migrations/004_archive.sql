-- The archive registry (реестр архивных копий, 001 §3.1): one row per archived document version.
-- Rows are never updated except for replica verification state; re-archiving inserts a new version.
CREATE TABLE archive_files (
  id bigserial PRIMARY KEY,
  school_id text NOT NULL,
  file_name text NOT NULL,
  version int NOT NULL CHECK (version >= 1),
  kind text NOT NULL CHECK (kind IN ('journal', 'summary')),
  class_id text,
  class_label text,
  period_id text,
  period_label text,
  year text NOT NULL,
  sha256 text NOT NULL,
  -- every file of the document on each medium (the document first, then e.g. its .sig) with its hash
  files jsonb NOT NULL,
  pages int,
  signer_kind text CHECK (signer_kind IN ('pades', 'cms', 'external')),
  signer_subject text,
  signed_at timestamptz,
  archived_at timestamptz NOT NULL DEFAULT now(),
  retention_until date NOT NULL,
  -- [{ target, path, lastVerifiedAt, status }]
  replicas jsonb NOT NULL DEFAULT '[]'::jsonb,
  last_verified_at timestamptz,
  disposed_at timestamptz,
  disposal_act text,
  archived_path text NOT NULL
);
CREATE INDEX archive_files_period ON archive_files (school_id, period_id, class_id);

-- Fixity history: one row per document replica per verification run.
CREATE TABLE archive_checks (
  id bigserial PRIMARY KEY,
  school_id text NOT NULL,
  archive_file_id bigint NOT NULL REFERENCES archive_files(id),
  target text NOT NULL,
  path text NOT NULL,
  status text NOT NULL CHECK (status IN ('ok', 'missing', 'changed', 'unsigned', 'repaired')),
  detail text,
  expected_sha256 text,
  actual_sha256 text,
  checked_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX archive_checks_file ON archive_checks (school_id, archive_file_id, checked_at);
