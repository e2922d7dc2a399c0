// The Method of Equal Shares, exact and fast.
//
// What is computed. Every voter starts with the same money. In each round, for each project still
// in play, ρ is the smallest number such that its supporters, each paying min(money left,
// ρ·utility), cover its cost. The project with the smallest ρ is bought (ties: the smaller id in
// plain string order, as pabutools' lexicographic tie-breaking), its supporters pay, and the rounds
// go on until no project can be paid for. A project its supporters cannot pay for now never
// becomes affordable later (money only goes down), so it is dropped for good.
//
// How it stays exact. A voter who pays all they have left has exactly nothing. Every other voter
// has paid ρ_s·u in each round s that bought a project they support, so their money is exactly
//     b0 - Σ_s u·ρ_s,
// a whole-number combination of the round prices. The engine keeps each ρ_s exactly as N_s/Q over
// one common denominator Q (big integers), so any voter's money, any sum of it and any ρ can be
// computed exactly from the ballots alone.
//
// How it stays fast. The searching is done in double precision: each voter's money as a double
// that differs from the exact value by at most E (the doubles of the exact ρ_s are within an ulp
// and everything paid adds up to at most b0, so the error after R rounds is below
// (R + 6)·2^-53·b0; E doubles that). A decision is taken from the doubles only when they prove it
// with that margin:
//   * a project is unaffordable when its supporters' money plus the margin is below its cost;
//   * ρ lies in [lo, hi] when the money function f(t) = Σ min(b, t·u) is provably below the cost
//     at lo and provably at least the cost at hi;
//   * a project wins the round when no other project's interval reaches below its upper end.
// Whatever the doubles cannot prove (ties, or a voter whose money is within the margin of what
// they would pay) is decided with the big integers. The project that wins is always priced
// exactly, because its ρ becomes part of everyone's money.
//
// Work per round: projects are looked at in order of a lower bound on their ρ (ρ never falls), and
// the looking stops once the bound passes the best upper end found, so most rounds price a few
// projects. Pricing one project is a selection (quickselect) over its paying supporters, expected
// linear time.
#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <optional>

#include "modules/pb/mes.hpp"

namespace cp::pb::detail {

namespace {

constexpr double kEps = 0x1p-53;  // double rounding: relative error of one operation
constexpr double kInf = std::numeric_limits<double>::infinity();

struct Item {
  double key;  // money / utility
  double wb;   // weight · money
  double wu;   // weight · utility
  std::uint32_t pos;  // index into MesInput::p_ballot / p_util
  std::uint32_t w;    // weight: voters with this ballot
};

// ρ = A / (Q·U) for the Q of the round it was computed in. The supporters who pay all they have
// are the items of buffer `slot` with key <= thr, or, when `listed`, those in `capped` (the others
// in `paying` pay ρ·u).
struct Exact {
  bool affordable = false;
  Int A, U;
  std::size_t slot = 0;
  double thr = 0;
  bool listed = false;
  std::vector<std::uint32_t> capped, paying;
};

// A project priced in doubles this round: ρ is proved to lie in [lo, hi]. When `certified`, the
// items of buffer `slot` with key <= thr are exactly the supporters who pay all they have.
struct Priced {
  bool affordable = false;
  double lo = 0, hi = 0;
  std::size_t slot = 0;
  double thr = 0;
  bool certified = false;
  double rho = 0, paid = 0, slope = 0;  // the double root and the two sums it came from
};

// How a project's supporters split at a threshold: those with key <= thr pay all they have.
struct Split {
  double thr = 0;
  double paid = 0;   // Σ w·b at or below the threshold
  double slope = 0;  // Σ w·u above it
  double max_capped = -kInf, min_paying = kInf;  // the keys either side
};

class Engine {
 public:
  explicit Engine(const MesInput& in) : in_(in) {
    std::size_t P = in.projects, B = in.weight.size();
    bf_.resize(B);
    alive_.resize(B);
    round_of_.assign(P, -1);
    lb0_.assign(P, 0);
    lb_.assign(P, 0);
    uniform_.assign(P, -1);
    umin_.assign(P, 1);
    umax_.assign(P, 1);
    for (double w : in.weightf) total_weight_ += w;
    for (auto p : in.candidates) {
      double total = 0;
      std::int64_t u0 = -1, umin = INT64_MAX, umax = 0;
      bool same = true;
      for (auto pos = in.p_off[p]; pos < in.p_off[p + 1]; ++pos) {
        total += in.weightf[in.p_ballot[pos]] * in.p_utilf[pos];
        if (u0 < 0) u0 = in.p_util[pos];
        same = same && in.p_util[pos] == u0;
        umin = std::min(umin, in.p_util[pos]);
        umax = std::max(umax, in.p_util[pos]);
      }
      // ρ ≥ cost / Σ w·u, since f(t) ≤ t·Σ w·u. Shaded by a few ulps so it stays a true bound.
      lb0_[p] = static_cast<double>(in.cost[p]) / total * (1 - 8 * kEps);
      if (same) uniform_[p] = u0;
      umin_[p] = static_cast<double>(umin);
      umax_[p] = static_cast<double>(umax);
    }
  }

  void run(const Int& share_num, std::int64_t share_den, MesRun& out) {
    Q_ = share_den;
    B0Q_ = share_num;
    N_.clear();
    R_ = 0;
    exact_upto_ = 0;
    round_project_.clear();
    round_U_.clear();
    dead_.clear();
    dead_off_.assign(1, 0);
    b0f_ = ratio_to_double(B0Q_, Q_);
    E_ = 2 * kEps * b0f_;
    T_ = total_weight_ * E_;
    std::fill(bf_.begin(), bf_.end(), b0f_);
    std::fill(alive_.begin(), alive_.end(), 1);
    std::fill(round_of_.begin(), round_of_.end(), -1);
    lb_ = lb0_;
    out.info.assign(in_.projects, MesProjectInfo{});
    out.order.clear();
    for (auto p : in_.free_projects) {
      out.order.push_back(p);
      out.info[p].position = static_cast<int>(out.order.size());
    }
    chosen_ = out.order.size();

    std::vector<std::uint32_t> live = in_.candidates, kept;
    while (!live.empty()) {
      std::sort(live.begin(), live.end(), [&](std::uint32_t a, std::uint32_t b) { return lb_[a] < lb_[b]; });
      double best_hi = kInf;
      priced_.clear();
      round_exact_.clear();
      // exact_for hands out references into round_exact_: no reallocation within a round.
      round_exact_.reserve(live.size());
      slots_used_ = 0;
      kept.clear();
      std::size_t i = 0;
      for (; i < live.size(); ++i) {
        std::uint32_t p = live[i];
        if (lb_[p] > best_hi) break;  // its ρ is above the best upper end: it cannot win or tie
        Priced pr = price(p);
        if (!pr.affordable) {
          auto& inf = out.info[p];
          inf.dropped = true;
          inf.dropped_after = static_cast<int>(chosen_);
          inf.supporters_money = last_money_;
          continue;
        }
        lb_[p] = std::max(lb_[p], pr.lo);
        best_hi = std::min(best_hi, pr.hi);
        priced_.emplace_back(p, pr);
        kept.push_back(p);
      }
      for (; i < live.size(); ++i) kept.push_back(live[i]);
      live.swap(kept);
      if (priced_.empty()) break;

      // Every project whose interval reaches down to the best upper end may be the cheapest.
      std::uint32_t winner = 0;
      const Exact* win = nullptr;
      std::size_t contenders = 0;
      for (const auto& [p, pr] : priced_)
        if (pr.lo <= best_hi) {
          ++contenders;
          winner = p;
        }
      if (contenders == 1) {
        const Priced* pr = nullptr;
        for (const auto& [p, x] : priced_)
          if (p == winner) pr = &x;
        if (pr->certified) {
          // The split is proved right and ρ is known to within the error bounds: no big integers.
          charge_in_doubles(winner, *pr, out);
          live.erase(std::find(live.begin(), live.end(), winner));
          continue;
        }
        win = &exact_for(winner);
      } else {
        for (const auto& [p, pr] : priced_) {
          if (pr.lo > best_hi) continue;
          const Exact& ex = exact_for(p);
          if (!ex.affordable) continue;  // cannot happen: the doubles proved it affordable
          if (!win) {
            win = &ex;
            winner = p;
            continue;
          }
          // Same Q for both: compare A_a·U_b with A_b·U_a.
          int cmp = Int(ex.A * win->U).compare(Int(win->A * ex.U));
          if (cmp < 0 || (cmp == 0 && in_.id_rank[p] < in_.id_rank[winner])) {
            win = &ex;
            winner = p;
          }
        }
      }
      if (!win || !win->affordable) break;  // defensive: nothing provably affordable
      charge(winner, *win, out);
      live.erase(std::find(live.begin(), live.end(), winner));
    }

    out.spent.resize(bf_.size());
    for (std::size_t j = 0; j < bf_.size(); ++j) out.spent[j] = alive_[j] ? b0f_ - bf_[j] : b0f_;
  }

 private:
  // A bound on the error of a sum of m terms min(w·b, t·w·u) computed in doubles, against the
  // exact money: the voters' errors add up to at most min(W·E, T), and summing m doubles each at
  // most w·b0 adds at most (m + 3) roundings of the total; doubled for safety.
  double sum_error(std::size_t m, double cost) const {
    return 2 * (std::min(weight_sum_ * E_, T_) + weight_sum_ * (static_cast<double>(m) + 4) * kEps * b0f_ + kEps * cost);
  }

  std::vector<Item>& slot(std::size_t k) { return pool_[k]; }
  std::size_t take_slot() {
    if (slots_used_ == pool_.size()) pool_.emplace_back();
    return slots_used_++;
  }

  // Copies p's supporters who still have money into buf, and splits them at thr.
  Split gather(std::uint32_t p, std::vector<Item>& buf, double thr) {
    buf.clear();
    Split sp;
    sp.thr = thr;
    double money = 0, weights = 0;
    for (auto pos = in_.p_off[p]; pos < in_.p_off[p + 1]; ++pos) {
      std::uint32_t j = in_.p_ballot[pos];
      if (!alive_[j]) continue;
      double b = bf_[j], w = in_.weightf[j], u = in_.p_utilf[pos];
      Item it{b / u, w * b, w * u, pos, static_cast<std::uint32_t>(in_.weight[j])};
      buf.push_back(it);
      money += it.wb;
      weights += w;
      if (it.key <= thr) {
        sp.paid += it.wb;
        sp.max_capped = std::max(sp.max_capped, it.key);
      } else {
        sp.slope += it.wu;
        sp.min_paying = std::min(sp.min_paying, it.key);
      }
    }
    last_money_ = money;
    weight_sum_ = weights;
    return sp;
  }

  static Split split_at(const std::vector<Item>& buf, double thr) {
    Split sp;
    sp.thr = thr;
    for (const auto& it : buf) {
      if (it.key <= thr) {
        sp.paid += it.wb;
        sp.max_capped = std::max(sp.max_capped, it.key);
      } else {
        sp.slope += it.wu;
        sp.min_paying = std::min(sp.min_paying, it.key);
      }
    }
    return sp;
  }

  // The t with Σ min(w·b, t·w·u) = c, by Newton's method from a lower bound: with the supporters
  // at or below the threshold paying all they have and the rest paying t·u, t = (c - paid)/slope
  // is again a lower bound (f is concave), so everyone at or below it pays all they have too. It
  // stops when no key lies between the threshold and t; each step is one pass, usually none or
  // one after the gathering pass. Returns -1 when even all their money is not enough.
  static double newton(const std::vector<Item>& buf, double c, Split& sp) {
    for (int step = 0; step < 64; ++step) {
      if (sp.slope <= 0) return -1;
      double t = (c - sp.paid) / sp.slope;
      if (t <= sp.min_paying) return t;
      sp = split_at(buf, t);
    }
    // Many small steps: sort once and walk (rare).
    std::vector<Item> sorted = buf;
    std::sort(sorted.begin(), sorted.end(), [](const Item& a, const Item& b) { return a.key < b.key; });
    double slope = 0;
    for (const auto& it : sorted) slope += it.wu;
    double paid = 0;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
      double t = (c - paid) / slope;
      if (t <= sorted[i].key) {
        sp = split_at(buf, i ? sorted[i - 1].key : -kInf);
        return t;
      }
      paid += sorted[i].wb;
      slope -= sorted[i].wu;
    }
    return -1;
  }

  static double money_at(const std::vector<Item>& buf, double t) {
    double s = 0;
    for (const auto& it : buf) s += std::min(it.wb, t * it.wu);
    return s;
  }

  Priced price(std::uint32_t p) {
    std::size_t k = take_slot();
    auto& buf = slot(k);
    Split sp = gather(p, buf, lb_[p]);
    double c = static_cast<double>(in_.cost[p]);
    double m = static_cast<double>(buf.size());
    double err = sum_error(buf.size(), c);
    if (last_money_ + err < c) return {};  // provably unaffordable
    if (last_money_ - err >= c) {
      double t = newton(buf, c, sp);
      if (t >= 0) {
        // If every key is clear of ρ's interval by more than a key's error, the split is the
        // exact one, and ρ = (c - paid)/slope up to the rounding of those two sums.
        double gamma = (m + 2) * kEps;
        double err_paid = 2 * (std::min(weight_sum_ * E_, T_) + gamma * (sp.paid + c));
        double lo = (c - sp.paid - err_paid) / (sp.slope * (1 + gamma)) * (1 - 4 * kEps);
        double hi = (c - sp.paid + err_paid) / (sp.slope * (1 - gamma)) * (1 + 4 * kEps);
        double key_err = (E_ + 4 * kEps * b0f_) / umin_[p];
        if (sp.max_capped + key_err <= lo && sp.min_paying - key_err >= hi)
          return {true, std::max(lo, 0.0), hi, k, sp.thr, true, t, sp.paid, sp.slope};
        // Someone's money is close to what they would pay: bound ρ by the money function itself.
        double delta = 2 * err / sp.slope + 8 * kEps * t;
        for (int tries = 0; tries < 4; ++tries, delta *= 16) {
          double h = t + delta, l = t - delta;
          if (money_at(buf, h) - err < c) continue;
          if (l > 0 && money_at(buf, l) + err >= c) continue;
          return {true, std::max(l, 0.0), h, k, sp.thr, false};
        }
      }
    }
    // Too close to call in doubles: price it exactly.
    const Exact& ex = exact_for(p);
    if (!ex.affordable) return {};
    double rho = ratio_to_double(ex.A, Q_ * ex.U);
    return {true, rho * (1 - 4 * kEps), rho * (1 + 4 * kEps), k, 0, false};
  }

  const Exact& exact_for(std::uint32_t p) {
    for (const auto& [q, ex] : round_exact_)
      if (q == p) return ex;
    catch_up();
    Exact ex;
    const Priced* pr = nullptr;
    for (const auto& [q, x] : priced_)
      if (q == p) pr = &x;
    if (pr && pr->certified) {
      aggregate(p, pr->slot, pr->thr, ex);
    } else {
      ex = exact_rho(p);
    }
    round_exact_.emplace_back(p, std::move(ex));
    return round_exact_.back().second;
  }

  // Exact money of a voter who has never paid all they had, as a numerator over Q.
  Int exact_money(std::uint32_t j) const {
    Int m = B0Q_;
    for (auto k = in_.b_off[j]; k < in_.b_off[j + 1]; ++k) {
      int r = round_of_[in_.b_items[k].project];
      if (r >= 0) m -= N_[static_cast<std::size_t>(r)] * in_.b_items[k].util;
    }
    return m;
  }

  Exact exact_rho(std::uint32_t p) {
    std::size_t k = take_slot();
    auto& buf = slot(k);
    Split sp = gather(p, buf, lb_[p]);
    double c = static_cast<double>(in_.cost[p]);
    double err = sum_error(buf.size(), c);
    if (last_money_ - err >= c && newton(buf, c, sp) >= 0) {
      Exact ex;
      if (aggregate(p, k, sp.thr, ex) && verify(buf, ex)) return ex;
    }
    return exact_walk(p);
  }

  // ρ exactly, taking the items of buffer k with key <= thr as the supporters who pay all they
  // have:  c - Σ_capped w·b = (c·Q - n·B0Q + Σ_s W_s·N_s) / Q,  W_s = Σ_capped w·u(round s).
  // False when that split cannot be right (nothing left to pay, or nobody left paying).
  bool aggregate(std::uint32_t p, std::size_t k, double thr, Exact& ex) {
    const auto& buf = slot(k);
    W_.assign(R_, 0);
    __int128 n_capped = 0, U = 0;
    for (const auto& it : buf) {
      if (it.key <= thr) {
        n_capped += it.w;
        std::uint32_t j = in_.p_ballot[it.pos];
        for (auto q = in_.b_off[j]; q < in_.b_off[j + 1]; ++q) {
          int r = round_of_[in_.b_items[q].project];
          if (r >= 0) W_[static_cast<std::size_t>(r)] += static_cast<__int128>(it.w) * in_.b_items[q].util;
        }
      } else {
        U += static_cast<__int128>(it.w) * in_.p_util[it.pos];
      }
    }
    if (U <= 0) return false;
    Int A = Int(in_.cost[p]) * Q_ - from_i128(n_capped) * B0Q_;
    for (std::size_t r = 0; r < R_; ++r)
      if (W_[r] != 0) A += from_i128(W_[r]) * N_[r];
    if (A <= 0) return false;
    ex.affordable = true;
    ex.A = std::move(A);
    ex.U = from_i128(U);
    ex.slot = k;
    ex.thr = thr;
    ex.listed = false;
    return true;
  }

  // Checks a split against the exact price: the doubles settle every supporter whose money is
  // clearly above or below ρ·u; the rest are compared exactly.
  bool verify(const std::vector<Item>& buf, const Exact& ex) const {
    double rho = ratio_to_double(ex.A, Q_ * ex.U);
    for (const auto& it : buf) {
      std::uint32_t j = in_.p_ballot[it.pos];
      double x = rho * in_.p_utilf[it.pos], b = bf_[j];
      double margin = E_ + 8 * kEps * std::max(b, x);
      bool capped = it.key <= ex.thr;
      if (capped ? b + margin < x : b - margin > x) continue;
      if (capped ? b - margin > x : b + margin < x) return false;
      int cmp = Int(exact_money(j) * ex.U).compare(Int(ex.A * in_.p_util[it.pos]));
      if (capped ? cmp > 0 : cmp < 0) return false;
    }
    return true;
  }

  // The definition, in big integers: supporters in order of money/utility; the first whose share
  // at the current price is within their money fixes ρ. Slow, and used only when the doubles
  // cannot decide.
  Exact exact_walk(std::uint32_t p) {
    struct X {
      Int m;
      std::int64_t u, w;
      std::uint32_t pos;
    };
    std::vector<X> xs;
    Int total_u = 0;
    for (auto pos = in_.p_off[p]; pos < in_.p_off[p + 1]; ++pos) {
      std::uint32_t j = in_.p_ballot[pos];
      if (!alive_[j]) continue;
      xs.push_back({exact_money(j), in_.p_util[pos], in_.weight[j], pos});
      total_u += Int(in_.weight[j]) * in_.p_util[pos];
    }
    std::sort(xs.begin(), xs.end(), [](const X& a, const X& b) { return a.m * b.u < b.m * a.u; });
    Exact ex;
    Int rest = Int(in_.cost[p]) * Q_, U = total_u;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      if (rest * xs[i].u <= xs[i].m * U) {
        ex.affordable = true;
        ex.A = rest;
        ex.U = U;
        ex.listed = true;
        for (std::size_t k = 0; k < xs.size(); ++k) (k < i ? ex.capped : ex.paying).push_back(xs[k].pos);
        return ex;
      }
      rest -= xs[i].m * xs[i].w;
      U -= Int(xs[i].w) * xs[i].u;
    }
    return ex;
  }

  // Appends ρ = A/(Q·U) to the exact prices: Q grows to lcm(Q, denominator of ρ).
  void push_exact(const Int& A, const Int& U) {
    Int d = Q_ * U;
    Int g = gcd(A, d);
    Int num = A / g, den = d / g;
    Int f = den / gcd(Q_, den);
    if (f != 1) {
      Q_ *= f;
      B0Q_ *= f;
      for (auto& n : N_) n *= f;
    }
    N_.push_back(num * (Q_ / den));
  }

  // Prices exactly the rounds bought in doubles so far, oldest first, from what was recorded
  // when each was bought (who paid all they had, and Σ w·u of the others):
  //   ρ_s = (c·Q - n·B0Q + Σ_{t<s} W_t·N_t) / (Q·U_s).
  // Only a decision the doubles cannot take needs this.
  void catch_up() {
    while (exact_upto_ < R_) {
      std::size_t s = exact_upto_;
      std::uint32_t p = round_project_[s];
      W_.assign(s, 0);
      __int128 n = 0;
      for (std::size_t k = dead_off_[s]; k < dead_off_[s + 1]; ++k) {
        std::uint32_t j = dead_[k];
        std::int64_t w = in_.weight[j];
        n += w;
        for (auto q = in_.b_off[j]; q < in_.b_off[j + 1]; ++q) {
          int r = round_of_[in_.b_items[q].project];
          if (r >= 0 && static_cast<std::size_t>(r) < s) W_[static_cast<std::size_t>(r)] += static_cast<__int128>(w) * in_.b_items[q].util;
        }
      }
      Int A = Int(in_.cost[p]) * Q_ - from_i128(n) * B0Q_;
      for (std::size_t r = 0; r < s; ++r)
        if (W_[r] != 0) A += from_i128(W_[r]) * N_[r];
      push_exact(A, from_i128(round_U_[s]));
      ++exact_upto_;
    }
  }

  // What buying p does to the voters, whichever way ρ was found. Returns Σ w over those who pay
  // all they have, and over the others.
  std::pair<double, double> pay(std::uint32_t p, double rho, const Exact* ex, const Priced* pr, MesRun& out, __int128& U) {
    auto& inf = out.info[p];
    out.order.push_back(p);
    inf.position = static_cast<int>(out.order.size());
    inf.price = rho;
    if (uniform_[p] > 0) inf.share_paid = rho * static_cast<double>(uniform_[p]);
    double w_all = 0, w_share = 0;
    U = 0;
    auto pay_all = [&](std::uint32_t pos) {
      std::uint32_t j = in_.p_ballot[pos];
      alive_[j] = 0;
      bf_[j] = 0;
      inf.ran_out += in_.weight[j];
      w_all += in_.weightf[j];
      dead_.push_back(j);
    };
    auto pay_share = [&](std::uint32_t pos) {
      std::uint32_t j = in_.p_ballot[pos];
      bf_[j] = std::max(0.0, bf_[j] - rho * in_.p_utilf[pos]);
      w_share += in_.weightf[j];
      U += static_cast<__int128>(in_.weight[j]) * in_.p_util[pos];
    };
    if (ex && ex->listed) {
      for (auto pos : ex->capped) pay_all(pos);
      for (auto pos : ex->paying) pay_share(pos);
    } else {
      std::size_t k = ex ? ex->slot : pr->slot;
      double thr = ex ? ex->thr : pr->thr;
      for (const auto& it : slot(k)) it.key <= thr ? pay_all(it.pos) : pay_share(it.pos);
    }
    dead_off_.push_back(dead_.size());
    round_project_.push_back(p);
    round_U_.push_back(U);
    round_of_[p] = static_cast<int>(R_++);
    ++chosen_;
    return {w_all, w_share};
  }

  // Error bookkeeping. Let e_j be a voter's double money minus the exact money; E bounds every
  // |e_j| and T bounds Σ w·|e_j| over the voters with money. Those who pay all they have now hold
  // exactly 0 and leave. Each of the others pays ρ̂·u instead of ρ·u, and
  //   |ρ̂ - ρ| <= |Σ_capped w·e| / U + R   (R: the rounding in computing ρ̂),
  // so their error grows by at most u_max·(min(W_capped·E, T)/U + R) plus two roundings of at
  // most b0, while T grows only by U·R plus those roundings: the errors of the leavers are passed
  // on, never multiplied.
  void account(std::uint32_t p, double drho_from_errors, double R, double U, double w_share) {
    E_ += umax_[p] * (drho_from_errors + R) + 2 * kEps * b0f_;
    T_ += U * R + 2 * w_share * kEps * b0f_;
  }

  void charge(std::uint32_t p, const Exact& ex, MesRun& out) {
    double rho = ratio_to_double(ex.A, Q_ * ex.U);
    __int128 U;
    double w_share = pay(p, rho, &ex, nullptr, out, U).second;
    push_exact(ex.A, ex.U);  // exact state is caught up here (exact_for did it)
    exact_upto_ = R_;
    account(p, 0, 4 * kEps * rho, static_cast<double>(U), w_share);
  }

  void charge_in_doubles(std::uint32_t p, const Priced& pr, MesRun& out) {
    __int128 U;
    auto [w_all, w_share] = pay(p, pr.rho, nullptr, &pr, out, U);
    double c = static_cast<double>(in_.cost[p]);
    double m = w_all + w_share;  // a bound on the number of terms in each sum (weights >= 1)
    double Ud = static_cast<double>(U);
    double R = 2 * (m + 4) * kEps * (pr.paid + c) / Ud + 4 * kEps * pr.rho;
    double from_errors = std::min(w_all * E_, T_) / Ud;
    account(p, from_errors, R, Ud, w_share);
  }

  const MesInput& in_;
  // Exact prices of rounds [0, exact_upto_) as N_s / Q_; rounds bought in doubles after that are
  // priced by catch_up() from round_project_, round_U_ and the voters who paid all they had
  // (dead_[dead_off_[s]..dead_off_[s+1])).
  Int Q_, B0Q_;
  std::vector<Int> N_;
  std::size_t R_ = 0, chosen_ = 0, exact_upto_ = 0;
  std::vector<std::uint32_t> round_project_, dead_;
  std::vector<__int128> round_U_;
  std::vector<std::size_t> dead_off_;
  double T_ = 0, total_weight_ = 0;
  std::vector<int> round_of_;
  double b0f_ = 0, E_ = 0;
  std::vector<double> bf_;
  std::vector<std::uint8_t> alive_;
  std::vector<double> lb0_, lb_, umin_, umax_;
  std::vector<std::int64_t> uniform_;
  std::deque<std::vector<Item>> pool_;  // a deque: taking a new buffer leaves references to the others valid
  std::size_t slots_used_ = 0;
  std::vector<__int128> W_;
  double last_money_ = 0, weight_sum_ = 0;
  std::vector<std::pair<std::uint32_t, Priced>> priced_;
  std::vector<std::pair<std::uint32_t, Exact>> round_exact_;
};

__int128 total_cost(const MesInput& in, const std::vector<std::uint32_t>& order) {
  __int128 s = 0;
  for (auto p : order) s += in.cost[p];
  return s;
}

}  // namespace

MesRun equal_shares(const MesInput& in, std::int64_t budget, std::int64_t money_scale, bool add1,
                    int max_add1_steps) {
  MesRun prev;
  prev.info.assign(in.projects, MesProjectInfo{});
  for (auto p : in.free_projects) {
    prev.order.push_back(p);
    prev.info[p].position = static_cast<int>(prev.order.size());
  }
  prev.spent.assign(in.weight.size(), 0);
  if (in.voters == 0) return prev;  // nobody has any money to spend (and B/0 is undefined)
  prev.share_num = budget;
  prev.share_den = in.voters;
  if (in.candidates.empty()) return prev;

  Engine engine(in);
  for (int k = 0;; ++k) {
    MesRun cur;
    cur.share_num = Int(budget) + Int(k) * in.voters * money_scale;
    cur.share_den = in.voters;
    cur.add1_steps = k;
    engine.run(cur.share_num, cur.share_den, cur);
    if (!add1) return cur;
    __int128 cost = total_cost(in, cur.order);
    if (cost > budget) {
      prev.stopped_by_overspend = true;
      return prev;
    }
    bool exhaustive = true;
    for (auto p : in.candidates)
      if (cur.info[p].position == 0 && cost + in.cost[p] <= budget) {
        exhaustive = false;
        break;
      }
    if (exhaustive) return cur;
    if (max_add1_steps > 0 && k >= max_add1_steps) {
      cur.stopped_by_step_limit = true;
      return cur;
    }
    prev = std::move(cur);
  }
}

}  // namespace cp::pb::detail
