// The checker against textstat 0.7.11 itself: 15 texts whose figures were produced by running
// textstat (data/plain/reference/, see data/plain/SOURCES.md). Counts must be equal, and the scores
// equal to four decimals and within 1e-9 of textstat's own doubles.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "core/util.hpp"
#include "modules/plain/internal.hpp"
#include "modules/plain/plain.hpp"

using namespace cp;

namespace {

const std::string kRef = std::string(COPRODUCE_SHARE) + "/data/plain/reference/";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::map<std::string, std::string>> table(const std::string& path, char sep) {
  std::vector<std::map<std::string, std::string>> rows;
  std::istringstream in(slurp(path));
  std::string line;
  std::getline(in, line);
  auto head = split(line, sep);
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto cols = split(line, sep);
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < head.size() && i < cols.size(); ++i) row[head[i]] = cols[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

const plain::Checker& checker() {
  static const plain::Checker c(COPRODUCE_SHARE);
  return c;
}

std::string four(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

}  // namespace

TEST(PlainReference, CountsAndScoresMatchTextstatForEveryText) {
  auto expected = table(kRef + "expected.csv", ',');
  auto unrounded = table(kRef + "expected-unrounded.csv", ',');
  ASSERT_EQ(expected.size(), 15u);
  ASSERT_EQ(unrounded.size(), 15u);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& e = expected[i];
    const auto& u = unrounded[i];
    SCOPED_TRACE(e.at("file"));
    ASSERT_EQ(u.at("file"), e.at("file"));
    std::string text = slurp(kRef + "texts/" + e.at("file"));
    auto r = checker().check(text);
    EXPECT_EQ(r.counts.words, std::stoll(e.at("words")));
    EXPECT_EQ(r.counts.sentences, std::stoll(e.at("sentences")));
    EXPECT_EQ(r.counts.syllables, std::stoll(e.at("syllables")));
    EXPECT_EQ(r.counts.polysyllables, std::stoll(e.at("polysyllables")));
    EXPECT_EQ(r.counts.complex_words, std::stoll(e.at("fog_complex_words")));
    EXPECT_EQ(r.counts.letters, std::stoll(e.at("letters")));
    const std::vector<std::pair<std::string, double>> scores = {
        {"flesch_reading_ease", r.scores.flesch_reading_ease},
        {"fk_grade", r.scores.flesch_kincaid_grade},
        {"gunning_fog", r.scores.gunning_fog},
        {"smog", r.scores.smog},
        {"coleman_liau", r.scores.coleman_liau},
    };
    for (const auto& [key, got] : scores) {
      EXPECT_EQ(four(got), e.at(key)) << key;
      EXPECT_NEAR(got, std::stod(u.at(key)), 1e-9) << key;
      EXPECT_NEAR(got, std::stod(e.at(key)), 0.5) << key;  // the issue's own tolerance
    }
    // The quick path gives the same counts as the full check.
    auto c = checker().count(text);
    EXPECT_EQ(c.words, r.counts.words);
    EXPECT_EQ(c.syllables, r.counts.syllables);
    EXPECT_EQ(c.sentences, r.counts.sentences);
  }
}

TEST(PlainReference, EveryWordHasTextstatsSyllablesFromTheSameSource) {
  auto rows = table(kRef + "word-syllables.tsv", '\t');
  ASSERT_GT(rows.size(), 2800u);
  int from_cmudict = 0;
  for (const auto& row : rows) {
    const std::string& w = row.at("word");
    EXPECT_EQ(checker().syllables(w), std::stoi(row.at("syllables"))) << w << " in " << row.at("file");
    bool cmu = row.at("source") == "cmudict";
    EXPECT_EQ(checker().in_cmudict(w), cmu) << w;
    from_cmudict += cmu;
  }
  EXPECT_GT(from_cmudict, 2000);
}

TEST(PlainReference, SentencePiecesAreCutWhereTextstatCutsThem) {
  auto rows = table(kRef + "sentence-pieces.tsv", '\t');
  std::map<std::string, std::vector<std::map<std::string, std::string>>> by_file;
  for (auto& row : rows) by_file[row.at("file")].push_back(row);
  ASSERT_EQ(by_file.size(), 14u);  // the emoji-only text has no pieces at all
  for (const auto& [file, want] : by_file) {
    SCOPED_TRACE(file);
    std::string text = slurp(kRef + "texts/" + file);
    std::vector<plain::detail::Piece> got;
    plain::detail::for_each_piece(text, 0, text.size(), [&](const plain::detail::Piece& p) { got.push_back(p); });
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      std::string expect;
      const std::string& esc = want[i].at("text");
      for (std::size_t k = 0; k < esc.size(); ++k) {
        if (esc[k] == '\\' && k + 1 < esc.size()) {
          char n = esc[++k];
          expect += n == 'n' ? '\n' : n == 't' ? '\t' : n == 'r' ? '\r' : n;
        } else {
          expect += esc[k];
        }
      }
      EXPECT_EQ(text.substr(got[i].start, got[i].end - got[i].start), expect) << "piece " << i + 1;
      EXPECT_EQ(got[i].words, std::stoll(want[i].at("words"))) << "piece " << i + 1;
    }
  }
}

TEST(PlainReference, ReadingAgeIsTheKincaidGradePlusFiveWithinFiveToEighteen) {
  std::string text = slurp(kRef + "texts/01-bin-collection-changes.txt");
  auto r = checker().check(text);
  ASSERT_TRUE(r.reading_age);
  EXPECT_EQ(*r.reading_age, static_cast<int>(std::round(r.scores.flesch_kincaid_grade + 5)));
  EXPECT_EQ(*r.reading_age, 11);  // grade 5.59
  // Unpunctuated text gives an absurd grade (65.9); the age stops at 18 ("adult").
  EXPECT_EQ(*checker().check(slurp(kRef + "texts/05-streetlight-message-no-punctuation.txt")).reading_age, 18);
  // "Office closed." is grade 2.9, age 8.
  EXPECT_EQ(*checker().check("Office closed.").reading_age, 8);
  EXPECT_EQ(*checker().check("Go.").reading_age, 5);  // grade -3.4: the floor
  EXPECT_FALSE(checker().check(slurp(kRef + "texts/15-no-words-emoji-only.txt")).reading_age);
}
