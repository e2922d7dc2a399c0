// The tracker's own storage (inside the module only; other modules use tracker.hpp).
#pragma once
#include "modules/tracker/tracker.hpp"

namespace cp::modules::tracker {

namespace policy {
bool can_view(const std::optional<auth::Actor>& a);
bool can_manage(const std::optional<auth::Actor>& a);
}  // namespace policy

struct Action {
  std::int64_t id = 0;
  std::string title, title_cy, owner, due_on, status, status_reason;
  std::optional<std::int64_t> service_id;
  Origin origin;
  std::int64_t created_by = 0, created_at = 0, updated_at = 0, version = 1;
};

struct Update {
  std::string status, note, note_cy, evidence_link;
  std::int64_t by_user_id = 0, created_at = 0;
};

struct Filter {
  std::string status;                     // "" for all
  std::optional<std::int64_t> service_id;
  std::string origin_kind;                // "" for all
};

struct Counts {
  std::int64_t agreed = 0, in_progress = 0, done = 0, not_possible = 0;
  std::int64_t total() const { return agreed + in_progress + done + not_possible; }
};

struct ActionPage {
  std::vector<Action> items;
  std::int64_t total = 0;
};

struct ActionInput {
  std::string title, title_cy, owner, due_on, service;  // service: internal id as typed, or ""
  std::string origin_kind, origin_title, origin_link;
};

struct FieldProblem {
  std::string field, key;
};

// True for a real calendar date written YYYY-MM-DD.
bool valid_date(const std::string& s);
std::vector<FieldProblem> validate(const ActionInput& in);

// Counts by status under the filter's service and origin (its status is ignored: the counts are
// what the status filter chooses between).
Counts counts(store::Scope& s, const Filter& f);
// Most recently updated first.
ActionPage list(store::Scope& s, const Filter& f, std::int64_t page, std::int64_t per_page);
std::optional<Action> get(store::Scope& s, std::int64_t id);
std::vector<Update> updates(store::Scope& s, std::int64_t action_id);

enum class Saved { ok, not_found, conflict };
Saved edit(store::Scope& s, std::int64_t id, const NewAction& a, const std::string& title_cy,
           std::optional<std::int64_t> version);

// Moves an action on. Allowed: agreed -> in_progress | done | not_possible; in_progress -> done |
// not_possible | agreed; done and not_possible may be reopened to in_progress. Staying in the same
// status with a note adds evidence. "not_possible" needs a reason (the note).
enum class Moved { ok, not_found, bad_move, reason_needed, conflict };
Moved move(store::Scope& s, std::int64_t id, const std::string& to, const std::string& note, const std::string& note_cy,
           const std::string& link, std::int64_t by_user, std::optional<std::int64_t> version);
bool allowed_move(const std::string& from, const std::string& to);

}  // namespace cp::modules::tracker
