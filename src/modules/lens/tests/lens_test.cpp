// The learning lens on a small fixed dataset: pages and exports against figures worked out by hand,
// the learning log, and the XLSX read back by a real spreadsheet program. Both databases.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "core/util.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/lens/lens.hpp"
#include "modules/selfassess/selfassess.hpp"
#include "support/harness.hpp"

using namespace cp;
using cp::test::Client;
using cp::test::TestServer;
namespace js = cp::modules::journeys_store;
namespace jy = cp::modules::journeys;

namespace {

const std::string kPw = "lens test password";

// The dataset, worked out by hand (T is today):
//  10 people: stage 1 at T-420, stage 3 at T-410; a job start at T-400 (5 "old") or T-100 (5 "recent").
//     13-week checks: old 4 yes 1 no; recent 3 yes, 2 unanswered. 26-week: old 5 yes. 52-week: none.
//   6 people: stage 1 at T-100; 5 start learning at T-50, 1 starts volunteering at T-50.
//   2 people: stage 2 at T-50.   1 person: no stage.
// So: people 19; at stage [none 1, s1 6, s2 2, s3 10, s4 0, s5 0].
//     moves: first->1 16, first->2 2, 1->3 10 (total 28).
//     job starts 10; 13 weeks: cohort 10, still 7, not 1, not checked 2, 70%, too recent 0;
//     26 weeks: cohort 5 (too recent 5), still 5; 52 weeks: cohort 5, not checked 5.
//     destinations: job 10, education 5, volunteering 1, other 0 (total 16).
//     days to first outcome: 20 x5, 50 x6, 320 x5: median 50.
//  Lone parent: the 5 old job starters "yes", 12 "no", 2 never asked.
//  Self-assessment: scale A, 5 people answered twice (+2 +2 +2 +2 +3: mean 2.2); scale B, 3 people.
struct Fixture {
  TestServer s;
  std::int64_t org = 0, other_org = 0, worker = 0, admin = 0, manager = 0, other_manager = 0, scale_b = 0;
  std::string today = jy::iso_date(now_seconds());

  std::string day(int ago) { return jy::add_days(today, -ago); }

  Fixture() {
    org = s.add_organisation(s.alpha, "Lens Org");
    other_org = s.add_organisation(s.alpha, "Other Org");
    worker = s.add_user(s.alpha, "worker@example.org", kPw, auth::Role::worker, org);
    admin = s.add_user(s.alpha, "admin@example.org", kPw, auth::Role::admin);
    manager = s.add_user(s.alpha, "manager@example.org", kPw, auth::Role::manager, org);
    other_manager = s.add_user(s.alpha, "other@example.org", kPw, auth::Role::manager, other_org);
    auto w = s.app->work(s.alpha.id, {worker, "user", "", ""});
    auto& sc = w.scope();
    jy::Who by{worker, "Worker"};
    modules::selfassess::ScaleInput a, b;
    a.name = {"Confidence", "Hyder"};
    a.question = {"How confident do you feel?", ""};
    a.low = {"Not at all", ""};
    a.middle = {"Some days", ""};
    a.high = {"Very", ""};
    b = a;
    b.name = {"Money", "Arian"};
    auto scale_a = modules::selfassess_store::add_scale(sc, a);
    scale_b = modules::selfassess_store::add_scale(sc, b);
    auto person = [&](const std::string& name, const std::string& lone) {
      auto id = js::create_person(sc, name, std::nullopt, worker, org);
      jy::Profile p;
      p.lone_parent = lone;
      if (lone != "not_asked") js::save_profile(sc, id, p);
      return id;
    };
    int n = 0;
    for (int i = 0; i < 10; ++i) {
      bool old = i < 5;
      auto id = person("Job " + std::to_string(i), old ? "yes" : "no");
      js::add_stage(sc, id, 1, day(420), by);
      js::add_stage(sc, id, 3, day(410), by);
      jy::OutcomeInput o;
      o.kind = "job_start";
      o.on_date = day(old ? 400 : 100);
      o.contract = "permanent";
      o.employer = "Employer";
      js::add_outcome(sc, id, o, by);
      for (const auto& c : js::checks(sc, id)) {
        if (c.week == 13 && (old || i < 8)) js::answer_check(sc, c.id, !(old && i == 0), c.due_on, by);
        if (c.week == 26 && old) js::answer_check(sc, c.id, true, c.due_on, by);
      }
      if (n < 5) {  // scale A: first 2 or 3 points lower than the last
        modules::selfassess_store::record(sc, id, worker, true, day(300), {{scale_a, 3}});
        modules::selfassess_store::record(sc, id, worker, true, day(200), {{scale_a, 4}});
        modules::selfassess_store::record(sc, id, worker, true, day(100), {{scale_a, n == 4 ? 6 : 5}});
      } else if (n < 8) {
        modules::selfassess_store::record(sc, id, worker, true, day(300), {{scale_b, 5}});
        modules::selfassess_store::record(sc, id, worker, true, day(100), {{scale_b, 9}});
      }
      ++n;
    }
    for (int i = 0; i < 6; ++i) {
      auto id = person("Learn " + std::to_string(i), "no");
      js::add_stage(sc, id, 1, day(100), by);
      jy::OutcomeInput o;
      o.kind = i < 5 ? "education" : "volunteering";
      o.on_date = day(50);
      js::add_outcome(sc, id, o, by);
    }
    for (int i = 0; i < 2; ++i) js::add_stage(sc, person("Two " + std::to_string(i), "not_asked"), 2, day(50), by);
    person("None", "no");
    w.commit();
  }
  Client as(const std::string& who) { return signed_in(s, who + "@example.org", kPw); }
};

// The CSV export as sections: title -> rows of fields (header first).
std::map<std::string, std::vector<std::vector<std::string>>> sections(const std::string& csv) {
  std::map<std::string, std::vector<std::vector<std::string>>> out;
  std::vector<std::vector<std::string>> block;
  auto flush = [&] {
    if (block.size() > 1) out[block[0][0]] = std::vector<std::vector<std::string>>(block.begin() + 1, block.end());
    block.clear();
  };
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < csv.size(); ++i) {
    char c = csv[i];
    if (quoted) {
      if (c == '"' && i + 1 < csv.size() && csv[i + 1] == '"') field += '"', ++i;
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') quoted = true, any = true;
    else if (c == ',') row.push_back(field), field.clear(), any = true;
    else if (c == '\r') continue;
    else if (c == '\n') {
      if (!any && field.empty() && row.empty()) flush();
      else {
        row.push_back(field);
        block.push_back(row);
      }
      row.clear();
      field.clear();
      any = false;
    } else field += c, any = true;
  }
  flush();
  return out;
}

// The row of a section whose first field is `label` (empty when missing).
std::vector<std::string> row_of(const std::vector<std::vector<std::string>>& rows, const std::string& label) {
  for (const auto& r : rows)
    if (!r.empty() && r[0] == label) return r;
  return {};
}

using Row = std::vector<std::string>;

}  // namespace

TEST(Lens, FiguresMatchTheHandWorkedDatasetOnPageAndInCsv) {
  Fixture f;
  auto c = f.as("admin");
  auto page = c.get("/lens");
  ASSERT_EQ(page.status, 200);
  auto csv = c.get("/lens/export.csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv.header("content-disposition").find("attachment"), std::string::npos);
  EXPECT_NE(csv.body.find("\r\n"), std::string::npos);
  auto sec = sections(csv.body);

  auto stages = sec["People supported, by stage"];
  ASSERT_FALSE(stages.empty()) << csv.body;
  EXPECT_EQ(stages[0], (Row{"Stage", "People"}));
  EXPECT_EQ(row_of(stages, "No stage recorded yet"), (Row{"No stage recorded yet", "<5"}));
  EXPECT_EQ(row_of(stages, "Stage 1: getting started"), (Row{"Stage 1: getting started", "6"}));
  EXPECT_EQ(row_of(stages, "Stage 2: removing barriers"), (Row{"Stage 2: removing barriers", "<5"}));
  EXPECT_EQ(row_of(stages, "Stage 3: skills and training"), (Row{"Stage 3: skills and training", "10"}));
  EXPECT_EQ(row_of(stages, "Stage 4: meeting employers"), (Row{"Stage 4: meeting employers", "0"}));
  EXPECT_EQ(row_of(stages, "All people"), (Row{"All people", "19"}));

  // One small cell (first->2 = 2) in a table with a total: the next smallest (1->3 = 10) goes too.
  auto moves = sec["Moving between stages"];
  EXPECT_EQ(row_of(moves, "Started at stage 1"), (Row{"Started at stage 1", "16"}));
  EXPECT_EQ(row_of(moves, "Started at stage 2"), (Row{"Started at stage 2", "<5"}));
  EXPECT_EQ(row_of(moves, "Moved on from stage 1 to 3"), (Row{"Moved on from stage 1 to 3", "[s]"}));
  EXPECT_EQ(row_of(moves, "All changes"), (Row{"All changes", "28"}));

  auto sus = sec["Jobs kept at 13, 26 and 52 weeks"];
  EXPECT_EQ(row_of(sus, "13 weeks"), (Row{"13 weeks", "10", "7", "<5", "<5", "70", "0"}));
  EXPECT_EQ(row_of(sus, "26 weeks"), (Row{"26 weeks", "5", "5", "0", "0", "100", "5"}));
  EXPECT_EQ(row_of(sus, "52 weeks"), (Row{"52 weeks", "5", "0", "0", "5", "0", "5"}));

  // Volunteering 1 is small; education 5, the next smallest, is hidden with it.
  auto dest = sec["Job starts and other good outcomes"];
  EXPECT_EQ(row_of(dest, "Started a job"), (Row{"Started a job", "10"}));
  EXPECT_EQ(row_of(dest, "Started learning or training"), (Row{"Started learning or training", "[s]"}));
  EXPECT_EQ(row_of(dest, "Started volunteering"), (Row{"Started volunteering", "<5"}));
  EXPECT_EQ(row_of(dest, "Another good outcome"), (Row{"Another good outcome", "0"}));
  EXPECT_EQ(row_of(dest, "All outcomes"), (Row{"All outcomes", "16"}));

  auto first = sec["Time to a first outcome"];
  EXPECT_EQ(row_of(first, "Middle number of days from first stage to first outcome")[1], "50");

  auto dist = sec["Distance travelled on people's own scales"];
  EXPECT_EQ(row_of(dist, "Confidence"), (Row{"Confidence", "5", "2.2"}));
  EXPECT_EQ(row_of(dist, "Money"), (Row{"Money", "<5", "[s]"}));

  // Lone parents: yes 5, no 12, not asked 2 (small) -> "yes" hidden as the next smallest.
  auto lone = sec["Lone parents"];
  EXPECT_EQ(row_of(lone, "Yes").at(1), "[s]");
  EXPECT_EQ(row_of(lone, "No").at(1), "12");
  EXPECT_EQ(row_of(lone, "Not asked").at(1), "<5");
  EXPECT_EQ(row_of(lone, "Everyone").at(1), "19");
  EXPECT_EQ(row_of(lone, "Everyone").at(2), "10");

  // The page shows the same numbers, in words where they are hidden.
  EXPECT_NE(page.body.find("fewer than 5"), std::string::npos);
  EXPECT_NE(page.body.find("hidden to protect small numbers"), std::string::npos);
  EXPECT_NE(page.body.find(">70%<"), std::string::npos);
  EXPECT_NE(page.body.find("<svg class=\"cp-bars\""), std::string::npos);
  EXPECT_NE(page.body.find("What this might tell us"), std::string::npos);
  // A hidden number never appears in the chart's description either.
  EXPECT_EQ(page.body.find("Stage 2: removing barriers: 2"), std::string::npos);
  EXPECT_NE(page.body.find("Stage 2: removing barriers: fewer than 5"), std::string::npos);
}

TEST(Lens, OrganisationAndServiceScopes) {
  Fixture f;
  auto admin = f.as("admin");
  auto mine = admin.get("/lens/export.csv?organisation=" + std::to_string(f.org));
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(row_of(sections(mine.body)["People supported, by stage"], "All people"), (Row{"All people", "19"}));
  auto other = admin.get("/lens/export.csv?organisation=" + std::to_string(f.other_org));
  EXPECT_EQ(row_of(sections(other.body)["People supported, by stage"], "All people"), (Row{"All people", "0"}));
  EXPECT_EQ(admin.get("/lens/export.csv?organisation=999999").status, 404);
  EXPECT_EQ(admin.get("/lens/organisations/999999").status, 404);
  EXPECT_EQ(admin.get("/lens/services/no-such-service").status, 404);

  // A manager goes to their own organisation, and no further.
  auto m = f.as("manager");
  auto r = m.get("/lens");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.header("location"), "/lens/organisations/" + std::to_string(f.org));
  EXPECT_EQ(m.get("/lens/organisations/" + std::to_string(f.org)).status, 200);
  EXPECT_EQ(m.get("/lens/organisations/" + std::to_string(f.other_org)).status, 403);
  EXPECT_EQ(m.get("/lens/export.csv").status, 403);
  EXPECT_EQ(m.get("/lens/export.csv?organisation=" + std::to_string(f.org)).status, 200);
  EXPECT_EQ(f.as("worker").get("/lens").status, 403);
  // The other partnership sees nothing of these.
  Client beta(f.s.port, "beta.test");
  EXPECT_NE(beta.get("/lens/organisations/" + std::to_string(f.org)).status, 200);
}

TEST(Lens, LearningLogWithErrorsKeptThenSavedUnderItsChart) {
  Fixture f;
  auto c = f.as("manager");
  std::string scope = "organisation:" + std::to_string(f.org);
  auto form = "/lens/log?scope=" + scope + "&chart=group_lone_parent";
  auto page = c.get(form);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("value=\"group_lone_parent\" selected"), std::string::npos);
  auto bad = c.submit(form, "/lens/log",
                      {{"scope", scope}, {"chart", "group_lone_parent"}, {"concluded", ""}, {"will_try", "Drop-in at the school"},
                       {"review_day", "31"}, {"review_month", "2"}, {"review_year", "2027"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("href=\"#concluded\""), std::string::npos);
  EXPECT_NE(bad.body.find("href=\"#review_day\""), std::string::npos);
  EXPECT_NE(bad.body.find("Drop-in at the school"), std::string::npos);  // kept
  auto ok = c.submit(form, "/lens/log",
                     {{"scope", scope}, {"chart", "group_lone_parent"}, {"concluded", "Few lone parents <come>"},
                      {"will_try", "Drop-in at the school"}, {"review_day", "31"}, {"review_month", "3"}, {"review_year", "2027"}});
  EXPECT_EQ(ok.status, 303);
  EXPECT_EQ(ok.header("location"), "/lens/organisations/" + std::to_string(f.org) + "#chart-group_lone_parent");
  auto dash = c.get("/lens/organisations/" + std::to_string(f.org));
  EXPECT_NE(dash.body.find("Few lone parents &lt;come&gt;"), std::string::npos);
  EXPECT_NE(dash.body.find("31 March 2027"), std::string::npos);
  // The other organisation's manager may neither read it nor write for that organisation.
  auto o = f.as("other");
  EXPECT_EQ(o.get("/lens/log").body.find("Few lone parents"), std::string::npos);
  auto denied = o.submit("/lens/log", "/lens/log", {{"scope", scope}, {"chart", "stages"}, {"concluded", "x"}});
  EXPECT_EQ(denied.status, 403);
  // An admin reads it on the log page.
  EXPECT_NE(f.as("admin").get("/lens/log").body.find("Few lone parents"), std::string::npos);
  // Erasure of the author's account keeps the entry and drops the name.
  auto w = f.s.app->work(f.s.alpha.id, {std::nullopt, "test", "", ""});
  EXPECT_EQ(modules::lens::lens_store::entries_by(w.scope(), f.manager).size(), 1u);
  EXPECT_EQ(modules::lens::lens_store::forget_author(w.scope(), f.manager), 1);
  auto all = modules::lens::lens_store::entries(w.scope(), "organisation", f.org);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].by_name, "");
  EXPECT_FALSE(all[0].written_by.has_value());
  w.commit();
}

TEST(Lens, XlsxOpensInARealSpreadsheetProgramWithTheSameFigures) {
  if (std::system("command -v soffice >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "soffice (LibreOffice) is not installed, so the XLSX cannot be read back here";
  Fixture f;
  auto c = f.as("admin");
  auto x = c.get("/lens/export.xlsx");
  ASSERT_EQ(x.status, 200);
  EXPECT_EQ(x.body.substr(0, 2), "PK");  // a zip container
  auto csv = sections(c.get("/lens/export.csv").body);
  namespace fs = std::filesystem;
  auto dir = fs::temp_directory_path() / ("lens-xlsx-" + std::to_string(::getpid()) + "-" + test::backend());
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    std::ofstream out(dir / "lens.xlsx", std::ios::binary);
    out << x.body;
  }
  // Every sheet to its own CSV (the 12th option, -1), UTF-8 (76), comma and double quote.
  std::string cmd = "cd '" + dir.string() + "' && soffice -env:UserInstallation=file://" + (dir / "profile").string() +
                    " --headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1'"
                    " --outdir '" + dir.string() + "' lens.xlsx >soffice.log 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  auto read = [&](const std::string& sheet) {
    std::ifstream in(dir / ("lens-" + sheet + ".csv"), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  auto stages = read("stages");
  ASSERT_FALSE(stages.empty()) << "no sheet 'stages' converted";
  // The sheet starts with its title: the rest reads like the CSV export's section.
  auto sheet = sections(stages + "\n");
  auto rows = sheet["People supported, by stage"];
  ASSERT_EQ(rows.size(), 8u) << stages;  // header, six stages, total
  EXPECT_EQ(rows, csv["People supported, by stage"]);
  auto sus = sections(read("sustained") + "\n")["Jobs kept at 13, 26 and 52 weeks"];
  EXPECT_EQ(row_of(sus, "13 weeks"), (Row{"13 weeks", "10", "7", "<5", "<5", "70", "0"}));
  auto dist = sections(read("distance") + "\n")["Distance travelled on people's own scales"];
  EXPECT_EQ(row_of(dist, "Confidence"), (Row{"Confidence", "5", "2.2"}));
  auto notes = read("Notes");
  EXPECT_NE(notes.find("<5 means a number from 1 to 4"), std::string::npos);
  fs::remove_all(dir);
}
