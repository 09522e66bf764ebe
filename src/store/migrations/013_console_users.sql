-- Console accounts, their schools, sessions and the audit log (issue 10). Passwords are stored only
-- as argon2id/bcrypt hashes; a session row is the whole session (its id is the cookie's value, hashed).
CREATE TABLE users (
  id bigserial PRIMARY KEY,
  login text NOT NULL UNIQUE,
  display_name text NOT NULL,
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('deputy', 'coordinator', 'admin', 'director', 'teacher')),
  -- a teacher's person id on the platform (findings' responsible_id)
  person_id text,
  failed_logins int NOT NULL DEFAULT 0,
  locked_until timestamptz,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE user_schools (
  user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  school_id text NOT NULL,
  PRIMARY KEY (user_id, school_id)
);

CREATE TABLE user_sessions (
  -- sha256 of the cookie's random value: a stolen table does not give live sessions
  id_hash text PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ip text,
  user_agent text
);
CREATE INDEX user_sessions_user ON user_sessions (user_id);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  school_id text,
  user_id bigint,
  login text,
  action text NOT NULL,
  target text,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb,
  ip text,
  user_agent text
);
CREATE INDEX audit_log_school ON audit_log (school_id, id);
