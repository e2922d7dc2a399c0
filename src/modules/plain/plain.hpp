// The plain-language checker: readability figures that agree with textstat 0.7.11 (the
// reference implementation most plain-language tools quote), and the things an author can fix —
// long sentences, long paragraphs, passive voice and jargon with plainer alternatives.
//
// How textstat counts, and so how this counts, is set out in data/plain/SOURCES.md and
// docs/architecture.md. In short: a word is a whitespace-separated run that keeps at least one
// word character once punctuation is deleted; a sentence is a piece of text ending in . ! or ?
// with more than two words; syllables come from CMUdict's first pronunciation, or else from
// Liang hyphenation with the en_US patterns.
//
// Text is taken as UTF-8. Bytes that are not UTF-8 are read as U+FFFD (never a word character)
// and counted in Report::invalid_bytes, so any input gives figures and nothing throws.
// A Checker is immutable once built: one instance can serve every thread.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace cp::plain {

// One jargon word or phrase and what to say instead.
struct JargonEntry {
  std::string phrase;                     // as listed, e.g. "in order to"
  std::vector<std::string> alternatives;  // plainer words, best first (may be empty when can_omit)
  bool can_omit = false;                  // the phrase can often just be left out
  std::string note;                       // when the word is fine, e.g. "fine for post and parcels"
  std::string source;                     // where the entry comes from, e.g. "gov.uk"
};

// A list of jargon phrases, matched case-insensitively on whole words. Hyphens and spaces between
// words are treated alike ("one-stop shop" finds "one stop shop"); other punctuation must be as
// listed ("e.g.", "and/or"), and a phrase never matches across a full stop or comma it does not have.
class JargonList {
 public:
  // Reads the TSV format of data/plain/jargon-en.tsv: phrase, alternatives separated by "|",
  // then optionally omit (0/1), note and source. Lines starting with # are comments.
  // Throws std::runtime_error naming the file and line on a malformed line.
  void load_file(const std::string& path);
  void load_tsv(std::string_view tsv, const std::string& name);
  // Adds an entry, replacing one with the same words. False (and nothing added) when the
  // phrase has no word characters.
  bool add(JargonEntry entry);
  std::size_t size() const { return entries_.size(); }
  const std::vector<JargonEntry>& entries() const { return entries_; }

  // Internal to the checker: a phrase split into the words and separators the matcher compares.
  struct Compiled {
    std::vector<std::string> words;  // lower case
    std::vector<std::string> gaps;   // gaps[k]: punctuation between words k and k+1, spaces and hyphens removed
    std::size_t entry = 0;
  };
  const std::vector<std::size_t>* starting_with(const std::string& word) const;
  const Compiled& compiled(std::size_t i) const { return compiled_[i]; }

 private:
  std::vector<JargonEntry> entries_;
  std::vector<Compiled> compiled_;                                         // one per entry
  std::unordered_map<std::string, std::vector<std::size_t>> by_first_;  // longest phrase first
  std::unordered_map<std::string, std::size_t> by_key_;               // words and gaps -> entry
};

// The counts textstat's formulas use.
struct Counts {
  std::int64_t words = 0;
  std::int64_t sentences = 0;
  std::int64_t syllables = 0;
  std::int64_t polysyllables = 0;  // word occurrences of 3 or more syllables
  std::int64_t complex_words = 0;  // polysyllables not on the Dale–Chall easy-word list (Gunning Fog)
  std::int64_t letters = 0;        // word characters (letters, digits, underscore)
};

struct Scores {
  double flesch_reading_ease = 0;
  double flesch_kincaid_grade = 0;
  double gunning_fog = 0;
  double smog = 0;
  double coleman_liau = 0;
};

// A stretch of the checked text, as byte offsets [start, end), with its 1-based line number.
struct Span {
  std::size_t start = 0, end = 0;
  std::size_t line = 1;
};

struct LongSentence : Span {
  std::int64_t words = 0;
};
struct LongParagraph : Span {
  std::int64_t sentences = 0;
};
struct JargonHit : Span {
  std::size_t entry = 0;  // index into Report::jargon_entries
};

struct Limits {
  std::int64_t sentence_words = 25;      // a sentence with more words than this is long
  std::int64_t paragraph_sentences = 5;  // a paragraph with more sentences than this is long
  // False for Welsh: the scores, reading age, passive voice and the English jargon list mean
  // nothing there, so the report keeps only the counts, long sentences and paragraphs, and jargon
  // from the shipped Welsh list (data/plain/jargon-cy.tsv) and the caller's own list (`extra`).
  bool english = true;
};

struct Report {
  Counts counts;
  Scores scores;
  std::optional<int> reading_age;  // none when there are no words
  std::vector<LongSentence> long_sentences;
  std::vector<LongParagraph> long_paragraphs;
  std::vector<Span> passive;  // "is being reviewed", "were told": a form of "be" and a past participle
  std::vector<JargonHit> jargon;
  std::vector<JargonEntry> jargon_entries;  // each entry found, once
  std::size_t invalid_bytes = 0;            // bytes that were not UTF-8
};

// The five indices from the counts, with textstat's formulas and its zero cases.
Scores scores_from(const Counts& c);
// Estimated UK reading age in years: Flesch–Kincaid grade + 5 (a US school grade is roughly a
// UK school year minus one, and children start school at five), rounded, and kept within 5..18.
// No value when there are no words. See docs/architecture.md for its limits.
std::optional<int> reading_age(const Counts& c, const Scores& s);
// The text of a span as valid UTF-8 (bytes that were not UTF-8 become U+FFFD).
std::string excerpt(std::string_view text, const Span& s);
// The first byte offset that is not part of well-formed UTF-8, or none.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);
// A guess at the language of a text from common function words ("the", "and" against "yr", "mae",
// "gyda"): "cy" or "en" when at least three such words were seen and one language has twice the
// other's, otherwise "" (too short or too mixed to tell). Reads at most the first 64 KB.
std::string detect_language(std::string_view text);

class Checker {
 public:
  // Reads <share_dir>/data/plain/: the CMUdict syllable table, the en_US hyphenation patterns,
  // the easy-word list and the English and Welsh jargon lists. Throws std::runtime_error naming a
  // missing or bad file.
  explicit Checker(const std::string& share_dir);
  ~Checker();
  Checker(const Checker&) = delete;
  Checker& operator=(const Checker&) = delete;

  // Only the counts (the cheapest call; what the scores need).
  Counts count(std::string_view text) const;
  // Everything. `extra` adds a partnership's own jargon; its entries win over the built-in list.
  Report check(std::string_view text, const JargonList* extra = nullptr, const Limits& limits = {}) const;
  // Syllables in one word as textstat counts a token (lower-cased, punctuation already removed).
  int syllables(std::string_view token) const;
  // True when the lower-cased token is a CMUdict headword (else hyphenation counts it).
  bool in_cmudict(std::string_view token) const;
  const JargonList& jargon() const;

  struct Data;

 private:
  std::unique_ptr<Data> d_;
};

}  // namespace cp::plain
