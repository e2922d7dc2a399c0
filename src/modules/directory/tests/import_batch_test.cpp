// The importer's batches (on PostgreSQL, records looked up 500 services at a time and new rows
// written as multi-row INSERTs): a feed larger than a batch, with places shared across the batch
// boundary, a term defined in the same feed, a record moving from one service to another and
// records already in the database, comes back exactly as a one-by-one import would leave it; and
// the import is audited once, with its counts and the file's SHA-256.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>
#include <unistd.h>

#include "core/util.hpp"
#include "modules/directory/directory.hpp"
#include "modules/directory/tabular.hpp"
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

namespace {

// Every directory table the importer writes, for before-and-after counts.
const std::vector<std::string> kImportTables = {
    "directory_services",     "directory_locations",       "directory_addresses",     "directory_service_at_locations",
    "directory_schedules",    "directory_contacts",        "directory_phones",        "directory_attributes",
    "directory_taxonomies",   "directory_taxonomy_terms",  "directory_cost_options",  "directory_accessibility"};

std::map<std::string, std::int64_t> counts(test::TestApp& s, const app::Partnership& p) {
  std::map<std::string, std::int64_t> out;
  for (const auto& t : kImportTables) out[t] = count(s, p, t);
  return out;
}

// Each service's stored stamps and text, by its ORUK id.
std::map<std::string, std::string> stamps(test::TestApp& s, const app::Partnership& p) {
  auto w = s.app->work(p.id, {}, store::Transaction::Mode::read);
  std::map<std::string, std::string> out;
  for (const auto& r : w->read("SELECT uuid, modified_at, last_modified, feed_hash, search_text FROM directory_services"
                               " WHERE partnership_id = $1")
                           .rows)
    out[r.text(0)] = r.text(1) + "|" + r.text(2) + "|" + r.text(3) + "|" + r.text(4);
  return out;
}

// A feed of `n` services over the 1,000-service batch edge, with text that needs escaping in bulk
// loading (tabs, new lines, backslashes, carriage returns) and a position that needs every digit.
json::object awkward_feed(int n) {
  auto f = feed(n);
  auto& list = f["services"].as_array();
  list[7].as_object()["description"] = "Tab\there, a new line\nthen a back\\slash, \\N and a return\r.";
  list[7].as_object()["email"] = nullptr;
  auto& loc = list[1001].as_object()["service_at_locations"].as_array()[0].as_object()["location"].as_object();
  loc["latitude"] = 56.123456789012345;
  loc["longitude"] = -3.0000000000000004;
  return f;
}

}  // namespace

TEST(ImportBatches, ImportingTheSameLargeFeedAgainChangesNothing) {
  test::TestApp s;
  auto whole = awkward_feed(1200);
  auto file = write(whole);
  db::import_file(*s.app, s.alpha.id, file, {std::nullopt, "test", "", ""});
  auto before = counts(s, s.alpha);
  EXPECT_EQ(before["directory_services"], 1200);
  EXPECT_EQ(before["directory_phones"], 1200);
  auto stamped = stamps(s, s.alpha);
  auto full = [&](int i) {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    return *db::service(w.scope(), uuid(1, i));
  };
  std::map<int, json::object> docs;
  for (int i : {0, 7, 499, 500, 999, 1000, 1001, 1199}) docs[i] = full(i);
  EXPECT_EQ(docs[7].at("description").as_string(), "Tab\there, a new line\nthen a back\\slash, \\N and a return\r.");
  EXPECT_FALSE(docs[7].contains("email"));
  // Every digit of a position survives COPY. (SQLite's driver reads numbers back as text of 15
  // significant digits, so there the last digits are not kept: a known gap, not the importer's.)
  if (s.app->db->dialect() == store::Dialect::postgres) {
    const auto& place = docs[1001].at("service_at_locations").as_array()[0].at("location").as_object();
    EXPECT_EQ(place.at("latitude").as_double(), 56.123456789012345);
    EXPECT_EQ(place.at("longitude").as_double(), -3.0000000000000004);
  }

  // The same file again, whole, and then through import_feed in two transactions: nothing changes.
  // (The parts come from the file as parsed, so every number is the one the file gave.)
  db::import_file(*s.app, s.alpha.id, file, {std::nullopt, "test", "", ""});
  EXPECT_EQ(counts(s, s.alpha), before);
  EXPECT_EQ(stamps(s, s.alpha), stamped);
  for (auto& [i, doc] : docs) EXPECT_EQ(full(i), doc) << i;
  whole = json::parse(read(file)).as_object();
  for (int from : {0, 600}) {
    json::object part{{"taxonomies", whole["taxonomies"]},
                      {"services", json::array(whole["services"].as_array().begin() + from,
                                               whole["services"].as_array().begin() + from + 600)}};
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
    db::import_feed(w.scope(), part);
    w.commit();
  }
  EXPECT_EQ(counts(s, s.alpha), before);
  EXPECT_EQ(stamps(s, s.alpha), stamped);
  for (auto& [i, doc] : docs) EXPECT_EQ(full(i), doc) << i;
  std::remove(file.c_str());
}

TEST(ImportBatches, AMistakeInThe1500thServiceLeavesNothingWritten) {
  test::TestApp s;
  // Alpha starts with 300 of the services already there (older text); beta starts empty.
  auto first = feed(300);
  for (auto& sv : first["services"].as_array()) sv.as_object()["description"] = "Older text";
  auto small = write(first);
  db::import_file(*s.app, s.alpha.id, small, {std::nullopt, "test", "", ""});
  std::remove(small.c_str());
  auto before_alpha = counts(s, s.alpha);
  auto stamped_alpha = stamps(s, s.alpha);

  auto bad = feed(2000);
  bad["services"].as_array()[1499].as_object()["schedules"].as_array()[0].as_object()["closes_at"] = "half past";
  auto file = write(bad);
  for (const auto& p : {s.alpha, s.beta}) {
    auto audits = [&] {
      auto w = s.app->work(p.id, {}, store::Transaction::Mode::read);
      return w->read("SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action LIKE 'directory.import%'")
          .one()
          .i64(0);
    };
    auto audited = audits();
    try {
      db::import_file(*s.app, p.id, file, {std::nullopt, "test", "", ""});
      ADD_FAILURE() << "a bad time was accepted";
    } catch (const db::ImportError& e) {
      EXPECT_EQ(e.path, "services[1499].schedules[0].closes_at");
      EXPECT_EQ(e.key, "directory.error_not_time");
    }
    EXPECT_EQ(audits(), audited);
  }
  EXPECT_EQ(counts(s, s.alpha), before_alpha);
  EXPECT_EQ(stamps(s, s.alpha), stamped_alpha);
  for (const auto& [t, n] : counts(s, s.beta)) EXPECT_EQ(n, 0) << t;
  std::remove(file.c_str());
}

// The admin page and `coproduce directory import` import a whole document through one importer, a
// slice at a time so progress can be shown: the slices are one import (a nested record's id met in
// two slices is the same mistake as in one), and progress counts up to the whole.
TEST(ImportBatches, AWholeDocumentIsOneImportShownInSteps) {
  test::TestApp s;
  auto whole = feed(1200);
  modules::directory_tabular::Upload up;
  up.name = "feed.json";
  up.json = json::serialize(whole);
  std::vector<std::pair<std::int64_t, std::int64_t>> steps;
  auto r = modules::directory_tabular::run_import(*s.app, s.beta.id, up, {std::nullopt, "test", "", ""},
                                                  [&](std::int64_t done, std::int64_t total) { steps.emplace_back(done, total); });
  EXPECT_EQ(r.services, 1200);
  ASSERT_GE(steps.size(), 2u);
  for (std::size_t i = 1; i < steps.size(); ++i) EXPECT_GT(steps[i].first, steps[i - 1].first);
  EXPECT_EQ(steps.back(), (std::pair<std::int64_t, std::int64_t>{1200, 1200}));
  auto file = write(whole);
  db::import_file(*s.app, s.alpha.id, file, {std::nullopt, "test", "", ""});
  std::remove(file.c_str());
  EXPECT_EQ(counts(s, s.beta), counts(s, s.alpha));
  EXPECT_EQ(counts(s, s.beta)["directory_phones"], 1200);

  // The 1,101st service's phone has the id of the 101st's, a thousand services (several slices) on.
  auto p = s.app->create_partnership("gamma", "Gamma", "", "Empty");
  auto twice = feed(1200);
  auto phone = [&](int i) -> json::object& {
    return twice["services"].as_array()[static_cast<std::size_t>(i)].as_object()["contacts"].as_array()[0].as_object()["phones"]
        .as_array()[0]
        .as_object();
  };
  phone(1100)["id"] = phone(100)["id"];
  up.json = json::serialize(twice);
  try {
    modules::directory_tabular::run_import(*s.app, p.id, up, {std::nullopt, "test", "", ""}, {});
    ADD_FAILURE() << "a phone's id was accepted twice";
  } catch (const db::ImportError& e) {
    EXPECT_EQ(e.path, "services[1100].contacts[0].phones[0].id");
    EXPECT_EQ(e.key, "directory.error_duplicate_id");
  }
  for (const auto& [t, n] : counts(s, p)) EXPECT_EQ(n, 0) << t;
}

// On PostgreSQL an import into a partnership that already has records looks each record up by
// (partnership, id); it first gathers the planner's statistics for tables that have none, since with
// none every index that begins with the partnership looks alike (see Scope::refresh_statistics). An
// import into an empty partnership looks nothing up and gathers nothing.
TEST(ImportBatches, AnImportIntoAPartnershipWithRecordsGathersStatisticsFirst) {
  test::TestApp s;
  {
    // Only partnership tables, and only by plain names, on either database.
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
    EXPECT_THROW(w.scope().refresh_statistics({"partnerships"}, 10000), store::ScopeViolation);
    EXPECT_THROW(w.scope().refresh_statistics({"directory_services; DROP TABLE audit_events"}, 10000),
                 store::ScopeViolation);
  }
  if (s.app->db->dialect() != store::Dialect::postgres) GTEST_SKIP() << "PostgreSQL's planner only";
  auto analysed = [&](const std::string& table) {
    auto lease = s.app->db->lease();
    auto r = lease->run("SELECT COUNT(*) FROM pg_stat_user_tables WHERE relid = to_regclass('" + table + "') AND last_analyze IS NOT NULL", {});
    return r.one().i64(0) == 1;
  };
  auto small = write(feed(50));
  db::import_file(*s.app, s.alpha.id, small, {std::nullopt, "test", "", ""});
  std::remove(small.c_str());
  EXPECT_FALSE(analysed("directory_services"));
  auto more = write(feed(300));
  db::import_file(*s.app, s.alpha.id, more, {std::nullopt, "test", "", ""});
  std::remove(more.c_str());
  for (const char* t : {"directory_services", "directory_locations", "directory_phones", "directory_attributes",
                        "directory_taxonomy_terms"})
    EXPECT_TRUE(analysed(t)) << t;
  EXPECT_EQ(counts(s, s.alpha)["directory_services"], 300);
}
