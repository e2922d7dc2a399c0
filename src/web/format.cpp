#include "web/format.hpp"

#include <unicode/datefmt.h>
#include <unicode/dtptngen.h>
#include <unicode/numfmt.h>
#include <unicode/plurrule.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <ctime>
#include <map>
#include <memory>
#include <mutex>

namespace cp::web {

namespace {

std::string utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

// ICU's formatters are costly to build and not thread-safe to share while formatting, so each
// thread keeps its own, one per language.
template <class T, class Make>
T& per_thread(std::map<std::string, std::unique_ptr<T>>& cache, const std::string& lang, Make make) {
  auto& slot = cache[lang];
  if (!slot) slot = make();
  return *slot;
}

const icu::PluralRules& rules(const std::string& lang) {
  // PluralRules::select is const and thread-safe; one set per language for the process.
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<icu::PluralRules>> all;
  std::lock_guard lock(mu);
  auto& slot = all[lang];
  if (!slot) {
    UErrorCode st = U_ZERO_ERROR;
    slot.reset(icu::PluralRules::forLocale(icu::Locale(icu_locale(lang).c_str()), st));
    if (U_FAILURE(st) || !slot) {
      st = U_ZERO_ERROR;
      slot.reset(icu::PluralRules::createDefaultRules(st));
    }
  }
  return *slot;
}

}  // namespace

std::string icu_locale(const std::string& lang) { return lang == "cy" ? "cy_GB" : "en_GB"; }

std::string format_date(const std::string& lang, std::int64_t unix_seconds) {
  thread_local std::map<std::string, std::unique_ptr<icu::SimpleDateFormat>> cache;
  auto& f = per_thread(cache, lang, [&] {
    UErrorCode st = U_ZERO_ERROR;
    icu::Locale loc(icu_locale(lang).c_str());
    std::unique_ptr<icu::DateTimePatternGenerator> gen(icu::DateTimePatternGenerator::createInstance(loc, st));
    icu::UnicodeString pattern = U_SUCCESS(st) ? gen->getBestPattern(icu::UnicodeString("dMMMMy"), st)
                                               : icu::UnicodeString("d MMMM y");
    if (U_FAILURE(st)) st = U_ZERO_ERROR, pattern = "d MMMM y";
    auto fmt = std::make_unique<icu::SimpleDateFormat>(pattern, loc, st);
    fmt->adoptTimeZone(icu::TimeZone::createTimeZone("Europe/London"));
    return fmt;
  });
  icu::UnicodeString out;
  f.format(static_cast<UDate>(unix_seconds) * 1000.0, out);
  return utf8(out);
}

std::string format_day(const std::string& lang, const std::string& ymd) {
  auto digits = [&](std::size_t from, std::size_t n) {
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (ymd[i] < '0' || ymd[i] > '9') return -1;
      v = v * 10 + (ymd[i] - '0');
    }
    return v;
  };
  if (ymd.size() != 10 || ymd[4] != '-' || ymd[7] != '-') return ymd;
  int y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31) return ymd;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = d;
  tm.tm_hour = 12;  // noon UTC is the same day in UK time all year
  return format_date(lang, static_cast<std::int64_t>(timegm(&tm)));
}

std::string format_number(const std::string& lang, std::int64_t n) {
  thread_local std::map<std::string, std::unique_ptr<icu::NumberFormat>> cache;
  auto& f = per_thread(cache, lang, [&] {
    UErrorCode st = U_ZERO_ERROR;
    return std::unique_ptr<icu::NumberFormat>(icu::NumberFormat::createInstance(icu::Locale(icu_locale(lang).c_str()), st));
  });
  icu::UnicodeString out;
  f.format(static_cast<int64_t>(n), out);
  return utf8(out);
}

std::string format_decimal(const std::string& lang, double v, int digits) {
  thread_local std::map<std::string, std::unique_ptr<icu::NumberFormat>> cache;
  auto& f = per_thread(cache, lang, [&] {
    UErrorCode st = U_ZERO_ERROR;
    return std::unique_ptr<icu::NumberFormat>(icu::NumberFormat::createInstance(icu::Locale(icu_locale(lang).c_str()), st));
  });
  f.setMaximumFractionDigits(digits);
  f.setMinimumFractionDigits(0);
  icu::UnicodeString out;
  f.format(v, out);
  return utf8(out);
}

std::string plural_category(const std::string& lang, std::int64_t n) {
  return utf8(rules(lang).select(static_cast<int32_t>(std::min<std::int64_t>(std::max<std::int64_t>(n, -2000000000), 2000000000))));
}

std::vector<std::string> plural_categories(const std::string& lang) {
  UErrorCode st = U_ZERO_ERROR;
  std::unique_ptr<icu::StringEnumeration> e(rules(lang).getKeywords(st));
  std::vector<std::string> out;
  if (U_FAILURE(st) || !e) return {"other"};
  while (const char* k = e->next(nullptr, st)) {
    if (U_FAILURE(st)) break;
    out.emplace_back(k);
  }
  return out;
}

std::string plural(const Catalogue& cat, const std::string& lang, const std::string& key, std::int64_t n,
                   std::vector<std::pair<std::string, std::string>> args) {
  args.emplace_back("count", format_number(lang, n));
  for (const std::string& l : {lang, std::string("en")}) {
    // An explicit "zero" form is used for 0 in any language ("No words yet" reads better than
    // "0 words"), as ICU's "=0" selector is.
    if (n == 0 && cat.has(l, key + "#zero")) return cat.t(l, key + "#zero", args);
    for (const std::string& form : {plural_category(l, n), std::string("other")}) {
      std::string k = key + "#" + form;
      if (cat.has(l, k)) return cat.t(l, k, args);
    }
  }
  return key;
}

}  // namespace cp::web
