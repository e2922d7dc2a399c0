// Pieces of the checker shared by its source files; not for other modules.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "modules/plain/plain.hpp"

namespace cp::plain::text {

inline constexpr char32_t kReplacement = 0xFFFD;

// Decodes the code point starting at s[i] and moves i past it. A malformed sequence gives U+FFFD
// and consumes its longest valid-looking prefix (at least one byte), as the Unicode standard
// recommends; `bad` is then set to true.
char32_t next_multibyte(std::string_view s, std::size_t& i, bool* bad);
inline char32_t next(std::string_view s, std::size_t& i, bool* bad = nullptr) {
  auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) {
    ++i;
    return b;
  }
  return next_multibyte(s, i, bad);
}
void append_utf8(std::string& out, char32_t c);

// What Python's re module calls \w on a str: letters and numbers of any script, and "_" —
// as of Unicode 14.0, the version the reference's Python 3.11 uses.
bool is_word_beyond_ascii(char32_t c);
inline bool is_word(char32_t c) {
  if (c < 0x80) return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9') || c == U'_';
  return is_word_beyond_ascii(c);
}
// Python's str.isspace(), which is also re's \s and what str.split() splits on.
bool is_space_beyond_ascii(char32_t c);
inline bool is_space(char32_t c) {
  if (c < 0x80) return c == U' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
  return is_space_beyond_ascii(c);
}
// Python's str.lower(): the full Unicode lower-case mapping ("İ" becomes "i" + U+0307).
std::string lower(std::string_view utf8);
// The same, into `out` (reusing its memory).
void lower_into(std::string_view utf8, std::string& out);
bool is_ascii(std::string_view s);

}  // namespace cp::plain::text

namespace cp::plain::detail {

// Syllables per headword from CMUdict, kept as one sorted buffer searched in place so that
// loading is one read and no per-word allocation.
class CmuTable {
 public:
  CmuTable() = default;
  CmuTable(const CmuTable&) = delete;  // the entries point into buf_
  CmuTable& operator=(const CmuTable&) = delete;
  void load(const std::string& path);
  std::optional<int> find(std::string_view word) const;
  std::size_t size() const { return entries_.size(); }

 private:
  std::string buf_;
  std::vector<std::pair<std::string_view, std::uint8_t>> entries_;
};

// Liang's hyphenation, as pyphen does it (the patterns of a hunspell .dic file, a minimum of two
// letters before the first break and after the last).
class Hyphenator {
 public:
  void load(const std::string& path);
  // Breaks found in `word` (already lower case) + 1.
  int syllables(const std::u32string& word) const;
  std::size_t patterns() const { return pattern_count_; }

 private:
  struct Node {
    std::vector<std::pair<char32_t, std::uint32_t>> kids;
    std::int32_t pattern = -1;
  };
  struct Pattern {
    std::uint32_t offset = 0;
    std::vector<std::uint8_t> values;
  };
  std::uint32_t child(std::uint32_t node, char32_t c) const;
  std::vector<Node> nodes_;
  std::vector<Pattern> patterns_;
  std::size_t pattern_count_ = 0;
};

// A word for the style checks: letters and digits with inner apostrophes, split at hyphens.
struct Token {
  std::size_t start = 0, end = 0;
  std::string lower;  // lower case, curly apostrophes made straight
  std::string gap;    // punctuation between the previous token and this one, spaces and hyphens removed
};
// Tokens of text[begin, end), appended to `out`.
void tokens(std::string_view text, std::size_t begin, std::size_t end, std::vector<Token>& out);
std::vector<Token> tokens(std::string_view text);

// A piece as textstat's sentence counter cuts it: from its first word character to the end of
// its run of . ! ?, with its word count.
struct Piece {
  std::size_t start = 0, end = 0;
  std::int64_t words = 0;
};
template <class F>
void for_each_piece(std::string_view text, std::size_t begin, std::size_t end, F&& on_piece);

// Line numbers for byte offsets.
class Lines {
 public:
  explicit Lines(std::string_view text);
  std::size_t line_of(std::size_t offset) const;

 private:
  std::vector<std::size_t> starts_;
};

// Long sentences and paragraphs, passive voice and jargon, block by block (a block is a
// paragraph, heading or list item), so that memory stays in proportion to the longest block.
void find_style_and_jargon(std::string_view text, const Limits& limits, const JargonList& base,
                           const JargonList* extra, Report& r);
void find_passive(const std::vector<Token>& toks, const Lines& lines, Report& r);
// `seen` maps each entry already copied into r.jargon_entries to its index there.
void find_jargon(const std::vector<Token>& toks, const JargonList& base, const JargonList* extra,
                 const Lines& lines, Report& r, std::unordered_map<const JargonEntry*, std::size_t>& seen);

// ---------------------------------------------------------------- implementation of the template

template <class F>
void for_each_piece(std::string_view text, std::size_t begin, std::size_t end, F&& on_piece) {
  std::string_view s = text.substr(0, end);
  bool active = false, in_stops = false, run_counted = false;
  Piece p;
  std::size_t i = begin;
  while (i < s.size()) {
    std::size_t at = i;
    char32_t c = text::next(s, i);
    bool stop = c == U'.' || c == U'!' || c == U'?';
    if (in_stops && !stop) {
      p.end = at;
      on_piece(p);
      active = in_stops = false;
    }
    if (!active) {
      // textstat's pattern starts at a word boundary: the first word character after a cut.
      if (text::is_word(c)) {
        active = true;
        run_counted = true;
        p = Piece{at, at, 1};
      }
      continue;
    }
    if (stop) {
      in_stops = true;
    } else if (text::is_space(c)) {
      run_counted = false;
    } else if (!run_counted && text::is_word(c)) {
      ++p.words;
      run_counted = true;
    }
  }
  if (active) {
    p.end = s.size();
    on_piece(p);
  }
}

}  // namespace cp::plain::detail
