// Slow, plain versions of the Method of Equal Shares (with Add1) and sequential Phragmén, written
// straight from their definitions with Boost rationals and no shortcuts. The tests compare the
// fast library against them on many small random elections, ties included.
#pragma once
#include <boost/multiprecision/cpp_int.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "modules/pb/pb.hpp"

namespace cp::pb::plain {

using Q = boost::multiprecision::cpp_rational;

enum class Utility { cost, card, points };

inline Q utility(const Election& e, const BallotItem& it, Utility u) {
  if (it.points <= 0) return 0;
  if (u == Utility::cost) return Q(e.projects[it.project].cost);
  if (u == Utility::card) return 1;
  return Q(it.points);
}

// Projects in plain string order of id: iterating in this order and replacing the best only on a
// strictly better value breaks ties by id.
inline std::vector<std::uint32_t> by_id(const Election& e) {
  std::vector<std::uint32_t> v(e.projects.size());
  for (std::uint32_t i = 0; i < v.size(); ++i) v[i] = i;
  std::sort(v.begin(), v.end(), [&](auto a, auto b) { return e.projects[a].id < e.projects[b].id; });
  return v;
}

inline std::vector<std::uint32_t> mes_once(const Election& e, Utility util, const Q& share) {
  std::size_t B = e.ballots.size();
  std::vector<Q> money(B, share);
  std::vector<std::uint32_t> chosen;
  std::vector<bool> taken(e.projects.size(), false), backed(e.projects.size(), false);
  for (const auto& b : e.ballots)
    for (const auto& it : e.items_of(b))
      if (utility(e, it, util) > 0) backed[it.project] = true;
  for (auto p : by_id(e))
    if (backed[p] && e.projects[p].cost == 0) {
      chosen.push_back(p);
      taken[p] = true;
    }
  for (;;) {
    bool found = false;
    std::uint32_t best = 0;
    Q best_rho;
    for (auto p : by_id(e)) {
      if (taken[p] || !backed[p]) continue;
      struct S {
        Q money, u;
        std::int64_t w;
      };
      std::vector<S> sup;
      Q total = 0;
      for (std::size_t j = 0; j < B; ++j)
        for (const auto& it : e.items_of(e.ballots[j]))
          if (it.project == p && utility(e, it, util) > 0) {
            sup.push_back({money[j], utility(e, it, util), e.ballots[j].voters});
            total += money[j] * e.ballots[j].voters;
          }
      Q cost = e.projects[p].cost;
      if (total < cost) continue;
      std::sort(sup.begin(), sup.end(), [](const S& a, const S& b) { return a.money / a.u < b.money / b.u; });
      Q rest = cost, U = 0;
      for (const auto& s : sup) U += s.u * s.w;
      Q rho = -1;
      for (const auto& s : sup) {
        Q r = rest / U;
        if (r * s.u <= s.money) {
          rho = r;
          break;
        }
        rest -= s.money * s.w;
        U -= s.u * s.w;
      }
      if (rho < 0) continue;
      if (!found || rho < best_rho) {
        found = true;
        best = p;
        best_rho = rho;
      }
    }
    if (!found) return chosen;
    chosen.push_back(best);
    taken[best] = true;
    for (std::size_t j = 0; j < B; ++j)
      for (const auto& it : e.items_of(e.ballots[j]))
        if (it.project == best) {
          Q pay = best_rho * utility(e, it, util);
          money[j] -= std::min(money[j], pay);
        }
  }
}

inline std::vector<std::uint32_t> mes(const Election& e, Utility util, bool add1) {
  if (e.voter_count() == 0) return {};
  Q share = Q(e.budget) / e.voter_count();
  auto out = mes_once(e, util, share);
  if (!add1) return out;
  std::vector<bool> backed(e.projects.size(), false);
  for (const auto& b : e.ballots)
    for (const auto& it : e.items_of(b))
      if (utility(e, it, util) > 0) backed[it.project] = true;
  std::vector<std::uint32_t> previous;
  for (auto p : by_id(e))
    if (backed[p] && e.projects[p].cost == 0) previous.push_back(p);
  for (;;) {
    std::int64_t cost = 0;
    for (auto p : out) cost += e.projects[p].cost;
    if (cost > e.budget) return previous;
    bool exhaustive = true;
    for (std::uint32_t p = 0; p < e.projects.size(); ++p)
      if (backed[p] && e.projects[p].cost > 0 && std::find(out.begin(), out.end(), p) == out.end() &&
          cost + e.projects[p].cost <= e.budget)
        exhaustive = false;
    if (exhaustive) return out;
    previous = out;
    share += e.money_scale;
    out = mes_once(e, util, share);
  }
}

inline std::vector<std::uint32_t> phragmen(const Election& e) {
  std::vector<Q> load(e.ballots.size(), 0);
  std::vector<bool> taken(e.projects.size(), false);
  std::vector<std::uint32_t> chosen;
  std::int64_t spent = 0;
  for (;;) {
    std::vector<std::uint32_t> tied;
    bool any = false, best_inf = true;
    Q best;
    for (auto p : by_id(e)) {
      if (taken[p] || e.projects[p].cost > e.budget) continue;
      any = true;
      Q sum = 0;
      std::int64_t n = 0;
      for (std::size_t j = 0; j < e.ballots.size(); ++j)
        for (const auto& it : e.items_of(e.ballots[j]))
          if (it.project == p) {
            sum += load[j] * e.ballots[j].voters;
            n += e.ballots[j].voters;
          }
      if (n == 0) {
        if (best_inf) tied.push_back(p);
        continue;
      }
      Q l = (sum + e.projects[p].cost) / n;
      if (best_inf || l < best) {
        best_inf = false;
        best = l;
        tied = {p};
      } else if (l == best) {
        tied.push_back(p);
      }
    }
    if (!any) return chosen;
    for (auto p : tied)
      if (spent + e.projects[p].cost > e.budget) return chosen;
    std::uint32_t p = tied.front();
    taken[p] = true;
    chosen.push_back(p);
    spent += e.projects[p].cost;
    if (best_inf) continue;
    for (std::size_t j = 0; j < e.ballots.size(); ++j)
      for (const auto& it : e.items_of(e.ballots[j]))
        if (it.project == p) load[j] = best;
  }
}

}  // namespace cp::pb::plain
