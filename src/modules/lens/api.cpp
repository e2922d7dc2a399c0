// The learning lens as a read-only JSON API. /api/v1/lens... for the staff who may see the pages
// (the same policy), /api/v1/our-learning... for anyone. Every count is suppressed as on the pages:
// a hidden cell is {"suppressed": "fewer_than_5"} or {"suppressed": "secondary"}, never a number.
// Errors are RFC 9457 problem details (Ctx::problem, not_found, deny).
#include "core/util.hpp"
#include "modules/directory/directory.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/lens/publish.hpp"
#include "modules/organisations/organisations.hpp"

namespace cp::modules::lens {

namespace {

using app::Ctx;
namespace json = boost::json;

Tr tr_of(Ctx& ctx) {
  return [&ctx](const std::string& key, const std::vector<std::pair<std::string, std::string>>& args) { return ctx.t(key, args); };
}

json::object suppression(Ctx& ctx) {
  return json::object{{"threshold", kThreshold},
                      {"fewer_than_5", ctx.t("lens.api_fewer_than_5")},
                      {"secondary", ctx.t("lens.api_secondary")},
                      {"means", ctx.t("lens.export_means")}};
}

json::array charts_json(const std::vector<Chart>& charts, const std::vector<std::string>& titles) {
  json::array a;
  for (std::size_t i = 0; i < charts.size(); ++i) a.push_back(api_chart(charts[i], i < titles.size() ? titles[i] : charts[i].key));
  return a;
}

http::Response dashboard_json(Ctx& ctx, store::Work& w, const LensScope& sc) {
  auto d = build(w.scope(), sc, journeys::iso_date(now_seconds()), ctx.lang, tr_of(ctx));
  std::vector<std::string> titles;
  for (const auto& c : d.charts) titles.push_back(ctx.t("lens.chart_" + c.key));
  json::object scope{{"kind", sc.kind}, {"name", sc.kind == "partnership" ? ctx.partnership.name : sc.name}};
  if (sc.kind != "partnership") scope["id"] = sc.id;
  if (sc.kind == "service") scope["service_id"] = sc.service_uuid;
  json::object out{{"scope", scope}, {"as_of", d.today}, {"suppression", suppression(ctx)}, {"charts", charts_json(d.charts, titles)}};
  return ctx.json(200, out);
}

http::Response api_partnership(Ctx& ctx) {
  if (!lens_policy::can_view_partnership(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  return dashboard_json(ctx, w, LensScope{});
}

http::Response api_organisation(Ctx& ctx) {
  if (!lens_policy::can_use(ctx.actor)) return ctx.deny();
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id || *id <= 0) return ctx.not_found();
  auto w = ctx.read();
  auto o = organisations_store::get(w.scope(), *id);
  if (!o || o->archived) return ctx.not_found();
  if (!lens_policy::can_view_organisation(ctx.actor, o->id)) return ctx.deny();
  return dashboard_json(ctx, w, LensScope{"organisation", o->id, o->name, ""});
}

http::Response api_service(Ctx& ctx) {
  if (!lens_policy::can_use(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  const auto& ref = ctx.req.path_params["id"];
  std::optional<directory_store::ServiceBrief> b;
  if (auto id = parse_int(ref); id && *id > 0) b = directory_store::brief(w.scope(), *id);
  else if (!ref.empty()) b = directory_store::brief_by_uuid(w.scope(), ref);
  if (!b) return ctx.not_found();
  if (!lens_policy::can_view_service(ctx.actor, b->organisation_id)) return ctx.deny();
  return dashboard_json(ctx, w, LensScope{"service", b->id, b->name, b->uuid});
}

json::object summary_head(Ctx& ctx, const Summary& x) {
  auto title = web::pick(x.title, ctx.lang);
  std::string base = "/our-learning/" + std::to_string(x.id);
  return json::object{{"id", x.id},
                      {"title", title.text},
                      {"title_lang", title.lang},
                      {"published_on", journeys::iso_date(x.published_at)},
                      {"figures_on", x.figures_on},
                      {"href", base},
                      {"csv_href", base + "/figures.csv"},
                      {"api_href", "/api/v1" + base}};
}

http::Response api_summaries(Ctx& ctx) {
  auto w = ctx.read();
  json::array items;
  for (const auto& x : published_store::list(w.scope(), false)) items.push_back(summary_head(ctx, x));
  return ctx.json(200, json::object{{"partnership", ctx.partnership.name}, {"items", items}});
}

http::Response api_summary(Ctx& ctx) {
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id || *id <= 0) return ctx.not_found();
  std::optional<Summary> x;
  {
    auto w = ctx.read();
    x = published_store::get(w.scope(), *id);
  }
  if (!x || x->withdrawn) return ctx.not_found();
  auto out = summary_head(ctx, *x);
  if (!trim(x->note.en).empty() || !trim(x->note.cy).empty()) {
    auto note = web::pick(x->note, ctx.lang);
    out["note"] = note.text;
    out["note_lang"] = note.lang;
  } else {
    out["note"] = nullptr;
  }
  json::array quotes;
  for (const auto& q : x->quotes) quotes.push_back(json::object{{"chart", q.chart_key}, {"concluded", q.concluded}, {"will_try", q.will_try}});
  out["quotes"] = quotes;
  out["suppression"] = suppression(ctx);
  std::vector<std::string> titles;
  auto charts = decode_charts(ctx.lang == "cy" && !x->charts_cy.empty() ? x->charts_cy : x->charts_en, titles);
  out["charts"] = charts_json(charts, titles);
  return ctx.json(200, out);
}

}  // namespace

void install_api(app::App& a) {
  using app::RouteKind;
  a.route("GET", "/api/v1/lens", "api.lens.partnership", api_partnership, RouteKind::api);
  a.route("GET", "/api/v1/lens/organisations/{id}", "api.lens.organisation", api_organisation, RouteKind::api);
  a.route("GET", "/api/v1/lens/services/{id}", "api.lens.service", api_service, RouteKind::api);
  a.route("GET", "/api/v1/our-learning", "api.lens.summaries", api_summaries, RouteKind::api);
  a.route("GET", "/api/v1/our-learning/{id}", "api.lens.summary", api_summary, RouteKind::api);
}

}  // namespace cp::modules::lens
