#include "store/scope.hpp"

#include <mutex>
#include <regex>
#include <unordered_set>

#include "core/util.hpp"

namespace cp::store {
namespace {

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Whole-word occurrences of tenant tables used as tables (not as qualified column prefixes).
int count_table_refs(const std::string& sql, const std::set<std::string>& tables) {
  int refs = 0;
  std::size_t i = 0;
  while (i < sql.size()) {
    if (sql[i] == '\'') {  // skip string literals
      auto end = sql.find('\'', i + 1);
      i = end == std::string::npos ? sql.size() : end + 1;
      continue;
    }
    if (!ident_char(sql[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < sql.size() && ident_char(sql[j])) ++j;
    bool after_dot = i > 0 && sql[i - 1] == '.';
    bool before_dot = j < sql.size() && sql[j] == '.';
    if (!after_dot && !before_dot && tables.count(sql.substr(i, j - i))) ++refs;
    i = j;
  }
  return refs;
}

// Replaces string literals and comments with spaces, so that text inside them can neither count as
// a constraint nor as a table reference.
std::string code_only(const std::string& sql) {
  std::string out = sql;
  std::size_t i = 0;
  auto blank = [&](std::size_t from, std::size_t to) {
    for (std::size_t k = from; k < to && k < out.size(); ++k) out[k] = ' ';
  };
  while (i < out.size()) {
    std::size_t end = i;
    if (out[i] == '\'') {
      end = out.find('\'', i + 1);
      end = end == std::string::npos ? out.size() : end + 1;
    } else if (out.compare(i, 2, "--") == 0) {
      end = out.find('\n', i);
      if (end == std::string::npos) end = out.size();
    } else if (out.compare(i, 2, "/*") == 0) {
      end = out.find("*/", i + 2);
      end = end == std::string::npos ? out.size() : end + 2;
    } else {
      ++i;
      continue;
    }
    blank(i, end);
    i = end;
  }
  return out;
}

int count_predicates(const std::string& sql) {
  static const std::regex pred(R"((^|[^a-z0-9_])([a-z0-9_]+\.)?partnership_id\s*=\s*\$1(?![0-9]))");
  int n = static_cast<int>(std::distance(std::sregex_iterator(sql.begin(), sql.end(), pred), std::sregex_iterator()));
  // INSERT INTO t (partnership_id, ...) VALUES ($1, ...) constrains the inserted row.
  static const std::regex insert_cols(R"(^\s*insert\s+into\s+[a-z0-9_]+\s*\(\s*partnership_id\s*,[^)]*\)\s*values\s*\(\s*\$1\s*,)");
  if (std::regex_search(sql, insert_cols)) ++n;
  return n;
}

}  // namespace

void check_scoped_sql(std::string_view sql, const std::set<std::string>& tenant_tables) {
  // Each distinct statement is checked once per thread; statements are string constants.
  thread_local std::unordered_set<std::string> checked;
  std::string key(sql);
  if (checked.count(key)) return;
  std::string lower = code_only(to_lower(sql));
  int refs = count_table_refs(lower, tenant_tables);
  int preds = count_predicates(lower);
  if (refs > preds)
    throw ScopeViolation("statement names " + std::to_string(refs) + " partnership table(s) but constrains " +
                         std::to_string(preds) + " by partnership_id = $1: " + key);
  checked.insert(std::move(key));
}

Scope::Scope(Connection& c, std::int64_t partnership_id, const std::set<std::string>& tenant_tables, AuditContext ctx)
    : c_(c), partnership_(partnership_id), tenant_tables_(tenant_tables), ctx_(std::move(ctx)) {}

Result Scope::run(std::string_view sql, Params rest) {
  check_scoped_sql(sql, tenant_tables_);
  rest.insert(rest.begin(), Value{partnership_});
  return c_.run(sql, rest);
}

Result Scope::read(std::string_view sql, Params rest) {
  auto head = to_lower(trim(sql.substr(0, 16)));
  if (head.rfind("select", 0) != 0 && head.rfind("with", 0) != 0)
    throw ScopeViolation("read() runs SELECT statements only; writes go through insert() or write(): " + std::string(sql));
  return run(sql, std::move(rest));
}

Result Scope::bookkeeping(std::string_view sql, Params rest) { return run(sql, std::move(rest)); }

void Scope::copy_rows(const std::string& table, const std::vector<std::string>& columns, const std::vector<Params>& rows) {
  if (!tenant_tables_.count(table)) throw ScopeViolation("copy_rows writes partnership tables only: " + table);
  std::vector<std::string> all{"partnership_id"};
  for (const auto& c : columns) {
    if (to_lower(c) == "partnership_id") throw ScopeViolation("copy_rows sets partnership_id itself: " + table);
    all.push_back(c);
  }
  c_.copy_rows(table, all, {Value{partnership_}}, rows);
}

void Scope::refresh_statistics(const std::vector<std::string>& tables, double below_rows) {
  std::string list;
  for (const auto& t : tables) {
    if (!tenant_tables_.count(t)) throw ScopeViolation("refresh_statistics reads partnership tables only: " + t);
    check_identifier(t);
    list += (list.empty() ? "" : ",") + t;
  }
  if (c_.dialect() != Dialect::postgres || list.empty()) return;
  auto stale = c_.run("SELECT t FROM unnest(string_to_array($1, ',')) AS t"
                      " WHERE (SELECT c.reltuples FROM pg_class c WHERE c.oid = to_regclass(t)) < $2",
                      {list, below_rows});
  for (const auto& r : stale.rows) c_.run_script("ANALYZE " + r.text(0));
}

std::int64_t Scope::insert(Change change, std::string_view sql, Params rest) {
  auto r = run(sql, std::move(rest));
  if (r.empty()) return 0;  // ON CONFLICT DO NOTHING inserted nothing: nothing to audit
  std::int64_t id = r.one().i64(0);
  if (!change.record_id) change.record_id = id;
  audit(change);
  return id;
}

std::int64_t Scope::write(Change change, std::string_view sql, Params rest) {
  auto r = run(sql, std::move(rest));
  if (r.affected > 0) audit(change);
  return r.affected;
}

void Scope::audit(const Change& change) {
  Value record = change.record_id ? Value{*change.record_id} : Value{nullptr};
  Value user = ctx_.user_id ? Value{*ctx_.user_id} : Value{nullptr};
  run("INSERT INTO audit_events (partnership_id, at_ms, actor_user_id, actor, action, record_type, record_id, ip,"
      " request_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {now_millis(), user, ctx_.actor, change.action, change.record_type, record, ctx_.ip, ctx_.request_id,
       change.detail});
}

Work::Work(Database& db, std::int64_t partnership_id, const std::set<std::string>& tenant_tables, AuditContext ctx,
           Transaction::Mode mode)
    : lease_(db.lease()), tx_(*lease_, mode), scope_(*lease_, partnership_id, tenant_tables, std::move(ctx)) {}

}  // namespace cp::store
