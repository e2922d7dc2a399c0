// The importer's batches (on PostgreSQL, records looked up 500 services at a time and new rows
// written as multi-row INSERTs): a feed larger than a batch, with places shared across the batch
// boundary, a term defined in the same feed, a record moving from one service to another and
// records already in the database, comes back exactly as a one-by-one import would leave it; and
// the import is audited once, with its counts and the file's SHA-256.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "core/util.hpp"
#include "modules/directory/directory.hpp"
#include "support/harness.hpp"

using namespace cp;
namespace json = boost::json;
namespace db = modules::directory_store;

namespace {

std::string uuid(int kind, int n) {
  char b[40];
  std::snprintf(b, sizeof b, "%08d-0000-4000-8000-%012d", kind, n);
  return b;
}

const std::string kTerm = uuid(2, 1);

json::object service(int i, int place) {
  json::object loc{{"id", uuid(4, place)}, {"location_type", "physical"}, {"name", "Hall " + std::to_string(place)},
                   {"latitude", 56.1 + place * 0.001}, {"longitude", -3.1 - place * 0.001},
                   {"addresses", json::array{json::object{{"id", uuid(5, place)}, {"address_1", "1 High Street"},
                                                          {"city", "Kirkcaldy"}, {"state_province", "Fife"},
                                                          {"postal_code", "KY1 1AA"}, {"country", "GB"},
                                                          {"address_type", "physical"}}}}};
  return json::object{
      {"id", uuid(1, i)},
      {"name", "Service " + std::to_string(i)},
      {"status", "active"},
      {"description", "Help number " + std::to_string(i)},
      {"last_modified", "2026-10-05T10:00:00Z"},
      {"service_at_locations", json::array{json::object{{"id", uuid(6, i)}, {"location", loc}}}},
      {"schedules", json::array{json::object{{"id", uuid(7, i)}, {"freq", "WEEKLY"}, {"byday", "MO"}}}},
      {"contacts", json::array{json::object{{"id", uuid(8, i)}, {"name", "Desk"},
                                            {"phones", json::array{json::object{{"id", uuid(9, i)}, {"number", "01592 000000"}}}}}}},
      {"attributes", json::array{json::object{{"id", uuid(10, i)}, {"taxonomy_term_id", kTerm}}}}};
}

json::object feed(int count, int first = 0) {
  json::array services;
  // Every tenth place is shared with the service 499 further on, across the 500-service batch edge.
  for (int i = first; i < first + count; ++i) services.push_back(service(i, i % 10 == 0 && i >= 499 ? i - 499 : i));
  json::array terms{json::object{{"id", kTerm}, {"name", "Food"}, {"description", "Food"}}};
  return json::object{{"taxonomies", json::array{json::object{{"id", uuid(3, 1)}, {"name", "Needs"},
                                                              {"description", "Needs"}, {"taxonomy_terms", terms}}}},
                      {"services", std::move(services)}};
}

std::string write(const json::value& v) {
  char tmpl[] = "/tmp/coproduce-batch-XXXXXX";
  int fd = mkstemp(tmpl);
  ::close(fd);
  std::ofstream(tmpl) << json::serialize(v);
  return tmpl;
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

std::int64_t count(test::TestApp& s, const app::Partnership& p, const std::string& table) {
  auto w = s.app->work(p.id, {}, store::Transaction::Mode::read);
  return w->read("SELECT COUNT(*) FROM " + table + " WHERE partnership_id = $1").one().i64(0);
}

}  // namespace

TEST(ImportBatches, ALargeFeedComesBackWholeAndIsAuditedOnce) {
  test::TestApp s;
  // Alpha: 40 services first, then the whole 620 over them (the first 40 are already there).
  auto small = write(feed(40));
  db::import_file(*s.app, s.alpha.id, small, {std::nullopt, "test", "", ""});
  std::remove(small.c_str());
  auto whole = feed(620);
  // Service 3's contact moves to service 600, which the second import adds.
  auto& list = whole["services"].as_array();
  list[600].as_object()["contacts"] = list[3].as_object()["contacts"];
  list[3].as_object()["contacts"] = json::array();
  auto file = write(whole);
  auto r = db::import_file(*s.app, s.alpha.id, file, {std::nullopt, "test", "", ""});
  EXPECT_EQ(r.services, 620);
  // Beta: the same 620 in one go, as a fresh import.
  db::import_file(*s.app, s.beta.id, file, {std::nullopt, "test", "", ""});

  for (const auto& p : {s.alpha, s.beta}) {
    EXPECT_EQ(count(s, p, "directory_services"), 620);
    EXPECT_EQ(count(s, p, "directory_locations"), 620 - 12);  // 12 places shared (i = 500, 510, ... 610)
    EXPECT_EQ(count(s, p, "directory_addresses"), 620 - 12);
    EXPECT_EQ(count(s, p, "directory_service_at_locations"), 620);
    EXPECT_EQ(count(s, p, "directory_contacts"), 619);
    EXPECT_EQ(count(s, p, "directory_phones"), 619);
    EXPECT_EQ(count(s, p, "directory_attributes"), 620);
    EXPECT_EQ(count(s, p, "directory_taxonomy_terms"), 1);
  }
  // Both ways give the same records, field for field: a sample either side of each edge (the 40
  // already there, the 500-service batch), the moved contact and a shared place.
  auto full = [&](const app::Partnership& p, int i) {
    auto w = s.app->work(p.id, {}, store::Transaction::Mode::read);
    return *db::service(w.scope(), uuid(1, i));
  };
  for (int i : {0, 3, 39, 40, 499, 500, 510, 600, 619}) {
    auto a = full(s.alpha, i);
    EXPECT_EQ(a, full(s.beta, i)) << i;
    auto want = list[static_cast<std::size_t>(i)].as_object();
    EXPECT_EQ(a.at("name"), want.at("name")) << i;
    EXPECT_EQ(a.at("contacts").as_array().size(), want.at("contacts").as_array().size()) << i;
    EXPECT_EQ(a.at("schedules").as_array().size(), 1u) << i;
    EXPECT_EQ(a.at("attributes").as_array()[0].at("taxonomy_term_id").as_string(), kTerm) << i;
    EXPECT_EQ(a.at("service_at_locations").as_array()[0].at("location_id"),
              want.at("service_at_locations").as_array()[0].at("location").at("id"))
        << i;
  }
  EXPECT_EQ(full(s.alpha, 600).at("contacts").as_array()[0].at("id").as_string(), uuid(8, 3));
  EXPECT_EQ(full(s.alpha, 600).at("contacts").as_array()[0].at("phones").as_array().size(), 1u);

  // Audited as whole imports: per slice its counts, per file its SHA-256; no row per phone.
  auto w = s.app->work(s.beta.id, {}, store::Transaction::Mode::read);
  auto audit = w->read("SELECT action, detail FROM audit_events WHERE partnership_id = $1 AND action LIKE 'directory.%'"
                       " ORDER BY id");
  std::int64_t services = 0;
  std::vector<std::string> files;
  for (const auto& row : audit.rows) {
    EXPECT_TRUE(row.text(0) == "directory.import" || row.text(0) == "directory.import_file") << row.text(0);
    if (row.text(0) == "directory.import_file") files.push_back(row.text(1));
    auto at = row.text(1).find("services=");
    if (row.text(0) == "directory.import" && at != std::string::npos) services += std::stoll(row.text(1).substr(at + 9));
  }
  EXPECT_EQ(services, 620);
  EXPECT_EQ(files, std::vector<std::string>{"sha256=" + sha256_hex(read(file))});
  std::remove(file.c_str());
}
