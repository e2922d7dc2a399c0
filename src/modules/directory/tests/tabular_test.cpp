// Whole-directory import and export: the HSDS tabular (CSV) form in, the partnership's backup out
// as JSON and CSV, and back in again with nothing lost; bad files named by file, line and field
// with nothing written.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/process.hpp"
#include "modules/directory/tabular.hpp"
#include "support/harness.hpp"

using namespace cp;
namespace json = boost::json;
namespace tab = modules::directory_tabular;
namespace fs = std::filesystem;

namespace {

fs::path data_dir() { return fs::path(__FILE__).parent_path() / "data"; }
fs::path oruk_feed() { return fs::path(__FILE__).parent_path() / ".." / ".." / ".." / ".." / "tests" / "oruk" / "feed.json"; }

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

const store::AuditContext kWho{std::nullopt, "test", "", ""};

// A copy with every list sorted (by id when its items have one), so order does not matter.
json::value normal(const json::value& v) {
  if (v.is_object()) {
    json::object o;
    for (const auto& [k, x] : v.as_object()) o[k] = normal(x);
    return o;
  }
  if (v.is_array()) {
    std::vector<json::value> items;
    for (const auto& x : v.as_array()) items.push_back(normal(x));
    auto key = [](const json::value& x) {
      if (x.is_object())
        if (const auto* id = x.as_object().if_contains("id"); id && id->is_string()) return std::string(id->as_string());
      return json::serialize(x);
    };
    std::sort(items.begin(), items.end(), [&](const auto& a, const auto& b) { return key(a) < key(b); });
    json::array a;
    for (auto& x : items) a.push_back(std::move(x));
    return a;
  }
  if (v.is_double() && std::floor(v.as_double()) == v.as_double()) return static_cast<std::int64_t>(v.as_double());
  return v;
}

// Every field of `want` is in `got` with the same value, whatever the order of lists (matched by id).
void expect_within(const json::value& want, const json::value& got, const std::string& path,
                   const std::set<std::string>& not_kept = {}) {
  json::value w = normal(want), g = normal(got);
  if (w.is_object()) {
    ASSERT_TRUE(g.is_object()) << path;
    // "parent.field" in not_kept names a field of one kind of record only.
    std::string parent = path.substr(path.rfind('.') == std::string::npos ? 0 : path.rfind('.') + 1);
    parent = parent.substr(0, parent.find('['));
    for (const auto& [k, v] : w.as_object()) {
      if (not_kept.count(std::string(k)) || not_kept.count(parent + "." + std::string(k))) continue;
      const auto* x = g.as_object().if_contains(k);
      ASSERT_TRUE(x) << path << "." << std::string(k) << " was lost";
      expect_within(v, *x, path + "." + std::string(k), not_kept);
    }
  } else if (w.is_array()) {
    ASSERT_TRUE(g.is_array()) << path;
    ASSERT_EQ(w.as_array().size(), g.as_array().size()) << path;
    for (std::size_t i = 0; i < w.as_array().size(); ++i)
      expect_within(w.as_array()[i], g.as_array()[i], path + "[" + std::to_string(i) + "]", not_kept);
  } else if (w.is_number() && g.is_number()) {
    EXPECT_DOUBLE_EQ(w.to_number<double>(), g.to_number<double>()) << path;
  } else {
    EXPECT_EQ(w, g) << path;
  }
}

json::object export_json(test::TestApp& s, const app::Partnership& p) {
  auto w = s.app->work(p.id, kWho);
  return tab::export_feed(w.scope());
}

std::map<std::string, std::string> export_csv(test::TestApp& s, const app::Partnership& p) {
  auto w = s.app->work(p.id, kWho);
  return tab::write_csv(tab::read_tables(w.scope()));
}

tab::Upload csv_upload(std::map<std::string, std::string> files) {
  tab::Upload u;
  u.name = "upload";
  u.csv = std::move(files);
  return u;
}

tab::Upload json_upload(const std::string& text) {
  tab::Upload u;
  u.name = "feed.json";
  u.json = text;
  return u;
}

// Every directory row of a partnership, as text, to show a failed import changed nothing.
std::string snapshot(test::TestApp& s, const app::Partnership& p) {
  std::string out;
  auto w = s.app->work(p.id, kWho, store::Transaction::Mode::read);
  for (const char* t : {"directory_services", "directory_locations", "directory_addresses", "directory_schedules",
                        "directory_contacts", "directory_phones", "directory_attributes", "directory_taxonomies",
                        "directory_taxonomy_terms", "directory_service_at_locations", "directory_organisations",
                        "directory_cost_options", "directory_languages", "directory_funding", "directory_service_areas"})
    for (const auto& r : w->read(std::string("SELECT * FROM ") + t + " WHERE partnership_id = $1 ORDER BY id").rows) {
      out += t;
      for (std::size_t i = 0; i < r.size(); ++i) out += "|" + r.text(i);
      out += "\n";
    }
  return out;
}

const app::Partnership& gamma(test::TestApp& s) {
  static thread_local app::Partnership p;
  p = s.app->create_partnership("gamma", "Gamma", "gamma.test", "A third partnership");
  return p;
}

// Imports, exports as JSON, and checks that JSON -> import -> export and CSV -> import -> export both
// give back exactly the same nested directory.
void round_trip(test::TestApp& s, const json::object& first) {
  auto csv = export_csv(s, s.alpha);
  EXPECT_TRUE(csv.count("datapackage.json"));
  EXPECT_TRUE(csv.count("services.csv"));
  auto r = tab::run_import(*s.app, s.beta.id, csv_upload(csv), kWho, {});
  EXPECT_EQ(r.services, static_cast<std::int64_t>(first.at("services").as_array().size()));
  EXPECT_EQ(normal(export_json(s, s.beta)), normal(first)) << "CSV round trip";
  const auto& g = gamma(s);
  tab::run_import(*s.app, g.id, json_upload(json::serialize(first)), kWho, {});
  EXPECT_EQ(normal(export_json(s, g)), normal(first)) << "JSON round trip";
}

}  // namespace

TEST(DirectoryCsv, ParsesQuotedCellsBomAndLineEndings) {
  std::string text = "\xEF\xBB\xBFid,name,note\r\n1,\"Smith, Jo\",\"said \"\"hi\"\"\"\r\n\r\n2,\"two\r\nlines\",plain\n3,,\n";
  auto rows = tab::parse_csv(text, "t.csv");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].cells, (std::vector<std::string>{"id", "name", "note"}));
  EXPECT_EQ(rows[1].cells, (std::vector<std::string>{"1", "Smith, Jo", "said \"hi\""}));
  EXPECT_EQ(rows[1].line, 2u);
  EXPECT_EQ(rows[2].cells, (std::vector<std::string>{"2", "two\nlines", "plain"}));
  EXPECT_EQ(rows[2].line, 4u);  // the blank line 3 is skipped
  EXPECT_EQ(rows[3].cells, (std::vector<std::string>{"3", "", ""}));
  EXPECT_EQ(rows[3].line, 6u);  // the quoted line break counted
  // What the writer makes, the reader reads back.
  std::string awkward = "a \"quoted\", word\r\nand more ";
  auto back = tab::parse_csv("x\n" + tab::csv_cell(awkward) + "\n", "t.csv");
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[1].cells[0], "a \"quoted\", word\nand more ");
}

TEST(DirectoryCsv, MalformedCsvSaysWhere) {
  auto fails = [](const std::string& text) -> std::pair<std::size_t, std::string> {
    try {
      tab::parse_csv(text, "services.csv");
    } catch (const tab::TabularError& e) {
      EXPECT_EQ(e.file, "services.csv");
      return {e.line, e.key};
    }
    return {0, "no error"};
  };
  EXPECT_EQ(fails("id,name\n1,ok\n2,\"never closed\n3,x\n"),
            (std::pair<std::size_t, std::string>{3, "directory.error_csv_unclosed_quote"}));
  EXPECT_EQ(fails("id,name\n1,ab\"c\n"), (std::pair<std::size_t, std::string>{2, "directory.error_csv_stray_quote"}));
  EXPECT_EQ(fails("id,name\r\n1,\"ab\"c\r\n"), (std::pair<std::size_t, std::string>{2, "directory.error_csv_after_quote"}));
}

TEST(DirectoryCsv, HsdsTabularExampleRoundTripsWithNothingLost) {
  test::TestServer s;
  auto up = tab::read_upload((data_dir() / "hsds-csv").string());
  EXPECT_TRUE(up.tabular());
  auto r = tab::run_import(*s.app, s.alpha.id, up, kWho, {});
  EXPECT_EQ(r.services, 1);
  EXPECT_EQ(r.organisations, 1);
  EXPECT_EQ(r.locations, 1);
  EXPECT_EQ(r.taxonomies, 1);
  EXPECT_EQ(r.taxonomy_terms, 1);
  auto first = export_json(s, s.alpha);
  // Every cell the directory keeps came through, read from the example files themselves.
  auto tables = tab::parse_tables(up.csv);
  const auto& svc = first.at("services").as_array().at(0).as_object();
  expect_within(tables.at("service")[0].v, svc, "services.csv");
  expect_within(tables.at("schedule")[0].v, svc.at("schedules").as_array()[0], "schedules.csv");
  expect_within(tables.at("phone")[0].v, svc.at("contacts").as_array()[0].as_object().at("phones").as_array()[0],
                "phones.csv");
  expect_within(tables.at("address")[0].v,
                svc.at("service_at_locations").as_array()[0].as_object().at("location").as_object().at("addresses").as_array()[0],
                "addresses.csv");
  expect_within(tables.at("organization_identifier")[0].v,
                svc.at("organization").as_object().at("organization_identifiers").as_array()[0],
                "organization_identifiers.csv");
  EXPECT_EQ(svc.at("schedules").as_array()[0].as_object().at("byday"), "TH,FR");
  EXPECT_EQ(svc.at("contacts").as_array()[0].as_object().at("phones").as_array()[0].as_object().at("number"),
            "\"+44 1234 234567\"");
  EXPECT_EQ(svc.at("attributes").as_array()[0].as_object().at("taxonomy_term").as_object().at("taxonomy_id"),
            "5c4d79d7-cc55-470e-9f1f-8cad074e4892");
  round_trip(s, first);
  // Importing the same files again changes nothing (a service's nested records are replaced by
  // equal ones, so only compare what they hold).
  tab::run_import(*s.app, s.alpha.id, up, kWho, {});
  EXPECT_EQ(normal(export_json(s, s.alpha)), normal(first));
}

TEST(DirectoryCsv, HsdsJsonExampleRoundTripsWithNothingLost) {
  test::TestServer s;
  std::string text = slurp(data_dir() / "hsds-service_full.json");
  tab::run_import(*s.app, s.alpha.id, json_upload(text), kWho, {});
  auto first = export_json(s, s.alpha);
  ASSERT_EQ(first.at("services").as_array().size(), 1u);
  // Fields HSDS has that the directory does not keep (ORUK leaves them out too).
  expect_within(json::parse(text), first.at("services").as_array()[0], "service",
                {"alternate_name", "application_process", "eligibility_description", "fees_description",
                 "interpretation_services", "licenses", "wait_time", "metadata", "program", "required_documents",
                 "phones", "transportation", "currency", "department", "extension", "type", "language", "code",
                 "value", "timezone", "until", "count", "wkst", "byweekno", "byyearday", "year_incorporated",
                 "tax_status", "tax_id", "legal_status", "address_2", "unit", "service_areas.description",
                 "service_at_locations.description", "organization.funding", "contacts.email",
                 "attributes.link_entity", "taxonomy_term.taxonomy_detail", "service_at_locations.contacts",
                 "organization.contacts", "service_at_locations.schedules", "organization.locations",
                 "location.url", "organization.programs", "location.languages", "location.contacts",
                 "location.schedules"});
  round_trip(s, first);
}

TEST(DirectoryCsv, OrukFeedRoundTripsWithPrivateRecordsInTheBackupOnly) {
  test::TestServer s;
  std::string text = slurp(oruk_feed());
  ASSERT_FALSE(text.empty()) << oruk_feed();
  tab::run_import(*s.app, s.alpha.id, json_upload(text), kWho, {});
  // A staff contact and a refuge: in the partnership's own backup, never in the public API.
  tab::run_import(*s.app, s.alpha.id, json_upload(R"([{"id": "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb", "name": "Safe Place",
    "status": "active", "contacts": [{"id": "66666666-6666-4666-8666-666666666666", "name": "Staffmember Hidden",
    "private": true, "phones": [{"id": "66666666-6666-4666-8666-666666666667", "number": "07700 900999"}]}],
    "service_at_locations": [{"id": "cccccccc-cccc-4ccc-8ccc-cccccccccccc", "location": {"id": "dddddddd-dddd-4ddd-8ddd-dddddddddddd",
      "location_type": "physical", "name": "Refuge House", "private": true}}]}])"),
                 kWho, {});
  auto first = export_json(s, s.alpha);
  auto feed = json::parse(text).as_object();
  for (const auto& want : feed.at("services").as_array()) {
    std::string id(want.as_object().at("id").as_string());
    bool found = false;
    for (const auto& got : first.at("services").as_array())
      if (got.as_object().at("id") == want.as_object().at("id")) {
        found = true;
        expect_within(want, got, id);
      }
    EXPECT_TRUE(found) << id;
  }
  expect_within(feed.at("taxonomies"), first.at("taxonomies"), "taxonomies");
  std::string backup = json::serialize(first);
  EXPECT_NE(backup.find("Staffmember Hidden"), std::string::npos);
  EXPECT_NE(backup.find("Refuge House"), std::string::npos);
  auto csv = export_csv(s, s.alpha);
  EXPECT_NE(csv["contacts.csv"].find("Staffmember Hidden"), std::string::npos);
  round_trip(s, first);
  // Still private after the round trip: the copy's public API hides them.
  test::Client c(s.port, "beta.test");
  auto pub = c.get("/openreferral/services/bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb");
  ASSERT_EQ(pub.status, 200);
  EXPECT_NE(pub.body.find("Safe Place"), std::string::npos);
  EXPECT_EQ(pub.body.find("Staffmember"), std::string::npos);
  EXPECT_EQ(pub.body.find("Refuge House"), std::string::npos);
}

TEST(DirectoryCsv, RecordsNoServiceReachesAreKeptToo) {
  test::TestServer s;
  std::map<std::string, std::string> files{
      {"organizations.csv", "id,name,description\n11111111-1111-4111-8111-111111111111,Lone Org,Has no services yet\n"},
      {"locations.csv", "id,location_type,name,private\n22222222-2222-4222-8222-222222222222,physical,Empty Hall,false\n"},
      {"taxonomy_terms.csv", "id,name,description\n33333333-3333-4333-8333-333333333333,Spare,Not used yet\n"}};
  auto r = tab::run_import(*s.app, s.alpha.id, csv_upload(files), kWho, {});
  EXPECT_EQ(r.organisations, 1);
  EXPECT_EQ(r.locations, 1);
  EXPECT_EQ(r.taxonomy_terms, 1);
  auto first = export_json(s, s.alpha);
  ASSERT_TRUE(first.contains("organizations"));
  ASSERT_TRUE(first.contains("locations"));
  ASSERT_TRUE(first.contains("taxonomy_terms"));
  round_trip(s, first);
}

namespace {

// A small valid directory, as CSV files.
std::map<std::string, std::string> good_files() {
  return {
      {"services.csv",
       "id,name,status,minimum_age\r\n"
       "aaaaaaaa-0000-4000-8000-000000000001,\"Money advice, free\",active,16\r\n"
       "aaaaaaaa-0000-4000-8000-000000000002,Walking group,active,\r\n"},
      {"schedules.csv", "id,service_id,valid_from,byday\n"
                        "aaaaaaaa-0000-4000-8000-000000000011,aaaaaaaa-0000-4000-8000-000000000001,2025-01-01,MO\n"},
      {"taxonomies.csv", "id,name,description\naaaaaaaa-0000-4000-8000-000000000021,Needs,What people need\n"},
      {"taxonomy_terms.csv", "id,name,description,taxonomy_id\n"
                             "aaaaaaaa-0000-4000-8000-000000000031,Money,Money help,aaaaaaaa-0000-4000-8000-000000000021\n"},
      {"attributes.csv", "id,link_id,link_entity,taxonomy_term_id\n"
                         "aaaaaaaa-0000-4000-8000-000000000041,aaaaaaaa-0000-4000-8000-000000000001,service,"
                         "aaaaaaaa-0000-4000-8000-000000000031\n"},
      {"addresses.csv", "id,location_id,address_1,city,state_province,postal_code,country,address_type\n"},
  };
}

struct Failure {
  std::string file, field, key;
  std::size_t line = 0;
  std::string message;
};

Failure import_bad(test::TestApp& s, std::map<std::string, std::string> changes) {
  auto files = good_files();
  for (auto& [k, v] : changes) files[k] = v;
  try {
    tab::run_import(*s.app, s.alpha.id, csv_upload(files), kWho, {});
  } catch (const tab::TabularError& e) {
    return {e.file, e.field, e.key, e.line, tab::describe(*s.app, e, "en")};
  } catch (const modules::directory_store::ImportError& e) {
    ADD_FAILURE() << "no file and line: " << e.path << " " << e.key;
  }
  return {"", "", "imported", 0, ""};
}

}  // namespace

TEST(DirectoryCsv, BadFilesSayFileLineAndFieldAndWriteNothing) {
  test::TestServer s;
  tab::run_import(*s.app, s.alpha.id, csv_upload(good_files()), kWho, {});
  const std::string before = snapshot(s, s.alpha);
  ASSERT_FALSE(before.empty());
  const std::string a1 = "aaaaaaaa-0000-4000-8000-000000000001";

  auto f = import_bad(s, {{"services.csv", "id,name,status\n" + a1 + ",ok,active\n" + a1 + ",\"broken,active\n"}});
  EXPECT_EQ(f.file, "services.csv");
  EXPECT_EQ(f.line, 3u);
  EXPECT_EQ(f.key, "directory.error_csv_unclosed_quote");

  f = import_bad(s, {{"attributes.csv", "id,link_id,link_entity,taxonomy_term_id\n"
                                        "aaaaaaaa-0000-4000-8000-000000000041," + a1 +
                                            ",service,aaaaaaaa-0000-4000-8000-0000000000ff\n"}});
  EXPECT_EQ(f.file, "attributes.csv");
  EXPECT_EQ(f.line, 2u);
  EXPECT_EQ(f.field, "taxonomy_term_id");
  EXPECT_EQ(f.key, "directory.error_unknown_term");
  EXPECT_EQ(f.message, "attributes.csv line 2, field taxonomy_term_id: there is no taxonomy term with this id");

  f = import_bad(s, {{"services.csv", "id,name,status\n" + a1 + ",One,active\naaaaaaaa-0000-4000-8000-000000000002,Two,active\n" +
                                          a1 + ",Again,active\n"}});
  EXPECT_EQ(f.file, "services.csv");
  EXPECT_EQ(f.line, 4u);
  EXPECT_EQ(f.field, "id");
  EXPECT_EQ(f.key, "directory.error_duplicate_id");

  f = import_bad(s, {{"schedules.csv", "id,service_id,valid_from\naaaaaaaa-0000-4000-8000-000000000011," + a1 + ",2025-13-01\n"}});
  EXPECT_EQ(f.file, "schedules.csv");
  EXPECT_EQ(f.line, 2u);
  EXPECT_EQ(f.field, "valid_from");
  EXPECT_EQ(f.key, "directory.error_not_date");

  f = import_bad(s, {{"services.csv", "id,name,status\n" + a1 + ",One,active\naaaaaaaa-0000-4000-8000-000000000002,Two,\n"}});
  EXPECT_EQ(f.file, "services.csv");
  EXPECT_EQ(f.line, 3u);
  EXPECT_EQ(f.field, "status");
  EXPECT_EQ(f.key, "directory.error_missing");
  EXPECT_EQ(f.message, "services.csv line 3, field status: this is missing, and it is needed");

  f = import_bad(s, {{"services.csv", "id,name,status\n" + a1 + ",One,open\n"}});
  EXPECT_EQ(f.message,
            "services.csv line 2, field status: not one of the allowed values: active, inactive, defunct, temporarily closed");

  f = import_bad(s, {{"services.csv", "id,name,status,minimum_age\n" + a1 + ",One,active,twelve\n"}});
  EXPECT_EQ(f.line, 2u);
  EXPECT_EQ(f.field, "minimum_age");
  EXPECT_EQ(f.key, "directory.error_not_whole_number");

  f = import_bad(s, {{"addresses.csv", "id,location_id,address_1,city\n"}});
  EXPECT_EQ(f.file, "addresses.csv");
  EXPECT_EQ(f.line, 1u);
  EXPECT_EQ(f.key, "directory.error_csv_missing_column");

  f = import_bad(s, {{"schedules.csv", "id,service_id\naaaaaaaa-0000-4000-8000-000000000011,aaaaaaaa-0000-4000-8000-0000000000ee\n"}});
  EXPECT_EQ(f.line, 2u);
  EXPECT_EQ(f.field, "service_id");
  EXPECT_EQ(f.key, "directory.error_unknown_service");

  f = import_bad(s, {{"services.csv", "id,name,status\n" + a1 + ",One\n"}});
  EXPECT_EQ(f.line, 2u);
  EXPECT_EQ(f.key, "directory.error_csv_cell_count");

  // The Welsh says the same place in Welsh words.
  try {
    auto files = good_files();
    files["services.csv"] = "id,name,status\n" + a1 + ",One,\n";
    tab::run_import(*s.app, s.alpha.id, csv_upload(files), kWho, {});
    ADD_FAILURE() << "imported";
  } catch (const tab::TabularError& e) {
    EXPECT_EQ(tab::describe(*s.app, e, "cy").rfind("services.csv llinell 2, maes status: ", 0), 0u)
        << tab::describe(*s.app, e, "cy");
  }
  EXPECT_EQ(snapshot(s, s.alpha), before);
}

TEST(DirectoryCsv, DuplicateServiceInAJsonFeedIsRefusedAcrossSlices) {
  test::TestServer s;
  std::string feed = "[";
  for (int i = 0; i < 101; ++i) {
    char id[40];
    std::snprintf(id, sizeof id, "aaaaaaaa-0000-4000-8000-%012d", i % 100);
    feed += std::string(i ? "," : "") + R"({"id": ")" + id + R"(", "name": "S", "status": "active"})";
  }
  feed += "]";
  std::vector<std::int64_t> seen;
  try {
    tab::run_import(*s.app, s.alpha.id, json_upload(feed), kWho, [&](std::int64_t d, std::int64_t) { seen.push_back(d); });
    ADD_FAILURE() << "imported";
  } catch (const modules::directory_store::ImportError& e) {
    EXPECT_EQ(e.path, "services[100].id");
    EXPECT_EQ(e.key, "directory.error_duplicate_id");
  }
  EXPECT_TRUE(seen.empty());
  EXPECT_EQ(snapshot(s, s.alpha), "");
  // Without the repeat it imports, reporting progress slice by slice.
  feed = "[";
  for (int i = 0; i < 101; ++i) {
    char id[40];
    std::snprintf(id, sizeof id, "aaaaaaaa-0000-4000-8000-%012d", i);
    feed += std::string(i ? "," : "") + R"({"id": ")" + id + R"(", "name": "S", "status": "active"})";
  }
  feed += "]";
  auto r = tab::run_import(*s.app, s.alpha.id, json_upload(feed), kWho, [&](std::int64_t d, std::int64_t t) {
    seen.push_back(d);
    EXPECT_EQ(t, 101);
  });
  EXPECT_EQ(r.services, 101);
  EXPECT_EQ(seen, (std::vector<std::int64_t>{100, 101}));
}

TEST(DirectoryCsv, CommandLineImportsAFolderAndExportsJsonCsvAndZip) {
  test::TestServer s;
  auto dir = fs::temp_directory_path() / ("coproduce-dirio-" + std::to_string(::getpid()) + "-" + test::backend());
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto r = test::run_cli({"directory", "import", "--db", s.db.url(), "--partnership", "alpha", (data_dir() / "hsds-csv").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Imported 1 services"), std::string::npos) << r.out;

  r = test::run_cli({"directory", "export", "--db", s.db.url(), "--partnership", "alpha", "--format", "csv", (dir / "csv").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "csv" / "datapackage.json"));
  EXPECT_NE(slurp(dir / "csv" / "services.csv").find("Community Counselling"), std::string::npos);
  r = test::run_cli({"directory", "export", "--db", s.db.url(), "--partnership", "alpha", "--format", "json", (dir / "all.json").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = test::run_cli({"directory", "export", "--db", s.db.url(), "--partnership", "alpha", "--format", "zip", (dir / "all.zip").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(slurp(dir / "all.zip").substr(0, 4), std::string("PK\x03\x04", 4));

  // The exported folder imports into the other partnership and exports the same again.
  r = test::run_cli({"directory", "import", "--db", s.db.url(), "--partnership", "beta", (dir / "csv").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(normal(export_json(s, s.beta)), normal(json::parse(slurp(dir / "all.json"))));

  // A bad folder: exit 1, the file, line and field, and nothing written.
  fs::create_directories(dir / "bad");
  std::ofstream(dir / "bad" / "services.csv") << "id,name,status\naaaaaaaa-0000-4000-8000-000000000001,One,maybe\n";
  auto before = snapshot(s, s.beta);
  r = test::run_cli({"directory", "import", "--db", s.db.url(), "--partnership", "beta", (dir / "bad").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("services.csv line 2, field status: not one of the allowed values"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Nothing was imported."), std::string::npos) << r.err;
  EXPECT_EQ(snapshot(s, s.beta), before);

  r = test::run_cli({"directory", "export", "--help"});
  EXPECT_NE(r.out.find("full backup"), std::string::npos) << r.out;
  fs::remove_all(dir);
}
