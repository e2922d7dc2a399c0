// Hand-made elections for each rule's edge cases: ties (broken by id in plain string order), a
// project that costs the whole budget, projects over the budget, voters who chose nothing, a single
// voter, an empty VOTES section, and what each result says about itself.
#include <gtest/gtest.h>

#include "modules/pb/pb.hpp"
#include "modules/pb/tests/pb_text.hpp"

using namespace cp::pb;
using namespace cp::pb::test;
using Ids = std::vector<std::string>;

namespace {

// Ten voters, budget 100 (10 each). Six like a1, a2, a3 (30 each); four like b1 (40) and b2 (30).
Election majority_and_minority() {
  return parse_pabulib(pb_text("approval", "100", {{"a1", "30"}, {"a2", "30"}, {"a3", "30"}, {"b1", "40"}, {"b2", "30"}},
                               times(6, {"a1,a2,a3"}) + times(4, {"b1,b2"})));
}

}  // namespace

TEST(PbGreedy, TiesGoToTheSmallerIdInPlainStringOrder) {
  // "10" comes before "9" as strings, though not as numbers; room for one of them only.
  auto e = parse_pabulib(pb_text("approval", "50", {{"9", "50"}, {"10", "50"}}, {{"9"}, {"10"}}));
  EXPECT_EQ(selected(e, "greedy"), Ids({"10"}));
  auto o = tally(e, "greedy");
  EXPECT_EQ(result_for(e, o, "9").reason, Reason::no_room);
  EXPECT_EQ(result_for(e, o, "9").budget_left, "0");
}

TEST(PbGreedy, SkipsWhatDoesNotFitAndCarriesOn) {
  auto e = majority_and_minority();
  // a1, a2, a3 have 6 votes each; then b1 (40) and b2 (30) no longer fit in the 10 left.
  auto o = tally(e, "greedy");
  EXPECT_EQ(ids(e, o.selected), Ids({"a1", "a2", "a3"}));
  EXPECT_EQ(o.cost, 90);
  EXPECT_EQ(result_for(e, o, "b1").reason, Reason::no_room);
  EXPECT_EQ(result_for(e, o, "b1").budget_left, "10");
  EXPECT_EQ(o.voters_with_a_project, 6);

  auto cheap = parse_pabulib(pb_text("approval", "100", {{"big", "80"}, {"mid", "30"}, {"small", "20"}},
                                     times(3, {"big"}) + times(2, {"mid"}) + times(1, {"small"})));
  EXPECT_EQ(selected(cheap, "greedy"), Ids({"big", "small"}));
}

TEST(PbGreedy, AProjectCostingTheWholeBudgetOrMore) {
  auto e = parse_pabulib(pb_text("approval", "100", {{"all", "100"}, {"over", "101"}, {"small", "1"}},
                                 times(3, {"all,over"}) + times(2, {"small"})));
  auto o = tally(e, "greedy");
  // "all" and "over" both have 3 votes: "all" wins the tie and takes every penny.
  EXPECT_EQ(ids(e, o.selected), Ids({"all"}));
  EXPECT_EQ(result_for(e, o, "over").reason, Reason::over_budget);
  EXPECT_EQ(result_for(e, o, "small").reason, Reason::no_room);
}

TEST(PbGreedy, VotesVersusPointsOnCumulativeBallots) {
  // Two voters give "a" 9 points between them; three give "b" 1 point each.
  auto e = parse_pabulib(pb_text("cumulative", "10", {{"a", "10"}, {"b", "10"}},
                                 times(2, {"a", "4.5"}) + times(3, {"b", "1"})));
  EXPECT_EQ(selected(e, "greedy"), Ids({"a"}));
  EXPECT_EQ(selected(e, "greedy_votes"), Ids({"b"}));
  auto o = tally(e, "greedy");
  EXPECT_EQ(result_for(e, o, "a").score, "9");
  EXPECT_EQ(result_for(e, o, "a").supporters, 2);
}

TEST(PbGreedy, EmptyVotesTakeProjectsInIdOrderWhileTheyFit) {
  // As in the reference: with no votes every project scores 0, so the tie-break alone decides.
  auto e = parse_pabulib(pb_text("approval", "100", {{"c", "50"}, {"a", "60"}, {"b", "40"}}, {}));
  EXPECT_EQ(e.voter_count(), 0);
  auto o = tally(e, "greedy");
  EXPECT_EQ(ids(e, o.selected), Ids({"a", "b"}));
  EXPECT_EQ(o.voters_with_a_project, 0);
}

TEST(PbEqualShares, GivesTheMinorityItsShareWhereGreedyGivesItNothing) {
  auto e = majority_and_minority();
  // Cost utilities: a1 costs each of its 6 supporters 5 (ρ = 1/6); b1 and b2 cost the 4 others
  // 10 and 7.5 (ρ = 1/4 both). a1, then a2 (ties with a3: id order), spend the majority's 60;
  // b1 and b2 tie at ρ = 1/4 and b1 wins on id, spending the minority's 40.
  auto o = tally(e, "mes_cost");
  EXPECT_EQ(ids(e, o.selected), Ids({"a1", "a2", "b1"}));
  EXPECT_EQ(o.cost, 100);
  EXPECT_EQ(o.voters_with_a_project, 10);
  EXPECT_EQ(o.voter_share, "10");
  EXPECT_EQ(result_for(e, o, "a1").share_paid, "5");
  EXPECT_EQ(result_for(e, o, "b1").share_paid, "10");
  EXPECT_EQ(result_for(e, o, "b1").supporters_ran_out, 0);  // each had exactly 10: paid in full, not capped
  const auto& a3 = result_for(e, o, "a3");
  EXPECT_EQ(a3.reason, Reason::shares_too_small);
  EXPECT_EQ(a3.supporters_money, "0");
  EXPECT_EQ(o.voters_spent_all, 10);
  for (double spent : o.spent_by_ballot) EXPECT_NEAR(spent, 10.0, 1e-9);

  // Cardinality utilities: ρ is money per approval: a's 5, b1 10, b2 7.5. After a1 and a2 the
  // majority has nothing left; b2 (7.5) beats b1, and then the minority's 10 cannot buy b1.
  auto c = tally(e, "mes_card");
  EXPECT_EQ(ids(e, c.selected), Ids({"a1", "a2", "b2"}));
  EXPECT_EQ(result_for(e, c, "b1").reason, Reason::shares_too_small);
  EXPECT_EQ(result_for(e, c, "b1").supporters_money, "10");
  EXPECT_EQ(result_for(e, c, "b2").price, "7.5");
  EXPECT_EQ(c.voters_spent_some, 4);
}

TEST(PbEqualShares, TiesGoToTheSmallerIdInPlainStringOrder) {
  // Identical projects: the same supporters and cost, so the same ρ. "10" sorts before "9".
  auto e = parse_pabulib(pb_text("approval", "60", {{"9", "60"}, {"10", "60"}}, times(3, {"9,10"})));
  for (const char* rule : {"mes_cost", "mes_card", "mes_cost_add1", "phragmen"}) EXPECT_EQ(selected(e, rule), Ids({"10"})) << rule;
}

TEST(PbEqualShares, AProjectCostingTheWholeBudgetIsAffordableExactly) {
  // Four voters with 25 each; all four back the park, which costs the whole 100.
  auto e = parse_pabulib(pb_text("approval", "100", {{"park", "100"}, {"bench", "10"}},
                                 times(3, {"park"}) + std::vector<V>{{"park,bench"}}));
  auto o = tally(e, "mes_cost");
  EXPECT_EQ(ids(e, o.selected), Ids({"park"}));
  EXPECT_EQ(o.voters_spent_all, 4);
  EXPECT_EQ(result_for(e, o, "bench").reason, Reason::shares_too_small);

  // Three voters with 100/3 each: together exactly 100, which a rounding error would miss.
  auto thirds = parse_pabulib(pb_text("approval", "100", {{"park", "100"}}, times(3, {"park"})));
  for (const char* rule : {"mes_cost", "mes_card", "mes_cost_add1_greedy", "greedy", "phragmen"})
    EXPECT_EQ(selected(thirds, rule), Ids({"park"})) << rule;
  EXPECT_EQ(tally(thirds, "mes_cost").voter_share, "33.33");
}

TEST(PbEqualShares, ProjectsOverTheBudgetAreNeverChosenEvenWithAdd1) {
  auto e = parse_pabulib(pb_text("approval", "100", {{"huge", "150"}, {"ok", "40"}}, times(5, {"huge,ok"})));
  for (const char* rule : {"mes_cost", "mes_cost_add1", "mes_cost_add1_greedy", "mes_card_add1", "phragmen", "greedy"}) {
    auto o = tally(e, rule);
    EXPECT_EQ(ids(e, o.selected), Ids({"ok"})) << rule;
    EXPECT_EQ(result_for(e, o, "huge").reason, Reason::over_budget) << rule;
  }
}

TEST(PbEqualShares, VotersWhoChoseNothingStillGetAShareAndAdd1RaisesIt) {
  // Four voters, budget 100: 25 each. Only two back "hall" (60): 50 is not enough.
  auto e = parse_pabulib(pb_text("approval", "100", {{"hall", "60"}}, times(2, {"hall"}) + times(2, {""})));
  EXPECT_EQ(e.voter_count(), 4);
  auto plain = tally(e, "mes_cost");
  EXPECT_TRUE(plain.selected.empty());
  EXPECT_EQ(result_for(e, plain, "hall").supporters_money, "50");
  // Add1 raises each share a pound at a time: at 30 each the two supporters can pay 60.
  auto o = tally(e, "mes_cost_add1");
  EXPECT_EQ(ids(e, o.selected), Ids({"hall"}));
  EXPECT_EQ(o.add1_steps, 5);
  EXPECT_EQ(o.voter_share, "30");
  EXPECT_FALSE(o.add1_stopped_by_overspend);
  EXPECT_EQ(o.voters_spent_none, 2);
  EXPECT_EQ(o.voters_with_a_project, 2);
  // Greedy and Phragmén take the hall; the two who chose nothing got nothing they backed.
  for (const char* rule : {"greedy", "phragmen"}) {
    auto g = tally(e, rule);
    EXPECT_EQ(ids(e, g.selected), Ids({"hall"})) << rule;
    EXPECT_EQ(g.voters, 4) << rule;
    EXPECT_EQ(g.voters_with_a_project, 2) << rule;
  }
}

TEST(PbEqualShares, ASingleVoter) {
  auto e = parse_pabulib(pb_text("approval", "100", {{"A", "60"}, {"B", "50"}}, {{"A,B"}}));
  // One voter with 100: A and B both cost ρ = 1 per unit of cost; A wins on id; 40 is left.
  auto o = tally(e, "mes_cost");
  EXPECT_EQ(ids(e, o.selected), Ids({"A"}));
  EXPECT_EQ(result_for(e, o, "B").supporters_money, "40");
  // B could not fit in what is left anyway, so the outcome is already exhaustive: no raise.
  auto a = tally(e, "mes_cost_add1");
  EXPECT_EQ(ids(e, a.selected), Ids({"A"}));
  EXPECT_EQ(a.add1_steps, 0);
  EXPECT_EQ(selected(e, "mes_cost_add1_greedy"), Ids({"A"}));
  EXPECT_EQ(selected(e, "greedy"), Ids({"A"}));
  // Phragmén: B's load (50) is lower than A's (60); then A would make 110 > 100, so it stops.
  EXPECT_EQ(selected(e, "phragmen"), Ids({"B"}));
}

TEST(PbEqualShares, Add1StopsBeforeTheStepThatWouldOverspend) {
  // Three voters, 33.33 each; each backs one project. b (10) is bought at once; a and c (60 each)
  // need a share of 60. The outcome {b} leaves room for a, so Add1 raises the share a pound at a
  // time; at 60.33 (27 raises) a and c become affordable together: 130 > 100. The outcome at 26
  // raises stands.
  auto e = parse_pabulib(pb_text("approval", "100", {{"a", "60"}, {"b", "10"}, {"c", "60"}}, {{"a"}, {"b"}, {"c"}}));
  EXPECT_EQ(selected(e, "mes_cost"), Ids({"b"}));
  auto o = tally(e, "mes_cost_add1");
  EXPECT_EQ(ids(e, o.selected), Ids({"b"}));
  EXPECT_TRUE(o.add1_stopped_by_overspend);
  EXPECT_EQ(o.add1_steps, 26);
  EXPECT_EQ(o.voter_share, "59.33");
  // The greedy completion then adds a (60 of the 90 left; a and c tie on votes, a on id).
  auto g = tally(e, "mes_cost_add1_greedy");
  EXPECT_EQ(ids(e, g.selected), Ids({"b", "a"}));
  EXPECT_EQ(result_for(e, g, "c").reason, Reason::shares_too_small);
}

TEST(PbEqualShares, GreedyCompletionFillsWhatIsLeft) {
  // Six voters back "x" (cost 30); one backs "y" (cost 50); budget 70 (10 each). MES buys x;
  // y's lone supporter has 10, and y would not fit in the 40 left anyway, so Add1 has nothing to
  // do. The greedy completion cannot add y either, but adds "z", which nobody backed, because it
  // fits (as the reference does).
  auto e = parse_pabulib(pb_text("approval", "70", {{"x", "30"}, {"y", "50"}, {"z", "40"}}, times(6, {"x"}) + std::vector<V>{{"y"}}));
  auto o = tally(e, "mes_cost_add1_greedy");
  EXPECT_EQ(ids(e, o.selected), Ids({"x", "z"}));
  EXPECT_EQ(o.completion_from, 1u);
  EXPECT_EQ(result_for(e, o, "z").reason, Reason::added_by_greedy);
  EXPECT_EQ(result_for(e, o, "z").budget_left, "40");
  EXPECT_EQ(result_for(e, o, "y").reason, Reason::shares_too_small);
  EXPECT_EQ(ids(e, tally(e, "mes_cost_add1").selected), Ids({"x"}));
}

TEST(PbEqualShares, EmptyVotesChooseNothing) {
  auto e = parse_pabulib(pb_text("approval", "100", {{"a", "10"}}, {}));
  for (const char* rule : {"mes_cost", "mes_card", "mes_cost_add1", "mes_card_add1"}) {
    auto o = tally(e, rule);
    EXPECT_TRUE(o.selected.empty()) << rule;
    EXPECT_EQ(result_for(e, o, "a").reason, Reason::no_supporters) << rule;
  }
}

TEST(PbEqualShares, AdditivePointsAndPositions) {
  // Voter 1: a 3 points, b 1. Voter 2: b 4 points. Budget 100 (50 each), a and b cost 50.
  // b: ρ = 50/5 = 10 per point (voter 1 pays 10, voter 2 pays 40); a: 50/3 per point. b first;
  // then voter 1 has 40 < 50 for a.
  auto e = parse_pabulib(pb_text("cumulative", "100", {{"a", "50"}, {"b", "50"}}, {{"a,b", "3,1"}, {"b", "4"}}));
  auto o = tally(e, "mes_add");
  EXPECT_EQ(ids(e, o.selected), Ids({"b"}));
  EXPECT_EQ(result_for(e, o, "b").price, "10");
  EXPECT_EQ(result_for(e, o, "a").supporters_money, "40");
  EXPECT_EQ(selected(e, "greedy"), Ids({"b", "a"}));

  // Ordinal, max_length 2: first place 2 points, second 1. Same shape as above.
  auto r = parse_pabulib(pb_text("ordinal", "100", {{"a", "50"}, {"b", "50"}, {"c", "50"}}, {{"a,b"}, {"b,c"}, {"b"}},
                                 "max_length;2\n"));
  // b: points 1 + 2 + 2 = 5 from three voters with 33.33 each: ρ = 10, v1 pays 10, others 20.
  // a: v1 only, 2 points: needs 50 > 33.33. c: v2 only, 1 point: no. So only b.
  EXPECT_EQ(selected(r, "mes_pos"), Ids({"b"}));
  EXPECT_EQ(selected(r, "greedy"), Ids({"b", "a"}));  // b 5 points, a 2, c 1; a fits, then c does not
  EXPECT_EQ(selected(r, "greedy_votes"), Ids({"b", "a"}));
}

TEST(PbEqualShares, TiesOnPointsAndRanksGoToTheSmallerId) {
  // The same points from the same voters for two projects of the same cost: equal ρ, equal
  // totals, equal supporters. Only one fits.
  auto c = parse_pabulib(pb_text("cumulative", "40", {{"b", "40"}, {"a", "40"}}, times(4, {"b,a", "2,2"})));
  for (const char* rule : {"mes_add", "mes_add_add1", "mes_add_add1_greedy", "greedy", "greedy_votes"})
    EXPECT_EQ(selected(c, rule), Ids({"a"})) << rule;
  // Ranked ballots: half the voters put b first, half put a first, so each gets 3 + 2 per pair.
  auto r = parse_pabulib(pb_text("ordinal", "40", {{"b", "40"}, {"a", "40"}}, times(2, {"b,a"}) + times(2, {"a,b"}),
                                 "max_length;3\n"));
  for (const char* rule : {"mes_pos", "mes_pos_add1", "greedy", "greedy_votes"}) EXPECT_EQ(selected(r, rule), Ids({"a"})) << rule;
}

TEST(PbPhragmen, StopsAtTheFirstProjectThatDoesNotFit) {
  // Loads: a 60/6 = 10, b 50/4 = 12.5, c 30/1 = 30. a, then b would make 110 > 100: stop, even
  // though c would fit. Greedy skips b and takes c.
  auto e = parse_pabulib(pb_text("approval", "100", {{"a", "60"}, {"b", "50"}, {"c", "30"}},
                                 times(6, {"a"}) + times(4, {"b"}) + times(1, {"c"})));
  auto o = tally(e, "phragmen");
  EXPECT_EQ(ids(e, o.selected), Ids({"a"}));
  EXPECT_EQ(o.stopped_by, "b");
  EXPECT_EQ(result_for(e, o, "a").load, "10");
  EXPECT_EQ(result_for(e, o, "b").load, "12.5");
  EXPECT_EQ(result_for(e, o, "c").reason, Reason::count_stopped);
  EXPECT_EQ(selected(e, "greedy"), Ids({"a", "c"}));
}

TEST(PbPhragmen, ATieWithAProjectThatDoesNotFitStopsTheCount) {
  // After "a" (load 10), "x" (20/1) and "y" (40/2) tie at load 20. x would fit but y would not:
  // the reference stops as soon as any project tied for the lowest load would overspend.
  auto e = parse_pabulib(pb_text("approval", "100", {{"a", "70"}, {"x", "20"}, {"y", "40"}},
                                 times(7, {"a"}) + times(1, {"x"}) + times(2, {"y"})));
  EXPECT_EQ(selected(e, "phragmen"), Ids({"a"}));
  EXPECT_EQ(tally(e, "phragmen").stopped_by, "y");
}

TEST(PbPhragmen, LoadsCarryOverBetweenRounds) {
  // Five voters back both p (cost 50) and q (cost 50); one other voter backs r (cost 20).
  // p: 10 each. q: (5·10 + 50)/5 = 20. r: 20/1 = 20. q and r tie at 20; q wins on id.
  auto e = parse_pabulib(pb_text("approval", "200", {{"p", "50"}, {"q", "50"}, {"r", "20"}},
                                 times(5, {"p,q"}) + times(1, {"r"})));
  auto o = tally(e, "phragmen");
  EXPECT_EQ(ids(e, o.selected), Ids({"p", "q", "r"}));
  EXPECT_EQ(result_for(e, o, "q").load, "20");
}

TEST(PbPhragmen, EmptyVotesTakeUnbackedProjectsOnlyWhileAllTiedFit) {
  // Nobody voted: every project ties at an infinite load. The reference takes them in id order
  // until one of the tied projects would overspend: after a (60), c (90) would, so the count stops
  // although b (30) would fit. Greedy takes a and b.
  auto fits = parse_pabulib(pb_text("approval", "100", {{"b", "40"}, {"a", "60"}}, {}));
  EXPECT_EQ(selected(fits, "phragmen"), Ids({"a", "b"}));
  auto stops = parse_pabulib(pb_text("approval", "100", {{"c", "90"}, {"b", "30"}, {"a", "60"}}, {}));
  EXPECT_EQ(selected(stops, "phragmen"), Ids({"a"}));
  EXPECT_EQ(tally(stops, "phragmen").stopped_by, "c");
  EXPECT_EQ(selected(stops, "greedy"), Ids({"a", "b"}));
}

TEST(PbRules, WhichRulesApplyToWhichBallots) {
  auto approval = parse_pabulib(pb_text("approval", "10", {{"a", "1"}}, {{"a"}}));
  auto points = parse_pabulib(pb_text("cumulative", "10", {{"a", "1"}}, {{"a", "1"}}));
  EXPECT_EQ(rules_for(VoteType::approval).size(), 8u);
  EXPECT_THROW(tally(approval, "mes_add"), std::invalid_argument);
  EXPECT_THROW(tally(points, "phragmen"), std::invalid_argument);
  EXPECT_THROW(tally(points, "mes_nothing"), std::invalid_argument);
  try {
    tally(points, "phragmen");
  } catch (const std::invalid_argument& err) {
    EXPECT_STREQ(err.what(), "rule_not_for_ballots");
  }
  for (const auto& rule : rules_for(VoteType::cumulative)) EXPECT_NO_THROW(tally(points, rule)) << rule;
  for (const auto& rule : rules_for(VoteType::approval)) EXPECT_NO_THROW(tally(approval, rule)) << rule;
}

TEST(PbRules, FreeProjectsAreTakenFirstByEqualSharesUnlessValuedByCost) {
  // A project that costs nothing and has a supporter is taken before anything is paid for...
  auto e = parse_pabulib(pb_text("approval", "10", {{"paid", "10"}, {"gift", "0"}}, times(2, {"paid,gift"})));
  auto o = tally(e, "mes_card");
  EXPECT_EQ(ids(e, o.selected), Ids({"gift", "paid"}));
  EXPECT_EQ(result_for(e, o, "gift").reason, Reason::free);
  // ...but with cost utilities it is worth nothing to anyone, so MES leaves it (as the reference
  // does); the greedy completion takes it, since it fits.
  auto c = tally(e, "mes_cost");
  EXPECT_EQ(ids(e, c.selected), Ids({"paid"}));
  EXPECT_EQ(result_for(e, c, "gift").reason, Reason::worth_nothing);
  EXPECT_EQ(selected(e, "mes_cost_add1_greedy"), Ids({"paid", "gift"}));
}
