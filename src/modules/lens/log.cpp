// The learning log's storage.
#include "core/util.hpp"
#include "modules/lens/lens.hpp"

namespace cp::modules::lens::lens_store {

namespace {

constexpr const char* kCols =
    "SELECT id, chart_key, scope_kind, scope_id, concluded, will_try, review_on, written_by, by_name, created_at FROM lens_log";

LogEntry from_row(const store::Row& r) {
  LogEntry e;
  e.id = r.i64(0);
  e.chart_key = r.text(1);
  e.scope_kind = r.text(2);
  e.scope_id = r.i64(3);
  e.concluded = r.text(4);
  e.will_try = r.text(5);
  e.review_on = r.text(6);
  e.written_by = r.opt_i64(7);
  e.by_name = r.text(8);
  e.created_at = r.i64(9);
  return e;
}

std::vector<LogEntry> all(const store::Result& r) {
  std::vector<LogEntry> out;
  for (const auto& row : r.rows) out.push_back(from_row(row));
  return out;
}

}  // namespace

std::int64_t add_entry(store::Scope& s, const LogEntry& e) {
  store::Value by = e.written_by ? store::Value(*e.written_by) : store::Value(nullptr);
  return s.insert({"lens.log", "lens_log", std::nullopt, e.scope_kind + ":" + std::to_string(e.scope_id) + ":" + e.chart_key},
                  "INSERT INTO lens_log (partnership_id, chart_key, scope_kind, scope_id, concluded, will_try, review_on,"
                  " written_by, by_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                  {e.chart_key, e.scope_kind, e.scope_id, trim(e.concluded), trim(e.will_try), e.review_on, by, e.by_name,
                   e.created_at ? e.created_at : now_seconds()});
}

std::vector<LogEntry> entries(store::Scope& s, const std::string& scope_kind, std::int64_t scope_id,
                              const std::string& chart_key) {
  if (scope_kind.empty()) return all(s.read(std::string(kCols) + " WHERE partnership_id = $1 ORDER BY created_at DESC, id DESC"));
  if (chart_key.empty())
    return all(s.read(std::string(kCols) +
                          " WHERE partnership_id = $1 AND scope_kind = $2 AND scope_id = $3 ORDER BY created_at DESC, id DESC",
                      {scope_kind, scope_id}));
  return all(s.read(std::string(kCols) +
                        " WHERE partnership_id = $1 AND scope_kind = $2 AND scope_id = $3 AND chart_key = $4"
                        " ORDER BY created_at DESC, id DESC",
                    {scope_kind, scope_id, chart_key}));
}

std::vector<LogEntry> entries_by(store::Scope& s, std::int64_t user_id) {
  return all(s.read(std::string(kCols) + " WHERE partnership_id = $1 AND written_by = $2 ORDER BY created_at, id", {user_id}));
}

std::int64_t forget_author(store::Scope& s, std::int64_t user_id) {
  return s.write({"lens.forget_author", "lens_log", std::nullopt, "erasure"},
                 "UPDATE lens_log SET written_by = NULL, by_name = '' WHERE partnership_id = $1 AND written_by = $2",
                 {user_id});
}

}  // namespace cp::modules::lens::lens_store
