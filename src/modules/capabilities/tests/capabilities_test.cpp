// People's offers and wishes, through the storage interface and real HTTP: who sees what is decided
// in the query (a member never sees another person's "only my key worker" offer, staff see what was
// shared with staff, the other partnership sees nothing), bad input writes nothing and keeps what was
// typed, and a worker recording for a person is audited.
#include <gtest/gtest.h>

#include "core/util.hpp"
#include "modules/capabilities/capabilities.hpp"
#include "modules/capabilities/tests/people_fixture.hpp"
#include "support/harness.hpp"

using namespace cp;
namespace db = modules::capabilities_store;
namespace people = test::people;

namespace {

const std::string kPassword = "capabilities test password";

std::vector<std::string> titles(const std::vector<modules::Offer>& list) {
  std::vector<std::string> out;
  for (const auto& o : list) out.push_back(o.title);
  return out;
}

std::vector<std::string> browse(test::TestApp& t, const app::Partnership& p, const modules::OfferViewer& v) {
  auto w = t.app->work(p.id, {}, store::Transaction::Mode::read);
  std::int64_t total = 0;
  auto list = db::browse(w.scope(), v, {}, total);
  EXPECT_EQ(total, static_cast<std::int64_t>(list.size()));
  return titles(list);
}

std::int64_t offer_count(test::TestApp& t, const app::Partnership& p) {
  auto w = t.app->work(p.id, {}, store::Transaction::Mode::read);
  return w->read("SELECT COUNT(*) FROM capability_offers WHERE partnership_id = $1").one().i64(0);
}

using Strings = std::vector<std::string>;

}  // namespace

TEST(Capabilities, EachViewerSeesOnlyWhatThePersonChose) {
  test::TestApp t;
  auto owner = t.add_user(t.alpha, "owner@example.org", kPassword, auth::Role::person);
  auto member = t.add_user(t.alpha, "member@example.org", kPassword, auth::Role::person);
  auto worker = t.add_user(t.alpha, "worker@example.org", kPassword, auth::Role::worker);
  auto other_worker = t.add_user(t.alpha, "worker2@example.org", kPassword, auth::Role::worker);
  people::add_offer(t, t.alpha, owner, people::offer("A key worker only", "keyworker"));
  people::add_offer(t, t.alpha, owner, people::offer("B staff", "staff"));
  people::add_offer(t, t.alpha, owner, people::offer("C members", "members"));
  // Recorded by a worker for the person, visible to their key worker only.
  auto recorded = people::add_offer(t, t.alpha, owner, people::offer("D recorded by worker", "keyworker"), worker);

  EXPECT_EQ(browse(t, t.alpha, {member, false, {}}), (Strings{"C members"}));
  EXPECT_EQ(browse(t, t.alpha, {owner, false, {}}), (Strings{"A key worker only", "B staff", "C members", "D recorded by worker"}));
  EXPECT_EQ(browse(t, t.alpha, {worker, true, {}}), (Strings{"B staff", "C members", "D recorded by worker"}));
  EXPECT_EQ(browse(t, t.alpha, {other_worker, true, {}}), (Strings{"B staff", "C members"}));
  // A worker whose caseload holds the person (the journeys module, later) sees the key-worker ones.
  EXPECT_EQ(browse(t, t.alpha, {other_worker, true, {owner}}),
            (Strings{"A key worker only", "B staff", "C members", "D recorded by worker"}));
  // Not signed in: nothing at all.
  EXPECT_TRUE(browse(t, t.alpha, {0, false, {}}).empty());
  // The other partnership sees nothing, even for an account with the same id.
  EXPECT_TRUE(browse(t, t.beta, {owner, true, {owner}}).empty());

  auto w = t.app->work(t.alpha.id, {}, store::Transaction::Mode::read);
  EXPECT_FALSE(db::get(w.scope(), recorded, {member, false, {}}));
  EXPECT_TRUE(db::get(w.scope(), recorded, {worker, true, {}}));
  EXPECT_EQ(db::get(w.scope(), recorded, {owner, false, {}})->recorded_by, worker);
}

TEST(Capabilities, ValidationNamesEachProblemAndTidiesThePostcode) {
  test::TestApp t;
  people::load_postcodes(*t.app);
  modules::OfferInput in;
  in.kind = "sell";
  in.topic = "not-a-topic";
  in.title = std::string(121, 'x');
  in.days = {"MO", "XX"};
  in.postcode = "KY9 9ZZ";
  in.visibility = "everyone";
  std::optional<modules::postcodes::Point> point;
  auto problems = db::validate(*t.app, in, {"t1"}, point);
  std::vector<std::string> keys;
  for (const auto& p : problems) keys.push_back(p.field + ":" + p.key);
  EXPECT_EQ(keys, (Strings{"kind:capabilities.error_kind", "topic:capabilities.error_topic",
                           "title:capabilities.error_title_long", "days:capabilities.error_days",
                           "postcode:capabilities.error_postcode_unknown", "visibility:capabilities.error_visibility"}));
  EXPECT_FALSE(point);

  auto good = people::offer("Help with forms", "staff", "t1", "ky11ab");
  good.days = {"TH", "MO"};
  EXPECT_TRUE(db::validate(*t.app, good, {"t1"}, point).empty());
  EXPECT_EQ(good.postcode, "KY1 1AB");
  EXPECT_EQ(good.days, (Strings{"MO", "TH"}));  // week order
  ASSERT_TRUE(point);
  EXPECT_NEAR(point->latitude, 56.09884, 1e-6);

  auto bad = people::offer("", "staff", modules::kOtherTopic, "not a postcode");
  problems = db::validate(*t.app, bad, {}, point);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].key, "capabilities.error_title_missing");
  EXPECT_EQ(problems[1].key, "capabilities.error_postcode_invalid");
}

TEST(CapabilitiesHttp, APersonRecordsAnOfferAfterFixingErrorsAndOthersSeeItOnlyIfAllowed) {
  test::TestServer s;
  people::load_postcodes(*s.app);
  s.add_user(s.alpha, "jo@example.org", kPassword, auth::Role::person);
  s.add_user(s.alpha, "sam@example.org", kPassword, auth::Role::person);
  s.add_user(s.alpha, "wes@example.org", kPassword, auth::Role::worker);
  test::Client jo(s.port);
  ASSERT_EQ(jo.sign_in("jo@example.org", kPassword).status, 303);

  // First try: no title and a postcode nobody has. Nothing is saved; what was typed comes back.
  auto r = jo.submit("/me/offers/new", "/me/offers/new",
                     {{"kind", "offer"}, {"topic", "other"}, {"title", ""}, {"details", "I can <b>mend</b> clothes"},
                      {"postcode", "KY9 9ZZ"}, {"visibility", "members"}, {"days", "TU"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("govuk-error-summary"), std::string::npos);
  EXPECT_NE(r.body.find("href=\"#title\""), std::string::npos);
  EXPECT_NE(r.body.find("href=\"#postcode\""), std::string::npos);
  EXPECT_NE(r.body.find("I can &lt;b&gt;mend&lt;/b&gt; clothes"), std::string::npos);
  EXPECT_NE(r.body.find("value=\"TU\" checked"), std::string::npos);
  EXPECT_EQ(offer_count(s, s.alpha), 0);

  r = jo.submit("/me/offers/new", "/me/offers/new",
                {{"kind", "offer"}, {"topic", "other"}, {"title", "Mend clothes"}, {"postcode", "ky1 1ab"},
                 {"visibility", "members"}, {"days", "TU"}});
  ASSERT_EQ(r.status, 303);
  EXPECT_EQ(r.header("location"), "/me/offers");
  r = jo.submit("/me/offers/new", "/me/offers/new",
                {{"kind", "wish"}, {"topic", "other"}, {"title", "Learn to drive"}, {"visibility", "keyworker"}});
  ASSERT_EQ(r.status, 303);
  auto mine = jo.get("/me/offers");
  EXPECT_EQ(mine.status, 200);
  EXPECT_NE(mine.body.find("Mend clothes"), std::string::npos);
  EXPECT_NE(mine.body.find("Learn to drive"), std::string::npos);

  std::int64_t mend = 0, drive = 0;
  {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    mend = w->read("SELECT id FROM capability_offers WHERE partnership_id = $1 AND title = 'Mend clothes'").one().i64(0);
    drive = w->read("SELECT id FROM capability_offers WHERE partnership_id = $1 AND title = 'Learn to drive'").one().i64(0);
    EXPECT_EQ(w->read("SELECT postcode FROM capability_offers WHERE partnership_id = $1 AND id = $2", {mend}).one().text(0),
              "KY1 1AB");
  }

  // Another member sees the members offer, not the key-worker wish, and cannot change either.
  test::Client sam(s.port);
  ASSERT_EQ(sam.sign_in("sam@example.org", kPassword).status, 303);
  auto list = sam.get("/offers");
  EXPECT_NE(list.body.find("Mend clothes"), std::string::npos);
  EXPECT_EQ(list.body.find("Learn to drive"), std::string::npos);
  EXPECT_EQ(sam.get("/offers/" + std::to_string(mend)).status, 200);
  EXPECT_EQ(sam.get("/offers/" + std::to_string(drive)).status, 404);
  EXPECT_EQ(sam.get("/me/offers/" + std::to_string(mend) + "/edit").status, 403);

  // The other partnership's host knows nothing of it.
  test::Client beta(s.port, "beta.test");
  s.add_user(s.beta, "beta@example.org", kPassword, auth::Role::admin);
  ASSERT_EQ(beta.sign_in("beta@example.org", kPassword).status, 303);
  EXPECT_EQ(beta.get("/offers/" + std::to_string(mend)).status, 404);
  EXPECT_EQ(beta.get("/offers").body.find("Mend clothes"), std::string::npos);

  // A worker reading a person's offer is audited; the person reading their own is not.
  test::Client wes(s.port);
  ASSERT_EQ(wes.sign_in("wes@example.org", kPassword).status, 303);
  EXPECT_EQ(wes.get("/offers/" + std::to_string(mend)).status, 200);
  EXPECT_EQ(jo.get("/offers/" + std::to_string(mend)).status, 200);
  {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    EXPECT_EQ(w->read("SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'capability_offer.view'"
                      " AND record_id = $2",
                      {mend})
                  .one()
                  .i64(0),
              1);
  }

  // Withdrawn: gone from the list for others, still in the person's own page.
  r = jo.submit("/me/offers", "/me/offers/" + std::to_string(mend) + "/withdraw", {});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(sam.get("/offers").body.find("Mend clothes"), std::string::npos);
  EXPECT_EQ(sam.get("/offers/" + std::to_string(mend)).status, 404);
  EXPECT_NE(jo.get("/me/offers").body.find("Mend clothes"), std::string::npos);
}

TEST(CapabilitiesHttp, AWorkerRecordsForAPersonAndItIsAudited) {
  test::TestServer s;
  auto jo = s.add_user(s.alpha, "jo@example.org", kPassword, auth::Role::person);
  auto wes_id = s.add_user(s.alpha, "wes@example.org", kPassword, auth::Role::worker);
  s.add_user(s.alpha, "pat@example.org", kPassword, auth::Role::person);
  test::Client wes(s.port);
  ASSERT_EQ(wes.sign_in("wes@example.org", kPassword).status, 303);
  EXPECT_NE(wes.get("/me/offers/new").body.find("id=\"person_email\""), std::string::npos);

  auto r = wes.submit("/me/offers/new", "/me/offers/new",
                      {{"person_email", "nobody@example.org"}, {"kind", "offer"}, {"topic", "other"},
                       {"title", "Gardening"}, {"visibility", "keyworker"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("href=\"#person_email\""), std::string::npos);
  EXPECT_EQ(offer_count(s, s.alpha), 0);

  r = wes.submit("/me/offers/new", "/me/offers/new",
                 {{"person_email", "JO@example.org"}, {"kind", "offer"}, {"topic", "other"}, {"title", "Gardening"},
                  {"visibility", "keyworker"}});
  ASSERT_EQ(r.status, 303);
  ASSERT_TRUE(starts_with(r.header("location"), "/offers/"));
  auto id = parse_int(r.header("location").substr(8)).value();
  {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    auto row = w->read("SELECT person_id, recorded_by FROM capability_offers WHERE partnership_id = $1 AND id = $2", {id}).one();
    EXPECT_EQ(row.i64(0), jo);
    EXPECT_EQ(row.i64(1), wes_id);
    auto audit = w->read("SELECT actor_user_id, detail FROM audit_events WHERE partnership_id = $1"
                         " AND action = 'capability_offer.create' AND record_id = $2",
                         {id});
    EXPECT_EQ(audit.one().i64(0), wes_id);
    EXPECT_EQ(audit.one().text(1), "for person " + std::to_string(jo));
  }
  // The person sees it as theirs; another person does not see a key-worker offer.
  test::Client jc(s.port);
  ASSERT_EQ(jc.sign_in("jo@example.org", kPassword).status, 303);
  EXPECT_NE(jc.get("/me/offers").body.find("Gardening"), std::string::npos);
  test::Client pat(s.port);
  ASSERT_EQ(pat.sign_in("pat@example.org", kPassword).status, 303);
  EXPECT_EQ(pat.get("/offers/" + std::to_string(id)).status, 404);

  // A person cannot record for someone else.
  r = jc.submit("/me/offers/new", "/me/offers/new",
                {{"person_email", "pat@example.org"}, {"kind", "offer"}, {"topic", "other"}, {"title", "X"},
                 {"visibility", "members"}});
  EXPECT_EQ(r.status, 403);
}
