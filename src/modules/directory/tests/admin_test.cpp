// The admin's directory import and export pages, over real HTTP: a file upload starts a background
// import whose page shows progress and then the outcome; a bad file shows the problem and leaves the
// directory as it was; the downloads are the full backup, and each is audited.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <thread>

#include "support/harness.hpp"

using namespace cp;
namespace json = boost::json;

namespace {

const std::string kPassword = "a long enough passphrase";
const std::string kBoundary = "----testboundary7MA4YWxkTrZu0gW";

struct File {
  std::string name, data;
};

std::string multipart(const std::string& csrf, const std::vector<File>& files) {
  std::string b = "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n" + csrf + "\r\n";
  for (const auto& f : files)
    b += "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"" + f.name +
         "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + f.data + "\r\n";
  return b + "--" + kBoundary + "--\r\n";
}

struct Admin {
  test::TestServer s;
  test::Client c{s.port, "alpha.test"};
  Admin() {
    s.add_user(s.alpha, "admin@example.org", kPassword, auth::Role::admin);
    EXPECT_EQ(c.sign_in("admin@example.org", kPassword).status, 303);
  }
  test::HttpResult upload(const std::vector<File>& files) {
    std::string csrf = test::Client::csrf_in(c.get("/admin/directory").body);
    EXPECT_FALSE(csrf.empty());
    return c.request("POST", "/admin/directory/imports", multipart(csrf, files),
                     "multipart/form-data; boundary=" + kBoundary);
  }
  // Follows the import's page until it has finished (a few seconds at most).
  test::HttpResult finished(const std::string& location) {
    test::HttpResult r;
    for (int i = 0; i < 200; ++i) {
      r = c.get(location);
      if (r.body.find("<progress") == std::string::npos) return r;
      EXPECT_EQ(r.header("refresh"), "3");
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "the import never finished";
    return r;
  }
  std::int64_t count(const std::string& sql) {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    return w->read(sql).one().i64(0);
  }
};

const std::string kFeed = R"({"services": [
  {"id": "5a1b0c2d-0000-4000-8000-000000000101", "name": "Money Advice", "status": "active",
   "contacts": [{"id": "5a1b0c2d-0000-4000-8000-000000000701", "name": "Staffmember Hidden", "private": true}]},
  {"id": "5a1b0c2d-0000-4000-8000-000000000102", "name": "Walking Group", "status": "active"}]})";

}  // namespace

TEST(DirectoryAdmin, UploadImportsInTheBackgroundAndShowsTheOutcome) {
  Admin a;
  auto page = a.c.get("/admin/directory");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("enctype=\"multipart/form-data\""), std::string::npos);
  EXPECT_NE(page.body.find("<h1"), std::string::npos);

  auto r = a.upload({{"feed.json", kFeed}});
  ASSERT_EQ(r.status, 303) << r.body;
  std::string location = r.header("location");
  ASSERT_EQ(location.rfind("/admin/directory/imports/", 0), 0u) << location;
  auto done = a.finished(location);
  ASSERT_EQ(done.status, 200);
  EXPECT_NE(done.body.find("Imported 2 services"), std::string::npos) << done.body;
  EXPECT_NE(done.body.find("The import is complete"), std::string::npos);
  EXPECT_EQ(done.header("refresh"), "");
  EXPECT_EQ(a.count("SELECT COUNT(*) FROM directory_services WHERE partnership_id = $1"), 2);
  EXPECT_EQ(a.count("SELECT COUNT(*) FROM directory_imports WHERE partnership_id = $1 AND status = 'done'"), 1);
  // The admin page lists it and counts what is now in the directory.
  page = a.c.get("/admin/directory");
  EXPECT_NE(page.body.find(location), std::string::npos);
  EXPECT_NE(page.body.find("id=\"count-services\">2<"), std::string::npos);
}

TEST(DirectoryAdmin, ABadFileShowsWhereAndImportsNothing) {
  Admin a;
  ASSERT_EQ(a.finished(a.upload({{"feed.json", kFeed}}).header("location")).status, 200);
  auto before = a.count("SELECT COUNT(*) FROM directory_services WHERE partnership_id = $1");

  auto r = a.upload({{"bad.json", R"([{"id": "5a1b0c2d-0000-4000-8000-000000000103", "name": "New", "status": "active"},
                                     {"id": "5a1b0c2d-0000-4000-8000-000000000104", "name": "Bad", "status": "open"}])"}});
  ASSERT_EQ(r.status, 303);
  auto page = a.finished(r.header("location"));
  EXPECT_NE(page.body.find("govuk-error-summary"), std::string::npos);
  EXPECT_NE(page.body.find("services[1].status: not one of the allowed values"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("Nothing was imported."), std::string::npos);
  EXPECT_EQ(a.count("SELECT COUNT(*) FROM directory_services WHERE partnership_id = $1"), before);

  // CSV files chosen together in the one form: the problem is named by file, line and field.
  r = a.upload({{"services.csv", "id,name,status\r\n5a1b0c2d-0000-4000-8000-000000000105,Club,active\r\n"
                                 "5a1b0c2d-0000-4000-8000-000000000106,Other,maybe\r\n"},
                {"schedules.csv", "id,service_id,byday\n5a1b0c2d-0000-4000-8000-000000000801,"
                                  "5a1b0c2d-0000-4000-8000-000000000105,MO\n"}});
  ASSERT_EQ(r.status, 303);
  page = a.finished(r.header("location"));
  EXPECT_NE(page.body.find("services.csv line 3, field status: not one of the allowed values"), std::string::npos)
      << page.body;
  EXPECT_EQ(a.count("SELECT COUNT(*) FROM directory_services WHERE partnership_id = $1"), before);
  // In Welsh, the same place in Welsh words.
  page = a.c.get(r.header("location") + "?lang=cy");
  EXPECT_NE(page.body.find("services.csv llinell 3, maes status:"), std::string::npos);
  a.c.get("/admin/directory?lang=en");

  // And fixed, the same CSV files import.
  r = a.upload({{"services.csv", "id,name,status\r\n5a1b0c2d-0000-4000-8000-000000000105,Club,active\r\n"},
                {"schedules.csv", "id,service_id,byday\n5a1b0c2d-0000-4000-8000-000000000801,"
                                  "5a1b0c2d-0000-4000-8000-000000000105,MO\n"}});
  page = a.finished(r.header("location"));
  EXPECT_NE(page.body.find("Imported 1 services"), std::string::npos) << page.body;
  EXPECT_EQ(a.count("SELECT COUNT(*) FROM directory_schedules WHERE partnership_id = $1"), 1);
}

TEST(DirectoryAdmin, FormProblemsUseTheErrorSummary) {
  Admin a;
  auto r = a.upload({});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("govuk-error-summary"), std::string::npos);
  EXPECT_NE(r.body.find("href=\"#files\""), std::string::npos);
  EXPECT_NE(r.body.find("Choose a file to import"), std::string::npos);
  r = a.upload({{"notes.txt", "hello"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("notes.txt is not a .json or .csv file"), std::string::npos);
  r = a.upload({{"a.json", "[]"}, {"services.csv", "id,name,status\n"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(a.count("SELECT COUNT(*) FROM directory_imports WHERE partnership_id = $1"), 0);
  // Without the form's token, nothing starts.
  r = a.c.request("POST", "/admin/directory/imports", multipart("wrong", {{"feed.json", kFeed}}),
                  "multipart/form-data; boundary=" + kBoundary);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(a.count("SELECT COUNT(*) FROM directory_imports WHERE partnership_id = $1"), 0);
}

TEST(DirectoryAdmin, AnImportLeftRunningByAStoppedServerSaysNothingWasImported) {
  Admin a;
  std::int64_t id;
  {
    auto w = a.s.app->work(a.s.alpha.id, {std::nullopt, "test", "", ""});
    id = w->insert({"test.setup", "directory_import", std::nullopt, ""},
                   "INSERT INTO directory_imports (partnership_id, status, source, kind, total, imported, started_at)"
                   " VALUES ($1, 'running', 'old.json', 'json', 10, 0, 1700000000) RETURNING id",
                   {});
    w.commit();
  }
  // A stopped import does not hold up the next one.
  auto next = a.upload({{"feed.json", kFeed}});
  EXPECT_EQ(next.status, 303) << next.body;
  a.finished(next.header("location"));
  auto page = a.c.get("/admin/directory/imports/" + std::to_string(id));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("the import stopped before it finished"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("Nothing was imported."), std::string::npos);
  EXPECT_EQ(a.c.get("/admin/directory/imports/999999").status, 404);
}

TEST(DirectoryAdmin, DownloadsAreTheFullBackupAndAudited) {
  Admin a;
  ASSERT_EQ(a.finished(a.upload({{"feed.json", kFeed}}).header("location")).status, 200);
  auto r = a.c.get("/admin/directory/export.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type").rfind("application/json", 0), 0u);
  EXPECT_NE(r.header("content-disposition").find("attachment; filename=\"directory-alpha-"), std::string::npos);
  EXPECT_EQ(r.header("cache-control"), "no-store");
  auto feed = json::parse(r.body).as_object();
  EXPECT_EQ(feed.at("services").as_array().size(), 2u);
  EXPECT_NE(r.body.find("Staffmember Hidden"), std::string::npos);  // the backup keeps private records
  EXPECT_EQ(a.c.get("/openreferral/services/5a1b0c2d-0000-4000-8000-000000000101").body.find("Staffmember"),
            std::string::npos);  // the public API never shows them

  auto z = a.c.get("/admin/directory/export.zip");
  ASSERT_EQ(z.status, 200);
  EXPECT_EQ(z.header("content-type"), "application/zip");
  EXPECT_EQ(z.body.substr(0, 4), std::string("PK\x03\x04", 4));
  EXPECT_NE(z.body.find("services.csv"), std::string::npos);
  EXPECT_NE(z.body.find("datapackage.json"), std::string::npos);
  EXPECT_NE(z.body.find("Money Advice"), std::string::npos);  // stored, not compressed
  EXPECT_EQ(a.count("SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'directory.export'"), 2);
}
