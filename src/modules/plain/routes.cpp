// Pages and API of the plain-language assistant.
#include <algorithm>

#include "core/util.hpp"
#include "modules/plain/policy.hpp"
#include "modules/plain/web.hpp"
#include "modules/plain/shared.hpp"
#include "web/format.hpp"

namespace cp::plain {

namespace {

using app::Ctx;
using app::FormErrors;
namespace json = boost::json;
namespace db = plain_store;

constexpr std::size_t kMaxApiFields = 20;
constexpr std::size_t kMaxApiText = 200 * 1024;  // all fields together: well above any form
constexpr std::size_t kReportRows = 50;

std::optional<std::int64_t> path_id(Ctx& ctx) {
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

FormErrors to_errors(Ctx& ctx, const std::vector<Problem>& problems) {
  FormErrors e;
  for (const auto& p : problems) e.add(p.field, ctx.t(p.key));
  return e;
}

web::List lang_options(Ctx& ctx, const std::string& selected, bool with_auto) {
  web::List list;
  std::vector<std::string> langs = {"en", "cy"};
  if (with_auto) langs.insert(langs.begin(), "");
  for (const auto& l : langs) {
    web::Data o;
    o.set("value", l);
    // The first radio carries the group's id, so the error summary's link lands on it.
    o.set("input_id", list.empty() ? std::string("lang") : "lang-" + (l.empty() ? std::string("auto") : l));
    o.set("label", ctx.t("plain.lang_" + (l.empty() ? std::string("auto") : l)));
    o.set("checked", l == selected);
    list.push_back(o);
  }
  return list;
}

// ------------------------------------------------------------ admin: settings and the word list

http::Response admin_page(Ctx& ctx, const std::optional<std::string>& target_typed, const FormErrors& errors, int status) {
  auto w = ctx.read();
  auto settings = db::settings(w.scope());
  auto entries = db::jargon(w.scope());
  web::Data d;
  errors.fill(d);
  d.set("target_age", target_typed ? *target_typed : std::to_string(settings.target_age));
  d.set("target_hint", ctx.t("plain.target_hint", {{"min", std::to_string(kMinTargetAge)}, {"max", std::to_string(kMaxTargetAge)}}));
  web::List rows;
  for (const auto& e : entries) {
    web::Data r;
    r.set("id", std::to_string(e.id));
    r.set("phrase", e.phrase);
    r.set("lang", e.lang);
    r.set("lang_label", ctx.t("plain.lang_" + e.lang));
    std::string alts;
    for (const auto& a : e.alternatives) alts += (alts.empty() ? "" : ctx.t("plain.web_or")) + a;
    r.set("alternatives", alts);
    r.set("updated", web::format_date(ctx.lang, e.updated_at));
    rows.push_back(r);
  }
  d.set("entries", rows);
  d.set("none", entries.empty());
  d.set("count", web::plural(ctx.app.catalogue, ctx.lang, "plain.admin_count", static_cast<std::int64_t>(entries.size())));
  ctx.csrf();
  return ctx.page(ctx.t("plain.admin_title"), "plain/admin", d, status);
}

http::Response admin_show(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  return admin_page(ctx, std::nullopt, {}, 200);
}

http::Response settings_submit(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  std::string typed = ctx.field("target_age");
  auto age = parse_int(typed);
  if (!age || *age < kMinTargetAge || *age > kMaxTargetAge) {
    FormErrors e;
    e.add("target_age", ctx.t("plain.error_target", {{"min", std::to_string(kMinTargetAge)}, {"max", std::to_string(kMaxTargetAge)}}));
    return admin_page(ctx, typed, e, 400);
  }
  auto w = ctx.work();
  db::save_settings(w.scope(), {static_cast<int>(*age)});
  w.commit();
  ctx.set_flash("plain.flash_settings");
  return http::Response::redirect("/admin/plain");
}

JargonInput jargon_from_form(Ctx& ctx) {
  JargonInput in;
  in.lang = ctx.field("lang");
  in.phrase = ctx.field("phrase");
  in.alternatives = ctx.field("alternatives");
  in.note = ctx.field("note");
  return in;
}

http::Response jargon_form(Ctx& ctx, const JargonInput& in, std::int64_t id, const FormErrors& errors, int status) {
  web::Data d;
  errors.fill(d);
  d.set("phrase", in.phrase);
  d.set("alternatives", in.alternatives);
  d.set("note", in.note);
  d.set("langs", lang_options(ctx, in.lang, false));
  d.set("editing", id != 0);
  d.set("action", id ? "/admin/plain/jargon/" + std::to_string(id) : std::string("/admin/plain/jargon"));
  ctx.csrf();
  return ctx.page(ctx.t(id ? "plain.jargon_edit_title" : "plain.jargon_new_title"), "plain/jargon_form", d, status);
}

http::Response jargon_new(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  JargonInput in;
  in.lang = ctx.lang == "cy" ? "cy" : "en";
  return jargon_form(ctx, in, 0, {}, 200);
}

http::Response jargon_create(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  auto in = jargon_from_form(ctx);
  auto problems = db::validate(in);
  if (!problems.empty()) return jargon_form(ctx, in, 0, to_errors(ctx, problems), 400);
  auto w = ctx.work();
  auto id = db::add_jargon(w.scope(), in);
  if (id == 0) {
    FormErrors e;
    e.add("phrase", ctx.t("plain.error_phrase_taken"));
    return jargon_form(ctx, in, 0, e, 409);
  }
  w.commit();
  ctx.set_flash("plain.flash_added");
  return http::Response::redirect("/admin/plain");
}

http::Response jargon_edit(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  std::optional<OwnJargon> e;
  {
    auto w = ctx.read();
    e = db::jargon_entry(w.scope(), *id);
  }
  if (!e) return ctx.not_found();
  JargonInput in{e->lang, e->phrase, "", e->note};
  for (const auto& a : e->alternatives) in.alternatives += (in.alternatives.empty() ? "" : "\n") + a;
  return jargon_form(ctx, in, *id, {}, 200);
}

http::Response jargon_update(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  auto in = jargon_from_form(ctx);
  auto w = ctx.work();
  if (!db::jargon_entry(w.scope(), *id)) return ctx.not_found();
  auto problems = db::validate(in);
  if (!problems.empty()) return jargon_form(ctx, in, *id, to_errors(ctx, problems), 400);
  auto saved = db::update_jargon(w.scope(), *id, in);
  if (saved == db::Saved::not_found) return ctx.not_found();
  if (saved == db::Saved::duplicate) {
    FormErrors e;
    e.add("phrase", ctx.t("plain.error_phrase_taken"));
    return jargon_form(ctx, in, *id, e, 409);
  }
  w.commit();
  ctx.set_flash("plain.flash_updated");
  return http::Response::redirect("/admin/plain");
}

http::Response jargon_remove(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  auto w = ctx.work();
  if (!db::remove_jargon(w.scope(), *id)) return ctx.not_found();
  w.commit();
  ctx.set_flash("plain.flash_removed");
  return http::Response::redirect("/admin/plain");
}

// ------------------------------------------------------------ report

struct Ranked {
  PublishedText text;
  Report report;
  std::string lang;
  double longest_share = 0;  // share of sentences over the limit (Welsh texts are ranked by this)
};

http::Response report_page(Ctx& ctx) {
  if (!policy::can_see_report(ctx.actor)) return ctx.deny();
  const auto& checker = shared_checker(ctx.app.cfg.share_dir);
  std::vector<PublishedText> texts;
  Settings settings;
  JargonList own_en, own_cy;
  {
    auto w = ctx.read();
    settings = db::settings(w.scope());
    own_en = db::to_list(db::jargon(w.scope(), "en"));
    own_cy = db::to_list(db::jargon(w.scope(), "cy"));
    for (const auto& [name, provider] : text_providers())
      for (auto& t : provider(w.scope())) texts.push_back(std::move(t));
  }
  std::vector<Ranked> english, welsh;
  for (auto& t : texts) {
    if (trim(t.text).empty()) continue;
    Ranked r;
    r.lang = check_language(t.lang, t.text, "en");
    Limits limits;
    limits.english = r.lang == "en";
    r.report = checker.check(t.text, r.lang == "cy" ? &own_cy : &own_en, limits);
    if (r.report.counts.sentences > 0)
      r.longest_share = static_cast<double>(r.report.long_sentences.size()) / static_cast<double>(r.report.counts.sentences);
    r.text = std::move(t);
    (r.lang == "cy" ? welsh : english).push_back(std::move(r));
  }
  // Hardest first: reading age, then how much of the text is in long sentences, then jargon.
  std::stable_sort(english.begin(), english.end(), [](const Ranked& a, const Ranked& b) {
    auto ka = std::make_tuple(a.report.reading_age.value_or(0), a.longest_share, a.report.jargon.size());
    auto kb = std::make_tuple(b.report.reading_age.value_or(0), b.longest_share, b.report.jargon.size());
    return ka > kb;
  });
  std::stable_sort(welsh.begin(), welsh.end(), [](const Ranked& a, const Ranked& b) {
    auto avg = [](const Ranked& r) {
      return r.report.counts.sentences ? static_cast<double>(r.report.counts.words) / static_cast<double>(r.report.counts.sentences) : 0.0;
    };
    return std::make_tuple(a.longest_share, avg(a), a.report.jargon.size()) >
           std::make_tuple(b.longest_share, avg(b), b.report.jargon.size());
  });
  auto rows = [&](const std::vector<Ranked>& list) {
    web::List out;
    for (std::size_t i = 0; i < list.size() && i < kReportRows; ++i) {
      const auto& r = list[i];
      web::Data d;
      d.set("title", r.text.title);
      d.set("url", r.text.url);
      d.set("lang", r.lang);
      auto age = r.report.reading_age;
      d.set("reading_age", age ? (*age >= 18 ? ctx.t("plain.report_adult") : web::format_number(ctx.lang, *age))
                               : ctx.t("plain.report_none"));
      d.set("too_hard", age && *age > settings.target_age);
      d.set("long_sentences", web::format_number(ctx.lang, static_cast<std::int64_t>(r.report.long_sentences.size())));
      d.set("sentences", web::format_number(ctx.lang, r.report.counts.sentences));
      d.set("jargon", web::format_number(ctx.lang, static_cast<std::int64_t>(r.report.jargon.size())));
      out.push_back(d);
    }
    return out;
  };
  std::int64_t over = std::count_if(english.begin(), english.end(), [&](const Ranked& r) {
    return r.report.reading_age && *r.report.reading_age > settings.target_age;
  });
  web::Data d;
  d.set("english", rows(english));
  d.set("welsh", rows(welsh));
  d.set("has_english", !english.empty());
  d.set("has_welsh", !welsh.empty());
  d.set("none", english.empty() && welsh.empty());
  d.set("summary", ctx.t("plain.report_summary",
                         {{"texts", web::plural(ctx.app.catalogue, ctx.lang, "plain.report_texts",
                                                static_cast<std::int64_t>(english.size() + welsh.size()))},
                          {"over", web::plural(ctx.app.catalogue, ctx.lang, "plain.report_over", over)},
                          {"target", web::format_number(ctx.lang, settings.target_age)}}));
  d.set("shown", ctx.t("plain.report_shown", {{"count", web::format_number(ctx.lang, kReportRows)}}));
  return ctx.page(ctx.t("plain.report_title"), "plain/report", d);
}

// ------------------------------------------------------------ the check on its own page, and its API

http::Response checker_page(Ctx& ctx) {
  if (!policy::can_check(ctx.actor)) return ctx.deny();
  web::Data d;
  std::string text = ctx.req.method == "POST" ? ctx.field("text") : std::string();
  std::string lang = ctx.req.method == "POST" ? ctx.field("lang") : std::string();
  if (lang != "en" && lang != "cy") lang.clear();
  d.set("text", text);
  d.set("langs", lang_options(ctx, lang, true));
  form_support(ctx, d);
  if (ctx.req.method == "POST") {
    if (trim(text).empty()) {
      FormErrors e;
      e.add("text", ctx.t("plain.error_text_missing"));
      e.fill(d);
      ctx.csrf();
      return ctx.page(ctx.t("plain.check_title"), "plain/checker", d, 400);
    }
    d.set("plain", check_fields(ctx, {{"text", ctx.t("plain.check_field"), text, lang}}));
  }
  ctx.csrf();
  return ctx.page(ctx.t("plain.check_title"), "plain/checker", d);
}

http::Response api_check(Ctx& ctx) {
  if (!policy::can_check(ctx.actor)) return ctx.deny();
  http::Response err;
  auto body = ctx.json_body(err);
  if (!body) return err;
  std::vector<TextField> fields;
  json::array problems;
  auto bad = [&](const std::string& field, const std::string& key) {
    problems.push_back({{"field", field}, {"message", ctx.t(key)}});
  };
  std::size_t total = 0;
  auto read_field = [&](const json::object& o, const std::string& where) {
    TextField f;
    for (const auto& [k, v] : o) {
      std::string key(k);
      if (key != "id" && key != "label" && key != "text" && key != "lang") bad(where + key, "plain.api_unknown");
      else if (!v.is_string()) bad(where + key, "plain.api_type");
      else if (key == "id") f.id = std::string(v.as_string());
      else if (key == "label") f.label = std::string(v.as_string());
      else if (key == "text") f.text = std::string(v.as_string());
      else f.lang = std::string(v.as_string());
    }
    if (!o.contains("text")) bad(where + "text", "plain.api_text_missing");
    if (!f.lang.empty() && f.lang != "en" && f.lang != "cy") bad(where + "lang", "plain.api_lang");
    total += f.text.size();
    fields.push_back(std::move(f));
  };
  if (const auto* list = body->if_contains("fields")) {
    if (!list->is_array()) bad("fields", "plain.api_type");
    else if (list->as_array().size() > kMaxApiFields) bad("fields", "plain.api_too_many");
    else
      for (std::size_t i = 0; i < list->as_array().size(); ++i) {
        const auto& item = list->as_array()[i];
        if (!item.is_object()) bad("fields." + std::to_string(i), "plain.api_type");
        else read_field(item.as_object(), "fields." + std::to_string(i) + ".");
      }
    for (const auto& [k, v] : *body)
      if (k != "fields") bad(std::string(k), "plain.api_unknown");
  } else {
    read_field(*body, "");
  }
  if (!problems.empty())
    return ctx.problem(422, ctx.t("site.api_invalid_title"), ctx.t("site.api_invalid"), {{"errors", problems}});
  if (total > kMaxApiText)
    return ctx.problem(413, ctx.t("plain.api_too_big_title"), ctx.t("plain.api_too_big", {{"limit", "200"}}));
  auto answer = check_both(ctx, fields);
  // The rendered results let the page's script update its live region with exactly what the
  // form post shows, so there is one presentation to keep accessible.
  web::Data page;
  page.set("plain", answer.page);
  answer.json["html"] = ctx.app.templates->render("plain/results", ctx.lang, page);
  return ctx.json(200, answer.json);
}

// ------------------------------------------------------------ Easy Read guide

http::Response guide_page(Ctx& ctx) {
  if (!policy::can_read_guide(ctx.actor)) return ctx.deny();
  web::Data d;
  web::List sections;
  for (const char* s : {"why", "words", "sentences", "layout", "check"}) {
    web::Data sec;
    sec.set("heading", ctx.t(std::string("plain.guide_") + s + "_heading"));
    sec.set("easy_read", easy_read(ctx.t(std::string("plain.guide_") + s), ctx.lang));
    sections.push_back(sec);
  }
  d.set("sections", sections);
  d.set("can_check", policy::can_check(ctx.actor));
  return ctx.page(ctx.t("plain.guide_title"), "plain/guide", d);
}

}  // namespace

void PlainModule::install(app::App& a) {
  a.route("GET", "/admin/plain", "plain.admin", admin_show);
  a.route("POST", "/admin/plain/settings", "plain.settings", settings_submit);
  a.route("GET", "/admin/plain/jargon/new", "plain.jargon_new", jargon_new);
  a.route("POST", "/admin/plain/jargon", "plain.jargon_create", jargon_create);
  a.route("GET", "/admin/plain/jargon/{id}/edit", "plain.jargon_edit", jargon_edit);
  a.route("POST", "/admin/plain/jargon/{id}", "plain.jargon_update", jargon_update);
  a.route("POST", "/admin/plain/jargon/{id}/remove", "plain.jargon_remove", jargon_remove);
  a.route("GET", "/admin/plain/report", "plain.report", report_page);
  a.route("GET", "/plain/check", "plain.check", checker_page);
  a.route("POST", "/plain/check", "plain.check_submit", checker_page);
  a.route("GET", "/plain/guide", "plain.guide", guide_page);
  a.route("POST", "/api/v1/plain/check", "api.plain.check", api_check, app::RouteKind::api);
  a.nav({"plain.nav_admin", "/admin/plain", [](const Ctx& c) { return policy::can_manage(c.actor); }});
}

}  // namespace cp::plain
