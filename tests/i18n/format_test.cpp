// Dates, numbers and plurals per language through ICU, and plural messages from the catalogue.
#include <gtest/gtest.h>

#include "web/format.hpp"

using namespace cp::web;

TEST(Format, DatesInEnglishAndWelsh) {
  // 2026-11-22 12:00 UTC; and 2026-07-01 23:30 UTC, which is already 2 July in UK summer time.
  EXPECT_EQ(format_date("en", 1795348800), "22 November 2026");
  EXPECT_EQ(format_date("cy", 1795348800), "22 Tachwedd 2026");
  EXPECT_EQ(format_date("en", 1782948600), "2 July 2026");
  EXPECT_EQ(format_date("cy", 1782948600), "2 Gorffennaf 2026");
}

TEST(Format, StoredDaysInEnglishAndWelsh) {
  // A day kept as YYYY-MM-DD is that day in the UK, summer or winter, in either language.
  EXPECT_EQ(format_day("en", "2026-11-22"), "22 November 2026");
  EXPECT_EQ(format_day("cy", "2026-11-22"), "22 Tachwedd 2026");
  EXPECT_EQ(format_day("en", "2026-07-01"), "1 July 2026");
  EXPECT_EQ(format_day("cy", "2030-06-15"), "15 Mehefin 2030");
  // Anything else is shown as it was given, never as some other day.
  for (const char* odd : {"", "2026-11-2", "2026-13-01", "2026-00-10", "2026-11-32", "22/11/2026", "2026-1a-01", "soon"})
    EXPECT_EQ(format_day("en", odd), odd) << odd;
}

TEST(Format, NumbersAreGrouped) {
  EXPECT_EQ(format_number("en", 1234567), "1,234,567");
  EXPECT_EQ(format_number("cy", 1234567), "1,234,567");
  EXPECT_EQ(format_number("en", -5), "-5");
  EXPECT_EQ(format_decimal("en", 12.345, 1), "12.3");
  EXPECT_EQ(format_decimal("cy", 12.0, 1), "12");
}

TEST(Format, WelshHasSixPluralCategories) {
  EXPECT_EQ(plural_category("cy", 0), "zero");
  EXPECT_EQ(plural_category("cy", 1), "one");
  EXPECT_EQ(plural_category("cy", 2), "two");
  EXPECT_EQ(plural_category("cy", 3), "few");
  EXPECT_EQ(plural_category("cy", 6), "many");
  EXPECT_EQ(plural_category("cy", 4), "other");
  EXPECT_EQ(plural_category("cy", 100), "other");
  EXPECT_EQ(plural_category("en", 1), "one");
  EXPECT_EQ(plural_category("en", 0), "other");
  EXPECT_EQ(plural_categories("cy").size(), 6u);
  EXPECT_EQ(plural_categories("en").size(), 2u);
}

TEST(Format, PluralMessagesPickTheirForm) {
  Catalogue c;
  c.add("en", "m.dogs#one", "{count} dog");
  c.add("en", "m.dogs#other", "{count} dogs in {place}");
  c.add("cy", "m.dogs#zero", "dim cŵn");
  c.add("cy", "m.dogs#one", "{count} ci");
  c.add("cy", "m.dogs#two", "{count} gi");
  c.add("cy", "m.dogs#few", "{count} chi");
  c.add("cy", "m.dogs#many", "{count} chi");
  c.add("cy", "m.dogs#other", "{count} ci");
  EXPECT_EQ(plural(c, "en", "m.dogs", 1), "1 dog");
  EXPECT_EQ(plural(c, "en", "m.dogs", 1200, {{"place", "Bangor"}}), "1,200 dogs in Bangor");
  EXPECT_EQ(plural(c, "cy", "m.dogs", 0), "dim cŵn");
  EXPECT_EQ(plural(c, "cy", "m.dogs", 2), "2 gi");
  EXPECT_EQ(plural(c, "cy", "m.dogs", 3), "3 chi");
  EXPECT_EQ(plural(c, "cy", "m.dogs", 6), "6 chi");
  EXPECT_EQ(plural(c, "cy", "m.dogs", 5), "5 ci");
  // A language with no text for the key falls back to English; an unknown key shows itself.
  EXPECT_EQ(plural(c, "gd", "m.dogs", 1), "1 dog");
  EXPECT_EQ(plural(c, "en", "m.cats", 1), "m.cats");
}
