// Erasure across the modules that registered holders after the first ones: each test gives one
// person (Jo) a life in one module beside another person (Pal), erases Jo through the real
// /me/data/erase form, and checks that Jo's own words are gone, what pointed at Jo no longer says
// who it was, and the figures other people see (vote counts, support counts, average stars,
// attendance, report counts) did not change.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "modules/directory/directory.hpp"
#include "modules/events/events.hpp"
#include "modules/notifications/notifications.hpp"
#include "modules/pb/process.hpp"
#include "modules/ratings/ratings.hpp"
#include "modules/rights/rights.hpp"
#include "support/harness.hpp"

using namespace cp;

namespace {

const std::string kPassword = "holder test password";

struct Holders : ::testing::Test {
  test::TestServer s;
  std::int64_t jo = 0, pal = 0, admin_id = 0;
  test::Client person{s.port};

  void SetUp() override {
    jo = s.add_user(s.alpha, "jo@example.org", kPassword, auth::Role::person);
    pal = s.add_user(s.alpha, "pal@example.org", kPassword, auth::Role::person);
    admin_id = s.add_user(s.alpha, "ad@example.org", kPassword, auth::Role::admin);
    ASSERT_EQ(person.sign_in("jo@example.org", kPassword).status, 303);
  }

  store::Work work() { return s.app->work(s.alpha.id, {admin_id, "test", "", ""}); }
  void exec(store::Work& w, const std::string& sql, store::Params p) { w->write({"test.seed", "test", std::nullopt, ""}, sql, std::move(p)); }
  std::int64_t count(const std::string& sql, store::Params p = {}) {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    return w->read(sql, std::move(p)).one().i64(0);
  }
  std::string text(const std::string& sql, store::Params p = {}) {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    return w->read(sql, std::move(p)).one().text(0);
  }
  boost::json::value held_value(const std::string& holder) {
    auto r = person.get("/me/data/export.json");
    EXPECT_EQ(r.status, 200);
    return boost::json::parse(r.body).as_object()["held"].as_object()[holder];
  }
  boost::json::object held(const std::string& holder) { return held_value(holder).as_object(); }
  void erase() {
    auto r = person.submit("/me/data/erase", "/me/data/erase", {{"confirm", "yes"}});
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(count("SELECT COUNT(*) FROM rights_erasures WHERE partnership_id = $1"), 1);
  }
};

}  // namespace

TEST_F(Holders, PbBallotsStayCountedWithoutTheVoterAndCommentsGo) {
  namespace pb = modules::pb_store;
  std::int64_t proposal = 0;
  {
    auto w = work();
    modules::PbProcessInput in;
    in.title = "Shore budget";
    in.description = "Money for the shore";
    in.budget = 1000;
    auto id = pb::create_process(w.scope(), in, "voting");
    auto p = pb::get_process(w.scope(), id);
    ASSERT_TRUE(p && !p->area_list.empty());
    auto area = p->area_list[0].id;
    proposal = pb::add_proposal(w.scope(), *p, area, "Benches", "Benches by the sea", 500, pal, "Pal", "accepted");
    pb::support(w.scope(), proposal, jo);
    pb::support(w.scope(), proposal, pal);
    pb::add_comment(w.scope(), proposal, jo, "Jo Bloggs", "My mum needs a bench to rest on");
    pb::cast_ballot(w.scope(), *p, area, "user:" + std::to_string(jo), {{proposal, 1}}, jo, false, "", "", "KY1 age 30");
    pb::cast_ballot(w.scope(), *p, area, "user:" + std::to_string(pal), {{proposal, 1}}, pal);
    w.commit();
  }
  auto mine = held("pb");
  EXPECT_EQ(mine["ballots"].as_array().size(), 1u);
  EXPECT_EQ(mine["comments"].as_array().at(0).as_object()["comment"].as_string(), "My mum needs a bench to rest on");
  EXPECT_EQ(mine["supported"].as_array().size(), 1u);

  erase();
  // Both ballots still count, with the same choices; nothing on Jo's says who cast it.
  EXPECT_EQ(count("SELECT COUNT(*) FROM pb_ballots WHERE partnership_id = $1"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM pb_ballots WHERE partnership_id = $1 AND choices LIKE $2",
                  {"%" + std::to_string(proposal) + "%"}),
            2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM pb_ballots WHERE partnership_id = $1 AND (user_id = $2 OR voter_key = $3"
                  " OR eligibility <> '')",
                  {jo, "user:" + std::to_string(jo)}),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM pb_ballots WHERE partnership_id = $1 AND user_id = $2", {pal}), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM pb_comments WHERE partnership_id = $1"), 0);
  EXPECT_EQ(count("SELECT supports FROM pb_proposals WHERE partnership_id = $1 AND id = $2", {proposal}), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM pb_supports WHERE partnership_id = $1 AND proposal_id = $2", {proposal}), 2);
}

TEST_F(Holders, EventsGiveUpFuturePlacesAndKeepAttendanceWithoutNeeds) {
  namespace ev = modules::events::store_fn;
  std::int64_t future = 0, past = 0;
  {
    auto w = work();
    modules::events::EventInput in;
    in.title = "Lab";
    in.description = "A co-design lab";
    in.date = "2099-05-01";
    in.start_time = "10:00";
    in.end_time = "12:00";
    in.place = "Hall";
    in.capacity = "1";
    std::int64_t a = 0, b = 0, cap = 0;
    ASSERT_TRUE(ev::validate(in, a, b, cap).empty());
    future = ev::create(w.scope(), in, admin_id, "Hall");
    in.date = "2020-05-01";
    in.capacity = "10";
    ASSERT_TRUE(ev::validate(in, a, b, cap).empty());
    past = ev::create(w.scope(), in, admin_id, "Hall");
    ASSERT_EQ(ev::sign_up(w.scope(), future, jo, {}), ev::SignupResult::booked);
    ASSERT_EQ(ev::sign_up(w.scope(), future, pal, {}), ev::SignupResult::waiting);
    for (auto u : {jo, pal})
      exec(w, "INSERT INTO event_signups (partnership_id, event_id, user_id, status, needs, queued_at, attended)"
              " VALUES ($1, $2, $3, 'booked', $4, 1, 1)",
           {past, u, u == jo ? "wheelchair space" : ""});
    exec(w, "INSERT INTO event_expenses (partnership_id, event_id, user_id, amount_pence, what_for, paid_on, created_at)"
            " VALUES ($1, $2, $3, 450, 'Bus fare', '2020-05-01', 1)",
         {past, jo});
    w.commit();
  }
  auto mine = held("events");
  EXPECT_EQ(mine["sign_ups"].as_array().size(), 2u);
  EXPECT_EQ(mine["expenses"].as_array().size(), 1u);

  erase();
  // Pal moves up from the waiting list into the place Jo gave up.
  EXPECT_EQ(text("SELECT status FROM event_signups WHERE partnership_id = $1 AND event_id = $2 AND user_id = $3",
                 {future, pal}),
            "booked");
  EXPECT_EQ(text("SELECT status FROM event_signups WHERE partnership_id = $1 AND event_id = $2 AND user_id = $3",
                 {future, jo}),
            "cancelled");
  // Attendance at the past event still counts two; Jo's support needs are gone.
  EXPECT_EQ(count("SELECT COUNT(*) FROM event_signups WHERE partnership_id = $1 AND event_id = $2 AND attended = 1", {past}), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM event_signups WHERE partnership_id = $1 AND needs <> ''"), 0);
  EXPECT_EQ(count("SELECT SUM(amount_pence) FROM event_expenses WHERE partnership_id = $1"), 450);
}

TEST_F(Holders, IdeasKeepTheirOutcomeButLoseTheWriterWords) {
  std::int64_t idea = 0;
  {
    auto w = work();
    idea = w->insert({"test.seed", "idea", std::nullopt, ""},
                     "INSERT INTO ideas (partnership_id, board_kind, board_ref, title, body, author_id, status,"
                     " status_reason, supports, created_at, updated_at) VALUES ($1, 'service', 'x', 'Later opening',"
                     " 'I work until six so I miss the drop-in', $2, 'adopted', '', 1, 1, 1) RETURNING id",
                     {jo});
    exec(w, "INSERT INTO idea_supports (partnership_id, idea_id, user_id, created_at) VALUES ($1, $2, $3, 1)", {idea, pal});
    exec(w, "INSERT INTO idea_comments (partnership_id, idea_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, 1)",
         {idea, jo, "Thursday would suit me"});
    exec(w, "INSERT INTO idea_comments (partnership_id, idea_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, 1)",
         {idea, pal, "Me too"});
    w.commit();
  }
  auto mine = held("ideas");
  EXPECT_EQ(mine["ideas"].as_array().at(0).as_object()["title"].as_string(), "Later opening");
  EXPECT_EQ(mine["comments"].as_array().size(), 1u);

  erase();
  EXPECT_EQ(count("SELECT COUNT(*) FROM ideas WHERE partnership_id = $1 AND status = 'adopted' AND supports = 1"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM ideas WHERE partnership_id = $1 AND (title LIKE '%opening%' OR body <> '')"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_comments WHERE partnership_id = $1"), 1);
  EXPECT_EQ(text("SELECT body FROM idea_comments WHERE partnership_id = $1"), "Me too");
  EXPECT_EQ(count("SELECT COUNT(*) FROM idea_supports WHERE partnership_id = $1 AND idea_id = $2", {idea}), 1);
}

TEST_F(Holders, RatingsKeepTheStarsAndLoseTheComment) {
  std::int64_t service = 0;
  {
    auto w = work();
    modules::directory_store::import_feed(
        w.scope(), boost::json::parse(R"([{"id": "0a0a0a0a-0000-4000-8000-00000000000a", "name": "Drop-in", "status": "active",
          "organization": {"id": "0a0a0a0a-0000-4000-8000-0000000000a0", "name": "Hub", "description": "Runs things."}}])"));
    service = modules::directory_store::brief_by_uuid(w.scope(), "0a0a0a0a-0000-4000-8000-00000000000a")->id;
    modules::ratings::ratings_store::rate(w.scope(), service, jo, 2, "The worker there knew my ex");
    modules::ratings::ratings_store::rate(w.scope(), service, pal, 5, "Lovely");
    w.commit();
  }
  auto mine = held_value("ratings").as_array();
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].as_object()["comment"].as_string(), "The worker there knew my ex");

  erase();
  EXPECT_EQ(count("SELECT SUM(stars) FROM ratings WHERE partnership_id = $1"), 7);
  EXPECT_EQ(count("SELECT COUNT(*) FROM ratings WHERE partnership_id = $1 AND comment LIKE '%ex%'"), 0);
  EXPECT_EQ(text("SELECT comment FROM ratings WHERE partnership_id = $1 AND user_id = $2", {pal}), "Lovely");
}

TEST_F(Holders, ModerationKeepsReportCountsAndDropsTheirWords) {
  {
    auto w = work();
    auto q = w->insert({"test.seed", "moderation_item", std::nullopt, ""},
                       "INSERT INTO moderation_items (partnership_id, kind, item_id, author_user_id, excerpt, report_count,"
                       " open_reports, first_reported_at, last_reported_at) VALUES ($1, 'idea_comment', 7, $2,"
                       " 'Jo wrote this rude thing', 1, 1, 1, 1) RETURNING id",
                       {jo});
    exec(w, "INSERT INTO moderation_reports (partnership_id, queue_id, reporter_user_id, reason, details, created_at)"
            " VALUES ($1, $2, $3, 'abuse', 'I know who Jo is', 1)",
         {q, pal});
    auto q2 = w->insert({"test.seed", "moderation_item", std::nullopt, ""},
                        "INSERT INTO moderation_items (partnership_id, kind, item_id, author_user_id, excerpt, report_count,"
                        " open_reports, first_reported_at, last_reported_at) VALUES ($1, 'idea_comment', 8, $2,"
                        " 'Pal wrote this', 1, 1, 1, 1) RETURNING id",
                        {pal});
    exec(w, "INSERT INTO moderation_reports (partnership_id, queue_id, reporter_user_id, reason, details, created_at)"
            " VALUES ($1, $2, $3, 'spam', 'Jo reports: my neighbour posts this', 1)",
         {q2, jo});
    exec(w, "INSERT INTO moderation_blocks (partnership_id, user_id, reason, by_user_id, created_at) VALUES ($1, $2, 'x', $3, 1)",
         {jo, admin_id});
    w.commit();
  }
  auto mine = held("moderation");
  EXPECT_EQ(mine["reports_you_made"].as_array().size(), 1u);
  EXPECT_EQ(mine["your_posts_reported"].as_array().size(), 1u);

  erase();
  EXPECT_EQ(count("SELECT SUM(report_count) FROM moderation_items WHERE partnership_id = $1"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM moderation_reports WHERE partnership_id = $1"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM moderation_items WHERE partnership_id = $1 AND excerpt LIKE 'Jo%'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM moderation_items WHERE partnership_id = $1 AND excerpt = 'Pal wrote this'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM moderation_reports WHERE partnership_id = $1 AND details LIKE 'Jo%'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM moderation_reports WHERE partnership_id = $1 AND details = 'I know who Jo is'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM moderation_blocks WHERE partnership_id = $1"), 0);
}

TEST_F(Holders, DirectoryNotificationsAndInspectionsForgetThePerson) {
  {
    auto w = work();
    for (const char* status : {"waiting", "approved"})
      exec(w, "INSERT INTO directory_asset_suggestions (partnership_id, suggested_by, status, name, asset_kind, what,"
              " place_name, address, town, postcode, when_text, who_for, contact_name, contact_phone, contact_email,"
              " website, told_by, created_at) VALUES ($1, $2, $3, 'Knit club', 'group', 'Knitting', 'Hall', '1 Road',"
              " 'Town', 'KY1 1AA', 'Tuesdays', 'All', 'Jo Bloggs', '07700 900123', 'jo@example.org', '', 'Jo', 1)",
           {jo, std::string(status)});
    modules::notifications::notify(w.scope(), jo, "rights.flash_resolved", {}, "/me/data");
    exec(w, "INSERT INTO inspections_inspectors (partnership_id, user_id, trained_on, created_at) VALUES ($1, $2, '2024-01-01', 1)",
         {jo});
    w.commit();
  }
  auto raw = person.get("/me/data/export.json").body;
  EXPECT_NE(raw.find("07700 900123"), std::string::npos);
  EXPECT_NE(raw.find("2024-01-01"), std::string::npos);
  EXPECT_EQ(held("notifications")["messages"].as_array().size(), 1u);

  erase();
  EXPECT_EQ(count("SELECT COUNT(*) FROM directory_asset_suggestions WHERE partnership_id = $1"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM directory_asset_suggestions WHERE partnership_id = $1 AND status = 'approved'"
                  " AND name = 'Knit club' AND contact_name = '' AND contact_phone = '' AND contact_email = ''"
                  " AND told_by = ''"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notices WHERE partnership_id = $1 AND user_id = $2", {jo}), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM inspections_inspectors WHERE partnership_id = $1"), 0);
}

// Every table a holder names carries a reason, so the retention policy can be read from the registry.
TEST(RightsCoverage, EveryRuleSaysWhy) {
  test::TestApp t;
  auto* m = t.app->module<modules::RightsModule>();
  ASSERT_NE(m, nullptr);
  for (const auto& h : m->registry().holders())
    for (const auto& r : h.tables) {
      EXPECT_FALSE(r.why.empty()) << h.name << " " << r.table;
      EXPECT_NE(r.treatment, modules::rights::Treatment::pending) << r.table;
    }
}
