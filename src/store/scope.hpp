// Partnership-scoped access: the only way module code reaches tenant data.
//
// A Scope binds $1 to its partnership on every statement and refuses, before running it, any
// statement that names a partnership's table without constraining it by `partnership_id = $1`.
// Writes must name the change they make; the Scope writes that change to the append-only audit
// trail in the same transaction, so no handler can forget it.
#pragma once
#include <optional>
#include <set>
#include <string>

#include "store/db.hpp"

namespace cp::store {

// Who is acting, from where: filled in by the request pipeline (or a CLI command).
struct AuditContext {
  std::optional<std::int64_t> user_id;
  std::string actor;       // e.g. "user:12", "cli", "demo-loader"
  std::string ip;
  std::string request_id;
};

// One change (or a view of a sensitive record) as the audit trail records it.
struct Change {
  std::string action;       // e.g. "organisation.create", "person_record.view"
  std::string record_type;  // e.g. "organisation"
  std::optional<std::int64_t> record_id;
  std::string detail;       // short, never personal data beyond ids
};

// Thrown when a statement would reach outside its partnership. A programming error: it fails tests.
struct ScopeViolation : std::logic_error {
  using std::logic_error::logic_error;
};

// Checks `sql` against the tenant-table rule. Exposed for tests.
void check_scoped_sql(std::string_view sql, const std::set<std::string>& tenant_tables);

class Scope {
 public:
  Scope(Connection& c, std::int64_t partnership_id, const std::set<std::string>& tenant_tables,
        AuditContext ctx);

  std::int64_t partnership() const { return partnership_; }
  Dialect dialect() const { return c_.dialect(); }
  const AuditContext& context() const { return ctx_; }

  // Reads (SELECT or WITH only). The caller's parameters are $2, $3 ...; $1 is the partnership.
  Result read(std::string_view sql, Params rest = {});
  // Infrastructure bookkeeping that is no change to anyone's record and is not audited: a session's
  // last-seen time, sign-in throttle counters. Module code uses insert() and write().
  Result bookkeeping(std::string_view sql, Params rest = {});
  // Bulk bookkeeping for loaders: appends rows to one of the partnership's tables (COPY on
  // PostgreSQL), with partnership_id set to this Scope's for every row, so no row can land in another
  // partnership. Not audited row by row: the caller records the load as one audited act.
  void copy_rows(const std::string& table, const std::vector<std::string>& columns, const std::vector<Params>& rows);
  // For loaders, before a large load (PostgreSQL; nothing on SQLite): gathers the planner's
  // statistics (ANALYZE) for those of these partnership tables that have none yet or look nearly
  // empty (under `below_rows` rows when last counted). With no statistics every index that begins
  // with partnership_id looks as good as any other for a probe by (partnership_id, uuid), and a plan
  // kept for a whole load may then read all of a partnership's rows for each probe. Tables the
  // database user does not own are left as they are (the server only warns).
  void refresh_statistics(const std::vector<std::string>& tables, double below_rows);
  // An INSERT ... RETURNING id; the change's record_id is filled from it. Returns the id, or 0 when
  // the statement inserted nothing (ON CONFLICT DO NOTHING), in which case nothing is audited.
  std::int64_t insert(Change change, std::string_view sql, Params rest);
  // An UPDATE or DELETE; audited only when it touched a row. Returns the rows affected.
  std::int64_t write(Change change, std::string_view sql, Params rest);
  // Records an event that changes nothing (e.g. a staff view of a person's record).
  void audit(const Change& change);

 private:
  Result run(std::string_view sql, Params rest);
  Connection& c_;
  std::int64_t partnership_;
  const std::set<std::string>& tenant_tables_;
  AuditContext ctx_;
};

// A leased connection, an open transaction and a Scope over it: one unit of work.
class Work {
 public:
  Work(Database& db, std::int64_t partnership_id, const std::set<std::string>& tenant_tables, AuditContext ctx,
       Transaction::Mode mode = Transaction::Mode::write);
  Scope* operator->() { return &scope_; }
  Scope& scope() { return scope_; }
  void commit() { tx_.commit(); }

 private:
  Database::Lease lease_;
  Transaction tx_;
  Scope scope_;
};

}  // namespace cp::store
