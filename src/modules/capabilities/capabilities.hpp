// People's capabilities ("People it"): what a person can offer others (skills, interests, languages,
// time) and what they would like to learn, each with a topic, a place and who may see it.
//
// Who may see an offer is decided by the person and enforced in the storage query itself
// (visible_where), so no page or caller can list what the viewer may not see:
//   keyworker  the person, and their key worker (for now: the worker who recorded it for them;
//              the journeys module will add the worker's caseload through Viewer::caseload)
//   staff      also partnership staff who support people (worker, manager, admin)
//   members    also every signed-in member of the partnership
// Offers are withdrawn, never deleted. Pages at /me/offers and /offers.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "modules/postcodes/postcodes.hpp"

namespace cp::modules {

inline const std::vector<std::string> kOfferKinds = {"offer", "wish"};
inline const std::vector<std::string> kOfferVisibilities = {"keyworker", "staff", "members"};
inline const std::vector<std::string> kWeekDays = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
// The topic of an offer is one of the directory's taxonomy terms (its ORUK id), or this.
inline const std::string kOtherTopic = "other";

struct OfferInput {
  std::string kind = "offer";  // offer: "I can help with"; wish: "I would like to learn"
  std::string topic;           // a directory taxonomy term id, or kOtherTopic
  std::string title, details, languages, time_note;
  std::vector<std::string> days;  // days free, "MO".."SU"
  std::string postcode;           // as typed; tidied by validate()
  std::string visibility = "keyworker";
};

struct Offer : OfferInput {
  std::int64_t id = 0, person_id = 0, recorded_by = 0;
  std::string person_name;
  std::string status;  // active or withdrawn
  std::optional<postcodes::Point> point;
  std::int64_t created_at = 0, updated_at = 0;
};

// Who is looking. Built from the signed-in actor by viewer_for(); other modules may widen it.
struct OfferViewer {
  std::int64_t user_id = 0;
  bool staff = false;                   // worker, manager or admin
  std::vector<std::int64_t> caseload;   // people this viewer is key worker for (journeys, later)
};
OfferViewer viewer_for(const std::optional<auth::Actor>& a);

struct OfferProblem {
  std::string field, key;
};

// The days of the week as checkboxes {value, id, label, checked} for a form field named "days"
// (the first box carries the field's id, so the error summary can link to it).
web::List day_choices(const app::Ctx& ctx, const std::vector<std::string>& checked);

namespace capabilities_policy {
// Any signed-in account may keep its own offers and wishes.
bool can_keep_own(const std::optional<auth::Actor>& a);
// Workers may record one for a person they support (any person account in the partnership for now;
// the journeys module will narrow this to their caseload). Every such write is audited.
bool can_record_for_others(const std::optional<auth::Actor>& a);
// Staff (worker, manager, admin) see offers people made visible to staff.
bool is_offer_staff(const std::optional<auth::Actor>& a);
bool can_browse(const std::optional<auth::Actor>& a);
// The person it belongs to, or the worker who recorded it.
bool can_edit(const std::optional<auth::Actor>& a, const Offer& o);
}  // namespace capabilities_policy

namespace capabilities_store {

// Checks and tidies the input (postcode normalised and located). `topics` are the allowed topic ids.
std::vector<OfferProblem> validate(app::App& app, OfferInput& in, const std::vector<std::string>& topics,
                                   std::optional<postcodes::Point>& point);

std::int64_t create(store::Scope& s, std::int64_t person_id, std::int64_t recorded_by, const OfferInput& in,
                    const std::optional<postcodes::Point>& point);
bool update(store::Scope& s, std::int64_t id, const OfferInput& in, const std::optional<postcodes::Point>& point);
bool withdraw(store::Scope& s, std::int64_t id);

// The offer if the viewer may see it (withdrawn ones only to the person and who recorded it).
std::optional<Offer> get(store::Scope& s, std::int64_t id, const OfferViewer& v);
// The person's own, newest first, withdrawn ones included.
std::vector<Offer> mine(store::Scope& s, std::int64_t person_id);
// Active offers of other people that the viewer may see, by title.
struct BrowseQuery {
  std::string kind, topic;
  std::int64_t page = 1, per_page = 20;
};
std::vector<Offer> browse(store::Scope& s, const OfferViewer& v, const BrowseQuery& q, std::int64_t& total);

// For matching: active offers (kind "offer") the viewer may see, pre-filtered in SQL by the topic or
// any of the words, and by a box around `near` when given. At most `limit`, nearest or by title.
struct CandidateQuery {
  std::optional<postcodes::Point> near;
  double within_m = 10000;
  std::string topic;
  std::vector<std::string> words;
  std::int64_t limit = 100;
};
// With `near`, the search runs on a kept in-memory index of the partnership's offers (offer_index.hpp)
// and gives exactly what candidates_in_sql() gives for the same snapshot.
std::vector<Offer> candidates(store::Scope& s, const OfferViewer& v, const CandidateQuery& q);
// The same search in SQL alone (the reference the index is tested and measured against).
std::vector<Offer> candidates_in_sql(store::Scope& s, const OfferViewer& v, const CandidateQuery& q);

// The person account with this email in the Scope's partnership (for a worker recording an offer).
std::optional<std::pair<std::int64_t, std::string>> find_person(store::Scope& s, const std::string& email);

}  // namespace capabilities_store

// Demo people with offers; idempotent. Runs in the demo loader's transaction.
void seed_capabilities_demo(app::App& a, store::Scope& s);

class CapabilitiesModule : public app::Module {
 public:
  std::string name() const override { return "capabilities"; }
  void migrations(store::Migrations& m) const override;
  void install(app::App& a) override;
};

}  // namespace cp::modules
