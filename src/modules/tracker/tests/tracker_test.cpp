// The "we talked, we did together" tracker through real HTTP and its C++ interface, on both databases.
#include <gtest/gtest.h>

#include "modules/directory/directory.hpp"
#include "modules/tracker/store.hpp"
#include "modules/tracker/tracker.hpp"
#include "support/harness.hpp"

using namespace cp;
using cp::test::Client;
using cp::test::TestServer;
namespace tr = cp::modules::tracker;

namespace {

const std::string kPw = "tracker test password";

struct Fixture {
  TestServer s;
  std::int64_t staff, person;
  Fixture() {
    staff = s.add_user(s.alpha, "staff@example.org", kPw, auth::Role::manager, s.add_organisation(s.alpha, "Org"));
    person = s.add_user(s.alpha, "person@example.org", kPw, auth::Role::person);
  }
  Client as(const std::string& who) { return signed_in(s, who + "@example.org", kPw); }
  std::int64_t agree(const std::string& title, const std::string& kind = "idea", std::int64_t origin = 7,
                     std::optional<std::int64_t> service = std::nullopt) {
    auto w = s.app->work(s.alpha.id, {staff, "user", "", ""});
    tr::NewAction a{title, "Library team", service, "2030-01-31", {kind, origin, "Longer hours", "/ideas/7"}};
    auto id = tr::agree(w.scope(), a, staff);
    w.commit();
    return id;
  }
  std::string status_of(std::int64_t id) {
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
    return tr::get(w.scope(), id)->status;
  }
};

std::string path(std::int64_t id, const std::string& rest = "") { return "/we-did-together/" + std::to_string(id) + rest; }

}  // namespace

TEST(Tracker, AgreeAndForOriginLinkBack) {
  Fixture f;
  auto a = f.agree("Open on Saturday mornings");
  auto b = f.agree("Add a ramp", "idea", 7);
  f.agree("Other idea's action", "idea", 8);
  auto w = f.s.app->work(f.s.alpha.id, {std::nullopt, "test", "", ""});
  auto list = tr::for_origin(w.scope(), "idea", 7);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, a);
  EXPECT_EQ(list[1].id, b);
  EXPECT_EQ(list[0].status, "agreed");
  EXPECT_EQ(list[0].link, path(a));
  EXPECT_THROW(tr::agree(w.scope(), {"", "x", std::nullopt, "", {}}, f.staff), std::invalid_argument);
  EXPECT_THROW(tr::agree(w.scope(), {"T", "x", std::nullopt, "2030-02-30", {}}, f.staff), std::invalid_argument);
  EXPECT_THROW(tr::agree(w.scope(), {"T", "x", std::nullopt, "", {"idea", 1, "t", "javascript:alert(1)"}}, f.staff),
               std::invalid_argument);
  w.commit();
  // Another partnership sees none of them.
  auto wb = f.s.app->work(f.s.beta.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
  EXPECT_TRUE(tr::for_origin(wb.scope(), "idea", 7).empty());
}

TEST(Tracker, StaffCreateWithErrorsKeptThenMoveToDoneWithEvidence) {
  Fixture f;
  auto c = f.as("staff");
  auto bad = c.submit("/we-did-together/new", "/we-did-together",
                      {{"title", ""}, {"owner", "Library team"}, {"due_on", "2030-13-01"}, {"title_cy", "Agor ar fore Sadwrn"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("href=\"#title\""), std::string::npos);
  EXPECT_NE(bad.body.find("href=\"#due_on\""), std::string::npos);
  EXPECT_NE(bad.body.find("Agor ar fore Sadwrn"), std::string::npos);  // kept
  {
    auto w = f.s.app->work(f.s.alpha.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
    EXPECT_EQ(w->read("SELECT COUNT(*) FROM tracker_actions WHERE partnership_id = $1").one().i64(0), 0);
  }
  auto ok = c.submit("/we-did-together/new?origin_kind=idea&origin_id=12&origin_title=Longer+hours&origin_link=/ideas/12",
                     "/we-did-together",
                     {{"title", "Open on Saturday mornings"}, {"title_cy", "Agor ar fore Sadwrn"}, {"owner", "Library team"},
                      {"due_on", "2030-03-31"}, {"origin_kind", "idea"}, {"origin_id", "12"},
                      {"origin_title", "Longer hours"}, {"origin_link", "/ideas/12"}});
  ASSERT_EQ(ok.status, 303);
  auto loc = ok.header("location");
  auto id = std::stoll(loc.substr(loc.rfind('/') + 1));
  auto show = c.get(loc);
  EXPECT_NE(show.body.find("Open on Saturday mornings"), std::string::npos);
  EXPECT_NE(show.body.find("href=\"/ideas/12\""), std::string::npos);
  {
    auto w = f.s.app->work(f.s.alpha.id, {std::nullopt, "test", "", ""});
    EXPECT_EQ(tr::for_origin(w.scope(), "idea", 12).size(), 1u);
  }
  // Welsh readers see the Welsh title.
  EXPECT_NE(c.get(loc + "?lang=cy").body.find("Agor ar fore Sadwrn</h1>"), std::string::npos);
  c.get(loc + "?lang=en");

  // Not possible needs a reason; nothing changes without one.
  auto no_reason = c.submit(loc, path(id, "/status"), {{"to", "not_possible"}, {"note", ""}});
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_NE(no_reason.body.find("href=\"#note\""), std::string::npos);
  EXPECT_EQ(f.status_of(id), "agreed");
  // A bad evidence link is refused.
  EXPECT_EQ(c.submit(loc, path(id, "/status"), {{"to", "in_progress"}, {"link", "javascript:alert(1)"}}).status, 400);
  EXPECT_EQ(f.status_of(id), "agreed");

  EXPECT_EQ(c.submit(loc, path(id, "/status"), {{"to", "in_progress"}, {"note", "Volunteers found"}}).status, 303);
  EXPECT_EQ(f.status_of(id), "in_progress");
  EXPECT_EQ(c.submit(loc, path(id, "/status"),
                     {{"to", "done"}, {"note", "The library now opens 9 to 12 on Saturdays."},
                      {"note_cy", "Mae’r llyfrgell ar agor 9 tan 12 ar ddydd Sadwrn."},
                      {"link", "https://example.org/library-hours"}})
                .status,
            303);
  EXPECT_EQ(f.status_of(id), "done");
  auto done = c.get(loc);
  EXPECT_NE(done.body.find("The library now opens 9 to 12 on Saturdays."), std::string::npos);
  EXPECT_NE(done.body.find("href=\"https://example.org/library-hours\""), std::string::npos);
  EXPECT_NE(done.body.find("Volunteers found"), std::string::npos);
  // Done cannot jump back to agreed; it may be reopened.
  EXPECT_EQ(c.submit(loc, path(id, "/status"), {{"to", "agreed"}, {"note", "x"}}).status, 400);
  EXPECT_EQ(f.status_of(id), "done");

  // People who use services read but do not change.
  auto p = f.as("person");
  EXPECT_EQ(p.get(loc).status, 200);
  EXPECT_EQ(p.get(loc).body.find("Add an update"), std::string::npos);
  EXPECT_EQ(p.submit(loc, path(id, "/status"), {{"to", "in_progress"}, {"note", "x"}}).status, 403);
}

TEST(Tracker, PublicListFiltersAndCounts) {
  Fixture f;
  auto a = f.agree("Action one");
  auto b = f.agree("Action two", "finding", 3);
  auto c2 = f.agree("Action three", "feedback", 4);
  f.agree("Action four <script>x</script>", "feedback", 5);
  {
    auto w = f.s.app->work(f.s.alpha.id, {f.staff, "user", "", ""});
    EXPECT_EQ(tr::move(w.scope(), a, "done", "Finished", "", "", f.staff, std::nullopt), tr::Moved::ok);
    EXPECT_EQ(tr::move(w.scope(), b, "in_progress", "", "", "", f.staff, std::nullopt), tr::Moved::ok);
    // Staying put adds evidence, so it needs some.
    EXPECT_EQ(tr::move(w.scope(), b, "in_progress", "", "", "", f.staff, std::nullopt), tr::Moved::reason_needed);
    EXPECT_EQ(tr::move(w.scope(), b, "in_progress", "Started", "", "", f.staff, std::nullopt), tr::Moved::ok);
    EXPECT_EQ(tr::move(w.scope(), b, "agreed", "Back", "", "", f.staff, 1), tr::Moved::conflict);  // stale version
    EXPECT_EQ(tr::move(w.scope(), c2, "not_possible", "", "", "", f.staff, std::nullopt), tr::Moved::reason_needed);
    EXPECT_EQ(tr::move(w.scope(), c2, "not_possible", "The building is listed", "", "", f.staff, std::nullopt),
              tr::Moved::ok);
    w.commit();
  }
  Client anon(f.s.port);
  auto all = anon.get("/we-did-together");
  ASSERT_EQ(all.status, 200);
  EXPECT_NE(all.body.find("4 agreed actions"), std::string::npos);
  EXPECT_NE(all.body.find("<span class=\"cp-count__number\">1</span> <span class=\"cp-count__label\">Done</span>"),
            std::string::npos);
  EXPECT_NE(all.body.find("<span class=\"cp-count__number\">1</span> <span class=\"cp-count__label\">Not possible</span>"),
            std::string::npos);
  EXPECT_NE(all.body.find("The building is listed"), std::string::npos);
  EXPECT_NE(all.body.find("&lt;script&gt;x&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(all.body.find("<script>x</script>"), std::string::npos);

  auto done = anon.get("/we-did-together?status=done");
  EXPECT_NE(done.body.find("Action one"), std::string::npos);
  EXPECT_EQ(done.body.find("Action two"), std::string::npos);
  EXPECT_NE(done.body.find("Showing 1 action"), std::string::npos);
  auto fb = anon.get("/we-did-together?origin=feedback");
  EXPECT_NE(fb.body.find("Action three"), std::string::npos);
  EXPECT_EQ(fb.body.find("Action one"), std::string::npos);
  EXPECT_NE(fb.body.find("2 agreed actions"), std::string::npos);  // counts follow the origin filter
  // Unknown filter values are ignored rather than failing.
  EXPECT_EQ(anon.get("/we-did-together?status=bogus&origin=bogus&page=-3").status, 200);
  EXPECT_EQ(anon.get("/we-did-together/999999").status, 404);
  EXPECT_EQ(anon.get("/we-did-together/service/999999").status, 404);
  // The other partnership sees none of alpha's actions.
  Client beta(f.s.port, "beta.test");
  EXPECT_NE(beta.get("/we-did-together").body.find("0 agreed actions"), std::string::npos);
  EXPECT_EQ(beta.get(path(a)).status, 404);
}

TEST(Tracker, ServicePageAndPanel) {
  Fixture f;
  {
    auto w = f.s.app->work(f.s.alpha.id, {std::nullopt, "test", "", ""});
    modules::directory_store::import_feed(
        w.scope(), boost::json::parse(R"([{"id": "0a0a0a0a-0000-4000-8000-0000000000c1", "name": "Kirkbeath Library",
          "status": "active", "organization": {"id": "0a0a0a0a-0000-4000-8000-0000000000c0", "name": "Council",
          "description": "Runs the library."}}])"));
    w.commit();
  }
  std::int64_t sid;
  {
    auto w = f.s.app->work(f.s.alpha.id, {std::nullopt, "test", "", ""});
    sid = modules::directory_store::brief_by_uuid(w.scope(), "0a0a0a0a-0000-4000-8000-0000000000c1")->id;
  }
  f.agree("Library opens on Saturdays", "idea", 1, sid);
  f.agree("Not about the library", "idea", 2);
  Client anon(f.s.port);
  auto page = anon.get("/we-did-together/service/" + std::to_string(sid));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Kirkbeath Library"), std::string::npos);
  EXPECT_NE(page.body.find("Library opens on Saturdays"), std::string::npos);
  EXPECT_EQ(page.body.find("Not about the library"), std::string::npos);
  auto service = anon.get("/services/0a0a0a0a-0000-4000-8000-0000000000c1");
  ASSERT_EQ(service.status, 200);
  EXPECT_NE(service.body.find("tracker-panel-heading"), std::string::npos);
  EXPECT_NE(service.body.find("Library opens on Saturdays"), std::string::npos);
}
