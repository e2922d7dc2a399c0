// Dates, numbers and plurals in the reader's language, with ICU's locale data (Debian libicu-dev),
// so "1,234" and "22 Tachwedd 2026" come out right and a count picks the plural form its language
// needs: English has one/other, Welsh all six of zero/one/two/few/many/other.
//
// Plural messages in a catalogue are objects of forms instead of strings:
//   "items": {"one": "{count} item", "other": "{count} items"}
// A language's file must hold every form its plural rules use (tests/i18n/catalogue_test.cpp
// checks this against ICU's rules); {count} is filled with the count, formatted for the language.
// A "zero" form may be added in any language and is then used for 0 (like ICU's "=0").
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "web/i18n.hpp"

namespace cp::web {

// ICU's locale for one of our language codes ("en" is British English, "cy" Welsh).
std::string icu_locale(const std::string& lang);
// "22 November 2026" / "22 Tachwedd 2026", in UK time (Europe/London).
std::string format_date(const std::string& lang, std::int64_t unix_seconds);
// A day kept as "YYYY-MM-DD" in the same words ("2026-11-22": "22 November 2026"). Text that is
// not such a day comes back as it is.
std::string format_day(const std::string& lang, const std::string& ymd);
// "12,345" in both English and Welsh; digits grouped as the language does.
std::string format_number(const std::string& lang, std::int64_t n);
// A decimal with at most `digits` fraction digits ("12.5").
std::string format_decimal(const std::string& lang, double v, int digits);
// The plural category of `n` in `lang`: "zero", "one", "two", "few", "many" or "other".
std::string plural_category(const std::string& lang, std::int64_t n);
// Every category the language's rules can give (English: one, other; Welsh: all six).
std::vector<std::string> plural_categories(const std::string& lang);
// The catalogue's plural message `key` for `n`, {count} and `args` filled in. Falls back to the
// "other" form, then to English, then to the key itself (so a gap shows, never a blank).
std::string plural(const Catalogue& cat, const std::string& lang, const std::string& key, std::int64_t n,
                   std::vector<std::pair<std::string, std::string>> args = {});

}  // namespace cp::web
