// Reading Pabulib files: what real files contain, and a refusal naming the line (and field) for
// each way a file can be wrong. A refused file gives no election at all.
#include <gtest/gtest.h>

#include "modules/pb/pb.hpp"
#include "modules/pb/tests/pb_text.hpp"

using namespace cp::pb;

namespace {

struct Refusal {
  int line;
  std::string field, key;
};

Refusal refusal(const std::string& text) {
  try {
    parse_pabulib(text);
  } catch (const ParseError& e) {
    return {e.line, e.field, e.key};
  }
  return {-1, "", "accepted"};
}

std::string arg(const ParseError& e, const std::string& name) {
  for (const auto& [k, v] : e.args)
    if (k == name) return v;
  return "";
}

}  // namespace

TEST(PbParse, ReadsWhatRealFilesContain) {
  // A byte-order mark, Windows line endings, blank lines, blanks around values, a quoted name with
  // a ";" and doubled quotes inside, "none", extra columns, columns in another order, decimal
  // points written as "." or ",", and a budget with more decimals than any cost.
  std::string text =
      "\xEF\xBB\xBFMETA\r\nkey;value\r\ndescription;\"Test; with a semicolon\"\r\nnum_projects;3\r\nnum_votes;4\r\n"
      "budget;1000,125\r\nvote_type;approval\r\ncurrency;GBP\r\n\r\n"
      "PROJECTS\r\nname;cost;project_id;category;selected\r\n"
      "\"The \"\"big\"\" park; phase 2\";500.5;p1;parks,green;1\r\n"
      "none;250;p2;;0\r\n"
      " Bench ; 99.25 ; p3 ;sport;\r\n"
      "VOTES\r\nvoter_id;age;vote;sex\r\n"
      "a;34;p1,p2;f\r\nb;51; p2 , p1 ;m\r\nc;23;p3;m\r\nd;19;;f\r\n";
  Election e = parse_pabulib(text);
  EXPECT_EQ(e.vote_type, VoteType::approval);
  EXPECT_EQ(*e.meta_value("description"), "Test; with a semicolon");
  EXPECT_EQ(*e.meta_value("currency"), "GBP");
  EXPECT_EQ(e.money_scale, 1000);
  EXPECT_EQ(e.budget, 1000125);
  EXPECT_EQ(e.money(e.budget), "1000.125");
  ASSERT_EQ(e.projects.size(), 3u);
  EXPECT_EQ(e.projects[0].id, "p1");
  EXPECT_EQ(e.projects[0].name, "The \"big\" park; phase 2");
  EXPECT_EQ(e.projects[0].cost, 500500);
  EXPECT_EQ(e.money(e.projects[0].cost), "500.5");
  EXPECT_EQ(e.projects[1].name, "");
  EXPECT_EQ(e.projects[2].name, "Bench");
  EXPECT_EQ(e.projects[2].cost, 99250);
  EXPECT_EQ(e.projects[2].line, 14);
  // Voters a and b chose the same projects in a different order: one ballot, two voters.
  EXPECT_EQ(e.voter_count(), 4);
  ASSERT_EQ(e.ballots.size(), 3u);
  EXPECT_EQ(e.ballots[0].voters, 2);
  EXPECT_EQ(e.voter_ballot[1], 0u);
  EXPECT_EQ(e.items_of(e.ballots[2]).size(), 0u);  // d chose nothing
  EXPECT_EQ(e.voter_ids[3], "d");
}

TEST(PbParse, EachBallotType) {
  using test::pb_text;
  // Approval: a project named twice counts once.
  auto a = parse_pabulib(pb_text("approval", "10", {{"x", "1"}, {"y", "1"}}, {{"x,y,x"}}));
  EXPECT_EQ(a.items_of(a.ballots[0]).size(), 2u);
  // Choose-1.
  auto c = parse_pabulib(pb_text("choose-1", "10", {{"x", "1"}, {"y", "1"}}, {{"y"}, {""}}));
  EXPECT_EQ(c.vote_type, VoteType::choose_one);
  EXPECT_EQ(c.items_of(c.ballots[0])[0].project, 1u);
  // Cumulative with decimal points: kept in hundredths here.
  auto cu = parse_pabulib(pb_text("cumulative", "10", {{"x", "1"}, {"y", "1"}}, {{"x,y", "1.25,3"}}));
  EXPECT_EQ(cu.points_scale, 100);
  EXPECT_EQ(cu.items_of(cu.ballots[0])[0].points, 125);
  EXPECT_EQ(cu.items_of(cu.ballots[0])[1].points, 300);
  // Scoring may give less than nothing.
  auto sc = parse_pabulib(pb_text("scoring", "10", {{"x", "1"}}, {{"x", "-2"}}));
  EXPECT_EQ(sc.items_of(sc.ballots[0])[0].points, -2);
  // Ordinal: L - i points, L being max_length, else the number of projects; best first.
  auto o = parse_pabulib(pb_text("ordinal", "10", {{"x", "1"}, {"y", "1"}, {"z", "1"}}, {{"z,x"}}, "max_length;2\n"));
  EXPECT_EQ(o.items_of(o.ballots[0])[0].project, 2u);
  EXPECT_EQ(o.items_of(o.ballots[0])[0].points, 2);
  EXPECT_EQ(o.items_of(o.ballots[0])[1].points, 1);
  auto o3 = parse_pabulib(pb_text("ordinal", "10", {{"x", "1"}, {"y", "1"}, {"z", "1"}}, {{"y"}}));
  EXPECT_EQ(o3.items_of(o3.ballots[0])[0].points, 3);
}

TEST(PbParse, AnEmptyVotesSectionIsZeroVoters) {
  auto e = parse_pabulib("META\nkey;value\nbudget;10\nvote_type;approval\nnum_votes;0\nPROJECTS\nproject_id;cost\nx;5\nVOTES\nvoter_id;vote\n");
  EXPECT_EQ(e.voter_count(), 0);
  EXPECT_TRUE(e.ballots.empty());
}

TEST(PbParse, RefusalsNameTheLineAndField) {
  const std::string head = "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na;10\nb;20\nVOTES\nvoter_id;vote\n";
  // Lines: 1 META, 2 key;value, 3 budget, 4 vote_type, 5 PROJECTS, 6 header, 7 a, 8 b, 9 VOTES,
  // 10 header, 11 and on: votes.
  struct Case {
    std::string name, text;
    int line;
    std::string field, key;
  };
  const std::vector<Case> cases = {
      {"unknown project", head + "v1;a\nv2;a,zz\n", 12, "vote", "unknown_project"},
      {"cost not a number", "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na;ten\nVOTES\nvoter_id;vote\n", 7, "cost", "not_a_number"},
      {"cost with two points", "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na;1.5.0\nVOTES\nvoter_id;vote\n", 7, "cost", "not_a_number"},
      {"negative cost", "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na;-5\nVOTES\nvoter_id;vote\n", 7, "cost", "negative"},
      {"no cost column", "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;price\na;5\nVOTES\nvoter_id;vote\n", 6, "cost", "column_missing"},
      {"no vote column", "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na;5\nVOTES\nvoter_id;ballot\n", 9, "vote", "column_missing"},
      {"voter twice", head + "v1;a\nv2;b\nv1;b\n", 13, "voter_id", "voter_twice"},
      {"project twice", "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na;5\nb;5\na;6\nVOTES\nvoter_id;vote\n", 9, "project_id", "project_twice"},
      {"unclosed quote", "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost;name\na;5;\"Park\nb;5;x\nVOTES\nvoter_id;vote\n", 7, "", "unclosed_quote"},
      {"text after a quote", "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost;name\na;5;\"Park\" x\nVOTES\nvoter_id;vote\n", 7, "", "text_after_quote"},
      {"count of votes wrong", "META\nkey;value\nbudget;100\nvote_type;approval\nnum_votes;3\nPROJECTS\nproject_id;cost\na;5\nVOTES\nvoter_id;vote\nv1;a\n", 5, "num_votes", "count_mismatch"},
      {"no budget", "META\nkey;value\nvote_type;approval\nPROJECTS\nproject_id;cost\na;5\nVOTES\nvoter_id;vote\n", 1, "budget", "meta_missing"},
      {"budget not a number", "META\nkey;value\nbudget;lots\nvote_type;approval\nPROJECTS\nproject_id;cost\na;5\nVOTES\nvoter_id;vote\n", 3, "budget", "not_a_number"},
      {"bad vote type", "META\nkey;value\nbudget;100\nvote_type;ranked\n", 4, "vote_type", "bad_vote_type"},
      {"line before META", "hello\nMETA\nkey;value\n", 1, "", "outside_section"},
      {"votes before projects", "META\nkey;value\nbudget;100\nvote_type;approval\nVOTES\nvoter_id;vote\n", 5, "", "section_order"},
      {"too many values", "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na;5;extra\nVOTES\nvoter_id;vote\n", 7, "", "too_many_fields"},
      {"no VOTES section", "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na;5\n", 8, "", "section_missing"},
      {"no projects", "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\nVOTES\nvoter_id;vote\n", 5, "", "no_projects"},
      {"choose-1 naming two", "META\nkey;value\nbudget;100\nvote_type;choose-1\nPROJECTS\nproject_id;cost\na;5\nb;5\nVOTES\nvoter_id;vote\nv1;a,b\n", 11, "vote", "choose_one_many"},
      {"ranking too long", "META\nkey;value\nbudget;100\nvote_type;ordinal\nmax_length;1\nPROJECTS\nproject_id;cost\na;5\nb;5\nVOTES\nvoter_id;vote\nv1;a,b\n", 12, "vote", "ranking_too_long"},
      {"ranked twice", "META\nkey;value\nbudget;100\nvote_type;ordinal\nPROJECTS\nproject_id;cost\na;5\nb;5\nVOTES\nvoter_id;vote\nv1;a,b,a\n", 11, "vote", "project_repeated"},
      {"points missing", "META\nkey;value\nbudget;100\nvote_type;cumulative\nPROJECTS\nproject_id;cost\na;5\nb;5\nVOTES\nvoter_id;vote;points\nv1;a,b;3\n", 11, "points", "points_count"},
      {"points not a number", "META\nkey;value\nbudget;100\nvote_type;cumulative\nPROJECTS\nproject_id;cost\na;5\nVOTES\nvoter_id;vote;points\nv1;a;three\n", 10, "points", "not_a_number"},
      {"negative cumulative points", "META\nkey;value\nbudget;100\nvote_type;cumulative\nPROJECTS\nproject_id;cost\na;5\nVOTES\nvoter_id;vote;points\nv1;a;-1\n", 10, "points", "negative"},
      {"no points column", "META\nkey;value\nbudget;100\nvote_type;scoring\nPROJECTS\nproject_id;cost\na;5\nVOTES\nvoter_id;vote\nv1;a\n", 10, "points", "column_missing"},
      {"meta key twice", "META\nkey;value\nbudget;100\nbudget;200\n", 4, "budget", "meta_twice"},
      {"cost too large", "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na;99999999999999999999\nVOTES\nvoter_id;vote\n", 7, "cost", "too_big"},
      {"empty voter id", head + ";a\n", 11, "voter_id", "empty_value"},
      {"comma in a project id", "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na,b;5\nVOTES\nvoter_id;vote\n", 7, "project_id", "comma_in_id"},
  };
  for (const auto& c : cases) {
    auto r = refusal(c.text);
    EXPECT_EQ(r.key, c.key) << c.name;
    EXPECT_EQ(r.line, c.line) << c.name;
    EXPECT_EQ(r.field, c.field) << c.name;
  }
}

TEST(PbParse, ARefusalCarriesWhatTheMessageNeeds) {
  try {
    parse_pabulib("META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na;5\nVOTES\nvoter_id;vote\nv1;a,nope\n");
    FAIL() << "accepted";
  } catch (const ParseError& e) {
    EXPECT_EQ(arg(e, "line"), "10");
    EXPECT_EQ(arg(e, "field"), "vote");
    EXPECT_EQ(arg(e, "value"), "nope");
  }
  try {
    read_pabulib_file("/nonexistent/folder/file.pb");
    FAIL() << "read a missing file";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.key, "cannot_read");
    EXPECT_EQ(e.line, 0);
  }
}
