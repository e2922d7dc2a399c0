// Participatory budgeting on the web: processes with phases, areas with their own budgets,
// proposals with supports and moderated comments, ballots (approval, cumulative, knapsack, and
// assisted paper ballots), and results counted with the pb counting library (pb.hpp).
//
// Storage rules that matter:
//   - One ballot per voter per area is a UNIQUE constraint (pb_ballots: process, area, voter_key),
//     and a ballot's choices live on its one row, so a change of mind replaces the row in a
//     single statement and two submissions at once can never both count.
//   - Results are counted from exactly the text `export_area` writes (a Pabulib file), so the web
//     count, the CLI count of an exported file and any other tool agree. They are stored with the
//     process's ballot generation and counted again only when that changes.
#pragma once
#include <boost/json.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "modules/pb/pb.hpp"

namespace cp::modules {

inline const std::vector<std::string> kPbPhases = {"information", "proposals", "supports", "voting", "results"};
inline const std::vector<std::string> kPbBallotKinds = {"approval", "cumulative", "knapsack"};

// The most Add1 raises a web count may make (see pb::TallyOptions). A raise is one pound per voter;
// ten thousand covers any sensible budget while keeping a count under a second.
inline constexpr int kPbWebAdd1Steps = 10000;

struct PbProcessInput {
  std::string title, description, ballot_kind = "approval";
  std::int64_t budget = 0;             // pounds; the whole budget when the process is partnership-wide
  std::int64_t max_choices = 0;        // approval: 0 for no limit
  std::int64_t min_choices = 0;        // approval and knapsack: 0 for "at least one"
  std::int64_t min_age = 0;            // 0: any age may vote
  std::string postcodes;               // a partnership-wide process: who may vote (see PbArea)
  std::int64_t points = 0;             // cumulative: the points each voter spreads
  std::string currency = "GBP";
  bool per_area = false;
  // Phase start dates, YYYY-MM-DD or empty, one per kPbPhases entry.
  std::vector<std::string> dates = std::vector<std::string>(5);
  // Per-area processes: "Name: budget" lines.
  std::vector<std::pair<std::string, std::int64_t>> areas;
  // Per area, in the same order as `areas` (may be shorter): "North: 5000 | CF10 1, CF10 2 | 1-3".
  struct AreaRules {
    std::string postcodes;
    std::int64_t min_choices = 0, max_choices = 0;
  };
  std::vector<AreaRules> area_rules;
};

struct PbArea {
  std::int64_t id = 0;
  std::string name;
  std::int64_t budget = 0;
  // Postcode districts ("CF10"), sectors ("CF10 1") or whole postcodes, comma separated, whose
  // residents vote here; empty when anyone in the partnership may.
  std::string postcodes;
  std::int64_t min_choices = 0, max_choices = 0;  // 0: the process's own
};

struct PbProcess : PbProcessInput {
  std::int64_t id = 0;
  std::string phase = "information";
  std::int64_t ballot_generation = 0;
  bool imported = false;
  std::vector<PbArea> area_list;
  const PbArea* area(std::int64_t id) const;
  std::int64_t min_for(const PbArea& a) const { return a.min_choices > 0 ? a.min_choices : min_choices; }
  std::int64_t max_for(const PbArea& a) const { return a.max_choices > 0 ? a.max_choices : max_choices; }
};

struct PbProposal {
  std::int64_t id = 0, process_id = 0, area_id = 0, cost = 0;
  std::optional<std::int64_t> proposer_id;
  std::string title, description, status = "submitted", reject_reason, proposer_name, external_id;
  std::int64_t supports = 0, created_at = 0;
  std::string summary, title_cy, summary_cy;
  std::string place_uuid, place_name, postcode;  // where: a directory place and/or a postcode
  std::optional<std::int64_t> organisation_id;   // proposed on behalf of this organisation
  std::string organisation_name;
  std::optional<std::int64_t> delivery_org_id;   // the organisation delivering it once funded
  std::string delivery_org_name;
};

// The optional parts of a proposal a form gives beyond title, description and cost.
struct PbProposalExtra {
  std::string summary, title_cy, summary_cy, place_uuid, place_name, postcode;
  std::optional<std::int64_t> organisation_id;
  std::string organisation_name;
};

struct PbComment {
  std::int64_t id = 0, user_id = 0, created_at = 0;
  std::string author, body, hidden_reason;
  bool hidden = false;
};

// A candidate commissioning priority with its ratings: means are in hundredths (350 is 3.5 out of 5)
// so the gap is exact and sorts the same on both databases.
struct PbPriority {
  std::int64_t id = 0, ratings = 0, importance = 0, satisfaction = 0;
  std::string title, description;
  std::int64_t gap() const { return importance - satisfaction; }
};

// One step in delivering a funded project; it is done once `done` (a date) is set.
struct PbMilestone {
  std::int64_t id = 0, proposal_id = 0;
  std::string title, due, done, note;
};

// A ballot as entered: proposal id -> points (1 for approval and knapsack).
using PbChoices = std::vector<std::pair<std::int64_t, std::int64_t>>;

struct PbProblem {
  std::string field, key;
  std::vector<std::pair<std::string, std::string>> args;
};

struct PbBallot {
  std::int64_t id = 0, area_id = 0, updated_at = 0;
  PbChoices choices;
  bool assisted = false;
  std::string paper_ref, voter_name, eligibility;
};

// What a voter (or the worker entering their paper ballot) says to show they may vote in an area.
struct PbEligibilityInput {
  std::string postcode, dob_day, dob_month, dob_year;
  bool age_confirmed = false;   // "I am {age} or older" ticked
  bool lives_in_area = false;   // "I live in {area}" ticked: the fallback when a postcode is not known
};
// The decision. `problems` are mistakes to correct (400); `refusal` is a real "you may not" (403),
// with its message key and arguments. When allowed, `how` says what was checked, for the ballot row.
struct PbEligibility {
  bool allowed = false;
  std::vector<PbProblem> problems;
  std::optional<PbProblem> refusal;
  bool ask_lives_in_area = false;  // the postcode is not in the postcode table: offer the tick box
  std::string how;
};
// Whether anything needs asking before a ballot in this area.
bool pb_needs_postcode(const PbArea& a);
// Days since 1970 of today (UTC), and of a date; nullopt for a date that does not exist.
std::int64_t pb_today();
std::optional<std::int64_t> pb_days(int y, int m, int d);
// Decides eligibility. `known` says whether a (normalised, full) postcode is in the postcode table;
// it is a callback so the decision itself needs no database and can be tested on its own.
PbEligibility pb_check_eligibility(const PbProcess& p, const PbArea& area, const PbEligibilityInput& in,
                                   std::int64_t today, const std::function<bool(const std::string&)>& known);
// True when `postcode` (normalised, "CF10 1AA") falls in a comma-separated list of districts, sectors
// or postcodes.
bool pb_postcode_in(const std::string& postcode, const std::string& list);
// The list tidied for storage ("cf10 1,CF11" -> "CF10 1, CF11"); nullopt when an entry is no
// district, sector or postcode.
std::optional<std::string> pb_tidy_postcodes(const std::string& list);

// One area's counted result under one rule, with names resolved for display.
struct PbProjectResult {
  std::int64_t proposal_id = 0, cost = 0, supporters = 0, score = 0;
  std::string key;  // its project id in the Pabulib file the count read
  std::string title;
  bool selected = false;
  int position = 0;
  std::string reason;                // pb::reason_code
  std::int64_t budget_left = -1;     // greedy and completion: what was left when its turn came
  std::int64_t spent_on = 0;         // MES, not chosen: the chosen project its supporters paid most towards
  std::string spent_on_title;
  // MES, chosen: what each supporter paid in pence when they all paid the same (-1 when not), how
  // many paid all they had left instead, and the price per point (cumulative ballots) in pence.
  std::int64_t share_paid = -1, ran_out = 0;
  std::string price;
};
// What the voters with one kind of ballot spent under equal shares: the same ballot spends the
// same, so "your share" is found from a voter's own choices without naming anyone.
struct PbBallotSpend {
  std::string ballot;  // its project ids and points, sorted: "3:1 7:1"
  std::int64_t voters = 0, spent = 0;  // spent by each, in pence
};
struct PbRuleResult {
  std::string rule;
  std::vector<PbProjectResult> projects;  // chosen ones in order of choice, then the rest by votes
  std::int64_t cost = 0, voters = 0, voters_with_a_project = 0;
  int add1_steps = 0;
  bool step_limit = false;
  std::int64_t voter_share = 0;  // MES: each voter's money, in pence
  std::int64_t spent_all = 0, spent_some = 0, spent_none = 0;
  std::vector<PbBallotSpend> spending;
};
struct PbAreaResult {
  std::int64_t area_id = 0, budget = 0, ballots = 0;
  std::string area_name;
  PbRuleResult greedy, equal_shares;
};
struct PbResults {
  std::int64_t generation = 0, computed_at = 0;
  std::vector<PbAreaResult> areas;
};

// "£1,500" for a process in pounds, "1,500 EUR" for another currency.
std::string pb_money(const PbProcess& p, std::int64_t amount);

namespace pb_policy {
bool can_view(const std::optional<auth::Actor>& a, const PbProcess& p);  // everyone: PB is public
bool can_manage(const std::optional<auth::Actor>& a);                   // create, edit, phases, review
bool can_propose(const std::optional<auth::Actor>& a, const PbProcess& p);
bool can_support(const std::optional<auth::Actor>& a, const PbProcess& p);
bool can_comment(const std::optional<auth::Actor>& a, const PbProcess& p);
bool can_moderate(const std::optional<auth::Actor>& a);
bool can_vote(const std::optional<auth::Actor>& a, const PbProcess& p);
bool can_enter_paper(const std::optional<auth::Actor>& a, const PbProcess& p);  // workers and up, in voting
bool can_see_results(const std::optional<auth::Actor>& a, const PbProcess& p);
bool can_rate_priorities(const std::optional<auth::Actor>& a, const PbProcess& p);
// Milestones and progress of funded projects. Proposals carry no link to a delivering
// organisation, so only admins record delivery.
bool can_track_delivery(const std::optional<auth::Actor>& a, const PbProcess& p);
// The organisation assigned to deliver a funded project: its workers and managers update it too.
bool can_update_delivery(const std::optional<auth::Actor>& a, const PbProcess& p, const PbProposal& pr);
// Proposing on behalf of an organisation: its workers and managers.
bool can_propose_for(const std::optional<auth::Actor>& a, std::int64_t organisation_id);
}  // namespace pb_policy

namespace pb_store {
std::vector<PbProblem> validate(const PbProcessInput& in);
std::int64_t create_process(store::Scope& s, const PbProcessInput& in, const std::string& phase = "information",
                            const std::string& source_hash = "");
// Changes the text, dates and budgets. The ballot rules and areas are fixed once voting opened.
bool update_process(store::Scope& s, std::int64_t id, const PbProcessInput& in);
bool set_phase(store::Scope& s, std::int64_t id, const std::string& phase);
std::optional<PbProcess> get_process(store::Scope& s, std::int64_t id);
std::vector<PbProcess> list_processes(store::Scope& s);
std::optional<std::int64_t> find_by_source(store::Scope& s, const std::string& source_hash);

std::vector<PbProblem> validate_proposal(const PbProcess& p, const std::string& title, const std::string& description,
                                         const std::string& cost, std::int64_t area_id, std::int64_t& cost_out);
// Lengths of the summary and the Welsh versions.
std::vector<PbProblem> validate_extra(const PbProposalExtra& x);
// Stores the optional parts on a proposal just added.
void set_proposal_extra(store::Scope& s, std::int64_t process_id, std::int64_t id, const PbProposalExtra& x);
// Assigns (or with nullopt clears) the organisation delivering a funded project.
void set_delivery_org(store::Scope& s, std::int64_t proposal_id, std::optional<std::int64_t> org, const std::string& name);
std::int64_t add_proposal(store::Scope& s, const PbProcess& p, std::int64_t area_id, const std::string& title,
                          const std::string& description, std::int64_t cost, std::optional<std::int64_t> proposer,
                          const std::string& proposer_name, const std::string& status = "submitted",
                          const std::string& external_id = "");
std::optional<PbProposal> get_proposal(store::Scope& s, std::int64_t process_id, std::int64_t id);
// Every proposal of a process; `accepted_only` for the ballot and the count.
std::vector<PbProposal> proposals(store::Scope& s, std::int64_t process_id, bool accepted_only = false);
bool review_proposal(store::Scope& s, std::int64_t process_id, std::int64_t id, bool accept, const std::string& reason);

// Returns false when this person already supports it.
bool support(store::Scope& s, std::int64_t proposal_id, std::int64_t user_id);
bool supports(store::Scope& s, std::int64_t proposal_id, std::int64_t user_id);
// `author` is the name shown with the comment, as the commenter's account had it then.
std::int64_t add_comment(store::Scope& s, std::int64_t proposal_id, std::int64_t user_id, const std::string& author,
                         const std::string& body);
std::vector<PbComment> comments(store::Scope& s, std::int64_t proposal_id);
bool hide_comment(store::Scope& s, std::int64_t proposal_id, std::int64_t comment_id, const std::string& reason);

std::int64_t add_priority(store::Scope& s, std::int64_t process_id, const std::string& title, const std::string& description);
// Every priority of the process with its mean ratings, the biggest gap (importance minus
// satisfaction) first; priorities nobody has rated come last.
std::vector<PbPriority> priorities(store::Scope& s, std::int64_t process_id);
// Stores or replaces one rater's importance and satisfaction (each 1 to 5) for a priority.
void rate_priority(store::Scope& s, std::int64_t priority_id, const std::string& rater_key, int importance,
                   int satisfaction);
// This rater's ratings: priority id -> (importance, satisfaction).
std::map<std::int64_t, std::pair<int, int>> my_ratings(store::Scope& s, std::int64_t process_id,
                                                        const std::string& rater_key);

// Delivery tracking of funded projects. A date is YYYY-MM-DD and real (no 31 April).
bool valid_calendar_date(const std::string& d);
std::vector<PbMilestone> milestones(store::Scope& s, std::int64_t proposal_id);
std::optional<PbMilestone> get_milestone(store::Scope& s, std::int64_t proposal_id, std::int64_t id);
std::int64_t add_milestone(store::Scope& s, const PbMilestone& m);
bool update_milestone(store::Scope& s, const PbMilestone& m);
// Percent done, 0 to 100; a project nobody has reported on is at 0.
int progress(store::Scope& s, std::int64_t proposal_id);
void set_progress(store::Scope& s, std::int64_t proposal_id, int percent);

// Checks a ballot against the process's rules (budget, number of choices, points).
std::vector<PbProblem> validate_ballot(const PbProcess& p, const PbArea& area, const std::vector<PbProposal>& on_ballot,
                                       const PbChoices& choices);
// Stores or replaces the voter's one ballot in this area; returns true when it replaced one.
// `voter_key` is "user:<id>" for an account, "paper:<reference>" for an assisted paper ballot.
bool cast_ballot(store::Scope& s, const PbProcess& p, std::int64_t area_id, const std::string& voter_key,
                 const PbChoices& choices, std::optional<std::int64_t> user_id, bool assisted = false,
                 const std::string& paper_ref = "", const std::string& voter_name = "",
                 const std::string& eligibility = "");
std::optional<PbBallot> ballot(store::Scope& s, std::int64_t process_id, std::int64_t area_id, const std::string& voter_key);
std::int64_t ballot_count(store::Scope& s, std::int64_t process_id, std::int64_t area_id);
// A ballot as the count's spending list names it ("12:1 7:1"), from the accepted proposals.
std::string ballot_key(const std::vector<PbProposal>& accepted, const PbChoices& choices);

// The area's ballots and accepted proposals as a Pabulib file; voters are numbered 1, 2 ... in the
// order their ballots were first cast, so no account or paper reference leaves the partnership.
std::string export_area(store::Scope& s, const PbProcess& p, const PbArea& area, const std::string& partnership_name);
// Counts every area (greedy and equal shares), or returns the stored count when no ballot has
// changed since. Only processes in the results phase are counted.
PbResults results(store::Scope& s, const PbProcess& p, const std::string& partnership_name);
// The stored count, when it is still that of the current ballots.
std::optional<PbResults> cached_results(store::Scope& s, const PbProcess& p);
// Counts one Pabulib election as the web does. Exposed for tests and the CLI.
PbAreaResult count_election(const pb::Election& e, std::int64_t area_id, const std::string& area_name);

// Loads a parsed Pabulib election as a closed process (phase "results"). Throws std::invalid_argument
// ("pb.import_...") for an election the web cannot hold, or when this file was imported before.
struct ImportResult {
  std::int64_t process_id = 0;
  std::int64_t ballots = 0, projects = 0;
};
ImportResult import_election(store::Scope& s, const pb::Election& e, const std::string& source_hash,
                             const std::string& title);
// Ballots first cast in [from, to), paper ones included (counts.cpp; for the Co-Production Star).
std::int64_t ballots_cast_between(store::Scope& s, std::int64_t from, std::int64_t to);
}  // namespace pb_store

boost::json::object to_json(const PbResults& r, const PbProcess& p);

// The projects the stored equal-shares count funded (counting now if it is out of date), in the
// order chosen, area by area. Empty before results.
std::vector<PbProjectResult> pb_funded_projects(app::Ctx& ctx, const PbProcess& p);
void pb_install_delivery(app::App& a);

// The demo partnership's processes (idempotent): one in voting, one with results.
void pb_seed_demo(app::App& a, store::Scope& s);

int pb_export_command(Config cfg, const std::string& partnership, std::int64_t process, std::int64_t area,
                      const std::string& out);
int pb_import_command(Config cfg, const std::string& partnership, const std::string& file);

class PbModule : public app::Module {
 public:
  std::string name() const override { return "pb"; }
  void migrations(store::Migrations& m) const override;
  void install(app::App& a) override;
};

}  // namespace cp::modules
