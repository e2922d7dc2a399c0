#include "store/migrate.hpp"

#include <algorithm>

#include "core/util.hpp"

namespace cp::store {

void Migrations::add(Migration m) {
  for (const auto& t : m.tenant_tables) tenant_tables_.insert(t);
  list_.push_back(std::move(m));
}

int Migrations::apply(Connection& c) const {
  c.run_script(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " module TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at BIGINT NOT NULL,"
      " PRIMARY KEY (module, version))");
  int ran = 0;
  for (const auto& m : list_) {
    Transaction tx(c);
    // Two processes migrating at once: the second waits here, then sees the row and skips.
    if (c.dialect() == Dialect::postgres) c.run("SELECT pg_advisory_xact_lock(4242)", {});
    auto done = c.run("SELECT 1 FROM schema_migrations WHERE module = $1 AND version = $2",
                      {m.module, std::int64_t{m.version}});
    if (!done.empty()) continue;
    try {
      c.run_script(expand_dialect(m.sql, c.dialect()));
    } catch (const DbError& e) {
      throw DbError(e.kind, "migration " + m.module + "/" + std::to_string(m.version) + " (" + m.name +
                                ") failed: " + e.what());
    }
    c.run("INSERT INTO schema_migrations (module, version, name, applied_at) VALUES ($1, $2, $3, $4)",
          {m.module, std::int64_t{m.version}, m.name, now_seconds()});
    tx.commit();
    ++ran;
  }
  return ran;
}

}  // namespace cp::store
