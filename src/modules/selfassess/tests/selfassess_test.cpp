// Distance travelled over real HTTP: an admin writes scales (and retires one), a person answers some
// of them twice and the chart and table show the change, bad answers are refused with nothing
// written, and a worker reaches a person's progress only through the journeys gate for "outcomes"
// (refusals are 403 and logged; openings are logged).
#include <gtest/gtest.h>

#include "modules/journeys/journeys.hpp"
#include "modules/selfassess/selfassess.hpp"
#include "support/harness.hpp"

using namespace cp;
namespace db = modules::selfassess_store;

namespace {

const std::string kPassword = "selfassess test password";

struct SelfAssess : ::testing::Test {
  test::TestServer s;
  std::int64_t org = 0, person_user = 0, worker_user = 0, admin_user = 0, confidence = 0, money = 0;
  test::Client person{s.port}, worker{s.port}, admin{s.port};

  void SetUp() override {
    org = s.add_organisation(s.alpha, "Fife Works");
    person_user = s.add_user(s.alpha, "jo@example.org", kPassword, auth::Role::person);
    worker_user = s.add_user(s.alpha, "sam@example.org", kPassword, auth::Role::worker, org);
    admin_user = s.add_user(s.alpha, "ad@example.org", kPassword, auth::Role::admin);
    ASSERT_EQ(person.sign_in("jo@example.org", kPassword).status, 303);
    ASSERT_EQ(worker.sign_in("sam@example.org", kPassword).status, 303);
    ASSERT_EQ(admin.sign_in("ad@example.org", kPassword).status, 303);
    confidence = add_scale("Confidence", "Hyder");
    money = add_scale("Money", "");
  }

  std::int64_t add_scale(const std::string& name, const std::string& name_cy) {
    auto r = admin.submit("/admin/scales/new", "/admin/scales/new",
                          {{"name", name}, {"name_cy", name_cy}, {"question", "How is " + name + "?"},
                           {"low", "Low"}, {"middle", "Middle"}, {"high", "High"}});
    EXPECT_EQ(r.status, 303) << r.body;
    return count("SELECT MAX(id) FROM selfassess_scales WHERE partnership_id = $1");
  }

  std::int64_t count(const std::string& sql, store::Params p = {}) {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    return w->read(sql, std::move(p)).one().i64(0);
  }

  std::string f(std::int64_t id) { return "score-" + std::to_string(id); }
};

}  // namespace

TEST_F(SelfAssess, AdminScaleNeedsEveryAnchorAndKeepsWhatWasTyped) {
  auto before = count("SELECT COUNT(*) FROM selfassess_scales WHERE partnership_id = $1");
  auto r = admin.submit("/admin/scales/new", "/admin/scales/new", {{"name", "Skills"}, {"question", "How ready?"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("govuk-error-summary"), std::string::npos);
  EXPECT_NE(r.body.find("href=\"#low\""), std::string::npos);
  EXPECT_NE(r.body.find("value=\"Skills\""), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM selfassess_scales WHERE partnership_id = $1"), before);
  // Only admins manage scales.
  EXPECT_EQ(person.get("/admin/scales").status, 403);
  EXPECT_EQ(admin.get("/admin/scales").status, 200);
}

TEST_F(SelfAssess, TwoCompletionsShowTheChangeAsChartAndTable) {
  auto form = person.get("/me/progress/new");
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("name=\"" + f(confidence) + "\""), std::string::npos);
  // Some, not all: money is skipped the first time.
  auto r = person.submit("/me/progress/new", "/me/progress/new", {{f(confidence), "3"}, {f(money), ""}});
  ASSERT_EQ(r.status, 303) << r.body;
  r = person.submit("/me/progress/new", "/me/progress/new", {{f(confidence), "8"}, {f(money), "5"}});
  ASSERT_EQ(r.status, 303);
  EXPECT_EQ(count("SELECT COUNT(*) FROM selfassess_completions WHERE partnership_id = $1"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM selfassess_scores WHERE partnership_id = $1"), 3);

  auto page = person.get("/me/progress");
  ASSERT_EQ(page.status, 200);
  // The chart has a title and a description, and a polyline joining two points.
  auto chart = page.body.find("<svg class=\"sa-chart\"");
  ASSERT_NE(chart, std::string::npos);
  EXPECT_NE(page.body.find("<title id=\"chart-" + std::to_string(confidence) + "-title\">", chart), std::string::npos);
  EXPECT_NE(page.body.find("It was 3 on", chart), std::string::npos);
  EXPECT_NE(page.body.find("<polyline", chart), std::string::npos);
  EXPECT_NE(page.body.find("Up 5 since the first time"), std::string::npos);
  // The same numbers in a table.
  EXPECT_NE(page.body.find("govuk-table__cell--numeric\">3</td>"), std::string::npos);
  EXPECT_NE(page.body.find("govuk-table__cell--numeric\">8</td>"), std::string::npos);
  // Money had one answer: a dot, no line, and a one-answer description.
  EXPECT_NE(page.body.find("One answer: 5 on"), std::string::npos);
  // Welsh readers get the Welsh scale name where there is one, and a note where there is not.
  auto cy = person.get("/me/progress?lang=cy");
  EXPECT_NE(cy.body.find(">Hyder</h2>"), std::string::npos);
  EXPECT_NE(cy.body.find("lang=\"en\">Money</h2>"), std::string::npos);
}

TEST_F(SelfAssess, BadAnswersAreRefusedAndNothingIsWritten) {
  auto r = person.submit("/me/progress/new", "/me/progress/new", {{f(confidence), "11"}, {f(money), "4"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("Pick a number from 1 to 10"), std::string::npos);
  EXPECT_NE(r.body.find("href=\"#" + f(confidence) + "\""), std::string::npos);
  // What was typed for the good answer is kept.
  EXPECT_NE(r.body.find("id=\"" + f(money) + "-4\" name=\"" + f(money) + "\" type=\"radio\" value=\"4\" checked"),
            std::string::npos);
  r = person.submit("/me/progress/new", "/me/progress/new", {{f(confidence), "zero"}});
  EXPECT_EQ(r.status, 400);
  r = person.submit("/me/progress/new", "/me/progress/new", {{"score-999999", "5"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("does not exist"), std::string::npos);
  r = person.submit("/me/progress/new", "/me/progress/new", {{f(confidence), ""}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("Answer at least one question"), std::string::npos);

  // Retired: no longer offered and refused if sent anyway; old answers still show.
  ASSERT_EQ(person.submit("/me/progress/new", "/me/progress/new", {{f(money), "2"}}).status, 303);
  auto sid = std::to_string(money);
  ASSERT_EQ(admin.submit("/admin/scales/" + sid, "/admin/scales/" + sid,
                         {{"name", "Money"}, {"question", "How is money?"}, {"low", "L"}, {"middle", "M"},
                          {"high", "H"}, {"active", "0"}})
                .status,
            303);
  EXPECT_EQ(person.get("/me/progress/new").body.find("name=\"" + f(money) + "\""), std::string::npos);
  r = person.submit("/me/progress/new", "/me/progress/new", {{f(money), "6"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("no longer ask"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM selfassess_completions WHERE partnership_id = $1"), 1);
  EXPECT_NE(person.get("/me/progress").body.find("We no longer ask this question"), std::string::npos);
}

TEST_F(SelfAssess, WorkerNeedsOutcomesConsentAndEveryOpeningIsLogged) {
  ASSERT_EQ(worker.submit("/people/new", "/people/new", {{"name", "Jo"}, {"email", "jo@example.org"}}).status, 303);
  std::int64_t id = 0;
  {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    id = modules::journeys_store::person_for_user(w.scope(), person_user)->id;
  }
  auto base = "/people/" + std::to_string(id) + "/progress";
  // Plan consent is not outcomes consent.
  ASSERT_EQ(person.submit("/me/consents", "/me/consents", {{"organisation", std::to_string(org)}, {"parts", "plan"}}).status, 303);
  EXPECT_EQ(worker.get(base + "?reason=review_plan").status, 403);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_access_log WHERE partnership_id = $1 AND part = 'outcomes'"
                  " AND outcome = 'refused'"),
            1);
  ASSERT_EQ(person.submit("/me/consents", "/me/consents",
                          {{"organisation", std::to_string(org)}, {"parts", "plan"}, {"parts", "outcomes"}})
                .status,
            303);
  // No reason yet: asked for one before anything is shown.
  auto ask = worker.get(base);
  EXPECT_EQ(ask.status, 200);
  EXPECT_NE(ask.body.find("name=\"reason\""), std::string::npos);
  EXPECT_EQ(ask.body.find("sa-chart"), std::string::npos);
  auto r = worker.submit(base + "/new?reason=review_plan", base + "/new", {{"reason", "review_plan"}, {f(confidence), "4"}});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(count("SELECT COUNT(*) FROM selfassess_completions WHERE partnership_id = $1 AND with_worker = 1"
                  " AND recorded_by = $2",
                  {worker_user}),
            1);
  EXPECT_EQ(worker.get(base + "?reason=review_plan").status, 200);
  EXPECT_GE(count("SELECT COUNT(*) FROM journey_access_log WHERE partnership_id = $1 AND part = 'outcomes'"
                  " AND outcome = 'opened'"),
            2);
  // The person sees it was done with a worker.
  EXPECT_NE(person.get("/me/progress").body.find("With a worker"), std::string::npos);
  // Another partnership's host cannot reach this record.
  test::Client beta(s.port, "beta.test");
  EXPECT_EQ(beta.get(base).status, 404);
}

TEST(SelfAssessChart, ScalesPointsAndEscapesText) {
  auto svg = modules::selfassess::chart_svg("c", "A <b> title", "Desc & more", {{"1 Jan", 1}, {"2 Feb", 10}}, "Low", "High");
  EXPECT_NE(svg.find("A &lt;b&gt; title"), std::string::npos);
  EXPECT_NE(svg.find("Desc &amp; more"), std::string::npos);
  // 1 sits at the bottom of the plot (y = 212), 10 at the top (y = 16).
  EXPECT_NE(svg.find("points=\"56.0,212.0 584.0,16.0\""), std::string::npos);
}
