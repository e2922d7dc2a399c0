// The suppression rule on hand-made tables (no database needed).
#include <gtest/gtest.h>

#include "modules/lens/lens.hpp"

using cp::modules::lens::Hide;
using cp::modules::lens::suppress;

namespace {
std::string show(const cp::modules::lens::Suppressed& s) {
  std::string out;
  for (auto h : s.cells) out += h == Hide::no ? '.' : h == Hide::small ? 'S' : 'x';
  out += '|';
  out += s.total == Hide::no ? '.' : s.total == Hide::small ? 'S' : 'x';
  return out;
}
}  // namespace

TEST(LensSuppress, PrimaryHidesOneToFourButNotZeroOrFive) {
  EXPECT_EQ(show(suppress({0, 1, 2, 3, 4, 5, 6}, std::nullopt)), ".SSSS..|.");
  EXPECT_EQ(show(suppress({}, std::nullopt)), "|.");
  EXPECT_EQ(show(suppress({}, 0)), "|.");
}

TEST(LensSuppress, WithoutAPublishedTotalThereIsNoSecondary) {
  EXPECT_EQ(show(suppress({3, 10, 20}, std::nullopt)), "S..|.");
}

TEST(LensSuppress, OneHiddenCellHidesTheNextSmallest) {
  // 3 + 10 + 20 = 33: with 10 and 20 shown, 33 - 30 would give the 3 away.
  EXPECT_EQ(show(suppress({3, 10, 20}, 33)), "Sx.|.");
  // Ties: the first of the equals goes.
  EXPECT_EQ(show(suppress({12, 2, 12, 30}, 56)), "xS..|.");
  // Zeros are never the second cell: hiding a 0 protects nothing.
  EXPECT_EQ(show(suppress({0, 4, 9}, 13)), ".Sx|.");
}

TEST(LensSuppress, TwoHiddenCellsNeedNoMore) {
  EXPECT_EQ(show(suppress({1, 2, 40}, 43)), "SS.|.");
  EXPECT_EQ(show(suppress({1, 6, 2, 10, 0, 0}, 19)), "S.S...|.");
}

TEST(LensSuppress, WhenOnlyZerosAreLeftTheTotalGoes) {
  EXPECT_EQ(show(suppress({0, 7, 0}, 7)), "...|.");  // nothing small: nothing hidden
  EXPECT_EQ(show(suppress({0, 3, 0}, 3)), ".S.|S");  // a small total hides itself
  // 6 = 0 + 0 + 6 would be fine; but a cell of 4 with only zeros beside it leaves the total to go.
  EXPECT_EQ(show(suppress({4, 0, 0}, 9)), "S..|x");
}

TEST(LensSuppress, ASmallTotalIsHiddenAndItsCellsToo) {
  EXPECT_EQ(show(suppress({1, 0, 3}, 4)), "S.S|S");
}

TEST(LensSuppress, CellsShowHowTheyRead) {
  using cp::modules::lens::Cell;
  using cp::modules::lens::cell_export;
  EXPECT_EQ(cell_export(Cell::number(12)), "12");
  EXPECT_EQ(cell_export(Cell::number(3, Hide::small)), "<5");
  EXPECT_EQ(cell_export(Cell::number(40, Hide::secondary)), "[s]");
  EXPECT_EQ(cell_export(Cell::decimal(2.24, false, 1)), "2.2");
  EXPECT_EQ(cell_export(Cell::decimal(2.2, true, 1)), "[s]");
  EXPECT_EQ(cell_export(Cell::decimal(std::nullopt, true, 1)), "");
  EXPECT_EQ(cell_export(Cell::percent(7, 10, false)), "70");
  EXPECT_EQ(cell_export(Cell::percent(0, 0, false)), "");
  EXPECT_EQ(cell_export(Cell::decimal(-0.01, false, 1)), "0.0");
}
