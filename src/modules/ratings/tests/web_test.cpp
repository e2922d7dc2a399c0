// Ratings through real HTTP on both databases: one current rating per person per service that the
// person can change, the distribution and its text equivalent (also on the service's own page),
// bad input kept and refused with nothing written, script escaped, hidden ratings left out of the
// counts, a worker's "used the service" mark, the service's public reply (and its notice), and
// feedback that becomes an agreed action in the tracker.
#include <gtest/gtest.h>

#include "http/http_support.hpp"
#include "modules/directory/directory.hpp"
#include "modules/notifications/notifications.hpp"
#include "modules/ratings/ratings.hpp"
#include "modules/tracker/tracker.hpp"

using namespace cp;
using namespace cp::test;
namespace db = cp::modules::ratings::ratings_store;

namespace {

const std::string kService = "1b2c3d4e-0000-4000-8000-000000000001";

// A service run by an organisation; returns the organisations module's id of that organisation.
std::int64_t add_service(TestApp& s, const app::Partnership& p, const std::string& uuid = kService) {
  auto w = s.app->work(p.id, {std::nullopt, "test", "", ""});
  modules::directory_store::import_feed(
      w.scope(), boost::json::parse(R"([{"id": ")" + uuid + R"(", "name": "Drop-in cafe", "status": "active",
        "organization": {"id": "1b2c3d4e-0000-4000-8000-0000000000f0", "name": "Cafe trust", "description": "Runs a cafe."}}])"));
  auto b = modules::directory_store::brief_by_uuid(w.scope(), uuid);
  w.commit();
  return b->organisation_id.value();
}

std::int64_t service_id(TestApp& s, const app::Partnership& p) {
  auto w = s.app->work(p.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
  return modules::directory_store::brief_by_uuid(w.scope(), kService)->id;
}

HttpResult rate(Client& c, const std::string& stars, const std::string& comment) {
  return c.submit("/ratings/services/" + kService + "/rate", "/ratings/services/" + kService,
                  {{"stars", stars}, {"comment", comment}});
}

std::int64_t rating_count(TestApp& s) {
  return read_int(s, s.alpha, "SELECT COUNT(*) FROM ratings WHERE partnership_id = $1");
}

}  // namespace

TEST(RatingsWeb, OneRatingPerPersonThatTheyCanChange) {
  TestServer s;
  add_service(s, s.alpha);
  auto ann = signed_in_as(s, auth::Role::person, "ann@example.org");
  auto r = rate(ann, "4", "Friendly staff.");
  EXPECT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("location"), "/ratings/services/" + kService);
  EXPECT_EQ(rate(ann, "2", "It got worse.").status, 303);
  EXPECT_EQ(rating_count(s), 1);
  auto row = read_rows(s, s.alpha, "SELECT stars, comment FROM ratings WHERE partnership_id = $1").one();
  EXPECT_EQ(row.i64(0), 2);
  EXPECT_EQ(row.text(1), "It got worse.");
  // The form comes back with their current rating chosen, to change it.
  auto form = ann.get("/ratings/services/" + kService + "/rate").body;
  EXPECT_TRUE(contains(form, R"(value="2" checked)")) << form;
  EXPECT_TRUE(contains(form, "It got worse."));

  auto bob = signed_in_as(s, auth::Role::person, "bob@example.org");
  EXPECT_EQ(rate(bob, "5", "").status, 303);
  Client anon(s.port);
  auto page = anon.get("/ratings/services/" + kService);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "3.5 out of 5 from 2 ratings")) << page.body;
  EXPECT_TRUE(contains(page.body, "It got worse."));
  EXPECT_TRUE(contains(page.body, R"(<meter class="cp-meter" min="0" max="1" value="1")"));
  // The directory's own page for the service carries the same summary through its panel.
  auto service_page = anon.get("/services/" + kService);
  ASSERT_EQ(service_page.status, 200);
  EXPECT_TRUE(contains(service_page.body, "3.5 out of 5 from 2 ratings")) << service_page.body;
  EXPECT_TRUE(contains(service_page.body, "/ratings/services/" + kService));
}

TEST(RatingsWeb, BadInputIsRefusedKeptAndNothingWritten) {
  TestServer s;
  add_service(s, s.alpha);
  auto ann = signed_in_as(s, auth::Role::person, "ann@example.org");
  auto r = rate(ann, "7", "Kept text");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(summary_links_to(r.body, "stars")) << r.body;
  EXPECT_TRUE(contains(r.body, "Kept text"));
  r = rate(ann, "", "");
  EXPECT_EQ(r.status, 400);
  r = rate(ann, "3", std::string(2001, 'a'));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(summary_links_to(r.body, "comment"));
  EXPECT_EQ(rating_count(s), 0);
  // Script is stored as typed and shown as text, never run.
  EXPECT_EQ(rate(ann, "1", "<script>alert('x')</script>").status, 303);
  auto page = Client(s.port).get("/ratings/services/" + kService).body;
  EXPECT_FALSE(contains(page, "<script>alert"));
  EXPECT_TRUE(contains(page, "&lt;script&gt;alert"));
  // Rating needs an account; a service of another partnership is not found.
  Client anon(s.port);
  EXPECT_EQ(anon.get("/ratings/services/" + kService + "/rate").status, 303);
  add_service(s, s.beta, "1b2c3d4e-0000-4000-8000-0000000000b1");
  EXPECT_EQ(ann.get("/ratings/services/1b2c3d4e-0000-4000-8000-0000000000b1").status, 404);
}

TEST(RatingsWeb, HiddenRatingsLeaveTheListAndTheCounts) {
  TestServer s;
  add_service(s, s.alpha);
  auto ann = signed_in_as(s, auth::Role::person, "ann@example.org");
  auto bob = signed_in_as(s, auth::Role::person, "bob@example.org");
  ASSERT_EQ(rate(ann, "5", "Lovely.").status, 303);
  ASSERT_EQ(rate(bob, "1", "Buy cheap pills at spam.example").status, 303);
  auto id = read_int(s, s.alpha, "SELECT id FROM ratings WHERE partnership_id = $1 AND stars = 1");
  {
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
    EXPECT_TRUE(db::set_hidden(w.scope(), id, true));
    w.commit();
  }
  auto page = Client(s.port).get("/ratings/services/" + kService).body;
  EXPECT_FALSE(contains(page, "spam.example"));
  EXPECT_TRUE(contains(page, "5.0 out of 5 from 1 rating") || contains(page, "5 out of 5 from 1 rating")) << page;
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'rating.hide'"), 1);
  // Its author is told it is hidden rather than finding it gone.
  EXPECT_TRUE(contains(bob.get("/ratings/services/" + kService).body, shown(s, "ratings.your_rating_hidden")));
}

TEST(RatingsWeb, WorkerVerifiesAndTheServiceReplies) {
  TestServer s;
  auto org = add_service(s, s.alpha);
  auto ann = signed_in_as(s, auth::Role::person, "ann@example.org");
  ASSERT_EQ(rate(ann, "3", "Long wait.").status, 303);
  auto id = read_int(s, s.alpha, "SELECT id FROM ratings WHERE partnership_id = $1");
  auto ann_id = read_int(s, s.alpha, "SELECT id FROM users WHERE partnership_id = $1 AND email = 'ann@example.org'");
  std::string page_url = "/ratings/services/" + kService;

  auto worker = signed_in_as(s, auth::Role::worker, "worker@example.org");
  auto r = worker.submit(page_url, "/ratings/" + std::to_string(id) + "/verify", {});
  EXPECT_EQ(r.status, 303);
  EXPECT_TRUE(contains(Client(s.port).get(page_url).body, shown(s, "ratings.verified")));
  // A person cannot verify, and a changed rating needs checking again.
  auto other = signed_in_as(s, auth::Role::person, "other@example.org");
  EXPECT_EQ(other.submit(page_url, "/ratings/" + std::to_string(id) + "/verify", {}).status, 403);
  ASSERT_EQ(rate(ann, "4", "Shorter wait now.").status, 303);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM ratings WHERE partnership_id = $1 AND verified_at IS NOT NULL"), 0);

  // A manager of another organisation cannot answer for this service; its own manager can.
  s.add_user(s.alpha, "othermgr@example.org", kPassword, auth::Role::manager, s.add_organisation(s.alpha, "Elsewhere"));
  Client othermgr(s.port);
  othermgr.sign_in("othermgr@example.org", kPassword);
  EXPECT_EQ(othermgr.get("/ratings/" + std::to_string(id) + "/response").status, 403);
  s.add_user(s.alpha, "mgr@example.org", kPassword, auth::Role::manager, org);
  Client mgr(s.port);
  mgr.sign_in("mgr@example.org", kPassword);
  std::string form = "/ratings/" + std::to_string(id) + "/response";
  r = mgr.submit(form, form, {{"response", std::string(2001, 'b')}});
  EXPECT_EQ(r.status, 400);
  r = mgr.submit(form, form, {{"response", "Sorry. We now have a second worker on Mondays."}});
  EXPECT_EQ(r.status, 303);
  EXPECT_TRUE(contains(Client(s.port).get(page_url).body, "We now have a second worker on Mondays."));
  auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
  EXPECT_EQ(modules::notifications::unread_count(w.scope(), ann_id), 1);
}

TEST(RatingsWeb, FeedbackBecomesAnAgreedAction) {
  TestServer s;
  auto org = add_service(s, s.alpha);
  auto ann = signed_in_as(s, auth::Role::person, "ann@example.org");
  ASSERT_EQ(rate(ann, "2", "Nowhere to leave a pram.").status, 303);
  auto id = read_int(s, s.alpha, "SELECT id FROM ratings WHERE partnership_id = $1");
  s.add_user(s.alpha, "mgr@example.org", kPassword, auth::Role::manager, org);
  Client mgr(s.port);
  mgr.sign_in("mgr@example.org", kPassword);
  std::string form = "/ratings/" + std::to_string(id) + "/action";
  auto r = mgr.submit(form, form, {{"title", ""}, {"owner", "Cafe manager"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(summary_links_to(r.body, "title"));
  EXPECT_TRUE(contains(r.body, "Cafe manager"));
  r = mgr.submit(form, form, {{"title", "Make space for prams"}, {"owner", "Cafe manager"}, {"due_on", "2027-02-30"}});
  EXPECT_EQ(r.status, 400) << r.body;
  r = mgr.submit(form, form, {{"title", "Make space for prams"}, {"owner", "Cafe manager"}, {"due_on", "2027-03-31"}});
  EXPECT_EQ(r.status, 303) << r.body;
  {
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
    auto actions = modules::tracker::for_origin(w.scope(), "feedback", id);
    ASSERT_EQ(actions.size(), 1u);
    EXPECT_EQ(actions[0].title, "Make space for prams");
    EXPECT_EQ(actions[0].status, "agreed");
  }
  EXPECT_TRUE(contains(Client(s.port).get("/ratings/services/" + kService).body, "Make space for prams"));
  // The person who wrote it cannot agree actions for the service.
  EXPECT_EQ(ann.get(form).status, 403);
}
