-- Login attempts per client address, shared by every process serving the console (issue 10): a fixed
-- window per IP, counted by one atomic upsert, so two servers behind one proxy enforce one limit.
-- Lockout (users.failed_logins / locked_until) and CSRF tokens (user_sessions.csrf_token) already live
-- in the store; this was the last piece of login state held in a process's memory.
CREATE TABLE login_rate (
  ip text PRIMARY KEY,
  window_start timestamptz NOT NULL,
  hits int NOT NULL
);
CREATE INDEX login_rate_window ON login_rate (window_start);
