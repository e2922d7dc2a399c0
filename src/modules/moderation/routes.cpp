#include <algorithm>

#include "core/util.hpp"
#include "modules/moderation/queue.hpp"
#include "web/format.hpp"

namespace cp::modules::moderation {

namespace {

using app::Ctx;
using app::FormErrors;

constexpr std::int64_t kPerPage = 20;
constexpr std::size_t kMaxText = 2000;

std::optional<std::int64_t> id_param(Ctx& ctx, const char* name = "id") {
  auto id = parse_int(ctx.req.path_params[name]);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

std::string kind_label(Ctx& ctx, const std::string& kind) {
  auto key = "moderation.kind_" + kind;
  return ctx.app.catalogue.has(ctx.lang, key) || ctx.app.catalogue.has("en", key) ? ctx.t(key) : kind;
}

// ------------------------------------------------------------ the public report form

http::Response report_form(Ctx& ctx, const std::string& kind, std::int64_t id, const Item& item,
                           const std::string& reason, const std::string& details, const FormErrors& errors, int status) {
  web::Data d;
  errors.fill(d);
  d.set("kind", kind);
  d.set("id", std::to_string(id));
  d.set("kind_label", kind_label(ctx, kind));
  d.set("text", item.hidden ? std::string() : item.text);
  d.set("hidden", item.hidden);
  d.set("back", item.link);
  d.set("details", details);
  web::List reasons;
  bool first = true;
  for (const auto& r : kReportReasons) {
    web::Data o;
    o.set("value", r);
    o.set("label", ctx.t("moderation.reason_" + r));
    o.set("checked", r == reason);
    o.set("input_id", first ? std::string("reason") : "reason-" + r);
    first = false;
    reasons.push_back(o);
  }
  d.set("reasons", reasons);
  ctx.csrf();
  return ctx.page(ctx.t("moderation.report_title"), "moderation/report", d, status);
}

http::Response report_page(Ctx& ctx) {
  if (!policy::can_report(ctx.actor)) return ctx.deny();
  auto kind = find_kind(ctx.req.path_params["kind"]);
  auto id = id_param(ctx);
  if (!kind || !id) return ctx.not_found();
  auto w = ctx.read();
  auto item = kind->fetch(w.scope(), *id);
  if (!item) return ctx.not_found();
  return report_form(ctx, kind->name, *id, *item, "", "", {}, 200);
}

http::Response report_submit(Ctx& ctx) {
  if (!policy::can_report(ctx.actor)) return ctx.deny();
  auto kind = find_kind(ctx.req.path_params["kind"]);
  auto id = id_param(ctx);
  if (!kind || !id) return ctx.not_found();
  auto reason = ctx.field("reason");
  auto details = ctx.field("details");
  auto w = ctx.work();
  auto item = kind->fetch(w.scope(), *id);
  if (!item) return ctx.not_found();
  FormErrors e;
  if (std::find(kReportReasons.begin(), kReportReasons.end(), reason) == kReportReasons.end())
    e.add("reason", ctx.t("moderation.error_reason"));
  if (reason == "other" && details.empty()) e.add("details", ctx.t("moderation.error_details"));
  if (details.size() > kMaxText) e.add("details", ctx.t("moderation.error_too_long"));
  if (e.any()) return report_form(ctx, kind->name, *id, *item, reason, details, e, 400);
  auto result = add_report(w.scope(), kind->name, *id, *item, ctx.actor->user_id, reason, details);
  w.commit();
  ctx.set_flash(result == Reported::added ? "moderation.flash_reported" : "moderation.flash_already");
  return http::Response::redirect(item->link.empty() ? "/" : item->link);
}

// ------------------------------------------------------------ the queue

web::Data entry_data(Ctx& ctx, const QueueEntry& e) {
  web::Data d;
  d.set("kind", e.kind);
  d.set("kind_label", kind_label(ctx, e.kind));
  d.set("item_id", std::to_string(e.item_id));
  d.set("excerpt", e.excerpt);
  d.set("link", e.link);
  d.set("status", e.status);
  d.set("status_label", ctx.t("moderation.status_" + e.status));
  d.set("reports", web::plural(ctx.app.catalogue, ctx.lang, "moderation.report_count", e.report_count));
  d.set("open_reports", e.open_reports);
  d.set("last", web::format_date(ctx.lang, e.last_reported_at));
  d.set("href", "/moderation/" + e.kind + "/" + std::to_string(e.item_id));
  return d;
}

http::Response queue_page(Ctx& ctx) {
  if (!policy::can_moderate(ctx.actor)) return ctx.deny();
  auto status = ctx.req.query_param("status");
  if (status != "hidden" && status != "kept") status = "open";
  std::int64_t page = std::clamp<std::int64_t>(parse_int(ctx.req.query_param("page")).value_or(1), 1, 100000);
  auto w = ctx.read();
  auto result = queue(w.scope(), status, page, kPerPage);
  web::Data d;
  web::List items;
  for (const auto& e : result.items) items.push_back(entry_data(ctx, e));
  d.set("items", items);
  d.set("none", result.items.empty());
  d.set("count", web::plural(ctx.app.catalogue, ctx.lang, "moderation.count_" + status, result.total));
  web::List tabs;
  for (std::string s : {"open", "hidden", "kept"}) {
    web::Data t;
    t.set("href", "/moderation?status=" + s);
    t.set("label", ctx.t("moderation.tab_" + s));
    t.set("current", s == status);
    tabs.push_back(t);
  }
  d.set("tabs", tabs);
  std::int64_t pages = std::max<std::int64_t>(1, (result.total + kPerPage - 1) / kPerPage);
  if (page > 1) d.set("prev_href", "/moderation?status=" + status + "&page=" + std::to_string(page - 1));
  if (page < pages) d.set("next_href", "/moderation?status=" + status + "&page=" + std::to_string(page + 1));
  return ctx.page(ctx.t("moderation.queue_title"), "moderation/queue", d);
}

http::Response item_form(Ctx& ctx, const Kind& kind, std::int64_t id, const FormErrors& errors, int status,
                         const std::string& reason = "") {
  auto w = ctx.read();
  auto item = kind.fetch(w.scope(), id);
  if (!item) return ctx.not_found();
  auto e = entry(w.scope(), kind.name, id);
  web::Data d;
  errors.fill(d);
  d.set("kind", kind.name);
  d.set("kind_label", kind_label(ctx, kind.name));
  d.set("id", std::to_string(id));
  d.set("text", item->text);
  d.set("link", item->link);
  d.set("hidden", item->hidden);
  d.set("reason", reason);
  d.set("status_label", ctx.t(item->hidden ? "moderation.status_hidden" : "moderation.status_visible"));
  d.set("author", item->author_user_id > 0);
  d.set("author_id", std::to_string(item->author_user_id));
  auto blocked = item->author_user_id > 0 ? block_of(w.scope(), item->author_user_id) : std::nullopt;
  d.set("author_blocked", blocked.has_value());
  if (blocked) d.set("block_reason", blocked->reason);
  web::List reps, decs;
  if (e) {
    for (const auto& r : reports(w.scope(), e->id)) {
      web::Data x;
      x.set("reason", ctx.t("moderation.reason_" + r.reason));
      x.set("details", r.details);
      x.set("when", web::format_date(ctx.lang, r.created_at));
      x.set("resolved", r.resolved);
      reps.push_back(x);
    }
    for (const auto& dd : decisions(w.scope(), e->id)) {
      web::Data x;
      x.set("action", ctx.t("moderation.action_" + dd.action));
      x.set("reason", dd.reason);
      x.set("when", web::format_date(ctx.lang, dd.created_at));
      decs.push_back(x);
    }
  }
  d.set("reports", reps);
  d.set("any_reports", !reps.empty());
  d.set("decisions", decs);
  d.set("any_decisions", !decs.empty());
  ctx.csrf();
  return ctx.page(ctx.t("moderation.item_title", {{"kind", kind_label(ctx, kind.name)}}), "moderation/item", d, status);
}

http::Response item_page(Ctx& ctx) {
  if (!policy::can_moderate(ctx.actor)) return ctx.deny();
  auto kind = find_kind(ctx.req.path_params["kind"]);
  auto id = id_param(ctx);
  if (!kind || !id) return ctx.not_found();
  return item_form(ctx, *kind, *id, {}, 200);
}

// Hide, restore and keep share one shape: a reason (required to hide), one transaction.
http::Response decide_submit(Ctx& ctx, const std::string& action) {
  if (!policy::can_moderate(ctx.actor)) return ctx.deny();
  auto kind = find_kind(ctx.req.path_params["kind"]);
  auto id = id_param(ctx);
  if (!kind || !id) return ctx.not_found();
  auto reason = ctx.field("reason");
  FormErrors e;
  if (action == "hide" && reason.empty()) e.add("reason", ctx.t("moderation.error_hide_reason"));
  if (reason.size() > kMaxText) e.add("reason", ctx.t("moderation.error_too_long"));
  if (e.any()) return item_form(ctx, *kind, *id, e, 400, reason);
  auto w = ctx.work();
  bool ok = action == "hide"      ? hide(w.scope(), *kind, *id, ctx.actor->user_id, reason)
            : action == "restore" ? restore(w.scope(), *kind, *id, ctx.actor->user_id, reason)
                                  : keep(w.scope(), *kind, *id, ctx.actor->user_id, reason);
  if (!ok) return ctx.not_found();
  w.commit();
  ctx.set_flash("moderation.flash_" + action);
  return http::Response::redirect("/moderation/" + kind->name + "/" + std::to_string(*id));
}

http::Response hide_submit(Ctx& ctx) { return decide_submit(ctx, "hide"); }
http::Response restore_submit(Ctx& ctx) { return decide_submit(ctx, "restore"); }
http::Response keep_submit(Ctx& ctx) { return decide_submit(ctx, "keep"); }

// ------------------------------------------------------------ blocking authors

http::Response blocked_render(Ctx& ctx, const FormErrors& errors, int status, std::int64_t failed_user = 0) {
  auto w = ctx.read();
  web::Data d;
  errors.fill(d);
  web::List items;
  for (const auto& b : blocks(w.scope())) {
    web::Data x;
    x.set("user_id", std::to_string(b.user_id));
    if (b.user_id == failed_user && errors.any()) x.set("error", errors.items.front().second);
    x.set("reason", b.reason);
    x.set("when", web::format_date(ctx.lang, b.created_at));
    items.push_back(x);
  }
  d.set("items", items);
  d.set("none", items.empty());
  ctx.csrf();
  return ctx.page(ctx.t("moderation.blocked_title"), "moderation/blocked", d, status);
}

http::Response blocked_page(Ctx& ctx) {
  if (!policy::can_moderate(ctx.actor)) return ctx.deny();
  return blocked_render(ctx, {}, 200);
}

// The block and unblock forms sit on an item's page (the author of that item) and on the blocked
// list; `back` says where to return, and where to show errors.
http::Response block_submit_common(Ctx& ctx, bool blocking) {
  if (!policy::can_moderate(ctx.actor)) return ctx.deny();
  auto uid = id_param(ctx);
  if (!uid) return ctx.not_found();
  auto reason = ctx.field("reason");
  auto back_kind = find_kind(ctx.field("kind"));
  auto back_id = parse_int(ctx.field("item_id"));
  if (uid == ctx.actor->user_id) return ctx.forbidden();
  bool from_item = back_kind && back_id && *back_id > 0;
  std::string field = from_item ? std::string("block_reason") : "block_reason-" + std::to_string(*uid);
  FormErrors e;
  if (reason.empty()) e.add(field, ctx.t(blocking ? "moderation.error_block_reason" : "moderation.error_unblock_reason"));
  if (reason.size() > kMaxText) e.add(field, ctx.t("moderation.error_too_long"));
  if (e.any()) {
    if (from_item) return item_form(ctx, *back_kind, *back_id, e, 400);
    return blocked_render(ctx, e, 400, *uid);
  }
  auto w = ctx.work();
  auto exists = w->read("SELECT 1 FROM moderation_items WHERE partnership_id = $1 AND author_user_id = $2 LIMIT 1", {*uid});
  bool known = !exists.empty() || block_of(w.scope(), *uid).has_value();
  if (!known) return ctx.not_found();
  bool changed = blocking ? block(w.scope(), *uid, ctx.actor->user_id, reason) : unblock(w.scope(), *uid, ctx.actor->user_id, reason);
  w.commit();
  ctx.set_flash(changed ? (blocking ? "moderation.flash_blocked" : "moderation.flash_unblocked") : "moderation.flash_no_change");
  if (back_kind && back_id && *back_id > 0)
    return http::Response::redirect("/moderation/" + back_kind->name + "/" + std::to_string(*back_id));
  return http::Response::redirect("/moderation/blocked");
}

http::Response block_submit(Ctx& ctx) { return block_submit_common(ctx, true); }
http::Response unblock_submit(Ctx& ctx) { return block_submit_common(ctx, false); }

}  // namespace

void install_routes(app::App& a) {
  a.route("GET", "/report/{kind}/{id}", "moderation.report", report_page);
  a.route("POST", "/report/{kind}/{id}", "moderation.report_submit", report_submit);
  a.route("GET", "/moderation", "moderation.queue", queue_page);
  a.route("GET", "/moderation/blocked", "moderation.blocked", blocked_page);
  a.route("POST", "/moderation/people/{id}/block", "moderation.block", block_submit);
  a.route("POST", "/moderation/people/{id}/unblock", "moderation.unblock", unblock_submit);
  a.route("GET", "/moderation/{kind}/{id}", "moderation.item", item_page);
  a.route("POST", "/moderation/{kind}/{id}/hide", "moderation.hide", hide_submit);
  a.route("POST", "/moderation/{kind}/{id}/restore", "moderation.restore", restore_submit);
  a.route("POST", "/moderation/{kind}/{id}/keep", "moderation.keep", keep_submit);
  a.nav({"moderation.nav", "/moderation", [](const Ctx& ctx) { return policy::can_moderate(ctx.actor); }});
}

}  // namespace cp::modules::moderation
