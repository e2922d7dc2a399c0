// Published lens summaries: the admin's "Publish a summary" page and the public /our-learning pages.
#include <algorithm>
#include <ctime>
#include <map>

#include "core/util.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/lens/chart_view.hpp"
#include "modules/lens/publish.hpp"
#include "modules/lens/svg.hpp"
#include "web/format.hpp"

namespace cp::modules::lens {

namespace {

using app::Ctx;
using app::FormErrors;

constexpr std::size_t kMaxTitle = 200;
constexpr std::size_t kMaxNote = 6000;
constexpr std::size_t kMaxQuotes = 10;

std::string summary_path(std::int64_t id) { return "/our-learning/" + std::to_string(id); }


// The summary's charts in the reader's language.
std::vector<Chart> charts_of(Ctx& ctx, const Summary& x, std::vector<std::string>& titles) {
  return decode_charts(ctx.lang == "cy" && !x.charts_cy.empty() ? x.charts_cy : x.charts_en, titles);
}

std::optional<Summary> shown_summary(Ctx& ctx, store::Scope& s) {
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id || *id <= 0) return std::nullopt;
  auto x = published_store::get(s, *id);
  if (!x || x->withdrawn) return std::nullopt;
  return x;
}

// ------------------------------------------------------------ public pages

http::Response list_page(Ctx& ctx) {
  std::vector<Summary> all;
  {
    auto w = ctx.read();
    all = published_store::list(w.scope(), false);
  }
  web::Data d;
  web::List items;
  for (const auto& x : all) {
    web::Data i;
    i.set("href", summary_path(x.id));
    i.set("title", web::bilingual_data(x.title, ctx.lang));
    i.set("published_on", web::format_date(ctx.lang, x.published_at));
    i.set("figures_on", web::format_day(ctx.lang, x.figures_on));
    items.push_back(i);
  }
  d.set("items", items);
  d.set("has_items", !items.empty());
  d.set("partnership", ctx.partnership.name);
  return ctx.page(ctx.t("lens.pub_list_title"), "lens/published_list", d);
}

http::Response summary_page(Ctx& ctx) {
  std::optional<Summary> x;
  {
    auto w = ctx.read();
    x = shown_summary(ctx, w.scope());
  }
  if (!x) return ctx.not_found();
  std::vector<std::string> titles;
  auto charts = charts_of(ctx, *x, titles);
  web::Data d;
  d.set("title", web::bilingual_data(x->title, ctx.lang));
  d.set("partnership", ctx.partnership.name);
  d.set("published_on", web::format_date(ctx.lang, x->published_at));
  d.set("figures_on", web::format_day(ctx.lang, x->figures_on));
  if (!trim(x->note.en).empty() || !trim(x->note.cy).empty()) d.set("note", web::bilingual_data(x->note, ctx.lang));
  std::map<std::string, std::string> title_of;
  for (std::size_t i = 0; i < charts.size(); ++i) title_of[charts[i].key] = titles[i];
  web::List quotes;
  for (const auto& q : x->quotes) {
    web::Data qd;
    auto it = title_of.find(q.chart_key);
    qd.set("chart_title", it == title_of.end() ? ctx.t("lens.chart_" + q.chart_key) : it->second);
    qd.set("chart_href", "#chart-" + q.chart_key);
    qd.set("concluded", q.concluded);
    qd.set("will_try", q.will_try);
    quotes.push_back(qd);
  }
  d.set("quotes", quotes);
  d.set("has_quotes", !quotes.empty());
  d.set("csv_href", summary_path(x->id) + "/figures.csv");
  std::map<std::string, web::List> sections;
  web::List contents;
  for (std::size_t i = 0; i < charts.size(); ++i) {
    sections[charts[i].section].push_back(chart_view(ctx, charts[i], titles[i]));
    web::Data link;
    link.set("href", "#chart-" + charts[i].key);
    link.set("title", titles[i]);
    contents.push_back(link);
  }
  d.set("contents", contents);
  d.set("employability", sections["employability"]);
  d.set("other", sections["other"]);
  d.set("groups", sections["groups"]);
  d.set("has_other", !sections["other"].empty());
  d.set("has_groups", !sections["groups"].empty());
  return ctx.page(web::pick(x->title, ctx.lang).text, "lens/published", d);
}

http::Response summary_csv(Ctx& ctx) {
  std::optional<Summary> x;
  {
    auto w = ctx.read();
    x = shown_summary(ctx, w.scope());
  }
  if (!x) return ctx.not_found();
  Dashboard d;
  std::vector<std::string> titles;
  d.charts = charts_of(ctx, *x, titles);
  d.today = x->figures_on;
  std::vector<std::string> note = {web::pick(x->title, ctx.lang).text,
                                   ctx.t("lens.export_heading", {{"name", ctx.partnership.name}}),
                                   ctx.t("lens.export_date", {{"date", x->figures_on}}),
                                   ctx.t("lens.pub_csv_published", {{"date", journeys::iso_date(x->published_at)}}),
                                   ctx.t("lens.export_small"), ctx.t("lens.export_secondary"), ctx.t("lens.export_means")};
  http::Response r;
  r.body = export_csv(d, titles, note);
  r.content_type = "text/csv; charset=utf-8";
  r.header("Content-Disposition", "attachment; filename=\"our-learning-" + ctx.partnership.slug + "-" + std::to_string(x->id) +
                                      "-" + x->figures_on + ".csv\"");
  return r;
}

// ------------------------------------------------------------ the admin's page

struct PublishForm {
  std::string title, title_cy, note, note_cy;
  std::vector<std::string> entries;
};

http::Response publish_render(Ctx& ctx, const PublishForm& in, const FormErrors& errors, int status) {
  auto w = ctx.read();
  web::Data d;
  errors.fill(d);
  ctx.csrf();
  d.set("title", in.title);
  d.set("title_cy", in.title_cy);
  d.set("note", in.note);
  d.set("note_cy", in.note_cy);
  web::List entries;
  for (const auto& e : lens_store::entries(w.scope(), "partnership", 0)) {
    if (!publishable(e.chart_key)) continue;
    web::Data x;
    auto id = std::to_string(e.id);
    x.set("id", id);
    x.set("input_id", entries.empty() ? std::string("entries") : "entry-" + id);  // the error summary links to the first
    x.set("chart_title", ctx.t("lens.chart_" + e.chart_key));
    x.set("concluded", e.concluded);
    x.set("will_try", e.will_try);
    x.set("checked", std::find(in.entries.begin(), in.entries.end(), id) != in.entries.end());
    entries.push_back(x);
  }
  d.set("entries", entries);
  d.set("has_entries", !entries.empty());
  web::List items;
  for (const auto& x : published_store::list(w.scope(), true)) {
    web::Data i;
    i.set("id", std::to_string(x.id));
    i.set("title", web::bilingual_data(x.title, ctx.lang));
    i.set("href", summary_path(x.id));
    i.set("published_on", web::format_date(ctx.lang, x.published_at));
    i.set("withdrawn", x.withdrawn);
    if (x.withdrawn_at) i.set("withdrawn_on", web::format_date(ctx.lang, *x.withdrawn_at));
    items.push_back(i);
  }
  d.set("items", items);
  d.set("has_items", !items.empty());
  return ctx.page(ctx.t("lens.pub_form_title"), "lens/publish_form", d, status);
}

PublishForm form_of(Ctx& ctx) {
  PublishForm in;
  in.title = ctx.field("title");
  in.title_cy = ctx.field("title_cy");
  in.note = ctx.field("note");
  in.note_cy = ctx.field("note_cy");
  auto range = ctx.form().equal_range("entry");
  for (auto it = range.first; it != range.second; ++it) in.entries.push_back(trim(it->second));
  return in;
}

http::Response publish_page(Ctx& ctx) {
  if (!lens_publish_policy::can_publish(ctx.actor)) return ctx.deny();
  return publish_render(ctx, {}, {}, 200);
}

http::Response publish_submit(Ctx& ctx) {
  if (!lens_publish_policy::can_publish(ctx.actor)) return ctx.deny();
  auto in = form_of(ctx);
  FormErrors e;
  if (in.title.empty()) e.add("title", ctx.t("lens.pub_error_title"));
  else if (in.title.size() > kMaxTitle) e.add("title", ctx.t("lens.pub_error_title_long"));
  if (in.title_cy.size() > kMaxTitle) e.add("title_cy", ctx.t("lens.pub_error_title_long"));
  if (in.note.size() > kMaxNote) e.add("note", ctx.t("lens.pub_error_note_long"));
  if (in.note_cy.size() > kMaxNote) e.add("note_cy", ctx.t("lens.pub_error_note_long"));
  std::vector<Quote> quotes;
  {
    auto r = ctx.read();
    std::map<std::string, LogEntry> log;
    for (auto& x : lens_store::entries(r.scope(), "partnership", 0)) log[std::to_string(x.id)] = std::move(x);
    bool bad = false;
    for (const auto& id : in.entries) {
      auto it = log.find(id);
      if (it == log.end() || !publishable(it->second.chart_key)) bad = true;
      else quotes.push_back({it->second.chart_key, it->second.concluded, it->second.will_try});
    }
    if (bad) e.add("entries", ctx.t("lens.pub_error_entry"));
    else if (quotes.size() > kMaxQuotes) e.add("entries", ctx.t("lens.pub_error_too_many", {{"max", std::to_string(kMaxQuotes)}}));
  }
  if (e.any()) return publish_render(ctx, in, e, 400);
  std::int64_t id = 0;
  {
    auto w = ctx.work();
    id = published_store::publish(w.scope(), ctx.app.catalogue, journeys::iso_date(now_seconds()), {in.title, in.title_cy},
                                  {in.note, in.note_cy}, quotes);
    w.commit();
  }
  ctx.set_flash("lens.pub_flash_published");
  return http::Response::redirect(summary_path(id));
}

http::Response withdraw_submit(Ctx& ctx, bool withdraw) {
  if (!lens_publish_policy::can_publish(ctx.actor)) return ctx.deny();
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id || *id <= 0) return ctx.not_found();
  auto w = ctx.work();
  if (!published_store::get(w.scope(), *id)) return ctx.not_found();
  published_store::set_withdrawn(w.scope(), *id, withdraw);
  w.commit();
  ctx.set_flash(withdraw ? "lens.pub_flash_withdrawn" : "lens.pub_flash_republished");
  return http::Response::redirect("/lens/publish#published");
}

}  // namespace

void install_published(app::App& a) {
  a.route("GET", "/lens/publish", "lens.publish", publish_page);
  a.route("POST", "/lens/publish", "lens.publish_save", publish_submit);
  a.route("POST", "/lens/publish/{id}/withdraw", "lens.publish_withdraw", [](Ctx& c) { return withdraw_submit(c, true); });
  a.route("POST", "/lens/publish/{id}/restore", "lens.publish_restore", [](Ctx& c) { return withdraw_submit(c, false); });
  a.route("GET", "/our-learning", "lens.our_learning", list_page);
  a.route("GET", "/our-learning/{id}", "lens.our_learning_summary", summary_page);
  a.route("GET", "/our-learning/{id}/figures.csv", "lens.our_learning_csv", summary_csv);
}

}  // namespace cp::modules::lens
