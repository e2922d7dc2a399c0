// The rules, and the explanation of every result. The Method of Equal Shares itself is in mes.cpp.
//
// Semantics follow pabutools 1.2 (the reference that computed data/pabulib/expected.json):
//   * greedy ranks projects by score (approvals, or total points; a total below zero counts as
//     zero), ties by id, and takes each project that still fits. Projects nobody backed rank
//     last but are still taken if they fit, as in pabutools.
//   * MES leaves out projects nobody backed; projects that cost nothing and someone backed are
//     taken before the count. Add1's "exhaustive" looks only at the projects MES counts; the
//     greedy completion afterwards looks at every project.
//   * sequential Phragmén counts only projects within the budget, and stops as soon as any
//     project tied for the lowest load would go over the budget (even if the one the tie-break
//     picks would fit).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "modules/pb/exact.hpp"
#include "modules/pb/mes.hpp"
#include "modules/pb/pb.hpp"

namespace cp::pb {

using detail::Int;

std::string_view reason_code(Reason r) {
  switch (r) {
    case Reason::fitted: return "fitted";
    case Reason::no_room: return "no_room";
    case Reason::over_budget: return "over_budget";
    case Reason::bought_with_shares: return "bought_with_shares";
    case Reason::shares_too_small: return "shares_too_small";
    case Reason::no_supporters: return "no_supporters";
    case Reason::worth_nothing: return "worth_nothing";
    case Reason::free: return "free";
    case Reason::added_by_greedy: return "added_by_greedy";
    case Reason::lowest_load: return "lowest_load";
    case Reason::count_stopped: return "count_stopped";
  }
  return "fitted";
}

std::vector<std::string> rules_for(VoteType t) {
  switch (t) {
    case VoteType::approval:
    case VoteType::choose_one:
      return {"greedy",        "mes_cost",    "mes_card",    "mes_cost_add1", "mes_card_add1", "mes_cost_add1_greedy",
              "mes_card_add1_greedy", "phragmen"};
    case VoteType::cumulative:
    case VoteType::scoring: return {"greedy", "greedy_votes", "mes_add", "mes_add_add1", "mes_add_add1_greedy"};
    case VoteType::ordinal: return {"greedy", "greedy_votes", "mes_pos", "mes_pos_add1", "mes_pos_add1_greedy"};
  }
  return {};
}

bool is_known_rule(std::string_view rule) {
  for (auto t : {VoteType::approval, VoteType::cumulative, VoteType::ordinal})
    for (const auto& r : rules_for(t))
      if (r == rule) return true;
  return false;
}

namespace {

std::string points_text(const Election& e, __int128 v) {
  return detail::ratio_to_decimal(detail::from_i128(v), 1, e.points_scale, 9);
}

std::string money_text(const Election& e, __int128 units) {
  return detail::ratio_to_decimal(detail::from_i128(units), 1, e.money_scale, 9);
}

// Display only: an amount held as a double (MES shares), to the penny.
std::string money_double(const Election& e, double units) {
  double v = std::round(units / static_cast<double>(e.money_scale) * 100) / 100;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", v == 0 ? 0.0 : v);
  std::string s = buf;
  if (s.size() > 3 && s.substr(s.size() - 3) == ".00") s.resize(s.size() - 3);
  return s;
}

std::string number_double(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// Plain string order of ids, as pabutools' lexicographic tie-breaking.
std::vector<std::uint32_t> id_ranks(const Election& e) {
  std::vector<std::uint32_t> by_id(e.projects.size()), rank(e.projects.size());
  std::iota(by_id.begin(), by_id.end(), 0);
  std::sort(by_id.begin(), by_id.end(), [&](auto a, auto b) { return e.projects[a].id < e.projects[b].id; });
  for (std::uint32_t i = 0; i < by_id.size(); ++i) rank[by_id[i]] = i;
  return rank;
}

struct Scores {
  std::vector<__int128> points;            // Σ voters · points (approval: approvals)
  std::vector<std::int64_t> supporters;    // voters giving it more than nothing
};

Scores scores_of(const Election& e) {
  Scores s;
  s.points.assign(e.projects.size(), 0);
  s.supporters.assign(e.projects.size(), 0);
  for (const auto& b : e.ballots)
    for (const auto& it : e.items_of(b)) {
      s.points[it.project] += static_cast<__int128>(b.voters) * it.points;
      if (it.points > 0) s.supporters[it.project] += b.voters;
    }
  return s;
}

Outcome start(const Election& e, std::string_view rule, const Scores& s) {
  Outcome o;
  o.rule = std::string(rule);
  o.voters = e.voter_count();
  o.projects.resize(e.projects.size());
  for (std::uint32_t p = 0; p < e.projects.size(); ++p) {
    auto& r = o.projects[p];
    r.project = p;
    r.supporters = s.supporters[p];
    r.score = points_text(e, s.points[p]);
    r.cost = e.money(e.projects[p].cost);
  }
  return o;
}

void finish(const Election& e, Outcome& o) {
  std::vector<std::uint8_t> chosen(e.projects.size(), 0);
  __int128 cost = 0;
  for (std::size_t i = 0; i < o.selected.size(); ++i) {
    auto p = o.selected[i];
    chosen[p] = 1;
    cost += e.projects[p].cost;
    o.projects[p].selected = true;
    o.projects[p].position = static_cast<int>(i + 1);
  }
  o.cost = static_cast<std::int64_t>(cost);
  o.voters_with_a_project = 0;
  for (const auto& b : e.ballots)
    for (const auto& it : e.items_of(b))
      if (it.points > 0 && chosen[it.project]) {
        o.voters_with_a_project += b.voters;
        break;
      }
}

// Greedy from a partial selection: projects ranked by `key` (higher first; ties by id), each
// taken if it fits in what is left. Explains every project it looks at.
void greedy_fill(const Election& e, const std::vector<__int128>& key, const std::vector<std::uint32_t>& rank, Outcome& o,
                 Reason taken_reason) {
  std::vector<std::uint8_t> in(e.projects.size(), 0);
  __int128 left = e.budget;
  for (auto p : o.selected) {
    in[p] = 1;
    left -= e.projects[p].cost;
  }
  std::vector<std::uint32_t> order;
  for (std::uint32_t p = 0; p < e.projects.size(); ++p)
    if (!in[p]) order.push_back(p);
  std::sort(order.begin(), order.end(), [&](auto a, auto b) {
    __int128 ka = std::max<__int128>(key[a], 0), kb = std::max<__int128>(key[b], 0);
    return ka != kb ? ka > kb : rank[a] < rank[b];
  });
  for (auto p : order) {
    auto& r = o.projects[p];
    r.budget_left = money_text(e, left);
    if (e.projects[p].cost <= left) {
      o.selected.push_back(p);
      left -= e.projects[p].cost;
      r.reason = taken_reason;
    } else {
      r.reason = e.projects[p].cost > e.budget ? Reason::over_budget : Reason::no_room;
    }
  }
}

// ---------------------------------------------------------------- MES

enum class Utility { cost, card, points };

detail::MesInput mes_input(const Election& e, Utility util, const std::vector<std::uint32_t>& rank) {
  detail::MesInput in;
  std::size_t P = e.projects.size(), B = e.ballots.size();
  in.projects = P;
  in.id_rank = rank;
  in.voters = e.voter_count();
  in.cost.resize(P);
  for (std::size_t p = 0; p < P; ++p) in.cost[p] = e.projects[p].cost;
  auto utility = [&](const BallotItem& it) -> std::int64_t {
    if (it.points <= 0) return 0;
    switch (util) {
      case Utility::cost: return e.projects[it.project].cost;
      case Utility::card: return 1;
      case Utility::points: return it.points;
    }
    return 0;
  };
  in.weight.resize(B);
  in.weightf.resize(B);
  in.b_off.assign(B + 1, 0);
  std::vector<std::uint32_t> count(P, 0);
  for (std::size_t j = 0; j < B; ++j) {
    in.weight[j] = e.ballots[j].voters;
    in.weightf[j] = static_cast<double>(e.ballots[j].voters);
    for (const auto& it : e.items_of(e.ballots[j])) {
      std::int64_t u = utility(it);
      if (u <= 0) continue;
      in.b_items.push_back({it.project, u});
      ++count[it.project];
    }
    in.b_off[j + 1] = static_cast<std::uint32_t>(in.b_items.size());
  }
  in.p_off.assign(P + 1, 0);
  for (std::size_t p = 0; p < P; ++p) in.p_off[p + 1] = in.p_off[p] + count[p];
  in.p_ballot.resize(in.b_items.size());
  in.p_util.resize(in.b_items.size());
  in.p_utilf.resize(in.b_items.size());
  std::vector<std::uint32_t> fill(in.p_off.begin(), in.p_off.end() - 1);
  for (std::size_t j = 0; j < B; ++j)
    for (auto k = in.b_off[j]; k < in.b_off[j + 1]; ++k) {
      auto p = in.b_items[k].project;
      auto at = fill[p]++;
      in.p_ballot[at] = static_cast<std::uint32_t>(j);
      in.p_util[at] = in.b_items[k].util;
      in.p_utilf[at] = static_cast<double>(in.b_items[k].util);
    }
  for (std::uint32_t p = 0; p < P; ++p) {
    if (count[p] == 0) continue;
    (e.projects[p].cost > 0 ? in.candidates : in.free_projects).push_back(p);
  }
  std::sort(in.free_projects.begin(), in.free_projects.end(), [&](auto a, auto b) { return rank[a] < rank[b]; });
  return in;
}

Outcome equal_shares(const Election& e, std::string_view rule, Utility util, bool add1, bool complete,
                     const Scores& s, const std::vector<std::uint32_t>& rank, int max_add1_steps) {
  Outcome o = start(e, rule, s);
  auto in = mes_input(e, util, rank);
  auto run = detail::equal_shares(in, e.budget, e.money_scale, add1, max_add1_steps);
  o.equal_shares = true;
  o.add1_steps = run.add1_steps;
  o.add1_stopped_by_overspend = run.stopped_by_overspend;
  o.add1_stopped_by_step_limit = run.stopped_by_step_limit;
  o.selected = run.order;
  if (e.voter_count() > 0) o.voter_share = detail::ratio_to_decimal(run.share_num, run.share_den, e.money_scale, 2);
  // ρ is money per unit of utility; shown per point, per approval, or (cost utilities) as the
  // fraction of the cost each supporter pays.
  double price_scale = util == Utility::cost ? 1.0
                       : util == Utility::card ? 1.0 / static_cast<double>(e.money_scale)
                                               : static_cast<double>(e.points_scale) / static_cast<double>(e.money_scale);
  for (std::uint32_t p = 0; p < e.projects.size(); ++p) {
    auto& r = o.projects[p];
    const auto& inf = run.info[p];
    bool backed = in.p_off[p + 1] > in.p_off[p];
    if (inf.position > 0) {
      if (e.projects[p].cost == 0) {
        r.reason = Reason::free;
      } else {
        r.reason = Reason::bought_with_shares;
        r.price = number_double(inf.price * price_scale);
        if (inf.share_paid >= 0) r.share_paid = money_double(e, inf.share_paid);
        r.supporters_ran_out = inf.ran_out;
      }
    } else if (!backed) {
      r.reason = e.projects[p].cost > e.budget ? Reason::over_budget
                 : s.supporters[p] > 0         ? Reason::worth_nothing
                                               : Reason::no_supporters;
    } else {
      r.reason = e.projects[p].cost > e.budget ? Reason::over_budget : Reason::shares_too_small;
      r.supporters_money = money_double(e, std::floor(inf.supporters_money * 100) / 100);
      r.dropped_after = inf.dropped_after;
    }
  }
  o.spent_by_ballot.resize(e.ballots.size());
  double share = e.voter_count() > 0 ? detail::ratio_to_double(run.share_num, Int(run.share_den)) : 0;
  for (std::size_t j = 0; j < e.ballots.size(); ++j) {
    double spent = run.spent.empty() ? 0 : run.spent[j];
    o.spent_by_ballot[j] = spent / static_cast<double>(e.money_scale);
    std::int64_t w = e.ballots[j].voters;
    if (spent <= share * 1e-12) o.voters_spent_none += w;
    else if (spent >= share * (1 - 1e-12)) o.voters_spent_all += w;
    else o.voters_spent_some += w;
  }
  o.completion_from = o.selected.size();
  if (complete) {
    // The completion ranks as `greedy` does: by approvals, or by total points.
    greedy_fill(e, s.points, rank, o, Reason::added_by_greedy);
    // greedy_fill explains every project it looks at; the ones it did not take keep MES's reason.
    for (std::uint32_t p = 0; p < e.projects.size(); ++p) {
      auto& r = o.projects[p];
      bool added = std::find(o.selected.begin() + static_cast<std::ptrdiff_t>(o.completion_from), o.selected.end(), p) !=
                   o.selected.end();
      if (!added && r.reason != Reason::bought_with_shares && r.reason != Reason::free) {
        bool backed = in.p_off[p + 1] > in.p_off[p];
        if (e.projects[p].cost > e.budget) r.reason = Reason::over_budget;
        else if (!backed) r.reason = s.supporters[p] > 0 ? Reason::worth_nothing : Reason::no_supporters;
        else r.reason = Reason::shares_too_small;
      }
    }
  }
  finish(e, o);
  return o;
}

// ---------------------------------------------------------------- Phragmén

Outcome phragmen(const Election& e, const Scores& s, const std::vector<std::uint32_t>& rank) {
  Outcome o = start(e, "phragmen", s);
  std::size_t P = e.projects.size();
  // Load classes: every voter's load is one of N_k / Q; all voters start in class 0 (load 0).
  Int Q = 1;
  std::vector<Int> N{0};
  std::vector<std::uint32_t> cls(e.ballots.size(), 0);
  std::vector<std::vector<std::int64_t>> in_class(P, std::vector<std::int64_t>{0});
  std::vector<std::vector<std::uint32_t>> supporters(P);
  for (std::uint32_t j = 0; j < e.ballots.size(); ++j)
    for (const auto& it : e.items_of(e.ballots[j])) {
      in_class[it.project][0] += e.ballots[j].voters;
      supporters[it.project].push_back(j);
    }
  std::vector<std::uint32_t> live;
  for (std::uint32_t p = 0; p < P; ++p) {
    if (e.projects[p].cost <= e.budget) live.push_back(p);
    else o.projects[p].reason = Reason::over_budget;
  }
  __int128 spent = 0;
  struct Cand {
    std::uint32_t p;
    Int x;  // load after buying it = x / (Q · approvals)
  };
  while (!live.empty()) {
    std::vector<Cand> best;
    bool best_inf = true;
    for (auto p : live) {
      std::int64_t a = s.supporters[p];
      if (a == 0) {
        if (best_inf) best.push_back({p, 0});  // infinite load: ties with other unbacked projects only
        continue;
      }
      Int x = Int(e.projects[p].cost) * Q;
      for (std::size_t k = 0; k < N.size(); ++k)
        if (in_class[p][k]) x += N[k] * in_class[p][k];
      if (best_inf) {
        best.clear();
        best.push_back({p, x});
        best_inf = false;
        continue;
      }
      const Cand& b = best.front();
      int cmp = Int(x * s.supporters[b.p]).compare(Int(b.x * a));
      if (cmp < 0) {
        best.clear();
        best.push_back({p, std::move(x)});
      } else if (cmp == 0) {
        best.push_back({p, std::move(x)});
      }
    }
    std::sort(best.begin(), best.end(), [&](const Cand& a, const Cand& b) { return rank[a.p] < rank[b.p]; });
    std::string left = money_text(e, e.budget - spent);
    const Cand* over = nullptr;
    for (const auto& c : best)
      if (spent + e.projects[c.p].cost > e.budget) {
        over = &c;
        break;
      }
    if (over) {
      o.stopped_by = e.projects[over->p].id;
      for (auto p : live) {
        o.projects[p].reason = Reason::count_stopped;
        o.projects[p].budget_left = left;
      }
      if (!best_inf)
        o.projects[over->p].load = detail::ratio_to_decimal(over->x, Q * s.supporters[over->p], e.money_scale, 2);
      break;
    }
    const Cand& win = best.front();
    std::uint32_t p = win.p;
    auto& r = o.projects[p];
    r.budget_left = left;
    o.selected.push_back(p);
    spent += e.projects[p].cost;
    live.erase(std::find(live.begin(), live.end(), p));
    if (best_inf) {
      r.reason = Reason::fitted;  // nobody backed it: no load to share, taken because it fits
      continue;
    }
    r.reason = Reason::lowest_load;
    Int d = Q * s.supporters[p];
    r.load = detail::ratio_to_decimal(win.x, d, e.money_scale, 2);
    // The new load joins the common denominator, and every supporter moves to its class.
    Int g = gcd(win.x, d);
    Int num = win.x / g, den = d / g;
    Int f = den / gcd(Q, den);
    if (f != 1) {
      Q *= f;
      for (auto& n : N) n *= f;
    }
    N.push_back(num * (Q / den));
    for (auto& row : in_class) row.push_back(0);
    std::uint32_t fresh = static_cast<std::uint32_t>(N.size() - 1);
    for (auto j : supporters[p]) {
      std::uint32_t old = cls[j];
      std::int64_t w = e.ballots[j].voters;
      for (const auto& it : e.items_of(e.ballots[j])) {
        in_class[it.project][old] -= w;
        in_class[it.project][fresh] += w;
      }
      cls[j] = fresh;
    }
  }
  finish(e, o);
  return o;
}

}  // namespace

Outcome tally(const Election& e, std::string_view rule) { return tally(e, rule, TallyOptions{}); }

Outcome tally(const Election& e, std::string_view rule, const TallyOptions& options) {
  if (!is_known_rule(rule)) throw std::invalid_argument("unknown_rule");
  auto allowed = rules_for(e.vote_type);
  if (std::find(allowed.begin(), allowed.end(), rule) == allowed.end()) throw std::invalid_argument("rule_not_for_ballots");
  Scores s = scores_of(e);
  auto rank = id_ranks(e);
  if (rule == "greedy" || rule == "greedy_votes") {
    Outcome o = start(e, rule, s);
    std::vector<__int128> key(e.projects.size());
    for (std::size_t p = 0; p < key.size(); ++p) key[p] = rule == "greedy" ? s.points[p] : s.supporters[p];
    greedy_fill(e, key, rank, o, Reason::fitted);
    finish(e, o);
    return o;
  }
  if (rule == "phragmen") return phragmen(e, s, rank);
  // mes_<utility>[_add1[_greedy]]
  std::string_view rest = rule.substr(4);
  Utility util = rest.starts_with("cost") ? Utility::cost : rest.starts_with("card") ? Utility::card : Utility::points;
  bool add1 = rule.find("_add1") != std::string_view::npos;
  bool complete = rule.ends_with("_greedy");
  return equal_shares(e, rule, util, add1, complete, s, rank, options.max_add1_steps);
}

}  // namespace cp::pb
