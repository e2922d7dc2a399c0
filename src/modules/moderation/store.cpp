#include <algorithm>

#include "core/util.hpp"
#include "modules/moderation/queue.hpp"
#include "modules/notifications/notifications.hpp"

namespace cp::modules::moderation {

namespace {

// The queue keeps a short excerpt so moderators can scan it without each owner module being asked
// for every row; the full text is fetched from the owner on the item's own page.
std::string excerpt_of(const std::string& text) {
  constexpr std::size_t kMax = 280;
  if (text.size() <= kMax) return text;
  std::size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
  return text.substr(0, cut) + "…";
}

constexpr const char* kEntryCols =
    "id, item_id, author_user_id, report_count, open_reports, kind, status, excerpt, link, first_reported_at,"
    " last_reported_at";

QueueEntry entry_from(const store::Row& r) {
  QueueEntry e;
  e.id = r.i64(0);
  e.item_id = r.i64(1);
  e.author_user_id = r.i64(2);
  e.report_count = r.i64(3);
  e.open_reports = r.i64(4);
  e.kind = r.text(5);
  e.status = r.text(6);
  e.excerpt = r.text(7);
  e.link = r.text(8);
  e.first_reported_at = r.i64(9);
  e.last_reported_at = r.i64(10);
  return e;
}

// The queue row for an item, made on first need (a report, or a moderator acting unprompted).
std::int64_t ensure_entry(store::Scope& s, const std::string& kind, std::int64_t item_id, const Item& item) {
  auto r = s.read("SELECT id FROM moderation_items WHERE partnership_id = $1 AND kind = $2 AND item_id = $3",
                  {kind, item_id});
  if (!r.empty()) {
    s.bookkeeping("UPDATE moderation_items SET excerpt = $3, link = $4, author_user_id = $5 WHERE partnership_id = $1"
                  " AND id = $2",
                  {r.one().i64(0), excerpt_of(item.text), item.link, item.author_user_id});
    return r.one().i64(0);
  }
  auto now = now_seconds();
  return s.insert({"moderation.queue", kind, item_id, ""},
                  "INSERT INTO moderation_items (partnership_id, kind, item_id, status, author_user_id, excerpt, link,"
                  " first_reported_at, last_reported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
                  {kind, item_id, std::string(item.hidden ? "hidden" : "open"), item.author_user_id,
                   excerpt_of(item.text), item.link, now});
}

void decide(store::Scope& s, std::int64_t queue_id, const std::string& kind, std::int64_t item_id,
            const std::string& action, const std::string& status, std::int64_t by_user, const std::string& reason) {
  auto now = now_seconds();
  s.insert({"moderation." + action, kind, item_id, reason.substr(0, 200)},
           "INSERT INTO moderation_decisions (partnership_id, queue_id, action, reason, by_user_id, created_at)"
           " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
           {queue_id, action, reason, by_user, now});
  s.write({"moderation.status", kind, item_id, status},
          "UPDATE moderation_items SET status = $3, open_reports = 0, decided_at = $4 WHERE partnership_id = $1 AND id = $2",
          {queue_id, status, now});
  s.bookkeeping("UPDATE moderation_reports SET resolved_at = $3 WHERE partnership_id = $1 AND queue_id = $2"
                " AND resolved_at IS NULL",
                {queue_id, now});
}

}  // namespace

Reported add_report(store::Scope& s, const std::string& kind, std::int64_t id, const Item& item, std::int64_t by_user,
                    const std::string& reason, const std::string& details) {
  auto qid = ensure_entry(s, kind, id, item);
  auto existing = s.read("SELECT id FROM moderation_reports WHERE partnership_id = $1 AND queue_id = $2"
                         " AND reporter_user_id = $3",
                         {qid, by_user});
  if (!existing.empty()) return Reported::already;
  auto now = now_seconds();
  s.insert({"moderation.report", kind, id, reason},
           "INSERT INTO moderation_reports (partnership_id, queue_id, reporter_user_id, reason, details, created_at)"
           " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
           {qid, by_user, reason, details, now});
  // A new report on an item someone already kept opens it again: new reasons deserve a new look.
  // A hidden item stays hidden; the report is still counted.
  s.write({"moderation.reported", kind, id, ""},
          "UPDATE moderation_items SET report_count = report_count + 1, open_reports = open_reports + 1,"
          " last_reported_at = $3, status = CASE WHEN status = 'kept' THEN 'open' ELSE status END"
          " WHERE partnership_id = $1 AND id = $2",
          {qid, now});
  return Reported::added;
}

void report(store::Scope& s, const std::string& kind, std::int64_t id, std::int64_t by_user, const std::string& reason) {
  auto k = find_kind(kind);
  if (!k) throw std::invalid_argument("unknown moderation kind: " + kind);
  auto item = k->fetch(s, id);
  if (!item) throw std::invalid_argument("no such " + kind + ": " + std::to_string(id));
  std::string code = reason;
  std::string details;
  if (std::find(kReportReasons.begin(), kReportReasons.end(), code) == kReportReasons.end()) {
    details = reason;
    code = "other";
  }
  add_report(s, kind, id, *item, by_user, code, details);
}

bool is_blocked(store::Scope& s, std::int64_t user_id) {
  return !s.read("SELECT 1 FROM moderation_blocks WHERE partnership_id = $1 AND user_id = $2", {user_id}).empty();
}

QueuePage queue(store::Scope& s, const std::string& status, std::int64_t page, std::int64_t per_page) {
  QueuePage out;
  out.total = s.read("SELECT COUNT(*) FROM moderation_items WHERE partnership_id = $1 AND status = $2", {status}).one().i64(0);
  auto r = s.read(std::string("SELECT ") + kEntryCols +
                      " FROM moderation_items WHERE partnership_id = $1 AND status = $2"
                      " ORDER BY last_reported_at DESC, id DESC LIMIT $3 OFFSET $4",
                  {status, per_page, (page - 1) * per_page});
  for (const auto& row : r.rows) out.items.push_back(entry_from(row));
  return out;
}

std::int64_t open_count(store::Scope& s) {
  return s.read("SELECT COUNT(*) FROM moderation_items WHERE partnership_id = $1 AND status = 'open'").one().i64(0);
}

std::optional<QueueEntry> entry(store::Scope& s, const std::string& kind, std::int64_t item_id) {
  auto r = s.read(std::string("SELECT ") + kEntryCols +
                      " FROM moderation_items WHERE partnership_id = $1 AND kind = $2 AND item_id = $3",
                  {kind, item_id});
  if (r.empty()) return std::nullopt;
  return entry_from(r.one());
}

std::vector<ReportRow> reports(store::Scope& s, std::int64_t queue_id) {
  std::vector<ReportRow> out;
  auto r = s.read("SELECT id, reporter_user_id, created_at, reason, details, resolved_at FROM moderation_reports"
                  " WHERE partnership_id = $1 AND queue_id = $2 ORDER BY created_at DESC, id DESC",
                  {queue_id});
  for (const auto& row : r.rows)
    out.push_back({row.i64(0), row.i64(1), row.i64(2), row.text(3), row.text(4), !row.null(5)});
  return out;
}

std::vector<Decision> decisions(store::Scope& s, std::int64_t queue_id) {
  std::vector<Decision> out;
  auto r = s.read("SELECT action, reason, by_user_id, created_at FROM moderation_decisions"
                  " WHERE partnership_id = $1 AND queue_id = $2 ORDER BY created_at DESC, id DESC",
                  {queue_id});
  for (const auto& row : r.rows) out.push_back({row.text(0), row.text(1), row.i64(2), row.i64(3)});
  return out;
}

bool hide(store::Scope& s, const Kind& k, std::int64_t item_id, std::int64_t by_user, const std::string& reason) {
  auto item = k.fetch(s, item_id);
  if (!item) return false;
  auto qid = ensure_entry(s, k.name, item_id, *item);
  k.set_hidden(s, item_id, true);
  decide(s, qid, k.name, item_id, "hide", "hidden", by_user, reason);
  if (item->author_user_id > 0 && item->author_user_id != by_user)
    notifications::notify(s, item->author_user_id, "moderation.notice_hidden",
                          {{"reason", reason}}, item->link);
  return true;
}

bool restore(store::Scope& s, const Kind& k, std::int64_t item_id, std::int64_t by_user, const std::string& reason) {
  auto item = k.fetch(s, item_id);
  if (!item) return false;
  auto qid = ensure_entry(s, k.name, item_id, *item);
  k.set_hidden(s, item_id, false);
  decide(s, qid, k.name, item_id, "restore", "kept", by_user, reason);
  if (item->author_user_id > 0 && item->author_user_id != by_user)
    notifications::notify(s, item->author_user_id, "moderation.notice_restored", {}, item->link);
  return true;
}

bool keep(store::Scope& s, const Kind& k, std::int64_t item_id, std::int64_t by_user, const std::string& reason) {
  auto item = k.fetch(s, item_id);
  if (!item) return false;
  auto qid = ensure_entry(s, k.name, item_id, *item);
  decide(s, qid, k.name, item_id, "keep", "kept", by_user, reason);
  return true;
}

std::optional<Block> block_of(store::Scope& s, std::int64_t user_id) {
  auto r = s.read("SELECT user_id, by_user_id, created_at, reason FROM moderation_blocks WHERE partnership_id = $1"
                  " AND user_id = $2",
                  {user_id});
  if (r.empty()) return std::nullopt;
  return Block{r.one().i64(0), r.one().i64(1), r.one().i64(2), r.one().text(3)};
}

std::vector<Block> blocks(store::Scope& s) {
  std::vector<Block> out;
  auto r = s.read("SELECT user_id, by_user_id, created_at, reason FROM moderation_blocks WHERE partnership_id = $1"
                  " ORDER BY created_at DESC, user_id");
  for (const auto& row : r.rows) out.push_back({row.i64(0), row.i64(1), row.i64(2), row.text(3)});
  return out;
}

bool block(store::Scope& s, std::int64_t user_id, std::int64_t by_user, const std::string& reason) {
  if (is_blocked(s, user_id)) return false;
  auto now = now_seconds();
  s.insert({"moderation.block", "user", user_id, reason.substr(0, 200)},
           "INSERT INTO moderation_blocks (partnership_id, user_id, reason, by_user_id, created_at)"
           " VALUES ($1, $2, $3, $4, $5) RETURNING user_id",
           {user_id, reason, by_user, now});
  s.insert({"moderation.block_log", "user", user_id, "block"},
           "INSERT INTO moderation_block_log (partnership_id, user_id, action, reason, by_user_id, created_at)"
           " VALUES ($1, $2, 'block', $3, $4, $5) RETURNING id",
           {user_id, reason, by_user, now});
  notifications::notify(s, user_id, "moderation.notice_blocked", {{"reason", reason}}, "");
  return true;
}

bool unblock(store::Scope& s, std::int64_t user_id, std::int64_t by_user, const std::string& reason) {
  auto gone = s.write({"moderation.unblock", "user", user_id, reason.substr(0, 200)},
                      "DELETE FROM moderation_blocks WHERE partnership_id = $1 AND user_id = $2", {user_id});
  if (gone == 0) return false;
  s.insert({"moderation.block_log", "user", user_id, "unblock"},
           "INSERT INTO moderation_block_log (partnership_id, user_id, action, reason, by_user_id, created_at)"
           " VALUES ($1, $2, 'unblock', $3, $4, $5) RETURNING id",
           {user_id, reason, by_user, now_seconds()});
  notifications::notify(s, user_id, "moderation.notice_unblocked", {}, "");
  return true;
}

}  // namespace cp::modules::moderation
