// Unicode questions the counting asks, answered the way Python 3.11 answers them for textstat:
// which characters are word characters, which are whitespace, and how a word is lower-cased.
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <array>
#include <bitset>
#include <memory>

#include "modules/plain/internal.hpp"

namespace cp::plain::text {

namespace {

bool cont(unsigned char b) { return (b & 0xC0) == 0x80; }

bool word_by_icu(char32_t c) {
  auto cp = static_cast<UChar32>(c);
  // Characters new in Unicode 15 were unassigned for the reference's Python, so not \w there.
  UVersionInfo age;
  u_charAge(cp, age);
  if (age[0] > 14 || (age[0] == 14 && age[1] > 0)) return false;
  return u_isalpha(cp) || u_getIntPropertyValue(cp, UCHAR_NUMERIC_TYPE) != U_NT_NONE;
}

// Asking ICU costs a few lookups, and almost all text is in the Basic Multilingual Plane, so its
// answers there are worked out once.
const std::bitset<0x10000>& bmp_words() {
  static const auto table = [] {
    auto t = std::make_unique<std::bitset<0x10000>>();
    for (char32_t c = 0; c < 0x10000; ++c)
      if (c == U'_' || word_by_icu(c)) t->set(c);
    return t;
  }();
  return *table;
}

}  // namespace

char32_t next_multibyte(std::string_view s, std::size_t& i, bool* bad) {
  auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t n = s.size();
  auto at = [&](std::size_t k) { return i + k < n ? static_cast<unsigned char>(s[i + k]) : 0; };
  int len = 0;
  char32_t c = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    c = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    c = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;  // no overlong forms
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    c = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  }
  if (len == 0) {
    ++i;
    if (bad) *bad = true;
    return kReplacement;
  }
  for (int k = 1; k < len; ++k) {
    unsigned char b = at(static_cast<std::size_t>(k));
    bool ok = k == 1 ? (b >= lo && b <= hi) : cont(b);
    if (!ok) {
      i += static_cast<std::size_t>(k);
      if (bad) *bad = true;
      return kReplacement;
    }
    c = (c << 6) | (b & 0x3F);
  }
  i += static_cast<std::size_t>(len);
  return c;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

bool is_word_beyond_ascii(char32_t c) {
  if (c < 0x10000) return bmp_words().test(c);
  return c <= 0x10FFFF && word_by_icu(c);
}

bool is_space_beyond_ascii(char32_t c) {
  // The fixed list CPython generates from the Unicode database (category Zs, or bidirectional
  // class WS, B or S); it has not changed since Unicode 6.3.
  switch (c) {
    case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D:
    case 0x1C: case 0x1D: case 0x1E: case 0x1F: case 0x20:
    case 0x85: case 0xA0: case 0x1680:
    case 0x2000: case 0x2001: case 0x2002: case 0x2003: case 0x2004: case 0x2005:
    case 0x2006: case 0x2007: case 0x2008: case 0x2009: case 0x200A:
    case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
      return true;
    default:
      return false;
  }
}

bool is_ascii(std::string_view s) {
  for (char ch : s)
    if (static_cast<unsigned char>(ch) >= 0x80) return false;
  return true;
}

void lower_into(std::string_view utf8, std::string& out) {
  out.clear();
  if (is_ascii(utf8)) {
    out.append(utf8);
    for (char& ch : out)
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    return;
  }
  if (utf8.size() > 0x7FFFFFFF) {  // beyond ICU's lengths; no real word is this long
    out.append(utf8);
    return;
  }
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  u.toLower(icu::Locale::getRoot());
  u.toUTF8String(out);
}

std::string lower(std::string_view utf8) {
  std::string out;
  lower_into(utf8, out);
  return out;
}

}  // namespace cp::plain::text
