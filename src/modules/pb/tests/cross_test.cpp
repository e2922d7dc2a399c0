// The fast counting engine against plain rational versions of the same rules (plain_count.hpp) on
// many small random elections. Costs and budgets come from a few round numbers and ballots are
// often repeated, so exact ties and voters with exactly enough money are common: the cases where
// doubles alone would go wrong.
#include <gtest/gtest.h>

#include <random>

#include "modules/pb/pb.hpp"
#include "modules/pb/tests/pb_text.hpp"
#include "modules/pb/tests/plain_count.hpp"

using namespace cp::pb;
using namespace cp::pb::test;

namespace {

// A small deterministic generator (the standard distributions differ between libraries).
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
};

std::string random_election(Rng& r, const std::string& type) {
  int projects = 2 + r.below(6), voters = r.below(12);
  static const char* costs[] = {"10", "20", "30", "40", "60", "15", "25", "12.5", "0"};
  static const char* budgets[] = {"60", "100", "90", "45", "120", "70.5"};
  std::vector<P> ps;
  for (int p = 0; p < projects; ++p) ps.push_back({"p" + std::to_string(p + 1), costs[r.below(r.below(20) == 0 ? 9 : 8)]});
  std::vector<V> vs;
  for (int v = 0; v < voters; ++v) {
    if (!vs.empty() && r.below(3) == 0) {  // the same ballot again
      vs.push_back(vs[static_cast<std::size_t>(r.below(static_cast<int>(vs.size())))]);
      continue;
    }
    std::vector<int> order(static_cast<std::size_t>(projects));
    for (int i = 0; i < projects; ++i) order[static_cast<std::size_t>(i)] = i;
    for (int i = projects - 1; i > 0; --i) std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(r.below(i + 1))]);
    int k = r.below(std::min(projects, type == "ordinal" ? 3 : projects) + 1);
    V ballot;
    for (int i = 0; i < k; ++i) {
      ballot.vote += (i ? "," : "") + ps[static_cast<std::size_t>(order[static_cast<std::size_t>(i)])].id;
      ballot.points += (i ? "," : "") + std::to_string(1 + r.below(4));
    }
    vs.push_back(ballot);
  }
  return pb_text(type, budgets[r.below(6)], ps, vs, type == "ordinal" ? "max_length;3\n" : "");
}

void compare(const Election& e, const std::string& rule, const std::vector<std::uint32_t>& plain, const std::string& text) {
  auto fast = tally(e, rule).selected;
  EXPECT_EQ(ids(e, fast), ids(e, plain)) << rule << " on\n" << text;
}

}  // namespace

TEST(PbCross, EqualSharesAndPhragmenMatchPlainRationalsOnApprovalBallots) {
  Rng r{0x9E3779B97F4A7C15ull};
  for (int round = 0; round < 600; ++round) {
    std::string text = random_election(r, "approval");
    Election e = parse_pabulib(text);
    compare(e, "mes_cost", plain::mes(e, plain::Utility::cost, false), text);
    compare(e, "mes_card", plain::mes(e, plain::Utility::card, false), text);
    compare(e, "mes_cost_add1", plain::mes(e, plain::Utility::cost, true), text);
    compare(e, "mes_card_add1", plain::mes(e, plain::Utility::card, true), text);
    compare(e, "phragmen", plain::phragmen(e), text);
    if (HasFailure()) return;
  }
}

TEST(PbCross, EqualSharesMatchesPlainRationalsOnPointsAndRankings) {
  Rng r{0xD1B54A32D192ED03ull};
  for (int round = 0; round < 400; ++round) {
    for (const std::string type : {"cumulative", "ordinal"}) {
      std::string text = random_election(r, type);
      Election e = parse_pabulib(text);
      std::string rule = type == "cumulative" ? "mes_add" : "mes_pos";
      compare(e, rule, plain::mes(e, plain::Utility::points, false), text);
      compare(e, rule + "_add1", plain::mes(e, plain::Utility::points, true), text);
      if (HasFailure()) return;
    }
  }
}

TEST(PbCross, AwkwardSharesStayExact) {
  // 7 voters share 100: 100/7 each, a share no double holds exactly. Two projects cost exactly what
  // their supporters have between them (3·100/7 + 4·100/7 = 100), and a third needs a hair more.
  auto e = parse_pabulib(pb_text("approval", "100", {{"x", "42.86"}, {"y", "57.14"}, {"z", "42.86"}},
                                 times(3, {"x,z"}) + times(4, {"y"})));
  // 3·100/7 = 42.857…: below 42.86, so neither x nor z is affordable; y needs 57.14 < 57.142….
  EXPECT_EQ(ids(e, tally(e, "mes_cost").selected), ids(e, plain::mes(e, plain::Utility::cost, false)));
  EXPECT_EQ(ids(e, tally(e, "mes_cost").selected), std::vector<std::string>({"y"}));
  EXPECT_EQ(ids(e, tally(e, "mes_cost_add1").selected), ids(e, plain::mes(e, plain::Utility::cost, true)));
}
