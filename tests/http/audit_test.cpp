// The audit trail: every change made through the web leaves a row saying who, what, which record,
// from where, and which request (the id the response carried), so a log line and a row can be matched.
#include <gtest/gtest.h>

#include "http_support.hpp"

using namespace cp;
using namespace cp::test;

namespace {

struct AuditRow {
  std::optional<std::int64_t> user_id;
  std::string action, ip, request_id;
};

std::vector<AuditRow> organisation_events(TestServer& s, std::int64_t id) {
  auto r = read_rows(s, s.alpha,
                     "SELECT actor_user_id, action, ip, request_id FROM audit_events WHERE partnership_id = $1 AND"
                     " record_type = 'organisation' AND record_id = $2 ORDER BY id",
                     {id});
  std::vector<AuditRow> out;
  for (const auto& row : r.rows) out.push_back({row.opt_i64(0), row.text(1), row.text(2), row.text(3)});
  return out;
}

}  // namespace

TEST(HttpAudit, CreateUpdateAndArchiveAreEachRecorded) {
  TestServer s;
  auto admin_id = s.add_user(s.alpha, "admin@example.org", kPassword, auth::Role::admin);
  Client admin(s.port);
  ASSERT_EQ(admin.sign_in("admin@example.org", kPassword).status, 303);

  auto created = admin.submit("/organisations/new", "/organisations", org_form("Alder Trust"));
  ASSERT_EQ(created.status, 303);
  auto id = id_from_location(created.header("location"));
  const std::string path = "/organisations/" + std::to_string(id);

  auto form = admin.get(path + "/edit");
  auto fields = org_form("Alder Trust", "Now runs a lunch club too.");
  fields.emplace_back("version", version_in(form.body));
  fields.emplace_back("csrf_token", Client::csrf_in(form.body));
  // A refused change is no change, so it leaves no row.
  auto refused = fields;
  refused[0].second = "";
  ASSERT_EQ(admin.post_form(path, refused).status, 400);
  auto updated = admin.post_form(path, fields);
  ASSERT_EQ(updated.status, 303);

  auto archived = admin.submit(path, path + "/archive", {});
  ASSERT_EQ(archived.status, 303);

  auto events = organisation_events(s, id);
  ASSERT_EQ(events.size(), 3u);
  const std::vector<std::pair<std::string, const HttpResult*>> expected = {
      {"organisation.create", &created}, {"organisation.update", &updated}, {"organisation.archive", &archived}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(expected[i].first);
    EXPECT_EQ(events[i].action, expected[i].first);
    EXPECT_EQ(events[i].user_id, admin_id);
    EXPECT_EQ(events[i].ip, "127.0.0.1");
    std::string rid = expected[i].second->header("x-request-id");
    EXPECT_FALSE(rid.empty());
    EXPECT_EQ(events[i].request_id, rid);
  }
  EXPECT_NE(events[0].request_id, events[1].request_id);
  EXPECT_NE(events[1].request_id, events[2].request_id);
}

TEST(HttpAudit, ApiChangesCarryTheCallersRequestId) {
  TestServer s;
  auto admin_id = s.add_user(s.alpha, "admin@example.org", kPassword, auth::Role::admin);
  Client admin(s.port);
  ASSERT_EQ(admin.sign_in("admin@example.org", kPassword).status, 303);
  std::string csrf = session_csrf(admin);
  auto r = api(admin, "POST", "/api/v1/organisations", R"({"name":"Alder Trust","kind":"council","summary":"Runs things."})",
               csrf, {{"X-Request-Id", "trace-4711-abc"}});
  ASSERT_EQ(r.status, 201);
  EXPECT_EQ(r.header("x-request-id"), "trace-4711-abc");
  auto id = json_object(r)["id"].as_int64();
  auto patched = api(admin, "PATCH", "/api/v1/organisations/" + std::to_string(id), R"({"summary":"Runs more."})", csrf);
  ASSERT_EQ(patched.status, 200);

  auto events = organisation_events(s, id);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].action, "organisation.create");
  EXPECT_EQ(events[0].request_id, "trace-4711-abc");
  EXPECT_EQ(events[0].user_id, admin_id);
  EXPECT_EQ(events[1].action, "organisation.update");
  EXPECT_EQ(events[1].request_id, patched.header("x-request-id"));

  // An id that could forge a log line is replaced by the server's own.
  auto odd = api(admin, "PATCH", "/api/v1/organisations/" + std::to_string(id), R"({"summary":"Runs even more."})", csrf,
                 {{"X-Request-Id", "bad id\"with quotes"}});
  ASSERT_EQ(odd.status, 200);
  EXPECT_NE(odd.header("x-request-id"), "bad id\"with quotes");
  EXPECT_EQ(organisation_events(s, id).back().request_id, odd.header("x-request-id"));
}
