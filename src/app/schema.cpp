// The core schema every module stands on. Times are Unix seconds (at_ms: milliseconds) in BIGINT;
// booleans are INTEGER 0/1; so the same SQL runs on SQLite and PostgreSQL. Tables that belong to
// a partnership carry partnership_id and are listed as tenant tables for the Scope guard; child
// rows reference (partnership_id, id) so that a row can never point into another partnership.
#include "store/migrate.hpp"

namespace cp::app {

void core_migrations(store::Migrations& m) {
  m.add({"core", 1, "partnerships, accounts, roles, sessions, audit",
         R"SQL(
CREATE TABLE partnerships (
  id {{id}},
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  host TEXT UNIQUE,
  summary TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE TABLE users (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  email TEXT NOT NULL,
  name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  language TEXT NOT NULL DEFAULT 'en',
  must_change_password INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  password_changed_at BIGINT NOT NULL,
  disabled_at BIGINT,
  UNIQUE (partnership_id, email),
  UNIQUE (partnership_id, id)
);
CREATE TABLE user_roles (
  partnership_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('person', 'worker', 'manager', 'commissioner', 'councillor', 'admin')),
  organisation_id BIGINT,
  granted_at BIGINT NOT NULL,
  FOREIGN KEY (partnership_id, user_id) REFERENCES users (partnership_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX user_roles_unique ON user_roles (partnership_id, user_id, role, COALESCE(organisation_id, 0));
CREATE TABLE sessions (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  token_hash TEXT NOT NULL UNIQUE,
  user_id BIGINT,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  FOREIGN KEY (partnership_id, user_id) REFERENCES users (partnership_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_user ON sessions (partnership_id, user_id);
CREATE TABLE login_attempts (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  throttle_key TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX login_attempts_key ON login_attempts (partnership_id, throttle_key, at);
CREATE TABLE audit_events (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  at_ms BIGINT NOT NULL,
  actor_user_id BIGINT,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  record_type TEXT NOT NULL,
  record_id BIGINT,
  ip TEXT NOT NULL DEFAULT '',
  request_id TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_record ON audit_events (partnership_id, record_type, record_id);
CREATE INDEX audit_events_actor ON audit_events (partnership_id, actor_user_id);
{{append_only:audit_events}}
)SQL",
         {"users", "user_roles", "sessions", "login_attempts", "audit_events"}});
  // Expired sessions and old sign-in counters are purged as new ones are written; these let the
  // purge find them without reading the whole table.
  m.add({"core", 2, "indexes for purging expired sessions and old sign-in counters",
         R"SQL(
CREATE INDEX sessions_expiry ON sessions (partnership_id, expires_at);
CREATE INDEX login_attempts_age ON login_attempts (partnership_id, at);
)SQL",
         {}});
}

}  // namespace cp::app
