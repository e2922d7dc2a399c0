// A community asset in the moderation queue, over real HTTP on both databases: a member reports it
// at /report/asset/{id}; a moderator sees it in the queue with its words and hides it with a reason;
// then it is gone from the public page and the search, shows as inactive in the open feed, and the
// person who suggested it is told. Restoring puts back the status it had. A formal service is not
// a reportable asset.
#include <gtest/gtest.h>

#include "http/http_support.hpp"
#include "modules/directory/directory.hpp"

using namespace cp;
using namespace cp::test;
namespace survey = cp::modules::directory_survey;

TEST(DirectoryAssetModeration, AMemberReportsAnAssetAndAModeratorHidesAndRestoresIt) {
  TestServer s;
  auto suggester = s.add_user(s.alpha, "sue@example.org", kPassword, auth::Role::person);
  auto admin_id = s.add_user(s.alpha, "admin@example.org", kPassword, auth::Role::admin);
  std::string uuid;
  std::int64_t id = 0;
  {
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
    survey::SuggestionInput in;
    in.name = "Cheap pills club";
    in.asset_kind = "community_group";
    in.what = "Buy pills here, best prices online.";
    in.place_name = "Nowhere";
    in.town = "Kirkcaldy";
    in.when_text = "Always";
    auto sid = survey::suggest(w.scope(), in, suggester, now_seconds());
    uuid = survey::approve(w.scope(), sid, admin_id, now_seconds(), std::nullopt, "Who it is for: ").value();
    id = modules::directory_store::brief_by_uuid(w.scope(), uuid)->id;
    // A formal service beside it, which is not a reportable asset.
    modules::directory_store::import_feed(
        w.scope(), boost::json::parse(R"([{"id": "8b1c2d3e-0000-4000-8000-000000000001", "name": "Advice desk", "status": "active",
        "organization": {"id": "8b1c2d3e-0000-4000-8000-0000000000f1", "name": "Advice trust", "description": "Gives advice."}}])"));
    w.commit();
  }
  std::string page = "/services/" + uuid;
  std::string report = "/report/asset/" + std::to_string(id);
  Client anon(s.port);
  ASSERT_EQ(anon.get(page).status, 200);
  EXPECT_TRUE(contains(anon.get(page).body, "href=\"" + report + "\""));

  auto member = signed_in_as(s, auth::Role::person, "m@example.org");
  std::int64_t service_id = 0;
  {
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
    service_id = modules::directory_store::brief_by_uuid(w.scope(), "8b1c2d3e-0000-4000-8000-000000000001")->id;
  }
  EXPECT_EQ(member.get("/report/asset/" + std::to_string(service_id)).status, 404) << "a formal service is not an asset";
  auto form = member.get(report);
  ASSERT_EQ(form.status, 200);
  EXPECT_TRUE(contains(form.body, "Cheap pills club"));
  ASSERT_EQ(member.submit(report, report, {{"reason", "spam"}, {"details", "An advert"}}).status, 303);

  Client admin(s.port);
  ASSERT_EQ(admin.sign_in("admin@example.org", kPassword).status, 303);
  auto queue = admin.get("/moderation");
  EXPECT_TRUE(contains(queue.body, "Cheap pills club")) << queue.body;
  std::string item = "/moderation/asset/" + std::to_string(id);
  ASSERT_EQ(admin.get(item).status, 200);
  auto no_reason = admin.submit(item, item + "/hide", {{"reason", ""}});
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_EQ(anon.get(page).status, 200) << "nothing hidden without a reason";
  ASSERT_EQ(admin.submit(item, item + "/hide", {{"reason", "An advert, not a community group"}}).status, 303);

  EXPECT_EQ(anon.get(page).status, 404);
  EXPECT_EQ(member.get(page).status, 404);
  EXPECT_EQ(admin.get(page).status, 200) << "moderators still see what they hid";
  EXPECT_FALSE(contains(anon.get("/services?q=pills").body, "Cheap pills club"));
  auto feed = anon.get("/openreferral/services/" + uuid);
  ASSERT_EQ(feed.status, 200);
  EXPECT_EQ(boost::json::parse(feed.body).as_object().at("status").as_string(), "inactive");
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM notices WHERE partnership_id = $1 AND user_id = $2"
                                 " AND msg_key LIKE 'moderation.%'",
                     {suggester}),
            1)
      << "the person who suggested it is told";
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'directory.asset_hide'"),
            1);

  ASSERT_EQ(admin.submit(item, item + "/restore", {{"reason", "They changed the words"}}).status, 303);
  EXPECT_EQ(anon.get(page).status, 200);
  EXPECT_EQ(read_rows(s, s.alpha, "SELECT status FROM directory_services WHERE partnership_id = $1 AND id = $2", {id}).one().text(0),
            "active");
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM directory_hidden_assets WHERE partnership_id = $1"), 0);
}
