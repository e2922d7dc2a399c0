// The site module: the start page, the accessibility statement, the privacy notice, and the
// operational endpoints /healthz (checks the database) and /metrics (Prometheus text).
#include <boost/json.hpp>

#include "app/app.hpp"
#include "modules/charters/charters.hpp"
#include "modules/site/site.hpp"

namespace cp::modules {

namespace {

http::Response start(app::Ctx& ctx) {
  web::Data d;
  d.set("partnership_name", ctx.partnership.name);
  d.set("partnership_summary", ctx.partnership.summary);
  d.set("signed_in", ctx.signed_in());
  if (ctx.signed_in()) {
    // "Please read our charter": charters whose current version this person has not agreed to.
    auto w = ctx.read();
    web::List pending;
    for (const auto& p : charters::needs_signature(w.scope(), ctx.actor->user_id)) {
      web::Data x;
      // A Welsh reader sees the Welsh title where there is one; the English one is marked as English.
      bool welsh = ctx.lang == "cy" && !p.title_cy.empty();
      x.set("title", welsh ? p.title_cy : p.title);
      if (ctx.lang == "cy" && !welsh) x.set("title_lang", std::string("en"));
      x.set("href", p.href);
      x.set("changed", p.signed_number > 0);
      pending.push_back(x);
    }
    d.set("has_charters_pending", !pending.empty());
    d.set("charters_pending", pending);
  }
  return ctx.page(ctx.t("site.start_title"), "site/start", d);
}

http::Response healthz(app::Ctx& ctx) {
  boost::json::object o;
  bool ok = false;
  try {
    auto lease = ctx.app.db->lease();
    ok = lease->ping();
  } catch (const std::exception&) {
    ok = false;
  }
  o["status"] = ok ? "ok" : "unavailable";
  o["database"] = ok ? "ok" : "unreachable";
  o["version"] = COPRODUCE_VERSION;
  auto res = ctx.json(ok ? 200 : 503, o);
  res.header("Cache-Control", "no-store");
  return res;
}

http::Response metrics(app::Ctx& ctx) {
  auto s = ctx.app.db->stats();
  std::string extra;
  extra += "# HELP coproduce_db_pool_connections Database connections open in the pool.\n";
  extra += "# TYPE coproduce_db_pool_connections gauge\n";
  extra += "coproduce_db_pool_connections " + std::to_string(s.size) + "\n";
  extra += "# HELP coproduce_db_pool_in_use Database connections leased right now.\n";
  extra += "# TYPE coproduce_db_pool_in_use gauge\n";
  extra += "coproduce_db_pool_in_use " + std::to_string(s.in_use) + "\n";
  extra += "# HELP coproduce_db_pool_waits_total Leases that had to wait for a free connection.\n";
  extra += "# TYPE coproduce_db_pool_waits_total counter\n";
  extra += "coproduce_db_pool_waits_total " + std::to_string(s.waited) + "\n";
  extra += "# HELP coproduce_db_pool_timeouts_total Leases that gave up waiting.\n";
  extra += "# TYPE coproduce_db_pool_timeouts_total counter\n";
  extra += "coproduce_db_pool_timeouts_total " + std::to_string(s.timeouts) + "\n";
  http::Response res;
  res.content_type = "text/plain; version=0.0.4; charset=utf-8";
  res.body = ctx.app.metrics.render(extra);
  return res;
}

}  // namespace

void SiteModule::install(app::App& a) {
  a.route("GET", "/", "site.start", start);
  a.route("GET", "/accessibility", "site.accessibility",
          [](app::Ctx& c) { return c.page(c.t("site.accessibility_title"), "site/accessibility", {}); });
  a.route("GET", "/privacy", "site.privacy",
          [](app::Ctx& c) { return c.page(c.t("site.privacy_title"), "site/privacy", {}); });
  a.route("GET", "/healthz", "site.healthz", healthz, app::RouteKind::open);
  a.route("GET", "/metrics", "site.metrics", metrics, app::RouteKind::open);
  a.nav({"site.home", "/", nullptr});
}

}  // namespace cp::modules
