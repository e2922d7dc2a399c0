// Published lens summaries and the lens JSON API, on both databases. The dataset has a group of 3
// people (stage 2), so the number 3 must never be published for that cell: not in the stored
// snapshot, the public page, its CSV, or either API.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <regex>

#include "core/util.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/lens/lens.hpp"
#include "modules/lens/publish.hpp"
#include "support/harness.hpp"

using namespace cp;
using cp::test::Client;
using cp::test::TestServer;
namespace js = cp::modules::journeys_store;
namespace jy = cp::modules::journeys;
namespace json = boost::json;

namespace {

const std::string kPw = "lens publish test password";

// 6 people at stage 1 and 3 at stage 2 (9 in all). On every published table the 3 is "fewer than
// 5" and the 6 beside it is hidden too (secondary), so 3 cannot be worked out from 9 - 6.
struct Pub {
  TestServer s;
  std::int64_t org = 0, other_org = 0, worker = 0, admin = 0, commissioner = 0, manager = 0;
  std::string today = jy::iso_date(now_seconds());

  Pub() {
    org = s.add_organisation(s.alpha, "Publish Org");
    other_org = s.add_organisation(s.alpha, "Another Org");
    worker = s.add_user(s.alpha, "worker@example.org", kPw, auth::Role::worker, org);
    admin = s.add_user(s.alpha, "admin@example.org", kPw, auth::Role::admin);
    commissioner = s.add_user(s.alpha, "commissioner@example.org", kPw, auth::Role::commissioner);
    manager = s.add_user(s.alpha, "manager@example.org", kPw, auth::Role::manager, org);
    add_people(6, 1, "Stageone");
    add_people(3, 2, "Zebedee Quinton");
  }
  void add_people(int n, int stage, const std::string& name) {
    auto w = s.app->work(s.alpha.id, {worker, "user", "", ""});
    jy::Who by{worker, "Worker"};
    for (int i = 0; i < n; ++i) {
      auto id = js::create_person(w.scope(), name + " " + std::to_string(i), std::nullopt, worker, org);
      js::add_stage(w.scope(), id, stage, jy::add_days(today, -30), by);
    }
    w.commit();
  }
  Client as(const std::string& who) { return signed_in(s, who + "@example.org", kPw); }
  std::int64_t count(const std::string& sql) {
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
    return w.scope().read(sql).one().i64(0);
  }
  std::string en(const std::string& key) { return s.app->catalogue.t("en", key); }
  // Publishes through the form; returns the new summary's id.
  std::int64_t publish(Client& c, std::vector<std::pair<std::string, std::string>> fields) {
    auto r = c.submit("/lens/publish", "/lens/publish", std::move(fields));
    EXPECT_EQ(r.status, 303) << r.body;
    auto loc = r.header("location");
    auto id = parse_int(loc.substr(loc.rfind('/') + 1));
    EXPECT_TRUE(id.has_value()) << loc;
    return id.value_or(0);
  }
};

const json::object& chart_in(const json::value& doc, const std::string& key) {
  for (const auto& c : doc.at("charts").as_array())
    if (c.at("key").as_string() == key) return c.as_object();
  throw std::runtime_error("no chart " + key);
}

// The row of an API chart whose first cell is `label`.
json::array row_in(const json::object& chart, const std::string& label) {
  for (const auto& r : chart.at("rows").as_array())
    if (r.as_array().at(0).as_string() == label) return r.as_array();
  return {};
}

// The text of every <td> in the section of the page whose heading has id `anchor`.
std::vector<std::string> cells_of(const std::string& html, const std::string& anchor) {
  auto start = html.find("id=\"" + anchor + "\"");
  if (start == std::string::npos) return {};
  auto end = html.find("</section>", start);
  std::string part = html.substr(start, end - start);
  std::vector<std::string> out;
  std::regex td(R"(<td [^>]*>(?:<strong>)?([^<]*))");
  for (auto it = std::sregex_iterator(part.begin(), part.end(), td); it != std::sregex_iterator(); ++it) out.push_back((*it)[1]);
  return out;
}

// Every count in a stored snapshot that is published as a number.
void shown_counts(const json::value& v, std::vector<std::int64_t>& out) {
  if (v.is_array()) {
    for (const auto& x : v.as_array()) shown_counts(x, out);
  } else if (v.is_object()) {
    const auto& o = v.as_object();
    if (auto* k = o.if_contains("k"); k && k->as_string() == "count" && o.if_contains("n")) out.push_back(o.at("n").as_int64());
    for (const auto& [key, x] : o) shown_counts(x, out);
  }
}

}  // namespace

TEST(LensPublish, TheSnapshotPageCsvAndApisNeverShowTheSmallCount) {
  Pub f;
  auto admin = f.as("admin");
  auto id = f.publish(admin, {{"title", "What we learned in spring"}, {"title_cy", "Beth ddysgon ni yn y gwanwyn"},
                              {"note", "We learned a lot."}});
  ASSERT_GT(id, 0);
  EXPECT_EQ(f.count("SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'lens.publish'"), 1);

  // Stored: every published count is 0 or at least 5; hidden cells carry no number.
  {
    auto w = f.s.app->work(f.s.alpha.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
    auto x = modules::lens::published_store::get(w.scope(), id);
    ASSERT_TRUE(x);
    for (const auto* snap : {&x->charts_en, &x->charts_cy}) {
      std::vector<std::int64_t> counts;
      shown_counts(json::parse(*snap), counts);
      EXPECT_FALSE(counts.empty());
      for (auto n : counts) EXPECT_TRUE(n == 0 || n >= modules::lens::kThreshold) << n;
    }
    EXPECT_EQ(x->charts_en.find("Zebedee"), std::string::npos);
  }

  // The public page, signed out.
  Client anon(f.s.port);
  auto page = anon.get("/our-learning/" + std::to_string(id));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("What we learned in spring"), std::string::npos);
  EXPECT_NE(page.body.find("We learned a lot."), std::string::npos);
  EXPECT_EQ(page.body.find("Zebedee"), std::string::npos);
  auto stages = cells_of(page.body, "chart-stages");
  ASSERT_EQ(stages.size(), 7u) << page.body;  // none, 1 to 5, total
  EXPECT_EQ(stages[0], "0");
  EXPECT_EQ(stages[1], f.en("lens.hidden_secondary"));  // the 6 goes too
  EXPECT_EQ(stages[2], f.en("lens.fewer_than_5"));      // the 3
  EXPECT_EQ(stages[6], "9");
  for (const auto& key : {"chart-stages", "chart-moves", "chart-group_lone_parent", "chart-group_age_band"})
    for (const auto& c : cells_of(page.body, key)) EXPECT_TRUE(c != "3" && c != "6") << key << ": " << c;
  EXPECT_NE(page.body.find(f.en("lens.pub_small_fewer").substr(0, 20)), std::string::npos);
  auto list = anon.get("/our-learning");
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("/our-learning/" + std::to_string(id)), std::string::npos);

  // Its CSV.
  auto csv = anon.get("/our-learning/" + std::to_string(id) + "/figures.csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv.body.find(f.en("lens.stage_2") + ",<5\r\n"), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find(f.en("lens.stage_1") + ",[s]\r\n"), std::string::npos);
  EXPECT_EQ(csv.body.find(f.en("lens.stage_2") + ",3"), std::string::npos);

  // The public API.
  auto api = anon.get("/api/v1/our-learning/" + std::to_string(id));
  ASSERT_EQ(api.status, 200) << api.body;
  EXPECT_EQ(api.header("content-type").rfind("application/json", 0), 0u);
  auto doc = json::parse(api.body);
  auto& st = chart_in(doc, "stages");
  EXPECT_EQ(st.at("title").as_string(), f.en("lens.chart_stages"));
  EXPECT_EQ(row_in(st, f.en("lens.stage_2")).at(1), (json::value(json::object{{"suppressed", "fewer_than_5"}})));
  EXPECT_EQ(row_in(st, f.en("lens.stage_1")).at(1), (json::value(json::object{{"suppressed", "secondary"}})));
  EXPECT_EQ(st.at("total").as_array().at(1).as_int64(), 9);
  EXPECT_EQ(doc.at("title").as_string(), "What we learned in spring");
  auto all = json::parse(anon.get("/api/v1/our-learning").body);
  ASSERT_EQ(all.at("items").as_array().size(), 1u);
  EXPECT_EQ(all.at("items").as_array()[0].at("id").as_int64(), id);

  // Welsh readers get the Welsh title and labels.
  Client welsh(f.s.port);
  auto cy = welsh.get("/our-learning/" + std::to_string(id) + "?lang=cy");
  EXPECT_NE(cy.body.find("Beth ddysgon ni yn y gwanwyn"), std::string::npos);
  EXPECT_NE(cy.body.find(f.s.app->catalogue.t("cy", "lens.stage_2")), std::string::npos);

  // The staff API on the live figures: the same suppression.
  auto live = json::parse(f.as("commissioner").get("/api/v1/lens").body);
  auto& lst = chart_in(live, "stages");
  EXPECT_EQ(row_in(lst, f.en("lens.stage_2")).at(1), (json::value(json::object{{"suppressed", "fewer_than_5"}})));
  EXPECT_EQ(live.at("scope").at("kind").as_string(), "partnership");

  // A snapshot does not move when the figures do: two more at stage 2 make 5, shown live, not in it.
  f.add_people(2, 2, "Later");
  auto live2 = json::parse(f.as("admin").get("/api/v1/lens").body);
  EXPECT_EQ(row_in(chart_in(live2, "stages"), f.en("lens.stage_2")).at(1).as_int64(), 5);
  auto again = json::parse(anon.get("/api/v1/our-learning/" + std::to_string(id)).body);
  EXPECT_EQ(row_in(chart_in(again, "stages"), f.en("lens.stage_2")).at(1), (json::value(json::object{{"suppressed", "fewer_than_5"}})));
  EXPECT_EQ(chart_in(again, "stages").at("total").as_array().at(1).as_int64(), 9);
}

TEST(LensPublish, OnlyAnAdminWithACsrfTokenPublishes) {
  Pub f;
  Client anon(f.s.port);
  EXPECT_EQ(anon.get("/lens/publish").status, 303);  // sign in first
  auto commissioner = f.as("commissioner");
  EXPECT_EQ(commissioner.get("/lens/publish").status, 403);
  auto token = Client::csrf_in(commissioner.get("/lens").body);
  EXPECT_EQ(commissioner.post_form("/lens/publish", {{"csrf_token", token}, {"title", "Not mine"}}).status, 403);
  auto manager = f.as("manager");
  EXPECT_EQ(manager.get("/lens/publish").status, 403);
  auto admin = f.as("admin");
  // No token, a wrong token: refused before the handler runs.
  EXPECT_EQ(admin.post_form("/lens/publish", {{"title", "No token"}}).status, 403);
  EXPECT_EQ(admin.post_form("/lens/publish", {{"title", "Wrong token"}, {"csrf_token", "nope"}}).status, 403);
  EXPECT_EQ(f.count("SELECT COUNT(*) FROM lens_published WHERE partnership_id = $1"), 0);
  // Bad input: the error summary, what was typed kept, nothing stored.
  auto bad = admin.submit("/lens/publish", "/lens/publish", {{"title", ""}, {"note", "Kept note"}, {"entry", "99999"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("govuk-error-summary"), std::string::npos);
  EXPECT_NE(bad.body.find(f.en("lens.pub_error_title")), std::string::npos);
  EXPECT_NE(bad.body.find(f.en("lens.pub_error_entry")), std::string::npos);
  EXPECT_NE(bad.body.find("Kept note"), std::string::npos);
  auto long_title = admin.submit("/lens/publish", "/lens/publish", {{"title", std::string(201, 'a')}});
  EXPECT_EQ(long_title.status, 400);
  EXPECT_EQ(f.count("SELECT COUNT(*) FROM lens_published WHERE partnership_id = $1"), 0);
  // The /lens page offers the link to admins only.
  EXPECT_NE(admin.get("/lens").body.find("href=\"/lens/publish\""), std::string::npos);
  EXPECT_EQ(commissioner.get("/lens").body.find("href=\"/lens/publish\""), std::string::npos);
}

TEST(LensPublish, QuotesCarryTheWordsNotTheAuthor) {
  Pub f;
  auto admin = f.as("admin");
  ASSERT_EQ(admin.submit("/lens/log?scope=partnership", "/lens/log",
                         {{"scope", "partnership"}, {"chart", "stages"}, {"concluded", "Few people reach stage 2."},
                          {"will_try", "Ask people what gets in the way."}})
                .status,
            303);
  auto entry = f.count("SELECT MAX(id) FROM lens_log WHERE partnership_id = $1");
  auto form = admin.get("/lens/publish");
  EXPECT_NE(form.body.find("Few people reach stage 2."), std::string::npos);
  auto id = f.publish(admin, {{"title", "With a quote"}, {"entry", std::to_string(entry)}});
  Client anon(f.s.port);
  auto page = anon.get("/our-learning/" + std::to_string(id));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Few people reach stage 2."), std::string::npos);
  EXPECT_NE(page.body.find("Ask people what gets in the way."), std::string::npos);
  auto author = f.count("SELECT COUNT(*) FROM lens_log WHERE partnership_id = $1 AND by_name <> ''");
  EXPECT_EQ(author, 1);
  // The author (named "User admin" by the harness) is not on the public page.
  EXPECT_EQ(page.body.find("User admin"), std::string::npos);
  auto doc = json::parse(anon.get("/api/v1/our-learning/" + std::to_string(id)).body);
  ASSERT_EQ(doc.at("quotes").as_array().size(), 1u);
  EXPECT_EQ(doc.at("quotes").as_array()[0].at("concluded").as_string(), "Few people reach stage 2.");
  EXPECT_FALSE(doc.at("quotes").as_array()[0].as_object().contains("by"));
}

TEST(LensPublish, TakingDownHidesThePageAndTheApiEntryAndKeepsTheRow) {
  Pub f;
  auto admin = f.as("admin");
  auto id = f.publish(admin, {{"title", "To take down"}});
  auto sid = std::to_string(id);
  Client anon(f.s.port);
  ASSERT_EQ(anon.get("/our-learning/" + sid).status, 200);
  // Someone else cannot take it down.
  auto commissioner = f.as("commissioner");
  auto token = Client::csrf_in(commissioner.get("/lens").body);
  EXPECT_EQ(commissioner.post_form("/lens/publish/" + sid + "/withdraw", {{"csrf_token", token}}).status, 403);
  EXPECT_EQ(anon.get("/our-learning/" + sid).status, 200);
  // Without a token it is refused.
  EXPECT_EQ(admin.post_form("/lens/publish/" + sid + "/withdraw", {}).status, 403);
  ASSERT_EQ(admin.submit("/lens/publish", "/lens/publish/" + sid + "/withdraw", {}).status, 303);
  EXPECT_EQ(anon.get("/our-learning/" + sid).status, 404);
  EXPECT_EQ(anon.get("/our-learning/" + sid + "/figures.csv").status, 404);
  auto api = anon.get("/api/v1/our-learning/" + sid);
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(api.header("content-type"), "application/problem+json");
  EXPECT_EQ(json::parse(api.body).at("status").as_int64(), 404);
  EXPECT_TRUE(json::parse(anon.get("/api/v1/our-learning").body).at("items").as_array().empty());
  EXPECT_EQ(anon.get("/our-learning").body.find("To take down"), std::string::npos);
  EXPECT_EQ(f.count("SELECT COUNT(*) FROM lens_published WHERE partnership_id = $1 AND status = 'withdrawn'"), 1);
  EXPECT_EQ(f.count("SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'lens.unpublish'"), 1);
  // The admin still sees it, and can publish it again.
  EXPECT_NE(admin.get("/lens/publish").body.find("To take down"), std::string::npos);
  ASSERT_EQ(admin.submit("/lens/publish", "/lens/publish/" + sid + "/restore", {}).status, 303);
  EXPECT_EQ(anon.get("/our-learning/" + sid).status, 200);
  EXPECT_EQ(f.count("SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'lens.republish'"), 1);
  // Another partnership does not see it.
  Client beta(f.s.port, "beta.test");
  EXPECT_EQ(beta.get("/our-learning/" + sid).status, 404);
  EXPECT_EQ(beta.get("/api/v1/our-learning/" + sid).status, 404);
}

TEST(LensPublish, TheLensApiAnswersAsThePagesDo) {
  Pub f;
  Client anon(f.s.port);
  auto a = anon.get("/api/v1/lens");
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(a.header("content-type"), "application/problem+json");
  EXPECT_EQ(anon.get("/api/v1/lens/organisations/" + std::to_string(f.org)).status, 401);
  auto worker = f.as("worker");
  auto w = worker.get("/api/v1/lens");
  EXPECT_EQ(w.status, 403);
  EXPECT_EQ(w.header("content-type"), "application/problem+json");
  auto manager = f.as("manager");
  EXPECT_EQ(manager.get("/api/v1/lens").status, 403);
  auto own = manager.get("/api/v1/lens/organisations/" + std::to_string(f.org));
  ASSERT_EQ(own.status, 200) << own.body;
  auto doc = json::parse(own.body);
  EXPECT_EQ(doc.at("scope").at("name").as_string(), "Publish Org");
  EXPECT_EQ(doc.at("charts").as_array().size(), modules::lens::chart_keys().size());
  for (const auto& c : doc.at("charts").as_array())
    for (const auto* k : {"key", "title", "columns", "rows", "total", "notes"}) EXPECT_TRUE(c.as_object().contains(k)) << k;
  EXPECT_EQ(manager.get("/api/v1/lens/organisations/" + std::to_string(f.other_org)).status, 403);
  auto admin = f.as("admin");
  auto missing = admin.get("/api/v1/lens/organisations/999999");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.header("content-type"), "application/problem+json");
  EXPECT_EQ(json::parse(missing.body).at("status").as_int64(), 404);
  EXPECT_EQ(admin.get("/api/v1/lens/organisations/abc").status, 404);
  EXPECT_EQ(admin.get("/api/v1/lens/services/no-such-service").header("content-type"), "application/problem+json");
  EXPECT_EQ(admin.get("/api/v1/our-learning/999999").status, 404);
  // The Welsh API speaks Welsh.
  auto cy = json::parse(admin.get("/api/v1/lens?lang=cy").body);
  EXPECT_EQ(chart_in(cy, "stages").at("title").as_string(), f.s.app->catalogue.t("cy", "lens.chart_stages"));
}
