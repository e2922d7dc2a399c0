#include "modules/plain/cli.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "app/app.hpp"
#include "modules/plain/plain.hpp"
#include "modules/plain/web.hpp"
#include "web/i18n.hpp"

namespace cp::plain {

namespace {

// A limit well above any page a person writes, so that a wrong file (a disk image, a log) is
// refused quickly instead of filling memory.
constexpr std::size_t kMaxMegabytes = 64;
constexpr std::size_t kListed = 20;  // items listed per section in the summary (JSON has them all)

std::string share_dir(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* v = std::getenv("COPRODUCE_SHARE"); v && *v) return v;
  return app::default_share_dir();
}

web::Catalogue catalogue(const std::string& share) {
  web::Catalogue c;
  try {
    c.load_dir(share + "/messages");
  } catch (const std::exception&) {
    // Without the catalogue each text shows its key, which still says what went wrong.
  }
  return c;
}

using Args = std::vector<std::pair<std::string, std::string>>;

std::string read_input(const std::string& file, const web::Catalogue& cat) {
  const std::size_t limit = kMaxMegabytes * 1024 * 1024;
  std::string out;
  std::istream* in = &std::cin;
  std::ifstream f;
  if (file != "-") {
    f.open(file, std::ios::binary);
    if (!f) throw std::invalid_argument(cat.t("en", "plain.cli_cannot_read", {{"file", file}}));
    in = &f;
  } else if (isatty(STDIN_FILENO)) {
    std::cerr << cat.t("en", "plain.cli_type_text") << "\n";
  }
  char buf[1 << 16];
  while (in->read(buf, sizeof buf) || in->gcount() > 0) {
    out.append(buf, static_cast<std::size_t>(in->gcount()));
    if (out.size() > limit)
      throw std::invalid_argument(cat.t("en", "plain.cli_too_big", {{"limit", std::to_string(kMaxMegabytes)}}));
  }
  if (in->bad()) throw std::invalid_argument(cat.t("en", "plain.cli_cannot_read", {{"file", file}}));
  return out;
}

std::string quote(std::string_view s) { return boost::json::serialize(boost::json::value(boost::json::string(s))); }

// Shortest text that reads back as the same double, like Python's repr: the scores can be
// compared with the reference's figures exactly.
std::string number(double v) { return fmt::format("{}", v); }

void span_fields(std::string& o, std::string_view text, const Span& s) {
  o += fmt::format("\"line\":{},\"start\":{},\"end\":{},\"text\":{}", s.line, s.start, s.end, quote(excerpt(text, s)));
}

std::string to_json(std::string_view text, const Report& r, const std::string& lang) {
  const Counts& c = r.counts;
  std::string o = "{\"lang\":" + quote(lang) + ",";
  if (lang == "cy") {
    // Syllables, scores and the reading age are English measures: Welsh gets none of them, not
    // zeros that a script might take for a result.
    o += fmt::format("\"words\":{},\"sentences\":{},", c.words, c.sentences);
  } else {
  o += fmt::format("\"words\":{},\"sentences\":{},\"syllables\":{},\"polysyllables\":{},", c.words, c.sentences,
                   c.syllables, c.polysyllables);
  o += fmt::format("\"complex_words\":{},\"letters\":{},", c.complex_words, c.letters);
  o += "\"flesch_reading_ease\":" + number(r.scores.flesch_reading_ease) + ",";
  o += "\"flesch_kincaid_grade\":" + number(r.scores.flesch_kincaid_grade) + ",";
  o += "\"gunning_fog\":" + number(r.scores.gunning_fog) + ",";
  o += "\"smog\":" + number(r.scores.smog) + ",";
  o += "\"coleman_liau\":" + number(r.scores.coleman_liau) + ",";
  o += "\"reading_age\":" + (r.reading_age ? std::to_string(*r.reading_age) : std::string("null")) + ",";
  }
  o += "\"long_sentences\":[";
  for (std::size_t i = 0; i < r.long_sentences.size(); ++i) {
    o += i ? ",{" : "{";
    span_fields(o, text, r.long_sentences[i]);
    o += fmt::format(",\"words\":{}}}", r.long_sentences[i].words);
  }
  o += "],\"long_paragraphs\":[";
  for (std::size_t i = 0; i < r.long_paragraphs.size(); ++i) {
    o += i ? ",{" : "{";
    span_fields(o, text, r.long_paragraphs[i]);
    o += fmt::format(",\"sentences\":{}}}", r.long_paragraphs[i].sentences);
  }
  o += "]";
  if (lang != "cy") {
    o += ",\"passive\":[";
    for (std::size_t i = 0; i < r.passive.size(); ++i) {
      o += i ? ",{" : "{";
      span_fields(o, text, r.passive[i]);
      o += "}";
    }
    o += "]";
  }
  o += ",\"jargon\":[";
  for (std::size_t i = 0; i < r.jargon.size(); ++i) {
    const auto& h = r.jargon[i];
    const auto& e = r.jargon_entries[h.entry];
    o += i ? ",{" : "{";
    span_fields(o, text, h);
    o += ",\"phrase\":" + quote(e.phrase) + ",\"alternatives\":[";
    for (std::size_t k = 0; k < e.alternatives.size(); ++k) {
      if (k) o += ',';
      o += quote(e.alternatives[k]);
    }
    o += fmt::format("],\"can_omit\":{},\"note\":{}}}", e.can_omit ? "true" : "false", quote(e.note));
  }
  o += "]}\n";
  return o;
}

// At most `max` characters of a long excerpt, cut at a space where there is one.
std::string shorten(const std::string& s, std::size_t max = 80) {
  std::string flat;
  for (char ch : s) flat += (ch == '\n' || ch == '\r' || ch == '\t') ? ' ' : ch;
  std::size_t chars = 0, cut = std::string::npos, last_space = std::string::npos;
  for (std::size_t i = 0; i < flat.size(); ++i) {
    if ((static_cast<unsigned char>(flat[i]) & 0xC0) == 0x80) continue;
    if (chars == max) {
      cut = i;
      break;
    }
    if (flat[i] == ' ') last_space = i;
    ++chars;
  }
  if (cut == std::string::npos) return flat;
  if (last_space != std::string::npos && last_space > cut / 2) cut = last_space;
  return flat.substr(0, cut) + "…";
}

std::string one_decimal(double v) {
  double r = std::round(v * 10) / 10;
  return fmt::format("{:.1f}", r == 0 ? 0.0 : r);
}

std::string summary(std::string_view text, const Report& r, const Limits& lim, int target,
                    const web::Catalogue& cat, const std::string& lang) {
  auto t = [&](const std::string& key, const Args& args = {}) { return cat.t("en", "plain." + key, args); };
  auto n = [](auto v) { return std::to_string(v); };
  std::ostringstream o;
  const Counts& c = r.counts;
  o << t("cli_title") << "\n\n";
  if (c.words == 0) {
    o << t("cli_no_words") << "\n";
    return o.str();
  }
  if (lang == "cy") {
    o << t("cli_counts_cy", {{"words", n(c.words)}, {"sentences", n(c.sentences)}}) << "\n";
    if (c.sentences > 0)
      o << t("cli_average", {{"words", one_decimal(static_cast<double>(c.words) / static_cast<double>(c.sentences))}}) << "\n";
    o << t("cli_welsh_note") << "\n";
  } else {
  o << t("cli_counts", {{"words", n(c.words)},
                        {"sentences", n(c.sentences)},
                        {"syllables", n(c.syllables)},
                        {"polysyllables", n(c.polysyllables)}})
    << "\n";
  int age = r.reading_age.value_or(0);
  if (age <= 5) o << t("cli_reading_age_young");
  else if (age >= 18) o << t("cli_reading_age_adult");
  else o << t("cli_reading_age", {{"age", n(age)}});
  o << " " << t(age <= target ? "cli_target_ok" : "cli_target_over", {{"target", n(target)}}) << "\n\n";
  o << t("cli_scores") << "\n";
  o << "  " << t("cli_fre", {{"value", one_decimal(r.scores.flesch_reading_ease)}}) << "\n";
  o << "  " << t("cli_fk", {{"value", one_decimal(r.scores.flesch_kincaid_grade)}}) << "\n";
  o << "  " << t("cli_fog", {{"value", one_decimal(r.scores.gunning_fog)}}) << "\n";
  o << "  " << t("cli_smog", {{"value", one_decimal(r.scores.smog)}}) << "\n";
  o << "  " << t("cli_cl", {{"value", one_decimal(r.scores.coleman_liau)}}) << "\n";
  }

  auto section = [&](const std::string& heading, std::size_t count, auto&& item) {
    o << "\n" << heading << "\n";
    for (std::size_t i = 0; i < count && i < kListed; ++i) o << "  " << item(i) << "\n";
    if (count > kListed) o << "  " << t("cli_more", {{"count", n(count - kListed)}}) << "\n";
  };
  section(t("cli_long_sentences", {{"limit", n(lim.sentence_words)}, {"count", n(r.long_sentences.size())}}),
          r.long_sentences.size(), [&](std::size_t i) {
            const auto& s = r.long_sentences[i];
            return t("cli_long_sentence",
                     {{"line", n(s.line)}, {"words", n(s.words)}, {"text", shorten(excerpt(text, s))}});
          });
  section(t("cli_long_paragraphs", {{"limit", n(lim.paragraph_sentences)}, {"count", n(r.long_paragraphs.size())}}),
          r.long_paragraphs.size(), [&](std::size_t i) {
            const auto& p = r.long_paragraphs[i];
            return t("cli_long_paragraph", {{"line", n(p.line)}, {"sentences", n(p.sentences)}});
          });
  if (lang != "cy") section(t("cli_passive", {{"count", n(r.passive.size())}}), r.passive.size(), [&](std::size_t i) {
    const auto& p = r.passive[i];
    return t("cli_passive_item", {{"line", n(p.line)}, {"text", shorten(excerpt(text, p))}});
  });
  section(t("cli_jargon", {{"count", n(r.jargon.size())}}), r.jargon.size(), [&](std::size_t i) {
    const auto& h = r.jargon[i];
    const auto& e = r.jargon_entries[h.entry];
    std::string alts;
    for (std::size_t k = 0; k < e.alternatives.size(); ++k)
      alts += (k ? t("cli_or") : std::string()) + "“" + e.alternatives[k] + "”";
    Args a{{"line", n(h.line)}, {"text", shorten(excerpt(text, h))}, {"alternatives", alts}};
    std::string line = e.alternatives.empty() ? t("cli_jargon_omit", a)
                                              : t(e.can_omit ? "cli_jargon_item_omit" : "cli_jargon_item", a);
    if (!e.note.empty()) line += " " + t("cli_jargon_note", {{"note", e.note}});
    return line;
  });
  return o.str();
}

}  // namespace

int PlainCli::run() const {
  const std::string share = share_dir(this->share);
  web::Catalogue cat = catalogue(share);
  std::string text = read_input(file, cat);
  if (auto bad = first_invalid_utf8(text))
    throw std::invalid_argument(cat.t("en", "plain.cli_not_utf8", {{"offset", std::to_string(*bad + 1)}}));
  Checker checker(share);
  JargonList extra;
  if (!jargon_file.empty()) {
    try {
      extra.load_file(jargon_file);
    } catch (const std::exception& e) {
      throw std::invalid_argument(cat.t("en", "plain.cli_bad_jargon", {{"detail", e.what()}}));
    }
  }
  Limits lim;
  // --lang auto (the default) decides from the text's small words, and takes English when unsure.
  std::string checked_lang = check_language(lang == "auto" ? "" : lang, text, "en");
  lim.english = checked_lang == "en";
  Report r = checker.check(text, jargon_file.empty() ? nullptr : &extra, lim);
  std::cout << (json ? to_json(text, r, checked_lang) : summary(text, r, lim, target, cat, checked_lang)) << std::flush;
  return 0;
}

std::unique_ptr<PlainCli> add_plain_cli(CLI::App& app) {
  auto p = std::make_unique<PlainCli>();
  web::Catalogue cat = catalogue(share_dir(""));
  auto t = [&](const std::string& key) { return cat.t("en", "plain." + key); };
  auto* plain = app.add_subcommand("plain", t("cli_plain_help"));
  plain->require_subcommand(1);
  p->check = plain->add_subcommand("check", t("cli_check_help"));
  p->check->add_option("FILE", p->file, t("cli_file_help"))->capture_default_str();
  p->check->add_flag("--json", p->json, t("cli_json_help"));
  p->check->add_option("--jargon", p->jargon_file, t("cli_jargon_help"));
  p->check->add_option("--target", p->target, t("cli_target_help"))->capture_default_str()->check(CLI::Range(5, 18));
  p->check->add_option("--share", p->share, t("cli_share_help"));
  p->check->add_option("--lang", p->lang, t("cli_lang_help"))->capture_default_str()->check(CLI::IsMember({"auto", "en", "cy"}));
  return p;
}

}  // namespace cp::plain
