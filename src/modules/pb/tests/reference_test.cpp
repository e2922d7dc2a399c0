// Real elections from Pabulib against the outcomes of the reference implementation (pabutools
// 1.2.3, data/pabulib/expected.json): the same projects in the same order, and the same total cost,
// for every file and every rule the reference computed. None of this needs a database; it runs the
// same under either backend label.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "modules/pb/pb.hpp"
#include "modules/pb/tests/pb_text.hpp"

using namespace cp::pb;
namespace json = boost::json;

namespace {

std::string data_dir() { return std::string(COPRODUCE_SHARE) + "/data/pabulib/"; }

const json::object& expected() {
  static const json::value v = [] {
    std::ifstream in(data_dir() + "expected.json");
    std::stringstream ss;
    ss << in.rdbuf();
    return json::parse(ss.str());
  }();
  return v.as_object();
}

std::vector<std::string> strings(const json::value& v) {
  std::vector<std::string> out;
  for (const auto& s : v.as_array()) out.emplace_back(s.as_string());
  return out;
}

}  // namespace

TEST(PbReference, EveryRuleOnEveryFileMatchesTheReference) {
  ASSERT_EQ(expected().size(), 5u) << "expected.json not found in " << data_dir();
  int checked = 0;
  for (const auto& [file, entry] : expected()) {
    SCOPED_TRACE(std::string(file));
    Election e = read_pabulib_file(data_dir() + std::string(file));
    EXPECT_EQ(std::string(vote_type_name(e.vote_type)), std::string(entry.at("vote_type").as_string()));
    EXPECT_EQ(e.voter_count(), entry.at("n_voters").as_int64());
    EXPECT_EQ(static_cast<std::int64_t>(e.projects.size()), entry.at("n_projects").as_int64());
    EXPECT_EQ(static_cast<std::int64_t>(e.ballots.size()), entry.at("distinct_ballots").as_int64());
    auto applicable = rules_for(e.vote_type);
    for (const auto& [rule_key, r] : entry.at("rules").as_object()) {
      std::string rule(rule_key);
      SCOPED_TRACE(rule);
      EXPECT_NE(std::find(applicable.begin(), applicable.end(), rule), applicable.end()) << "rule not offered";
      const auto& ro = r.as_object();
      if (ro.contains("timeout")) continue;  // the reference has no outcome to compare with
      Outcome o = tally(e, rule);
      auto got = test::ids(e, o.selected);
      auto order = strings(ro.at("order"));
      if (rule == "phragmen") {
        // pabutools sorts Phragmén's allocation by id before returning it, so its "order" is plain
        // string order, not the order of selection. Compare the projects; our order is the real one.
        auto sorted = got;
        std::sort(sorted.begin(), sorted.end());
        EXPECT_EQ(sorted, order);
        EXPECT_TRUE(std::is_sorted(order.begin(), order.end()));
      } else {
        EXPECT_EQ(got, order);
      }
      auto sel = got;
      std::sort(sel.begin(), sel.end());
      EXPECT_EQ(sel, strings(ro.at("selected")));
      EXPECT_EQ(e.money(o.cost), std::string(ro.at("cost").as_string()));
      ++checked;
    }
  }
  EXPECT_EQ(checked, 29);
}

TEST(PbReference, SwiecieUsedEqualSharesWithAdd1AndOurCountAgrees) {
  // The town published its result in the `selected` column: MES with cost utilities and Add1.
  auto e = read_pabulib_file(data_dir() + "Poland_Swiecie_2023.pb");
  auto o = tally(e, "mes_cost_add1");
  auto official = strings(expected().at("Poland_Swiecie_2023.pb").at("official_check").at("official_selected"));
  auto got = test::ids(e, o.selected);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, official);
  EXPECT_GT(o.add1_steps, 0);
  EXPECT_FALSE(o.add1_stopped_by_overspend);
}

TEST(PbReference, UrsusRealTieIsBrokenById) {
  // Projects 311 and 387 both have 903 votes; "311" < "387", so greedy takes 311 (the city took
  // the cheaper 387, so its published result differs).
  auto e = read_pabulib_file(data_dir() + "Poland_Warszawa_2023_Ursus.pb");
  auto o = tally(e, "greedy");
  const auto& a = test::result_for(e, o, "311");
  const auto& b = test::result_for(e, o, "387");
  EXPECT_EQ(a.supporters, 903);
  EXPECT_EQ(b.supporters, 903);
  EXPECT_TRUE(a.selected);
  EXPECT_FALSE(b.selected);
  EXPECT_EQ(b.reason, Reason::no_room);
}

TEST(PbReference, ExplanationsAddUp) {
  auto e = read_pabulib_file(data_dir() + "Poland_Warszawa_2023_Ursus.pb");
  for (const auto& rule : rules_for(e.vote_type)) {
    SCOPED_TRACE(rule);
    auto o = tally(e, rule);
    ASSERT_EQ(o.projects.size(), e.projects.size());
    int chosen = 0;
    for (const auto& r : o.projects) {
      if (r.selected) {
        ++chosen;
        EXPECT_EQ(o.selected[static_cast<std::size_t>(r.position - 1)], r.project);
      }
      bool chosen_reason = r.reason == Reason::fitted || r.reason == Reason::bought_with_shares ||
                           r.reason == Reason::free || r.reason == Reason::added_by_greedy || r.reason == Reason::lowest_load;
      EXPECT_EQ(r.selected, chosen_reason) << e.projects[r.project].id << " " << reason_code(r.reason);
    }
    EXPECT_EQ(chosen, static_cast<int>(o.selected.size()));
    EXPECT_LE(o.cost, e.budget);
    EXPECT_GT(o.voters_with_a_project, 0);
    EXPECT_LE(o.voters_with_a_project, o.voters);
    if (o.equal_shares) {
      EXPECT_EQ(o.voters_spent_all + o.voters_spent_some + o.voters_spent_none, e.voter_count());
      // Nobody spends more than their share, and all spending together is what was bought by MES.
      double share = std::stod(o.voter_share), total = 0;
      for (std::size_t j = 0; j < e.ballots.size(); ++j) {
        EXPECT_LE(o.spent_by_ballot[j], share * (1 + 1e-9));
        total += o.spent_by_ballot[j] * static_cast<double>(e.ballots[j].voters);
      }
      double bought = 0;
      for (std::size_t i = 0; i < o.completion_from; ++i)
        bought += static_cast<double>(e.projects[o.selected[i]].cost) / static_cast<double>(e.money_scale);
      EXPECT_NEAR(total, bought, bought * 1e-9);
    }
  }
}
