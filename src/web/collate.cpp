#include "web/collate.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>

namespace cp::web {

namespace {

// Primary weights. 1 is a word break; letters start at 0x20, digits before them; anything else
// that is a letter or number in another script sorts after z by code point.
constexpr std::uint32_t kSpace = 1;
constexpr std::uint32_t kDigit = 0x10;  // + digit value
constexpr std::uint32_t kOther = 0x1000;

// The extended Welsh order: the 29 Welsh letters, with k q v x z where English puts them.
const std::array<std::string_view, 34> kOrder = {"a",  "b", "c", "ch", "d",  "dd", "e", "f",  "ff", "g", "ng", "h",
                                                  "i",  "j", "k", "l",  "ll", "m",  "n", "o",  "p",  "ph", "q", "r",
                                                  "rh", "s", "t", "th", "u",  "v",  "w", "x",  "y",  "z"};

std::uint32_t weight_of(std::string_view letter) {
  for (std::size_t i = 0; i < kOrder.size(); ++i)
    if (kOrder[i] == letter) return 0x20 + static_cast<std::uint32_t>(i);
  return 0;
}

struct Folded {
  std::u32string base;                  // lower case, accents removed
  std::vector<std::uint8_t> accent;     // per base character: 0 plain, else a small accent number
  std::vector<std::uint8_t> upper;      // per base character: 1 when it was upper case
};

const icu::Normalizer2& nfd() {
  UErrorCode st = U_ZERO_ERROR;
  return *icu::Normalizer2::getNFDInstance(st);
}

Folded fold(std::string_view text) {
  Folded f;
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  UErrorCode st = U_ZERO_ERROR;
  icu::UnicodeString d = nfd().normalize(s, st);
  if (U_FAILURE(st)) d = s;
  for (int32_t i = 0; i < d.length();) {
    UChar32 c = d.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) {
      if (!f.accent.empty()) f.accent.back() = static_cast<std::uint8_t>(1 + (c & 0x3F));
      continue;
    }
    UChar32 lower = u_tolower(c);
    f.base.push_back(static_cast<char32_t>(lower));
    f.accent.push_back(0);
    f.upper.push_back(lower != c ? 1 : 0);
  }
  return f;
}

bool is_letter(char32_t c) { return u_isalpha(static_cast<UChar32>(c)); }

std::string ascii_word(const std::u32string& s, std::size_t from, std::size_t to) {
  std::string w;
  for (std::size_t i = from; i < to; ++i) w += s[i] < 0x80 ? static_cast<char>(s[i]) : '?';
  return w;
}

bool ng_is_two_letters(const std::u32string& s, std::size_t word_start, std::size_t word_end, std::size_t at) {
  // Llan + a mutated word: the n ends "llan".
  if (at == word_start + 3 && word_end - word_start > 5 && ascii_word(s, word_start, word_start + 4) == "llan") return true;
  auto word = ascii_word(s, word_start, word_end);
  for (const auto& w : ng_exceptions())
    if (word == w) return true;
  return false;
}

void put(std::string& key, std::uint32_t w) {
  // Two bytes per weight, never zero, so that a shorter key that is a prefix sorts first. Code
  // points too high to fit tie here and are told apart by the text at the end of the key.
  w = std::min<std::uint32_t>(w, 0xFEFE);
  key.push_back(static_cast<char>(0x01 + (w >> 8)));
  key.push_back(static_cast<char>(0x01 + (w & 0xFF)));
}

}  // namespace

const std::vector<std::string>& ng_exceptions() {
  static const std::vector<std::string> words = {"bangor", "bangoriaid", "dangoriad", "mangor", "singer", "congo"};
  return words;
}

std::string welsh_sort_key(std::string_view text) {
  Folded f = fold(text);
  const auto& s = f.base;
  std::string key;
  std::string second, third;
  std::size_t word_start = 0;
  bool last_space = true;
  for (std::size_t i = 0; i < s.size();) {
    char32_t c = s[i];
    if (!is_letter(c) && !u_isdigit(static_cast<UChar32>(c))) {
      // Spaces and hyphens separate words (so "Age Cymru" sorts before "Agenda"); other
      // punctuation is ignored, as in a phone book.
      if ((u_isspace(static_cast<UChar32>(c)) || c == U'-') && !last_space && !key.empty()) {
        put(key, kSpace);
        last_space = true;
      }
      ++i;
      word_start = i;
      continue;
    }
    if (last_space) word_start = i;
    last_space = false;
    std::size_t word_end = i;
    while (word_end < s.size() && is_letter(s[word_end])) ++word_end;
    std::uint32_t w = 0;
    std::size_t len = 1;
    if (u_isdigit(static_cast<UChar32>(c))) {
      w = kDigit + static_cast<std::uint32_t>(u_charDigitValue(static_cast<UChar32>(c)));
    } else if (c < 0x80) {
      if (i + 1 < s.size() && s[i + 1] < 0x80) {
        char pair[2] = {static_cast<char>(c), static_cast<char>(s[i + 1])};
        std::string_view two(pair, 2);
        std::uint32_t dw = weight_of(two);
        if (dw && !(two == "ng" && ng_is_two_letters(s, word_start, word_end, i))) w = dw, len = 2;
      }
      if (!w) {
        char one = static_cast<char>(c);
        w = weight_of(std::string_view(&one, 1));
      }
    }
    if (!w) w = kOther + static_cast<std::uint32_t>(c);
    put(key, w);
    second.push_back(static_cast<char>(1 + f.accent[i] + (len == 2 ? f.accent[i + 1] : 0)));
    third.push_back(static_cast<char>(1 + f.upper[i]));
    i += len;
  }
  // Level separators (0) sort before any weight byte, so a key that ends a level first sorts first.
  key.push_back('\0');
  key += second;
  key.push_back('\0');
  key += third;
  key.push_back('\0');
  key.append(text);
  return key;
}

int welsh_compare(std::string_view a, std::string_view b) {
  auto ka = welsh_sort_key(a), kb = welsh_sort_key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

std::string sort_key(const std::string& lang, std::string_view text) {
  if (lang == "cy") return welsh_sort_key(text);
  Folded f = fold(text);
  std::string key;
  for (char32_t c : f.base) put(key, static_cast<std::uint32_t>(c) & 0xFFFF);
  key.push_back('\0');
  key.append(text);
  return key;
}

}  // namespace cp::web
