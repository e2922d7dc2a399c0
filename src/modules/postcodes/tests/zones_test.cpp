// SIMD deciles by postcode: the zones loader is all or nothing and names the line and field of a
// problem; simd_decile answers through the two links, and "unknown" (nullopt) without them.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include <unistd.h>

#include "modules/postcodes/postcodes.hpp"
#include "support/harness.hpp"

namespace cp {
namespace {

namespace pc = modules::postcodes;

struct Zones : ::testing::Test {
  test::TestApp t;
  std::string dir = "/tmp/coproduce-zones-test-" + std::to_string(::getpid());
  std::string simd = dir + "/simd.csv";

  void SetUp() override {
    std::system(("mkdir -p " + dir).c_str());
    std::ofstream(simd) << "\xEF\xBB\xBF" "DZ,decile,la_name\nS01009001,3,Fife\nS01009002,10,\"Edinburgh, City of\"\n";
  }
  void TearDown() override { std::system(("rm -rf " + dir).c_str()); }

  std::string file(const std::string& name, const std::string& text) {
    std::ofstream(dir + "/" + name) << text;
    return dir + "/" + name;
  }
  std::optional<int> decile(const std::string& postcode) {
    auto w = t.app->work(t.alpha.id, {}, store::Transaction::Mode::read);
    return pc::simd_decile(w.scope(), postcode);
  }
  std::string version() {
    auto w = t.app->work(t.alpha.id, {}, store::Transaction::Mode::read);
    return pc::zones_version(w.scope());
  }
};

TEST_F(Zones, LoadsBothLinksAndAnswersByPostcode) {
  EXPECT_FALSE(decile("KY1 1AB"));
  EXPECT_EQ(version(), "0");
  auto r = pc::load_zones(*t.app->db, file("z.csv", "pcds,DataZone2011Code,extra\nky11ab,S01009001,a\nEH1 1AA,S01009002,b\n"),
                          simd);
  EXPECT_EQ(r.postcodes, 2);
  EXPECT_EQ(r.zones, 2);
  EXPECT_EQ(decile("KY1 1AB"), 3);
  EXPECT_EQ(decile("eh11aa"), 10);
  EXPECT_FALSE(decile("KY1"));      // an outcode has no data zone
  EXPECT_FALSE(decile("KY9 9ZZ"));  // not in the file
  auto v = version();
  EXPECT_NE(v, "0");
  {
    auto w = t.app->work(t.alpha.id, {}, store::Transaction::Mode::read);
    auto many = pc::simd_deciles(w.scope(), {"KY1 1AB", "EH1 1AA", "KY9 9ZZ", ""});
    EXPECT_EQ(many.size(), 2u);
    EXPECT_EQ(many["EH1 1AA"], 10);
  }
  // Loading again replaces the links, and the version moves on.
  pc::load_zones(*t.app->db, file("z2.csv", "postcode,datazone\nKY1 1AB,S01009002\n"), simd);
  EXPECT_EQ(decile("KY1 1AB"), 10);
  EXPECT_FALSE(decile("EH1 1AA"));
  EXPECT_NE(version(), v);
}

TEST_F(Zones, ABadRowLoadsNothingAndSaysWhere) {
  pc::load_zones(*t.app->db, file("ok.csv", "postcode,DZ\nKY1 1AB,S01009001\n"), simd);
  struct Case {
    std::string text, key, field;
    std::int64_t line;
  };
  for (const auto& c : std::vector<Case>{
           {"postcode,DZ\nKY1 1AB,S01009002\nnot a postcode,S01009001\n", "postcodes.error_not_postcode", "postcode", 3},
           {"postcode,DZ\nKY1 1AB,S0100900\n", "postcodes.error_not_zone", "DZ", 2},
           {"postcode,DZ\nKY1 1AB,S01000001\n", "postcodes.error_unknown_zone", "DZ", 2},
           {"postcode,DZ\nKY1 1AB,S01009002\nky1 1ab,S01009002\n", "postcodes.error_duplicate", "postcode", 3},
           {"postcode,DZ\nKY1 1AB\n", "postcodes.error_columns", "", 2},
           {"postcode,zone_name\nKY1 1AB,x\n", "postcodes.error_no_column", "datazone2011code", 1}}) {
    try {
      pc::load_zones(*t.app->db, file("bad.csv", c.text), simd);
      ADD_FAILURE() << "loaded: " << c.text;
    } catch (const pc::LoadError& e) {
      EXPECT_EQ(e.key, c.key) << c.text;
      EXPECT_EQ(e.field, c.field) << c.text;
      EXPECT_EQ(e.line, c.line) << c.text;
      EXPECT_EQ(e.file, dir + "/bad.csv");
      EXPECT_NE(pc::describe(*t.app, e).find("line " + std::to_string(c.line)), std::string::npos);
    }
    EXPECT_EQ(decile("KY1 1AB"), 3) << "nothing changed after: " << c.text;
  }
  // A bad SIMD table is refused too.
  auto bad_simd = file("simd_bad.csv", "DZ,decile,la_name\nS01009001,11,Fife\n");
  try {
    pc::load_zones(*t.app->db, file("ok2.csv", "postcode,DZ\nKY1 1AB,S01009001\n"), bad_simd);
    ADD_FAILURE() << "loaded a decile of 11";
  } catch (const pc::LoadError& e) {
    EXPECT_EQ(e.key, "postcodes.error_decile");
    EXPECT_EQ(e.line, 2);
    EXPECT_EQ(e.file, bad_simd);
  }
}

TEST_F(Zones, TheShippedTableHasEveryDataZone) {
  auto r = pc::load_zones(*t.app->db, file("one.csv", "postcode,DZ\nKY1 1AB,S01006506\n"),
                          t.app->cfg.share_dir + "/data/simd/simd2020v2_deciles.csv");
  EXPECT_EQ(r.zones, 6976);
  EXPECT_EQ(decile("KY1 1AB"), 7);  // S01006506, Culter - 01, Aberdeen City: decile 7
}

}  // namespace
}  // namespace cp
