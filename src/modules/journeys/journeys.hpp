// Person-led support journeys ("recording with, not about"): a person's own record (their profile in
// their own words), the consents they give each organisation for each part of it, the key-worker
// links that make a worker's caseload, contact notes, and a co-authored action plan.
//
// A worker reaches a person's record only through two gates, both checked in one place
// (journeys_store::staff_access): the person is on the worker's caseload, and the person has
// consented for that worker's organisation to see that part. Every staff opening, and every refusal,
// is written to the person's access log, which the person reads at /me/record/views.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"

namespace cp::modules {

namespace journeys {

inline const std::vector<std::string> kParts = {"profile", "plan", "notes", "outcomes"};
// The parts a worker can open today (outcomes has consent but no page yet).
inline const std::vector<std::string> kOpenParts = {"profile", "plan", "notes"};
inline const std::vector<std::string> kViewReasons = {"planned_contact", "review_plan", "prepare_meeting",
                                                      "follow_up", "safeguarding_concern", "referral"};
inline const std::vector<std::string> kContactKinds = {"meeting", "call", "text", "home_visit"};
inline const std::vector<std::string> kRestrictReasons = {"safeguarding", "risk_to_others", "third_party", "legal"};
inline const std::vector<std::string> kStepWho = {"person", "keyworker", "partner", "peer"};
inline const std::vector<std::string> kStepStatus = {"not_started", "in_progress", "done"};
inline const std::vector<std::string> kLawfulBases = {"consent", "public_task", "legitimate_interests"};
// Employability pipeline stages 1-5 (No One Left Behind): engagement, barrier removal, vocational
// activity, employer engagement and job matching, in-work support. Journeys need not be linear.
inline constexpr int kStages = 5;
inline const std::vector<std::string> kOutcomeKinds = {"job_start", "education", "volunteering", "other"};
inline const std::vector<std::string> kContracts = {"permanent", "fixed_term", "zero_hours", "self_employed",
                                                    "apprenticeship", "other"};
// Sustained-employment checks after a job start, in weeks.
inline const std::vector<int> kCheckWeeks = {13, 26, 52};
// A check shows on the caseload this many days before it falls due (and stays until answered).
inline constexpr std::int64_t kCheckNoticeDays = 7;
inline const std::vector<std::string> kDeclineReasons = {"not_eligible", "no_capacity", "better_elsewhere",
                                                         "person_declined", "other"};

bool one_of(const std::vector<std::string>& list, const std::string& v);

struct Profile {
  std::string what_matters, good_life, strengths, barriers, contact_pref, language = "en";
  std::string postcode;                 // for "how far away": optional
  std::optional<std::int64_t> birth_year;  // for age limits: optional
  // Monitoring answers the person chose to give (kpi.hpp kMonitoringAnswers): counts only.
  std::string lone_parent = "not_asked", disability = "not_asked";
};

struct Person {
  std::int64_t id = 0;
  std::optional<std::int64_t> user_id;  // the person's own account, when they have one
  std::string name;
  Profile profile;
  std::int64_t created_at = 0, updated_at = 0, version = 1;
};

struct KeyWorkerLink {
  std::int64_t person_id = 0, worker_id = 0, organisation_id = 0;
};

struct Consent {
  std::int64_t organisation_id = 0;
  std::string part;
  bool granted = false;
};

struct ConsentEvent {
  std::int64_t organisation_id = 0;
  std::string part, action, by_name;
  std::int64_t at = 0;
};

struct AccessEntry {
  std::string viewer_name, part, reason, outcome;
  std::int64_t organisation_id = 0, at = 0;
};

struct NoteInput {
  std::string kind, talked_about, strengths, next_steps;
  bool restricted = false;
  std::string restrict_reason;
};

struct Note : NoteInput {
  std::int64_t id = 0, person_id = 0, author_id = 0, organisation_id = 0, created_at = 0;
  std::string author_name;
};

struct Goal {
  std::int64_t id = 0, person_id = 0, version = 1, updated_at = 0;
  std::string text, updated_by_name;
};

struct StepInput {
  std::string action, who, who_detail, due_on, status = "not_started", person_notes;  // due_on: YYYY-MM-DD or ""
};

struct Step : StepInput {
  std::int64_t id = 0, person_id = 0, goal_id = 0, version = 1, updated_at = 0;
  std::string updated_by_name;
  std::string chosen_kind;  // "service", "asset", "group" or "offer" when the step records a choice
  std::optional<std::int64_t> chosen_id;
};

struct PlanChange {
  std::int64_t version = 0, at = 0;
  std::string by_name, summary;
};

struct CaseloadEntry {
  std::int64_t person_id = 0;
  std::string name;
  bool has_account = false;
  std::optional<std::int64_t> last_contact;  // seconds
  std::string next_due;                      // YYYY-MM-DD or ""
  std::int64_t overdue = 0;
  std::optional<std::int64_t> last_plan_change;  // seconds; nullopt when there is no plan yet
  std::int64_t open_steps = 0, checks_due = 0, checks_overdue = 0;
  std::int64_t stage = 0;  // 0 when not recorded
};

// A referral from one organisation to another organisation's service.
//   awaiting_consent -> sent (the person agreed to share the parts) -> accepted | declined
// and any open one -> stopped when the person withdraws a carried part's consent.
struct Referral {
  std::int64_t id = 0, person_id = 0, from_organisation_id = 0, to_organisation_id = 0, service_id = 0;
  std::optional<std::int64_t> from_worker_id;
  std::string from_worker_name, service_name, message, status, decline_reason, decline_text, stop_reason,
      decided_by_name;
  std::vector<std::string> parts;
  std::optional<std::int64_t> decided_at;
  std::int64_t created_at = 0, updated_at = 0;
  bool open() const { return status == "awaiting_consent" || status == "sent"; }
};

struct StageEntry {
  std::int64_t stage = 0, at = 0;
  std::string on_date, by_name;
};

struct OutcomeInput {
  std::string kind, on_date, contract, employer, detail;
  std::optional<double> hours;
};

struct Outcome : OutcomeInput {
  std::int64_t id = 0, person_id = 0, created_at = 0;
  std::string by_name;
};

struct SustainCheck {
  std::int64_t id = 0, outcome_id = 0, person_id = 0, week = 0;
  std::string due_on, checked_on, by_name;
  std::optional<bool> still_in_work;  // nullopt until answered
};

// Another organisation working with the person: through a key-worker link or an accepted referral.
struct Involvement {
  std::int64_t organisation_id = 0, since = 0;
  std::string via;  // "keyworker" or "referral"
  std::string detail;  // the service name for a referral
};

// Who is acting on a record, as the store writes it down.
struct Who {
  std::int64_t user_id = 0;
  std::string name;
};

enum class SaveResult { ok, not_found, conflict };

// "YYYY-MM-DD" for a day count from the UNIX epoch, and today in UTC.
std::string iso_date(std::int64_t seconds);
// Checks a day/month/year triple; returns YYYY-MM-DD, or "" when it is not a real date in 2000-2100.
std::string make_date(const std::string& day, const std::string& month, const std::string& year);
// The date `days` after an ISO date (negative: before).
std::string add_days(const std::string& iso, std::int64_t days);

}  // namespace journeys

namespace journeys_policy {
// Anyone signed in may keep their own record, consents and plan.
bool can_keep_own(const std::optional<auth::Actor>& a);
// Workers keep a caseload, create people and take them on.
bool can_keep_caseload(const std::optional<auth::Actor>& a);
// Partnership admins record each organisation's lawful basis.
bool can_set_lawful_basis(const std::optional<auth::Actor>& a);
// The organisation a worker acts for (their first worker grant), if any.
std::optional<std::int64_t> worker_organisation(const std::optional<auth::Actor>& a);
// The organisations whose incoming referrals this actor may decide: those they work for or manage.
std::vector<std::int64_t> referral_organisations(const std::optional<auth::Actor>& a);
// Managers see caseload sizes for the organisation they manage.
std::optional<std::int64_t> managed_organisation(const std::optional<auth::Actor>& a);
}  // namespace journeys_policy

namespace journeys_store {
using namespace journeys;

std::optional<Person> person(store::Scope& s, std::int64_t id);
std::optional<Person> person_for_user(store::Scope& s, std::int64_t user_id);
// The record of this account, made on first use.
Person ensure_person_for_user(store::Scope& s, std::int64_t user_id, const std::string& name);
// A person a worker records with (with no account, or with `user_id` when they have one), put on the
// worker's caseload for `organisation_id`. Returns the person's id.
std::int64_t create_person(store::Scope& s, const std::string& name, std::optional<std::int64_t> user_id,
                           std::int64_t worker_id, std::int64_t organisation_id);
void take_on(store::Scope& s, std::int64_t person_id, std::int64_t worker_id, std::int64_t organisation_id);
// Gives a record made without an account to that person's account, so they see their history.
// False when the account already has a record or the record already has an account.
bool link_account(store::Scope& s, std::int64_t person_id, std::int64_t user_id);
std::optional<KeyWorkerLink> key_worker_link(store::Scope& s, std::int64_t person_id, std::int64_t worker_id);
// With `version`, saves only over that version (optimistic locking); without, always.
SaveResult save_profile(store::Scope& s, std::int64_t person_id, const Profile& p,
                        std::optional<std::int64_t> version = std::nullopt);

// Consents: the current state, the history, and a change to one organisation's parts.
std::vector<Consent> consents(store::Scope& s, std::int64_t person_id);
bool has_consent(store::Scope& s, std::int64_t person_id, std::int64_t organisation_id, const std::string& part);
// Sets exactly `parts` as granted to the organisation; grants and withdrawals become history events.
// Returns how many parts changed.
int set_consents(store::Scope& s, std::int64_t person_id, std::int64_t organisation_id,
                 const std::vector<std::string>& parts, const Who& by);
std::vector<ConsentEvent> consent_history(store::Scope& s, std::int64_t person_id);

std::optional<std::string> lawful_basis(store::Scope& s, std::int64_t organisation_id);
void set_lawful_basis(store::Scope& s, std::int64_t organisation_id, const std::string& basis, const Who& by);

// The one gate for staff: on the worker's caseload and consented for the worker's organisation.
enum class Access { allowed, not_on_caseload, no_consent };
Access staff_access(store::Scope& s, std::int64_t person_id, std::int64_t worker_id, const std::string& part,
                    std::int64_t& organisation_id);
// Writes one access-log line (and the audit trail entry); outcome is "opened" or "refused".
void log_access(store::Scope& s, std::int64_t person_id, const Who& viewer, std::int64_t organisation_id,
                const std::string& part, const std::string& reason, const std::string& outcome);
std::vector<AccessEntry> access_log(store::Scope& s, std::int64_t person_id);

std::int64_t add_note(store::Scope& s, std::int64_t person_id, const Who& author, std::int64_t organisation_id,
                      const NoteInput& in);
std::vector<Note> notes(store::Scope& s, std::int64_t person_id);

std::vector<Goal> goals(store::Scope& s, std::int64_t person_id);
std::optional<Goal> goal(store::Scope& s, std::int64_t id);
std::int64_t add_goal(store::Scope& s, std::int64_t person_id, const std::string& text, const Who& by);
SaveResult save_goal(store::Scope& s, std::int64_t id, const std::string& text, std::int64_t version, const Who& by);
std::vector<Step> steps(store::Scope& s, std::int64_t person_id);
std::optional<Step> step(store::Scope& s, std::int64_t id);
std::int64_t add_step(store::Scope& s, std::int64_t person_id, std::int64_t goal_id, const StepInput& in, const Who& by);
SaveResult save_step(store::Scope& s, std::int64_t id, const StepInput& in, std::int64_t version, const Who& by);
// Every saved version of a goal or step ("goal" or "step"), newest first.
std::vector<PlanChange> plan_history(store::Scope& s, const std::string& item_type, std::int64_t item_id);

std::vector<CaseloadEntry> caseload(store::Scope& s, std::int64_t worker_id, const std::string& today);
// People per key worker of one organisation: (worker id, count), largest first.
std::vector<std::pair<std::int64_t, std::int64_t>> caseload_sizes(store::Scope& s, std::int64_t organisation_id);

// Choice (choice.cpp): a step "I chose X" in the person's own name, linked to what was chosen.
std::int64_t record_choice(store::Scope& s, std::int64_t person_id, std::int64_t goal_id, const std::string& kind,
                           std::int64_t chosen_id, const std::string& action, const Who& by);

// Referrals (referrals.cpp).
std::int64_t add_referral(store::Scope& s, const Referral& r);
std::optional<Referral> referral(store::Scope& s, std::int64_t id);
std::vector<Referral> referrals_for_person(store::Scope& s, std::int64_t person_id);
std::vector<Referral> referrals_to(store::Scope& s, const std::vector<std::int64_t>& organisations);
// The person agreed: grants the carried parts to the receiving organisation and sends it.
bool send_referral(store::Scope& s, std::int64_t id, const Who& by);
// The receiving organisation's answer; false when the referral is no longer waiting for one.
bool decide_referral(store::Scope& s, std::int64_t id, bool accept, const std::string& reason, const std::string& text,
                     const Who& by);
bool stop_referral(store::Scope& s, std::int64_t id, const std::string& why);
// Stops open referrals to `organisation_id` that carry a part the person no longer consents to.
int stop_referrals_without_consent(store::Scope& s, std::int64_t person_id, std::int64_t organisation_id);
// Other organisations working with the person, for `viewer_org`; each only when the person has
// consented for both organisations to see the plan.
std::vector<Involvement> involvement(store::Scope& s, std::int64_t person_id, std::optional<std::int64_t> viewer_org);

// Progress (progress.cpp).
void add_stage(store::Scope& s, std::int64_t person_id, std::int64_t stage, const std::string& on_date, const Who& by);
std::vector<StageEntry> stages(store::Scope& s, std::int64_t person_id);  // newest first
std::int64_t add_outcome(store::Scope& s, std::int64_t person_id, const OutcomeInput& in, const Who& by);
std::vector<Outcome> outcomes(store::Scope& s, std::int64_t person_id);
std::vector<SustainCheck> checks(store::Scope& s, std::int64_t person_id);
std::optional<SustainCheck> check(store::Scope& s, std::int64_t id);
// False when it was already answered.
bool answer_check(store::Scope& s, std::int64_t id, bool still_in_work, const std::string& checked_on, const Who& by);
// Unanswered checks for the worker's caseload, due on or before `until`, by due date.
struct DueCheck {
  SustainCheck check;
  std::string person_name;
};
std::vector<DueCheck> checks_due(store::Scope& s, std::int64_t worker_id, const std::string& until);
// Erasure: blanks the text of the person's rows in the append-only plan history and consent
// history (redaction.cpp), leaving ids, versions and dates. Run before their goals and steps go.
struct Redacted {
  std::int64_t plan = 0, consent = 0;
};
Redacted redact_history(store::Scope& s, std::int64_t person_id);
// For the learning lens (lens_people.cpp): record ids of the people on an organisation's caseloads,
// or with an accepted referral to a service, or (neither given) everyone's.
std::vector<std::int64_t> people_in(store::Scope& s, std::optional<std::int64_t> organisation_id,
                                    std::optional<std::int64_t> service_id);
// Saved versions of goals and steps in [from, to), and how many the plan's own person saved
// (counts.cpp; for the Co-Production Star).
struct PlanAuthorship {
  std::int64_t changes = 0, by_person = 0;
};
PlanAuthorship plan_authorship(store::Scope& s, std::int64_t from, std::int64_t to);
}  // namespace journeys_store

// Demo: the demo person on the demo worker's caseload, with a profile, consents, a plan and notes,
// and a few more people. Idempotent; runs in the demo loader's transaction.
void seed_journeys_demo(app::App& a, store::Scope& s);

// The migration that lets erasure redact the append-only history tables (redaction.cpp).
void journeys_redaction_migrations(store::Migrations& m);

class JourneysModule : public app::Module {
 public:
  std::string name() const override { return "journeys"; }
  void migrations(store::Migrations& m) const override;
  void install(app::App& a) override;
};

}  // namespace cp::modules
