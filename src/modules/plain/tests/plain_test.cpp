// The checker's own rules beyond the reference texts: awkward input, jargon, long sentences and
// paragraphs, passive voice, and a bounded random search for crashes, hangs and broken invariants.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include "modules/plain/internal.hpp"
#include "modules/plain/plain.hpp"

using namespace cp;
using plain::Report;

namespace {

const plain::Checker& checker() {
  static const plain::Checker c(COPRODUCE_SHARE);
  return c;
}

std::string reference_text(const std::string& name) {
  std::ifstream in(std::string(COPRODUCE_SHARE) + "/data/plain/reference/texts/" + name, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> all_reference_texts() {
  std::vector<std::string> out;
  for (const char* f :
       {"01-bin-collection-changes.txt", "02-commissioning-framework-jargon.txt", "03-adaptations-grant-bullets.txt",
        "04-council-tax-reduction-headings.txt", "05-streetlight-message-no-punctuation.txt",
        "06-care-plan-letter-curly-quotes.txt", "07-budget-briefing-numbers.txt",
        "08-library-closure-single-sentence.txt", "09-community-transport-news-emoji-welsh.txt",
        "10-residents-forum-minutes.txt", "11-plainlanguage-gov-before-after.txt", "12-gettysburg-address.txt",
        "13-adult-social-care-local-account.txt", "14-two-word-notice.txt", "15-no-words-emoji-only.txt"})
    out.push_back(reference_text(f));
  return out;
}

std::vector<std::string> found_phrases(const Report& r) {
  std::vector<std::string> out;
  for (const auto& h : r.jargon) out.push_back(r.jargon_entries[h.entry].phrase);
  return out;
}

std::vector<std::string> texts_of(std::string_view text, const std::vector<plain::Span>& spans) {
  std::vector<std::string> out;
  for (const auto& s : spans) out.push_back(plain::excerpt(text, s));
  return out;
}

bool valid_utf8(std::string_view s) { return !plain::first_invalid_utf8(s); }

// What must hold for any input at all.
void expect_sane(std::string_view text, const Report& r) {
  const auto& c = r.counts;
  EXPECT_GE(c.words, 0);
  EXPECT_EQ(c.sentences, text.empty() ? 0 : std::max<std::int64_t>(c.sentences, 1));
  EXPECT_GE(c.syllables, 0);  // not >= words: CMUdict gives "fs" and "ths" no syllable at all
  EXPECT_LE(c.polysyllables, c.words);
  EXPECT_LE(c.complex_words, c.polysyllables);
  EXPECT_GE(c.letters, c.words);
  for (double v : {r.scores.flesch_reading_ease, r.scores.flesch_kincaid_grade, r.scores.gunning_fog, r.scores.smog,
                   r.scores.coleman_liau})
    EXPECT_TRUE(std::isfinite(v));
  if (r.reading_age) {
    EXPECT_GE(*r.reading_age, 5);
    EXPECT_LE(*r.reading_age, 18);
  } else {
    EXPECT_EQ(c.words, 0);
  }
  auto span_ok = [&](const plain::Span& s) {
    EXPECT_LE(s.start, s.end);
    EXPECT_LE(s.end, text.size());
    EXPECT_GE(s.line, 1u);
    EXPECT_TRUE(valid_utf8(plain::excerpt(text, s)));
  };
  for (const auto& s : r.long_sentences) {
    span_ok(s);
    EXPECT_GT(s.words, 25);
  }
  for (const auto& s : r.long_paragraphs) {
    span_ok(s);
    EXPECT_GT(s.sentences, 5);
  }
  for (const auto& s : r.passive) span_ok(s);
  for (const auto& h : r.jargon) {
    span_ok(h);
    EXPECT_LT(h.entry, r.jargon_entries.size());
  }
}

}  // namespace

// ---------------------------------------------------------------- awkward input

TEST(PlainInput, EmptyTextIsAllZeros) {
  auto r = checker().check("");
  EXPECT_EQ(r.counts.words, 0);
  EXPECT_EQ(r.counts.sentences, 0);
  EXPECT_EQ(r.scores.flesch_reading_ease, 0.0);
  EXPECT_EQ(r.scores.smog, 0.0);
  EXPECT_FALSE(r.reading_age);
  expect_sane("", r);
}

TEST(PlainInput, NoWordsStillCountsOneSentenceAsTextstatDoes) {
  for (std::string t : {"   \n\n\t ", "🙂 👍🏽 ❤️ !!! ???", "— – … · • ’"}) {
    auto r = checker().check(t);
    EXPECT_EQ(r.counts.words, 0) << t;
    EXPECT_EQ(r.counts.sentences, 1) << t;
    EXPECT_DOUBLE_EQ(r.scores.smog, 3.1291) << t;  // textstat's SMOG has no zero case for S = 1
    EXPECT_EQ(r.scores.flesch_reading_ease, 0.0) << t;
    expect_sane(t, r);
  }
}

TEST(PlainInput, PunctuationIsDeletedNotTurnedIntoSpace) {
  // "co-production" is one word, "2024/25" one, an email address one; a free-standing dash none.
  auto c = checker().count("co-production in 2024/25 – write to adaptations@example.gov.uk");
  EXPECT_EQ(c.words, 6);
  // A curly apostrophe goes; a straight one stays before t, s, d, ve, ll or re (lower case).
  EXPECT_EQ(checker().syllables("dont"), 1);   // "don’t" becomes "dont": not in CMUdict, so hyphenation
  EXPECT_EQ(checker().syllables("don't"), 1);  // in CMUdict
  EXPECT_TRUE(checker().in_cmudict("don't"));
  EXPECT_FALSE(checker().in_cmudict("dont"));
  EXPECT_EQ(checker().count("WE'LL go").syllables, checker().count("well go").syllables);
}

TEST(PlainInput, UnicodeWordsSpacesAndCaseFollowPython) {
  // A no-break space and a line separator split words; a zero-width space does not.
  EXPECT_EQ(checker().count("one\u00A0two\u2028three").words, 3);
  EXPECT_EQ(checker().count("one\u200Btwo").words, 1);
  // Welsh and other scripts are letters; combining marks, emoji and variation selectors are not.
  auto w = checker().count("Ynys Môn ŵyr ŷd Zoe\u0308 Καλημέρα 你好 ½ ²");
  EXPECT_EQ(w.words, 9);
  EXPECT_EQ(w.letters, 4 + 3 + 3 + 2 + 3 + 8 + 2 + 1 + 1);
  // The Kelvin sign lower-cases to a plain k, so this "kitchen" is CMUdict's kitchen.
  EXPECT_EQ(checker().syllables("\u212Aitchen"), 2);
  EXPECT_TRUE(checker().in_cmudict("\u212AITCHEN"));
  // A dotted capital I lower-cases to two characters (i and a combining dot), as in Python.
  EXPECT_EQ(plain::text::lower("İ"), "i\u0307");
  // A capital sigma at the end of a word becomes the final form ς.
  EXPECT_EQ(plain::text::lower("ΟΔΟΣ"), "\u03BF\u03B4\u03BF\u03C2");
}

TEST(PlainInput, BytesThatAreNotUtf8AreSkippedAndCounted) {
  std::string t = "abc\xff def \xe2\x82 ghi \xed\xa0\x80 jkl\xc0\xaf.";
  auto r = checker().check(t);
  EXPECT_EQ(r.counts.words, 4);
  EXPECT_EQ(r.invalid_bytes, 1u + 2u + 3u + 2u);
  EXPECT_EQ(plain::first_invalid_utf8(t), 3u);
  EXPECT_FALSE(plain::first_invalid_utf8("Café ☕ 🏴󠁧󠁢󠁷󠁬󠁳󠁿"));
  expect_sane(t, r);
}

TEST(PlainInput, TextWithoutFullStopsIsOneSentence) {
  std::string t;
  for (int i = 0; i < 60; ++i) t += "the bus will stop at the library on tuesdays ";
  auto r = checker().check(t);
  EXPECT_EQ(r.counts.words, 540);
  EXPECT_EQ(r.counts.sentences, 1);
  ASSERT_EQ(r.long_sentences.size(), 1u);
  EXPECT_EQ(r.long_sentences[0].words, 540);
  EXPECT_EQ(*r.reading_age, 18);
}

TEST(PlainInput, TenMegabytesOfProseIsCountedExactlyAndQuickly) {
  const std::string one = reference_text("01-bin-collection-changes.txt");
  const auto single = checker().count(one);
  std::string big;
  std::size_t copies = 0;
  while (big.size() < 10u * 1024 * 1024) big += one, ++copies;
  auto t0 = std::chrono::steady_clock::now();
  auto r = checker().check(big);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // The text ends with a full stop and a newline, so the copies neither merge words nor sentences.
  EXPECT_EQ(r.counts.words, single.words * static_cast<std::int64_t>(copies));
  EXPECT_EQ(r.counts.sentences, single.sentences * static_cast<std::int64_t>(copies));
  EXPECT_EQ(r.counts.syllables, single.syllables * static_cast<std::int64_t>(copies));
  EXPECT_LT(seconds, 10.0);
  expect_sane(big, r);
}

TEST(PlainInput, HugeWordsAndEndlessPunctuationDoNotHang) {
  auto t0 = std::chrono::steady_clock::now();
  std::string word(1 << 20, 'a');  // one "word" of a million letters
  auto r = checker().check(word);
  EXPECT_EQ(r.counts.words, 1);
  EXPECT_GE(r.counts.syllables, 1);
  std::string stops(1 << 20, '.');
  EXPECT_EQ(checker().check(stops).counts.sentences, 1);
  std::string welsh;
  while (welsh.size() < (1u << 20)) welsh += "ŵ";
  EXPECT_EQ(checker().check(welsh).counts.words, 1);
  std::string spaces(1 << 20, ' ');
  EXPECT_EQ(checker().check(spaces).counts.words, 0);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 10.0);
}

// ---------------------------------------------------------------- jargon

TEST(PlainJargon, FindsKnownWordsAndPhrasesWithAlternatives) {
  std::string t = "In order to apply, please utilise the form. We will facilitate a dialogue going forward.";
  auto r = checker().check(t);
  auto found = found_phrases(r);
  EXPECT_EQ(found, (std::vector<std::string>{"in order to", "utilise", "facilitate", "dialogue", "going forward"}));
  const auto& first = r.jargon_entries[r.jargon[0].entry];
  EXPECT_EQ(first.alternatives, std::vector<std::string>{"to"});
  EXPECT_EQ(plain::excerpt(t, r.jargon[0]), "In order to");  // the words as written
  EXPECT_EQ(r.jargon[0].line, 1u);
  const auto& util = r.jargon_entries[r.jargon[1].entry];
  EXPECT_EQ(util.alternatives, std::vector<std::string>{"use"});
}

TEST(PlainJargon, MatchesWholeWordsOnlyAndNotAcrossSentences) {
  EXPECT_TRUE(found_phrases(checker().check("Utilisation is up. The commencement date.")) ==
              std::vector<std::string>{"utilisation"});
  // "in order. To" is two sentences; "in order that" beats "in order" by being longer.
  EXPECT_TRUE(found_phrases(checker().check("Put them in order. To start, sign in.")).empty());
  EXPECT_EQ(found_phrases(checker().check("We wrote in order that you know.")),
            std::vector<std::string>{"in order that"});
}

TEST(PlainJargon, HyphensAndSpacesAreAlikeButOtherPunctuationMustMatch) {
  EXPECT_EQ(found_phrases(checker().check("A one stop shop and a one-stop shop.")),
            (std::vector<std::string>{"one-stop shop", "one-stop shop"}));
  EXPECT_EQ(found_phrases(checker().check("Bring ID, e.g. a passport, and/or a bill.")),
            (std::vector<std::string>{"e.g.", "and/or"}));
}

TEST(PlainJargon, UkAndUsSpellingsAreBothFoundAndOrdinaryWordsAreNot) {
  EXPECT_EQ(found_phrases(checker().check("We prioritise. They prioritize. You endeavour.")),
            (std::vector<std::string>{"prioritise", "prioritize", "endeavour"}));
  // Left out of the list on purpose: postal addresses, benefits, parking permits, key safes.
  EXPECT_TRUE(found_phrases(checker().check("Write your address. Claim benefits. Show your permit. Fit a key safe."))
                  .empty());
}

TEST(PlainJargon, ExtraEntriesAreFoundAndWinOverTheBuiltInList) {
  plain::JargonList extra;
  ASSERT_TRUE(extra.add({"positive destination", {"a job, training or volunteering"}, false, "", "partnership"}));
  ASSERT_TRUE(extra.add({"utilise", {"use", "make use of"}, false, "", "partnership"}));
  EXPECT_FALSE(extra.add({"!!!", {"nothing"}, false, "", "partnership"}));
  auto r = checker().check("Every leaver reached a Positive Destination. Utilise it.", &extra);
  ASSERT_EQ(found_phrases(r), (std::vector<std::string>{"positive destination", "utilise"}));
  EXPECT_EQ(r.jargon_entries[r.jargon[0].entry].alternatives,
            std::vector<std::string>{"a job, training or volunteering"});
  EXPECT_EQ(r.jargon_entries[r.jargon[1].entry].source, "partnership");
  // Without the extra list the built-in entry answers.
  auto base = checker().check("Utilise it.");
  EXPECT_EQ(base.jargon_entries[base.jargon[0].entry].alternatives, std::vector<std::string>{"use"});
}

TEST(PlainJargon, ListFilesAreCheckedLineByLine) {
  plain::JargonList l;
  l.load_tsv("# comment\nco-production\tworking together\n\nsignposting\tpointing to|telling about\t0\tnote\n",
             "mine.tsv");
  EXPECT_EQ(l.size(), 2u);
  EXPECT_EQ(l.entries()[1].alternatives, (std::vector<std::string>{"pointing to", "telling about"}));
  EXPECT_EQ(l.entries()[0].source, "mine.tsv");
  try {
    l.load_tsv("ok\tfine\nlonely phrase\n", "bad.tsv");
    FAIL() << "a phrase without alternatives was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.tsv:2"), std::string::npos) << e.what();
  }
  EXPECT_GT(checker().jargon().size(), 250u);
}

// ---------------------------------------------------------------- long sentences and paragraphs

TEST(PlainStyle, LongSentencesAreReportedWithTheirWordCount) {
  std::string long_one =
      "Because the new housing estates in the north of the borough have added many streets, our crews now need "
      "more time, so we have redrawn every round and changed some days.";
  std::string t = "Bins change.\n\nWe collect on Mondays. " + long_one + " Thank you.";
  auto r = checker().check(t);
  ASSERT_EQ(r.long_sentences.size(), 1u);
  EXPECT_EQ(plain::excerpt(t, r.long_sentences[0]), long_one);
  EXPECT_EQ(r.long_sentences[0].words, 31);
  EXPECT_EQ(r.long_sentences[0].line, 3u);
}

TEST(PlainStyle, HeadingsAndListItemsAreNotPartOfTheNextSentence) {
  // textstat counts a heading without a full stop into the sentence after it; the long-sentence
  // check does not, so neither this heading nor these bullets make a 26-word sentence.
  std::string t =
      "How to apply for help with the cost of adapting your home\n\n"
      "Fill in the short form and send it to us by post today.\n"
      "- a copy of your tenancy agreement or your mortgage statement\n"
      "- a letter from your doctor or occupational therapist\n"
      "- proof of your income for the last three months please.\n";
  auto r = checker().check(t);
  EXPECT_TRUE(r.long_sentences.empty()) << plain::excerpt(t, r.long_sentences.at(0));
  EXPECT_EQ(r.counts.sentences, 2);  // textstat's count is unchanged
}

TEST(PlainStyle, ParagraphsWithMoreThanFiveSentencesAreReported) {
  std::string six = "We met. We talked about the bins. We agreed a plan. We set a date. We told the council. "
                    "We wrote it down. We went home.";
  std::string t = "A short first paragraph is fine here.\n\n" + six + "\n\nThe end of it all.";
  auto r = checker().check(t);
  ASSERT_EQ(r.long_paragraphs.size(), 1u);
  EXPECT_EQ(r.long_paragraphs[0].sentences, 6);  // "We met." has two words, so it is not a sentence
  EXPECT_EQ(plain::excerpt(t, r.long_paragraphs[0]), six);
  EXPECT_EQ(r.long_paragraphs[0].line, 3u);
}

// ---------------------------------------------------------------- passive voice

TEST(PlainStyle, PassiveVoiceCandidatesAreABeVerbAndAParticiple) {
  std::string t =
      "Your bins will be collected on Monday. The form was sent by the council. Your claim is being reviewed. "
      "The money was not paid. Letters were written and the plan is already agreed. "
      "I am happy. We need help. It is a red bin. They were indeed right.";
  auto r = checker().check(t);
  EXPECT_EQ(texts_of(t, r.passive),
            (std::vector<std::string>{"be collected", "was sent", "is being reviewed", "was not paid", "were written",
                                      "is already agreed"}));
}

// ---------------------------------------------------------------- the random search

namespace {

std::string random_bytes(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> len(0, 2048), byte(0, 255), kind(0, 3);
  std::string s(static_cast<std::size_t>(len(rng)), '\0');
  int k = kind(rng);
  for (char& ch : s) {
    int b = byte(rng);
    // Some strings are biased towards ASCII letters, spaces and full stops, to reach the word paths.
    if (k == 1 && b < 200) b = "abcdefghij klmnop. qrst!uvw?xyz'"[b % 32];
    ch = static_cast<char>(b);
  }
  return s;
}

std::string random_mix(std::mt19937_64& rng, const std::vector<std::string>& texts) {
  static const char* const extras[] = {"🏴󠁧󠁢󠁷󠁬󠁳󠁿", "👍🏽", "\u0308", "\u00A0", "\u2028", "’", "'", "...", "…", "\r\n", "\n\n", " - ", "e.g.",
                                       "İ", "ß", "ﬁ", "\xff", "\xe2\x82", "\t", "½", "Ⅻ", "in order to", "is being given"};
  std::uniform_int_distribution<std::size_t> pick_text(0, texts.size() - 1), pick_extra(0, std::size(extras) - 1);
  std::uniform_int_distribution<int> parts(1, 12), coin(0, 2);
  std::string out;
  for (int p = parts(rng); p > 0; --p) {
    if (coin(rng) == 0) {
      out += extras[pick_extra(rng)];
      continue;
    }
    const std::string& t = texts[pick_text(rng)];
    if (t.empty()) continue;
    std::uniform_int_distribution<std::size_t> at(0, t.size() - 1);
    std::size_t a = at(rng), b = at(rng);
    if (a > b) std::swap(a, b);
    out += t.substr(a, b - a + 1);  // may cut a character in half: that is part of the test
  }
  return out;
}

// Checks `count` inputs made by `make`; returns how many were tried (fewer only after a failure).
// A fixed count rather than a time budget, so a busy machine tries as many as a quiet one; the
// time-bounded search lives in tests/fuzz.
template <class Make>
int search(int count, std::uint64_t seed, Make&& make) {
  std::mt19937_64 rng(seed);
  int n = 0;
  while (n < count && !::testing::Test::HasFailure()) {
    std::string s = make(rng);
    auto r = checker().check(s);
    expect_sane(s, r);
    auto c = checker().count(s);
    EXPECT_EQ(c.words, r.counts.words);
    EXPECT_EQ(c.syllables, r.counts.syllables);
    if (::testing::Test::HasFailure()) {
      std::string hex;
      for (unsigned char ch : s.substr(0, 400)) hex += "0123456789abcdef"[ch >> 4], hex += "0123456789abcdef"[ch & 15];
      ADD_FAILURE() << "seed " << seed << ", input " << n << " (hex, first 400 bytes): " << hex;
    }
    ++n;
  }
  return n;
}

std::uint64_t seed() { return static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()); }

}  // namespace

TEST(PlainRandom, FiveHundredRandomByteStrings) {
  int n = search(500, seed(), [](std::mt19937_64& rng) { return random_bytes(rng); });
  EXPECT_EQ(n, 500);
}

TEST(PlainRandom, FiveHundredRandomMixesOfTheReferenceTexts) {
  auto texts = all_reference_texts();
  int n = search(500, seed(), [&](std::mt19937_64& rng) { return random_mix(rng, texts); });
  EXPECT_EQ(n, 500);
}
