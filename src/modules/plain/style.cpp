// Things an author can fix: long sentences, long paragraphs and passive voice.
//
// Sentences here are textstat's pieces (so they agree with the sentence count), except that a
// blank line or the start of a list item also ends one: a heading or a bullet list without full
// stops is not one long sentence to a reader, although textstat counts it into the next sentence.
#include <algorithm>
#include <array>

#include "modules/plain/internal.hpp"

namespace cp::plain::detail {

Lines::Lines(std::string_view text) {
  starts_.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts_.push_back(i + 1);
}

std::size_t Lines::line_of(std::size_t offset) const {
  return static_cast<std::size_t>(std::upper_bound(starts_.begin(), starts_.end(), offset) - starts_.begin());
}

namespace {

bool is_hyphen(char32_t c) { return c == U'-' || c == 0x2010 || c == 0x2011; }
bool is_apostrophe(char32_t c) { return c == U'\'' || c == 0x2019; }

// Blank lines and list items split the text into blocks; each is a paragraph, a heading or an item.
bool blank(std::string_view line) {
  for (std::size_t i = 0; i < line.size();)
    if (!text::is_space(text::next(line, i))) return false;
  return true;
}

bool starts_list_item(std::string_view line) {
  std::size_t i = 0;
  char32_t c = 0;
  while (i < line.size()) {
    c = text::next(line, i);
    if (c != U' ' && c != U'\t') break;
  }
  auto space_follows = [&] { return i < line.size() && (line[i] == ' ' || line[i] == '\t'); };
  switch (c) {
    case 0x2022: case 0x25E6: case 0x25AA: case 0x2023: case 0x2043:  // bullets
    case U'-': case U'*': case U'+': case 0x2013: case 0x2014:        // hyphen, star, plus, dashes
      return space_follows();
    default:
      break;
  }
  if (c < U'0' || c > U'9') return false;
  int digits = 1;
  while (i < line.size() && line[i] >= '0' && line[i] <= '9' && digits < 4) ++i, ++digits;
  if (i >= line.size() || (line[i] != '.' && line[i] != ')')) return false;
  ++i;
  return space_follows();
}

struct Block {
  std::size_t start, end;
};

std::vector<Block> blocks(std::string_view text) {
  std::vector<Block> out;
  bool open = false;
  std::size_t start = 0, last_end = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t nl = text.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, end - pos);
    if (blank(line)) {
      if (open) out.push_back({start, last_end});
      open = false;
    } else {
      if (open && starts_list_item(line)) out.push_back({start, last_end});
      if (!open || starts_list_item(line)) start = pos;
      open = true;
      last_end = end;
    }
    pos = end + 1;
  }
  if (open) out.push_back({start, last_end});
  return out;
}

const std::array<std::string_view, 8> kBe = {"am", "is", "are", "was", "were", "be", "been", "being"};
// Words that may stand between "be" and the participle: "is not needed", "was always given".
const std::array<std::string_view, 14> kBetween = {"not",    "never", "also",  "always", "often",
                                                    "already", "now",  "still", "just",   "being",
                                                    "usually", "all",  "both",  "then"};
// Past participles that do not end in -ed.
const std::array<std::string_view, 96> kIrregular = {
    "arisen",  "awoken",   "beaten",   "become",  "begun",     "bent",      "bitten",     "blown",
    "born",    "borne",    "bought",   "bound",   "broken",    "brought",   "built",      "burnt",
    "caught",  "chosen",   "cut",      "dealt",   "done",      "drawn",     "driven",     "eaten",
    "fallen",  "fed",      "felt",     "forbidden", "forgiven", "forgotten", "found",     "frozen",
    "given",   "grown",    "heard",    "held",    "hidden",    "hit",       "hung",       "hurt",
    "kept",    "known",    "laid",     "led",     "left",      "lent",      "lit",        "lost",
    "made",    "meant",    "met",      "misled",  "overseen",  "overtaken", "paid",       "put",
    "read",    "rebuilt",  "rewritten", "ridden", "rung",      "said",      "seen",       "sent",
    "set",     "shaken",   "shown",    "shut",    "sold",      "sought",    "spent",      "split",
    "spoken",  "spread",   "stolen",   "struck",  "stuck",     "sung",      "sworn",      "swept",
    "taken",   "taught",   "thought",  "thrown",  "told",      "torn",      "understood", "undertaken",
    "upheld",  "withdrawn", "woken",   "won",     "worn",      "written",   "withheld",   "undone"};
// Words ending in -ed that are not past participles.
const std::array<std::string_view, 28> kNotParticiple = {
    "need",   "feed",    "seed",    "speed",  "deed",  "indeed", "weed",   "bleed",  "breed",  "creed",
    "greed",  "heed",    "proceed", "exceed", "succeed", "steed", "bed",   "red",    "shed",   "wed",
    "hundred", "sacred", "naked",   "wicked", "kindred", "ragged", "rugged", "jagged"};

template <std::size_t N>
bool in(const std::array<std::string_view, N>& list, std::string_view w) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

bool participle(std::string_view w) {
  if (in(kIrregular, w)) return true;
  return w.size() >= 4 && w.substr(w.size() - 2) == "ed" && !in(kNotParticiple, w);
}

bool between_word(std::string_view w) {
  return in(kBetween, w) || (w.size() > 4 && w.substr(w.size() - 2) == "ly");
}

}  // namespace

void tokens(std::string_view text, std::size_t begin, std::size_t end, std::vector<Token>& out) {
  std::string_view s = text.substr(0, end);
  std::string gap;
  Token cur;
  bool in_word = false;
  std::size_t pending_apostrophe = 0;  // where an apostrophe inside the current word started
  bool have_apostrophe = false;
  auto close = [&](std::size_t at) {
    cur.end = at;
    if (!text::is_ascii(cur.lower)) cur.lower = text::lower(cur.lower);
    out.push_back(std::move(cur));
    cur = Token{};
    in_word = false;
  };
  for (std::size_t i = begin; i < s.size();) {
    std::size_t at = i;
    char32_t c = text::next(s, i);
    if (text::is_word(c)) {
      if (!in_word) {
        cur.start = at;
        cur.gap = std::move(gap);
        gap.clear();
        in_word = true;
      } else if (have_apostrophe) {
        cur.lower += '\'';
      }
      have_apostrophe = false;
      if (c < 0x80) cur.lower += static_cast<char>(c >= U'A' && c <= U'Z' ? c - U'A' + U'a' : c);
      else text::append_utf8(cur.lower, c);
      continue;
    }
    if (in_word && is_apostrophe(c) && !have_apostrophe) {
      // Kept only if a letter follows ("don't"); otherwise it closes the word.
      have_apostrophe = true;
      pending_apostrophe = at;
      continue;
    }
    if (in_word) {
      close(have_apostrophe ? pending_apostrophe : at);
      if (have_apostrophe) gap += '\'';
      have_apostrophe = false;
    }
    if (!text::is_space(c) && !is_hyphen(c)) text::append_utf8(gap, is_apostrophe(c) ? U'\'' : c);
  }
  if (in_word) close(have_apostrophe ? pending_apostrophe : s.size());
}

std::vector<Token> tokens(std::string_view text) {
  std::vector<Token> out;
  tokens(text, 0, text.size(), out);
  return out;
}

void find_passive(const std::vector<Token>& toks, const Lines& lines, Report& r) {
  // A form of "be", up to two small words, then a past participle, with nothing but spaces
  // between them.
  for (std::size_t i = 0; i < toks.size(); ++i) {
    if (!in(kBe, toks[i].lower)) continue;
    std::size_t j = i + 1;
    while (j < toks.size() && j <= i + 2 && toks[j].gap.empty() && between_word(toks[j].lower) &&
           !participle(toks[j].lower))
      ++j;
    if (j < toks.size() && toks[j].gap.empty() && participle(toks[j].lower)) {
      Span sp;
      sp.start = toks[i].start;
      sp.end = toks[j].end;
      sp.line = lines.line_of(sp.start);
      r.passive.push_back(sp);
      i = j;
    }
  }
}

void find_style_and_jargon(std::string_view text, const Limits& limits, const JargonList& base,
                           const JargonList* extra, Report& r) {
  Lines lines(text);
  std::vector<Token> toks;
  std::unordered_map<const JargonEntry*, std::size_t> seen;
  for (const Block& b : blocks(text)) {
    std::int64_t sentences = 0;
    for_each_piece(text, b.start, b.end, [&](const Piece& p) {
      if (p.words > 2) ++sentences;
      if (p.words > limits.sentence_words) {
        LongSentence ls;
        ls.start = p.start;
        ls.end = p.end;
        ls.line = lines.line_of(p.start);
        ls.words = p.words;
        r.long_sentences.push_back(ls);
      }
    });
    if (sentences > limits.paragraph_sentences) {
      LongParagraph lp;
      lp.start = b.start;
      lp.end = b.end;
      lp.line = lines.line_of(b.start);
      lp.sentences = sentences;
      r.long_paragraphs.push_back(lp);
    }
    toks.clear();
    tokens(text, b.start, b.end, toks);
    if (limits.english) find_passive(toks, lines, r);
    find_jargon(toks, base, extra, lines, r, seen);
  }
}

}  // namespace cp::plain::detail
