// Data rights under UK GDPR: a person (or a worker on their behalf, through the journeys staff gate)
// downloads everything held about them, asks for a correction, and asks for erasure.
//
// Every module that keeps personal data registers a Holder here: what it exports for a person, how
// it erases them, and which of its tables it answers for (and how: deleted, anonymised or kept, and
// why). The retention policy in docs/security.md is the prose form of these rules. A test reads the
// live schema on both databases and fails when a table with a column about a person or account is
// not answered for by some holder or by an explicit "kept" entry, so a new module cannot forget.
//
// An erasure runs every holder in one transaction and writes one rights_erasures row (when, by whom,
// which holders, how many rows each) that names no erased data.
#pragma once
#include <boost/json.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"

namespace cp::modules {

namespace rights {

// Who the request is about. A person may have an account, a journeys record, or both.
struct Subject {
  std::int64_t user_id = 0;                // 0 when they have no account
  std::optional<std::int64_t> person_id;   // journey_people.id
  std::string name;
};

// pending: a table another module owns that holds people's ids but has no holder yet. Listed so the
// gap is visible (docs/security.md) rather than silently passing; its owner should add a holder.
enum class Treatment { deleted, anonymised, kept, pending };

struct TableRule {
  std::string table;
  Treatment treatment;
  std::string why;
};

using Counts = std::map<std::string, std::int64_t>;  // table -> rows deleted or changed

struct Holder {
  std::string name;  // the module, e.g. "timebank"
  std::vector<TableRule> tables;
  std::function<boost::json::value(store::Scope&, const Subject&)> exporter;
  std::function<Counts(store::Scope&, const Subject&)> eraser;
};

class Registry {
 public:
  void add(Holder h) { holders_.push_back(std::move(h)); }
  // A table with a person column that no holder answers for, kept on purpose.
  void keep(const std::string& table, const std::string& why) { kept_.push_back({table, Treatment::kept, why}); }
  void pending(const std::string& table, const std::string& owner) {
    kept_.push_back({table, Treatment::pending, "no holder yet: the " + owner + " module should add one"});
  }
  const std::vector<Holder>& holders() const { return holders_; }
  const std::vector<TableRule>& kept() const { return kept_; }
  // The rule for a table, from a holder or the kept list.
  std::optional<TableRule> rule_for(const std::string& table) const;

 private:
  std::vector<Holder> holders_;
  std::vector<TableRule> kept_;
};

// The holders of each module, in the order erasure runs them (accounts last: others may need the
// account to find what is theirs).
void register_selfassess_holder(Registry& r);
void register_peer_holder(Registry& r);
void register_capabilities_holder(Registry& r);
void register_timebank_holder(Registry& r);
void register_journeys_holder(Registry& r);
void register_grow_holder(Registry& r);
void register_star_holder(Registry& r);
void register_directory_holder(Registry& r);
void register_pb_holder(Registry& r);
void register_events_holder(Registry& r);
void register_ideas_holder(Registry& r);
void register_journeymaps_holder(Registry& r);
void register_inspections_holder(Registry& r);
void register_moderation_holder(Registry& r);
void register_notifications_holder(Registry& r);
void register_ratings_holder(Registry& r);
void register_tracker_holder(Registry& r);
void register_priorities_holder(Registry& r);  // src/modules/priorities/rights.cpp
void register_charters_holder(Registry& r);    // src/modules/charters/rights.cpp
void register_rights_holder(Registry& r);
void register_lens_holder(Registry& r);  // src/modules/lens/rights.cpp
void register_accounts_holder(Registry& r);

// Everything held, one key per holder, with when it was made.
boost::json::object export_all(const Registry& r, store::Scope& s, const Subject& who);
// Runs every holder's eraser and records the erasure. `by_user` is the account that asked (the
// person themself or a worker). Returns the counts per holder.
std::map<std::string, Counts> erase_all(const Registry& r, store::Scope& s, const Subject& who,
                                        std::optional<std::int64_t> by_user, const std::string& by_role);

// Columns whose names say they point at a person or an account (user_id, person_id, created_by ...).
bool is_person_column(const std::string& column);

struct Request {
  std::int64_t id = 0, person_id = 0, created_at = 0;
  std::optional<std::int64_t> user_id, resolved_by;
  std::string what_wrong, should_say, status, note;  // status: open, corrected, declined
  std::optional<std::int64_t> resolved_at;
};

struct Erasure {
  std::int64_t id = 0, at = 0;
  std::optional<std::int64_t> by_user;
  std::string by_role, holders, counts;
};

}  // namespace rights

namespace rights_store {
using namespace rights;
std::int64_t add_correction(store::Scope& s, std::int64_t person_id, std::optional<std::int64_t> user_id,
                            const std::string& what_wrong, const std::string& should_say);
std::vector<Request> requests_of(store::Scope& s, std::int64_t person_id);
std::vector<Request> open_requests(store::Scope& s);
std::optional<Request> request(store::Scope& s, std::int64_t id);
bool resolve(store::Scope& s, std::int64_t id, const std::string& status, const std::string& note, std::int64_t by);
std::vector<Erasure> erasures(store::Scope& s);
}  // namespace rights_store

namespace rights_policy {
bool can_keep_own(const std::optional<auth::Actor>& a);
// Partnership admins resolve correction requests.
bool can_resolve(const std::optional<auth::Actor>& a);
}  // namespace rights_policy

class RightsModule : public app::Module {
 public:
  std::string name() const override { return "rights"; }
  void migrations(store::Migrations& m) const override;
  void install(app::App& a) override;
  const rights::Registry& registry() const { return registry_; }

 private:
  rights::Registry registry_;
};

}  // namespace cp::modules
