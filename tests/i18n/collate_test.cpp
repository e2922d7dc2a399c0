// Welsh alphabetical order, on real Welsh words and place names.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "web/collate.hpp"

using cp::web::welsh_less;

namespace {

// Each list is in Welsh dictionary order; the test shuffles and sorts it back.
void expect_sorts_back(std::vector<std::string> want) {
  auto got = want;
  std::mt19937 rng(7);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(got.begin(), got.end(), rng);
    cp::web::sort_welsh(got, [](const std::string& s) { return s; });
    EXPECT_EQ(got, want);
  }
}

}  // namespace

TEST(WelshOrder, DigraphsAreLettersAfterTheirFirstLetter) {
  // c < ch, d < dd, f < ff, g < ng < h, l < ll, p < ph, r < rh, t < th.
  expect_sorts_back({"cyw", "chwarae", "dyn", "ddoe", "fel", "ffordd", "gwyn", "ngwlad", "haf", "lwc", "llaeth",
                     "pysgod", "phobl", "rwan", "rhedeg", "tywydd", "theatr"});
  EXPECT_TRUE(welsh_less("cyw", "chwarae"));   // English order would say the opposite
  EXPECT_TRUE(welsh_less("Lyn", "Lloyd"));
  EXPECT_TRUE(welsh_less("angen", "angor"));  // a-ng-e before a-ng-o
  EXPECT_TRUE(welsh_less("angen", "anadl"));  // ng comes before n
}

TEST(WelshOrder, PlaceNames) {
  expect_sorts_back({"Abertawe", "Bangor", "Bethesda", "Caerdydd", "Conwy", "Cymru", "Chwilog", "Dinbych",
                     "Dolgellau", "Eglwys-bach", "Fali", "Ffestiniog", "Glynebwy", "Harlech", "Lerpwl", "Llanberis",
                     "Llandudno", "Llangollen", "Llannerch", "Llanrwst", "Machynlleth", "Nefyn", "Porthmadog",
                     "Pwllheli", "Radur", "Rhaeadr", "Rhuthun", "Tywyn", "Theatr Clwyd", "Wrecsam", "Y Fenni",
                     "Ynys Môn"});
}

TEST(WelshOrder, NgAfterLlanAndInBangorIsTwoLetters) {
  // "bangaw" has the letter ng, which comes before n; Bangor is b-a-n-g-o-r, so after it, and
  // before "bant" (g before t).
  EXPECT_TRUE(welsh_less("bangaw", "Bangor"));
  EXPECT_TRUE(welsh_less("Bangor", "bant"));
  // Llan + gollen: n then g, so after Llanfair (f before g). Were ng one letter it would come first.
  EXPECT_TRUE(welsh_less("Llanfair", "Llangollen"));
  // Not after "llan" at the start of a word: "dangos" has the letter ng, so it comes before "dannedd".
  EXPECT_TRUE(welsh_less("dangos", "dannedd"));
}

TEST(WelshOrder, AccentsCountOnlyToBreakTies) {
  expect_sorts_back({"tan", "tân", "tanc", "ty", "tŷ", "tyfu"});
  EXPECT_TRUE(welsh_less("Ŵyr", "wyres"));  // accent and case ignored at first: w-y-r before w-y-r-e
  EXPECT_TRUE(welsh_less("wyr", "Wyr"));    // then lower case first
  EXPECT_EQ(cp::web::welsh_compare("Môn", "Môn"), 0);
}

TEST(WelshOrder, SpacesPunctuationAndOtherScripts) {
  EXPECT_TRUE(welsh_less("Age Cymru", "Agenda"));
  EXPECT_TRUE(welsh_less("St. Asaph", "Stryd"));  // the full stop is ignored, the space is not
  EXPECT_TRUE(welsh_less("2 Sisters", "Abertawe"));
  EXPECT_TRUE(welsh_less("zebra", "Ελλάδα"));
  EXPECT_TRUE(welsh_less("", "a"));
  // Bad UTF-8 and emoji sort somewhere, and consistently.
  std::string bad = "ab\xff\xfe";
  EXPECT_EQ(cp::web::welsh_compare(bad, bad), 0);
  EXPECT_NE(cp::web::welsh_compare("😀", "a"), 0);
}
