// The writing check as forms use it, Easy Read lines and the registry of published texts.
#include <algorithm>
#include <map>
#include <mutex>

#include "core/util.hpp"
#include "modules/plain/internal.hpp"
#include "modules/plain/shared.hpp"
#include "modules/plain/web.hpp"
#include "web/format.hpp"

namespace cp::plain {

namespace json = boost::json;

std::string check_language(const std::string& field_lang, const std::string& text, const std::string& page_lang) {
  if (field_lang == "en" || field_lang == "cy") return field_lang;
  auto guess = detect_language(text);
  if (!guess.empty()) return guess;
  return page_lang == "cy" ? "cy" : "en";
}

namespace {

// What one request's checks share: the checker, the partnership's target and its two lists.
struct Context {
  const Checker* checker = nullptr;
  int target = kDefaultTargetAge;
  JargonList own_en, own_cy;
};

Context context_for(app::Ctx& ctx) {
  Context c;
  c.checker = &shared_checker(ctx.app.cfg.share_dir);
  auto w = ctx.read();
  c.target = plain_store::settings(w.scope()).target_age;
  c.own_en = plain_store::to_list(plain_store::jargon(w.scope(), "en"));
  c.own_cy = plain_store::to_list(plain_store::jargon(w.scope(), "cy"));
  return c;
}

struct Checked {
  const TextField* field = nullptr;
  std::string lang;
  Report report;
  bool too_hard = false;
};

Checked run(const Context& c, const TextField& f, const std::string& page_lang) {
  Checked k;
  k.field = &f;
  k.lang = check_language(f.lang, f.text, page_lang);
  Limits limits;
  limits.english = k.lang == "en";
  k.report = c.checker->check(f.text, k.lang == "cy" ? &c.own_cy : &c.own_en, limits);
  k.too_hard = k.report.reading_age && *k.report.reading_age > c.target;
  return k;
}

bool has_problems(const Checked& k) {
  return k.too_hard || !k.report.long_sentences.empty() || !k.report.jargon_entries.empty();
}

// A piece of text split into plain and marked parts, for {{#parts}} in a template (escaped there).
web::List marked_parts(std::string_view text, const Span& within, const std::vector<JargonHit>& hits) {
  web::List parts;
  std::size_t at = within.start;
  auto add = [&](std::size_t from, std::size_t to, bool mark) {
    if (to <= from) return;
    web::Data p;
    p.set("text", excerpt(text, Span{from, to, 1}));
    p.set("mark", mark);
    parts.push_back(p);
  };
  for (const auto& h : hits) {
    if (h.start < at || h.end > within.end) continue;
    add(at, h.start, false);
    add(h.start, h.end, true);
    at = h.end;
  }
  add(at, within.end, false);
  return parts;
}

std::string quoted_list(app::Ctx& ctx, const std::vector<std::string>& words) {
  std::string s;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i) s += ctx.t("plain.web_or");
    s += "\u201c" + words[i] + "\u201d";
  }
  return s;
}

std::string advice(app::Ctx& ctx, const JargonEntry& e) {
  if (e.alternatives.empty()) return ctx.t("plain.web_try_omit");
  auto alts = quoted_list(ctx, e.alternatives);
  return ctx.t(e.can_omit ? "plain.web_try_or_omit" : "plain.web_try", {{"alternatives", alts}});
}

std::string reading_age_text(app::Ctx& ctx, int age) {
  if (age <= 5) return ctx.t("plain.web_reading_age_young");
  if (age >= 18) return ctx.t("plain.web_reading_age_adult");
  return ctx.t("plain.web_reading_age", {{"age", web::format_number(ctx.lang, age)}});
}

web::Data field_data(app::Ctx& ctx, const Checked& k) {
  const auto& r = k.report;
  const std::string& text = k.field->text;
  web::Data f;
  f.set("id", k.field->id);
  f.set("label", k.field->label);
  f.set("lang", k.lang);
  f.set("welsh", k.lang == "cy");
  f.set("reading_age", r.reading_age ? web::Data(reading_age_text(ctx, *r.reading_age)) : web::Data(false));
  f.set("too_hard", k.too_hard);
  f.set("counts_text", ctx.t("plain.web_counts", {{"words", web::plural(ctx.app.catalogue, ctx.lang, "plain.web_words", r.counts.words)},
                                                   {"sentences", web::plural(ctx.app.catalogue, ctx.lang, "plain.web_sentences", r.counts.sentences)}}));
  if (k.lang == "cy" && r.counts.sentences > 0) {
    auto average = static_cast<double>(r.counts.words) / static_cast<double>(r.counts.sentences);
    f.set("average_text", ctx.t("plain.web_average", {{"words", web::format_decimal(ctx.lang, average, 1)}}));
  }
  std::vector<JargonHit> hits = r.jargon;
  std::sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) { return a.start < b.start; });
  web::List sentences;
  for (const auto& s : r.long_sentences) {
    web::Data d;
    d.set("words_text", web::plural(ctx.app.catalogue, ctx.lang, "plain.web_words", s.words));
    d.set("parts", marked_parts(text, s, hits));
    sentences.push_back(d);
  }
  f.set("long_sentences", sentences);
  f.set("has_long_sentences", !r.long_sentences.empty());
  web::List words;
  std::vector<bool> listed(r.jargon_entries.size(), false);
  for (const auto& h : hits) {
    if (listed[h.entry]) continue;  // each phrase once, as first written
    listed[h.entry] = true;
    const auto& e = r.jargon_entries[h.entry];
    web::Data d;
    d.set("found", excerpt(text, h));
    d.set("advice", advice(ctx, e));
    d.set("note", e.note.empty() ? web::Data(false) : web::Data(e.note));
    words.push_back(d);
  }
  f.set("jargon", words);
  f.set("has_jargon", !words.empty());
  return f;
}

}  // namespace

namespace {

// One request's checks: the partnership's settings read once, every field checked once.
struct Batch {
  Context c;
  std::vector<Checked> checked;
};

Batch run_all(app::Ctx& ctx, const std::vector<TextField>& fields) {
  Batch b{context_for(ctx), {}};
  b.checked.reserve(fields.size());
  for (const auto& f : fields) b.checked.push_back(run(b.c, f, ctx.lang));
  return b;
}

web::Data page_data(app::Ctx& ctx, const Batch& b, bool only_problems) {
  web::List list;
  bool hard = false, welsh = false;
  for (const auto& k : b.checked) {
    if (trim(k.field->text).empty()) continue;
    bool problems = has_problems(k);
    if (only_problems && !problems) continue;
    hard = hard || problems;
    welsh = welsh || k.lang == "cy";
    list.push_back(field_data(ctx, k));
  }
  web::Data d;
  d.set("hard", hard);
  d.set("checked", !list.empty());
  d.set("fields", list);
  d.set("any_welsh", welsh);
  auto target = web::format_number(ctx.lang, b.c.target);
  d.set("target_text", ctx.t("plain.web_target", {{"target", target}}));
  d.set("long_text", ctx.t("plain.web_long_sentences", {{"limit", web::format_number(ctx.lang, Limits{}.sentence_words)}}));
  d.set("all_good", ctx.t("plain.web_all_good", {{"target", target}}));
  return d;
}

json::object json_data(const Batch& b) {
  json::array out;
  for (const auto& k : b.checked) {
    const auto& f = *k.field;
    const auto& r = k.report;
    json::object o;
    o["id"] = f.id;
    o["lang"] = k.lang;
    o["words"] = r.counts.words;
    o["sentences"] = r.counts.sentences;
    o["target_age"] = b.c.target;
    o["too_hard"] = k.too_hard;
    if (r.reading_age) o["reading_age"] = *r.reading_age;
    else o["reading_age"] = nullptr;
    // Welsh gets no English scores at all, not zeros a client might show.
    if (k.lang == "en") {
      json::object sc;
      sc["flesch_reading_ease"] = r.scores.flesch_reading_ease;
      sc["flesch_kincaid_grade"] = r.scores.flesch_kincaid_grade;
      sc["gunning_fog"] = r.scores.gunning_fog;
      sc["smog"] = r.scores.smog;
      sc["coleman_liau"] = r.scores.coleman_liau;
      o["scores"] = sc;
    }
    json::array ls;
    for (const auto& s : r.long_sentences)
      ls.push_back({{"text", excerpt(f.text, s)}, {"words", s.words}, {"start", s.start}, {"end", s.end}});
    o["long_sentences"] = ls;
    json::array jg;
    for (const auto& h : r.jargon) {
      const auto& e = r.jargon_entries[h.entry];
      json::array alts;
      for (const auto& a : e.alternatives) alts.push_back(json::value(a));
      jg.push_back({{"phrase", e.phrase}, {"text", excerpt(f.text, h)}, {"alternatives", alts},
                    {"can_omit", e.can_omit}, {"start", h.start}, {"end", h.end}});
    }
    o["jargon"] = jg;
    out.push_back(o);
  }
  json::object body;
  body["fields"] = out;
  return body;
}

}  // namespace

web::Data check_fields(app::Ctx& ctx, const std::vector<TextField>& fields, bool only_problems) {
  return page_data(ctx, run_all(ctx, fields), only_problems);
}

json::object check_json(app::Ctx& ctx, const std::vector<TextField>& fields) { return json_data(run_all(ctx, fields)); }

CheckAnswer check_both(app::Ctx& ctx, const std::vector<TextField>& fields) {
  auto b = run_all(ctx, fields);
  return {page_data(ctx, b, false), json_data(b)};
}

void form_support(app::Ctx& ctx, web::Data& page) { page.set("plain_js_url", ctx.app.assets->url("plain.js")); }

// -------------------------------------------------------------------- Easy Read

std::vector<std::string> easy_read_lines(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& raw : split(text, '\n')) {
    std::string line = trim(raw);
    // A list marker is layout, not words: Easy Read puts every item on its own line anyway.
    for (const char* marker : {"- ", "* ", "\u2022 "})
      if (starts_with(line, marker)) line = trim(line.substr(std::string_view(marker).size()));
    if (line.empty()) continue;
    std::size_t last = 0;
    detail::for_each_piece(line, 0, line.size(), [&](const detail::Piece& p) {
      // Anything before a piece (quotes, brackets) stays with the sentence it opens.
      std::size_t end = p.end;
      // Closing quotes and brackets belong to the sentence they close.
      for (bool more = true; more;) {
        more = false;
        for (std::string_view c : {")", "]", "\"", "'", "\u201d", "\u2019"})
          if (std::string_view(line).substr(end).starts_with(c)) end += c.size(), more = true;
      }
      std::string sentence = trim(std::string_view(line).substr(last, end - last));
      last = end;
      if (!sentence.empty()) out.push_back(sentence);
    });
    std::string rest = trim(std::string_view(line).substr(last));
    if (!rest.empty()) {
      if (out.empty() || last == 0) out.push_back(rest);
      else out.back() += " " + rest;  // closing punctuation or a stray symbol after the last stop
    }
  }
  return out;
}

web::Data easy_read(std::string_view text, const std::string& lang) {
  web::Data d;
  d.set("lang", lang);
  web::List lines;
  for (auto& l : easy_read_lines(text)) lines.push_back(web::Data("text", l));
  d.set("lines", lines);
  return d;
}

// -------------------------------------------------------------------- published texts

namespace {
std::mutex providers_mu;
std::map<std::string, TextProvider>& providers() {
  static std::map<std::string, TextProvider> p;
  return p;
}
}  // namespace

void register_texts(const std::string& name, TextProvider provider) {
  std::lock_guard lock(providers_mu);
  providers()[name] = std::move(provider);
}

std::vector<std::pair<std::string, TextProvider>> text_providers() {
  std::lock_guard lock(providers_mu);
  return {providers().begin(), providers().end()};
}

}  // namespace cp::plain
