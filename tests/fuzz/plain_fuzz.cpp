// libFuzzer target: any bytes through the plain-language checker, in English and in Welsh mode,
// the language detector and the Welsh sort key. A crash, a sanitizer report, a hang (libFuzzer's
// -timeout) or a broken invariant below is a finding.
//
// The checker's data is read from $COPRODUCE_SHARE/data/plain (tests/fuzz/run sets it).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "modules/plain/plain.hpp"
#include "web/collate.hpp"

namespace {

const cp::plain::Checker& checker() {
  static std::unique_ptr<cp::plain::Checker> c = [] {
    const char* share = std::getenv("COPRODUCE_SHARE");
    if (!share || !*share) {
      std::fprintf(stderr, "plain_fuzz: set COPRODUCE_SHARE to the build's share folder\n");
      std::abort();
    }
    return std::make_unique<cp::plain::Checker>(share);
  }();
  return *c;
}

void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "plain_fuzz: invariant broken: %s\n", what);
  std::abort();
}

void check_spans(std::string_view text, const cp::plain::Report& r) {
  auto in_text = [&](const cp::plain::Span& s) { return s.start <= s.end && s.end <= text.size() && s.line >= 1; };
  for (const auto& s : r.long_sentences) require(in_text(s) && s.words > 25, "long sentence span");
  for (const auto& p : r.long_paragraphs) require(in_text(p) && p.sentences > 5, "long paragraph span");
  for (const auto& p : r.passive) require(in_text(p), "passive span");
  for (const auto& j : r.jargon) require(in_text(j) && j.entry < r.jargon_entries.size(), "jargon span");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto& c = checker();
  auto r = c.check(text);
  const auto& n = r.counts;
  require(n.words >= 0 && n.sentences >= 0 && n.syllables >= 0 && n.letters >= 0, "negative count");
  require(n.polysyllables <= n.words && n.complex_words <= n.polysyllables, "polysyllables");
  require(n.words == 0 || n.sentences >= 1, "words without a sentence");
  require(!r.reading_age || (*r.reading_age >= 5 && *r.reading_age <= 18), "reading age range");
  require(r.invalid_bytes <= size, "invalid bytes");
  auto again = c.count(text);
  require(again.words == n.words && again.sentences == n.sentences && again.syllables == n.syllables, "count() agrees");
  check_spans(text, r);
  for (const auto& s : r.long_sentences) (void)cp::plain::excerpt(text, s);

  cp::plain::Limits welsh;
  welsh.english = false;
  auto w = c.check(text, nullptr, welsh);
  require(!w.reading_age && w.passive.empty(), "Welsh mode has no English measures");
  static const std::set<std::string> english = [&] {
    std::set<std::string> s;
    for (const auto& e : c.jargon().entries()) s.insert(e.phrase);
    return s;
  }();
  for (const auto& e : w.jargon_entries) require(!english.count(e.phrase), "Welsh mode uses only the Welsh list");
  require(w.counts.words == n.words && w.long_sentences.size() == r.long_sentences.size(), "Welsh counts");
  check_spans(text, w);

  auto lang = cp::plain::detect_language(text);
  require(lang.empty() || lang == "en" || lang == "cy", "detected language");
  // The collation must give one answer: a key compared with itself, and with a copy, is equal.
  require(cp::web::welsh_compare(text, std::string(text)) == 0, "sort key is stable");
  return 0;
}
