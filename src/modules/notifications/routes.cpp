#include <algorithm>

#include "core/util.hpp"
#include "modules/notifications/notifications.hpp"
#include "web/format.hpp"

namespace cp::modules::notifications {

namespace {

using app::Ctx;

constexpr std::int64_t kPerPage = 20;

web::Data pagination(Ctx& ctx, const std::string& base, std::int64_t page, std::int64_t total) {
  std::int64_t pages = std::max<std::int64_t>(1, (total + kPerPage - 1) / kPerPage);
  if (pages <= 1) return web::Data(false);
  auto href = [&](std::int64_t p) { return base + "&page=" + std::to_string(p); };
  web::Data d;
  if (page > 1) d.set("prev_href", href(page - 1));
  if (page < pages) d.set("next_href", href(page + 1));
  web::List items;
  std::int64_t last = 0;
  for (std::int64_t p = 1; p <= pages; ++p) {
    if (p != 1 && p != pages && std::abs(p - page) > 1) continue;
    if (last && p > last + 1) {
      web::Data e;
      e.set("ellipsis", true);
      items.push_back(e);
    }
    web::Data item;
    item.set("number", std::to_string(p));
    item.set("href", href(p));
    item.set("label", ctx.t("site.page_label", {{"number", std::to_string(p)}}));
    item.set("current", p == page);
    items.push_back(item);
    last = p;
  }
  d.set("pages", items);
  return d;
}

// Notices belong to the person they were sent to: nobody else, staff included, sees them.
http::Response list_page(Ctx& ctx) {
  if (!ctx.signed_in()) return ctx.deny();
  bool unread_only = ctx.req.query_param("show") == "unread";
  std::int64_t page = std::clamp<std::int64_t>(parse_int(ctx.req.query_param("page")).value_or(1), 1, 100000);
  auto w = ctx.read();
  auto uid = ctx.actor->user_id;
  auto result = list(w.scope(), uid, unread_only, page, kPerPage);
  auto unread = unread_count(w.scope(), uid);
  auto pref = delivery(w.scope(), uid);
  web::Data d;
  web::List items;
  for (const auto& n : result.items) {
    web::Data item;
    item.set("id", std::to_string(n.id));
    item.set("text", render(ctx.app.catalogue, ctx.lang, n));
    item.set("link", n.link);
    item.set("unread", !n.read_at.has_value());
    item.set("when", web::format_date(ctx.lang, n.created_at));
    items.push_back(item);
  }
  d.set("notices", items);
  d.set("none", result.items.empty());
  d.set("unread_only", unread_only);
  d.set("any_unread", unread > 0);
  d.set("unread_count", web::plural(ctx.app.catalogue, ctx.lang, "notifications.unread_count", unread));
  d.set("delivery_label", ctx.t("notifications.delivery_" + to_string(pref)));
  d.set("return_to", std::string("/notifications?show=") + (unread_only ? "unread" : "all") + "&page=" + std::to_string(page));
  d.set("pagination", pagination(ctx, unread_only ? "/notifications?show=unread" : "/notifications?show=all", page,
                                 result.total));
  ctx.csrf();
  return ctx.page(ctx.t("notifications.title"), "notifications/list", d);
}

// Back to the list the person was looking at: only ever a /notifications path.
std::string back_to(Ctx& ctx) {
  auto r = ctx.field("return_to");
  if (starts_with(r, "/notifications") && r.find("//") == std::string::npos) return r;
  return "/notifications";
}

http::Response read_submit(Ctx& ctx) {
  if (!ctx.signed_in()) return ctx.deny();
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id || *id <= 0) return ctx.not_found();
  auto w = ctx.work();
  auto r = w->read("SELECT link FROM notices WHERE partnership_id = $1 AND id = $2 AND user_id = $3",
                   {*id, ctx.actor->user_id});
  if (r.empty()) return ctx.not_found();
  mark_read(w.scope(), ctx.actor->user_id, *id);
  w.commit();
  // "Open" marks it read and goes where it points; "Mark as read" stays on the list.
  auto link = r.one().text(0);
  if (ctx.field("go") == "1" && !link.empty()) return http::Response::redirect(link);
  return http::Response::redirect(back_to(ctx));
}

http::Response read_all_submit(Ctx& ctx) {
  if (!ctx.signed_in()) return ctx.deny();
  auto w = ctx.work();
  mark_all_read(w.scope(), ctx.actor->user_id);
  w.commit();
  ctx.set_flash("notifications.flash_all_read");
  return http::Response::redirect("/notifications");
}

http::Response settings_form(Ctx& ctx, Delivery chosen, const app::FormErrors& errors, int status) {
  web::Data d;
  errors.fill(d);
  web::List options;
  for (auto opt : {Delivery::immediate, Delivery::digest, Delivery::none}) {
    web::Data o;
    o.set("value", to_string(opt));
    // The first choice carries the field's own id so the error summary's link lands on it.
    o.set("input_id", opt == Delivery::immediate ? std::string("delivery") : "delivery-" + to_string(opt));
    o.set("label", ctx.t("notifications.delivery_" + to_string(opt)));
    o.set("hint", ctx.t("notifications.delivery_" + to_string(opt) + "_hint"));
    o.set("checked", opt == chosen);
    options.push_back(o);
  }
  d.set("options", options);
  d.set("email_on", !ctx.app.cfg.smtp_host.empty());
  ctx.csrf();
  return ctx.page(ctx.t("notifications.settings_title"), "notifications/settings", d, status);
}

http::Response settings_page(Ctx& ctx) {
  if (!ctx.signed_in()) return ctx.deny();
  auto w = ctx.read();
  return settings_form(ctx, delivery(w.scope(), ctx.actor->user_id), {}, 200);
}

http::Response settings_submit(Ctx& ctx) {
  if (!ctx.signed_in()) return ctx.deny();
  auto chosen = parse_delivery(ctx.field("delivery"));
  if (!chosen) {
    app::FormErrors e;
    e.add("delivery", ctx.t("notifications.error_delivery"));
    auto w = ctx.read();
    return settings_form(ctx, delivery(w.scope(), ctx.actor->user_id), e, 400);
  }
  auto w = ctx.work();
  set_delivery(w.scope(), ctx.actor->user_id, *chosen);
  w.commit();
  ctx.set_flash("notifications.flash_saved");
  return http::Response::redirect("/notifications");
}

}  // namespace

void install_routes(app::App& a) {
  a.route("GET", "/notifications", "notifications.list", list_page);
  a.route("POST", "/notifications/read-all", "notifications.read_all", read_all_submit);
  a.route("POST", "/notifications/{id}/read", "notifications.read", read_submit);
  a.route("GET", "/notifications/settings", "notifications.settings", settings_page);
  a.route("POST", "/notifications/settings", "notifications.settings_save", settings_submit);
  a.header_link([](Ctx& ctx) -> std::optional<app::App::HeaderLink> {
    auto w = ctx.read();
    auto n = unread_count(w.scope(), ctx.actor->user_id);
    std::string label = n == 0 ? ctx.t("notifications.header")
                               : ctx.t("notifications.header_unread", {{"count", web::format_number(ctx.lang, n)}});
    return app::App::HeaderLink{label, "/notifications"};
  });
}

}  // namespace cp::modules::notifications
