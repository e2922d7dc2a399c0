// The Welsh catalogue is complete: for every module, the English and Welsh files hold exactly the
// same keys, and each Welsh text uses the same {placeholders} as its English one. Reads the files the
// build installs (share/messages/<lang>/<module>.json), so it checks what the server really loads.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "web/format.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

const std::vector<std::string> kLanguages = {"en", "cy"};

fs::path messages_dir() { return fs::path(COPRODUCE_SHARE) / "messages"; }

std::set<std::string> modules_in(const std::string& lang) {
  std::set<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(messages_dir() / lang, ec))
    if (e.path().extension() == ".json") out.insert(e.path().stem().string());
  return out;
}

json::object read_catalogue(const fs::path& file, std::string& problem) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    problem = "cannot open " + file.string();
    return {};
  }
  std::stringstream ss;
  ss << in.rdbuf();
  json::error_code ec;
  auto v = json::parse(ss.str(), ec);
  if (ec || !v.is_object()) {
    problem = file.string() + " is not one JSON object";
    return {};
  }
  return v.as_object();
}

// The placeholders in a text, sorted, repeats kept: "{a} and {a}" differs from "{a}".
std::vector<std::string> placeholders(const std::string& text) {
  static const std::regex re(R"(\{[A-Za-z0-9_]+\})");
  std::vector<std::string> out;
  for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it) out.push_back(it->str());
  std::sort(out.begin(), out.end());
  return out;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : " ") + x;
  return s.empty() ? "(none)" : s;
}

// The placeholders of a plural form other than {count}, which a form may leave out ("No words yet").
std::vector<std::string> non_count(std::vector<std::string> p) {
  p.erase(std::remove(p.begin(), p.end(), "{count}"), p.end());
  return p;
}

// A plural message (an object of forms, see web/format.hpp) in both languages: each language has
// every form its CLDR plural rules use and no form they never pick (except an explicit "zero"),
// every form is text and not empty, and all forms share their placeholders apart from {count}.
void check_plural(const std::string& k, const json::value& en, const json::value& cy, std::vector<std::string>& problems) {
  if (!en.is_object() || !cy.is_object()) {
    problems.push_back(k + ": plural forms in one language, plain text in the other");
    return;
  }
  std::optional<std::vector<std::string>> want;
  for (const auto& [lang, v] : {std::pair<std::string, const json::value*>{"en", &en}, {"cy", &cy}}) {
    auto rules = cp::web::plural_categories(lang);
    for (const auto& form : rules)
      if (!v->as_object().contains(form)) problems.push_back(k + ": " + lang + " needs the plural form " + form);
    for (const auto& [form, text] : v->as_object()) {
      std::string f(form);
      if (f != "zero" && std::find(rules.begin(), rules.end(), f) == rules.end())
        problems.push_back(k + ": " + lang + " never uses the plural form " + f);
      if (!text.is_string() || text.as_string().empty()) {
        problems.push_back(k + "." + f + ": " + lang + " form is not text");
        continue;
      }
      auto p = non_count(placeholders(std::string(text.as_string())));
      if (!want) want = p;
      else if (p != *want) problems.push_back(k + "." + f + ": " + lang + " placeholders " + joined(p) + ", expected " + joined(*want));
    }
  }
}

}  // namespace

TEST(Catalogue, EveryModuleHasBothLanguages) {
  auto en = modules_in("en");
  ASSERT_FALSE(en.empty()) << "no English catalogues under " << messages_dir();
  std::vector<std::string> problems;
  for (const auto& lang : kLanguages)
    for (const auto& m : en)
      if (!modules_in(lang).count(m)) problems.push_back(m + ": no " + lang + " catalogue");
  for (const auto& lang : kLanguages)
    for (const auto& m : modules_in(lang))
      if (!en.count(m)) problems.push_back(m + ": " + lang + " catalogue but no English one");
  EXPECT_TRUE(problems.empty()) << joined(problems);
}

TEST(Catalogue, WelshAndEnglishHaveTheSameKeysAndPlaceholders) {
  std::vector<std::string> problems;
  std::size_t checked = 0;
  for (const auto& m : modules_in("en")) {
    std::map<std::string, json::object> by_lang;
    for (const auto& lang : kLanguages) {
      std::string problem;
      by_lang[lang] = read_catalogue(messages_dir() / lang / (m + ".json"), problem);
      if (!problem.empty()) problems.push_back(problem);
    }
    const auto& en = by_lang["en"];
    const auto& cy = by_lang["cy"];
    for (const auto& [key, value] : en) {
      std::string k = m + "." + std::string(key);
      auto it = cy.find(key);
      if (it == cy.end()) {
        problems.push_back(k + ": missing in cy");
        continue;
      }
      ++checked;
      if (value.is_object() || it->value().is_object()) {
        check_plural(k, value, it->value(), problems);
        continue;
      }
      if (!value.is_string() || !it->value().is_string()) {
        problems.push_back(k + ": not text");
        continue;
      }
      auto pe = placeholders(std::string(value.as_string()));
      auto pc = placeholders(std::string(it->value().as_string()));
      if (pe != pc) problems.push_back(k + ": placeholders en " + joined(pe) + ", cy " + joined(pc));
      if (it->value().as_string().empty() && !value.as_string().empty()) problems.push_back(k + ": empty in cy");
    }
    for (const auto& [key, value] : cy)
      if (!en.contains(key)) problems.push_back(m + "." + std::string(key) + ": in cy but missing in en");
  }
  EXPECT_GT(checked, 0u);
  std::string report;
  for (const auto& p : problems) report += "\n  " + p;
  EXPECT_TRUE(problems.empty()) << problems.size() << " problem(s):" << report;
}

// The check above must be able to fail: placeholders that differ are found.
TEST(Catalogue, PlaceholderComparisonSeesADifference) {
  EXPECT_NE(placeholders("Line {line}: {count} values"), placeholders("Llinell {line}: {cownt} gwerth"));
  EXPECT_EQ(placeholders("{b} then {a}"), placeholders("{a} cyn {b}"));
  EXPECT_NE(placeholders("{a} and {a}"), placeholders("{a}"));
}

// The plural check must be able to fail: a Welsh message with only English's forms is caught, and
// so is an English one with a form English never picks.
TEST(Catalogue, PluralCheckSeesMissingAndUnusedForms) {
  std::vector<std::string> problems;
  check_plural("x.items", json::parse(R"({"one": "{count} item", "other": "{count} items"})"),
               json::parse(R"({"one": "{count} eitem", "other": "{count} eitem"})"), problems);
  EXPECT_EQ(problems.size(), 4u) << joined(problems);  // cy lacks zero, two, few and many
  problems.clear();
  check_plural("x.items", json::parse(R"({"one": "{count} item", "two": "{count} items", "other": "{count} items"})"),
               json::parse(R"({"zero": "dim", "one": "{count} eitem", "two": "{count} eitem", "few": "{count} eitem",
                               "many": "{count} eitem", "other": "{count} {what}"})"), problems);
  ASSERT_EQ(problems.size(), 2u) << joined(problems);
  EXPECT_NE(problems[0].find("never uses the plural form two"), std::string::npos) << problems[0];
  EXPECT_NE(problems[1].find("placeholders"), std::string::npos) << problems[1];
}
