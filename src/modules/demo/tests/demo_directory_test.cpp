// The demo partnership's service directory, loaded by the real demo loader and read back through SQL
// and real HTTP: enough located services and community assets in the demo area, every address on a
// real postcode, attached to the demo organisations rather than to copies of them, searchable by
// distance from a postcode, with staff contacts kept private, and a second load that writes nothing.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <fstream>
#include <sstream>

#include "modules/demo/demo.hpp"
#include "support/harness.hpp"

using namespace cp;
namespace json = boost::json;

namespace {

std::int64_t scalar(test::TestApp& s, std::int64_t partnership, const std::string& sql) {
  auto w = s.app->work(partnership, {}, store::Transaction::Mode::read);
  return w->read(sql).one().i64(0);
}

const std::vector<std::string> kTables = {
    "directory_services",       "directory_locations",    "directory_addresses",  "directory_schedules",
    "directory_contacts",       "directory_phones",       "directory_cost_options", "directory_attributes",
    "directory_taxonomies",     "directory_taxonomy_terms", "directory_service_at_locations",
    "directory_organisations",  "organisations",          "audit_events"};

std::vector<std::int64_t> table_counts(test::TestApp& s, std::int64_t partnership) {
  std::vector<std::int64_t> out;
  for (const auto& t : kTables) out.push_back(scalar(s, partnership, "SELECT COUNT(*) FROM " + t + " WHERE partnership_id = $1"));
  return out;
}

std::size_t demo_organisation_count() {
  std::ifstream in(std::string(COPRODUCE_SHARE) + "/data/demo/organisations.json");
  std::stringstream b;
  b << in.rdbuf();
  return json::parse(b.str()).as_array().size();
}

}  // namespace

TEST(DemoDirectory, LoadsLocatedServicesSearchableNearAPostcodeAndOnlyOnce) {
  test::TestServer s;
  // Given a host so requests can reach it; the loader keeps a demo partnership it finds.
  auto demo = s.app->create_partnership("demo", "Demo", "demo.test", "");
  auto first = modules::load_demo(*s.app);
  EXPECT_GE(first.services_added, 50);
  EXPECT_GT(first.postcodes_loaded, 0);

  // Located: a physical address with a postcode and a point on the map.
  EXPECT_GE(scalar(s, demo.id,
                   "SELECT COUNT(DISTINCT sal.service_id) FROM directory_service_at_locations sal"
                   " JOIN directory_locations l ON l.partnership_id = $1 AND l.id = sal.location_id"
                   " JOIN directory_addresses a ON a.partnership_id = $1 AND a.location_id = l.id"
                   " WHERE sal.partnership_id = $1 AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL"
                   " AND a.postal_code <> ''"),
            50);
  // Every address is on a real postcode, and its location is that postcode's centre.
  auto addresses = scalar(s, demo.id, "SELECT COUNT(*) FROM directory_addresses WHERE partnership_id = $1");
  EXPECT_EQ(scalar(s, demo.id,
                   "SELECT COUNT(*) FROM directory_addresses a"
                   " JOIN directory_locations l ON l.partnership_id = $1 AND l.id = a.location_id"
                   " JOIN postcodes p ON p.postcode = a.postal_code"
                   " WHERE a.partnership_id = $1 AND ABS(p.latitude - l.latitude) < 0.000001"
                   " AND ABS(p.longitude - l.longitude) < 0.000001"),
            addresses);
  EXPECT_GE(scalar(s, demo.id,
                   "SELECT COUNT(*) FROM directory_services WHERE partnership_id = $1 AND asset_kind IS NOT NULL"),
            12);
  // Each service belongs to one of the demo organisations; none was copied by the import.
  EXPECT_EQ(scalar(s, demo.id,
                   "SELECT COUNT(*) FROM directory_services WHERE partnership_id = $1 AND organisation_id IS NULL"),
            0);
  EXPECT_EQ(scalar(s, demo.id, "SELECT COUNT(*) FROM organisations WHERE partnership_id = $1"),
            static_cast<std::int64_t>(demo_organisation_count()));

  // Near the Citizens Advice Bureau's own postcode: nearest first, all within the distance asked for.
  test::Client c(s.port, "demo.test");
  auto res = c.get("/openreferral/service_at_locations?postcode=KY1%201QB&proximity=5000&per_page=100");
  ASSERT_EQ(res.status, 200) << res.body;
  auto page = json::parse(res.body).as_object();
  const auto& items = page["contents"].as_array();
  ASSERT_GE(items.size(), 5u);
  EXPECT_EQ(items[0].at("distance").as_int64(), 0);
  EXPECT_EQ(items[0].at("service").at("organization").at("name"), "Kingdom Shore Citizens Advice Bureau");
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto d = items[i].at("distance").as_int64();
    EXPECT_LE(d, 5000);
    if (i) EXPECT_LE(items[i - 1].at("distance").as_int64(), d) << i;
  }
  // Glenrothay and Dunmarnock are further than 5 km from Kirkbeath, so the search does narrow.
  EXPECT_LT(page["total_items"].as_int64(),
            scalar(s, demo.id, "SELECT COUNT(*) FROM directory_service_at_locations WHERE partnership_id = $1"));

  // Staff contacts are in the database but never in the open API.
  std::vector<std::tuple<std::string, std::string, std::string>> hidden;  // service, contact, phone
  {
    auto w = s.app->work(demo.id, {}, store::Transaction::Mode::read);
    for (const auto& r : w->read("SELECT sv.uuid, ct.uuid, ph.number FROM directory_contacts ct"
                                 " JOIN directory_services sv ON sv.partnership_id = $1 AND sv.id = ct.service_id"
                                 " JOIN directory_phones ph ON ph.partnership_id = $1 AND ph.contact_id = ct.id"
                                 " WHERE ct.partnership_id = $1 AND ct.is_private = 1")
                             .rows)
      hidden.emplace_back(r.text(0), r.text(1), r.text(2));
  }
  ASSERT_GE(hidden.size(), 5u);
  for (const auto& [service, contact, phone] : hidden) {
    auto one = c.get("/openreferral/services/" + service);
    ASSERT_EQ(one.status, 200) << one.body;
    EXPECT_FALSE(json::parse(one.body).at("contacts").as_array().empty()) << service;
    EXPECT_EQ(one.body.find(contact), std::string::npos) << service;
    EXPECT_EQ(one.body.find(phone), std::string::npos) << service;
  }

  // A second load (another `serve --demo`) adds nothing and writes nothing, not even to the audit trail.
  auto before = table_counts(s, demo.id);
  auto second = modules::load_demo(*s.app);
  EXPECT_EQ(second.services_added, 0);
  EXPECT_EQ(second.organisations_added, 0);
  EXPECT_EQ(second.accounts_added, 0);
  EXPECT_EQ(second.postcodes_loaded, 0);
  auto after = table_counts(s, demo.id);
  for (std::size_t i = 0; i < kTables.size(); ++i) EXPECT_EQ(before[i], after[i]) << kTables[i];
}
