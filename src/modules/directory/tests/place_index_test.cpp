// The kept in-memory place index (place_index.hpp) behind "near a postcode" and matching's nearest
// services: its answers are the ones a plain SQL search gives (same places, same order, same count),
// and a change is in the very next answer, whoever makes it: the importer, or SQL run on a separate
// connection as another process (or someone fixing data by hand) would, which no code path of this
// process hears about.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <unistd.h>

#include "modules/directory/directory.hpp"
#include "modules/postcodes/postcodes.hpp"
#include "support/harness.hpp"

using namespace cp;
namespace json = boost::json;
namespace pc = modules::postcodes;
namespace db = modules::directory_store;

namespace {

std::string data_path(const std::string& name) { return std::string(COPRODUCE_SHARE) + "/data/postcodes/" + name; }

void import(test::TestApp& s, const app::Partnership& p, const json::value& feed) {
  char tmpl[] = "/tmp/coproduce-index-XXXXXX";
  int fd = mkstemp(tmpl);
  ::close(fd);
  std::ofstream(tmpl) << json::serialize(feed);
  db::import_file(*s.app, p.id, tmpl, {std::nullopt, "test", "", ""});
  std::remove(tmpl);
}

std::string uuid(char kind, int n) {
  char b[40];
  std::snprintf(b, sizeof b, "%c0000000-0000-4000-8000-%012d", kind, n);
  return b;
}

json::object place(int n, double lat, double lon) {
  return json::object{{"id", uuid('b', n)},
                      {"location", json::object{{"id", uuid('c', n)}, {"location_type", "physical"},
                                                {"name", "Place " + std::to_string(n)},
                                                {"latitude", lat}, {"longitude", lon}}}};
}

json::object service(int n, const std::string& name, json::array places) {
  return json::object{{"id", uuid('a', n)}, {"name", name}, {"status", "active"},
                      {"description", "Help with food."}, {"service_at_locations", std::move(places)}};
}

std::vector<std::string> names(const json::object& page) {
  std::vector<std::string> out;
  for (const auto& item : page.at("contents").as_array()) out.emplace_back(item.at("service").at("name").as_string());
  return out;
}

json::object near(test::Client& c, const std::string& query) {
  auto res = c.get("/openreferral/service_at_locations?" + query);
  if (res.status != 200) throw std::runtime_error(res.body);
  return json::parse(res.body).as_object();
}

// SQL as another process would run it: its own connection, none of this process's code.
void elsewhere(test::TestApp& s, const std::string& sql) {
  auto conn = store::connect(s.db.url());
  conn->run(sql, {});
}

}  // namespace

TEST(PlaceIndex, NearAPostcodeGivesWhatAPlainSearchGives) {
  test::TestServer s;
  pc::load(*s.app->db, data_path("ky_postcodes.csv"), data_path("outcodes.csv"));
  auto centre = *pc::locate(*s.app->db, *pc::normalise("KY1 1AA"));
  // 150 places scattered up to about 9 km around Kirkcaldy, some of them sharing a spot exactly (a
  // tie on distance is broken by the id), under three services.
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> dlat(-0.08, 0.08), dlon(-0.13, 0.13);
  json::array groups[3];
  std::vector<std::pair<double, double>> spots;
  for (int i = 0; i < 150; ++i) {
    if (i % 10 == 9) spots.push_back(spots[static_cast<std::size_t>(i - 3)]);
    else spots.emplace_back(centre.latitude + dlat(rng), centre.longitude + dlon(rng));
    groups[i % 3].push_back(place(i, spots.back().first, spots.back().second));
  }
  import(s, s.alpha, json::array{service(1, "Larder", groups[0]), service(2, "Walks", groups[1]),
                                 service(3, "Lunch club", groups[2])});
  test::Client c(s.port, "alpha.test");
  for (int proximity : {300, 1500, 5000, 8000}) {
    // The answer worked out here from every place, one by one.
    std::vector<std::pair<double, std::string>> want;
    {
      auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
      for (const auto& r : w->read("SELECT sal.uuid, l.latitude, l.longitude FROM directory_service_at_locations sal"
                                   " JOIN directory_locations l ON l.partnership_id = $1 AND l.id = sal.location_id"
                                   " WHERE sal.partnership_id = $1 ORDER BY sal.id")
                               .rows) {
        double d = pc::distance_m(centre, {r.f64(1), r.f64(2)});
        if (d <= proximity) want.emplace_back(d, r.text(0));
      }
    }
    std::stable_sort(want.begin(), want.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    auto page = near(c, "postcode=KY1%201AA&proximity=" + std::to_string(proximity) + "&per_page=200");
    EXPECT_EQ(page.at("total_items").as_int64(), static_cast<std::int64_t>(want.size())) << proximity;
    const auto& got = page.at("contents").as_array();
    ASSERT_EQ(got.size(), want.size()) << proximity;
    for (std::size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(got[i].at("id").as_string(), want[i].second) << proximity << " #" << i;
      EXPECT_EQ(got[i].at("distance").as_int64(), std::llround(want[i].first)) << proximity << " #" << i;
    }
  }
  // The two-place page after the first 40, and the count, are the same slice of the same order.
  auto all = near(c, "postcode=KY1%201AA&proximity=8000&per_page=200");
  auto slice = near(c, "postcode=KY1%201AA&proximity=8000&per_page=2&page=21");
  ASSERT_EQ(slice.at("contents").as_array().size(), 2u);
  EXPECT_EQ(slice.at("total_items"), all.at("total_items"));
  EXPECT_EQ(slice.at("contents").as_array()[0].at("id"), all.at("contents").as_array()[40].at("id"));
  EXPECT_EQ(slice.at("contents").as_array()[1].at("id"), all.at("contents").as_array()[41].at("id"));
}

TEST(PlaceIndex, AChangeIsInTheNextAnswerWhoeverMakesIt) {
  test::TestServer s;
  pc::load(*s.app->db, data_path("ky_postcodes.csv"), data_path("outcodes.csv"));
  auto town = *pc::locate(*s.app->db, *pc::normalise("KY1 3AA"));
  auto further = *pc::locate(*s.app->db, *pc::normalise("KY2 5AB"));
  auto beside = *pc::locate(*s.app->db, *pc::normalise("KY1 1DL"));
  import(s, s.alpha, json::array{service(1, "Town Walk", json::array{place(1, town.latitude, town.longitude)}),
                                 service(2, "Park Run", json::array{place(2, further.latitude, further.longitude)})});
  test::Client c(s.port, "alpha.test");
  const std::string q = "postcode=KY1%201AA&proximity=5000";
  auto first = near(c, q);
  ASSERT_EQ(first.at("total_items").as_int64(), 2);
  auto order = names(first);

  // Through the importer: a third service beside the postcode comes first at once.
  import(s, s.alpha, json::array{service(3, "Library Group", json::array{place(3, beside.latitude, beside.longitude)})});
  auto second = near(c, q);
  EXPECT_EQ(second.at("total_items").as_int64(), 3);
  ASSERT_FALSE(names(second).empty());
  EXPECT_EQ(names(second)[0], "Library Group");

  // From another connection: the library's place becomes private (a refuge), then Park Run's place
  // moves out of range, then the Town Walk stops being offered at its place.
  auto pid = std::to_string(s.alpha.id);
  elsewhere(s, "UPDATE directory_locations SET is_private = 1 WHERE partnership_id = " + pid + " AND uuid = '" +
                   uuid('c', 3) + "'");
  auto third = near(c, q);
  EXPECT_EQ(third.at("total_items").as_int64(), 2);
  EXPECT_EQ(names(third), order);
  elsewhere(s, "UPDATE directory_locations SET latitude = 56.34, longitude = -2.79 WHERE partnership_id = " + pid +
                   " AND uuid = '" + uuid('c', 2) + "'");
  EXPECT_EQ(names(near(c, q)), std::vector<std::string>{"Town Walk"});
  elsewhere(s, "DELETE FROM directory_service_at_locations WHERE partnership_id = " + pid + " AND uuid = '" +
                   uuid('b', 1) + "'");
  EXPECT_EQ(near(c, q).at("total_items").as_int64(), 0);

  // Another partnership's change leaves this one's answer alone, and its own answer is its own.
  import(s, s.beta, json::array{service(9, "Beta Hall", json::array{place(9, beside.latitude, beside.longitude)})});
  test::Client b(s.port, "beta.test");
  EXPECT_EQ(names(near(b, q)), std::vector<std::string>{"Beta Hall"});
  EXPECT_EQ(near(c, q).at("total_items").as_int64(), 0);
}

TEST(PlaceIndex, MatchingSeesAServiceClosedOrRetopicedElsewhere) {
  test::TestApp s;
  pc::load(*s.app->db, data_path("ky_postcodes.csv"), data_path("outcodes.csv"));
  auto town = *pc::locate(*s.app->db, *pc::normalise("KY1 3AA"));
  import(s, s.alpha, json::array{service(1, "Town Larder", json::array{place(1, town.latitude, town.longitude)})});
  auto centre = *pc::locate(*s.app->db, *pc::normalise("KY1 1AA"));
  auto find = [&](std::vector<std::string> words) {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    db::CandidateQuery q;
    q.near = centre;
    q.within_m = 5000;
    q.words = std::move(words);
    std::vector<std::string> out;
    for (const auto& c : db::candidates(w.scope(), q)) out.push_back(c.name);
    return out;
  };
  EXPECT_EQ(find({"food"}), std::vector<std::string>{"Town Larder"});
  auto pid = std::to_string(s.alpha.id);
  elsewhere(s, "UPDATE directory_services SET search_text = 'town larder' WHERE partnership_id = " + pid);
  EXPECT_TRUE(find({"food"}).empty());
  EXPECT_EQ(find({"larder"}), std::vector<std::string>{"Town Larder"});
  elsewhere(s, "UPDATE directory_services SET status = 'inactive' WHERE partnership_id = " + pid);
  EXPECT_TRUE(find({"larder"}).empty());
}

// Matching's candidates near a place come whole from the kept index, details and all (days, cost,
// topics, who it is for): they are what the SQL read gives for the same services, and a change to a
// schedule, a cost option or a topic's name made elsewhere is in the next answer.
TEST(PlaceIndex, MatchingDetailsAreTheRecordsAndFollowChanges) {
  test::TestApp s;
  pc::load(*s.app->db, data_path("ky_postcodes.csv"), data_path("outcodes.csv"));
  auto town = *pc::locate(*s.app->db, *pc::normalise("KY1 3AA"));
  auto centre = *pc::locate(*s.app->db, *pc::normalise("KY1 1AA"));
  auto larder = service(1, "Town Larder", json::array{place(1, town.latitude, town.longitude)});
  larder["minimum_age"] = 16;
  larder["schedules"] = json::array{json::object{{"id", uuid('d', 1)}, {"freq", "WEEKLY"}, {"byday", "TU,TH"}}};
  larder["cost_options"] = json::array{json::object{{"id", uuid('e', 1)}, {"option", "Free"}, {"amount", 0}}};
  larder["attributes"] = json::array{json::object{{"id", uuid('f', 1)}, {"taxonomy_term_id", uuid('9', 1)}},
                                     json::object{{"id", uuid('f', 2)}, {"taxonomy_term_id", uuid('9', 2)},
                                                  {"link_type", "eligibility"}}};
  auto club = service(2, "Lunch Club", json::array{place(2, town.latitude + 0.01, town.longitude)});
  club["cost_options"] = json::array{json::object{{"id", uuid('e', 2)}, {"option", "£2 a meal"}, {"amount", 2}}};
  json::object feed{
      {"taxonomies", json::array{json::object{
                         {"id", uuid('8', 1)}, {"name", "Topics"}, {"description", "Topics"},
                         {"taxonomy_terms",
                          json::array{json::object{{"id", uuid('9', 1)}, {"name", "Food"}, {"description", "Food"}},
                                      json::object{{"id", uuid('9', 2)}, {"name", "Parents"}, {"description", "Parents"},
                                                   {"term", "parents"}}}}}}},
      {"services", json::array{larder, club}}};
  import(s, s.alpha, feed);

  auto find = [&](bool with_place) {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    db::CandidateQuery q;
    if (with_place) q.near = centre;
    q.within_m = 5000;
    q.words = {"food"};
    std::map<std::string, db::Candidate> out;
    for (auto& c : db::candidates(w.scope(), q)) out[c.name] = std::move(c);
    return out;
  };
  auto same = [](const db::Candidate& a, const db::Candidate& b) {
    std::vector<std::pair<std::string, std::string>> ea, eb;
    for (const auto& e : a.eligibility) ea.emplace_back(e.code, e.name);
    for (const auto& e : b.eligibility) eb.emplace_back(e.code, e.name);
    return a.id == b.id && a.uuid == b.uuid && a.name == b.name && a.description == b.description &&
           a.asset_kind == b.asset_kind && a.term_ids == b.term_ids && ea == eb && a.minimum_age == b.minimum_age &&
           a.maximum_age == b.maximum_age && a.free == b.free && a.cost == b.cost && a.days == b.days;
  };
  auto kept = find(true);
  auto from_sql = find(false);  // without a place the details are read from the tables
  ASSERT_EQ(kept.size(), 2u);
  ASSERT_EQ(from_sql.size(), 2u);
  for (const auto& [name, c] : kept) EXPECT_TRUE(same(c, from_sql.at(name))) << name;
  const auto& l = kept.at("Town Larder");
  EXPECT_EQ(l.days, (std::vector<std::string>{"TU", "TH"}));
  EXPECT_TRUE(l.free);
  EXPECT_EQ(l.cost, "Free");
  EXPECT_EQ(l.minimum_age, std::optional<std::int64_t>(16));
  EXPECT_EQ(l.term_ids, std::vector<std::string>{uuid('9', 1)});
  ASSERT_EQ(l.eligibility.size(), 1u);
  EXPECT_EQ(l.eligibility[0].name, "Parents");
  EXPECT_FALSE(kept.at("Lunch Club").free);
  EXPECT_EQ(kept.at("Lunch Club").cost, "£2 a meal");

  // Changes made on another connection, one at a time, each in the next answer.
  auto pid = std::to_string(s.alpha.id);
  elsewhere(s, "UPDATE directory_schedules SET byday = 'MO' WHERE partnership_id = " + pid);
  EXPECT_EQ(find(true).at("Town Larder").days, std::vector<std::string>{"MO"});
  elsewhere(s, "UPDATE directory_cost_options SET option_text = 'Pay what you can', amount = NULL WHERE partnership_id = " +
                   pid + " AND uuid = '" + uuid('e', 2) + "'");
  EXPECT_EQ(find(true).at("Lunch Club").cost, "Pay what you can");
  elsewhere(s, "DELETE FROM directory_cost_options WHERE partnership_id = " + pid + " AND uuid = '" + uuid('e', 1) + "'");
  EXPECT_FALSE(find(true).at("Town Larder").free);
  elsewhere(s, "UPDATE directory_taxonomy_terms SET name = 'Mums and dads' WHERE partnership_id = " + pid +
                   " AND uuid = '" + uuid('9', 2) + "'");
  auto renamed = find(true).at("Town Larder");
  ASSERT_EQ(renamed.eligibility.size(), 1u);
  EXPECT_EQ(renamed.eligibility[0].name, "Mums and dads");
  for (const auto& [name, c] : find(true)) EXPECT_TRUE(same(c, find(false).at(name))) << name;
}
