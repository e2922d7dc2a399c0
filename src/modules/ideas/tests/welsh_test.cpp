// Ideas in Welsh, over real HTTP on both databases: an author may give a Welsh title and words
// beside the English (or Welsh only); a reader who chose Welsh sees the Welsh, a reader of English
// sees the English, and where only one language exists the page says so and marks the text's
// language for screen readers.
#include <gtest/gtest.h>

#include "http/http_support.hpp"
#include "modules/events/events.hpp"
#include "modules/ideas/ideas.hpp"

using namespace cp;
using namespace cp::test;
namespace ev = cp::modules::events;

namespace {

std::int64_t lab_for(TestApp& t, std::int64_t organiser) {
  auto w = t.app->work(t.alpha.id, {std::nullopt, "test", "", ""});
  ev::EventInput in;
  in.title = "Lab";
  in.date = ev::utc_to_london(now_seconds() + 5 * 86400, "%Y-%m-%d");
  in.start_time = "10:00";
  in.end_time = "11:00";
  in.place = "Hall";
  in.capacity = "10";
  auto id = ev::store_fn::create(w.scope(), in, organiser, "Hall");
  w.commit();
  return id;
}

std::string cy(TestApp& t, const std::string& key) { return html_escape(t.app->catalogue.t("cy", key)); }

}  // namespace

TEST(IdeasWelsh, WelshReadersSeeTheWelshVersionAndOneLanguageIsSaidPlainly) {
  TestServer s;
  auto staff = signed_in_as(s, auth::Role::worker, "w@example.org");
  auto lab = lab_for(s, read_int(s, s.alpha, "SELECT id FROM users WHERE partnership_id = $1 AND email = $2",
                                 {std::string("w@example.org")}));
  auto p = signed_in_as(s, auth::Role::person, "p@example.org");
  std::string board = "/ideas?event=" + std::to_string(lab);
  std::string form = "/ideas/new?event=" + std::to_string(lab);
  EXPECT_TRUE(contains(p.get(form).body, "name=\"title_cy\""));

  // Both languages.
  auto r = p.submit(form, "/ideas",
                    {{"board_kind", "event"}, {"board_ref", std::to_string(lab)}, {"title", "Evening meetings"},
                     {"body", "Many carers work."}, {"title_cy", "Cyfarfodydd min nos"},
                     {"body_cy", "Mae llawer o ofalwyr yn gweithio."}});
  ASSERT_EQ(r.status, 303) << r.body;
  auto both = r.header("location");
  auto row = read_rows(s, s.alpha, "SELECT title, title_cy, body_cy FROM ideas WHERE partnership_id = $1 ORDER BY id DESC")
                 .rows.front();
  EXPECT_EQ(row.text(0), "Evening meetings");
  EXPECT_EQ(row.text(1), "Cyfarfodydd min nos");
  EXPECT_EQ(row.text(2), "Mae llawer o ofalwyr yn gweithio.");
  auto en_page = p.get(both).body;
  EXPECT_TRUE(contains(en_page, ">Evening meetings</h1>"));
  EXPECT_FALSE(contains(en_page, "Cyfarfodydd min nos"));
  auto cy_page = p.get(both + "?lang=cy").body;
  EXPECT_TRUE(contains(cy_page, ">Cyfarfodydd min nos</h1>"));
  EXPECT_TRUE(contains(cy_page, "Mae llawer o ofalwyr yn gweithio."));
  EXPECT_FALSE(contains(cy_page, cy(s, "site.only_in_english")));
  EXPECT_TRUE(contains(p.get(board + "&lang=cy").body, ">Cyfarfodydd min nos</a>"));

  // Welsh only: an English reader sees the Welsh, marked as Welsh, with the note.
  r = p.submit(form, "/ideas",
               {{"board_kind", "event"}, {"board_ref", std::to_string(lab)}, {"title", ""}, {"title_cy", "Te a sgwrs"}});
  ASSERT_EQ(r.status, 303) << r.body;
  // (Asking for Welsh above made Welsh this account's language, so English is asked for by name.)
  auto welsh_only = p.get(r.header("location") + "?lang=en").body;
  EXPECT_TRUE(contains(welsh_only, "<h1 class=\"govuk-heading-l\" lang=\"cy\">Te a sgwrs</h1>"));
  EXPECT_TRUE(contains(welsh_only, shown(s, "site.only_in_welsh")));
  EXPECT_TRUE(contains(p.get(board + "&lang=en").body, "lang=\"cy\">Te a sgwrs</a>"));

  // English only: a Welsh reader sees the English, marked as English, with the Welsh note.
  r = p.submit(form, "/ideas", {{"board_kind", "event"}, {"board_ref", std::to_string(lab)}, {"title", "Free parking"}});
  ASSERT_EQ(r.status, 303);
  auto english_only = p.get(r.header("location") + "?lang=cy").body;
  EXPECT_TRUE(contains(english_only, "lang=\"en\">Free parking</h1>"));
  EXPECT_TRUE(contains(english_only, cy(s, "site.only_in_english")));

  // Neither language: refused, nothing written; a Welsh title too long is refused on its own field.
  auto before = read_int(s, s.alpha, "SELECT COUNT(*) FROM ideas WHERE partnership_id = $1");
  auto none = p.submit(form, "/ideas", {{"board_kind", "event"}, {"board_ref", std::to_string(lab)}, {"title", " "},
                                        {"title_cy", ""}, {"body_cy", "Dim teitl"}});
  EXPECT_EQ(none.status, 400);
  EXPECT_TRUE(summary_links_to(none.body, "title"));
  EXPECT_TRUE(contains(none.body, "Dim teitl")) << "what was typed is kept";
  auto long_cy = p.submit(form, "/ideas", {{"board_kind", "event"}, {"board_ref", std::to_string(lab)}, {"title", "Fine"},
                                           {"title_cy", std::string(201, 'a')}});
  EXPECT_EQ(long_cy.status, 400);
  EXPECT_TRUE(summary_links_to(long_cy.body, "title_cy"));
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM ideas WHERE partnership_id = $1"), before);
  (void)staff;
}
