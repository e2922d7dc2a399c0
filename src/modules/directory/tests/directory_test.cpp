// The directory and its Open Referral UK API, through the real CLI, the real import and real HTTP:
// what goes in comes back out, importing twice changes nothing, a bad feed writes nothing and says
// where the problem is, one partnership never sees another's services, and staff contacts stay private.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "cli/process.hpp"
#include "modules/directory/directory.hpp"
#include "support/harness.hpp"

using namespace cp;
namespace json = boost::json;
namespace db = modules::directory_store;

namespace {

const std::string kExampleService = "ac148810-d857-441c-9679-408f346de14b";

std::string example_path(const std::string& name) { return std::string(COPRODUCE_SHARE) + "/data/oruk/examples/" + name; }

json::value read_json(const std::string& path) {
  std::ifstream in(path);
  std::stringstream b;
  b << in.rdbuf();
  return json::parse(b.str());
}

// Writes `text` to a file that is removed with this object.
struct TempFile {
  std::string path;
  explicit TempFile(const std::string& text) {
    char tmpl[] = "/tmp/coproduce-feed-XXXXXX";
    int fd = mkstemp(tmpl);
    path = tmpl;
    ::close(fd);
    std::ofstream(path) << text;
  }
  ~TempFile() { std::remove(path.c_str()); }
};

// Every field of `want` is in `got` with the same value; fields the directory does not keep are named
// in `not_kept`. Lists are compared item by item in order.
void expect_contains(const json::value& want, const json::value& got, const std::string& path,
                     const std::set<std::string>& not_kept) {
  if (want.is_object()) {
    ASSERT_TRUE(got.is_object()) << path;
    for (const auto& [k, v] : want.as_object()) {
      std::string key(k);
      if (not_kept.count(key)) continue;
      const auto* g = got.as_object().if_contains(k);
      ASSERT_TRUE(g) << path << "." << key << " was lost";
      expect_contains(v, *g, path + "." + key, not_kept);
    }
  } else if (want.is_array()) {
    ASSERT_TRUE(got.is_array()) << path;
    ASSERT_EQ(want.as_array().size(), got.as_array().size()) << path;
    for (std::size_t i = 0; i < want.as_array().size(); ++i)
      expect_contains(want.as_array()[i], got.as_array()[i], path + "[" + std::to_string(i) + "]", not_kept);
  } else if (want.is_number() && got.is_number()) {
    EXPECT_DOUBLE_EQ(want.to_number<double>(), got.to_number<double>()) << path;
  } else {
    EXPECT_EQ(want, got) << path;
  }
}

std::int64_t count(test::TestApp& s, const app::Partnership& p, const std::string& table) {
  auto w = s.app->work(p.id, {}, store::Transaction::Mode::read);
  return w->read("SELECT COUNT(*) FROM " + table + " WHERE partnership_id = $1").one().i64(0);
}

const std::vector<std::string> kTables = {
    "directory_services",     "directory_locations", "directory_addresses",      "directory_accessibility",
    "directory_schedules",    "directory_contacts",  "directory_phones",         "directory_cost_options",
    "directory_attributes",   "directory_taxonomies", "directory_taxonomy_terms", "directory_service_at_locations",
    "directory_organisations", "organisations", "directory_service_areas", "directory_languages", "directory_funding",
    "directory_organisation_identifiers"};

db::ImportResult import_text(test::TestApp& s, const app::Partnership& p, const std::string& text) {
  TempFile f(text);
  return db::import_file(*s.app, p.id, f.path, {std::nullopt, "test", "", ""});
}

// A small feed of our own: a formal service with a public and a private (staff) contact, and a
// community asset (a walking group) of another organisation, tagged with a term of a taxonomy.
const std::string kFeed = R"({
  "taxonomies": [{"id": "11111111-1111-4111-8111-111111111111", "name": "Needs", "description": "What people need",
    "taxonomy_terms": [{"id": "22222222-2222-4222-8222-222222222222", "name": "Loneliness", "description": "Feeling alone"}]}],
  "services": [
    {"id": "33333333-3333-4333-8333-333333333333", "name": "Kirkcaldy Money Advice", "status": "active",
     "description": "Help with debt and benefits.", "last_modified": "2026-01-10T09:00:00Z",
     "organization": {"id": "44444444-4444-4444-8444-444444444444", "name": "Fife Advice Centre", "description": "Free advice."},
     "contacts": [
       {"id": "55555555-5555-4555-8555-555555555555", "name": "Front Desk", "phones": [{"id": "55555555-5555-4555-8555-555555555556", "number": "01592 000111"}]},
       {"id": "66666666-6666-4666-8666-666666666666", "name": "Staffmember Hidden", "title": "Caseworker", "private": true,
        "phones": [{"id": "66666666-6666-4666-8666-666666666667", "number": "07700 900999"}]}]},
    {"id": "77777777-7777-4777-8777-777777777777", "name": "Beveridge Park Walking Group", "status": "active",
     "asset_kind": "walking_group", "last_modified": "2026-03-01T12:00:00+01:00",
     "organization": {"id": "88888888-8888-4888-8888-888888888888", "name": "Friends of Beveridge Park", "description": "Volunteers."},
     "attributes": [{"id": "99999999-9999-4999-8999-999999999999", "taxonomy_term_id": "22222222-2222-4222-8222-222222222222"}],
     "schedules": [{"id": "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", "freq": "WEEKLY", "byday": "TU", "opens_at": "10:00", "closes_at": "11:30"}]}
  ]})";

}  // namespace

TEST(Directory, ExampleServiceComesBackWithNothingLost) {
  test::TestServer s;
  auto r = db::import_file(*s.app, s.alpha.id, example_path("service_full.json"), {std::nullopt, "test", "", ""});
  EXPECT_EQ(r.services, 1);
  test::Client c(s.port, "alpha.test");
  auto res = c.get("/openreferral/services/" + kExampleService);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.header("access-control-allow-origin"), "*");
  expect_contains(read_json(example_path("service_full.json")), json::parse(res.body), "service", {});
  // The organisation is one of the partnership's organisations, reached through that module.
  auto orgs = json::parse(c.get("/openreferral/organizations").body).as_object();
  ASSERT_EQ(orgs["total_items"].as_int64(), 1);
  EXPECT_EQ(orgs["contents"].as_array()[0].as_object()["name"], "Example Organization Inc.");
  EXPECT_EQ(count(s, s.alpha, "organisations"), 1);
}

TEST(Directory, ExampleOrganisationWithItsServicesComesBackWithNothingLost) {
  test::TestServer s;
  auto r = db::import_file(*s.app, s.alpha.id, example_path("organization_full.json"), {std::nullopt, "test", "", ""});
  EXPECT_EQ(r.organisations, 1);
  auto want = read_json(example_path("organization_full.json")).as_object();
  ASSERT_FALSE(want["services"].as_array().empty());
  test::Client c(s.port, "alpha.test");
  json::object org_want = want;
  org_want.erase("services");
  for (const auto& sv : want["services"].as_array()) {
    std::string id(sv.as_object().at("id").as_string());
    auto res = c.get("/openreferral/services/" + id);
    ASSERT_EQ(res.status, 200) << id;
    auto got = json::parse(res.body);
    expect_contains(sv, got, "services[" + id + "]", {});
    expect_contains(org_want, got.as_object().at("organization"), "organization", {});
  }
  auto listed = json::parse(c.get("/openreferral/services?organization_id=" + std::string(want["id"].as_string())).body);
  EXPECT_EQ(listed.as_object().at("total_items").as_int64(), static_cast<std::int64_t>(want["services"].as_array().size()));
  // /organizations/{id} gives the same document back, services nested.
  auto org = c.get("/openreferral/organizations/" + std::string(want["id"].as_string()));
  ASSERT_EQ(org.status, 200);
  expect_contains(want, json::parse(org.body), "organization", {});
  EXPECT_EQ(c.get("/openreferral/organizations/00000000-0000-4000-8000-000000000000").status, 404);
}

TEST(Directory, ImportingTheSameFeedTwiceChangesNothing) {
  test::TestServer s;
  import_text(s, s.alpha, kFeed);
  db::import_file(*s.app, s.alpha.id, example_path("service_full.json"), {std::nullopt, "test", "", ""});
  test::Client c(s.port, "alpha.test");
  std::string before = c.get("/openreferral/services/" + kExampleService).body;
  std::string list_before = c.get("/openreferral/services").body;
  std::map<std::string, std::int64_t> counts;
  for (const auto& t : kTables) counts[t] = count(s, s.alpha, t);
  EXPECT_EQ(counts["directory_services"], 3);
  import_text(s, s.alpha, kFeed);
  db::import_file(*s.app, s.alpha.id, example_path("service_full.json"), {std::nullopt, "test", "", ""});
  for (const auto& t : kTables) EXPECT_EQ(count(s, s.alpha, t), counts[t]) << t;
  EXPECT_EQ(c.get("/openreferral/services/" + kExampleService).body, before);
  EXPECT_EQ(c.get("/openreferral/services").body, list_before);

  // A feed that gives no last_modified: the first import dates it; the same feed again keeps that date.
  const std::string undated = R"([{"id": "ffffffff-ffff-4fff-8fff-ffffffffffff", "name": "Undated", "status": "active"}])";
  import_text(s, s.alpha, undated);
  auto first = c.get("/openreferral/services/ffffffff-ffff-4fff-8fff-ffffffffffff").body;
  {
    // Move the recorded date back, so a second import that re-dated the service would show.
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
    w->write({"test.backdate", "directory_service", std::nullopt, ""},
             "UPDATE directory_services SET last_modified = '2020-01-01T00:00:00Z', modified_at = 1577836800"
             " WHERE partnership_id = $1 AND uuid = $2",
             {std::string("ffffffff-ffff-4fff-8fff-ffffffffffff")});
    w.commit();
  }
  import_text(s, s.alpha, undated);
  auto again = json::parse(c.get("/openreferral/services/ffffffff-ffff-4fff-8fff-ffffffffffff").body).as_object();
  EXPECT_EQ(again["last_modified"], "2020-01-01T00:00:00Z") << first;
  // Changed text is a change: it gets a new date.
  import_text(s, s.alpha, R"([{"id": "ffffffff-ffff-4fff-8fff-ffffffffffff", "name": "Undated, renamed", "status": "active"}])");
  auto changed = json::parse(c.get("/openreferral/services/ffffffff-ffff-4fff-8fff-ffffffffffff").body).as_object();
  EXPECT_NE(changed["last_modified"], "2020-01-01T00:00:00Z");
}

TEST(Directory, ABadFeedWritesNothingAndSaysWhere) {
  test::TestServer s;
  std::string bad = kFeed;
  auto at = bad.find("\"closes_at\": \"11:30\"");
  ASSERT_NE(at, std::string::npos);
  bad.replace(at, 20, "\"closes_at\": \"half past\"");
  try {
    import_text(s, s.alpha, bad);
    FAIL() << "a bad time was accepted";
  } catch (const db::ImportError& e) {
    EXPECT_EQ(e.path, "services[1].schedules[0].closes_at");
    EXPECT_EQ(db::describe(*s.app, e), "services[1].schedules[0].closes_at: " + s.app->catalogue.t("en", "directory.error_not_time"));
  }
  // The first service and both organisations came before the mistake: none of it was kept.
  for (const auto& t : kTables) EXPECT_EQ(count(s, s.alpha, t), 0) << t;

  // The same through the command line: exit code 1, the place and the problem on standard error.
  TempFile f(bad);
  auto r = test::run_cli({"directory", "import", "--db", s.db.url(), "--partnership", "alpha", f.path});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("services[1].schedules[0].closes_at: not a time"), std::string::npos) << r.err;
  for (const auto& t : kTables) EXPECT_EQ(count(s, s.alpha, t), 0) << t;

  // Other kinds of bad input, each named by its place.
  auto path_of = [&](const std::string& text) {
    try {
      import_text(s, s.alpha, text);
    } catch (const db::ImportError& e) {
      return e.path + " " + e.key;
    }
    return std::string("accepted");
  };
  EXPECT_EQ(path_of(R"([{"id": "not-a-uuid", "name": "X", "status": "active"}])"), "services[0].id directory.error_not_uuid");
  EXPECT_EQ(path_of(R"([{"id": "33333333-3333-4333-8333-333333333333", "name": "X", "status": "open"}])"),
            "services[0].status directory.error_not_allowed");
  EXPECT_EQ(path_of(R"([{"id": "33333333-3333-4333-8333-333333333333", "status": "active"}])"),
            "services[0].name directory.error_missing");
  EXPECT_EQ(path_of(R"([{"id": "33333333-3333-4333-8333-333333333333", "name": "X", "status": "active",
    "attributes": [{"id": "99999999-9999-4999-8999-999999999999", "taxonomy_term_id": "22222222-2222-4222-8222-222222222222"}]}])"),
            "services[0].attributes[0].taxonomy_term_id directory.error_unknown_term");
  EXPECT_EQ(path_of(R"([{"id": "33333333-3333-4333-8333-333333333333", "name": "X", "status": "active"},
                        {"id": "33333333-3333-4333-8333-333333333333", "name": "Y", "status": "active"}])"),
            "services[1].id directory.error_duplicate_id");
  EXPECT_EQ(path_of(R"([{"id": "33333333-3333-4333-8333-333333333333", "name": "X", "status": "active", "minimum_age": "ten"}])"),
            "services[0].minimum_age directory.error_not_whole_number");
  for (const auto& t : kTables) EXPECT_EQ(count(s, s.alpha, t), 0) << t;

  // And a good import through the CLI works and says what it did.
  TempFile good(kFeed);
  auto ok = test::run_cli({"directory", "import", "--db", s.db.url(), "--partnership", "alpha", good.path});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("Imported 2 services"), std::string::npos) << ok.out;
  EXPECT_EQ(count(s, s.alpha, "directory_services"), 2);
}

TEST(Directory, APartnershipSeesOnlyItsOwnServices) {
  test::TestServer s;
  import_text(s, s.beta, kFeed);
  test::Client alpha(s.port, "alpha.test"), beta(s.port, "beta.test");
  auto a = json::parse(alpha.get("/openreferral/services").body).as_object();
  EXPECT_EQ(a["total_items"].as_int64(), 0);
  EXPECT_TRUE(a["empty"].as_bool());
  EXPECT_EQ(alpha.get("/openreferral/services/33333333-3333-4333-8333-333333333333").status, 404);
  EXPECT_EQ(json::parse(alpha.get("/openreferral/organizations").body).as_object()["total_items"].as_int64(), 0);
  EXPECT_EQ(json::parse(alpha.get("/openreferral/taxonomy_terms").body).as_object()["total_items"].as_int64(), 0);
  auto b = json::parse(beta.get("/openreferral/services").body).as_object();
  EXPECT_EQ(b["total_items"].as_int64(), 2);
  EXPECT_EQ(beta.get("/openreferral/services/33333333-3333-4333-8333-333333333333").status, 200);
  // The same ids may be used by another partnership's feed: each keeps its own copy.
  import_text(s, s.alpha, kFeed);
  EXPECT_EQ(count(s, s.alpha, "directory_services"), 2);
  EXPECT_EQ(count(s, s.beta, "directory_services"), 2);
}

TEST(Directory, StaffContactsAndPrivateLocationsAreNeverPublished) {
  test::TestServer s;
  import_text(s, s.alpha, kFeed);
  // A refuge: the service is listed, its address is not.
  import_text(s, s.alpha, R"([{"id": "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb", "name": "Safe Place", "status": "active",
    "service_at_locations": [
      {"id": "cccccccc-cccc-4ccc-8ccc-cccccccccccc", "location": {"id": "dddddddd-dddd-4ddd-8ddd-dddddddddddd",
        "location_type": "physical", "name": "Refuge House", "private": true,
        "addresses": [{"id": "eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee", "address_1": "1 Hidden Road", "city": "Kirkcaldy",
                       "state_province": "Fife", "postal_code": "KY1 9ZZ", "country": "GB", "address_type": "physical"}]}},
      {"id": "cccccccc-cccc-4ccc-8ccc-ccccccccccc1", "location": {"id": "dddddddd-dddd-4ddd-8ddd-ddddddddddd1",
        "location_type": "virtual", "name": "Phone line"}}]}])");
  auto refuge = json::parse(test::Client(s.port, "alpha.test").get("/openreferral/services/bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb").body);
  ASSERT_EQ(refuge.as_object().at("service_at_locations").as_array().size(), 1u);
  EXPECT_EQ(refuge.as_object().at("service_at_locations").as_array()[0].as_object().at("location").as_object().at("name"),
            "Phone line");
  test::Client c(s.port, "alpha.test");
  std::string all;
  for (const std::string& path : {"/openreferral/", "/openreferral/services", "/openreferral/services?minimal=true",
                                  "/openreferral/services/33333333-3333-4333-8333-333333333333",
                                  "/openreferral/services/bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb",
                                  "/openreferral/organizations/44444444-4444-4444-8444-444444444444",
                                  "/openreferral/services?format=ndjson",
                                  "/openreferral/services?search=staffmember", "/openreferral/organizations",
                                  "/openreferral/taxonomies", "/openreferral/taxonomy_terms"}) {
    auto r = c.get(path);
    EXPECT_EQ(r.status, 200) << path;
    all += r.body;
  }
  EXPECT_NE(all.find("Front Desk"), std::string::npos);
  EXPECT_NE(all.find("01592 000111"), std::string::npos);
  EXPECT_EQ(all.find("Staffmember Hidden"), std::string::npos);
  EXPECT_EQ(all.find("07700 900999"), std::string::npos);
  EXPECT_EQ(all.find("66666666-6666-4666-8666-666666666666"), std::string::npos);
  EXPECT_EQ(all.find("Caseworker"), std::string::npos);
  EXPECT_NE(all.find("Safe Place"), std::string::npos);
  EXPECT_EQ(all.find("Refuge House"), std::string::npos);
  EXPECT_EQ(all.find("Hidden Road"), std::string::npos);
  EXPECT_EQ(all.find("KY1 9ZZ"), std::string::npos);
}

TEST(Directory, ServiceFiltersAndPaging) {
  test::TestServer s;
  import_text(s, s.alpha, kFeed);
  db::import_file(*s.app, s.alpha.id, example_path("service_full.json"), {std::nullopt, "test", "", ""});
  test::Client c(s.port, "alpha.test");
  auto get = [&](const std::string& q) { return json::parse(c.get("/openreferral/services" + q).body).as_object(); };
  auto names = [](json::object o) {
    std::vector<std::string> n;
    for (const auto& i : o["contents"].as_array()) n.emplace_back(i.as_object().at("name").as_string());
    return n;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(names(get("")), (V{"Beveridge Park Walking Group", "Community Counselling", "Kirkcaldy Money Advice"}));
  EXPECT_EQ(names(get("?search=DEBT")), V{"Kirkcaldy Money Advice"});
  EXPECT_EQ(names(get("?taxonomy_term_id=22222222-2222-4222-8222-222222222222")), V{"Beveridge Park Walking Group"});
  EXPECT_EQ(names(get("?organization_id=44444444-4444-4444-8444-444444444444")), V{"Kirkcaldy Money Advice"});
  EXPECT_TRUE(names(get("?organization_id=00000000-0000-4000-8000-000000000000")).empty());
  // 2026-03-01T12:00:00+01:00 is 11:00 UTC.
  EXPECT_EQ(names(get("?modified_after=2026-03-01T10:59:59Z")), V{"Beveridge Park Walking Group"});
  EXPECT_TRUE(names(get("?modified_after=2026-03-01T11:00:00Z")).empty());
  auto minimal = get("?minimal=true");
  EXPECT_FALSE(minimal["contents"].as_array()[0].as_object().contains("organization"));
  EXPECT_TRUE(minimal["contents"].as_array()[0].as_object().contains("last_modified"));
  auto p2 = get("?per_page=2&page=2");
  EXPECT_EQ(p2["total_items"].as_int64(), 3);
  EXPECT_EQ(p2["total_pages"].as_int64(), 2);
  EXPECT_EQ(p2["page_number"].as_int64(), 2);
  EXPECT_EQ(p2["size"].as_int64(), 1);
  EXPECT_FALSE(p2["first_page"].as_bool());
  EXPECT_TRUE(p2["last_page"].as_bool());
  EXPECT_EQ(names(p2), V{"Kirkcaldy Money Advice"});
  auto p1 = get("?per_page=2&page=1");
  EXPECT_TRUE(p1["first_page"].as_bool());
  EXPECT_FALSE(p1["last_page"].as_bool());
  // The community asset keeps its kind; the formal service has none.
  auto walk = json::parse(c.get("/openreferral/services/77777777-7777-4777-8777-777777777777").body).as_object();
  EXPECT_EQ(walk["asset_kind"], "walking_group");
  EXPECT_EQ(walk["attributes"].as_array()[0].as_object()["taxonomy_term"].as_object()["taxonomy_id"],
            "11111111-1111-4111-8111-111111111111");
  EXPECT_FALSE(json::parse(c.get("/openreferral/services/" + kExampleService).body).as_object().contains("asset_kind"));
  EXPECT_EQ(c.get("/openreferral/services?page=0").status, 400);
  EXPECT_EQ(c.get("/openreferral/services?per_page=501").status, 400);
  EXPECT_EQ(c.get("/openreferral/services?modified_after=yesterday").status, 400);
  EXPECT_EQ(c.get("/openreferral/services/not-a-uuid").status, 404);
  // ndjson: every matching service, one per line, no envelope and no paging.
  auto nd = c.get("/openreferral/services?format=ndjson&search=a");
  EXPECT_EQ(nd.status, 200);
  EXPECT_EQ(nd.header("content-type"), "application/x-ndjson");
  std::vector<std::string> lines;
  std::istringstream in(nd.body);
  for (std::string line; std::getline(in, line);) lines.push_back(std::string(json::parse(line).as_object().at("name").as_string()));
  EXPECT_EQ(lines, names(get("?search=a")));
  EXPECT_EQ(c.get("/openreferral/services?format=ndjson&page=2").status, 400);
  EXPECT_EQ(c.get("/openreferral/services?format=xml").status, 400);
  auto details = json::parse(c.get("/openreferral/").body).as_object();
  EXPECT_EQ(details["version"], "HSDS-UK-3.0");
}
