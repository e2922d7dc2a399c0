// Charters in Welsh: the Welsh title and sections written through the forms, what a Welsh reader
// sees (and the note where there is only English), "what changed" in both languages, and the
// public JSON of the current charter, on both databases.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "modules/charters/charters.hpp"
#include "modules/charters/tests/fixture.hpp"
#include "support/harness.hpp"

using namespace cp;
using cp::test::Client;
using cp::test::TestServer;
namespace ch = cp::modules::charters;
namespace json = boost::json;

namespace {

using cp::test::charters::Fixture;

bool has(const std::string& body, const std::string& text) { return body.find(text) != std::string::npos; }

std::int64_t id_from(const std::string& location) {
  // /toolkit/charters/<id>/versions
  auto rest = location.substr(std::string("/toolkit/charters/").size());
  return std::stoll(rest.substr(0, rest.find('/')));
}

}  // namespace

TEST(ChartersWelsh, WrittenInBothLanguagesAndReadInWelsh) {
  Fixture f;
  auto staff = f.as("staff");
  // Too long a Welsh section: the error names the Welsh field and keeps what was typed.
  auto too_long = staff.submit("/toolkit/charters/new", "/toolkit/charters",
                               {{"title", "How we work"}, {"roles_cy", std::string(8001, 'a')}, {"roles", "Kept roles"}});
  EXPECT_EQ(too_long.status, 400);
  EXPECT_TRUE(has(too_long.body, "href=\"#roles_cy\""));
  EXPECT_TRUE(has(too_long.body, "Kept roles"));
  auto made = staff.submit("/toolkit/charters/new", "/toolkit/charters",
                           {{"title", "How we work together"},
                            {"title_cy", "Sut rydyn ni’n gweithio gyda’n gilydd"},
                            {"roles", "Everyone has an equal say."},
                            {"roles_cy", "Mae gan bawb lais cyfartal."},
                            {"expenses", "We pay bus fares."}});
  ASSERT_EQ(made.status, 303);
  auto id = id_from(made.header("location"));
  {
    auto w = f.work();
    auto c = ch::store_fn::charter(w.scope(), id);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->title_cy, "Sut rydyn ni’n gweithio gyda’n gilydd");
    auto v = ch::store_fn::latest(w.scope(), id);
    EXPECT_EQ(v->sections_cy[0], "Mae gan bawb lais cyfartal.");
    EXPECT_EQ(v->sections_cy[4], "");
    ch::store_fn::publish(w.scope(), *v);
    w.commit();
  }
  auto path = "/toolkit/charters/" + std::to_string(id);
  auto person = f.as("person");
  auto cy = person.get(path + "?lang=cy");
  ASSERT_EQ(cy.status, 200);
  EXPECT_TRUE(has(cy.body, "Sut rydyn ni’n gweithio gyda’n gilydd</h1>"));
  EXPECT_TRUE(has(cy.body, "Mae gan bawb lais cyfartal."));
  EXPECT_FALSE(has(cy.body, "Everyone has an equal say."));
  // Expenses has no Welsh yet: the English, marked as English, with the note.
  EXPECT_TRUE(has(cy.body, "<div lang=\"en\"><p class=\"govuk-body\">We pay bus fares.</p></div>"));
  EXPECT_TRUE(has(cy.body, "cp-lang-note"));
  // An English reader sees English and no note.
  auto en = person.get(path + "?lang=en");
  EXPECT_TRUE(has(en.body, "How we work together</h1>"));
  EXPECT_TRUE(has(en.body, "Everyone has an equal say."));
  EXPECT_FALSE(has(en.body, "cp-lang-note"));

  // A new version that changes only the Welsh is a new version, and "what changed" says so in Welsh.
  auto edit = path + "/edit";
  auto form = staff.get(edit);
  EXPECT_TRUE(has(form.body, "Mae gan bawb lais cyfartal.</textarea>"));
  auto revised = staff.submit(edit, path + "/versions",
                              {{"title_cy", "Sut rydyn ni’n gweithio gyda’n gilydd"},
                               {"roles", "Everyone has an equal say."},
                               {"roles_cy", "Mae gan bawb lais cyfartal."},
                               {"expenses", "We pay bus fares."},
                               {"expenses_cy", "Rydyn ni’n talu am docynnau bws."},
                               {"change_note", "Welsh for expenses"}});
  ASSERT_EQ(revised.status, 303);
  auto version_path = revised.header("location");
  auto changes = staff.get(version_path + "?lang=en");
  ASSERT_EQ(changes.status, 200);
  EXPECT_TRUE(has(changes.body, "In Welsh"));
  EXPECT_FALSE(has(changes.body, "In English</p>"));
  EXPECT_TRUE(has(changes.body, "<ins lang=\"cy\">Rydyn ni’n talu am docynnau bws.</ins>"));
  // The same sections again in both languages: nothing to save.
  auto same = staff.submit(edit, path + "/versions",
                           {{"title_cy", "Sut rydyn ni’n gweithio gyda’n gilydd"},
                            {"roles", "Everyone has an equal say."},
                            {"roles_cy", "Mae gan bawb lais cyfartal."},
                            {"expenses", "We pay bus fares."},
                            {"expenses_cy", "Rydyn ni’n talu am docynnau bws."},
                            {"change_note", "Nothing"}});
  EXPECT_EQ(same.status, 400);
  // Only the Welsh title changes: saved on the charter, no new version.
  auto title_only = staff.submit(edit, path + "/versions",
                                 {{"title_cy", "Ein siarter"},
                                  {"roles", "Everyone has an equal say."},
                                  {"roles_cy", "Mae gan bawb lais cyfartal."},
                                  {"expenses", "We pay bus fares."},
                                  {"expenses_cy", "Rydyn ni’n talu am docynnau bws."}});
  EXPECT_EQ(title_only.status, 303);
  auto w = f.work();
  EXPECT_EQ(ch::store_fn::charter(w.scope(), id)->title_cy, "Ein siarter");
  EXPECT_EQ(ch::store_fn::versions(w.scope(), id).size(), 2u);
}

TEST(ChartersWelsh, ChangesListComparesBothLanguages) {
  Fixture f;
  std::int64_t id;
  std::vector<std::string> en(ch::kSections.size(), "Same"), cy(ch::kSections.size(), "");
  {
    auto w = f.work();
    cy[1] = "Hen eiriau";
    id = ch::store_fn::create(w.scope(), "Charter", en, f.staff, "", cy);
    ch::store_fn::publish(w.scope(), *ch::store_fn::latest(w.scope(), id));
    en[1] = "New words";
    cy[1] = "Geiriau newydd";
    auto v2 = ch::store_fn::revise(w.scope(), id, en, "Both", f.staff, cy);
    ASSERT_TRUE(v2);
    ch::store_fn::publish(w.scope(), *ch::store_fn::version(w.scope(), *v2));
    // Welsh only differs: still a new version. No change at all: none.
    EXPECT_FALSE(ch::store_fn::revise(w.scope(), id, en, "None", f.staff, cy));
    w.commit();
  }
  auto person = f.as("person");
  std::int64_t v2_id;
  {
    auto w = f.work();
    v2_id = ch::store_fn::latest(w.scope(), id)->id;
  }
  auto page = person.get("/toolkit/charters/versions/" + std::to_string(v2_id) + "?lang=cy");
  ASSERT_EQ(page.status, 200);
  // The reader's language first, then the other.
  auto in_cy = page.body.find("Yn Gymraeg"), in_en = page.body.find("Yn Saesneg");
  ASSERT_NE(in_cy, std::string::npos);
  ASSERT_NE(in_en, std::string::npos);
  EXPECT_LT(in_cy, in_en);
  EXPECT_TRUE(has(page.body, "<del lang=\"cy\">Hen eiriau</del>"));
  EXPECT_TRUE(has(page.body, "<ins lang=\"cy\">Geiriau newydd</ins>"));
  EXPECT_TRUE(has(page.body, "<ins lang=\"en\">New words</ins>"));
}

TEST(ChartersApi, CurrentCharterInTheAskedLanguage) {
  Fixture f;
  Client anon(f.s.port);
  // Nothing published yet: a problem, not an empty charter.
  auto none = anon.get("/api/v1/toolkit/charters/current");
  EXPECT_EQ(none.status, 404);
  EXPECT_TRUE(has(none.header("content-type"), "application/problem+json"));
  std::int64_t id;
  {
    auto w = f.work();
    std::vector<std::string> en = {"Roles", "Duties", "A room", "Talk", "Fares", "Thanks"};
    std::vector<std::string> cy = {"Rolau", "", "Ystafell", "", "", ""};
    id = ch::store_fn::create(w.scope(), "Our charter", en, f.staff, "Ein siarter", cy);
    ch::store_fn::publish(w.scope(), *ch::store_fn::latest(w.scope(), id));
    en[0] = "Roles, changed";
    auto v2 = ch::store_fn::revise(w.scope(), id, en, "Draft only", f.staff, cy);
    ASSERT_TRUE(v2);  // a draft: never shown by the API
    w.commit();
  }
  // Public: no sign-in needed.
  auto res = anon.get("/api/v1/toolkit/charters/current?lang=cy");
  ASSERT_EQ(res.status, 200) << res.body;
  auto o = json::parse(res.body).as_object();
  EXPECT_EQ(o.at("charter_id").as_int64(), id);
  EXPECT_EQ(o.at("version").as_int64(), 1);
  EXPECT_EQ(o.at("title").as_string(), "Ein siarter");
  EXPECT_EQ(o.at("lang").as_string(), "cy");
  EXPECT_FALSE(o.at("complete_in_lang").as_bool());
  EXPECT_TRUE(o.at("published").is_string());
  auto& s = o.at("sections").as_array();
  ASSERT_EQ(s.size(), 6u);
  EXPECT_EQ(s[0].as_object().at("text").as_string(), "Rolau");
  EXPECT_EQ(s[0].as_object().at("lang").as_string(), "cy");
  EXPECT_EQ(s[0].as_object().at("heading").as_string(), "Rolau");
  // No Welsh for this one: the English, saying so.
  EXPECT_EQ(s[1].as_object().at("text").as_string(), "Duties");
  EXPECT_EQ(s[1].as_object().at("lang").as_string(), "en");
  auto en = json::parse(anon.get("/api/v1/toolkit/charters/current?lang=en").body).as_object();
  EXPECT_EQ(en.at("title").as_string(), "Our charter");
  EXPECT_EQ(en.at("sections").as_array()[0].as_object().at("text").as_string(), "Roles");
  EXPECT_TRUE(en.at("complete_in_lang").as_bool());
  // Bad input: problem details naming the field.
  auto bad = anon.get("/api/v1/toolkit/charters/current?lang=fr");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body).as_object().at("errors").as_array()[0].as_object().at("field").as_string(), "lang");
  EXPECT_EQ(anon.get("/api/v1/toolkit/charters/current?charter=x").status, 400);
  EXPECT_EQ(anon.get("/api/v1/toolkit/charters/current?charter=999999").status, 404);
  EXPECT_EQ(anon.get("/api/v1/toolkit/charters/current?charter=" + std::to_string(id)).status, 200);
}
