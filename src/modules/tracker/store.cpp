#include <algorithm>
#include <stdexcept>

#include "core/util.hpp"
#include "modules/tracker/store.hpp"

namespace cp::modules::tracker {

namespace {

constexpr const char* kCols =
    "id, title, title_cy, owner, due_on, status, status_reason, service_id, origin_kind, origin_id, origin_title,"
    " origin_link, created_by, created_at, updated_at, version";

Action from_row(const store::Row& r) {
  Action a;
  a.id = r.i64(0);
  a.title = r.text(1);
  a.title_cy = r.text(2);
  a.owner = r.text(3);
  a.due_on = r.text(4);
  a.status = r.text(5);
  a.status_reason = r.text(6);
  a.service_id = r.opt_i64(7);
  a.origin = {r.text(8), r.i64(9), r.text(10), r.text(11)};
  a.created_by = r.i64(12);
  a.created_at = r.i64(13);
  a.updated_at = r.i64(14);
  a.version = r.i64(15);
  return a;
}

// Only links that go to a web page or a path on this site: "javascript:" and the like are refused.
bool safe_link(const std::string& l) {
  if (l.empty()) return true;
  if (l.size() > 1 && l[0] == '/' && l[1] != '/') return true;
  auto low = to_lower(l);
  return (starts_with(low, "https://") || starts_with(low, "http://")) && l.find_first_of(" \t\r\n<>\"") == std::string::npos;
}

// The WHERE clause for a filter; parameters from $2 on are appended to `p`.
std::string where_of(const Filter& f, store::Params& p, bool with_status) {
  std::string w = " WHERE partnership_id = $1";
  if (with_status && !f.status.empty()) {
    p.push_back(f.status);
    w += " AND status = $" + std::to_string(p.size() + 1);
  }
  if (f.service_id) {
    p.push_back(*f.service_id);
    w += " AND service_id = $" + std::to_string(p.size() + 1);
  }
  if (!f.origin_kind.empty()) {
    p.push_back(f.origin_kind);
    w += " AND origin_kind = $" + std::to_string(p.size() + 1);
  }
  return w;
}

}  // namespace

bool valid_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
  if (y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

bool allowed_move(const std::string& from, const std::string& to) {
  if (from == to) return true;  // evidence added without a change of status
  if (from == "agreed") return to == "in_progress" || to == "done" || to == "not_possible";
  if (from == "in_progress") return to == "done" || to == "not_possible" || to == "agreed";
  if (from == "done" || from == "not_possible") return to == "in_progress";
  return false;
}

std::vector<FieldProblem> validate(const ActionInput& in) {
  std::vector<FieldProblem> out;
  if (in.title.empty()) out.push_back({"title", "tracker.error_title"});
  else if (in.title.size() > 300) out.push_back({"title", "tracker.error_title_long"});
  if (in.title_cy.size() > 300) out.push_back({"title_cy", "tracker.error_title_long"});
  if (in.owner.empty()) out.push_back({"owner", "tracker.error_owner"});
  else if (in.owner.size() > 200) out.push_back({"owner", "tracker.error_owner_long"});
  if (!in.due_on.empty() && !valid_date(in.due_on)) out.push_back({"due_on", "tracker.error_due"});
  if (!in.service.empty()) {
    auto id = parse_int(in.service);
    if (!id || *id <= 0) out.push_back({"service", "tracker.error_service"});
  }
  if (!in.origin_kind.empty() &&
      std::find(kOriginKinds.begin(), kOriginKinds.end(), in.origin_kind) == kOriginKinds.end())
    out.push_back({"origin_kind", "tracker.error_origin"});
  if (in.origin_title.size() > 300) out.push_back({"origin_title", "tracker.error_title_long"});
  if (!safe_link(in.origin_link)) out.push_back({"origin_link", "tracker.error_link"});
  return out;
}

std::int64_t agree(store::Scope& s, const NewAction& a, std::int64_t by_user) {
  std::string title = trim(a.title);
  if (title.empty()) throw std::invalid_argument("an action needs a title");
  if (!a.due_on.empty() && !valid_date(a.due_on)) throw std::invalid_argument("due date must be YYYY-MM-DD");
  if (!safe_link(a.origin.link)) throw std::invalid_argument("origin link must be a web address or a site path");
  auto now = now_seconds();
  store::Value service = a.service_id ? store::Value(*a.service_id) : store::Value(nullptr);
  auto id = s.insert({"tracker.agree", "tracker_action", std::nullopt, a.origin.kind},
                     "INSERT INTO tracker_actions (partnership_id, title, owner, service_id, due_on, status, origin_kind,"
                     " origin_id, origin_title, origin_link, created_by, created_at, updated_at)"
                     " VALUES ($1, $2, $3, $4, $5, 'agreed', $6, $7, $8, $9, $10, $11, $11) RETURNING id",
                     {title, trim(a.owner), service, a.due_on, a.origin.kind, a.origin.id, a.origin.title,
                      a.origin.link, by_user, now});
  s.insert({"tracker.update", "tracker_action", id, "agreed"},
           "INSERT INTO tracker_updates (partnership_id, action_id, status, by_user_id, created_at)"
           " VALUES ($1, $2, 'agreed', $3, $4) RETURNING id",
           {id, by_user, now});
  return id;
}

std::vector<ActionSummary> for_origin(store::Scope& s, const std::string& kind, std::int64_t id) {
  std::vector<ActionSummary> out;
  auto r = s.read("SELECT id, title, status FROM tracker_actions WHERE partnership_id = $1 AND origin_kind = $2"
                  " AND origin_id = $3 ORDER BY created_at, id",
                  {kind, id});
  for (const auto& row : r.rows)
    out.push_back({row.i64(0), row.text(1), row.text(2), "/we-did-together/" + std::to_string(row.i64(0))});
  return out;
}

Counts counts(store::Scope& s, const Filter& f) {
  store::Params p;
  auto w = where_of(f, p, false);
  Counts c;
  for (const auto& row : s.read("SELECT status, COUNT(*) FROM tracker_actions" + w + " GROUP BY status", p).rows) {
    auto st = row.text(0);
    auto n = row.i64(1);
    if (st == "agreed") c.agreed = n;
    else if (st == "in_progress") c.in_progress = n;
    else if (st == "done") c.done = n;
    else if (st == "not_possible") c.not_possible = n;
  }
  return c;
}

ActionPage list(store::Scope& s, const Filter& f, std::int64_t page, std::int64_t per_page) {
  ActionPage out;
  store::Params p;
  auto w = where_of(f, p, true);
  out.total = s.read("SELECT COUNT(*) FROM tracker_actions" + w, p).one().i64(0);
  p.push_back(per_page);
  p.push_back((page - 1) * per_page);
  auto n = p.size();
  auto r = s.read(std::string("SELECT ") + kCols + " FROM tracker_actions" + w + " ORDER BY updated_at DESC, id DESC LIMIT $" +
                      std::to_string(n) + " OFFSET $" + std::to_string(n + 1),
                  p);
  for (const auto& row : r.rows) out.items.push_back(from_row(row));
  return out;
}

std::optional<Action> get(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string("SELECT ") + kCols + " FROM tracker_actions WHERE partnership_id = $1 AND id = $2", {id});
  if (r.empty()) return std::nullopt;
  return from_row(r.one());
}

std::vector<Update> updates(store::Scope& s, std::int64_t action_id) {
  std::vector<Update> out;
  auto r = s.read("SELECT status, note, note_cy, evidence_link, by_user_id, created_at FROM tracker_updates"
                  " WHERE partnership_id = $1 AND action_id = $2 ORDER BY created_at DESC, id DESC",
                  {action_id});
  for (const auto& row : r.rows) out.push_back({row.text(0), row.text(1), row.text(2), row.text(3), row.i64(4), row.i64(5)});
  return out;
}

Saved edit(store::Scope& s, std::int64_t id, const NewAction& a, const std::string& title_cy,
           std::optional<std::int64_t> version) {
  auto cur = get(s, id);
  if (!cur) return Saved::not_found;
  if (version && *version != cur->version) return Saved::conflict;
  store::Value service = a.service_id ? store::Value(*a.service_id) : store::Value(nullptr);
  auto n = s.write({"tracker.edit", "tracker_action", id, ""},
                   "UPDATE tracker_actions SET title = $3, title_cy = $4, owner = $5, service_id = $6, due_on = $7,"
                   " origin_kind = $8, origin_title = $9, origin_link = $10, updated_at = $11, version = version + 1"
                   " WHERE partnership_id = $1 AND id = $2 AND version = $12",
                   {id, trim(a.title), trim(title_cy), trim(a.owner), service, a.due_on, a.origin.kind, a.origin.title,
                    a.origin.link, now_seconds(), cur->version});
  return n == 1 ? Saved::ok : Saved::conflict;
}

Moved move(store::Scope& s, std::int64_t id, const std::string& to, const std::string& note, const std::string& note_cy,
           const std::string& link, std::int64_t by_user, std::optional<std::int64_t> version) {
  auto cur = get(s, id);
  if (!cur) return Moved::not_found;
  if (version && *version != cur->version) return Moved::conflict;
  if (std::find(kStatuses.begin(), kStatuses.end(), to) == kStatuses.end() || !allowed_move(cur->status, to))
    return Moved::bad_move;
  if (!safe_link(link)) return Moved::bad_move;
  if (to == "not_possible" && trim(note).empty() && trim(note_cy).empty()) return Moved::reason_needed;
  if (to == cur->status && trim(note).empty() && trim(note_cy).empty() && link.empty()) return Moved::reason_needed;
  auto now = now_seconds();
  // The reason shown beside "not possible" is the one given when it was judged so.
  std::string reason = to == "not_possible" ? (trim(note).empty() ? trim(note_cy) : trim(note))
                                            : (to == cur->status ? cur->status_reason : std::string());
  auto n = s.write({"tracker.status", "tracker_action", id, cur->status + "->" + to},
                   "UPDATE tracker_actions SET status = $3, status_reason = $4, updated_at = $5, version = version + 1"
                   " WHERE partnership_id = $1 AND id = $2 AND version = $6",
                   {id, to, reason, now, cur->version});
  if (n != 1) return Moved::conflict;
  s.insert({"tracker.update", "tracker_action", id, to},
           "INSERT INTO tracker_updates (partnership_id, action_id, status, note, note_cy, evidence_link, by_user_id,"
           " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
           {id, to, trim(note), trim(note_cy), link, by_user, now});
  return Moved::ok;
}

}  // namespace cp::modules::tracker
