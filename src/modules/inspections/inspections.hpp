// Citizen-led inspections (after West Lothian's): the partnership trains and registers citizen
// inspectors; admins keep templates of questions (a 1-5 scale with words at each end, or free
// text), versioned so an inspection keeps the questions it was done with; an inspection of a
// directory service has visit dates, a team (citizen inspectors and a staff lead), answers, findings
// with evidence, and a report in plain English and, where written, Welsh.
//
// The report goes to the service first. It cannot be published until the service has had its
// response window (at least kMinResponseDays, set when the inspection is planned) or has answered.
// Findings become improvement actions in the tracker (origin kind "finding"), tracked to done.
//
// Pages: /inspections (published reports), /inspections/services/{uuid}, /inspections/manage and
// the work pages under /inspections/{id}; templates and inspectors under /inspections/templates and
// /inspections/inspectors. A service's directory page lists its published reports (a panel).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "modules/directory/directory.hpp"

namespace cp::modules::inspections {

inline constexpr std::int64_t kMinResponseDays = 14;
inline constexpr std::int64_t kMaxResponseDays = 90;
inline constexpr std::size_t kMaxQuestions = 30;

struct Inspector {
  std::int64_t id = 0, user_id = 0;
  std::string name, email, trained_on;  // trained_on: YYYY-MM-DD
  bool active = true;
};

struct Question {
  std::string kind;       // "scale" (1 to 5) or "text"
  std::string text;       // the question
  std::string low, high;  // for a scale: what 1 and 5 mean
};

struct Template {
  std::int64_t id = 0, version_id = 0;
  std::string name;
  int version = 0;
  std::vector<Question> questions;
  std::int64_t updated_at = 0;
};

struct Visit {
  std::int64_t id = 0;
  std::string visit_on, note;
};

struct Member {
  std::int64_t user_id = 0;
  std::string name, role;  // "lead" or "inspector"
};

struct Answer {
  int question = 0;  // position in the inspection's questions, from 0
  std::optional<int> score;
  std::string note, link;
};

struct Finding {
  std::int64_t id = 0, by_user = 0, created_at = 0;
  std::string text, evidence, link;
};

inline const std::vector<std::string> kStatuses = {"planned", "sent", "published"};

struct Inspection {
  std::int64_t id = 0, service_id = 0, template_version_id = 0, lead_user_id = 0;
  std::string title, status, template_name;
  int template_version = 0;
  std::vector<Question> questions;
  std::string report, report_cy, response;
  std::int64_t response_days = kMinResponseDays;
  std::optional<std::int64_t> sent_at, response_at, published_at;
  std::int64_t created_at = 0;
  // The first moment the report may be published without the service's answer.
  std::optional<std::int64_t> window_ends() const {
    if (!sent_at) return std::nullopt;
    return *sent_at + response_days * 86400;
  }
};

struct Problem {
  std::string field, key;
  std::vector<std::pair<std::string, std::string>> args = {};
};

// Storage, inside the caller's partnership Scope. Every change is audited by the Scope.
namespace inspections_store {
bool valid_date(const std::string& ymd);  // a real calendar date written YYYY-MM-DD
bool valid_link(const std::string& url);  // empty, or an http(s) address

std::vector<Inspector> inspectors(store::Scope& s);
std::optional<Inspector> inspector_for_user(store::Scope& s, std::int64_t user_id);
// Returns 0 when the account is already registered.
std::int64_t add_inspector(store::Scope& s, std::int64_t user_id, const std::string& trained_on);
bool set_inspector_active(store::Scope& s, std::int64_t id, bool active);

std::vector<Template> templates(store::Scope& s);
// The latest version, or a given version row.
std::optional<Template> get_template(store::Scope& s, std::int64_t id);
std::vector<Problem> validate_template(const std::string& name, const std::vector<Question>& questions);
std::int64_t create_template(store::Scope& s, const std::string& name, const std::vector<Question>& questions);
// Saves the questions as a new version; inspections planned on older versions keep theirs.
int revise_template(store::Scope& s, std::int64_t id, const std::string& name, const std::vector<Question>& questions);

struct NewInspection {
  std::int64_t service_id = 0, template_id = 0, lead_user_id = 0, response_days = 28;
  std::string title;
};
std::int64_t create(store::Scope& s, const NewInspection& in);
std::optional<Inspection> get(store::Scope& s, std::int64_t id);
// Newest first. `service_id` 0 for all services; `published_only` for the public lists.
std::vector<Inspection> list(store::Scope& s, std::int64_t service_id, bool published_only);
// Inspections this account is on the team of, newest first.
std::vector<Inspection> list_for_member(store::Scope& s, std::int64_t user_id);

std::vector<Visit> visits(store::Scope& s, std::int64_t inspection_id);
std::int64_t add_visit(store::Scope& s, std::int64_t inspection_id, const std::string& on, const std::string& note);
std::vector<Member> team(store::Scope& s, std::int64_t inspection_id);
bool on_team(store::Scope& s, std::int64_t inspection_id, std::int64_t user_id);
// False when already on the team.
bool add_member(store::Scope& s, std::int64_t inspection_id, std::int64_t user_id, const std::string& role);

std::vector<Answer> answers(store::Scope& s, std::int64_t inspection_id);
void save_answers(store::Scope& s, std::int64_t inspection_id, const std::vector<Answer>& in, std::int64_t by_user);
std::vector<Finding> findings(store::Scope& s, std::int64_t inspection_id);
std::optional<Finding> finding(store::Scope& s, std::int64_t inspection_id, std::int64_t finding_id);
std::int64_t add_finding(store::Scope& s, std::int64_t inspection_id, const Finding& f, std::int64_t by_user);

bool save_report(store::Scope& s, std::int64_t id, const std::string& en, const std::string& cy);
// planned -> sent, starting the response window. False when not planned.
bool send(store::Scope& s, std::int64_t id, std::int64_t now);
bool respond(store::Scope& s, std::int64_t id, const std::string& text, std::int64_t now);
enum class Publish { ok, not_sent, window_open, already };
// sent -> published, when the window has ended or the service has answered.
Publish publish(store::Scope& s, std::int64_t id, std::int64_t now);
// For the learning lens (lens_figures.cpp): findings on inspections of these services (nullopt:
// all), and how many are still open (no agreed action yet, or an action not yet done).
struct FindingCounts {
  std::int64_t findings = 0, open = 0;
};
FindingCounts finding_counts(store::Scope& s, const std::optional<std::vector<std::int64_t>>& services);
// Inspections published in [from, to), of one service or all (counts.cpp; for the Co-Production Star).
std::int64_t published_between(store::Scope& s, std::int64_t from, std::int64_t to,
                               std::optional<std::int64_t> service_id);
}  // namespace inspections_store

// Who may do what. One place; handlers only ask.
namespace inspections_policy {
bool can_read_published(const std::optional<auth::Actor>& a);
bool can_manage(const std::optional<auth::Actor>& a);  // plan inspections, see them all
bool can_admin(const std::optional<auth::Actor>& a);   // inspectors and templates
bool can_see(const std::optional<auth::Actor>& a, const Inspection& i, bool member,
             const directory_store::ServiceBrief& service);
bool can_work(const std::optional<auth::Actor>& a, const Inspection& i, bool member);  // answers, findings, report
bool can_lead(const std::optional<auth::Actor>& a, const Inspection& i);               // visits, team, send, publish, actions
bool can_respond(const std::optional<auth::Actor>& a, const Inspection& i, const directory_store::ServiceBrief& service);
}  // namespace inspections_policy

// Demo data: an inspector, a template and one published inspection with a finding (idempotent).
void seed_demo(app::App& a, store::Scope& s);

class InspectionsModule : public app::Module {
 public:
  std::string name() const override { return "inspections"; }
  void migrations(store::Migrations& m) const override;
  void install(app::App& a) override;
};

}  // namespace cp::modules::inspections
