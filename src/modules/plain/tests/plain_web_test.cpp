// The plain-language assistant over HTTP: a partnership's target reading age and word list at
// /admin/plain (validated, audited, kept per partnership), the check on forms and in the JSON API
// in English and Welsh, the guide in Easy Read and the hardest-to-read report.
#include <gtest/gtest.h>

#include "http/http_support.hpp"
#include "modules/plain/shared.hpp"
#include "modules/plain/web.hpp"

using namespace cp;
using namespace cp::test;

namespace {

const std::string kJargonText = "We offer a wraparound pathway to every family.";
const std::string kWelsh = "Rydyn ni'n credu mewn cyd-gynhyrchu gyda phob teulu. Mae hyn yn bwysig i ni.";

Fields jargon_fields(const std::string& phrase, const std::string& alts, const std::string& lang = "en") {
  return {{"phrase", phrase}, {"alternatives", alts}, {"lang", lang}, {"note", ""}};
}

std::int64_t audit_count(TestServer& s, const std::string& action) {
  return read_int(s, s.alpha, "SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = $2", {action});
}

std::string results(const std::string& html) {
  auto at = html.find("id=\"plain-check\"");
  return at == std::string::npos ? std::string() : html.substr(at, html.find("<form", at) - at);
}

}  // namespace

TEST(PlainAdmin, AddedWordIsFoundOnTheOrganisationForm) {
  TestServer s;
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  auto r = admin.submit("/admin/plain/jargon/new", "/admin/plain/jargon",
                        jargon_fields("wraparound pathway", "help with everything\nsupport from start to end\n"));
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("location"), "/admin/plain");
  EXPECT_EQ(audit_count(s, "plain.jargon.add"), 1);
  auto list = admin.get("/admin/plain");
  EXPECT_TRUE(contains(list.body, ">wraparound pathway</td>")) << list.body;
  EXPECT_TRUE(contains(list.body, "help with everything or support from start to end"));

  auto fields = org_form("Kirkbeath Forum", kJargonText);
  fields.emplace_back("action", "check");
  auto checked = admin.submit("/organisations/new", "/organisations", fields);
  ASSERT_EQ(checked.status, 200);
  auto found = results(checked.body);
  EXPECT_TRUE(contains(found, "wraparound pathway</mark>: try “help with everything” or “support from start to end”")) << found;

  // The other partnership's authors are not told about alpha's words.
  auto beta = signed_in_as(s, auth::Role::admin, "admin@beta.example.org", "beta.test");
  auto other = beta.submit("/organisations/new", "/organisations", fields);
  EXPECT_FALSE(contains(results(other.body), "help with everything"));
}

TEST(PlainAdmin, BadWordShowsTheErrorSummaryAndKeepsWhatWasTyped) {
  TestServer s;
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  auto r = admin.submit("/admin/plain/jargon/new", "/admin/plain/jargon", jargon_fields("", "kept words", "xx"));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(summary_links_to(r.body, "phrase"));
  EXPECT_TRUE(summary_links_to(r.body, "lang"));
  EXPECT_TRUE(contains(r.body, ">kept words</textarea>"));
  EXPECT_TRUE(contains(r.body, "id=\"lang\""));  // the summary's link has somewhere to land
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM plain_jargon WHERE partnership_id = $1"), 0);

  ASSERT_EQ(admin.submit("/admin/plain/jargon/new", "/admin/plain/jargon", jargon_fields("Signpost", "tell you about")).status, 303);
  // The same words, spelt differently, are the same entry.
  auto dup = admin.submit("/admin/plain/jargon/new", "/admin/plain/jargon", jargon_fields("  signpost ", "point"));
  EXPECT_EQ(dup.status, 409);
  EXPECT_TRUE(summary_links_to(dup.body, "phrase"));
  // The same phrase in Welsh is a different entry.
  EXPECT_EQ(admin.submit("/admin/plain/jargon/new", "/admin/plain/jargon", jargon_fields("signpost", "cyfeirio", "cy")).status, 303);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM plain_jargon WHERE partnership_id = $1"), 2);
}

TEST(PlainAdmin, EditAndRemoveAreAudited) {
  TestServer s;
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  ASSERT_EQ(admin.submit("/admin/plain/jargon/new", "/admin/plain/jargon", jargon_fields("service user", "person")).status, 303);
  auto id = read_int(s, s.alpha, "SELECT id FROM plain_jargon WHERE partnership_id = $1");
  auto path = "/admin/plain/jargon/" + std::to_string(id);
  auto form = admin.get(path + "/edit");
  ASSERT_EQ(form.status, 200);
  EXPECT_TRUE(contains(form.body, "value=\"service user\""));
  auto bad = admin.submit(path + "/edit", path, jargon_fields("service user", ""));
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(summary_links_to(bad.body, "alternatives"));
  auto ok = admin.submit(path + "/edit", path, jargon_fields("service user", "person\nyou"));
  ASSERT_EQ(ok.status, 303);
  EXPECT_EQ(read_rows(s, s.alpha, "SELECT alternatives FROM plain_jargon WHERE partnership_id = $1 AND id = $2", {id}).one().text(0),
            "person\nyou");
  EXPECT_EQ(audit_count(s, "plain.jargon.edit"), 1);
  auto gone = admin.submit("/admin/plain", path + "/remove", {});
  EXPECT_EQ(gone.status, 303);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM plain_jargon WHERE partnership_id = $1"), 0);
  EXPECT_EQ(audit_count(s, "plain.jargon.remove"), 1);
  EXPECT_EQ(admin.get(path + "/edit").status, 404);
}

TEST(PlainAdmin, TargetReadingAgeDecidesTheWarning) {
  TestServer s;
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  // Reading age 11 by the checker: over the default 9, under a target of 12.
  const std::string text = "We run clubs for young people. Volunteers plan the activities every week.";
  auto fields = org_form("Kirkbeath Forum", text);
  fields.emplace_back("action", "check");
  auto before = results(admin.submit("/organisations/new", "/organisations", fields).body);
  EXPECT_TRUE(contains(before, shown(s, "plain.web_over_target"))) << before;

  auto bad = admin.submit("/admin/plain", "/admin/plain/settings", {{"target_age", "nine"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(summary_links_to(bad.body, "target_age"));
  EXPECT_TRUE(contains(bad.body, "value=\"nine\""));
  EXPECT_EQ(admin.submit("/admin/plain", "/admin/plain/settings", {{"target_age", "40"}}).status, 400);
  ASSERT_EQ(admin.submit("/admin/plain", "/admin/plain/settings", {{"target_age", "12"}}).status, 303);
  EXPECT_EQ(audit_count(s, "plain.settings"), 1);
  EXPECT_TRUE(contains(admin.get("/admin/plain").body, "value=\"12\""));
  auto after = results(admin.submit("/organisations/new", "/organisations", fields).body);
  EXPECT_FALSE(contains(after, shown(s, "plain.web_over_target"))) << after;
  // Saving is never blocked, whatever the target.
  ASSERT_EQ(admin.submit("/admin/plain", "/admin/plain/settings", {{"target_age", "6"}}).status, 303);
  EXPECT_EQ(admin.submit("/organisations/new", "/organisations", org_form("Kirkbeath Forum", text)).status, 303);
}

TEST(PlainApi, EnglishGetsScoresWelshDoesNot) {
  TestServer s;
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  ASSERT_EQ(admin.submit("/admin/plain/jargon/new", "/admin/plain/jargon",
                         jargon_fields("cyd-gynhyrchu", "gweithio gyda'n gilydd", "cy")).status, 303);
  auto csrf = session_csrf(admin);
  auto en = api(admin, "POST", "/api/v1/plain/check", R"({"text": "We work with stakeholders in order to help."})", csrf);
  ASSERT_EQ(en.status, 200) << en.body;
  auto eo = json_object(en).at("fields").as_array().at(0).as_object();
  EXPECT_EQ(json_string(eo, "lang"), "en");
  EXPECT_TRUE(eo.contains("scores"));
  EXPECT_TRUE(eo.at("reading_age").is_int64());
  EXPECT_GE(eo.at("jargon").as_array().size(), 2u);
  EXPECT_TRUE(contains(json_string(json_object(en), "html"), "in order to</mark>"));

  // No language given: the text is recognised as Welsh.
  boost::json::object body{{"fields", boost::json::array{boost::json::object{{"id", "t"}, {"text", kWelsh}}}}};
  auto cy = api(admin, "POST", "/api/v1/plain/check", boost::json::serialize(body), csrf);
  ASSERT_EQ(cy.status, 200) << cy.body;
  auto co = json_object(cy).at("fields").as_array().at(0).as_object();
  EXPECT_EQ(json_string(co, "lang"), "cy");
  EXPECT_FALSE(co.contains("scores"));
  EXPECT_TRUE(co.at("reading_age").is_null());
  ASSERT_EQ(co.at("jargon").as_array().size(), 1u);
  EXPECT_EQ(json_string(co.at("jargon").as_array()[0].as_object(), "text"), "cyd-gynhyrchu");
  auto html = json_string(json_object(cy), "html");
  EXPECT_TRUE(contains(html, "cyd-gynhyrchu</mark>: try “gweithio gyda&apos;n gilydd”")) << html;
  EXPECT_FALSE(contains(html, "Reading age:")) << html;
  EXPECT_TRUE(contains(html, shown(s, "plain.web_welsh_note").substr(0, 20)));

  // The form's language wins over the detector: English text marked Welsh gets no scores.
  auto forced = api(admin, "POST", "/api/v1/plain/check", R"({"text": "We help people.", "lang": "cy"})", csrf);
  EXPECT_FALSE(json_object(forced).at("fields").as_array().at(0).as_object().contains("scores"));
}

TEST(PlainApi, BadRequestsAreProblems) {
  TestServer s;
  auto person = signed_in_as(s, auth::Role::person, "person@example.org");
  auto csrf = session_csrf(person);
  auto p = expect_problem(api(person, "POST", "/api/v1/plain/check", R"({"text": 3, "colour": "red"})", csrf), 422);
  auto fields = error_fields(p);
  EXPECT_NE(std::find(fields.begin(), fields.end(), "text"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "colour"), fields.end());
  expect_problem(api(person, "POST", "/api/v1/plain/check", R"({"text": "Hi.", "lang": "fr"})", csrf), 422);
  expect_problem(api(person, "POST", "/api/v1/plain/check", "{\"text\": \"" + std::string(300 * 1024, 'a') + "\"}", csrf), 413);
  EXPECT_EQ(api(person, "POST", "/api/v1/plain/check", R"({"text": "Hi."})", "").status, 403);
  Client anon(s.port, "alpha.test");
  EXPECT_EQ(api(anon, "POST", "/api/v1/plain/check", R"({"text": "Hi."})", "").status, 401);
}

TEST(PlainPages, WelshCheckShowsNoEnglishScores) {
  TestServer s;
  auto person = signed_in_as(s, auth::Role::person, "person@example.org");
  auto r = person.submit("/plain/check", "/plain/check", {{"text", "We help people every day."}, {"lang", "cy"}});
  ASSERT_EQ(r.status, 200);
  auto found = results(r.body);
  EXPECT_FALSE(contains(found, "Reading age:")) << found;
  EXPECT_TRUE(contains(found, shown(s, "plain.web_welsh_note").substr(0, 20)));
  EXPECT_TRUE(contains(r.body, "value=\"cy\" checked"));
  auto en = person.submit("/plain/check", "/plain/check", {{"text", "We help people every day."}, {"lang", ""}});
  EXPECT_TRUE(contains(results(en.body), "Reading age:"));
  auto empty = person.submit("/plain/check", "/plain/check", {{"text", "  "}, {"lang", ""}});
  EXPECT_EQ(empty.status, 400);
  EXPECT_TRUE(summary_links_to(empty.body, "text"));
}

TEST(PlainPages, GuideIsEasyRead) {
  TestServer s;
  Client anon(s.port, "alpha.test");
  auto r = anon.get("/plain/guide");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "class=\"cp-easy-read\" lang=\"en\""));
  // Each sentence of a section is its own line.
  EXPECT_TRUE(contains(r.body, "<p class=\"cp-easy-read__line\">Put one idea in each sentence.</p>")) << r.body;
  auto cy = anon.get("/plain/guide?lang=cy");
  EXPECT_TRUE(contains(cy.body, "class=\"cp-easy-read\" lang=\"cy\""));
}

TEST(PlainReport, HardestOrganisationsFirst) {
  TestServer s;
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  ASSERT_EQ(admin.submit("/organisations/new", "/organisations", org_form("Easy Club", "We meet on Monday. Come along.")).status, 303);
  ASSERT_EQ(admin.submit("/organisations/new", "/organisations",
                         org_form("Hard Trust", "Our organisation facilitates comprehensive multidisciplinary interventions "
                                                "addressing interconnected socioeconomic determinants.")).status, 303);
  ASSERT_EQ(admin.submit("/organisations/new", "/organisations", org_form("Clwb Cymraeg", kWelsh)).status, 303);
  auto r = admin.get("/admin/plain/report");
  ASSERT_EQ(r.status, 200);
  auto hard = r.body.find(">Hard Trust</a>"), easy = r.body.find(">Easy Club</a>"), welsh = r.body.find(">Clwb Cymraeg</a>");
  ASSERT_NE(hard, std::string::npos) << r.body;
  ASSERT_NE(easy, std::string::npos);
  ASSERT_NE(welsh, std::string::npos);
  EXPECT_LT(hard, easy);
  EXPECT_GT(welsh, easy);  // Welsh texts have their own table, after the English one
  EXPECT_TRUE(contains(r.body, "We checked 3 published texts. 1 read above the target reading age of 9.")) << r.body;
}

TEST(PlainUnits, LanguageDetection) {
  EXPECT_EQ(plain::detect_language(kWelsh), "cy");
  EXPECT_EQ(plain::detect_language("We will meet in the hall on Monday and talk about the plan."), "en");
  EXPECT_EQ(plain::detect_language("Llanfair"), "");
  EXPECT_EQ(plain::detect_language(""), "");
  // English text full of Welsh place names is still English.
  EXPECT_EQ(plain::detect_language("The bus from Llanelli to Caerfyrddin stops at Pont Abraham for the market."), "en");
  EXPECT_EQ(plain::check_language("", "Hi", "cy"), "cy");
  EXPECT_EQ(plain::check_language("en", kWelsh, "cy"), "en");
}

TEST(PlainUnits, EasyReadPutsEachSentenceOnItsOwnLine) {
  auto lines = plain::easy_read_lines("We help people. Come and see us!\n\n- Open every day\n* Free tea \"Really?\" she said.");
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0], "We help people.");
  EXPECT_EQ(lines[1], "Come and see us!");
  EXPECT_EQ(lines[2], "Open every day");
  EXPECT_EQ(lines[3], "Free tea \"Really?\"");
  EXPECT_EQ(lines[4], "she said.");
  EXPECT_TRUE(plain::easy_read_lines("").empty());
  EXPECT_EQ(plain::easy_read_lines("no full stop at all").size(), 1u);
}

TEST(WelshOrderOnPages, OrganisationsListFollowsTheReadersLanguage) {
  TestServer s;
  for (const char* name : {"Chwarae Teg", "Cymorth Cymru", "Llais", "Lleisiau Lleol", "Lwfans Help", "Nghymru Fyw"})
    s.add_organisation(s.alpha, name);
  Client c(s.port, "alpha.test");
  auto en = c.get("/organisations?lang=en").body;
  auto cy = c.get("/organisations?lang=cy").body;
  auto before = [](const std::string& html, const std::string& a, const std::string& b) {
    auto pa = html.find(">" + a + "<"), pb = html.find(">" + b + "<");
    EXPECT_NE(pa, std::string::npos) << a;
    EXPECT_NE(pb, std::string::npos) << b;
    return pa < pb;
  };
  // English: ch before cy, ll before lw. Welsh: c before ch, l before ll.
  EXPECT_TRUE(before(en, "Chwarae Teg", "Cymorth Cymru"));
  EXPECT_TRUE(before(en, "Lleisiau Lleol", "Lwfans Help"));
  EXPECT_TRUE(before(cy, "Cymorth Cymru", "Chwarae Teg"));
  EXPECT_TRUE(before(cy, "Lwfans Help", "Llais"));
  EXPECT_TRUE(before(cy, "Llais", "Lleisiau Lleol"));
  // Counts use the language's plural forms.
  EXPECT_TRUE(contains(cy, "6 sefydliad"));
  EXPECT_TRUE(contains(c.get("/organisations?lang=en&q=Chwarae").body, "1 organisation matches"));
}

TEST(PlainUnits, BadInputGivesSensibleFiguresInEveryMode) {
  const auto& c = plain::shared_checker(COPRODUCE_SHARE);
  plain::Limits welsh;
  welsh.english = false;
  // Empty, binary, mixed scripts, no punctuation, emoji: figures, never a crash.
  std::string binary;
  for (int i = 0; i < 4096; ++i) binary.push_back(static_cast<char>((i * 131 + 7) & 0xFF));
  const std::vector<std::string> inputs = {
      "", binary, "Rydyn ni’n helpu. We help. Мы помогаем людям. 我们帮助人们。",
      "we help people every day and we are open on monday and friday and you can come along to the hall",
      "We 💚 our volunteers 🎉🎉. Come along 👋🏽! 👨‍👩‍👧‍👦 families welcome."};
  for (const auto& text : inputs) {
    auto r = c.check(text, nullptr, welsh);
    EXPECT_FALSE(r.reading_age);
    EXPECT_TRUE(r.passive.empty());
    EXPECT_EQ(r.counts.words, c.count(text).words);
    for (const auto& line : plain::easy_read_lines(text)) EXPECT_FALSE(line.empty());
    auto lang = plain::detect_language(text);
    EXPECT_TRUE(lang.empty() || lang == "en" || lang == "cy");
  }
  EXPECT_EQ(c.check("", nullptr, welsh).counts.words, 0);
  // No punctuation: one sentence, so one long sentence once it passes 25 words, in both modes.
  std::string run_on;
  for (int i = 0; i < 30; ++i) run_on += "gair ";
  EXPECT_EQ(c.check(run_on, nullptr, welsh).long_sentences.size(), 1u);
  // Emoji are not words: "We 💚 our volunteers" has three, so it is textstat's only sentence (the
  // other two have two words each); Easy Read still gives each its own line.
  auto e = c.check(inputs[4]);
  EXPECT_EQ(e.counts.words, 7);
  EXPECT_EQ(e.counts.sentences, 1);
  EXPECT_EQ(plain::easy_read_lines(inputs[4]).size(), 3u);
}

TEST(PlainApi, EmojiMixedScriptsAndEmptyTextAreChecked) {
  TestServer s;
  auto person = signed_in_as(s, auth::Role::person, "person@example.org");
  auto csrf = session_csrf(person);
  for (const std::string text : {"", "We 💚 our volunteers 🎉. Мы помогаем людям. 我们帮助人们", "\\u0000\\u0001 \\ud83d\\ude00"}) {
    auto r = api(person, "POST", "/api/v1/plain/check", "{\"text\": \"" + text + "\"}", csrf);
    ASSERT_EQ(r.status, 200) << text << ": " << r.body;
    auto f = json_object(r).at("fields").as_array().at(0).as_object();
    EXPECT_GE(f.at("words").as_int64(), 0);
  }
  // Text that is not UTF-8 never reaches the checker through JSON: the body is refused.
  auto bad = api(person, "POST", "/api/v1/plain/check", std::string("{\"text\": \"\xff\xfe\"}"), csrf);
  EXPECT_EQ(bad.status / 100, 4) << bad.body;
}

TEST(PlainPages, AnOrganisationSummaryMarkedEasyReadIsShownLineByLine) {
  TestServer s;
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  auto fields = org_form("Kirkbeath Forum", "We help people with money. Come and see us! We are open every day.");
  fields.emplace_back("easy_read", "1");
  auto r = admin.submit("/organisations/new", "/organisations", fields);
  ASSERT_EQ(r.status, 303) << r.body;
  auto id = id_from_location(r.header("location"));
  Client visitor(s.port, "alpha.test");
  auto page = visitor.get(r.header("location"));
  EXPECT_TRUE(contains(page.body, "<div class=\"cp-easy-read\" lang=\"en\"><p class=\"cp-easy-read__line\">We help people with money.</p>"
                                  "<p class=\"cp-easy-read__line\">Come and see us!</p>"))
      << page.body;
  // The form shows the box ticked; unticking it goes back to an ordinary paragraph.
  auto path = "/organisations/" + std::to_string(id);
  auto form = admin.get(path + "/edit");
  EXPECT_TRUE(contains(form.body, "value=\"1\" checked"));
  auto plain_fields = org_form("Kirkbeath Forum", "We help people with money. Come and see us!");
  plain_fields.emplace_back("version", version_in(form.body));
  ASSERT_EQ(admin.submit(path + "/edit", path, plain_fields).status, 303);
  EXPECT_FALSE(contains(visitor.get(path).body, "cp-easy-read"));
  // The API reads and writes the flag; a wrong type is refused.
  auto csrf = session_csrf(admin);
  auto patched = api(admin, "PATCH", "/api/v1/organisations/" + std::to_string(id), R"({"easy_read": true})", csrf);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_TRUE(json_object(patched).at("easy_read").as_bool());
  expect_problem(api(admin, "PATCH", "/api/v1/organisations/" + std::to_string(id), R"({"easy_read": "yes"})", csrf), 422);
}

TEST(PlainUnits, WelshTextIsCheckedAgainstTheShippedWelshList) {
  const auto& c = plain::shared_checker(COPRODUCE_SHARE);
  plain::Limits welsh;
  welsh.english = false;
  const std::string text = "Byddwn ni'n hwyluso ymgysylltu gyda rhanddeiliaid er mwyn gweithredu'r cynllun.";
  auto r = c.check(text, nullptr, welsh);
  std::vector<std::string> found;
  for (const auto& e : r.jargon_entries) found.push_back(e.phrase);
  EXPECT_EQ(found, (std::vector<std::string>{"hwyluso", "ymgysylltu", "rhanddeiliaid"})) << r.jargon.size();
  EXPECT_EQ(r.jargon_entries[0].alternatives.front(), "helpu");
  // The English list is not used for Welsh ("facilitate" stays unmarked), nor the Welsh for English.
  EXPECT_TRUE(c.check("We facilitate things.", nullptr, welsh).jargon.empty());
  EXPECT_TRUE(c.check("hwyluso", nullptr, {}).jargon.empty());
}
