#include "web/bilingual.hpp"

#include <algorithm>
#include <cctype>

namespace cp::web {

namespace {

bool blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

}  // namespace

Shown pick(const Bilingual& b, const std::string& reader_lang) {
  const bool wants_cy = reader_lang == "cy";
  const std::string& own = wants_cy ? b.cy : b.en;
  const std::string& alt = wants_cy ? b.en : b.cy;
  if (!blank(own)) return {own, wants_cy ? "cy" : "en", false};
  if (!blank(alt)) return {alt, wants_cy ? "en" : "cy", true};
  return {"", wants_cy ? "cy" : "en", false};
}

Data bilingual_data(const Bilingual& b, const std::string& reader_lang) {
  const Shown s = pick(b, reader_lang);
  Data d;
  d.set("text", s.text);
  d.set("lang", s.lang);
  d.set("other", s.other);
  d.set("only_en", s.other && s.lang == "en");
  d.set("only_cy", s.other && s.lang == "cy");
  return d;
}

bool has_both(const Bilingual& b) { return !blank(b.en) && !blank(b.cy); }

}  // namespace cp::web
