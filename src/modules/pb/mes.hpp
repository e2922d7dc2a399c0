// The Method of Equal Shares engine (internal to the pb module). count.cpp builds a MesInput from
// an election and a utility, and turns the MesRun into an Outcome with explanations.
#pragma once
#include <cstdint>
#include <vector>

#include "modules/pb/exact.hpp"

namespace cp::pb::detail {

struct MesInput {
  std::size_t projects = 0;
  std::vector<std::int64_t> cost;      // per project
  std::vector<std::uint32_t> id_rank;  // per project: its place in plain string order of ids
  // Supporters of each project (utility > 0), as offsets into ballot/util.
  std::vector<std::uint32_t> p_off, p_ballot;
  std::vector<std::int64_t> p_util;
  std::vector<double> p_utilf;
  // The projects each ballot supports, with the same utilities.
  struct Support {
    std::uint32_t project;
    std::int64_t util;
  };
  std::vector<std::uint32_t> b_off;
  std::vector<Support> b_items;
  std::vector<std::int64_t> weight;  // voters per ballot
  std::vector<double> weightf;
  std::int64_t voters = 0;
  std::vector<std::uint32_t> candidates;     // supported, costing more than nothing
  std::vector<std::uint32_t> free_projects;  // supported and costing nothing, in id order
};

struct MesProjectInfo {
  int position = 0;        // 1-based place in the selection; 0 if not chosen
  bool dropped = false;    // found unaffordable
  int dropped_after = 0;   // projects chosen when it was found unaffordable
  double price = 0;        // ρ in units of money/utility (chosen projects)
  double share_paid = -1;  // ρ·u when every supporter has the same utility, else -1
  std::int64_t ran_out = 0;      // supporters who paid all they had left
  double supporters_money = 0;   // what its supporters had left when it dropped out
};

struct MesRun {
  std::vector<std::uint32_t> order;  // free projects first, then in the order chosen
  std::vector<MesProjectInfo> info;  // per project
  std::vector<double> spent;         // per ballot: what one of its voters spent
  Int share_num;                     // each voter's starting money is share_num/share_den
  std::int64_t share_den = 1;
  int add1_steps = 0;
  bool stopped_by_overspend = false;
  bool stopped_by_step_limit = false;
};

// One run of MES, or with `add1` the Add1 completion: the voters' share starts at budget/voters and
// rises by one unit of currency (money_scale units) until the outcome is exhaustive among the
// candidates, or until it would cost more than the budget (then the previous outcome stands).
// `max_add1_steps` (0: no limit) bounds the number of raises, so a caller that must answer in time
// (a web request) gets the last affordable outcome instead of an unbounded loop.
MesRun equal_shares(const MesInput& in, std::int64_t budget, std::int64_t money_scale, bool add1,
                    int max_add1_steps = 0);

}  // namespace cp::pb::detail
