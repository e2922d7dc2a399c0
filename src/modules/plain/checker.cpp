// The counts and scores, following textstat 0.7.11 step by step (data/plain/SOURCES.md).
#include <algorithm>
#include <cmath>
#include <fstream>
#include <stdexcept>

#include "modules/plain/internal.hpp"

namespace cp::plain {

using detail::CmuTable;
using detail::Hyphenator;

struct Checker::Data {
  CmuTable cmu;
  Hyphenator hyph;
  std::unordered_set<std::string> easy;
  JargonList jargon;
  JargonList jargon_cy;  // looked for in Welsh text instead of the English list
};

Checker::Checker(const std::string& share_dir) : d_(std::make_unique<Data>()) {
  const std::string dir = share_dir + "/data/plain/";
  d_->cmu.load(dir + "cmudict-syllables.txt");
  d_->hyph.load(dir + "hyph_en_US.dic");
  std::ifstream easy(dir + "easy-words-en.txt");
  if (!easy) throw std::runtime_error("cannot read " + dir + "easy-words-en.txt");
  for (std::string line; std::getline(easy, line);) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) d_->easy.insert(line);
  }
  d_->jargon.load_file(dir + "jargon-en.tsv");
  d_->jargon_cy.load_file(dir + "jargon-cy.tsv");
}

Checker::~Checker() = default;

const JargonList& Checker::jargon() const { return d_->jargon; }

bool Checker::in_cmudict(std::string_view token) const { return d_->cmu.find(text::lower(token)).has_value(); }

int Checker::syllables(std::string_view token) const {
  std::string low = text::lower(token);
  if (auto n = d_->cmu.find(low)) return *n;
  std::u32string w;
  w.reserve(low.size());
  for (std::size_t i = 0; i < low.size();) w += text::next(low, i);
  return d_->hyph.syllables(w);
}

namespace {

// textstat keeps a straight apostrophe only when t, s, d, ve, ll or re (lower case) follows it.
bool keep_apostrophe(std::string_view s, std::size_t after) {
  auto at = [&](std::size_t k) { return after + k < s.size() ? s[after + k] : '\0'; };
  char a = at(0), b = at(1);
  return a == 't' || a == 's' || a == 'd' || (a == 'v' && b == 'e') || (a == 'l' && b == 'l') || (a == 'r' && b == 'e');
}

// The same word comes back again and again in real text; remembering its count saves the lookup.
// The memory is bounded so that text made of millions of different "words" cannot exhaust it.
constexpr std::size_t kCacheLimit = 50000;

struct WordStats {
  int syllables = 0;
  bool easy = false;
};

struct ViewHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view v) const { return std::hash<std::string_view>{}(v); }
};

}  // namespace

Counts Checker::count(std::string_view s) const {
  Counts c;
  std::unordered_map<std::string, WordStats, ViewHash, std::equal_to<>> cache;
  std::string token, low;
  std::u32string wide;
  bool has_word = false;

  auto finish_token = [&] {
    if (has_word) {
      ++c.words;
      text::lower_into(token, low);
      WordStats ws;
      if (auto hit = cache.find(std::string_view(low)); hit != cache.end()) {
        ws = hit->second;
      } else {
        if (auto n = d_->cmu.find(low)) {
          ws.syllables = *n;
        } else {
          wide.clear();
          for (std::size_t i = 0; i < low.size();) wide += text::next(low, i);
          ws.syllables = d_->hyph.syllables(wide);
        }
        ws.easy = d_->easy.count(low) > 0;
        if (cache.size() < kCacheLimit) cache.emplace(low, ws);
      }
      c.syllables += ws.syllables;
      if (ws.syllables >= 3) {
        ++c.polysyllables;
        if (!ws.easy) ++c.complex_words;
      }
    }
    token.clear();
    has_word = false;
  };

  for (std::size_t i = 0; i < s.size();) {
    char32_t ch = text::next(s, i);
    if (text::is_space(ch)) {
      finish_token();
    } else if (text::is_word(ch)) {
      ++c.letters;
      has_word = true;
      if (ch < 0x80) token += static_cast<char>(ch);
      else text::append_utf8(token, ch);
    } else if (ch == U'\'' && keep_apostrophe(s, i)) {
      token += '\'';
    }
    // Anything else is punctuation, which textstat deletes without leaving a space.
  }
  finish_token();

  std::int64_t counted = 0;
  detail::for_each_piece(s, 0, s.size(), [&](const detail::Piece& p) {
    if (p.words > 2) ++counted;
  });
  c.sentences = s.empty() ? 0 : std::max<std::int64_t>(1, counted);
  return c;
}

Scores scores_from(const Counts& c) {
  Scores r;
  const auto W = static_cast<double>(c.words), S = static_cast<double>(c.sentences),
             Y = static_cast<double>(c.syllables), P = static_cast<double>(c.polysyllables),
             C = static_cast<double>(c.complex_words), L = static_cast<double>(c.letters);
  // The operations and their order are textstat's, so that the doubles come out bit for bit.
  if (c.words > 0 && c.sentences > 0) {
    double asl = W / S, asw = Y / W;
    if (asl != 0 && asw != 0) {
      r.flesch_reading_ease = 206.835 - 1.015 * asl - 84.6 * asw;
      r.flesch_kincaid_grade = 0.39 * asl + 11.8 * asw - 15.59;
    }
    r.gunning_fog = 0.4 * (asl + (C / W) * 100);
    r.coleman_liau = 0.058 * ((L / W) * 100) - 0.296 * ((S / W) * 100) - 15.8;
  }
  if (c.sentences > 0) r.smog = 1.043 * std::pow(30 * (P / S), 0.5) + 3.1291;
  return r;
}

std::optional<int> reading_age(const Counts& c, const Scores& s) {
  if (c.words == 0) return std::nullopt;
  double age = std::round(s.flesch_kincaid_grade + 5);
  return static_cast<int>(std::clamp(age, 5.0, 18.0));
}

std::string excerpt(std::string_view text, const Span& s) {
  std::string out;
  std::size_t end = std::min(s.end, text.size());
  std::string_view part = text.substr(std::min(s.start, end), end - std::min(s.start, end));
  out.reserve(part.size());
  for (std::size_t i = 0; i < part.size();) text::append_utf8(out, text::next(part, i));
  return out;
}

std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    std::size_t at = i;
    bool bad = false;
    text::next(text, i, &bad);
    if (bad) return at;
  }
  return std::nullopt;
}

Report Checker::check(std::string_view s, const JargonList* extra, const Limits& limits) const {
  Report r;
  r.counts = count(s);
  if (limits.english) {
    r.scores = scores_from(r.counts);
    r.reading_age = reading_age(r.counts, r.scores);
  }
  for (std::size_t i = 0; i < s.size();) {
    bool bad = false;
    std::size_t at = i;
    text::next(s, i, &bad);
    if (bad) r.invalid_bytes += i - at;
  }
  detail::find_style_and_jargon(s, limits, limits.english ? d_->jargon : d_->jargon_cy, extra, r);
  return r;
}

}  // namespace cp::plain
