// The star's read-only JSON API: values per Co and actor group checked against hand-worked means,
// the pockets rule, evidence counts, permissions and problem details, on both databases.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "modules/star/star.hpp"
#include "support/harness.hpp"

using namespace cp;
using cp::test::Client;
using cp::test::TestServer;
namespace st = cp::modules::star;
namespace json = boost::json;

namespace {

const std::string kPw = "star api test password";

st::Rating r(std::optional<int> level, std::string examples = "", std::string evidence = "") {
  return {level, std::move(examples), std::move(evidence)};
}

}  // namespace

TEST(StarApi, AuditValuesPocketsAndEvidence) {
  TestServer s;
  auto staff = s.add_user(s.alpha, "staff@example.org", kPw, auth::Role::admin);
  auto p1 = s.add_user(s.alpha, "p1@example.org", kPw, auth::Role::person);
  auto p2 = s.add_user(s.alpha, "p2@example.org", kPw, auth::Role::person);
  auto w1 = s.add_user(s.alpha, "w1@example.org", kPw, auth::Role::worker);
  std::int64_t id, older;
  {
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
    older = st::star_store::create(w.scope(), {"partnership", std::nullopt, "", "Last year", "2025", std::nullopt}, staff);
    id = st::star_store::create(w.scope(), {"partnership", std::nullopt, "", "This year", "2026", older}, staff);
    // Citizens: commissioning 2 and 5 (mean 3.5); design 4 and "don't know"; delivery 1 and 1;
    // assessment 3 and 4.
    st::star_store::save_response(w.scope(), id, p1, "citizen",
                                  {r(2, "We are asked after decisions", "Minutes"), r(4, "We design forms together"),
                                   r(1), r(3, "Some surveys")});
    st::star_store::save_response(w.scope(), id, p2, "citizen", {r(5), r(std::nullopt, "Not sure"), r(1), r(4)});
    // A front-line worker: commissioning 4.
    st::star_store::save_response(w.scope(), id, w1, "frontline", {r(4, "", "Budget papers"), r(2), r(3), r(5)});
    w.commit();
  }
  Client anon(s.port);
  EXPECT_EQ(anon.get("/api/v1/toolkit/star/audits").status, 401);
  EXPECT_EQ(anon.get("/api/v1/toolkit/star/audits/" + std::to_string(id)).status, 401);

  Client c(s.port);
  ASSERT_EQ(c.sign_in("p1@example.org", kPw).status, 303);
  auto list = c.get("/api/v1/toolkit/star/audits");
  ASSERT_EQ(list.status, 200) << list.body;
  auto audits = json::parse(list.body).as_object().at("audits").as_array();
  ASSERT_EQ(audits.size(), 2u);
  EXPECT_EQ(audits[0].as_object().at("id").as_int64(), id);  // newest first
  EXPECT_EQ(audits[0].as_object().at("respondents").as_int64(), 3);
  EXPECT_EQ(audits[0].as_object().at("previous_id").as_int64(), older);
  EXPECT_EQ(audits[1].as_object().at("respondents").as_int64(), 0);

  auto one = c.get("/api/v1/toolkit/star/audits/" + std::to_string(id));
  ASSERT_EQ(one.status, 200) << one.body;
  auto o = json::parse(one.body).as_object();
  EXPECT_EQ(o.at("title").as_string(), "This year");
  EXPECT_EQ(o.at("respondents").as_int64(), 3);
  auto& groups = o.at("groups").as_array();
  ASSERT_EQ(groups.size(), st::kGroups.size());
  const json::object* citizen = nullptr;
  for (const auto& g : groups)
    if (g.as_object().at("group").as_string() == "citizen") citizen = &g.as_object();
  ASSERT_NE(citizen, nullptr);
  EXPECT_EQ(citizen->at("respondents").as_int64(), 2);
  auto& cc = citizen->at("cos").as_object();
  EXPECT_EQ(cc.at("commissioning").as_object().at("sum").as_int64(), 7);
  EXPECT_EQ(cc.at("commissioning").as_object().at("n").as_int64(), 2);
  EXPECT_EQ(cc.at("commissioning").as_object().at("mean_1dp").as_string(), "3.5");
  EXPECT_EQ(cc.at("commissioning").as_object().at("rung").as_string(), "engaging");
  EXPECT_EQ(cc.at("design").as_object().at("n").as_int64(), 1);  // "don't know" is not counted
  EXPECT_EQ(cc.at("delivery").as_object().at("rung").as_string(), "informing");
  // Strongest and weakest for citizens: design (4) and delivery (1).
  EXPECT_EQ(citizen->at("strongest").as_array(), (json::array{"design"}));
  EXPECT_EQ(citizen->at("weakest").as_array(), (json::array{"delivery"}));
  // A group nobody answered for: empty cells, never a zero mean.
  for (const auto& g : groups)
    if (g.as_object().at("group").as_string() == "councillor") {
      EXPECT_EQ(g.as_object().at("respondents").as_int64(), 0);
      EXPECT_TRUE(g.as_object().at("cos").as_object().at("design").as_object().at("mean").is_null());
    }
  // Overall pools everyone: commissioning 2 + 5 + 4 = 11 over 3.
  auto& overall = o.at("overall").as_object().at("cos").as_object();
  EXPECT_EQ(overall.at("commissioning").as_object().at("sum").as_int64(), 11);
  EXPECT_EQ(overall.at("commissioning").as_object().at("n").as_int64(), 3);
  EXPECT_EQ(overall.at("commissioning").as_object().at("mean_1dp").as_string(), "3.7");

  // Pockets: examples at levels 4-5 are happening, at 1-2 not yet; level 3 and no examples are neither.
  auto& pockets = o.at("pockets").as_array();
  ASSERT_EQ(pockets.size(), 4u);
  auto& comm = pockets[0].as_object();
  EXPECT_EQ(comm.at("co").as_string(), "commissioning");
  ASSERT_EQ(comm.at("not_yet").as_array().size(), 1u);
  EXPECT_EQ(comm.at("not_yet").as_array()[0].as_object().at("text").as_string(), "We are asked after decisions");
  EXPECT_EQ(comm.at("not_yet").as_array()[0].as_object().at("evidence").as_string(), "Minutes");
  EXPECT_EQ(comm.at("not_yet").as_array()[0].as_object().at("group").as_string(), "citizen");
  EXPECT_TRUE(comm.at("happening").as_array().empty());  // the worker's 4 had no examples
  auto& design = pockets[1].as_object();
  ASSERT_EQ(design.at("happening").as_array().size(), 1u);
  EXPECT_EQ(design.at("happening").as_array()[0].as_object().at("level").as_string(), "codesigning");
  EXPECT_TRUE(pockets[3].as_object().at("happening").as_array().empty());  // "Some surveys" was at level 3
  EXPECT_TRUE(pockets[3].as_object().at("not_yet").as_array().empty());

  // Evidence counts from the answers, and the platform's own figures labelled by measure.
  auto& ev = o.at("evidence").as_object();
  auto& fa = ev.at("from_answers").as_object();
  EXPECT_EQ(fa.at("commissioning").as_object().at("with_examples").as_int64(), 1);
  EXPECT_EQ(fa.at("commissioning").as_object().at("with_evidence").as_int64(), 2);
  EXPECT_EQ(fa.at("design").as_object().at("with_examples").as_int64(), 2);
  EXPECT_EQ(fa.at("assessment").as_object().at("with_examples").as_int64(), 1);
  EXPECT_TRUE(ev.at("from_platform").is_array());
  EXPECT_FALSE(ev.at("from_platform").as_array().empty());
  for (const auto& f : ev.at("from_platform").as_array()) {
    EXPECT_TRUE(f.as_object().at("count").is_int64());
    EXPECT_FALSE(f.as_object().at("text").as_string().empty());
  }
  EXPECT_TRUE(ev.at("platform_window").is_object());  // "2026" is a calendar year

  auto missing = c.get("/api/v1/toolkit/star/audits/999999");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.header("content-type").find("application/problem+json"), std::string::npos);
  EXPECT_EQ(c.get("/api/v1/toolkit/star/audits/abc").status, 404);
}
