// Participatory budgeting counts: reading Pabulib `.pb` files and counting them with the rules
// of pabutools (greedy, Method of Equal Shares with its completions, sequential Phragmén).
//
// This is a library: it needs no server, database or catalogue. Results carry reason codes and
// numbers, never sentences; the words for each code are in messages/en.json ("reason_<code>").
//
// Money. Costs and the budget are decimals in the file. They are kept as whole numbers of the
// smallest unit any of them uses (Election::money_scale is 10^decimals), so sums and budget
// checks are exact integer arithmetic.
//
// Ties. Every rule breaks ties the way the reference (pabutools) does: by project id compared as
// a plain byte string ("10" comes before "9").
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cp::pb {

enum class VoteType { approval, choose_one, cumulative, scoring, ordinal };
// The name used in a file's META `vote_type` ("choose-1" for choose_one).
std::string_view vote_type_name(VoteType t);

struct Project {
  std::string id, name;
  std::int64_t cost = 0;  // in units of 1/money_scale
  int line = 0;           // where it is in the file
};

// One project on a ballot and what the ballot gives it. Approval and choose-1: 1. Cumulative and
// scoring: the points, in units of 1/points_scale. Ordinal: L - i for the i-th project listed
// (0-based), L being META `max_length` or else the number of projects.
struct BallotItem {
  std::uint32_t project = 0;
  std::int64_t points = 0;
};

// Voters whose ballots are identical are counted together: every rule treats them alike, and real
// elections have many repeated ballots. A ballot's items are a run of Election::items: ordinal
// ballots best first, the others in project order.
struct Ballot {
  std::uint32_t first = 0, count = 0;
  std::int64_t voters = 0;
};

struct Election {
  std::vector<std::pair<std::string, std::string>> meta;  // in file order
  VoteType vote_type = VoteType::approval;
  std::int64_t budget = 0;  // in units of 1/money_scale
  std::int64_t money_scale = 1;
  std::int64_t points_scale = 1;
  std::vector<Project> projects;  // in file order
  std::vector<Ballot> ballots;
  std::vector<BallotItem> items;            // every ballot's items, one run per ballot
  std::vector<std::string> voter_ids;       // in file order
  std::vector<std::uint32_t> voter_ballot;  // voter -> index in ballots

  std::int64_t voter_count() const { return static_cast<std::int64_t>(voter_ids.size()); }
  std::span<const BallotItem> items_of(const Ballot& b) const { return {items.data() + b.first, b.count}; }
  const std::string* meta_value(std::string_view key) const;
  // An amount in units of 1/money_scale as an exact decimal ("1716138.17", "40000").
  std::string money(std::int64_t units) const;
};

// A file that is not valid Pabulib. Nothing is returned with it: parsing is all or nothing.
// `key` names the message ("pb.<key>" in the catalogue); `args` fill its {placeholders} and always
// include "line" (and "field" where one field is at fault).
struct ParseError : std::runtime_error {
  ParseError(int line, std::string field, std::string key, std::vector<std::pair<std::string, std::string>> args);
  int line = 0;
  std::string field, key;
  std::vector<std::pair<std::string, std::string>> args;
};

Election parse_pabulib(std::string_view text);
// Reads and parses a file. A file that cannot be read is a ParseError with line 0 ("cannot_read").
Election read_pabulib_file(const std::string& path);

// ---------------------------------------------------------------- rules

// The rules that apply to a ballot type, in the order `--rule all` prints them.
//   approval, choose-1: greedy, mes_cost, mes_card, mes_cost_add1, mes_card_add1,
//                       mes_cost_add1_greedy, mes_card_add1_greedy, phragmen
//   cumulative, scoring: greedy, greedy_votes, mes_add, mes_add_add1, mes_add_add1_greedy
//   ordinal:            greedy, greedy_votes, mes_pos, mes_pos_add1, mes_pos_add1_greedy
std::vector<std::string> rules_for(VoteType t);
bool is_known_rule(std::string_view rule);

// Why a project was or was not chosen. The catalogue has "reason_<code>" for each.
enum class Reason {
  fitted,              // greedy: it fitted in what was left of the budget
  no_room,             // greedy: it did not fit in what was left
  over_budget,         // it costs more than the whole budget
  bought_with_shares,  // MES: its supporters' equal shares paid for it, cheapest per unit of support
  shares_too_small,    // MES: its supporters' equal shares could not cover its cost
  no_supporters,       // nobody backed it (MES and Phragmén never choose it)
  worth_nothing,       // MES with cost utilities: it costs nothing, so it is worth nothing to MES
  free,                // MES: it costs nothing and someone backed it, so it is taken first
  added_by_greedy,     // MES with greedy completion: added afterwards because it fitted
  lowest_load,         // Phragmén: its supporters' highest load after buying it was the lowest
  count_stopped,       // Phragmén: the count stopped (a project would have gone over the budget)
};
std::string_view reason_code(Reason r);

struct ProjectResult {
  std::uint32_t project = 0;
  bool selected = false;
  int position = 0;  // 1 for the first project chosen; 0 when not chosen
  Reason reason = Reason::no_room;
  std::int64_t supporters = 0;  // voters who backed it
  std::string score;            // approvals, or total points (greedy ranks by this)
  std::string cost;
  std::string budget_left;  // greedy, completion, Phragmén: what was left when its turn came
  // MES, chosen: what one supporter paid per unit of support (ρ), and, when every supporter values
  // it the same, what each supporter who still had enough paid.
  std::string price, share_paid;
  std::int64_t supporters_ran_out = 0;  // MES, chosen: supporters who paid all they had left
  // MES, not chosen: all its supporters had left when it dropped out (less than its cost), and the
  // number of projects chosen by then.
  std::string supporters_money;
  int dropped_after = 0;
  // Phragmén: the highest load on its supporters after buying it (chosen) or, for the project
  // that stopped the count, what it would have been.
  std::string load;
};

struct Outcome {
  std::string rule;
  std::vector<std::uint32_t> selected;  // in the order the rule chose them
  std::int64_t cost = 0;                // total, in units of 1/money_scale
  std::vector<ProjectResult> projects;  // one per project, in file order
  std::int64_t voters = 0;
  std::int64_t voters_with_a_project = 0;  // voters who got at least one project they backed

  // Method of Equal Shares only.
  bool equal_shares = false;
  std::string voter_share;          // each voter's money at the start of the run that counted
  int add1_steps = 0;               // how many times the share was raised by one unit of currency
  bool add1_stopped_by_overspend = false;  // the next raise would have chosen more than the budget
  bool add1_stopped_by_step_limit = false;  // TallyOptions::max_add1_steps ran out first
  std::size_t completion_from = 0;  // selected[completion_from..] were added by greedy completion
  std::vector<double> spent_by_ballot;  // what one voter with each Ballot spent (display precision)
  std::int64_t voters_spent_all = 0, voters_spent_some = 0, voters_spent_none = 0;
  std::string stopped_by;  // Phragmén: the project whose turn would have gone over the budget
};

// Counts `e` with `rule`. Throws std::invalid_argument (what() = "unknown_rule" or
// "rule_not_for_ballots") when the rule is unknown or does not apply to the ballot type.
Outcome tally(const Election& e, std::string_view rule);

struct TallyOptions {
  // The most times Add1 may raise the voters' share (0: no limit). Each raise is a full MES run, and
  // the number of raises grows with the budget and the cost of the least-backed project, so a server
  // sets a limit; the outcome is then the last one that fitted the budget, and says so.
  int max_add1_steps = 0;
};
Outcome tally(const Election& e, std::string_view rule, const TallyOptions& options);

// ---------------------------------------------------------------- generated elections

struct GenerateOptions {
  int voters = 100000, projects = 150, approvals = 10;
  std::uint64_t seed = 1;
};
// A city-wide approval election in Pabulib format, the same for the same options: project
// popularity varies (a few popular projects, a long tail), costs run from 10,000 to 500,000, and
// the budget is about a third of the total cost.
std::string generate_pabulib(const GenerateOptions& o);

}  // namespace cp::pb
