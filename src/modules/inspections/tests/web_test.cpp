// Citizen-led inspections through real HTTP on both databases: a question set made and revised (an
// inspection keeps the version it was planned with), inspectors registered, an inspection planned,
// visited, answered, its findings and bilingual report written, sent to the service, refused
// publication while the response window is open and nothing answered, answered by the service's own
// manager, published for everyone (lists per partnership and per service, and the service's page),
// and a finding turned into a tracked action. Also the bad input each form refuses, keeping what was
// typed and writing nothing, and who may see work in progress.
#include <gtest/gtest.h>

#include <regex>

#include "http/http_support.hpp"
#include "modules/directory/directory.hpp"
#include "modules/inspections/inspections.hpp"
#include "modules/tracker/tracker.hpp"

using namespace cp;
using namespace cp::test;
namespace db = cp::modules::inspections::inspections_store;

namespace {

const std::string kService = "2c3d4e5f-0000-4000-8000-000000000001";

std::int64_t add_service(TestApp& s, const app::Partnership& p) {
  auto w = s.app->work(p.id, {std::nullopt, "test", "", ""});
  modules::directory_store::import_feed(
      w.scope(), boost::json::parse(R"([{"id": ")" + kService + R"(", "name": "Day centre", "status": "active",
        "organization": {"id": "2c3d4e5f-0000-4000-8000-0000000000f0", "name": "Day centre trust", "description": "Runs a centre."}}])"));
  auto b = modules::directory_store::brief_by_uuid(w.scope(), kService);
  w.commit();
  return b->organisation_id.value();
}

std::int64_t count(TestServer& s, const std::string& table) {
  return read_int(s, s.alpha, "SELECT COUNT(*) FROM " + table + " WHERE partnership_id = $1");
}

std::string status_of(TestServer& s, std::int64_t id) {
  return read_rows(s, s.alpha, "SELECT status FROM inspections WHERE partnership_id = $1 AND id = $2", {id}).one().text(0);
}

Fields template_fields(const std::string& name, const std::string& second_question) {
  return {{"name", name},
          {"q0_kind", "scale"}, {"q0_text", "Were you made welcome?"}, {"q0_low", "Not at all"}, {"q0_high", "Very much"},
          {"q1_kind", "text"}, {"q1_text", second_question}};
}

struct World {
  std::int64_t org = 0, template_id = 0, inspection = 0;
  Client admin, inspector;
};

// Everything up to a planned inspection, through the pages an admin uses.
World plan(TestServer& s) {
  World w{add_service(s, s.alpha), 0, 0, signed_in_as(s, auth::Role::admin, "admin@example.org"),
          signed_in_as(s, auth::Role::person, "ivy@example.org")};
  auto r = w.admin.submit("/inspections/templates/new", "/inspections/templates",
                          template_fields("Day services", "What would make it better?"));
  EXPECT_EQ(r.status, 303) << r.body;
  w.template_id = read_int(s, s.alpha, "SELECT id FROM inspections_templates WHERE partnership_id = $1");
  r = w.admin.submit("/inspections/inspectors", "/inspections/inspectors",
                     {{"email", "ivy@example.org"}, {"trained_on", "2026-09-14"}});
  EXPECT_EQ(r.status, 303) << r.body;
  r = w.admin.submit("/inspections/new", "/inspections",
                     {{"title", "Autumn visit"}, {"service", kService}, {"template", std::to_string(w.template_id)},
                      {"lead_email", "admin@example.org"}, {"response_days", "14"}});
  EXPECT_EQ(r.status, 303) << r.body;
  w.inspection = id_from_location(r.header("location"));
  return w;
}

}  // namespace

TEST(InspectionsWeb, FromQuestionSetToPublishedReportAndTrackedAction) {
  TestServer s;
  auto w = plan(s);
  std::string base = "/inspections/" + std::to_string(w.inspection);
  ASSERT_GT(w.inspection, 0);
  EXPECT_EQ(w.admin.submit(base, base + "/visits", {{"visit_on", "2026-10-02"}, {"visit_note", "Morning"}}).status, 303);
  EXPECT_EQ(w.admin.submit(base, base + "/team", {{"member_email", "ivy@example.org"}}).status, 303);

  // The citizen inspector answers, records a finding with evidence, and writes the report.
  auto r = w.inspector.submit(base + "/answers", base + "/answers",
                              {{"q0_score", "4"}, {"q0_note", "A warm hello at the door."}, {"q1_note", "More seats."}});
  EXPECT_EQ(r.status, 303) << r.body;
  r = w.inspector.submit(base, base + "/findings",
                         {{"finding_text", "The ramp is too steep."}, {"finding_evidence", "Two of us could not use it."},
                          {"finding_link", "https://photos.example.org/ramp"}});
  EXPECT_EQ(r.status, 303) << r.body;
  r = w.inspector.submit(base + "/report", base + "/report",
                         {{"report", "Staff were kind. The ramp is too steep."}, {"report_cy", "Roedd y staff yn garedig."}});
  EXPECT_EQ(r.status, 303) << r.body;

  // Work in progress is not public.
  Client anon(s.port);
  EXPECT_EQ(anon.get(base).status, 303);
  auto stranger = signed_in_as(s, auth::Role::person, "stranger@example.org");
  EXPECT_EQ(stranger.get(base).status, 403);

  // Sent to the service; publishing now is refused: the window is open and the service has not replied.
  EXPECT_EQ(w.admin.submit(base, base + "/send", {}).status, 303);
  EXPECT_EQ(status_of(s, w.inspection), "sent");
  r = w.admin.submit(base, base + "/publish", {});
  EXPECT_EQ(r.status, 409);
  EXPECT_TRUE(summary_links_to(r.body, "publish")) << r.body;
  EXPECT_TRUE(contains(r.body, "14 days")) << r.body;
  EXPECT_EQ(status_of(s, w.inspection), "sent");
  // Once sent, the team can no longer change the report.
  EXPECT_EQ(w.inspector.get(base + "/report").status, 403);

  // The service's own manager sees the report and replies; then it can be published.
  s.add_user(s.alpha, "mgr@example.org", kPassword, auth::Role::manager, w.org);
  Client mgr(s.port);
  mgr.sign_in("mgr@example.org", kPassword);
  EXPECT_EQ(mgr.get(base).status, 200);
  r = mgr.submit(base, base + "/response", {{"response", ""}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(summary_links_to(r.body, "response_text"));
  EXPECT_EQ(mgr.submit(base, base + "/response", {{"response", "We will fit a handrail."}}).status, 303);
  EXPECT_EQ(mgr.submit(base, base + "/publish", {}).status, 403);
  EXPECT_EQ(w.admin.submit(base, base + "/publish", {}).status, 303);
  EXPECT_EQ(status_of(s, w.inspection), "published");

  // Public: the report (in the reader's language), the reply, the lists and the service's page.
  auto page = anon.get(base);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "Staff were kind."));
  EXPECT_TRUE(contains(page.body, "We will fit a handrail."));
  EXPECT_TRUE(contains(page.body, "https://photos.example.org/ramp"));
  EXPECT_TRUE(contains(anon.get(base + "?lang=cy").body, "Roedd y staff yn garedig."));
  Client anon2(s.port);
  EXPECT_TRUE(contains(anon2.get("/inspections").body, "Autumn visit"));
  EXPECT_TRUE(contains(anon2.get("/inspections/services/" + kService).body, "Autumn visit"));
  EXPECT_TRUE(contains(anon2.get("/services/" + kService).body, base));

  // A finding becomes an improvement action in the tracker.
  auto finding = read_int(s, s.alpha, "SELECT id FROM inspections_findings WHERE partnership_id = $1");
  std::string p = "a" + std::to_string(finding) + "_";
  std::string action = base + "/findings/" + std::to_string(finding) + "/action";
  r = w.admin.submit(base, action, {{p + "title", "Fit a handrail"}, {p + "owner", ""}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(summary_links_to(r.body, p + "owner"));
  EXPECT_TRUE(contains(r.body, "value=\"Fit a handrail\""));
  r = w.admin.submit(base, action, {{p + "title", "Fit a handrail"}, {p + "owner", "Estates team"}, {p + "due_on", "2027-01-31"}});
  EXPECT_EQ(r.status, 303) << r.body;
  auto rw = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
  auto actions = modules::tracker::for_origin(rw.scope(), "finding", finding);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].status, "agreed");
  EXPECT_TRUE(contains(anon2.get(base).body, "Fit a handrail"));
}

TEST(InspectionsWeb, AWindowThatHasEndedLetsTheReportBePublishedUnanswered) {
  TestServer s;
  auto w = plan(s);
  std::string base = "/inspections/" + std::to_string(w.inspection);
  // Sending without a report is refused.
  auto r = w.admin.submit(base, base + "/send", {});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(status_of(s, w.inspection), "planned");
  ASSERT_EQ(w.admin.submit(base + "/report", base + "/report", {{"report", "All good."}, {"report_cy", ""}}).status, 303);
  ASSERT_EQ(w.admin.submit(base, base + "/send", {}).status, 303);
  {
    // The report went to the service fifteen days ago: its fourteen days are over.
    auto wk = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
    wk->bookkeeping("UPDATE inspections SET sent_at = $2 WHERE partnership_id = $1 AND id = $3",
                    {now_seconds() - 15 * 86400, w.inspection});
    wk.commit();
  }
  EXPECT_EQ(w.admin.submit(base, base + "/publish", {}).status, 303);
  EXPECT_EQ(status_of(s, w.inspection), "published");
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'inspections.publish'"), 1);
}

TEST(InspectionsWeb, RevisedQuestionSetsLeavePlannedInspectionsAlone) {
  TestServer s;
  auto w = plan(s);
  std::string edit = "/inspections/templates/" + std::to_string(w.template_id);
  auto fields = template_fields("Day services", "What one thing would you change?");
  fields.emplace_back("version", "1");
  auto r = w.admin.submit(edit, edit, fields);
  EXPECT_EQ(r.status, 303) << r.body;
  // A form opened on version 1 and saved after someone else saved version 2 is refused, not merged.
  r = w.admin.submit(edit, edit, fields);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(summary_links_to(r.body, "name"));
  fields.back().second = "2";
  r = w.admin.submit(edit, edit, fields);
  EXPECT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(read_int(s, s.alpha, "SELECT current_version FROM inspections_templates WHERE partnership_id = $1"), 3);
  auto page = w.admin.get("/inspections/" + std::to_string(w.inspection)).body;
  EXPECT_TRUE(contains(page, "What would make it better?")) << page;
  EXPECT_FALSE(contains(page, "What one thing would you change?"));
  EXPECT_TRUE(contains(page, "(version 1)"));
}

TEST(InspectionsWeb, BadInputIsRefusedKeptAndNothingWritten) {
  TestServer s;
  auto w = plan(s);
  auto before = count(s, "inspections");
  // A response window shorter than the minimum.
  auto r = w.admin.submit("/inspections/new", "/inspections",
                          {{"title", "Too quick"}, {"service", kService}, {"template", std::to_string(w.template_id)},
                           {"lead_email", "admin@example.org"}, {"response_days", "7"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(summary_links_to(r.body, "response_days"));
  EXPECT_TRUE(contains(r.body, "value=\"Too quick\""));
  EXPECT_EQ(count(s, "inspections"), before);
  // A scale question with no words for 1 and 5; no questions at all.
  r = w.admin.submit("/inspections/templates/new", "/inspections/templates",
                     {{"name", "Broken"}, {"q0_kind", "scale"}, {"q0_text", "How clean?"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(summary_links_to(r.body, "q0_low"));
  r = w.admin.submit("/inspections/templates/new", "/inspections/templates", {{"name", "Empty"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(count(s, "inspections_templates"), 1);
  // Someone who is not a registered inspector cannot join the team; a date must be real.
  std::string base = "/inspections/" + std::to_string(w.inspection);
  signed_in_as(s, auth::Role::person, "untrained@example.org");
  r = w.admin.submit(base, base + "/team", {{"member_email", "untrained@example.org"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "untrained@example.org"));
  r = w.admin.submit(base, base + "/visits", {{"visit_on", "2026-02-30"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(summary_links_to(r.body, "visit_on"));
  EXPECT_EQ(count(s, "inspections_visits"), 0);
  // Evidence links must be web addresses; script in a finding is shown as text.
  r = w.admin.submit(base, base + "/findings", {{"finding_text", "Fine"}, {"finding_link", "javascript:alert(1)"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(summary_links_to(r.body, "finding_link"));
  EXPECT_EQ(count(s, "inspections_findings"), 0);
  EXPECT_EQ(w.admin.submit(base, base + "/findings", {{"finding_text", "<script>alert(1)</script>"}}).status, 303);
  auto page = w.admin.get(base).body;
  EXPECT_FALSE(contains(page, "<script>alert(1)"));
  EXPECT_TRUE(contains(page, "&lt;script&gt;alert(1)"));
  // A score outside 1 to 5 keeps the rest of what was typed.
  r = w.admin.submit(base + "/answers", base + "/answers", {{"q0_score", "9"}, {"q1_note", "Keep me"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "Keep me"));
  EXPECT_EQ(count(s, "inspections_answers"), 0);
}
