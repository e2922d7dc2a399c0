#include <algorithm>

#include "core/util.hpp"
#include "modules/directory/directory.hpp"
#include "modules/events/events.hpp"
#include "modules/plain/web.hpp"
#include "web/bilingual.hpp"
#include "web/format.hpp"

namespace cp::modules::events {

namespace {

using app::Ctx;
using app::FormErrors;
namespace json = boost::json;
namespace db = store_fn;

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

std::string money(Ctx& ctx, std::int64_t pence) {
  return "\xC2\xA3" + web::format_number(ctx.lang, pence / 100) + "." + (pence % 100 < 10 ? "0" : "") +
         std::to_string(pence % 100);
}

// Places in the directory an event can be held at: its published locations, by name.
struct Place {
  std::string id, label;
};

std::string jstr(const json::object& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

std::vector<Place> directory_places(store::Scope& s) {
  std::vector<Place> out;
  directory_store::PlaceQuery q;
  q.per_page = 50;
  auto page = directory_store::list_service_at_locations(s, q);
  auto it = page.find("contents");
  if (it == page.end() || !it->value().is_array()) return out;
  for (const auto& v : it->value().as_array()) {
    if (!v.is_object()) continue;
    auto lit = v.as_object().find("location");
    if (lit == v.as_object().end() || !lit->value().is_object()) continue;
    const auto& l = lit->value().as_object();
    Place p{jstr(l, "id"), jstr(l, "name")};
    if (auto a = l.find("address"); a != l.end() && a->value().is_array() && !a->value().as_array().empty() &&
                                    a->value().as_array()[0].is_object()) {
      const auto& ad = a->value().as_array()[0].as_object();
      std::string line = jstr(ad, "address_1");
      std::string pc = jstr(ad, "postal_code");
      if (!line.empty()) p.label += (p.label.empty() ? "" : ", ") + line;
      if (!pc.empty()) p.label += (p.label.empty() ? "" : ", ") + pc;
    }
    if (p.id.empty() || p.label.empty()) continue;
    if (std::none_of(out.begin(), out.end(), [&](const Place& x) { return x.id == p.id; })) out.push_back(p);
  }
  std::sort(out.begin(), out.end(), [](const Place& a, const Place& b) { return a.label < b.label; });
  return out;
}

std::string when_text(Ctx& ctx, const Event& e) {
  return ctx.t("events.when", {{"date", web::format_date(ctx.lang, e.starts_at)},
                              {"start", utc_to_london(e.starts_at, "%H:%M")},
                              {"end", utc_to_london(e.ends_at, "%H:%M")}});
}

web::Data event_data(Ctx& ctx, const Event& e) {
  web::Data d;
  d.set("id", std::to_string(e.id));
  d.set("title", web::bilingual_data({e.title, e.title_cy}, ctx.lang));
  d.set("title_text", web::pick({e.title, e.title_cy}, ctx.lang).text);
  if (!trim(e.description + e.description_cy).empty())
    d.set("description", web::bilingual_data({e.description, e.description_cy}, ctx.lang));
  if (!trim(e.access_info + e.access_info_cy).empty())
    d.set("access_info", web::bilingual_data({e.access_info, e.access_info_cy}, ctx.lang));
  d.set("when", when_text(ctx, e));
  d.set("place", e.place.empty() ? web::Data(false) : web::Data(e.place));
  d.set("online_link", e.online_link.empty() ? web::Data(false) : web::Data(e.online_link));
  web::List sup;
  for (const auto& s : e.supports) sup.push_back(web::Data("label", ctx.t("events.support_" + s)));
  d.set("supports", sup);
  d.set("has_supports", !e.supports.empty());
  d.set("capacity", std::to_string(e.capacity));
  std::int64_t left = std::max<std::int64_t>(0, e.capacity - e.booked);
  d.set("spaces", web::plural(ctx.app.catalogue, ctx.lang, "events.spaces_left", left));
  d.set("full", left == 0);
  d.set("waiting_count", e.waiting > 0 ? web::Data(web::plural(ctx.app.catalogue, ctx.lang, "events.waiting_count", e.waiting))
                                       : web::Data(false));
  d.set("past", e.ends_at <= now_seconds());
  return d;
}

EventInput input_from_form(Ctx& ctx) {
  EventInput in;
  in.title = ctx.field("title");
  in.title_cy = ctx.field("title_cy");
  in.description = ctx.field("description");
  in.description_cy = ctx.field("description_cy");
  in.date = ctx.field("date");
  in.start_time = ctx.field("start_time");
  in.end_time = ctx.field("end_time");
  in.location_id = ctx.field("location_id");
  in.place = ctx.field("place");
  in.online_link = ctx.field("online_link");
  in.access_info = ctx.field("access_info");
  in.access_info_cy = ctx.field("access_info_cy");
  in.capacity = ctx.field("capacity");
  auto [b, e] = ctx.form().equal_range("supports");
  for (auto it = b; it != e; ++it)
    if (!trim(it->second).empty()) in.supports.push_back(trim(it->second));
  return in;
}

EventInput input_from_event(const Event& e) {
  EventInput in;
  in.title = e.title;
  in.title_cy = e.title_cy;
  in.description = e.description;
  in.description_cy = e.description_cy;
  in.date = utc_to_london(e.starts_at, "%Y-%m-%d");
  in.start_time = utc_to_london(e.starts_at, "%H:%M");
  in.end_time = utc_to_london(e.ends_at, "%H:%M");
  in.location_id = e.location_id;
  in.place = e.location_id.empty() ? e.place : "";
  in.online_link = e.online_link;
  in.access_info = e.access_info;
  in.access_info_cy = e.access_info_cy;
  in.capacity = std::to_string(e.capacity);
  in.supports = e.supports;
  return in;
}

std::vector<plain::TextField> public_text(Ctx& ctx, const EventInput& in) {
  return {{"title", ctx.t("events.field_title"), in.title, "en"},
          {"description", ctx.t("events.field_description"), in.description, "en"},
          {"access_info", ctx.t("events.field_access_info"), in.access_info, "en"},
          {"title_cy", ctx.t("events.field_title_cy"), in.title_cy, "cy"},
          {"description_cy", ctx.t("events.field_description_cy"), in.description_cy, "cy"},
          {"access_info_cy", ctx.t("events.field_access_info_cy"), in.access_info_cy, "cy"}};
}

http::Response form_page(Ctx& ctx, const EventInput& in, const Event* existing, const FormErrors& errors, int status,
                         bool check = false) {
  web::Data d;
  errors.fill(d);
  for (auto [k, v] : std::vector<std::pair<const char*, const std::string*>>{
           {"title", &in.title}, {"title_cy", &in.title_cy}, {"description", &in.description},
           {"description_cy", &in.description_cy}, {"date", &in.date}, {"start_time", &in.start_time},
           {"end_time", &in.end_time}, {"place", &in.place}, {"online_link", &in.online_link},
           {"access_info", &in.access_info}, {"access_info_cy", &in.access_info_cy}, {"capacity", &in.capacity}})
    d.set(k, *v);
  web::List sup;
  for (const auto& s : kSupports) {
    web::Data o;
    o.set("value", s);
    o.set("label", ctx.t("events.support_" + s));
    o.set("checked", std::find(in.supports.begin(), in.supports.end(), s) != in.supports.end());
    sup.push_back(o);
  }
  d.set("support_options", sup);
  web::List places;
  {
    auto w = ctx.read();
    for (const auto& p : directory_places(w.scope())) {
      web::Data o;
      o.set("value", p.id);
      o.set("label", p.label);
      o.set("selected", p.id == in.location_id);
      places.push_back(o);
    }
  }
  d.set("places", places);
  d.set("editing", existing != nullptr);
  if (existing) {
    d.set("id", std::to_string(existing->id));
    d.set("version", std::to_string(existing->version));
  }
  plain::form_support(ctx, d);
  if (check) d.set("plain", plain::check_fields(ctx, public_text(ctx, in)));
  d.set("action", existing ? "/events/" + std::to_string(existing->id) : std::string("/events"));
  ctx.csrf();
  return ctx.page(existing ? ctx.t("events.edit_title") : ctx.t("events.new_title"), "events/form", d, status);
}

// The place shown and put in calendars: the directory location's name and address, or what was typed.
std::string place_text(Ctx& ctx, EventInput& in, std::vector<Problem>& problems) {
  if (in.location_id.empty()) return in.place;
  auto w = ctx.read();
  for (const auto& p : directory_places(w.scope()))
    if (p.id == in.location_id) return p.label;
  problems.push_back({"location_id", "events.error_location"});
  return "";
}

http::Response list_page(Ctx& ctx) {
  if (!policy::can_view(ctx.actor)) return ctx.deny();
  web::Data d;
  web::List items;
  {
    auto w = ctx.read();
    for (const auto& e : db::list(w.scope(), now_seconds())) items.push_back(event_data(ctx, e));
  }
  d.set("none", items.empty());
  d.set("events", items);
  d.set("can_create", policy::can_create(ctx.actor));
  return ctx.page(ctx.t("events.list_title"), "events/list", d);
}

http::Response new_page(Ctx& ctx) {
  if (!policy::can_create(ctx.actor)) return ctx.deny();
  EventInput in;
  in.capacity = "20";
  return form_page(ctx, in, nullptr, {}, 200);
}

http::Response create_submit(Ctx& ctx) {
  if (!policy::can_create(ctx.actor)) return ctx.deny();
  auto in = input_from_form(ctx);
  if (ctx.field("action") == "check") return form_page(ctx, in, nullptr, {}, 200, true);
  std::int64_t a, b, c;
  auto problems = db::validate(in, a, b, c);
  auto place = place_text(ctx, in, problems);
  if (!problems.empty()) return form_page(ctx, in, nullptr, to_errors(ctx, problems), 400);
  auto w = ctx.work();
  auto id = db::create(w.scope(), in, ctx.actor->user_id, place);
  w.commit();
  ctx.set_flash("events.flash_created");
  return http::Response::redirect("/events/" + std::to_string(id));
}

std::optional<Event> event_from_path(Ctx& ctx) {
  auto id = path_id(ctx);
  if (!id) return std::nullopt;
  auto w = ctx.read();
  return db::get(w.scope(), *id);
}

std::string site_origin(Ctx& ctx) {
  const auto* host = ctx.req.header("host");
  return "https://" + (host ? *host : ctx.partnership.host);
}

http::Response ics_response(Ctx& ctx, const std::vector<Event>& events, const std::string& name) {
  http::Response res;
  res.content_type = "text/calendar; charset=utf-8";
  // Written in the reader's language (?lang=, their choice, or their account's), like the page.
  IcsWords words{ctx.lang, [&ctx](const std::string& key) { return ctx.t(key); }};
  res.body = ics_calendar(events, name, ctx.partnership.host.empty() ? ctx.partnership.slug : ctx.partnership.host,
                          site_origin(ctx), now_seconds(), words);
  return res;
}

http::Response show(Ctx& ctx, const FormErrors& errors, int status) {
  auto e = event_from_path(ctx);
  if (!e || !policy::can_view(ctx.actor)) return ctx.not_found();
  web::Data d = event_data(ctx, *e);
  errors.fill(d);
  d.set("signed_in", ctx.signed_in());
  d.set("sign_in_href", "/sign-in?next=" + http::url_encode(ctx.req.path));
  d.set("can_manage", policy::can_manage(ctx.actor, *e));
  if (ctx.actor) {
    auto w = ctx.read();
    auto mine = db::signup_of(w.scope(), e->id, ctx.actor->user_id);
    bool active = mine && mine->status != "cancelled";
    d.set("booked", active && mine->status == "booked");
    d.set("waiting", active && mine->status == "waiting");
    d.set("can_sign_up", !active && !(e->ends_at <= now_seconds()));
    if (active && !mine->needs.empty()) {
      web::List needs;
      for (const auto& n : mine->needs) needs.push_back(web::Data("label", ctx.t("events.support_" + n)));
      d.set("my_needs", needs);
    }
    // A participant sees the expenses paid to them, and nobody else's.
    web::List mine_x;
    for (const auto& x : db::expenses(w.scope(), e->id, ctx.actor->user_id)) {
      web::Data xd;
      xd.set("amount", money(ctx, x.amount_pence));
      xd.set("what_for", x.what_for);
      xd.set("paid_on", x.paid_on);
      mine_x.push_back(xd);
    }
    d.set("has_my_expenses", !mine_x.empty());
    d.set("my_expenses", mine_x);
  }
  web::List need_options;
  for (const auto& s : e->supports) {
    web::Data o;
    o.set("value", s);
    o.set("label", ctx.t("events.support_" + s));
    need_options.push_back(o);
  }
  d.set("need_options", need_options);
  d.set("has_need_options", !e->supports.empty());
  ctx.csrf();
  return ctx.page(web::pick({e->title, e->title_cy}, ctx.lang).text, "events/show", d, status);
}

http::Response show_page(Ctx& ctx) {
  // /events/12.ics is the same event as a calendar file.
  auto& raw = ctx.req.path_params["id"];
  if (raw.size() > 4 && raw.compare(raw.size() - 4, 4, ".ics") == 0) {
    raw.resize(raw.size() - 4);
    auto e = event_from_path(ctx);
    if (!e || !policy::can_view(ctx.actor)) return ctx.not_found();
    auto res = ics_response(ctx, {*e}, web::pick({e->title, e->title_cy}, ctx.lang).text);
    res.header("Content-Disposition", "attachment; filename=\"event-" + std::to_string(e->id) + ".ics\"");
    return res;
  }
  return show(ctx, {}, 200);
}

http::Response feed(Ctx& ctx) {
  if (!policy::can_view(ctx.actor)) return ctx.deny();
  std::vector<Event> events;
  {
    auto w = ctx.read();
    // A month of past events stays in the feed, so a calendar does not drop one the moment it ends.
    events = db::list(w.scope(), now_seconds() - 31 * 86400, 500);
  }
  return ics_response(ctx, events, ctx.t("events.feed_name", {{"partnership", ctx.partnership.name}}));
}

http::Response edit_page(Ctx& ctx) {
  auto e = event_from_path(ctx);
  if (!e) return ctx.not_found();
  if (!policy::can_manage(ctx.actor, *e)) return ctx.deny();
  return form_page(ctx, input_from_event(*e), &*e, {}, 200);
}

http::Response update_submit(Ctx& ctx) {
  auto e = event_from_path(ctx);
  if (!e) return ctx.not_found();
  if (!policy::can_manage(ctx.actor, *e)) return ctx.deny();
  auto in = input_from_form(ctx);
  if (ctx.field("action") == "check") return form_page(ctx, in, &*e, {}, 200, true);
  std::int64_t a, b, c;
  auto problems = db::validate(in, a, b, c);
  auto place = place_text(ctx, in, problems);
  if (!problems.empty()) return form_page(ctx, in, &*e, to_errors(ctx, problems), 400);
  auto w = ctx.work();
  auto r = db::update(w.scope(), e->id, in, parse_int(ctx.field("version")), place);
  if (r == db::Saved::not_found) return ctx.not_found();
  if (r == db::Saved::conflict || r == db::Saved::too_small) {
    FormErrors errs;
    if (r == db::Saved::conflict) errs.add("title", ctx.t("events.error_conflict"));
    else errs.add("capacity", ctx.t("events.error_capacity_booked", {{"count", std::to_string(db::get(w.scope(), e->id)->booked)}}));
    auto fresh = db::get(w.scope(), e->id);
    return form_page(ctx, in, &*fresh, errs, 409);
  }
  w.commit();
  ctx.set_flash("events.flash_updated");
  return http::Response::redirect("/events/" + std::to_string(e->id));
}

http::Response signup_submit(Ctx& ctx) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  if (!policy::can_sign_up(ctx.actor)) return ctx.deny();
  std::vector<std::string> needs;
  auto [b, en] = ctx.form().equal_range("needs");
  for (auto it = b; it != en; ++it) needs.push_back(trim(it->second));
  db::SignupResult r;
  {
    auto w = ctx.work();
    if (!db::get(w.scope(), *id)) return ctx.not_found();
    r = db::sign_up(w.scope(), *id, ctx.actor->user_id, needs);
    if (r == db::SignupResult::booked || r == db::SignupResult::waiting) w.commit();
  }
  FormErrors errs;
  if (r == db::SignupResult::already) errs.add("needs", ctx.t("events.error_already"));
  if (r == db::SignupResult::bad_need) errs.add("needs", ctx.t("events.error_support"));
  if (r == db::SignupResult::past) errs.add("needs", ctx.t("events.error_past"));
  if (errs.any()) return show(ctx, errs, r == db::SignupResult::already ? 409 : 400);
  ctx.set_flash(r == db::SignupResult::booked ? "events.flash_booked" : "events.flash_waiting");
  return http::Response::redirect("/events/" + std::to_string(*id));
}

http::Response cancel_submit(Ctx& ctx) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  if (!policy::can_sign_up(ctx.actor)) return ctx.deny();
  auto w = ctx.work();
  if (!db::get(w.scope(), *id)) return ctx.not_found();
  bool done = db::cancel(w.scope(), *id, ctx.actor->user_id);
  w.commit();
  ctx.set_flash(done ? "events.flash_cancelled" : "events.flash_nothing_to_cancel");
  return http::Response::redirect("/events/" + std::to_string(*id));
}

http::Response manage(Ctx& ctx, const Event& e, const FormErrors& errors, int status) {
  web::Data d = event_data(ctx, e);
  errors.fill(d);
  web::List booked, waiting, people;
  auto w = ctx.read();
  int position = 0;
  for (const auto& g : db::signups(w.scope(), e.id)) {
    web::Data gd;
    gd.set("user_id", std::to_string(g.user_id));
    gd.set("name", g.name);
    std::string needs;
    for (const auto& n : g.needs) needs += (needs.empty() ? "" : ", ") + ctx.t("events.support_" + n);
    gd.set("needs", needs.empty() ? ctx.t("events.needs_none") : needs);
    gd.set("attended", g.attended.value_or(false));
    gd.set("attendance_known", g.attended.has_value());
    if (g.status == "booked") {
      booked.push_back(gd);
      people.push_back(gd);
    } else {
      gd.set("position", std::to_string(++position));
      waiting.push_back(gd);
    }
  }
  d.set("booked_people", booked);
  d.set("no_booked", booked.empty());
  d.set("waiting_people", waiting);
  d.set("has_waiting", !waiting.empty());
  d.set("people", people);
  web::List xs;
  std::int64_t total = 0;
  for (const auto& x : db::expenses(w.scope(), e.id, std::nullopt)) {
    web::Data xd;
    xd.set("name", x.name);
    xd.set("amount", money(ctx, x.amount_pence));
    xd.set("what_for", x.what_for);
    xd.set("paid_on", x.paid_on);
    total += x.amount_pence;
    xs.push_back(xd);
  }
  d.set("expenses", xs);
  d.set("has_expenses", !xs.empty());
  d.set("expenses_total", money(ctx, total));
  d.set("amount", ctx.field("amount"));
  d.set("what_for", ctx.field("what_for"));
  d.set("paid_on", ctx.field("paid_on"));
  ctx.csrf();
  return ctx.page(ctx.t("events.manage_title", {{"title", web::pick({e.title, e.title_cy}, ctx.lang).text}}),
                  "events/manage", d, status);
}

http::Response manage_page(Ctx& ctx) {
  auto e = event_from_path(ctx);
  if (!e) return ctx.not_found();
  if (!policy::can_manage(ctx.actor, *e)) return ctx.deny();
  return manage(ctx, *e, {}, 200);
}

http::Response attendance_submit(Ctx& ctx) {
  auto e = event_from_path(ctx);
  if (!e) return ctx.not_found();
  if (!policy::can_manage(ctx.actor, *e)) return ctx.deny();
  std::vector<std::int64_t> present;
  auto [b, en] = ctx.form().equal_range("present");
  for (auto it = b; it != en; ++it)
    if (auto v = parse_int(it->second)) present.push_back(*v);
  auto w = ctx.work();
  db::record_attendance(w.scope(), e->id, present);
  w.commit();
  ctx.set_flash("events.flash_attendance");
  return http::Response::redirect("/events/" + std::to_string(e->id) + "/manage");
}

http::Response expense_submit(Ctx& ctx) {
  auto e = event_from_path(ctx);
  if (!e) return ctx.not_found();
  if (!policy::can_manage(ctx.actor, *e)) return ctx.deny();
  std::int64_t pence = 0;
  auto problems = db::validate_expense(ctx.field("amount"), ctx.field("what_for"), ctx.field("paid_on"), pence);
  auto who = parse_int(ctx.field("user_id"));
  auto w = ctx.work();
  // Expenses are paid to people who took part: someone booked on this lab.
  auto g = who ? db::signup_of(w.scope(), e->id, *who) : std::nullopt;
  if (!g || g->status != "booked") problems.insert(problems.begin(), {"user_id", "events.error_person"});
  if (!problems.empty()) return manage(ctx, *e, to_errors(ctx, problems), 400);
  db::add_expense(w.scope(), e->id, *who, pence, ctx.field("what_for"), ctx.field("paid_on"));
  w.commit();
  ctx.set_flash("events.flash_expense");
  return http::Response::redirect("/events/" + std::to_string(e->id) + "/manage");
}

}  // namespace

void EventsModule::install(app::App& a) {
  a.route("GET", "/events", "events.list", list_page);
  a.route("GET", "/events.ics", "events.feed", feed);
  a.route("GET", "/events/new", "events.new", new_page);
  a.route("POST", "/events", "events.create", create_submit);
  a.route("GET", "/events/{id}", "events.show", show_page);
  a.route("GET", "/events/{id}/edit", "events.edit", edit_page);
  a.route("POST", "/events/{id}", "events.update", update_submit);
  a.route("POST", "/events/{id}/signup", "events.signup", signup_submit);
  a.route("POST", "/events/{id}/cancel", "events.cancel", cancel_submit);
  a.route("GET", "/events/{id}/manage", "events.manage", manage_page);
  a.route("POST", "/events/{id}/attendance", "events.attendance", attendance_submit);
  a.route("POST", "/events/{id}/expenses", "events.expenses", expense_submit);
  a.nav({"events.nav", "/events", nullptr});
  plain::register_texts("events", [](store::Scope& s) {
    std::vector<plain::PublishedText> out;
    for (const auto& e : db::list(s, 0, 1000)) {
      std::string url = "/events/" + std::to_string(e.id);
      std::string en = e.description + (e.access_info.empty() ? "" : "\n\n" + e.access_info);
      std::string cy = e.description_cy + (e.access_info_cy.empty() ? "" : "\n\n" + e.access_info_cy);
      if (!trim(en).empty()) out.push_back({e.title.empty() ? e.title_cy : e.title, url, en, "en"});
      if (!trim(cy).empty()) out.push_back({e.title_cy.empty() ? e.title : e.title_cy, url, cy, "cy"});
    }
    return out;
  });
}

}  // namespace cp::modules::events
