#include <algorithm>

#include "core/util.hpp"
#include "modules/directory/directory.hpp"
#include "modules/events/events.hpp"
#include "modules/ideas/ideas.hpp"
#include "modules/moderation/moderation.hpp"
#include "modules/notifications/notifications.hpp"
#include "modules/plain/web.hpp"
#include "modules/tracker/tracker.hpp"
#include "web/bilingual.hpp"
#include "web/format.hpp"

namespace cp::modules::ideas {

namespace {

using app::Ctx;
using app::FormErrors;
namespace db = store_fn;

std::optional<std::int64_t> path_id(Ctx& ctx) {
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

// The board's name and page, or nothing when the lab or service does not exist here.
struct BoardInfo {
  std::string title, href, back_href;
  std::optional<std::int64_t> service_id;
};

std::optional<BoardInfo> board_info(Ctx& ctx, store::Scope& s, const Board& b) {
  if (b.kind == "event") {
    auto id = parse_int(b.ref);
    if (!id) return std::nullopt;
    auto e = events::store_fn::get(s, *id);
    if (!e) return std::nullopt;
    return BoardInfo{web::pick({e->title, e->title_cy}, ctx.lang).text, "/ideas?event=" + b.ref, "/events/" + b.ref, {}};
  }
  if (b.kind == "service") {
    auto sv = directory_store::brief_by_uuid(s, b.ref);
    if (!sv) return std::nullopt;
    return BoardInfo{sv->name, "/ideas?service=" + http::url_encode(b.ref), "/services/" + http::url_encode(b.ref),
                     sv->id};
  }
  return std::nullopt;
}

std::optional<Board> board_from_query(Ctx& ctx) {
  auto ev = trim(ctx.req.query_param("event"));
  auto sv = trim(ctx.req.query_param("service"));
  if (!ev.empty()) return Board{"event", ev};
  if (!sv.empty()) return Board{"service", sv};
  return std::nullopt;
}

std::string status_label(Ctx& ctx, const std::string& s) { return ctx.t("ideas.status_" + s); }

// An idea's title in one language for places that need plain text: English unless it has none.
std::string any_title(const Idea& i) { return trim(i.title).empty() ? i.title_cy : i.title; }

web::Data idea_data(Ctx& ctx, const Idea& i) {
  web::Data d;
  d.set("id", std::to_string(i.id));
  // The reader's language where the author wrote it, else the other one with its lang attribute.
  auto shown = web::pick({i.title, i.title_cy}, ctx.lang);
  d.set("title", shown.text);
  d.set("title_other", shown.other);
  d.set("title_lang", shown.lang);
  d.set("title_bi", web::bilingual_data({i.title, i.title_cy}, ctx.lang));
  bool has_body = !trim(i.body + i.body_cy).empty();
  if (has_body) d.set("body_bi", web::bilingual_data({i.body, i.body_cy}, ctx.lang));
  d.set("has_body", has_body);
  d.set("author", i.author);
  d.set("date", web::format_date(ctx.lang, i.created_at));
  d.set("status", i.status);
  d.set("status_label", status_label(ctx, i.status));
  d.set("adopted", i.status == "adopted");
  d.set("not_adopted", i.status == "not_adopted");
  d.set("status_reason", i.status_reason);
  d.set("has_reason", !i.status_reason.empty());
  d.set("supports", web::plural(ctx.app.catalogue, ctx.lang, "ideas.supports_count", i.supports));
  d.set("comments", web::plural(ctx.app.catalogue, ctx.lang, "ideas.comments_count", i.comments));
  d.set("report_href", moderation::report_link("idea", i.id));
  return d;
}

bool blocked(Ctx& ctx, store::Scope& s) { return ctx.actor && moderation::is_blocked(s, ctx.actor->user_id); }

http::Response board_page(Ctx& ctx) {
  if (!policy::can_view(ctx.actor)) return ctx.deny();
  auto b = board_from_query(ctx);
  web::Data d;
  auto w = ctx.read();
  web::List items;
  if (!b) {
    for (const auto& i : db::recent(w.scope(), 50)) {
      auto d2 = idea_data(ctx, i);
      if (auto info = board_info(ctx, w.scope(), i.board)) d2.set("board_title", info->title);
      items.push_back(d2);
    }
    d.set("ideas", items);
    d.set("none", items.empty());
    return ctx.page(ctx.t("ideas.index_title"), "ideas/index", d);
  }
  auto info = board_info(ctx, w.scope(), *b);
  if (!info) return ctx.not_found();
  for (const auto& i : db::board(w.scope(), *b)) items.push_back(idea_data(ctx, i));
  d.set("ideas", items);
  d.set("none", items.empty());
  d.set("board_title", info->title);
  d.set("back_href", info->back_href);
  d.set("is_event", b->kind == "event");
  d.set("new_href", "/ideas/new?" + b->kind + "=" + http::url_encode(b->ref));
  d.set("can_post", policy::can_post(ctx.actor));
  d.set("sign_in_href", "/sign-in?next=" + http::url_encode("/ideas?" + b->kind + "=" + b->ref));
  return ctx.page(ctx.t("ideas.board_title", {{"name", info->title}}), "ideas/board", d);
}

// Without a board in the address, the form asks where the idea belongs: an upcoming lab or a service.
web::List board_choices(Ctx& ctx, store::Scope& s, const std::string& selected) {
  web::List out;
  for (const auto& e : events::store_fn::list(s, now_seconds(), 100)) {
    web::Data o;
    std::string v = "event:" + std::to_string(e.id);
    o.set("value", v);
    o.set("label", ctx.t("ideas.choice_lab", {{"name", web::pick({e.title, e.title_cy}, ctx.lang).text}}));
    // With nothing chosen yet, the next lab is offered first: most ideas come from the lab at hand.
    o.set("selected", v == selected || (selected.empty() && out.empty()));
    out.push_back(o);
  }
  for (const auto& b : directory_store::briefs(s)) {
    web::Data o;
    std::string v = "service:" + b.uuid;
    o.set("value", v);
    o.set("label", b.name);
    o.set("selected", v == selected);
    out.push_back(o);
  }
  return out;
}

http::Response form_page(Ctx& ctx, const Board& b, const BoardInfo& info, const FormErrors& errors, int status,
                         bool check = false) {
  web::Data d;
  errors.fill(d);
  d.set("board_kind", b.kind);
  d.set("board_ref", b.ref);
  d.set("board_title", info.title);
  d.set("back_href", info.href);
  if (b.kind.empty()) {
    auto w = ctx.read();
    d.set("choose_board", true);
    d.set("boards", board_choices(ctx, w.scope(), ctx.field("board")));
  }
  d.set("title", ctx.field("title"));
  d.set("body", ctx.field("body"));
  d.set("title_cy", ctx.field("title_cy"));
  d.set("body_cy", ctx.field("body_cy"));
  plain::form_support(ctx, d);
  if (check)
    d.set("plain", plain::check_fields(ctx, {{"title", ctx.t("ideas.field_title"), ctx.field("title"), ""},
                                             {"body", ctx.t("ideas.field_body"), ctx.field("body"), ""},
                                             {"title_cy", ctx.t("ideas.field_title_cy"), ctx.field("title_cy"), "cy"},
                                             {"body_cy", ctx.t("ideas.field_body_cy"), ctx.field("body_cy"), "cy"}}));
  ctx.csrf();
  return ctx.page(ctx.t("ideas.new_title"), "ideas/form", d, status);
}

http::Response new_page(Ctx& ctx) {
  if (!policy::can_post(ctx.actor)) return ctx.deny();
  auto b = board_from_query(ctx);
  auto w = ctx.read();
  if (blocked(ctx, w.scope())) return ctx.forbidden();
  if (!b) return form_page(ctx, {}, BoardInfo{"", "/ideas", "/ideas", {}}, {}, 200);
  auto info = board_info(ctx, w.scope(), *b);
  if (!info) return ctx.not_found();
  return form_page(ctx, *b, *info, {}, 200);
}

http::Response create_submit(Ctx& ctx) {
  if (!policy::can_post(ctx.actor)) return ctx.deny();
  Board b{ctx.field("board_kind"), ctx.field("board_ref")};
  auto w = ctx.work();
  if (blocked(ctx, w.scope())) return ctx.forbidden();
  std::optional<BoardInfo> info;
  auto problems = db::validate(ctx.field("title"), ctx.field("body"), ctx.field("title_cy"), ctx.field("body_cy"));
  if (b.kind.empty()) {
    // Chosen on the form: "event:12" or "service:<uuid>".
    auto choice = ctx.field("board");
    auto colon = choice.find(':');
    Board chosen{colon == std::string::npos ? "" : choice.substr(0, colon),
                 colon == std::string::npos ? "" : choice.substr(colon + 1)};
    info = board_info(ctx, w.scope(), chosen);
    if (info) b = chosen;
    else problems.insert(problems.begin(), {"board", "ideas.error_board"});
  } else {
    info = board_info(ctx, w.scope(), b);
    if (!info) return ctx.not_found();
  }
  BoardInfo shown = info.value_or(BoardInfo{"", "/ideas", "/ideas", {}});
  if (ctx.field("action") == "check") return form_page(ctx, info ? b : Board{}, shown, {}, 200, true);
  if (!problems.empty()) {
    FormErrors e;
    for (const auto& p : problems) e.add(p.field, ctx.t(p.key));
    return form_page(ctx, info ? b : Board{}, shown, e, 400);
  }
  auto id = db::create(w.scope(), b, ctx.field("title"), ctx.field("body"), ctx.actor->user_id, ctx.field("title_cy"),
                       ctx.field("body_cy"));
  w.commit();
  ctx.set_flash("ideas.flash_created");
  return http::Response::redirect("/ideas/" + std::to_string(id));
}

http::Response show(Ctx& ctx, const FormErrors& errors, int status) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  auto w = ctx.read();
  auto i = db::get(w.scope(), *id);
  if (!i || i->hidden || !policy::can_view(ctx.actor)) return ctx.not_found();
  auto info = board_info(ctx, w.scope(), i->board);
  web::Data d = idea_data(ctx, *i);
  errors.fill(d);
  d.set("board_title", info ? info->title : "");
  d.set("board_href", info ? info->href : "/ideas");
  d.set("signed_in", ctx.signed_in());
  d.set("sign_in_href", "/sign-in?next=" + http::url_encode(ctx.req.path));
  bool can_post = policy::can_post(ctx.actor) && !blocked(ctx, w.scope());
  d.set("can_post", can_post);
  d.set("supported", ctx.actor && db::supports(w.scope(), i->id, ctx.actor->user_id));
  web::List cs;
  for (const auto& c : db::comments(w.scope(), i->id)) {
    web::Data cd;
    cd.set("id", std::to_string(c.id));
    cd.set("author", c.author);
    cd.set("body", c.body);
    cd.set("date", web::format_date(ctx.lang, c.created_at));
    cd.set("report_href", moderation::report_link("comment", c.id));
    cs.push_back(cd);
  }
  d.set("comment_list", cs);
  d.set("no_comments", cs.empty());
  d.set("comment_body", ctx.field("body"));
  bool review = policy::can_review(ctx.actor);
  d.set("can_review", review);
  if (review) {
    web::List opts;
    for (const auto& s : kStatuses) {
      web::Data o;
      o.set("value", s);
      o.set("label", status_label(ctx, s));
      o.set("checked", s == i->status);
      opts.push_back(o);
    }
    d.set("status_options", opts);
  }
  web::List actions;
  for (const auto& a : tracker::for_origin(w.scope(), "idea", i->id)) {
    web::Data ad;
    ad.set("title", a.title);
    ad.set("link", a.link);
    ad.set("status_label", ctx.t("ideas.action_status_" + a.status));
    actions.push_back(ad);
  }
  d.set("actions", actions);
  d.set("has_actions", !actions.empty());
  d.set("can_agree", review && i->status == "adopted");
  d.set("action_title", ctx.field("action_title").empty() ? web::pick({i->title, i->title_cy}, ctx.lang).text
                                                           : ctx.field("action_title"));
  d.set("action_owner", ctx.field("action_owner"));
  d.set("action_due", ctx.field("action_due"));
  ctx.csrf();
  return ctx.page(web::pick({i->title, i->title_cy}, ctx.lang).text, "ideas/show", d, status);
}

http::Response show_page(Ctx& ctx) { return show(ctx, {}, 200); }

http::Response support_submit(Ctx& ctx) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  if (!policy::can_post(ctx.actor)) return ctx.deny();
  auto w = ctx.work();
  auto i = db::get(w.scope(), *id);
  if (!i || i->hidden) return ctx.not_found();
  if (blocked(ctx, w.scope())) return ctx.forbidden();
  bool added = db::support(w.scope(), *id, ctx.actor->user_id);
  w.commit();
  ctx.set_flash(added ? "ideas.flash_supported" : "ideas.flash_already_supported");
  return http::Response::redirect("/ideas/" + std::to_string(*id));
}

http::Response comment_submit(Ctx& ctx) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  if (!policy::can_post(ctx.actor)) return ctx.deny();
  auto w = ctx.work();
  auto i = db::get(w.scope(), *id);
  if (!i || i->hidden) return ctx.not_found();
  if (blocked(ctx, w.scope())) return ctx.forbidden();
  auto body = ctx.field("body");
  FormErrors e;
  if (body.empty()) e.add("body", ctx.t("ideas.error_comment"));
  else if (body.size() > 3000) e.add("body", ctx.t("ideas.error_comment_long"));
  if (e.any()) return show(ctx, e, 400);
  db::comment(w.scope(), *id, ctx.actor->user_id, body);
  w.commit();
  ctx.set_flash("ideas.flash_commented");
  return http::Response::redirect("/ideas/" + std::to_string(*id) + "#comments");
}

http::Response status_submit(Ctx& ctx) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  if (!policy::can_review(ctx.actor)) return ctx.deny();
  auto w = ctx.work();
  auto i = db::get(w.scope(), *id);
  if (!i || i->hidden) return ctx.not_found();
  auto status = ctx.field("status");
  if (auto problem = db::set_status(w.scope(), *id, status, ctx.field("reason"))) {
    FormErrors e;
    e.add(*problem == "ideas.error_status" ? "status-new" : "reason", ctx.t(*problem));
    return show(ctx, e, 400);
  }
  // The person who put the idea hears what happened to it.
  if (i->author_id != ctx.actor->user_id)
    notifications::notify(w.scope(), i->author_id, "ideas.notice_" + status, {{"title", any_title(*i)}},
                          "/ideas/" + std::to_string(*id));
  w.commit();
  ctx.set_flash("ideas.flash_status");
  return http::Response::redirect("/ideas/" + std::to_string(*id));
}

http::Response action_submit(Ctx& ctx) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  if (!policy::can_review(ctx.actor)) return ctx.deny();
  auto w = ctx.work();
  auto i = db::get(w.scope(), *id);
  if (!i || i->hidden) return ctx.not_found();
  FormErrors e;
  if (i->status != "adopted") e.add("action_title", ctx.t("ideas.error_not_adopted"));
  tracker::NewAction a;
  a.title = ctx.field("action_title");
  a.owner = ctx.field("action_owner");
  a.due_on = ctx.field("action_due");
  if (a.title.empty()) e.add("action_title", ctx.t("ideas.error_action_title"));
  if (a.owner.empty()) e.add("action_owner", ctx.t("ideas.error_action_owner"));
  if (!a.due_on.empty() && !events::london_to_utc(a.due_on, "12:00")) e.add("action_due", ctx.t("ideas.error_action_due"));
  if (e.any()) return show(ctx, e, 400);
  if (auto info = board_info(ctx, w.scope(), i->board)) a.service_id = info->service_id;
  a.origin = {"idea", i->id, any_title(*i), "/ideas/" + std::to_string(i->id)};
  try {
    tracker::agree(w.scope(), a, ctx.actor->user_id);
  } catch (const std::invalid_argument&) {
    e.add("action_title", ctx.t("ideas.error_action_title"));
    return show(ctx, e, 400);
  }
  w.commit();
  ctx.set_flash("ideas.flash_action");
  return http::Response::redirect("/ideas/" + std::to_string(*id));
}

}  // namespace

void IdeasModule::install(app::App& a) {
  a.route("GET", "/ideas", "ideas.board", board_page);
  a.route("GET", "/ideas/new", "ideas.new", new_page);
  a.route("POST", "/ideas", "ideas.create", create_submit);
  a.route("GET", "/ideas/{id}", "ideas.show", show_page);
  a.route("POST", "/ideas/{id}/support", "ideas.support", support_submit);
  a.route("POST", "/ideas/{id}/comments", "ideas.comment", comment_submit);
  a.route("POST", "/ideas/{id}/status", "ideas.status", status_submit);
  a.route("POST", "/ideas/{id}/action", "ideas.action", action_submit);
  a.nav({"ideas.nav", "/ideas", nullptr});
  moderation::register_kind({"idea",
                             [](store::Scope& s, std::int64_t id) -> std::optional<moderation::Item> {
                               auto i = db::get(s, id);
                               if (!i) return std::nullopt;
                               // Both languages: a moderator judges everything the author wrote.
                               std::string text = i->title;
                               for (const auto* part : {&i->body, &i->title_cy, &i->body_cy})
                                 if (!trim(*part).empty()) text += (text.empty() ? "" : "\n\n") + *part;
                               return moderation::Item{text, i->author_id,
                                                       "/ideas/" + std::to_string(id), i->hidden};
                             },
                             [](store::Scope& s, std::int64_t id, bool hidden) { db::set_hidden(s, "ideas", id, hidden); }});
  moderation::register_kind({"comment",
                             [](store::Scope& s, std::int64_t id) -> std::optional<moderation::Item> {
                               auto c = db::get_comment(s, id);
                               if (!c) return std::nullopt;
                               return moderation::Item{c->body, c->author_id, "/ideas/" + std::to_string(c->idea_id),
                                                       c->hidden};
                             },
                             [](store::Scope& s, std::int64_t id, bool hidden) {
                               db::set_hidden(s, "idea_comments", id, hidden);
                             }});
  modules::register_service_panel("ideas", 50, [](Ctx& ctx, store::Scope& s, const directory_store::ServiceBrief& sv) {
    auto list = db::board(s, {"service", sv.uuid});
    web::Data d;
    d.set("href", "/ideas?service=" + http::url_encode(sv.uuid));
    d.set("count", web::plural(ctx.app.catalogue, ctx.lang, "ideas.board_count", static_cast<std::int64_t>(list.size())));
    return ctx.app.templates->render("ideas/panel", ctx.lang, d);
  });
}

}  // namespace cp::modules::ideas
