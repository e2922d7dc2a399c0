// "Grow it": what helps co-production spread and last inside a partnership.
//
//   - Champions (/toolkit/champions): people who speak up for co-production, with what they
//     champion, since when and how to reach them. Signed-in people of the partnership see the list
//     (only the parts each champion agreed to show); staff add, confirm and remove; a member can put
//     themself forward and staff confirm. Recognition is the timebank's awards, read through the
//     timebank interface: there is no second awards table.
//   - Business case (/toolkit/business-case): per service or initiative, cost lines next to
//     outcomes, priced with the partnership's own unit-cost assumptions. Every assumption has a
//     source note and a history of who changed it when; every figure names the assumptions it used.
//   - Staff competencies (/toolkit/competencies): the partnership's framework (admins edit it), dated
//     self-assessments by staff, their own history side by side, and a share toggle that lets their
//     line manager (a manager of their organisation) see it; each such view is audited.
//
// Money is whole pence and hours are hundredths of an hour everywhere inside the module, so the
// figures add up exactly; only pages show pounds and hours.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"

namespace cp::modules::grow {

// ------------------------------------------------------------------ parsing and sums (calc.cpp)

// "1,234.5" or "£12" -> pence; nullopt when it is not an amount from 0 to £10 million.
std::optional<std::int64_t> parse_pence(const std::string& text);
// "7.5" or "7,5" -> 750 hundredths of an hour; nullopt when not from 0 to 1,000,000 hours.
std::optional<std::int64_t> parse_hours(const std::string& text);
// A whole number from 0 to 1 million (outcome counts).
std::optional<std::int64_t> parse_count(const std::string& text);
std::string format_pounds(std::int64_t pence);        // "£1,234.56"
std::string format_hours(std::int64_t hundredths);    // "7.5", "12"
// Pence for `hundredths` hours at `rate` pence an hour, half a penny rounded up.
std::int64_t hours_cost(std::int64_t hundredths, std::int64_t rate_pence);
// a / b rounded half up; b must be > 0.
std::int64_t divide_round(std::int64_t a, std::int64_t b);
// True for a real calendar date written YYYY-MM-DD.
bool valid_date(const std::string& s);

// ------------------------------------------------------------------ champions (champions.cpp)

inline const std::vector<std::string> kChampionAreas = {"co_design", "co_delivery", "co_commissioning", "co_assessment",
                                                        "topic"};
inline const std::vector<std::string> kContactPrefs = {"email", "phone", "through_staff"};

struct ChampionInput {
  std::optional<std::int64_t> user_id;  // a member, or none for a named person without an account
  std::string name, organisation, area, topic, since_on, contact_pref, contact_detail;
  bool listed = true, show_organisation = true, show_contact = false;
};

struct Champion {
  std::int64_t id = 0;
  std::optional<std::int64_t> user_id;
  std::string name, organisation, area, topic, since_on, contact_pref, contact_detail, status;  // pending|confirmed
  bool listed = true, show_organisation = true, show_contact = false;
  std::int64_t created_at = 0;
};

// (field, catalogue key) for each problem.
std::vector<std::pair<std::string, std::string>> validate_champion(const ChampionInput& in);
// Staff add a confirmed champion; a member's own nomination is "pending" until staff confirm.
std::int64_t add_champion(store::Scope& s, const ChampionInput& in, const std::string& status, std::int64_t by_user);
std::optional<Champion> champion(store::Scope& s, std::int64_t id);
std::optional<Champion> champion_for_user(store::Scope& s, std::int64_t user_id);
// All of them (staff) or only confirmed and listed ones (everyone else), by name.
std::vector<Champion> champions(store::Scope& s, bool staff_view);
bool confirm_champion(store::Scope& s, std::int64_t id);
bool remove_champion(store::Scope& s, std::int64_t id);

// ------------------------------------------------------------------ business case (business.cpp)

inline const std::vector<std::string> kUnits = {"hour", "day", "week", "year", "each"};
inline const std::vector<std::string> kCostKinds = {"staff", "volunteer", "expenses", "venue", "other"};

struct Assumption {
  std::int64_t id = 0;
  std::string name, unit, source;
  std::int64_t value_pence = 0;
  std::int64_t updated_by = 0, updated_at = 0, version = 1;
};
struct AssumptionChange {
  std::int64_t value_pence = 0;
  std::string source;
  std::int64_t changed_by = 0, changed_at = 0;
};

std::vector<Assumption> assumptions(store::Scope& s);
std::optional<Assumption> assumption(store::Scope& s, std::int64_t id);
std::vector<AssumptionChange> assumption_history(store::Scope& s, std::int64_t id);  // newest first
std::int64_t add_assumption(store::Scope& s, const std::string& name, const std::string& unit, std::int64_t value_pence,
                            const std::string& source, std::int64_t by_user);
enum class Saved { ok, not_found, conflict };
Saved change_assumption(store::Scope& s, std::int64_t id, std::int64_t value_pence, const std::string& source,
                        std::int64_t by_user, std::optional<std::int64_t> version);

struct Case {
  std::int64_t id = 0;
  std::string title, summary;
  std::optional<std::int64_t> service_id;
  std::int64_t created_by = 0, created_at = 0, updated_at = 0;
};
struct CostLine {
  std::int64_t id = 0;
  std::string kind, description;
  std::int64_t hours = 0;                    // hundredths; staff and volunteer lines
  std::optional<std::int64_t> assumption_id; // the hourly rate; staff and volunteer lines
  std::int64_t amount_pence = 0;             // expenses, venue and other lines
};
struct Outcome {
  std::int64_t id = 0;
  std::string description;
  std::int64_t number = 0;                   // typed in, or read from another module (source)
  std::string source;                        // "typed" or "journeys_job_starts"
  std::optional<std::int64_t> assumption_id; // the value avoided for each one, if any
};

std::int64_t add_case(store::Scope& s, const std::string& title, const std::string& summary,
                      std::optional<std::int64_t> service_id, std::int64_t by_user);
std::optional<Case> get_case(store::Scope& s, std::int64_t id);
std::vector<Case> cases(store::Scope& s);
std::int64_t add_cost(store::Scope& s, std::int64_t case_id, const CostLine& c);
std::int64_t add_outcome(store::Scope& s, std::int64_t case_id, const Outcome& o);
std::vector<CostLine> costs(store::Scope& s, std::int64_t case_id);
std::vector<Outcome> outcomes(store::Scope& s, std::int64_t case_id);
// Removes a line or outcome of that case; false when there is none.
bool remove_cost(store::Scope& s, std::int64_t case_id, std::int64_t id);
bool remove_outcome(store::Scope& s, std::int64_t case_id, std::int64_t id);

// The sums, worked from the lines, the outcomes and the assumptions' current values.
struct CostFigure {
  CostLine line;
  std::int64_t pence = 0;
};
struct OutcomeFigure {
  Outcome outcome;
  std::int64_t number = 0;                         // what was used (a live figure for linked outcomes)
  std::optional<std::int64_t> cost_per_outcome;    // total cost / number; none when number is 0
  std::optional<std::int64_t> value_pence;         // number x the assumption's value
};
struct Figures {
  std::vector<CostFigure> costs;
  std::vector<OutcomeFigure> outcomes;
  std::int64_t cash_pence = 0;       // staff time, expenses, venue, other
  std::int64_t volunteer_pence = 0;  // volunteer hours at their assumed value
  std::int64_t total_pence = 0;      // both
  std::int64_t value_pence = 0;      // value avoided, all outcomes
  std::int64_t net_pence = 0;        // value - total
  std::optional<std::int64_t> per_pound_hundredths;  // value per £1 spent, in hundredths (1.25 -> 125)
  std::vector<std::int64_t> assumptions_used;        // ids, in order first used
};
// `live_number` gives a linked outcome's figure (nullopt: use the stored number).
Figures figures(const std::vector<CostLine>& costs, const std::vector<Outcome>& outcomes,
                const std::map<std::int64_t, Assumption>& assumptions,
                const std::map<std::string, std::int64_t>& live_numbers = {});

// Live outcome figures other modules can give for a case's service: "journeys_job_starts" -> count.
std::map<std::string, std::int64_t> live_numbers(store::Scope& s, std::optional<std::int64_t> service_id);
// The sources offered on the outcome form.
std::vector<std::string> live_sources();

// ------------------------------------------------------------------ competencies (competencies.cpp)

struct Competency {
  std::int64_t id = 0;
  std::string name, description;
  std::string levels[4];  // what level 1..4 looks like
  std::int64_t position = 0;
  bool archived = false;
};
struct CompetencyInput {
  std::string name, description, levels[4], position;
};
std::vector<std::pair<std::string, std::string>> validate_competency(const CompetencyInput& in);
std::vector<Competency> competencies(store::Scope& s, bool with_archived);
std::optional<Competency> competency(store::Scope& s, std::int64_t id);
std::int64_t add_competency(store::Scope& s, const CompetencyInput& in);
bool update_competency(store::Scope& s, std::int64_t id, const CompetencyInput& in, bool archived);

struct Rating {
  int level = 0;  // 1..4
  std::string example;
};
struct Assessment {
  std::int64_t id = 0, user_id = 0;
  std::optional<std::int64_t> organisation_id;
  std::string assessed_on;
  std::map<std::int64_t, Rating> ratings;  // by competency id
  std::int64_t created_at = 0;
};
enum class AssessResult { ok, duplicate_date, bad_date, empty };
AssessResult save_assessment(store::Scope& s, std::int64_t user_id, std::optional<std::int64_t> organisation_id,
                             const std::string& on, const std::map<std::int64_t, Rating>& ratings, std::int64_t& id);
std::vector<Assessment> assessments_of(store::Scope& s, std::int64_t user_id);  // oldest first

// Sharing with the line manager (managers of `organisation_id`).
struct Share {
  std::int64_t user_id = 0;
  std::optional<std::int64_t> organisation_id;
  bool shared = false;
};
Share share_of(store::Scope& s, std::int64_t user_id);
void set_share(store::Scope& s, std::int64_t user_id, std::optional<std::int64_t> organisation_id, bool shared);
std::vector<Share> shared_with_organisation(store::Scope& s, std::int64_t organisation_id);

// Erasure: everything this module keeps about one account; returns rows per table.
std::map<std::string, std::int64_t> erase_user(store::Scope& s, std::int64_t user_id);

// ------------------------------------------------------------------ policy (policy.cpp)

namespace policy {
bool can_see_champions(const std::optional<auth::Actor>& a);    // signed in
bool can_manage_champions(const std::optional<auth::Actor>& a); // staff
bool can_nominate_self(const std::optional<auth::Actor>& a);    // signed in
bool can_use_business_case(const std::optional<auth::Actor>& a);  // staff: see and edit
bool can_assess_self(const std::optional<auth::Actor>& a);      // staff
bool can_edit_framework(const std::optional<auth::Actor>& a);   // admins
bool is_manager(const std::optional<auth::Actor>& a);
// A manager of the organisation the staff member shared with, and only while it is shared.
bool can_view_shared(const std::optional<auth::Actor>& a, const Share& share);
// The organisation a staff member works for (first worker or manager grant), for sharing.
std::optional<std::int64_t> home_organisation(const auth::Actor& a);
}  // namespace policy

// Loads the demo partnership's champions, assumptions, a business case and the framework. Idempotent.
void seed_demo(app::App& a, store::Scope& s);

void install_champions(app::App& a);
void install_business_case(app::App& a);
void install_competencies(app::App& a);

class GrowModule : public app::Module {
 public:
  std::string name() const override { return "grow"; }
  void migrations(store::Migrations& m) const override;
  void install(app::App& a) override;
};

}  // namespace cp::modules::grow
