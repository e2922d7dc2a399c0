// The moderation module's own storage and decisions (inside the module only; other modules use
// moderation.hpp).
#pragma once
#include "modules/moderation/moderation.hpp"

namespace cp::modules::moderation {

std::optional<Kind> find_kind(const std::string& name);
std::vector<std::string> kind_names();

namespace policy {
bool can_report(const std::optional<auth::Actor>& a);
bool can_moderate(const std::optional<auth::Actor>& a);
}  // namespace policy

struct QueueEntry {
  std::int64_t id = 0, item_id = 0, author_user_id = 0, report_count = 0, open_reports = 0;
  std::string kind, status, excerpt, link;
  std::int64_t first_reported_at = 0, last_reported_at = 0;
};

struct ReportRow {
  std::int64_t id = 0, reporter_user_id = 0, created_at = 0;
  std::string reason, details;
  bool resolved = false;
};

struct Decision {
  std::string action, reason;
  std::int64_t by_user_id = 0, created_at = 0;
};

struct Block {
  std::int64_t user_id = 0, by_user_id = 0, created_at = 0;
  std::string reason;
};

// What happened when someone reported: a new report, or one they had already made.
enum class Reported { added, already };
Reported add_report(store::Scope& s, const std::string& kind, std::int64_t id, const Item& item, std::int64_t by_user,
                    const std::string& reason, const std::string& details);

// The queue: "open" (reported, not yet decided), "hidden" or "kept", newest report first.
struct QueuePage {
  std::vector<QueueEntry> items;
  std::int64_t total = 0;
};
QueuePage queue(store::Scope& s, const std::string& status, std::int64_t page, std::int64_t per_page);
std::int64_t open_count(store::Scope& s);
std::optional<QueueEntry> entry(store::Scope& s, const std::string& kind, std::int64_t item_id);
std::vector<ReportRow> reports(store::Scope& s, std::int64_t queue_id);
std::vector<Decision> decisions(store::Scope& s, std::int64_t queue_id);

// Decisions on an item, each with a reason, audited, and the owner module told to hide or show it.
// `hide` notifies the item's author. Returns false when the item is unknown to its kind.
bool hide(store::Scope& s, const Kind& k, std::int64_t item_id, std::int64_t by_user, const std::string& reason);
bool restore(store::Scope& s, const Kind& k, std::int64_t item_id, std::int64_t by_user, const std::string& reason);
bool keep(store::Scope& s, const Kind& k, std::int64_t item_id, std::int64_t by_user, const std::string& reason);

std::optional<Block> block_of(store::Scope& s, std::int64_t user_id);
std::vector<Block> blocks(store::Scope& s);
// False when the account was already blocked (or not blocked, for unblock).
bool block(store::Scope& s, std::int64_t user_id, std::int64_t by_user, const std::string& reason);
bool unblock(store::Scope& s, std::int64_t user_id, std::int64_t by_user, const std::string& reason);

}  // namespace cp::modules::moderation
