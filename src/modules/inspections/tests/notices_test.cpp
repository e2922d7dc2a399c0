// Who hears about an inspection report: when the report is sent to the service, the managers of the
// organisation that runs it are told (found through the accounts interface), and nobody else of
// theirs: not the organisation's workers, not another organisation's managers, not a disabled
// manager. When the report is published they are told again, beside the team.
#include <gtest/gtest.h>

#include "http/http_support.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/directory/directory.hpp"
#include "modules/inspections/inspections.hpp"

using namespace cp;
using namespace cp::test;

namespace {

const std::string kInspected = "7a1b2c3d-0000-4000-8000-000000000001";
const std::string kOther = "7a1b2c3d-0000-4000-8000-000000000002";

std::int64_t notices(TestServer& s, std::int64_t user, const std::string& key) {
  return read_int(s, s.alpha, "SELECT COUNT(*) FROM notices WHERE partnership_id = $1 AND user_id = $2 AND msg_key = $3",
                  {user, key});
}

}  // namespace

TEST(InspectionsNotices, TheInspectedOrganisationsManagersAndOnlyTheyHearOfTheReport) {
  TestServer s;
  std::int64_t org = 0, other_org = 0;
  {
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
    modules::directory_store::import_feed(w.scope(), boost::json::parse(R"([
      {"id": ")" + kInspected + R"(", "name": "Day centre", "status": "active",
       "organization": {"id": "7a1b2c3d-0000-4000-8000-0000000000f1", "name": "Day centre trust", "description": "Runs it."}},
      {"id": ")" + kOther + R"(", "name": "Lunch club", "status": "active",
       "organization": {"id": "7a1b2c3d-0000-4000-8000-0000000000f2", "name": "Lunch club trust", "description": "Runs it."}}])"));
    org = modules::directory_store::brief_by_uuid(w.scope(), kInspected)->organisation_id.value();
    other_org = modules::directory_store::brief_by_uuid(w.scope(), kOther)->organisation_id.value();
    w.commit();
  }
  auto m1 = s.add_user(s.alpha, "m1@example.org", kPassword, auth::Role::manager, org);
  auto m2 = s.add_user(s.alpha, "m2@example.org", kPassword, auth::Role::manager, org);
  auto gone = s.add_user(s.alpha, "gone@example.org", kPassword, auth::Role::manager, org);
  auto worker = s.add_user(s.alpha, "wk@example.org", kPassword, auth::Role::worker, org);
  auto elsewhere = s.add_user(s.alpha, "else@example.org", kPassword, auth::Role::manager, other_org);
  {
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
    w->bookkeeping("UPDATE users SET disabled_at = 1 WHERE partnership_id = $1 AND id = $2", {gone});
    w.commit();
  }
  {
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
    auto held = modules::AccountsModule::holders(w.scope(), auth::Role::manager, org);
    EXPECT_EQ(held, (std::vector<std::int64_t>{m1, m2}));
  }

  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  auto r = admin.submit("/inspections/templates/new", "/inspections/templates",
                        {{"name", "Visits"}, {"q0_kind", "text"}, {"q0_text", "What did you see?"}});
  ASSERT_EQ(r.status, 303) << r.body;
  auto tpl = read_int(s, s.alpha, "SELECT id FROM inspections_templates WHERE partnership_id = $1");
  r = admin.submit("/inspections/new", "/inspections",
                   {{"title", "Spring visit"}, {"service", kInspected}, {"template", std::to_string(tpl)},
                    {"lead_email", "admin@example.org"}, {"response_days", "14"}});
  ASSERT_EQ(r.status, 303) << r.body;
  std::string base = r.header("location");
  ASSERT_EQ(admin.submit(base + "/report", base + "/report", {{"report", "All good."}, {"report_cy", ""}}).status, 303);
  ASSERT_EQ(admin.submit(base, base + "/send", {}).status, 303);

  EXPECT_EQ(notices(s, m1, "inspections.notice_sent"), 1);
  EXPECT_EQ(notices(s, m2, "inspections.notice_sent"), 1);
  for (auto nobody : {gone, worker, elsewhere})
    EXPECT_EQ(notices(s, nobody, "inspections.notice_sent"), 0) << nobody;
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM notices WHERE partnership_id = $1 AND msg_key = 'inspections.notice_sent'"),
            2);

  // The manager's notices page says it in words, with the days they have.
  Client mgr(s.port);
  ASSERT_EQ(mgr.sign_in("m1@example.org", kPassword).status, 303);
  auto page = mgr.get("/notifications").body;
  EXPECT_TRUE(contains(page, "Spring visit"));
  EXPECT_TRUE(contains(page, "14")) << page;

  // Published (the window has ended): the managers are told again; the others still are not.
  {
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
    w->bookkeeping("UPDATE inspections SET sent_at = $2 WHERE partnership_id = $1", {now_seconds() - 15 * 86400});
    w.commit();
  }
  ASSERT_EQ(admin.submit(base, base + "/publish", {}).status, 303);
  EXPECT_EQ(notices(s, m1, "inspections.notice_published"), 1);
  EXPECT_EQ(notices(s, m2, "inspections.notice_published"), 1);
  for (auto nobody : {gone, worker, elsewhere}) EXPECT_EQ(notices(s, nobody, "inspections.notice_published"), 0);
}
