// The learning lens's employability figures (kpi.hpp). Three people's records are made through the
// real HTTP routes (profile with monitoring answers, stages, outcomes, sustainment checks, plan edits,
// referrals accepted and declined, a SIMD zones load, and an erasure); after each step the counters
// that journeys kept must equal what rebuild_kpis recomputes from the records, and both must equal
// figures worked out by hand below.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include <boost/json.hpp>

#include "core/util.hpp"
#include "modules/capabilities/tests/people_fixture.hpp"
#include "modules/directory/directory.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/journeys/kpi.hpp"
#include "modules/organisations/organisations.hpp"
#include "modules/postcodes/postcodes.hpp"
#include "support/harness.hpp"
#include "support/matrix.hpp"

namespace cp {
namespace {

namespace json = boost::json;
namespace kpi = modules::journeys;
namespace db = modules::journeys_store;

using Fields = std::vector<std::pair<std::string, std::string>>;

// Everything the lens reads for one filter, as text, so two readings compare in one assertion.
std::string describe(const kpi::Kpis& k) {
  std::ostringstream o;
  o << "people " << k.people << " stages";
  for (auto n : k.at_stage) o << " " << n;
  o << " | moves";
  for (const auto& m : k.moves) o << " " << m.from << ">" << m.to << ":" << m.people;
  o << " | starts " << k.job_starts << " | sustained";
  for (const auto& s : k.sustained)
    o << " " << s.week << "w:" << s.cohort << "/" << s.sustained << "/" << s.not_sustained << "/" << s.not_checked;
  o << " | other";
  for (const auto& [kind, n] : k.other_destinations) o << " " << kind << ":" << n;
  o << " | median ";
  if (k.median_days_to_first_outcome) o << *k.median_days_to_first_outcome;
  else o << "none";
  o << " | referrals " << k.referrals << "/" << k.referrals_declined << " | plan " << k.plan_changes << "/"
    << k.plan_changes_by_person;
  return o.str();
}

std::string describe(const std::vector<kpi::GroupRow>& rows) {
  std::ostringstream o;
  for (const auto& g : rows) {
    o << g.value << ":" << g.people << "/" << g.job_starts << "/" << g.outcomes << "[";
    for (int i = 0; i < 6; ++i) o << (i ? "," : "") << g.at_stage[i];
    o << "] ";
  }
  return o.str();
}

struct Kpi : ::testing::Test {
  test::TestServer s;
  std::int64_t org = 0, college = 0, course = 0, jo_user = 0;
  std::int64_t jo = 0, ben = 0, cal = 0;
  test::Client person{s.port}, worker{s.port}, tutor{s.port};
  const std::string today = "2026-12-01";  // the date the figures are read for

  void SetUp() override {
    test::people::load_postcodes(*s.app);
    org = s.add_organisation(s.alpha, "Fife Works");
    {
      auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
      std::string feed =
          R"({"services":[{"id":"00000001-0000-4000-8000-000000000001","name":"Kitchen skills course",)"
          R"("description":"Learn to cook for work.","status":"active","organization":{"id":)"
          R"("00000002-0000-4000-8000-000000000001","name":"Harbour College","description":"A college."}}]})";
      modules::directory_store::import_feed(w.scope(), json::parse(feed));
      w.commit();
      college = *modules::organisations_store::find_by_slug(w.scope(), "harbour-college");
      course = w->read("SELECT id FROM directory_services WHERE partnership_id = $1 AND uuid = $2",
                       {std::string("00000001-0000-4000-8000-000000000001")})
                   .one()
                   .i64(0);
    }
    jo_user = s.add_user(s.alpha, "jo@example.org", test::matrix::kPassword, auth::Role::person);
    s.add_user(s.alpha, "sam@example.org", test::matrix::kPassword, auth::Role::worker, org);
    s.add_user(s.alpha, "tia@example.org", test::matrix::kPassword, auth::Role::worker, college);
    ASSERT_EQ(person.sign_in("jo@example.org", test::matrix::kPassword).status, 303);
    ASSERT_EQ(worker.sign_in("sam@example.org", test::matrix::kPassword).status, 303);
    ASSERT_EQ(tutor.sign_in("tia@example.org", test::matrix::kPassword).status, 303);
    // Built once now, so every figure the tests read afterwards was kept up to date change by change
    // (a first read would otherwise build the counters from the records).
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
    kpi::rebuild_kpis(w.scope());
    w.commit();
  }

  std::int64_t one(const std::string& sql, store::Params p = {}) {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    return w->read(sql, std::move(p)).one().i64(0);
  }

  void ok(const test::HttpResult& r) { EXPECT_EQ(r.status, 303) << r.body.substr(0, 3000); }

  std::string page(std::int64_t id) { return "/people/" + std::to_string(id) + "/outcomes?reason=follow_up"; }

  void stage(std::int64_t id, int st, const std::string& date) {
    ok(worker.submit(page(id), "/people/" + std::to_string(id) + "/stages",
                     {{"stage", std::to_string(st)}, {"stage_day", std::to_string(std::stoi(date.substr(8, 2)))},
                      {"stage_month", std::to_string(std::stoi(date.substr(5, 2)))}, {"stage_year", date.substr(0, 4)},
                      {"reason", "follow_up"}}));
  }

  void outcome(std::int64_t id, const std::string& kind, const std::string& date) {
    Fields f = {{"kind", kind}, {"out_day", std::to_string(std::stoi(date.substr(8, 2)))},
                {"out_month", std::to_string(std::stoi(date.substr(5, 2)))}, {"out_year", date.substr(0, 4)},
                {"reason", "follow_up"}};
    if (kind == "job_start") {
      f.emplace_back("hours", "20");
      f.emplace_back("contract", "permanent");
    }
    ok(worker.submit(page(id), "/people/" + std::to_string(id) + "/outcomes", f));
  }

  void check(std::int64_t id, int week, bool yes, const std::string& on) {
    auto c = one("SELECT c.id FROM journey_outcome_checks c WHERE c.partnership_id = $1 AND c.person_id = $2"
                 " AND c.week = $3",
                 {id, std::int64_t{week}});
    ok(worker.submit(page(id), "/checks/" + std::to_string(c),
                     {{"still_in_work", yes ? "yes" : "no"}, {"check_day", std::to_string(std::stoi(on.substr(8, 2)))},
                      {"check_month", std::to_string(std::stoi(on.substr(5, 2)))}, {"check_year", on.substr(0, 4)},
                      {"reason", "follow_up"}}));
  }

  std::int64_t refer(std::int64_t id, bool asked_in_room) {
    Fields f = {{"service", std::to_string(course)}, {"parts", "profile"}, {"reason", "follow_up"}};
    if (asked_in_room) f.emplace_back("asked", "1");
    ok(worker.submit("/people/" + std::to_string(id) + "/referrals/new?reason=follow_up",
                     "/people/" + std::to_string(id) + "/referrals", f));
    return one("SELECT MAX(id) FROM journey_referrals WHERE partnership_id = $1");
  }

  void decide(std::int64_t ref, bool accept) {
    Fields f = {{"decision", accept ? "accept" : "decline"}};
    if (!accept) f.emplace_back("decline_reason", "no_capacity");
    ok(tutor.submit("/referrals/" + std::to_string(ref), "/referrals/" + std::to_string(ref) + "/decision", f));
  }

  kpi::KpiFilter filter(std::optional<std::int64_t> o = std::nullopt, std::optional<std::int64_t> sv = std::nullopt) {
    kpi::KpiFilter f;
    f.organisation_id = o;
    f.service_id = sv;
    f.today = today;
    return f;
  }

  // The figures for one filter, read from the kept counters.
  std::string figures(const kpi::KpiFilter& f) {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    std::string out = describe(kpi::kpis(w.scope(), f));
    for (const auto& d : kpi::kBreakdowns) out += "\n" + d + ": " + describe(kpi::kpi_breakdown(w.scope(), f, d));
    return out;
  }

  // The kept counters must equal a rebuild from the records, for every filter the test uses.
  void expect_same_as_rebuild() {
    std::vector<kpi::KpiFilter> filters = {filter(), filter(org), filter(college), filter(std::nullopt, course),
                                           filter(org, course), filter(college, course)};
    std::vector<std::string> kept;
    for (const auto& f : filters) kept.push_back(figures(f));
    {
      auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
      kpi::rebuild_kpis(w.scope());
      w.commit();
    }
    for (std::size_t i = 0; i < filters.size(); ++i) EXPECT_EQ(kept[i], figures(filters[i])) << "filter " << i;
  }

  std::int64_t new_person(const std::string& name, const std::string& email = "") {
    Fields f = {{"name", name}};
    if (!email.empty()) f.emplace_back("email", email);
    ok(worker.submit("/people/new", "/people/new", f));
    return one("SELECT MAX(id) FROM journey_people WHERE partnership_id = $1");
  }

  // Jo, Ben and Cal, as described at the top of the tests below.
  void make_records() {
    jo = new_person("Jo", "jo@example.org");
    ok(person.submit("/me/consents", "/me/consents",
                     {{"organisation", std::to_string(org)}, {"parts", "profile"}, {"parts", "plan"}, {"parts", "outcomes"}}));
    ok(person.submit("/me/record", "/me/record",
                     {{"what_matters", "My girls"}, {"language", "en"}, {"postcode", "ky1 1ab"}, {"birth_year", "1990"},
                      {"lone_parent", "yes"}, {"disability", "no"}}));
    ben = new_person("Ben");
    ok(worker.submit("/people/" + std::to_string(ben) + "/consents", "/people/" + std::to_string(ben) + "/consents",
                     {{"parts", "profile"}, {"parts", "plan"}, {"parts", "outcomes"}, {"asked", "1"}}));
    ok(worker.submit("/people/" + std::to_string(ben) + "/profile?reason=follow_up",
                     "/people/" + std::to_string(ben) + "/profile",
                     {{"what_matters", "Cooking"}, {"language", "en"}, {"postcode", "KY2 5AB"}, {"birth_year", "2005"},
                      {"lone_parent", "prefer_not"}, {"disability", "yes"}, {"reason", "follow_up"}}));
    cal = new_person("Cal");

    stage(jo, 1, "2026-01-05");
    stage(jo, 2, "2026-02-02");
    stage(jo, 4, "2026-03-02");
    outcome(jo, "job_start", "2026-03-16");
    check(jo, 13, true, "2026-06-15");
    check(jo, 26, false, "2026-09-14");
    stage(ben, 1, "2026-01-09");
    stage(ben, 1, "2026-01-19");  // the same stage again is no change
    stage(ben, 3, "2026-02-09");
    outcome(ben, "education", "2026-02-19");
    outcome(ben, "job_start", "2026-06-02");

    ok(person.submit("/me/plan", "/me/plan/goals", {{"goal", "Work that fits school"}}));
    auto goal = one("SELECT MAX(id) FROM journey_goals WHERE partnership_id = $1");
    ok(worker.submit("/people/" + std::to_string(jo) + "?part=plan&reason=review_plan",
                     "/people/" + std::to_string(jo) + "/plan/steps",
                     {{"goal_id", std::to_string(goal)}, {"action", "Look at school-hours jobs"}, {"who", "keyworker"},
                      {"status", "not_started"}, {"reason", "review_plan"}}));

    auto to_jo = refer(jo, false);
    ok(person.submit("/me/referrals", "/me/referrals/" + std::to_string(to_jo), {{"answer", "yes"}}));
    decide(to_jo, false);
    decide(refer(ben, true), true);
  }
};

// Hand-worked figures for Jo, Ben and Cal (all on Sam's caseload at Fife Works), read on 2026-12-01:
//   Jo:  lone parent yes, disability no, born 1990 (36: 35-49), KY1 1AB. Stages 1, 2, 4 (Jan 5, Feb 2,
//        Mar 2). Job start Mar 16 (70 days after stage 1): 13-week check yes, 26-week check no. Her own
//        goal and Sam's step: 2 plan changes, 1 by her. Referred to the course; declined.
//   Ben: prefer not to say, disability yes, born 2005 (21: 16-24), KY2 5AB. Stages 1, 1, 3 (the repeat
//        is no change). Education Feb 19 (41 days after stage 1), job start Jun 2. Referred; accepted,
//        so Tia at Harbour College takes him on too.
//   Cal: nothing but the record.
// Cohorts: 13 weeks before Dec 1 is Sep 1 (both starts); 26 weeks is Jun 2 (both: the day counts);
// 52 weeks is Dec 2 2025 (none). Median of 41 and 70 days: 55.5.
const char* kAll =
    "people 3 stages 1 0 0 1 1 0 | moves 0>1:2 1>2:1 1>3:1 2>4:1 | starts 2 | sustained 13w:2/1/0/1 26w:2/0/1/1 "
    "52w:0/0/0/0 | other education:1 other:0 volunteering:0 | median 55.5 | referrals 2/1 | plan 2/1";
const char* kBen =
    "people 1 stages 0 0 0 1 0 0 | moves 0>1:1 1>3:1 | starts 1 | sustained 13w:1/0/0/1 26w:1/0/0/1 52w:0/0/0/0 | "
    "other education:1 other:0 volunteering:0 | median 41 | referrals 1/0 | plan 0/0";

TEST_F(Kpi, FiguresKeptThroughTheRoutesMatchHandWorkedValuesAndARebuild) {
  make_records();
  auto all = figures(filter());
  EXPECT_EQ(all.substr(0, all.find('\n')), kAll);
  EXPECT_NE(all.find("\nlone_parent: yes:1/1/1[0,0,0,0,1,0] no:0/0/0[0,0,0,0,0,0] prefer_not:1/1/2[0,0,0,1,0,0] "
                     "not_asked:1/0/0[1,0,0,0,0,0] \n"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("\ndisability: yes:1/1/2[0,0,0,1,0,0] no:1/1/1[0,0,0,0,1,0] prefer_not:0/0/0[0,0,0,0,0,0] "
                     "not_asked:1/0/0[1,0,0,0,0,0] \n"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("\nage_band: under 16:0/0/0[0,0,0,0,0,0] 16-24:1/1/2[0,0,0,1,0,0] 25-34:0/0/0[0,0,0,0,0,0] "
                     "35-49:1/1/1[0,0,0,0,1,0] 50-64:0/0/0[0,0,0,0,0,0] 65+:0/0/0[0,0,0,0,0,0] "
                     "unknown:1/0/0[1,0,0,0,0,0] \n"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("\narea: KY1:1/1/1[0,0,0,0,1,0] KY2:1/1/2[0,0,0,1,0,0] unknown:1/0/0[1,0,0,0,0,0] \n"),
            std::string::npos)
      << all;
  // No postcode -> data zone link loaded: every decile is unknown, and the breakdown says so.
  EXPECT_NE(all.find("\nsimd_decile: 1:0/0/0[0,0,0,0,0,0] "), std::string::npos) << all;
  EXPECT_NE(all.find(" unknown:3/2/3[1,0,0,1,1,0] "), std::string::npos) << all;

  // An organisation: Fife Works supports all three; Harbour College took Ben on when it accepted him.
  EXPECT_EQ(figures(filter(org)), all);
  auto ben_only = figures(filter(std::nullopt, course));
  EXPECT_EQ(ben_only.substr(0, ben_only.find('\n')), kBen);
  EXPECT_EQ(figures(filter(college)), ben_only);
  EXPECT_EQ(figures(filter(org, course)), ben_only);
  // Read earlier, the cohorts are smaller: on 2026-08-31 only Jo's start is 13 weeks old.
  {
    auto f = filter();
    f.today = "2026-08-31";
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    auto k = kpi::kpis(w.scope(), f);
    EXPECT_EQ(k.sustained[0].cohort, 1);
    EXPECT_EQ(k.sustained[0].sustained, 1);
    EXPECT_EQ(k.sustained[1].cohort, 0);
  }
  expect_same_as_rebuild();
}

TEST_F(Kpi, ASimdZonesLoadRecountsAndAnErasureKeepsTheOutcomeCounts) {
  make_records();
  // A postcode -> data zone file for Jo's postcode only, to a Fife data zone in the shipped table.
  std::string zone, decile;
  {
    std::ifstream in(s.app->cfg.share_dir + "/data/simd/simd2020v2_deciles.csv");
    std::string line;
    while (std::getline(in, line))
      if (line.find(",Fife") != std::string::npos) {
        zone = line.substr(0, line.find(','));
        decile = line.substr(line.find(',') + 1, line.rfind(',') - line.find(',') - 1);
        break;
      }
  }
  ASSERT_FALSE(zone.empty());
  std::string file = "/tmp/coproduce-zones-" + std::to_string(::getpid()) + ".csv";
  std::ofstream(file) << "Postcode,DataZone2011Code,Other\nKY1 1AB," << zone << ",x\n";
  auto r = modules::postcodes::load_zones(*s.app->db, file, s.app->cfg.share_dir + "/data/simd/simd2020v2_deciles.csv");
  EXPECT_EQ(r.postcodes, 1);
  EXPECT_EQ(r.zones, 6976);
  // Until something recounts, reads work from the records without writing, and agree with the
  // kept counters' rules; `coproduce postcodes zones` then recounts every partnership.
  EXPECT_EQ(figures(filter(org)), figures(filter()));
  EXPECT_EQ(kpi::rebuild_all_kpis(*s.app), 2);
  auto all = figures(filter());
  EXPECT_NE(all.find(" " + decile + ":1/1/1[0,0,0,0,1,0] "), std::string::npos) << all;
  EXPECT_NE(all.find(" unknown:2/1/2[1,0,0,1,0,0] "), std::string::npos) << all;
  expect_same_as_rebuild();

  // Jo erases her data. Her outcomes stay in the counts (the record is kept, anonymised); her
  // monitoring answers, age, area and plan go; Fife Works still counts the record it supported.
  ok(person.submit("/me/data/erase", "/me/data/erase", {{"confirm", "yes"}}));
  all = figures(filter());
  EXPECT_EQ(all.substr(0, all.find('\n')),
            "people 3 stages 1 0 0 1 1 0 | moves 0>1:2 1>2:1 1>3:1 2>4:1 | starts 2 | sustained 13w:2/1/0/1 "
            "26w:2/0/1/1 52w:0/0/0/0 | other education:1 other:0 volunteering:0 | median 55.5 | referrals 2/1 | plan 0/0");
  EXPECT_NE(all.find("\nlone_parent: yes:0/0/0[0,0,0,0,0,0] no:0/0/0[0,0,0,0,0,0] prefer_not:1/1/2[0,0,0,1,0,0] "
                     "not_asked:2/1/1[1,0,0,0,1,0] \n"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("\narea: KY2:1/1/2[0,0,0,1,0,0] unknown:2/1/1[1,0,0,0,1,0] \n"), std::string::npos) << all;
  EXPECT_NE(all.find(" unknown:3/2/3[1,0,0,1,1,0] "), std::string::npos) << all;
  EXPECT_EQ(figures(filter(org)), all);
  EXPECT_EQ(one("SELECT lone_parent = 'not_asked' AND disability = 'not_asked' FROM journey_people"
                " WHERE partnership_id = $1 AND id = $2",
                {jo}),
            1);
  expect_same_as_rebuild();
  std::remove(file.c_str());
}

TEST_F(Kpi, MonitoringAnswersAreCheckedAndKeptOnTheForm) {
  new_person("Jo", "jo@example.org");
  auto r = person.submit("/me/record", "/me/record", {{"language", "en"}, {"lone_parent", "maybe"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("govuk-error-summary"), std::string::npos);
  EXPECT_NE(r.body.find("Choose yes, no or I prefer not to say"), std::string::npos);
  EXPECT_EQ(one("SELECT COUNT(*) FROM journey_people WHERE partnership_id = $1 AND lone_parent <> 'not_asked'"), 0);
  ok(person.submit("/me/record", "/me/record", {{"language", "en"}, {"disability", "prefer_not"}}));
  auto page = person.get("/me/record").body;
  EXPECT_NE(page.find("value=\"prefer_not\" checked"), std::string::npos);
  EXPECT_EQ(one("SELECT COUNT(*) FROM journey_people WHERE partnership_id = $1 AND disability = 'prefer_not'"
                " AND lone_parent = 'not_asked'"),
            1);
  // A filter with no one in it reads zeros, and an unknown breakdown is a programming error.
  auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
  auto k = kpi::kpis(w.scope(), filter(college));
  EXPECT_EQ(k.people, 0);
  EXPECT_FALSE(k.median_days_to_first_outcome);
  EXPECT_EQ(k.sustained.size(), 3u);
  EXPECT_THROW(kpi::kpi_breakdown(w.scope(), filter(), "shoe_size"), std::invalid_argument);
}

TEST(KpiUnits, AgeBandsAreasAndDays) {
  EXPECT_EQ(kpi::age_band(std::nullopt, "2026-01-01"), "unknown");
  EXPECT_EQ(kpi::age_band(2011, "2026-01-01"), "under 16");
  EXPECT_EQ(kpi::age_band(2010, "2026-01-01"), "16-24");
  EXPECT_EQ(kpi::age_band(2002, "2026-01-01"), "16-24");
  EXPECT_EQ(kpi::age_band(2001, "2026-01-01"), "25-34");
  EXPECT_EQ(kpi::age_band(1977, "2026-01-01"), "35-49");
  EXPECT_EQ(kpi::age_band(1976, "2026-01-01"), "50-64");
  EXPECT_EQ(kpi::age_band(1961, "2026-01-01"), "65+");
  EXPECT_EQ(kpi::area_of("KY1 1AB"), "KY1");
  EXPECT_EQ(kpi::area_of("EH10 4BF"), "EH10");
  EXPECT_EQ(kpi::area_of("KY1"), "KY1");
  EXPECT_EQ(kpi::area_of(""), "unknown");
}

}  // namespace
}  // namespace cp
