// `coproduce plain check` through the real binary: JSON from a file and from standard input, the
// readable summary, an extra word list, and input it must refuse with a clear message.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "cli/process.hpp"
#include "core/util.hpp"

using namespace cp;
using test::run_cli;
namespace json = boost::json;

namespace {

const std::string kRef = std::string(COPRODUCE_SHARE) + "/data/plain/reference/";

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The reference row for one text, from expected-unrounded.csv.
std::map<std::string, std::string> expected(const std::string& file) {
  std::istringstream in(slurp(kRef + "expected-unrounded.csv"));
  std::string line;
  std::getline(in, line);
  auto head = split(line, ',');
  while (std::getline(in, line)) {
    auto cols = split(line, ',');
    if (cols[0] != file) continue;
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < head.size(); ++i) row[head[i]] = cols[i];
    return row;
  }
  ADD_FAILURE() << "no reference row for " << file;
  return {};
}

json::object parse_object(const std::string& out) {
  json::error_code ec;
  auto v = json::parse(out, ec);
  EXPECT_FALSE(ec) << out.substr(0, 500);
  EXPECT_TRUE(v.is_object());
  return v.is_object() ? v.as_object() : json::object{};
}

// A number as printed, read with strtod: Boost.JSON 1.81's parser may be a unit in the last place
// out, which would hide whether the program printed the exact double.
double num(const std::string& raw, const std::string& key) {
  auto at = raw.find("\"" + key + "\":");
  EXPECT_NE(at, std::string::npos) << key;
  if (at == std::string::npos) return 0;
  return std::strtod(raw.c_str() + at + key.size() + 3, nullptr);
}

void expect_matches_reference(const std::string& raw, const std::string& file) {
  auto o = parse_object(raw);
  auto e = expected(file);
  EXPECT_EQ(o.at("words").as_int64(), std::stoll(e["words"]));
  EXPECT_EQ(o.at("sentences").as_int64(), std::stoll(e["sentences"]));
  EXPECT_EQ(o.at("syllables").as_int64(), std::stoll(e["syllables"]));
  EXPECT_EQ(o.at("polysyllables").as_int64(), std::stoll(e["polysyllables"]));
  // Printed with the shortest digits that read back as the same double, so exact equality holds.
  EXPECT_EQ(num(raw, "flesch_reading_ease"), std::stod(e["flesch_reading_ease"]));
  EXPECT_EQ(num(raw, "flesch_kincaid_grade"), std::stod(e["fk_grade"]));
  EXPECT_EQ(num(raw, "gunning_fog"), std::stod(e["gunning_fog"]));
  EXPECT_EQ(num(raw, "smog"), std::stod(e["smog"]));
  EXPECT_EQ(num(raw, "coleman_liau"), std::stod(e["coleman_liau"]));
}

}  // namespace

TEST(PlainCli, JsonFromAFileHasEveryKeyAndTheReferenceFigures) {
  const std::string file = "02-commissioning-framework-jargon.txt";
  auto r = run_cli({"plain", "check", "--json", kRef + "texts/" + file});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto o = parse_object(r.out);
  expect_matches_reference(r.out, file);
  for (const char* key : {"words", "sentences", "syllables", "polysyllables", "flesch_reading_ease",
                          "flesch_kincaid_grade", "gunning_fog", "smog", "coleman_liau", "reading_age",
                          "long_sentences", "jargon", "long_paragraphs", "passive"})
    EXPECT_TRUE(o.contains(key)) << key;
  EXPECT_EQ(o.at("reading_age").as_int64(), 18);
  // The jargon entries say where they are and what to write instead.
  bool leverage = false;
  for (const auto& j : o.at("jargon").as_array()) {
    const auto& h = j.as_object();
    if (h.at("phrase").as_string() != "leverage") continue;
    leverage = true;
    EXPECT_EQ(h.at("text").as_string(), "leverage");
    EXPECT_EQ(h.at("alternatives").as_array().at(0).as_string(), "use");
    EXPECT_GT(h.at("line").as_int64(), 0);
    EXPECT_LT(h.at("start").as_int64(), h.at("end").as_int64());
  }
  EXPECT_TRUE(leverage) << r.out.substr(0, 400);
  EXPECT_GE(o.at("long_sentences").as_array().size(), 5u);
  EXPECT_EQ(o.at("long_sentences").as_array().at(0).as_object().at("words").as_int64(), 36);
}

TEST(PlainCli, ReadsStandardInputWithADashOrWithNoFile) {
  const std::string file = "06-care-plan-letter-curly-quotes.txt";
  const std::string text = slurp(kRef + "texts/" + file);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"plain", "check", "--json", "-"}, std::vector<std::string>{"plain", "check", "--json"}}) {
    auto r = run_cli(args, text);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    expect_matches_reference(r.out, file);
  }
  // Nothing at all is a valid (empty) text.
  auto r = run_cli({"plain", "check", "--json"}, "");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto o = parse_object(r.out);
  EXPECT_EQ(o.at("words").as_int64(), 0);
  EXPECT_EQ(o.at("sentences").as_int64(), 0);
  EXPECT_TRUE(o.at("reading_age").is_null());
}

TEST(PlainCli, TheSummaryIsPlainEnglish) {
  auto r = run_cli({"plain", "check", "--target", "9"},
                   "In order to apply for a grant, you must utilise the form. It was sent to you last week.");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "Reading age: about")) << r.out;
  EXPECT_TRUE(has(r.out, "Flesch Reading Ease:")) << r.out;
  EXPECT_TRUE(has(r.out, "Line 1: “In order to”. Try “to”.")) << r.out;
  EXPECT_TRUE(has(r.out, "“utilise”. Try “use”.")) << r.out;
  EXPECT_TRUE(has(r.out, "Line 1: “was sent”")) << r.out;
  EXPECT_TRUE(has(r.out, "Long sentences (more than 25 words): 0")) << r.out;
  auto none = run_cli({"plain", "check"}, "🙂");
  EXPECT_EQ(none.exit_code, 0);
  EXPECT_TRUE(has(none.out, "There are no words to check.")) << none.out;
}

TEST(PlainCli, AnExtraWordListAddsAPartnershipsOwnJargon) {
  auto dir = std::filesystem::temp_directory_path() / ("coproduce-plain-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto list = (dir / "words.tsv").string();
  std::ofstream(list) << "# our words\npositive destination\ta job, training or volunteering\n";
  auto r = run_cli({"plain", "check", "--json", "--jargon", list}, "Every leaver reached a positive destination.");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto o = parse_object(r.out);
  ASSERT_EQ(o.at("jargon").as_array().size(), 1u);
  EXPECT_EQ(o.at("jargon").as_array()[0].as_object().at("alternatives").as_array()[0].as_string(),
            "a job, training or volunteering");
  // A broken list is refused and the line is named.
  std::ofstream(list) << "positive destination\n";
  auto bad = run_cli({"plain", "check", "--jargon", list}, "Text.");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(has(bad.err, "mistake in the word list")) << bad.err;
  EXPECT_TRUE(has(bad.err, "words.tsv:1")) << bad.err;
  std::filesystem::remove_all(dir);
}

TEST(PlainCli, RefusesInputItCannotCheckWithAClearMessage) {
  auto binary = run_cli({"plain", "check", "--json"}, std::string("PK\x03\x04\x00\xff\xfe binary", 14));
  EXPECT_EQ(binary.exit_code, 1);
  EXPECT_TRUE(has(binary.err, "not in UTF-8")) << binary.err;
  EXPECT_TRUE(has(binary.err, "number 6")) << binary.err;
  EXPECT_TRUE(binary.out.empty());

  auto missing = run_cli({"plain", "check", "/no/such/file.txt"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(has(missing.err, "Cannot read /no/such/file.txt")) << missing.err;

  // Without its data the command stops and names the missing file (exit 2: an installation problem).
  auto no_data = run_cli({"plain", "check", "--share", "/no/such/share"}, "Text.");
  EXPECT_EQ(no_data.exit_code, 2);
  EXPECT_TRUE(has(no_data.err, "data/plain/cmudict-syllables.txt")) << no_data.err;

  auto target = run_cli({"plain", "check", "--target", "40"}, "Text.");
  EXPECT_NE(target.exit_code, 0);

  auto help = run_cli({"plain", "check", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* opt : {"--json", "--jargon", "--target", "--share", "FILE"}) EXPECT_TRUE(has(help.out, opt)) << opt;
}

// Welsh text gets sentence length and words to change, never the English scores: asked for with
// --lang cy, or found by the detector when no language is given.
TEST(PlainCli, WelshTextGetsNoEnglishScores) {
  const std::string welsh = "Rydyn ni'n helpu pobl yn yr ardal. Mae'r grŵp yn cwrdd bob dydd Llun gyda'r gwirfoddolwyr.";
  for (const std::vector<std::string>& args : {std::vector<std::string>{"plain", "check", "--json", "--lang", "cy"},
                                               std::vector<std::string>{"plain", "check", "--json"}}) {
    auto r = run_cli(args, welsh);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto o = parse_object(r.out);
    EXPECT_EQ(o.at("lang").as_string(), "cy");
    EXPECT_EQ(o.at("sentences").as_int64(), 2);
    for (const char* english : {"flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog", "coleman_liau",
                                "reading_age", "syllables", "passive"})
      EXPECT_FALSE(o.contains(english)) << english;
    EXPECT_TRUE(o.contains("long_sentences"));
    EXPECT_TRUE(o.contains("jargon"));
  }
  auto text = run_cli({"plain", "check", "--lang", "cy"}, welsh);
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_FALSE(has(text.out, "Reading age:"));
  EXPECT_FALSE(has(text.out, "Flesch"));
  EXPECT_TRUE(has(text.out, "Sentences have 8.0 words on average")) << text.out;
  // The same sentence forced to English gets the scores.
  auto en = run_cli({"plain", "check", "--json", "--lang", "en"}, welsh);
  EXPECT_TRUE(parse_object(en.out).contains("flesch_reading_ease"));
  EXPECT_NE(run_cli({"plain", "check", "--lang", "fr"}, welsh).exit_code, 0);
}
