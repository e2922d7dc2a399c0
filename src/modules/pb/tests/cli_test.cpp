// `coproduce pb tally` and `coproduce pb generate` as a person at a terminal meets them: the real
// binary, its standard output (JSON) and its standard error (plain words naming the line).
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "cli/process.hpp"
#include "modules/pb/pb.hpp"

using cp::test::run_cli;
namespace json = boost::json;

namespace {

std::string data(const std::string& file) { return std::string(COPRODUCE_SHARE) + "/data/pabulib/" + file; }

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

struct TempFile {
  std::string path;
  explicit TempFile(const std::string& text) {
    path = (std::filesystem::temp_directory_path() / ("pb-cli-" + std::to_string(getpid()) + "-" +
                                                       std::to_string(reinterpret_cast<std::uintptr_t>(this)) + ".pb"))
               .string();
    std::ofstream(path, std::ios::binary) << text;
  }
  ~TempFile() { std::filesystem::remove(path); }
};

}  // namespace

TEST(PbCli, TallyPrintsTheRuleTheSelectionInOrderAndTheCost) {
  auto r = run_cli({"pb", "tally", "--rule", "greedy", data("Poland_Swiecie_2023.pb")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"rule\": \"greedy\", \"selected\": [\"c12\", \"c8\", \"c10\", \"c20\", \"c21\", \"c2\", \"c3\", \"c9\", \"c11\"], "
            "\"cost\": 1067287}\n");
  EXPECT_EQ(r.err, "");
}

TEST(PbCli, RuleAllPrintsAnArrayOfEveryRuleForTheBallotType) {
  auto r = run_cli({"pb", "tally", "--rule", "all", data("Poland_Krakow_2025_Stare_Miasto.pb")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto v = json::parse(r.out).as_array();
  auto rules = cp::pb::rules_for(cp::pb::VoteType::ordinal);
  ASSERT_EQ(v.size(), rules.size());
  for (std::size_t i = 0; i < rules.size(); ++i) EXPECT_EQ(v[i].at("rule").as_string(), rules[i]);
  // A decimal budget (1716138.17) and whole-number costs: the cost prints as a plain number.
  EXPECT_EQ(v[0].at("cost").as_int64(), 1702320);
}

TEST(PbCli, ExplainSaysWhyInWordsFromTheCatalogue) {
  auto r = run_cli({"pb", "tally", "--rule", "mes_cost", "--explain", "--per-voter", data("Poland_Swiecie_2023.pb")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto v = json::parse(r.out).as_object();
  const auto& ex = v.at("explanation").as_object();
  EXPECT_EQ(ex.at("voters").as_int64(), 2553);
  EXPECT_GT(ex.at("voters_with_a_project").as_int64(), 0);
  const auto& projects = ex.at("projects").as_array();
  EXPECT_EQ(projects.size(), 22u);
  // Chosen projects come first, in the order chosen.
  EXPECT_EQ(projects[0].at("id").as_string(), "c12");
  EXPECT_EQ(projects[0].at("reason").as_string(), "bought_with_shares");
  EXPECT_TRUE(has(std::string(projects[0].at("why").as_string()), "equal shares"));
  bool saw_too_small = false;
  for (const auto& p : projects)
    if (p.at("reason").as_string() == "shares_too_small") {
      saw_too_small = true;
      std::string why(p.at("why").as_string());
      EXPECT_TRUE(has(why, "could not cover its cost")) << why;
      EXPECT_FALSE(has(why, "{")) << why;  // every placeholder filled
    }
  EXPECT_TRUE(saw_too_small);
  EXPECT_EQ(ex.at("voter_spent").as_object().size(), 2553u);
}

TEST(PbCli, AMalformedFileIsRefusedNamingTheLine) {
  TempFile f("META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na;10\nVOTES\nvoter_id;vote\nv1;a\nv2;a,b\n");
  auto r = run_cli({"pb", "tally", "--rule", "greedy", f.path});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(has(r.err, "Line 11")) << r.err;
  EXPECT_TRUE(has(r.err, "‘b’")) << r.err;
  EXPECT_FALSE(has(r.err, "pb.unknown_project")) << r.err;  // words, not a catalogue key

  auto missing = run_cli({"pb", "tally", "--rule", "greedy", "/nonexistent/election.pb"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(has(missing.err, "Cannot read")) << missing.err;
}

TEST(PbCli, AnUnknownOrUnsuitableRuleIsRefusedWithTheChoices) {
  auto r = run_cli({"pb", "tally", "--rule", "borda", data("Worldwide_Mechanical_Turk_Utilities_3.pb")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has(r.err, "borda")) << r.err;
  EXPECT_TRUE(has(r.err, "mes_add_add1_greedy")) << r.err;
  auto p = run_cli({"pb", "tally", "--rule", "phragmen", data("Worldwide_Mechanical_Turk_Utilities_3.pb")});
  EXPECT_EQ(p.exit_code, 1);
  EXPECT_TRUE(has(p.err, "cumulative")) << p.err;
  EXPECT_EQ(p.out, "");
}

TEST(PbCli, GenerateIsTheSameForTheSameSeed) {
  auto a = run_cli({"pb", "generate", "--voters", "300", "--projects", "12", "--approvals", "3", "--seed", "7"});
  auto b = run_cli({"pb", "generate", "--voters", "300", "--projects", "12", "--approvals", "3", "--seed", "7"});
  auto c = run_cli({"pb", "generate", "--voters", "300", "--projects", "12", "--approvals", "3", "--seed", "8"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out, c.out);
  auto e = cp::pb::parse_pabulib(a.out);
  EXPECT_EQ(e.voter_count(), 300);
  EXPECT_EQ(e.projects.size(), 12u);
  for (const auto& ballot : e.ballots) EXPECT_EQ(ballot.count, 3u);
  TempFile f(a.out);
  auto t = run_cli({"pb", "tally", "--rule", "mes_cost_add1_greedy", f.path});
  EXPECT_EQ(t.exit_code, 0) << t.err;
  EXPECT_TRUE(has(t.out, "\"rule\": \"mes_cost_add1_greedy\"")) << t.out;
}
