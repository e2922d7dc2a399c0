// The kept offer index (offer_index.hpp) behind matching's people's offers: what it finds is what a
// plain brute-force search over every offer finds (same offers, same order) for scattered offers at
// several distances, topics, words and viewers, and a change is in the very next answer whoever
// makes it: the module on another connection, SQL run as another process would run it, or a
// person's erasure through the data-rights holder.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "core/util.hpp"
#include "modules/capabilities/capabilities.hpp"
#include "modules/capabilities/offer_index.hpp"
#include "modules/rights/rights.hpp"
#include "support/harness.hpp"

using namespace cp;
namespace db = modules::capabilities_store;
namespace pc = modules::postcodes;

namespace {

const std::string kPassword = "offer index test password";
const pc::Point kCentre{56.09884, -3.16624};  // KY1 1AB
const std::vector<std::string> kTopics = {"20000001-0000-4000-8000-000000000001", "20000001-0000-4000-8000-000000000002",
                                          "20000001-0000-4000-8000-000000000003"};
const std::vector<std::string> kWords = {"food", "walking", "computers", "gaelic"};

// Every offer of the partnership as stored, for the brute-force search.
struct Stored {
  std::int64_t id, person_id, recorded_by;
  std::string kind, status, topic, visibility, search_text;
  std::optional<pc::Point> point;
};

std::vector<Stored> everything(test::TestApp& t, const app::Partnership& p) {
  auto w = t.app->work(p.id, {}, store::Transaction::Mode::read);
  std::vector<Stored> out;
  for (const auto& r : w->read("SELECT id, person_id, recorded_by, kind, status, topic, visibility, search_text,"
                               " latitude, longitude FROM capability_offers WHERE partnership_id = $1")
                           .rows) {
    Stored s{r.i64(0), r.i64(1), r.i64(2), r.text(3), r.text(4), r.text(5), r.text(6), r.text(7), std::nullopt};
    if (!r.null(8) && !r.null(9)) s.point = pc::Point{r.f64(8), r.f64(9)};
    out.push_back(std::move(s));
  }
  return out;
}

// The answer written out plainly from the rules in capabilities.hpp: active offers the viewer may see,
// with the topic or one of the words, within the distance, nearest first (then by id), at most `limit`.
std::vector<std::int64_t> brute_force(const std::vector<Stored>& all, const modules::OfferViewer& v,
                                      const db::CandidateQuery& q) {
  std::vector<std::pair<double, std::int64_t>> fit;
  for (const auto& o : all) {
    if (o.kind != "offer" || o.status != "active" || !o.point || v.user_id <= 0) continue;
    bool caseload = std::find(v.caseload.begin(), v.caseload.end(), o.person_id) != v.caseload.end();
    bool may_see = o.person_id == v.user_id || o.visibility == "members" ||
                   (v.staff && (o.visibility == "staff" ||
                                (o.visibility == "keyworker" && (o.recorded_by == v.user_id || caseload))));
    if (!may_see) continue;
    bool relevant = !q.topic.empty() && q.topic != modules::kOtherTopic && o.topic == q.topic;
    for (const auto& w : q.words) relevant = relevant || (!w.empty() && o.search_text.find(w) != std::string::npos);
    if (!relevant) continue;
    double d = pc::distance_m(*q.near, *o.point);
    if (d <= q.within_m) fit.emplace_back(d, o.id);
  }
  std::sort(fit.begin(), fit.end());
  std::vector<std::int64_t> out;
  for (const auto& [d, id] : fit)
    if (static_cast<std::int64_t>(out.size()) < q.limit) out.push_back(id);
  return out;
}

std::vector<std::int64_t> ids(const std::vector<modules::Offer>& list) {
  std::vector<std::int64_t> out;
  for (const auto& o : list) out.push_back(o.id);
  return out;
}

std::vector<std::int64_t> fast(test::TestApp& t, const app::Partnership& p, const modules::OfferViewer& v,
                               const db::CandidateQuery& q) {
  auto w = t.app->work(p.id, {}, store::Transaction::Mode::read);
  return ids(db::candidates(w.scope(), v, q));
}

std::vector<std::int64_t> in_sql(test::TestApp& t, const app::Partnership& p, const modules::OfferViewer& v,
                                 const db::CandidateQuery& q) {
  auto w = t.app->work(p.id, {}, store::Transaction::Mode::read);
  return ids(db::candidates_in_sql(w.scope(), v, q));
}

modules::OfferInput input(const std::string& title, const std::string& details, const std::string& topic,
                          const std::string& visibility, const std::string& kind = "offer") {
  modules::OfferInput in;
  in.kind = kind;
  in.topic = topic;
  in.title = title;
  in.details = details;
  in.visibility = visibility;
  return in;
}

std::int64_t add(test::TestApp& t, const app::Partnership& p, std::int64_t person, std::int64_t recorded_by,
                 const modules::OfferInput& in, std::optional<pc::Point> where) {
  auto w = t.app->work(p.id, {std::nullopt, "test", "", ""});
  auto id = db::create(w.scope(), person, recorded_by, in, where);
  w.commit();
  return id;
}

void elsewhere(test::TestApp& t, const std::string& sql) {
  auto conn = store::connect(t.db.url());
  conn->run(sql, {});
}

db::CandidateQuery near(double within_m, std::string topic, std::vector<std::string> words, std::int64_t limit = 100) {
  db::CandidateQuery q;
  q.near = kCentre;
  q.within_m = within_m;
  q.topic = std::move(topic);
  q.words = std::move(words);
  q.limit = limit;
  return q;
}

}  // namespace

TEST(OfferIndex, NearestOffersAreWhatAPlainSearchGives) {
  test::TestApp t;
  std::vector<std::int64_t> persons;
  for (int i = 0; i < 12; ++i)
    persons.push_back(t.add_user(t.alpha, "person" + std::to_string(i) + "@example.org", kPassword, auth::Role::person));
  auto worker = t.add_user(t.alpha, "worker@example.org", kPassword, auth::Role::worker);
  auto other_worker = t.add_user(t.alpha, "worker2@example.org", kPassword, auth::Role::worker);

  // 320 offers scattered up to about 9 km around Kirkcaldy, a few sharing a spot exactly (a tie on
  // distance is broken by the id), with every visibility, some recorded by a worker, some wishes,
  // some withdrawn, some with no place.
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> dlat(-0.08, 0.08), dlon(-0.13, 0.13);
  const std::vector<std::string> vis = {"members", "staff", "keyworker"};
  std::vector<std::int64_t> to_withdraw;
  {
    auto w = t.app->work(t.alpha.id, {std::nullopt, "test", "", ""});
    pc::Point shared{kCentre.latitude + 0.004, kCentre.longitude - 0.006};
    for (int i = 0; i < 320; ++i) {
      std::string topic = i % 7 == 6 ? modules::kOtherTopic : kTopics[static_cast<std::size_t>(i) % kTopics.size()];
      const auto& w1 = kWords[static_cast<std::size_t>(rng()) % kWords.size()];
      const auto& w2 = kWords[static_cast<std::size_t>(rng()) % kWords.size()];
      auto in = input("I can help with " + w1, "Also " + w2 + " on " + (i % 2 ? "Tuesdays" : "FOOD days"), topic,
                      vis[static_cast<std::size_t>(i) % vis.size()], i % 13 == 5 ? "wish" : "offer");
      auto person = persons[static_cast<std::size_t>(i) % persons.size()];
      auto recorded = i % 5 == 0 ? worker : person;
      std::optional<pc::Point> where = pc::Point{kCentre.latitude + dlat(rng), kCentre.longitude + dlon(rng)};
      if (i % 17 == 3) where = shared;
      if (i % 29 == 7) where.reset();
      auto id = db::create(w.scope(), person, recorded, in, where);
      if (i % 11 == 4) to_withdraw.push_back(id);
    }
    for (auto id : to_withdraw) db::withdraw(w.scope(), id);
    w.commit();
  }
  auto all = everything(t, t.alpha);
  ASSERT_EQ(all.size(), 320u);

  std::vector<modules::OfferViewer> viewers = {
      {persons[0], false, {}},                  // a person: their own, and what members may see
      {persons[5], false, {}},                  // another person
      {worker, true, {}},                       // the worker who recorded some key-worker ones
      {other_worker, true, {}},                 // a worker who recorded none
      {other_worker, true, {persons[2], persons[7]}},  // a key worker with a caseload
      {0, false, {}},                           // nobody signed in: sees nothing
  };
  std::vector<std::pair<std::string, std::vector<std::string>>> needs = {
      {kTopics[0], {}}, {kTopics[1], {"food"}}, {"", {"walking"}}, {"", {"gaelic", "computers"}},
      {modules::kOtherTopic, {"food"}}, {kTopics[2], {"tuesdays"}}, {"", {"FOOD"}}, {"", {""}},
  };
  int compared = 0, non_empty = 0;
  for (double within : {300.0, 1000.0, 2500.0, 5000.0, 10000.0})
    for (std::int64_t limit : {5, 100})
      for (const auto& [topic, words] : needs)
        for (const auto& v : viewers) {
          auto q = near(within, topic, words, limit);
          std::vector<std::string> lower;
          for (const auto& w : words) lower.push_back(to_lower(w));
          auto bq = q;
          bq.words = lower;
          auto want = brute_force(all, v, bq);
          ASSERT_EQ(fast(t, t.alpha, v, q), want) << "within " << within << " limit " << limit << " topic " << topic
                                                  << " viewer " << v.user_id << " caseload " << v.caseload.size();
          ASSERT_EQ(in_sql(t, t.alpha, v, q), want) << "the SQL search itself, within " << within;
          ++compared;
          if (!want.empty()) ++non_empty;
        }
  EXPECT_EQ(compared, 5 * 2 * 8 * 6);
  // The answers above came from the kept index, not from the SQL search it falls back to: it holds
  // this partnership's active offers with a place (320, less the wishes, the withdrawn and the
  // placeless ones).
  std::size_t kept_offers = 0;
  for (const auto& o : all) kept_offers += o.kind == "offer" && o.status == "active" && o.point ? 1 : 0;
  EXPECT_GE(modules::capabilities_index::kept_size().offers, kept_offers);
  EXPECT_GT(non_empty, compared / 2);  // the comparison is about real answers, not empty ones

  // The other partnership's index is its own: it has no offers.
  auto beta_person = t.add_user(t.beta, "beta@example.org", kPassword, auth::Role::person);
  EXPECT_TRUE(fast(t, t.beta, {beta_person, false, {}}, near(10000, kTopics[0], {"food"})).empty());
}

TEST(OfferIndex, AChangeIsInTheNextAnswerWhoeverMakesIt) {
  test::TestApp t;
  auto ann = t.add_user(t.alpha, "ann@example.org", kPassword, auth::Role::person);
  auto bob = t.add_user(t.alpha, "bob@example.org", kPassword, auth::Role::person);
  auto cat = t.add_user(t.alpha, "cat@example.org", kPassword, auth::Role::person);
  auto worker = t.add_user(t.alpha, "worker@example.org", kPassword, auth::Role::worker);
  auto step = [](double metres_north) { return pc::Point{kCentre.latitude + metres_north / 111195.0, kCentre.longitude}; };
  auto a = add(t, t.alpha, ann, ann, input("Food shopping", "", kTopics[0], "members"), step(800));
  auto b = add(t, t.alpha, bob, bob, input("Walking to the shops", "and food", kTopics[1], "members"), step(1500));
  modules::OfferViewer member{cat, false, {}};
  modules::OfferViewer staff{worker, true, {}};
  auto q = near(5000, kTopics[0], {"food"});
  EXPECT_EQ(fast(t, t.alpha, member, q), (std::vector<std::int64_t>{a, b}));  // builds the kept index

  // Through the module, on another connection: a nearer offer comes first at once.
  auto c = add(t, t.alpha, cat, cat, input("Cooking", "simple food", kTopics[2], "members"), step(200));
  EXPECT_EQ(fast(t, t.alpha, member, q), (std::vector<std::int64_t>{c, a, b}));
  // Moved out of range by its person.
  {
    auto w = t.app->work(t.alpha.id, {std::nullopt, "test", "", ""});
    ASSERT_TRUE(db::update(w.scope(), c, input("Cooking", "simple food", kTopics[2], "members"), step(7000)));
    w.commit();
  }
  EXPECT_EQ(fast(t, t.alpha, member, q), (std::vector<std::int64_t>{a, b}));
  // Withdrawn.
  {
    auto w = t.app->work(t.alpha.id, {std::nullopt, "test", "", ""});
    ASSERT_TRUE(db::withdraw(w.scope(), a));
    w.commit();
  }
  EXPECT_EQ(fast(t, t.alpha, member, q), (std::vector<std::int64_t>{b}));

  // From a separate connection, as another process or a hand-run fix would: Bob's offer becomes
  // staff-only, then loses the word and the topic, then comes back.
  auto pid = std::to_string(t.alpha.id), bid = std::to_string(b);
  elsewhere(t, "UPDATE capability_offers SET visibility = 'staff' WHERE partnership_id = " + pid + " AND id = " + bid);
  EXPECT_TRUE(fast(t, t.alpha, member, q).empty());
  EXPECT_EQ(fast(t, t.alpha, staff, q), (std::vector<std::int64_t>{b}));
  elsewhere(t, "UPDATE capability_offers SET search_text = 'walking', topic = 'other' WHERE partnership_id = " + pid +
                   " AND id = " + bid);
  EXPECT_TRUE(fast(t, t.alpha, staff, q).empty());
  EXPECT_EQ(fast(t, t.alpha, staff, near(5000, "", {"walking"})), (std::vector<std::int64_t>{b}));
  elsewhere(t, "UPDATE capability_offers SET visibility = 'members', search_text = 'food', topic = '" + kTopics[1] +
                   "' WHERE partnership_id = " + pid + " AND id = " + bid);
  auto d = add(t, t.alpha, bob, bob, input("More food", "", kTopics[0], "members"), step(100));
  EXPECT_EQ(fast(t, t.alpha, member, q), (std::vector<std::int64_t>{d, b}));

  // A change that is rolled back is in no answer.
  {
    auto w = t.app->work(t.alpha.id, {std::nullopt, "test", "", ""});
    db::create(w.scope(), cat, cat, input("Never kept", "food", kTopics[0], "members"), step(10));
  }
  EXPECT_EQ(fast(t, t.alpha, member, q), (std::vector<std::int64_t>{d, b}));

  // Bob's erasure through the data-rights holder: his offers go from the next answer, Cat's stay.
  auto e = add(t, t.alpha, cat, cat, input("Food bank lifts", "", kTopics[0], "members"), step(3000));
  EXPECT_EQ(fast(t, t.alpha, member, q), (std::vector<std::int64_t>{d, b, e}));
  auto* rights = t.app->module<modules::RightsModule>();
  ASSERT_NE(rights, nullptr);
  const modules::rights::Holder* holder = nullptr;
  for (const auto& h : rights->registry().holders())
    if (h.name == "capabilities") holder = &h;
  ASSERT_NE(holder, nullptr);
  {
    auto w = t.app->work(t.alpha.id, {std::nullopt, "test", "", ""});
    auto counts = holder->eraser(w.scope(), {bob, std::nullopt, "Bob"});
    EXPECT_EQ(counts["capability_offers"], 2);
    w.commit();
  }
  EXPECT_EQ(fast(t, t.alpha, member, q), (std::vector<std::int64_t>{e}));
  // And after the rebuild, changes are followed again.
  auto f = add(t, t.alpha, ann, ann, input("Food", "", kTopics[0], "members"), step(50));
  EXPECT_EQ(fast(t, t.alpha, member, q), (std::vector<std::int64_t>{f, e}));
  // Everything agrees with the plain search at the end.
  EXPECT_EQ(fast(t, t.alpha, member, q), in_sql(t, t.alpha, member, q));
  EXPECT_EQ(fast(t, t.alpha, member, q), brute_force(everything(t, t.alpha), member, q));
}

// On PostgreSQL a transaction that has itself changed offers searches in SQL (what it sees, nobody
// else may ever see); on both databases it sees its own change, and the kept index is untouched by it.
TEST(OfferIndex, ATransactionSeesItsOwnChange) {
  test::TestApp t;
  auto ann = t.add_user(t.alpha, "ann@example.org", kPassword, auth::Role::person);
  auto cat = t.add_user(t.alpha, "cat@example.org", kPassword, auth::Role::person);
  pc::Point near_point{kCentre.latitude + 0.002, kCentre.longitude};
  auto a = add(t, t.alpha, ann, ann, input("Food", "", kTopics[0], "members"), near_point);
  modules::OfferViewer member{cat, false, {}};
  auto q = near(5000, kTopics[0], {});
  EXPECT_EQ(fast(t, t.alpha, member, q), (std::vector<std::int64_t>{a}));
  {
    auto w = t.app->work(t.alpha.id, {std::nullopt, "test", "", ""});
    db::withdraw(w.scope(), a);
    EXPECT_TRUE(db::candidates(w.scope(), member, q).empty());
  }
  EXPECT_EQ(fast(t, t.alpha, member, q), (std::vector<std::int64_t>{a}));
}
