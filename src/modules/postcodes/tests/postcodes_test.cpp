// Postcodes and "near here": the ways people type a postcode, loading the national list (all or
// nothing, saying which line and column is wrong, harmless to repeat), distances checked against a
// separately written great-circle formula on real Fife postcodes, "near KY1" from the outcode
// centre, and /openreferral/service_at_locations over real HTTP, one partnership never seeing
// another's places.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <unistd.h>

#include "cli/process.hpp"
#include "modules/directory/directory.hpp"
#include "modules/postcodes/postcodes.hpp"
#include "support/harness.hpp"

using namespace cp;
namespace json = boost::json;
namespace pc = modules::postcodes;

namespace {

std::string data_path(const std::string& name) { return std::string(COPRODUCE_SHARE) + "/data/postcodes/" + name; }

struct TempFile {
  std::string path;
  explicit TempFile(const std::string& text) {
    char tmpl[] = "/tmp/coproduce-postcodes-XXXXXX";
    int fd = mkstemp(tmpl);
    path = tmpl;
    ::close(fd);
    std::ofstream(path) << text;
  }
  ~TempFile() { std::remove(path.c_str()); }
};

// Written apart from the module's: the spherical law of cosines in long double, with its own
// radius constant, so a slip in either formula shows as a disagreement.
double expected_m(pc::Point a, pc::Point b) {
  const long double r = 6371008.8L, k = std::acos(-1.0L) / 180;
  long double c = std::sin(a.latitude * k) * std::sin(b.latitude * k) +
                  std::cos(a.latitude * k) * std::cos(b.latitude * k) * std::cos((b.longitude - a.longitude) * k);
  return static_cast<double>(r * std::acos(std::min(1.0L, c)));
}

pc::Point at(test::TestApp& s, const std::string& typed) {
  auto p = pc::locate(*s.app->db, *pc::normalise(typed));
  if (!p) throw std::runtime_error("test data has no " + typed);
  return *p;
}

std::int64_t rows(test::TestApp& s, const std::string& table) {
  auto lease = s.app->db->lease();
  return lease->run("SELECT COUNT(*) FROM " + table, {}).one().i64(0);
}

void load_fife(test::TestApp& s) { pc::load(*s.app->db, data_path("ky_postcodes.csv"), data_path("outcodes.csv")); }

// One service at one place; `lat` NaN for a place with no coordinates.
std::string service_at(const std::string& n, const std::string& name, double lat, double lon, bool hidden = false) {
  json::object loc{{"id", "c0000000-0000-4000-8000-0000000000" + n}, {"location_type", "physical"}, {"name", name + " place"}};
  if (!std::isnan(lat)) {
    loc["latitude"] = lat;
    loc["longitude"] = lon;
  }
  if (hidden) loc["private"] = true;
  json::object sv{{"id", "a0000000-0000-4000-8000-0000000000" + n},
                  {"name", name},
                  {"status", "active"},
                  {"service_at_locations", json::array{json::object{{"id", "b0000000-0000-4000-8000-0000000000" + n},
                                                                    {"location", loc}}}}};
  return json::serialize(sv);
}

void import(test::TestApp& s, const app::Partnership& p, const std::vector<std::string>& services) {
  std::string feed = "[";
  for (std::size_t i = 0; i < services.size(); ++i) feed += (i ? "," : "") + services[i];
  TempFile f(feed + "]");
  modules::directory_store::import_file(*s.app, p.id, f.path, {std::nullopt, "test", "", ""});
}

std::vector<std::string> names(const json::object& page) {
  std::vector<std::string> out;
  for (const auto& item : page.at("contents").as_array())
    out.emplace_back(item.at("service").at("name").as_string());
  return out;
}

}  // namespace

TEST(Postcodes, AcceptsTheWaysPeopleTypeThem) {
  for (const char* typed : {"ky11aa", "KY1 1AA", "KY1  1AA", " ky1 1Aa ", "KY1\t1AA"}) {
    auto n = pc::normalise(typed);
    ASSERT_TRUE(n) << typed;
    EXPECT_EQ(n->text, "KY1 1AA") << typed;
    EXPECT_TRUE(n->full) << typed;
  }
  EXPECT_EQ(pc::normalise("eh120hd")->text, "EH12 0HD");
  EXPECT_EQ(pc::normalise("w1a0ax")->text, "W1A 0AX");
  EXPECT_EQ(pc::normalise("m11ae")->text, "M1 1AE");
  for (const char* typed : {"ky1", "KY1", " Ky1 "}) {
    auto n = pc::normalise(typed);
    ASSERT_TRUE(n) << typed;
    EXPECT_EQ(n->text, "KY1");
    EXPECT_FALSE(n->full);
  }
  EXPECT_EQ(pc::normalise("ky16")->text, "KY16");
  EXPECT_EQ(pc::normalise("SW1A")->text, "SW1A");
  for (const char* bad : {"", "   ", "K", "KY", "11AA", "KY1 1A", "KYZ1 1AA", "KY1 1AAA", "KY1-1AA", "KY1 AAA",
                          "KY11 1A1", "'; DROP TABLE postcodes; --", "KY1 1ÅA"})
    EXPECT_FALSE(pc::normalise(bad)) << bad;
}

TEST(Postcodes, LoadingTwiceChangesNothingAndAMovedPointIsUpdated) {
  test::TestApp s;
  load_fife(s);
  std::int64_t n = rows(s, "postcodes"), o = rows(s, "postcode_outcodes");
  EXPECT_EQ(n, 13401);
  EXPECT_EQ(o, 2996);
  auto kirkcaldy = at(s, "KY1 1AA");
  EXPECT_NEAR(kirkcaldy.latitude, 56.11168, 1e-9);
  EXPECT_NEAR(kirkcaldy.longitude, -3.16065, 1e-9);
  load_fife(s);
  EXPECT_EQ(rows(s, "postcodes"), n);
  EXPECT_EQ(rows(s, "postcode_outcodes"), o);

  TempFile moved("pcd,lat,long,other\n\"ky11aa\",56.2,-3.2,x\n");
  auto r = pc::load(*s.app->db, moved.path);
  EXPECT_EQ(r.postcodes, 1);
  EXPECT_EQ(rows(s, "postcodes"), n);
  EXPECT_NEAR(at(s, "KY1 1AA").latitude, 56.2, 1e-9);
}

TEST(Postcodes, ABadFileLoadsNothingAndSaysWhichLineAndColumn) {
  test::TestApp s;
  TempFile first("postcode,latitude,longitude\nKY1 1AA,56.1,-3.1\n");
  pc::load(*s.app->db, first.path);

  auto problem = [&](const std::string& text, const std::string& outcodes = "") {
    TempFile f(text);
    std::optional<TempFile> o;
    if (!outcodes.empty()) o.emplace(outcodes);
    TempFile good("postcode,latitude,longitude\nKY1 1AA,50.5,-1.5\nKY1 2AA,56.1,-3.1\n");
    try {
      if (o) pc::load(*s.app->db, good.path, o->path);
      else pc::load(*s.app->db, f.path);
    } catch (const pc::LoadError& e) {
      EXPECT_EQ(e.file, o ? o->path : f.path);
      return "line " + std::to_string(e.line) + " " + e.field + " " + e.key;
    }
    return std::string("loaded");
  };
  const std::string head = "postcode,latitude,longitude\nKY1 2AA,56.1,-3.1\n";
  EXPECT_EQ(problem(head + "KY1 3AA,ninety,-3.1\n"), "line 3 latitude postcodes.error_latitude");
  EXPECT_EQ(problem(head + "KY1 3AA,40.0,-3.1\n"), "line 3 latitude postcodes.error_latitude");
  EXPECT_EQ(problem(head + "KY1 3AA,56.1,\n"), "line 3 longitude postcodes.error_longitude");
  EXPECT_EQ(problem(head + "\nnot one,56.1,-3.1\n"), "line 4 postcode postcodes.error_not_postcode");
  EXPECT_EQ(problem(head + "KY1,56.1,-3.1\n"), "line 3 postcode postcodes.error_not_postcode");
  EXPECT_EQ(problem(head + "ky12aa,56.1,-3.1\n"), "line 3 postcode postcodes.error_duplicate");
  EXPECT_EQ(problem(head + "KY1 3AA,56.1\n"), "line 3  postcodes.error_columns");
  EXPECT_EQ(problem("postcode,lat\nKY1 3AA,56.1\n"), "line 1 longitude postcodes.error_no_column");
  EXPECT_EQ(problem(""), "line 1  postcodes.error_no_header");
  // A bad outcodes file stops the good postcodes file with it.
  EXPECT_EQ(problem("", "outcode,latitude,longitude\nKY1,56.1,-3.1\nKY1 1AA,56.1,-3.1\n"),
            "line 3 outcode postcodes.error_not_outcode");
  EXPECT_EQ(rows(s, "postcodes"), 1);
  EXPECT_EQ(rows(s, "postcode_outcodes"), 0);
  EXPECT_NEAR(at(s, "KY1 1AA").latitude, 56.1, 1e-9);

  // The real command says the same in words, and writes nothing either.
  TempFile bad(head + "KY1 3AA,56.1,-300\n");
  auto r = test::run_cli({"postcodes", "load", "--db", s.db.url(), bad.path});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find(bad.path + ": line 3, longitude: not a longitude in the UK"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Nothing was loaded"), std::string::npos) << r.err;
  EXPECT_EQ(rows(s, "postcodes"), 1);
  auto ok = test::run_cli({"postcodes", "load", "--db", s.db.url(), data_path("ky_postcodes.csv"), "--outcodes",
                           data_path("outcodes.csv")});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("Loaded 13401 postcodes and 2996 outcode centres."), std::string::npos) << ok.out;
  EXPECT_EQ(rows(s, "postcodes"), 13401);
}

TEST(Postcodes, DistancesBetweenRealPlacesAgreeWithAnIndependentFormula) {
  test::TestApp s;
  load_fife(s);
  auto kirkcaldy = at(s, "KY1 1AA"), standrews = at(s, "KY16 9AA"), dunfermline = at(s, "KY11 3BZ"),
       edinburgh_side = at(s, "KY3 9AA");
  // Kirkcaldy to St Andrews is about 30 km as the crow flies.
  double d = pc::distance_m(kirkcaldy, standrews);
  EXPECT_NEAR(d, expected_m(kirkcaldy, standrews), 0.01);
  EXPECT_GT(d, 25000);
  EXPECT_LT(d, 35000);
  EXPECT_NEAR(pc::distance_m(kirkcaldy, dunfermline), expected_m(kirkcaldy, dunfermline), 0.01);
  EXPECT_NEAR(pc::distance_m(standrews, edinburgh_side), expected_m(standrews, edinburgh_side), 0.01);
  EXPECT_DOUBLE_EQ(pc::distance_m(kirkcaldy, kirkcaldy), 0);
  // The outcode centre stands in when only "KY1" is known, and it is in Kirkcaldy.
  auto ky1 = at(s, "KY1");
  EXPECT_LT(pc::distance_m(ky1, kirkcaldy), 5000);
  EXPECT_FALSE(pc::locate(*s.app->db, *pc::normalise("ZZ99 9ZZ")));
  EXPECT_FALSE(pc::locate(*s.app->db, *pc::normalise("ZZ99")));
}

TEST(Postcodes, NearAPostcodeOverHttpIsNearestFirstAndStaysInItsPartnership) {
  test::TestServer s;
  load_fife(s);
  auto kirkcaldy = at(s, "KY1 1AA"), near = at(s, "KY1 1DL"), town = at(s, "KY1 3AA"), further = at(s, "KY2 5AB"),
       standrews = at(s, "KY16 9AA"), beside = at(s, "KY1 1XX");
  import(s, s.alpha,
         {service_at("01", "St Andrews Larder", standrews.latitude, standrews.longitude),
          service_at("02", "Town Walk", town.latitude, town.longitude),
          service_at("03", "Library Group", near.latitude, near.longitude),
          service_at("04", "Phone Friends", std::nan(""), 0),
          service_at("05", "Safe House", beside.latitude, beside.longitude, true),
          service_at("06", "Park Run", further.latitude, further.longitude)});
  import(s, s.beta, {service_at("07", "Beta Hall", beside.latitude, beside.longitude)});
  test::Client c(s.port, "alpha.test");

  auto res = c.get("/openreferral/service_at_locations?postcode=ky11aa&proximity=5000");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.header("access-control-allow-origin"), "*");
  auto page = json::parse(res.body).as_object();
  // The safe house is closest of all but private; beta's hall is beside it but not alpha's.
  EXPECT_EQ(names(page), (std::vector<std::string>{"Library Group", "Park Run", "Town Walk"}));
  EXPECT_EQ(page["total_items"].as_int64(), 3);
  std::vector<pc::Point> places{near, further, town};
  for (std::size_t i = 0; i < places.size(); ++i) {
    const auto& item = page["contents"].as_array()[i].as_object();
    EXPECT_NEAR(item.at("distance").to_number<double>(), expected_m(kirkcaldy, places[i]), 0.5 + 1e-6);
    EXPECT_EQ(item.at("location_id"), item.at("location").at("id"));
    EXPECT_EQ(item.at("service_id"), item.at("service").at("id"));
    if (i) EXPECT_LE(expected_m(kirkcaldy, places[i - 1]), expected_m(kirkcaldy, places[i]));
  }
  EXPECT_EQ(res.body.find("Safe House"), std::string::npos);
  EXPECT_EQ(res.body.find("Beta Hall"), std::string::npos);

  // The boundary is the exact distance, not the box: just short of Park Run leaves it out.
  auto to_park = static_cast<std::int64_t>(std::floor(expected_m(kirkcaldy, further)));
  auto cut = json::parse(c.get("/openreferral/service_at_locations?postcode=KY1%201AA&proximity=" +
                               std::to_string(to_park - 1)).body).as_object();
  EXPECT_EQ(names(cut), (std::vector<std::string>{"Library Group"}));

  // Paged, still nearest first.
  auto second = json::parse(c.get("/openreferral/service_at_locations?postcode=KY1+1AA&proximity=5000&per_page=1&page=2").body).as_object();
  EXPECT_EQ(names(second), (std::vector<std::string>{"Park Run"}));
  EXPECT_EQ(second["total_pages"].as_int64(), 3);
  EXPECT_FALSE(second["last_page"].as_bool());

  // "Near KY1" uses the outcode's centre; with no proximity, every located place, nearest first.
  auto ky1 = at(s, "KY1");
  auto by_outcode = json::parse(c.get("/openreferral/service_at_locations?postcode=ky1").body).as_object();
  auto got = names(by_outcode);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got.back(), "St Andrews Larder");
  double last = -1;
  for (const auto& item : by_outcode["contents"].as_array()) {
    double d = item.at("distance").to_number<double>();
    EXPECT_GE(d, last);
    last = d;
  }
  EXPECT_NEAR(last, expected_m(ky1, standrews), 0.5 + 1e-6);

  // No postcode: every public place, located or not, in a stable order.
  auto all = json::parse(c.get("/openreferral/service_at_locations?per_page=10").body).as_object();
  EXPECT_EQ(all["total_items"].as_int64(), 5);
  EXPECT_EQ(all.at("contents").as_array()[0].as_object().if_contains("distance"), nullptr);

  test::Client b(s.port, "beta.test");
  auto beta = json::parse(b.get("/openreferral/service_at_locations?postcode=KY1%201AA&proximity=5000").body).as_object();
  EXPECT_EQ(names(beta), (std::vector<std::string>{"Beta Hall"}));
}

TEST(Postcodes, BadPostcodesAndDistancesAreRefusedPlainly) {
  test::TestServer s;
  load_fife(s);
  test::Client c(s.port, "alpha.test");
  auto unknown = c.get("/openreferral/service_at_locations?postcode=zz999zz&proximity=1000");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.header("content-type"), "application/problem+json");
  EXPECT_EQ(unknown.header("access-control-allow-origin"), "*");
  EXPECT_NE(unknown.body.find("We could not find the postcode ZZ99 9ZZ"), std::string::npos) << unknown.body;
  EXPECT_EQ(c.get("/openreferral/service_at_locations?postcode=ZZ99").status, 400);
  auto malformed = c.get("/openreferral/service_at_locations?postcode=hello&proximity=1000");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_NE(malformed.body.find(s.app->catalogue.t("en", "directory.api_bad_postcode")), std::string::npos)
      << malformed.body;
  for (const char* p : {"0", "-5", "abc", "5km", "inf", "nan", "1e12"}) {
    auto r = c.get(std::string("/openreferral/service_at_locations?postcode=KY1&proximity=") + p);
    EXPECT_EQ(r.status, 400) << p;
    EXPECT_NE(r.body.find(s.app->catalogue.t("en", "directory.api_bad_proximity")), std::string::npos) << p;
  }
  EXPECT_EQ(c.get("/openreferral/service_at_locations?proximity=1000").status, 400);
  EXPECT_EQ(c.get("/openreferral/service_at_locations?postcode=KY1&proximity=2500.5").status, 200);
}
