#include <algorithm>

#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/moderation/moderation.hpp"
#include "modules/notifications/notifications.hpp"
#include "modules/plain/web.hpp"
#include "modules/ratings/ratings.hpp"
#include "modules/tracker/tracker.hpp"
#include "web/format.hpp"

namespace cp::modules::ratings {

namespace {

using app::Ctx;
using app::FormErrors;
using directory_store::ServiceBrief;
namespace db = ratings_store;
namespace policy = ratings_policy;

constexpr std::int64_t kPerPage = 20;

std::optional<std::int64_t> path_int(Ctx& ctx, const std::string& name) {
  auto id = parse_int(ctx.req.path_params[name]);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

std::string ratings_path(const ServiceBrief& s) { return "/ratings/services/" + s.uuid; }

std::string stars_text(Ctx& ctx, int stars) { return ctx.t("ratings.stars_of_5", {{"stars", std::to_string(stars)}}); }

// The distribution as rows from five stars down, each with its count and share, so the page's
// table is the text equivalent of the bars beside it.
web::Data distribution_data(Ctx& ctx, const Distribution& d) {
  web::Data out;
  web::List rows;
  std::int64_t most = *std::max_element(d.counts.begin(), d.counts.end());
  for (int stars = 5; stars >= 1; --stars) {
    auto n = d.counts[static_cast<std::size_t>(stars - 1)];
    web::Data r;
    r.set("label", ctx.t("ratings.star_label_" + std::to_string(stars)));
    r.set("count", web::format_number(ctx.lang, n));
    r.set("value", std::to_string(n));
    r.set("max", std::to_string(std::max<std::int64_t>(most, 1)));
    r.set("percent", d.total ? std::to_string((n * 100 + d.total / 2) / d.total) : std::string("0"));
    rows.push_back(r);
  }
  out.set("rows", rows);
  out.set("any", d.total > 0);
  out.set("total", std::to_string(d.total));
  out.set("summary", d.total ? web::plural(ctx.app.catalogue, ctx.lang, "ratings.average", d.total,
                                           {{"average", web::format_decimal(ctx.lang, d.average, 1)}})
                             : ctx.t("ratings.none_yet"));
  return out;
}

web::Data rating_data(Ctx& ctx, store::Scope& s, const Rating& r, const ServiceBrief& service, bool can_verify,
                      bool can_answer) {
  web::Data d;
  d.set("id", std::to_string(r.id));
  d.set("stars", stars_text(ctx, r.stars));
  d.set("comment", r.comment.empty() ? web::Data(false) : web::Data(r.comment));
  d.set("date", web::format_date(ctx.lang, r.updated_at));
  d.set("verified", r.verified_at.has_value());
  d.set("response", r.response.empty() ? web::Data(false) : web::Data(r.response));
  if (r.response_at) d.set("response_date", web::format_date(ctx.lang, *r.response_at));
  d.set("mine", ctx.actor && ctx.actor->user_id == r.user_id);
  d.set("report_link", moderation::report_link("rating", r.id));
  d.set("can_report", ctx.signed_in() && !(ctx.actor->user_id == r.user_id));
  d.set("can_verify", can_verify && !r.verified_at && !(ctx.actor && ctx.actor->user_id == r.user_id));
  d.set("can_answer", can_answer);
  web::List actions;
  for (const auto& a : tracker::for_origin(s, "feedback", r.id)) {
    web::Data ad;
    ad.set("title", a.title);
    ad.set("link", a.link);
    ad.set("status", ctx.t("ratings.action_status_" + a.status));
    actions.push_back(ad);
  }
  d.set("actions", actions);
  d.set("has_actions", !actions.empty());
  d.set("service_uuid", service.uuid);
  return d;
}

// ------------------------------------------------------------ the ratings page

http::Response service_page(Ctx& ctx) {
  if (!policy::can_read(ctx.actor)) return ctx.deny();
  std::int64_t page = std::clamp<std::int64_t>(parse_int(ctx.req.query_param("page")).value_or(1), 1, 100000);
  auto w = ctx.read();
  auto service = directory_store::brief_by_uuid(w.scope(), ctx.req.path_params["id"]);
  if (!service) return ctx.not_found();
  auto dist = db::distribution(w.scope(), service->id);
  auto result = db::list(w.scope(), service->id, page, kPerPage);
  bool can_verify = policy::can_verify(ctx.actor);
  bool can_answer = policy::can_answer(ctx.actor, *service);
  web::Data d;
  d.set("service_name", service->name);
  d.set("service_uuid", service->uuid);
  d.set("distribution", distribution_data(ctx, dist));
  web::List items;
  for (const auto& r : result.items) items.push_back(rating_data(ctx, w.scope(), r, *service, can_verify, can_answer));
  d.set("ratings", items);
  d.set("has_ratings", !items.empty());
  d.set("can_rate", policy::can_rate(ctx.actor));
  if (ctx.actor)
    if (auto m = db::mine(w.scope(), service->id, ctx.actor->user_id)) {
      d.set("my_rating", stars_text(ctx, m->stars));
      d.set("my_hidden", m->hidden);
    }
  std::int64_t pages = std::max<std::int64_t>(1, (result.total + kPerPage - 1) / kPerPage);
  if (page > 1) d.set("prev_href", ratings_path(*service) + "?page=" + std::to_string(page - 1));
  if (page < pages) d.set("next_href", ratings_path(*service) + "?page=" + std::to_string(page + 1));
  d.set("page_of", ctx.t("ratings.page_of", {{"page", std::to_string(page)}, {"pages", std::to_string(pages)}}));
  d.set("paged", pages > 1);
  if (can_verify || can_answer) ctx.csrf();
  return ctx.page(ctx.t("ratings.page_title", {{"service", service->name}}), "ratings/service", d);
}

// ------------------------------------------------------------ rating a service

http::Response rate_form(Ctx& ctx, const ServiceBrief& service, int stars, const std::string& comment,
                         const FormErrors& errors, int status, bool changing, bool check = false) {
  web::Data d;
  errors.fill(d);
  d.set("service_name", service.name);
  d.set("service_uuid", service.uuid);
  d.set("comment", comment);
  d.set("changing", changing);
  web::List choices;
  for (int n = 5; n >= 1; --n) {
    web::Data c;
    c.set("value", std::to_string(n));
    c.set("label", ctx.t("ratings.star_choice_" + std::to_string(n)));
    c.set("checked", n == stars);
    c.set("first", n == 5);
    choices.push_back(c);
  }
  d.set("choices", choices);
  plain::form_support(ctx, d);
  if (check) d.set("plain", plain::check_fields(ctx, {{"comment", ctx.t("ratings.field_comment"), comment, ""}}));
  ctx.csrf();
  return ctx.page(ctx.t("ratings.rate_title", {{"service", service.name}}), "ratings/rate", d, status);
}

http::Response rate_page(Ctx& ctx) {
  if (!policy::can_rate(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  auto service = directory_store::brief_by_uuid(w.scope(), ctx.req.path_params["id"]);
  if (!service) return ctx.not_found();
  auto m = db::mine(w.scope(), service->id, ctx.actor->user_id);
  return rate_form(ctx, *service, m ? m->stars : 0, m ? m->comment : "", {}, 200, m.has_value());
}

http::Response rate_submit(Ctx& ctx) {
  if (!policy::can_rate(ctx.actor)) return ctx.deny();
  auto w = ctx.work();
  auto service = directory_store::brief_by_uuid(w.scope(), ctx.req.path_params["id"]);
  if (!service) return ctx.not_found();
  bool changing = db::mine(w.scope(), service->id, ctx.actor->user_id).has_value();
  auto stars_field = ctx.field("stars");
  int stars = static_cast<int>(parse_int(stars_field).value_or(0));
  std::string comment = ctx.field("comment");
  if (ctx.field("action") == "check") return rate_form(ctx, *service, stars, comment, {}, 200, changing, true);
  FormErrors errors;
  if (moderation::is_blocked(w.scope(), ctx.actor->user_id)) errors.add("stars", ctx.t("ratings.error_blocked"));
  for (const auto& [field, key] : db::validate(stars, comment)) errors.add(field, ctx.t(key));
  if (errors.any()) return rate_form(ctx, *service, stars, comment, errors, 400, changing);
  db::rate(w.scope(), service->id, ctx.actor->user_id, stars, comment);
  w.commit();
  ctx.set_flash(changing ? "ratings.flash_changed" : "ratings.flash_thanks");
  return http::Response::redirect(ratings_path(*service));
}

// ------------------------------------------------------------ staff: verify, answer, agree an action

struct Found {
  Rating rating;
  ServiceBrief service;
};

std::optional<Found> rating_from_path(Ctx& ctx, store::Scope& s) {
  auto id = path_int(ctx, "id");
  if (!id) return std::nullopt;
  auto r = db::get(s, *id);
  if (!r) return std::nullopt;
  auto service = directory_store::brief(s, r->service_id);
  if (!service) return std::nullopt;
  return Found{*r, *service};
}

http::Response verify_submit(Ctx& ctx) {
  auto w = ctx.work();
  auto f = rating_from_path(ctx, w.scope());
  if (!f) return ctx.not_found();
  if (!policy::can_verify(ctx.actor)) return ctx.deny();
  if (db::verify(w.scope(), f->rating.id, ctx.actor->user_id)) {
    w.commit();
    ctx.set_flash("ratings.flash_verified");
  }
  return http::Response::redirect(ratings_path(f->service) + "#rating-" + std::to_string(f->rating.id));
}

http::Response response_form(Ctx& ctx, const Found& f, const std::string& text, const FormErrors& errors, int status,
                             bool check = false) {
  web::Data d;
  errors.fill(d);
  d.set("id", std::to_string(f.rating.id));
  d.set("service_name", f.service.name);
  d.set("service_uuid", f.service.uuid);
  d.set("stars", stars_text(ctx, f.rating.stars));
  d.set("comment", f.rating.comment.empty() ? web::Data(false) : web::Data(f.rating.comment));
  d.set("response", text);
  plain::form_support(ctx, d);
  if (check) d.set("plain", plain::check_fields(ctx, {{"response", ctx.t("ratings.field_response"), text, ""}}));
  ctx.csrf();
  return ctx.page(ctx.t("ratings.response_title"), "ratings/response", d, status);
}

http::Response response_page(Ctx& ctx) {
  auto w = ctx.read();
  auto f = rating_from_path(ctx, w.scope());
  if (!f) return ctx.not_found();
  if (!policy::can_answer(ctx.actor, f->service)) return ctx.deny();
  return response_form(ctx, *f, f->rating.response, {}, 200);
}

http::Response response_submit(Ctx& ctx) {
  auto w = ctx.work();
  auto f = rating_from_path(ctx, w.scope());
  if (!f) return ctx.not_found();
  if (!policy::can_answer(ctx.actor, f->service)) return ctx.deny();
  std::string text = ctx.field("response");
  if (ctx.field("action") == "check") return response_form(ctx, *f, text, {}, 200, true);
  if (text.size() > kMaxResponse * 4 ||
      static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; })) >
          kMaxResponse) {
    FormErrors e;
    e.add("response", ctx.t("ratings.error_response_long"));
    return response_form(ctx, *f, text, e, 400);
  }
  bool first = f->rating.response.empty() && !text.empty();
  db::respond(w.scope(), f->rating.id, ctx.actor->user_id, text);
  // The person hears that the service answered them; later edits to the answer do not notify again.
  if (first)
    notifications::notify(w.scope(), f->rating.user_id, "ratings.notice_response", {{"service", f->service.name}},
                          ratings_path(f->service) + "#rating-" + std::to_string(f->rating.id));
  w.commit();
  ctx.set_flash("ratings.flash_response");
  return http::Response::redirect(ratings_path(f->service) + "#rating-" + std::to_string(f->rating.id));
}

http::Response action_form(Ctx& ctx, const Found& f, const std::string& title, const std::string& owner,
                           const std::string& due, const FormErrors& errors, int status) {
  web::Data d;
  errors.fill(d);
  d.set("id", std::to_string(f.rating.id));
  d.set("service_name", f.service.name);
  d.set("service_uuid", f.service.uuid);
  d.set("stars", stars_text(ctx, f.rating.stars));
  d.set("comment", f.rating.comment.empty() ? web::Data(false) : web::Data(f.rating.comment));
  d.set("title", title);
  d.set("owner", owner);
  d.set("due_on", due);
  ctx.csrf();
  return ctx.page(ctx.t("ratings.action_title"), "ratings/action", d, status);
}

http::Response action_page(Ctx& ctx) {
  auto w = ctx.read();
  auto f = rating_from_path(ctx, w.scope());
  if (!f) return ctx.not_found();
  if (!policy::can_answer(ctx.actor, f->service)) return ctx.deny();
  return action_form(ctx, *f, "", "", "", {}, 200);
}

http::Response action_submit(Ctx& ctx) {
  auto w = ctx.work();
  auto f = rating_from_path(ctx, w.scope());
  if (!f) return ctx.not_found();
  if (!policy::can_answer(ctx.actor, f->service)) return ctx.deny();
  std::string title = ctx.field("title"), owner = ctx.field("owner"), due = ctx.field("due_on");
  FormErrors e;
  if (title.empty()) e.add("title", ctx.t("ratings.error_action_title"));
  if (owner.empty()) e.add("owner", ctx.t("ratings.error_action_owner"));
  if (e.any()) return action_form(ctx, *f, title, owner, due, e, 400);
  tracker::NewAction a;
  a.title = title;
  a.owner = owner;
  a.service_id = f->service.id;
  a.due_on = due;
  std::string excerpt = f->rating.comment.empty() ? stars_text(ctx, f->rating.stars) : f->rating.comment.substr(0, 80);
  a.origin = {"feedback", f->rating.id, excerpt, ratings_path(f->service) + "#rating-" + std::to_string(f->rating.id)};
  try {
    tracker::agree(w.scope(), a, ctx.actor->user_id);
  } catch (const std::invalid_argument&) {
    // The tracker refuses a due date that is not a real date; nothing has been written.
    e.add("due_on", ctx.t("ratings.error_action_due"));
    return action_form(ctx, *f, title, owner, due, e, 400);
  }
  w.commit();
  ctx.set_flash("ratings.flash_action");
  return http::Response::redirect(ratings_path(f->service) + "#rating-" + std::to_string(f->rating.id));
}

// ------------------------------------------------------------ the panel on the service's page

std::string panel(Ctx& ctx, store::Scope& s, const ServiceBrief& service) {
  web::Data d;
  d.set("service_uuid", service.uuid);
  d.set("distribution", distribution_data(ctx, db::distribution(s, service.id)));
  d.set("can_rate", policy::can_rate(ctx.actor));
  return ctx.app.templates->render("ratings/panel", ctx.lang, d);
}

}  // namespace

void RatingsModule::install(app::App& a) {
  a.route("GET", "/ratings/services/{id}", "ratings.service", service_page);
  a.route("GET", "/ratings/services/{id}/rate", "ratings.rate", rate_page);
  a.route("POST", "/ratings/services/{id}", "ratings.save", rate_submit);
  a.route("POST", "/ratings/{id}/verify", "ratings.verify", verify_submit);
  a.route("GET", "/ratings/{id}/response", "ratings.response", response_page);
  a.route("POST", "/ratings/{id}/response", "ratings.response_save", response_submit);
  a.route("GET", "/ratings/{id}/action", "ratings.action", action_page);
  a.route("POST", "/ratings/{id}/action", "ratings.action_save", action_submit);
  register_service_panel("ratings", 10, panel);
  moderation::register_kind(
      {"rating",
       [](store::Scope& s, std::int64_t id) -> std::optional<moderation::Item> {
         auto r = db::get(s, id);
         if (!r) return std::nullopt;
         auto service = directory_store::brief(s, r->service_id);
         std::string text = std::to_string(r->stars) + "/5" + (r->comment.empty() ? "" : ": " + r->comment);
         return moderation::Item{text, r->user_id,
                                 service ? ratings_path(*service) + "#rating-" + std::to_string(id) : std::string(),
                                 r->hidden};
       },
       [](store::Scope& s, std::int64_t id, bool hidden) { db::set_hidden(s, id, hidden); }});
}

}  // namespace cp::modules::ratings
