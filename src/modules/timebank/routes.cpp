#include <algorithm>
#include <map>

#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/organisations/organisations.hpp"
#include "modules/plain/web.hpp"
#include "modules/timebank/extras.hpp"

namespace cp::modules {

namespace {

using app::Ctx;
using app::FormErrors;
namespace json = boost::json;
namespace policy = timebank_policy;
namespace tb = timebank;

constexpr std::int64_t kPerPage = 20;

std::optional<std::int64_t> path_id(Ctx& ctx) {
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

std::string hours_text(Ctx& ctx, std::int64_t quarters) {
  return ctx.t(quarters == 4 || quarters == -4 ? "timebank.hours_one" : "timebank.hours",
               {{"hours", tb::format_hours(quarters)}});
}

std::string member_name(Ctx& ctx, const tb::Member& m) { return m.kind == "pot" ? ctx.t("timebank.pot_name") : m.name; }

std::optional<tb::Member> my_member(Ctx& ctx, store::Scope& s) {
  if (!ctx.actor) return std::nullopt;
  return tb::member_for_user(s, ctx.actor->user_id);
}

web::Data member_data(Ctx& ctx, const tb::Member& m, bool show_balance) {
  web::Data d;
  d.set("id", std::to_string(m.id));
  d.set("name", member_name(ctx, m));
  d.set("can_do", m.can_do.empty() ? web::Data(false) : web::Data(m.can_do));
  d.set("outcode", m.outcode.empty() ? web::Data(false) : web::Data(m.outcode));
  d.set("is_organisation", m.kind == "organisation");
  d.set("offline", m.offline);
  if (show_balance) {
    d.set("balance", hours_text(ctx, m.balance));
    d.set("given", hours_text(ctx, m.given));
  }
  return d;
}

web::List member_options(Ctx& ctx, store::Scope& s, const std::string& selected, std::int64_t except = 0) {
  web::List list;
  for (const auto& m : tb::members(s)) {
    if (m.id == except) continue;
    web::Data o;
    o.set("value", std::to_string(m.id));
    o.set("label", m.name + (m.outcode.empty() ? "" : " (" + m.outcode + ")"));
    o.set("selected", std::to_string(m.id) == selected);
    list.push_back(o);
  }
  return list;
}

web::List category_options(Ctx& ctx, const std::string& selected) {
  web::List list;
  for (const auto& c : tb::kCategories) {
    web::Data o;
    o.set("value", c);
    o.set("label", ctx.t("timebank.category_" + c));
    o.set("selected", c == selected);
    list.push_back(o);
  }
  return list;
}

web::Data listing_data(Ctx& ctx, const tb::Listing& l) {
  web::Data d;
  d.set("id", std::to_string(l.id));
  d.set("member_id", std::to_string(l.member_id));
  d.set("member_name", l.member_name);
  d.set("title", l.title);
  d.set("details", l.details.empty() ? web::Data(false) : web::Data(l.details));
  d.set("category", ctx.t("timebank.category_" + l.category));
  d.set("outcode", l.outcode.empty() ? web::Data(false) : web::Data(l.outcode));
  d.set("hours", l.quarters ? web::Data(hours_text(ctx, l.quarters)) : web::Data(false));
  d.set("is_offer", l.kind == "offer");
  d.set("open", l.status == "open");
  d.set("posted", format_date(l.created_at));
  return d;
}

web::Data exchange_data(Ctx& ctx, const tb::Exchange& e, std::int64_t me) {
  web::Data d;
  d.set("id", std::to_string(e.id));
  d.set("provider", e.provider_name);
  d.set("receiver", e.receiver_name);
  d.set("hours", hours_text(ctx, e.quarters));
  d.set("description", e.description);
  d.set("status", ctx.t("timebank.status_" + e.status));
  d.set("status_class", e.status == "confirmed" ? "govuk-tag--green"
                        : e.status == "pending" ? "govuk-tag--yellow"
                        : e.status == "disputed" ? "govuk-tag--red"
                                                 : "govuk-tag--grey");
  d.set("pending", e.status == "pending");
  d.set("date", format_date(e.created_at));
  d.set("summary", ctx.t("timebank.exchange_line", {{"provider", e.provider_name}, {"receiver", e.receiver_name},
                                                    {"hours", hours_text(ctx, e.quarters)}}));
  d.set("mine_to_confirm", e.status == "pending" && me && me != e.recorded_by_member &&
                               (me == e.provider_id || me == e.receiver_id));
  return d;
}

FormErrors errors_of(Ctx& ctx, const std::vector<std::pair<std::string, std::string>>& problems) {
  FormErrors e;
  for (const auto& [field, key] : problems) e.add(field, ctx.t(key));
  return e;
}

// ------------------------------------------------------------------ overview and browsing

http::Response index_page(Ctx& ctx) {
  if (!policy::can_browse(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  auto& s = w.scope();
  web::Data d;
  auto me = my_member(ctx, s);
  d.set("member", me ? member_data(ctx, *me, true) : web::Data(false));
  d.set("can_join", !me && policy::can_join(ctx.actor));
  if (me) {
    auto pending = tb::exchanges_for(s, me->id, "pending", 50);
    auto n = std::count_if(pending.begin(), pending.end(), [&](const tb::Exchange& e) { return e.recorded_by_member != me->id; });
    d.set("to_confirm", n ? web::Data(ctx.t("timebank.to_confirm_count", {{"count", std::to_string(n)}})) : web::Data(false));
  }
  d.set("can_broker", policy::can_broker(ctx.actor));
  d.set("can_reports", policy::can_see_reports(ctx.actor));
  for (const char* kind : {"offer", "request"}) {
    tb::ListingQuery q;
    q.kind = kind;
    q.per_page = 5;
    auto page = tb::listings(s, q);
    web::List items;
    for (const auto& l : page.items) items.push_back(listing_data(ctx, l));
    d.set(std::string(kind) + "s", items);
    d.set(std::string("no_") + kind + "s", page.items.empty());
  }
  ctx.csrf();
  return ctx.page(ctx.t("timebank.index_title"), "timebank/index", d);
}

web::Data pagination(Ctx& ctx, const std::string& base, std::int64_t page, std::int64_t total) {
  std::int64_t pages = std::max<std::int64_t>(1, (total + kPerPage - 1) / kPerPage);
  if (pages <= 1) return web::Data(false);
  web::Data d;
  auto href = [&](std::int64_t p) { return base + (base.find('?') == std::string::npos ? "?" : "&") + "page=" + std::to_string(p); };
  if (page > 1) d.set("prev_href", href(page - 1));
  if (page < pages) d.set("next_href", href(page + 1));
  web::List items;
  for (std::int64_t p = std::max<std::int64_t>(1, page - 2); p <= std::min(pages, page + 2); ++p) {
    web::Data item;
    item.set("number", std::to_string(p));
    item.set("href", href(p));
    item.set("label", ctx.t("site.page_label", {{"number", std::to_string(p)}}));
    item.set("current", p == page);
    items.push_back(item);
  }
  d.set("pages", items);
  return d;
}

http::Response listings_page(Ctx& ctx, const std::string& kind) {
  if (!policy::can_browse(ctx.actor)) return ctx.deny();
  tb::ListingQuery q;
  q.kind = kind;
  q.q = trim(ctx.req.query_param("q")).substr(0, 200);
  q.category = ctx.req.query_param("category");
  if (std::find(tb::kCategories.begin(), tb::kCategories.end(), q.category) == tb::kCategories.end()) q.category.clear();
  q.page = std::clamp<std::int64_t>(parse_int(ctx.req.query_param("page")).value_or(1), 1, 100000);
  q.per_page = kPerPage;
  auto w = ctx.read();
  auto result = tb::listings(w.scope(), q);
  web::Data d;
  web::List items;
  for (const auto& l : result.items) items.push_back(listing_data(ctx, l));
  d.set("items", items);
  d.set("is_offers", kind == "offer");
  d.set("q", q.q);
  d.set("categories", category_options(ctx, q.category));
  d.set("none", result.items.empty());
  d.set("count", ctx.t(kind == "offer" ? "timebank.offers_count" : "timebank.requests_count",
                       {{"count", std::to_string(result.total)}}));
  std::string base = std::string("/timebank/") + (kind == "offer" ? "offers" : "requests");
  std::string query;
  if (!q.q.empty()) query += "q=" + http::url_encode(q.q);
  if (!q.category.empty()) query += std::string(query.empty() ? "" : "&") + "category=" + q.category;
  d.set("pagination", pagination(ctx, query.empty() ? base : base + "?" + query, q.page, result.total));
  d.set("action", base);
  d.set("is_member", my_member(ctx, w.scope()).has_value());
  return ctx.page(ctx.t(kind == "offer" ? "timebank.offers_title" : "timebank.requests_title"), "timebank/listings", d);
}

// ------------------------------------------------------------------ joining and profile

http::Response join_form(Ctx& ctx, const tb::JoinInput& in, const FormErrors& errors, int status) {
  web::Data d;
  errors.fill(d);
  d.set("can_do_value", in.can_do);
  d.set("outcode_value", in.outcode);
  ctx.csrf();
  return ctx.page(ctx.t("timebank.join_title"), "timebank/join", d, status);
}

http::Response join_page(Ctx& ctx) {
  if (!policy::can_join(ctx.actor)) return ctx.deny();
  {
    auto w = ctx.read();
    if (my_member(ctx, w.scope())) return http::Response::redirect("/timebank/me");
  }
  return join_form(ctx, {}, {}, 200);
}

http::Response join_submit(Ctx& ctx) {
  if (!policy::can_join(ctx.actor)) return ctx.deny();
  tb::JoinInput in;
  in.kind = "person";
  in.user_id = ctx.actor->user_id;
  in.name = ctx.actor->name;
  in.can_do = ctx.field("can_do");
  in.outcode = ctx.field("outcode");
  auto problems = tb::validate_join(in);
  if (!problems.empty()) return join_form(ctx, in, errors_of(ctx, problems), 400);
  auto w = ctx.work();
  tb::join(w.scope(), in);
  w.commit();
  ctx.set_flash("timebank.flash_joined");
  return http::Response::redirect("/timebank/me");
}

http::Response profile_submit(Ctx& ctx) {
  if (!policy::can_join(ctx.actor)) return ctx.deny();
  auto w = ctx.work();
  auto me = my_member(ctx, w.scope());
  if (!me) return http::Response::redirect("/timebank/join");
  tb::JoinInput in;
  in.kind = "person";
  in.name = me->name;
  in.can_do = ctx.field("can_do");
  in.outcode = ctx.field("outcode");
  auto problems = tb::validate_join(in);
  if (!problems.empty()) {
    ctx.set_flash(problems.front().second);
    return http::Response::redirect("/timebank/me");
  }
  tb::update_profile(w.scope(), me->id, in.can_do, in.outcode);
  w.commit();
  ctx.set_flash("timebank.flash_profile");
  return http::Response::redirect("/timebank/me");
}

web::List history_list(Ctx& ctx, store::Scope& s, std::int64_t member_id) {
  tb::MovementQuery q;
  q.member_id = member_id;
  q.limit = 20;
  q.newest_first = true;
  web::List list;
  std::map<std::int64_t, std::string> names;
  for (const auto& m : tb::movements(s, q)) {
    if (!names.count(m.other_member)) {
      auto o = tb::member(s, m.other_member);
      names[m.other_member] = o ? member_name(ctx, *o) : "";
    }
    web::Data d;
    d.set("date", format_date(m.at_ms / 1000));
    d.set("what", ctx.t("timebank.kind_" + (m.kind == "exchange" || m.kind == "donation" || m.kind == "grant" || m.kind == "reversal" ||
                                                          m.kind == "rota"
                                                  ? m.kind
                                                  : std::string("other"))));
    d.set("memo", m.memo);
    d.set("other", names[m.other_member]);
    d.set("amount", (m.quarters > 0 ? "+" : "") + tb::format_hours(m.quarters));
    d.set("exchange_href", m.exchange_id ? web::Data("/timebank/exchanges/" + std::to_string(*m.exchange_id)) : web::Data(false));
    d.set("transfer_id", std::to_string(m.transfer_id));
    list.push_back(d);
  }
  return list;
}

web::List milestone_list(Ctx& ctx, store::Scope& s, std::int64_t member_id) {
  web::List list;
  for (const auto& m : tb::milestones(s, member_id))
    list.push_back(web::Data("text", ctx.t("timebank.milestone", {{"hours", std::to_string(m.hours)}, {"date", format_date(m.reached_at)}})));
  return list;
}

web::List thanks_list(Ctx& ctx, store::Scope& s, std::int64_t member_id) {
  web::List list;
  for (const auto& t : tb::thanks_received(s, member_id, 10)) {
    web::Data d;
    d.set("from", t.from_name);
    d.set("message", t.message);
    d.set("date", format_date(t.created_at));
    list.push_back(d);
  }
  return list;
}

http::Response me_page(Ctx& ctx) {
  if (!policy::can_join(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  auto& s = w.scope();
  auto me = my_member(ctx, s);
  if (!me) return http::Response::redirect("/timebank/join");
  web::Data d = member_data(ctx, *me, true);
  d.set("can_do_value", me->can_do);
  d.set("outcode_value", me->outcode);
  web::List to_confirm, waiting;
  for (const auto& e : tb::exchanges_for(s, me->id, "pending", 50)) {
    if (e.recorded_by_member == me->id) waiting.push_back(exchange_data(ctx, e, me->id));
    else to_confirm.push_back(exchange_data(ctx, e, me->id));
  }
  d.set("to_confirm", to_confirm);
  d.set("has_to_confirm", !to_confirm.empty());
  d.set("waiting", waiting);
  d.set("has_waiting", !waiting.empty());
  auto history = history_list(ctx, s, me->id);
  d.set("history", history);
  d.set("has_history", !history.empty());
  auto ms = milestone_list(ctx, s, me->id);
  d.set("milestones", ms);
  d.set("has_milestones", !ms.empty());
  auto settings = tb::settings(s);
  d.set("limit_text", ctx.t("timebank.limit_text", {{"hours", tb::format_hours(settings.min_balance)}}));
  ctx.csrf();
  return ctx.page(ctx.t("timebank.me_title"), "timebank/me", d);
}

http::Response member_page(Ctx& ctx) {
  if (!policy::can_browse(ctx.actor)) return ctx.deny();
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  // A broker looking at someone else's balance is a staff view of a person's record: only then is
  // this a write (the audit row); everyone else's view reads.
  bool staff_view = false;
  {
    auto r = ctx.read();
    auto m = tb::member(r.scope(), *id);
    if (!m || m->kind == "pot") return ctx.not_found();
    staff_view = policy::can_see_balance(ctx.actor, *m) && !policy::acts_for(ctx.actor, *m);
  }
  auto w = ctx.work(staff_view ? store::Transaction::Mode::write : store::Transaction::Mode::read);
  auto& s = w.scope();
  auto m = tb::member(s, *id);
  if (!m || m->kind == "pot") return ctx.not_found();
  bool balance = policy::can_see_balance(ctx.actor, *m);
  if (staff_view) w->audit({"timebank.balance_view", "timebank_member", m->id, "page"});
  web::Data d = member_data(ctx, *m, balance);
  d.set("show_balance", balance);
  auto ms = milestone_list(ctx, s, m->id);
  d.set("milestones", ms);
  d.set("has_milestones", !ms.empty());
  auto th = thanks_list(ctx, s, m->id);
  d.set("thanks", th);
  d.set("has_thanks", !th.empty());
  web::List awards;
  for (const auto& a : tb::awards_for(s, m->id)) {
    web::Data x;
    x.set("award", ctx.t("timebank.award_" + a.kind));
    x.set("reason", a.reason);
    x.set("from", a.nominator_name);
    x.set("date", format_date(a.decided_at));
    awards.push_back(x);
  }
  d.set("awards", awards);
  d.set("has_awards", !awards.empty());
  auto viewer = my_member(ctx, s);
  d.set("can_nominate", viewer && viewer->id != m->id);
  tb::ListingQuery q;
  q.member_id = m->id;
  q.per_page = 50;
  web::List items;
  for (const auto& l : tb::listings(s, q).items) items.push_back(listing_data(ctx, l));
  d.set("listings", items);
  d.set("has_listings", !items.empty());
  w.commit();
  return ctx.page(m->name, "timebank/member", d);
}

// ------------------------------------------------------------------ offers and requests

http::Response listing_form(Ctx& ctx, const tb::ListingInput& in, const FormErrors& errors, int status,
                            bool check = false) {
  web::Data d;
  errors.fill(d);
  d.set("is_offer", in.kind != "request");
  d.set("kind", in.kind == "request" ? "request" : "offer");
  d.set("title", in.title);
  d.set("details", in.details);
  d.set("hours", in.hours);
  d.set("outcode", in.outcode);
  d.set("categories", category_options(ctx, in.category));
  // Other members read the listing before they offer or ask for help, so its author can check it
  // reads plainly; the check never stops posting it.
  plain::form_support(ctx, d);
  if (check) {
    bool request = in.kind == "request";
    d.set("plain", plain::check_fields(ctx, {{"title", ctx.t(request ? "timebank.field_request_title" : "timebank.field_offer_title"),
                                              in.title, ""},
                                             {"details", ctx.t("timebank.field_details"), in.details, ""}}));
  }
  ctx.csrf();
  return ctx.page(ctx.t(in.kind == "request" ? "timebank.new_request_title" : "timebank.new_offer_title"),
                  "timebank/listing_form", d, status);
}

http::Response listing_new(Ctx& ctx) {
  if (!policy::can_join(ctx.actor)) return ctx.deny();
  tb::ListingInput in;
  in.kind = ctx.req.query_param("kind") == "request" ? "request" : "offer";
  auto w = ctx.read();
  auto me = my_member(ctx, w.scope());
  if (!me) return http::Response::redirect("/timebank/join");
  in.outcode = me->outcode;
  return listing_form(ctx, in, {}, 200);
}

http::Response listing_create(Ctx& ctx) {
  if (!policy::can_join(ctx.actor)) return ctx.deny();
  tb::ListingInput in{ctx.field("kind"), ctx.field("title"), ctx.field("details"), ctx.field("category"),
                      ctx.field("outcode"), ctx.field("hours")};
  auto w = ctx.work();
  auto me = my_member(ctx, w.scope());
  if (!me) return http::Response::redirect("/timebank/join");
  if (ctx.field("action") == "check") return listing_form(ctx, in, {}, 200, true);
  std::int64_t quarters = 0;
  auto problems = tb::validate_listing(in, quarters);
  if (!problems.empty()) return listing_form(ctx, in, errors_of(ctx, problems), 400);
  tb::create_listing(w.scope(), me->id, in, quarters);
  w.commit();
  ctx.set_flash(in.kind == "offer" ? "timebank.flash_offer" : "timebank.flash_request");
  return http::Response::redirect(in.kind == "offer" ? "/timebank/offers" : "/timebank/requests");
}

http::Response listing_close(Ctx& ctx) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  if (!policy::can_browse(ctx.actor)) return ctx.deny();
  auto w = ctx.work();
  auto l = tb::listing(w.scope(), *id);
  if (!l) return ctx.not_found();
  auto owner = tb::member(w.scope(), l->member_id);
  if (!owner || !policy::can_close_listing(ctx.actor, *owner)) return ctx.deny();
  tb::close_listing(w.scope(), *id);
  w.commit();
  ctx.set_flash("timebank.flash_closed");
  return http::Response::redirect("/timebank/members/" + std::to_string(l->member_id));
}

// ------------------------------------------------------------------ exchanges

struct ExchangeForm {
  std::string other, direction, hours, description;
};

http::Response exchange_form(Ctx& ctx, store::Scope& s, const tb::Member& me, const ExchangeForm& in,
                             const FormErrors& errors, int status) {
  web::Data d;
  errors.fill(d);
  d.set("members", member_options(ctx, s, in.other, me.id));
  d.set("i_helped", in.direction == "i_helped");
  d.set("they_helped", in.direction == "they_helped");
  d.set("hours", in.hours);
  d.set("description", in.description);
  ctx.csrf();
  return ctx.page(ctx.t("timebank.record_title"), "timebank/exchange_form", d, status);
}

http::Response exchange_new(Ctx& ctx) {
  if (!policy::can_join(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  auto me = my_member(ctx, w.scope());
  if (!me) return http::Response::redirect("/timebank/join");
  ExchangeForm in;
  in.other = ctx.req.query_param("with");
  return exchange_form(ctx, w.scope(), *me, in, {}, 200);
}

http::Response exchange_create(Ctx& ctx) {
  if (!policy::can_join(ctx.actor)) return ctx.deny();
  auto w = ctx.work();
  auto& s = w.scope();
  auto me = my_member(ctx, s);
  if (!me) return http::Response::redirect("/timebank/join");
  ExchangeForm in{ctx.field("other"), ctx.field("direction"), ctx.field("hours"), ctx.field("description")};
  FormErrors errors;
  auto other = parse_int(in.other);
  std::optional<tb::Member> other_member;
  if (other) other_member = tb::member(s, *other);
  if (!other_member || other_member->kind == "pot") errors.add("other", ctx.t("timebank.error_other_missing"));
  else if (other_member->id == me->id) errors.add("other", ctx.t("timebank.error_same_member"));
  if (in.direction != "i_helped" && in.direction != "they_helped")
    errors.add("direction", ctx.t("timebank.error_direction"));
  std::string hours_error;
  auto quarters = tb::parse_hours(in.hours, hours_error);
  if (!quarters) errors.add("hours", ctx.t(hours_error));
  if (in.description.empty()) errors.add("description", ctx.t("timebank.error_description_missing"));
  else if (in.description.size() > 500) errors.add("description", ctx.t("timebank.error_description_long"));
  if (errors.any()) return exchange_form(ctx, s, *me, in, errors, 400);
  tb::ExchangeInput ex;
  ex.provider_id = in.direction == "i_helped" ? me->id : other_member->id;
  ex.receiver_id = in.direction == "i_helped" ? other_member->id : me->id;
  ex.quarters = *quarters;
  ex.description = in.description;
  std::int64_t id = 0;
  auto r = tb::record(s, ex, me->id, ctx.actor->user_id, id);
  if (r != tb::Refusal::none) {
    errors.add("other", ctx.t(tb::refusal_key(r)));
    return exchange_form(ctx, s, *me, in, errors, 400);
  }
  w.commit();
  ctx.set_flash("timebank.flash_recorded");
  return http::Response::redirect("/timebank/exchanges/" + std::to_string(id));
}

// Which member the actor speaks for on this exchange: the side they act for that did not record it,
// else any side they act for.
std::optional<std::int64_t> acting_on(Ctx& ctx, store::Scope& s, const tb::Exchange& e) {
  std::optional<std::int64_t> any;
  for (auto id : {e.provider_id, e.receiver_id}) {
    auto m = tb::member(s, id);
    if (!m || !policy::acts_for(ctx.actor, *m)) continue;
    if (id != e.recorded_by_member) return id;
    any = id;
  }
  return any;
}

http::Response exchange_page(Ctx& ctx) {
  if (!policy::can_browse(ctx.actor)) return ctx.deny();
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  auto w = ctx.read();
  auto& s = w.scope();
  auto e = tb::exchange(s, *id);
  if (!e) return ctx.not_found();
  auto acting = acting_on(ctx, s, *e);
  if (!acting && !policy::can_broker(ctx.actor)) return ctx.not_found();
  web::Data d = exchange_data(ctx, *e, acting.value_or(0));
  d.set("can_decide", e->status == "pending" && acting.has_value());
  d.set("recorded_by_me", acting && *acting == e->recorded_by_member);
  d.set("brokered", e->broker_user_id.has_value());
  web::List thanks;
  bool thanked = false;
  for (const auto& t : tb::thanks_for_exchange(s, *id)) {
    web::Data td;
    td.set("from", t.from_name);
    td.set("message", t.message);
    thanks.push_back(td);
    if (acting && t.from_member == *acting) thanked = true;
  }
  d.set("thanks", thanks);
  d.set("has_thanks", !thanks.empty());
  d.set("can_thank", e->status == "confirmed" && acting && !thanked);
  d.set("can_reverse", e->status == "confirmed" && e->transfer_id && policy::can_reverse(ctx.actor));
  if (e->transfer_id) d.set("transfer_id", std::to_string(*e->transfer_id));
  std::string err = ctx.req.query_param("error");
  d.set("error_text", !err.empty() && ctx.app.catalogue.has("en", "timebank." + err) ? web::Data(ctx.t("timebank." + err))
                                                                                      : web::Data(false));
  ctx.csrf();
  return ctx.page(ctx.t("timebank.exchange_title"), "timebank/exchange", d);
}

http::Response decide(Ctx& ctx, const std::string& what) {
  if (!policy::can_browse(ctx.actor)) return ctx.deny();
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  auto w = ctx.work();
  auto& s = w.scope();
  auto e = tb::exchange(s, *id);
  if (!e) return ctx.not_found();
  auto acting = acting_on(ctx, s, *e);
  if (!acting) return policy::can_broker(ctx.actor) ? ctx.forbidden() : ctx.not_found();
  tb::DecisionResult r;
  if (what == "confirm") r = tb::confirm(s, *id, *acting, ctx.actor->user_id);
  else if (what == "dispute") r = tb::dispute(s, *id, *acting);
  else r = tb::cancel(s, *id, *acting);
  std::string back = "/timebank/exchanges/" + std::to_string(*id);
  switch (r.decision) {
    case tb::Decision::ok: break;
    case tb::Decision::not_found: return ctx.not_found();
    case tb::Decision::not_party: return ctx.forbidden();
    case tb::Decision::own_record: return http::Response::redirect(back + "?error=error_confirm_own");
    case tb::Decision::not_pending: return http::Response::redirect(back + "?error=error_not_pending");
    case tb::Decision::refused:
      return http::Response::redirect(back + "?error=" + tb::refusal_key(r.transfer.refusal).substr(9));
  }
  w.commit();
  ctx.set_flash("timebank.flash_" + what);
  return http::Response::redirect(back);
}

http::Response thanks_submit(Ctx& ctx) {
  if (!policy::can_browse(ctx.actor)) return ctx.deny();
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  auto w = ctx.work();
  auto& s = w.scope();
  auto e = tb::exchange(s, *id);
  if (!e) return ctx.not_found();
  auto acting = acting_on(ctx, s, *e);
  if (!acting) return policy::can_broker(ctx.actor) ? ctx.forbidden() : ctx.not_found();
  auto r = tb::thank(s, *id, *acting, ctx.field("message"));
  std::string back = "/timebank/exchanges/" + std::to_string(*id);
  if (r == tb::ThanksResult::empty) return http::Response::redirect(back + "?error=error_thanks_missing");
  if (r == tb::ThanksResult::too_long) return http::Response::redirect(back + "?error=error_thanks_long");
  if (r != tb::ThanksResult::ok) return http::Response::redirect(back + "?error=error_thanks_not_now");
  w.commit();
  ctx.set_flash("timebank.flash_thanks");
  return http::Response::redirect(back);
}

http::Response donate_submit(Ctx& ctx) {
  if (!policy::can_join(ctx.actor)) return ctx.deny();
  auto w = ctx.work();
  auto& s = w.scope();
  auto me = my_member(ctx, s);
  if (!me) return http::Response::redirect("/timebank/join");
  std::string err;
  auto q = tb::parse_hours(ctx.field("hours"), err);
  if (!q) {
    ctx.set_flash(err);
    return http::Response::redirect("/timebank/me");
  }
  auto settings = tb::ensure_settings(s);
  tb::TransferRequest t;
  t.from_member = me->id;
  t.to_member = settings.pot_member_id;
  t.quarters = *q;
  t.kind = "donation";
  auto r = tb::transfer(s, t);
  if (!r.ok()) {
    ctx.set_flash(tb::refusal_key(r.refusal));
    return http::Response::redirect("/timebank/me");
  }
  w.commit();
  ctx.set_flash("timebank.flash_donated");
  return http::Response::redirect("/timebank/me");
}

// ------------------------------------------------------------------ brokers

struct BrokerForms {
  FormErrors errors;
  std::map<std::string, std::string> values;
  std::string which;  // the form that was sent
};

http::Response broker_page_with(Ctx& ctx, const BrokerForms& f, int status) {
  auto w = ctx.read();
  auto& s = w.scope();
  web::Data d;
  f.errors.fill(d);
  auto v = [&](const std::string& k) {
    auto it = f.values.find(k);
    return it == f.values.end() ? std::string() : it->second;
  };
  for (const char* k : {"provider", "receiver", "hours", "description", "grant_member", "grant_hours", "grant_reason",
                        "enrol_name", "enrol_email", "enrol_can_do", "enrol_outcode", "min_balance"})
    d.set(k, v(k));
  d.set("providers", member_options(ctx, s, v("provider")));
  d.set("receivers", member_options(ctx, s, v("receiver")));
  d.set("grant_members", member_options(ctx, s, v("grant_member")));
  auto settings = tb::settings(s);
  std::int64_t pot = settings.pot_member_id ? tb::balance(s, settings.pot_member_id) : 0;
  d.set("pot_balance", hours_text(ctx, pot));
  if (v("min_balance").empty()) d.set("min_balance", tb::format_hours(-settings.min_balance));
  d.set("can_settings", policy::can_change_settings(ctx.actor));
  web::List orgs;
  for (const auto& o : organisations_store::list(s, "", 1, 200).items) {
    if (tb::member_for_organisation(s, o.id)) continue;
    web::Data od;
    od.set("value", std::to_string(o.id));
    od.set("label", o.name);
    od.set("selected", v("enrol_organisation") == std::to_string(o.id));
    orgs.push_back(od);
  }
  d.set("has_organisations", !orgs.empty());
  d.set("organisations", orgs);
  web::List members;
  for (const auto& m : tb::members(s)) members.push_back(member_data(ctx, m, true));
  d.set("all_members", members);
  web::List recent;
  for (const auto& e : tb::recent_exchanges(s, 10)) recent.push_back(exchange_data(ctx, e, 0));
  d.set("recent", recent);
  d.set("has_recent", !recent.empty());
  ctx.csrf();
  return ctx.page(ctx.t("timebank.broker_title"), "timebank/broker", d, status);
}

http::Response broker_page(Ctx& ctx) {
  if (!policy::can_broker(ctx.actor)) return ctx.deny();
  return broker_page_with(ctx, {}, 200);
}

http::Response broker_exchange(Ctx& ctx) {
  if (!policy::can_broker(ctx.actor)) return ctx.deny();
  BrokerForms f;
  for (const char* k : {"provider", "receiver", "hours", "description"}) f.values[k] = ctx.field(k);
  std::optional<std::int64_t> provider, receiver;
  std::string err;
  std::optional<std::int64_t> q;
  {
    auto w = ctx.work();
    auto& s = w.scope();
    auto pick = [&](const char* field, const char* key) -> std::optional<std::int64_t> {
      auto id = parse_int(f.values[field]);
      auto m = id ? tb::member(s, *id) : std::nullopt;
      if (!m || m->kind == "pot") {
        f.errors.add(field, ctx.t(key));
        return std::nullopt;
      }
      return m->id;
    };
    provider = pick("provider", "timebank.error_provider_missing");
    receiver = pick("receiver", "timebank.error_receiver_missing");
    if (provider && receiver && *provider == *receiver) f.errors.add("receiver", ctx.t("timebank.error_same_member"));
    q = tb::parse_hours(f.values["hours"], err);
    if (!q) f.errors.add("hours", ctx.t(err));
    if (f.values["description"].empty()) f.errors.add("description", ctx.t("timebank.error_description_missing"));
    if (!f.errors.any()) {
      tb::ExchangeInput in;
      in.provider_id = *provider;
      in.receiver_id = *receiver;
      in.quarters = *q;
      in.description = f.values["description"];
      std::int64_t id = 0;
      auto r = tb::record_confirmed(s, in, ctx.actor->user_id, id);
      if (r.ok()) {
        w.commit();
        ctx.set_flash("timebank.flash_broker_recorded");
        return http::Response::redirect("/timebank/exchanges/" + std::to_string(id));
      }
      f.errors.add("hours", ctx.t(tb::refusal_key(r.refusal)));
    }
  }
  return broker_page_with(ctx, f, 400);
}

http::Response broker_grant(Ctx& ctx) {
  if (!policy::can_broker(ctx.actor)) return ctx.deny();
  BrokerForms f;
  for (const char* k : {"grant_member", "grant_hours", "grant_reason"}) f.values[k] = ctx.field(k);
  {
    auto w = ctx.work();
    auto& s = w.scope();
    auto id = parse_int(f.values["grant_member"]);
    auto m = id ? tb::member(s, *id) : std::nullopt;
    if (!m || m->kind == "pot") f.errors.add("grant_member", ctx.t("timebank.error_other_missing"));
    std::string err;
    auto q = tb::parse_hours(f.values["grant_hours"], err);
    if (!q) f.errors.add("grant_hours", ctx.t(err));
    if (f.values["grant_reason"].empty()) f.errors.add("grant_reason", ctx.t("timebank.error_reason_missing"));
    if (!f.errors.any()) {
      auto settings = tb::ensure_settings(s);
      tb::TransferRequest t;
      t.from_member = settings.pot_member_id;
      t.to_member = m->id;
      t.quarters = *q;
      t.kind = "grant";
      t.memo = f.values["grant_reason"];
      t.broker_user_id = ctx.actor->user_id;
      auto r = tb::transfer(s, t);
      if (r.ok()) {
        w.commit();
        ctx.set_flash("timebank.flash_granted");
        return http::Response::redirect("/timebank/broker");
      }
      f.errors.add("grant_hours", ctx.t(tb::refusal_key(r.refusal)));
    }
  }
  return broker_page_with(ctx, f, 400);
}

http::Response broker_enrol(Ctx& ctx) {
  if (!policy::can_broker(ctx.actor)) return ctx.deny();
  BrokerForms f;
  for (const char* k : {"enrol_name", "enrol_email", "enrol_can_do", "enrol_outcode", "enrol_organisation"})
    f.values[k] = ctx.field(k);
  {
    auto w = ctx.work();
    auto& s = w.scope();
    tb::JoinInput in;
    in.can_do = f.values["enrol_can_do"];
    in.outcode = f.values["enrol_outcode"];
    if (auto org = parse_int(f.values["enrol_organisation"]); org && !f.values["enrol_organisation"].empty()) {
      auto o = organisations_store::get(s, *org);
      if (!o || o->archived) {
        f.errors.add("enrol_organisation", ctx.t("timebank.error_organisation_missing"));
      } else {
        in.kind = "organisation";
        in.organisation_id = o->id;
        in.name = o->name;
      }
    } else {
      in.kind = "person";
      in.name = f.values["enrol_name"];
      in.offline = ctx.field("enrol_offline") == "yes";
      if (!f.values["enrol_email"].empty()) {
        auto user = AccountsModule::find_user(s, f.values["enrol_email"]);
        if (!user) f.errors.add("enrol_email", ctx.t("timebank.error_email_unknown"));
        else in.user_id = *user;
      }
    }
    if (!f.errors.any())
      for (const auto& [field, key] : tb::validate_join(in)) f.errors.add("enrol_" + field, ctx.t(key));
    if (!f.errors.any()) {
      tb::join(s, in);
      w.commit();
      ctx.set_flash("timebank.flash_enrolled");
      return http::Response::redirect("/timebank/broker");
    }
  }
  return broker_page_with(ctx, f, 400);
}

http::Response settings_submit(Ctx& ctx) {
  if (!policy::can_change_settings(ctx.actor)) return ctx.deny();
  BrokerForms f;
  f.values["min_balance"] = ctx.field("min_balance");
  std::string err;
  std::string typed = f.values["min_balance"];
  // The form asks how far below zero someone may go, as a positive number of hours; 0 is allowed.
  std::optional<std::int64_t> q = trim(typed) == "0" ? std::optional<std::int64_t>(0) : std::nullopt;
  if (!q) {
    std::string t = trim(typed);
    if (!t.empty() && t[0] == '-') t = t.substr(1);
    // Up to 100 hours: parse_hours stops at 24, so whole hours are read here.
    auto whole = parse_int(t);
    if (whole && *whole >= 0 && *whole <= 100) q = *whole * tb::kQuartersPerHour;
    else q = tb::parse_hours(t, err);
  }
  if (!q) {
    f.errors.add("min_balance", ctx.t("timebank.error_min_balance"));
    return broker_page_with(ctx, f, 400);
  }
  auto w = ctx.work();
  if (!tb::set_min_balance(w.scope(), -*q)) {
    f.errors.add("min_balance", ctx.t("timebank.error_min_balance"));
    return broker_page_with(ctx, f, 400);
  }
  w.commit();
  ctx.set_flash("timebank.flash_settings");
  return http::Response::redirect("/timebank/broker");
}

http::Response reverse_submit(Ctx& ctx) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  if (!policy::can_browse(ctx.actor)) return ctx.deny();
  auto w = ctx.work();
  auto& s = w.scope();
  auto found = s.read("SELECT exchange_id FROM timebank_transfers WHERE partnership_id = $1 AND id = $2", {*id});
  if (found.empty()) return ctx.not_found();
  if (!policy::can_reverse(ctx.actor)) return ctx.deny();
  auto exchange_id = found.one().opt_i64(0);
  std::string back = exchange_id ? "/timebank/exchanges/" + std::to_string(*exchange_id) : std::string("/timebank/broker");
  auto r = tb::reverse(s, *id, ctx.field("reason").empty() ? ctx.t("timebank.reversal_memo") : ctx.field("reason"));
  if (!r.ok()) {
    ctx.set_flash(tb::refusal_key(r.refusal));
    return http::Response::redirect(back);
  }
  w.commit();
  ctx.set_flash("timebank.flash_reversed");
  return http::Response::redirect(back);
}

// ------------------------------------------------------------------ API

http::Response api_balance(Ctx& ctx) {
  if (!ctx.actor) return ctx.deny();
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  auto w = ctx.work();
  auto m = tb::member(w.scope(), *id);
  if (!m || m->kind == "pot") return ctx.not_found();
  if (!policy::can_see_balance(ctx.actor, *m)) return ctx.deny();
  // A broker reading someone else's balance is a staff view of a person's record.
  if (!policy::acts_for(ctx.actor, *m)) w->audit({"timebank.balance_view", "timebank_member", m->id, ""});
  auto settings = tb::settings(w.scope());
  json::object o;
  o["member_id"] = m->id;
  o["name"] = m->name;
  o["balance_quarters"] = m->balance;
  o["balance_hours"] = tb::format_hours(m->balance);
  o["given_hours"] = tb::format_hours(m->given);
  o["lowest_allowed_hours"] = tb::format_hours(settings.min_balance);
  w.commit();
  return ctx.json(200, o);
}

}  // namespace

void TimebankModule::install(app::App& a) {
  a.route("GET", "/timebank", "timebank.index", index_page);
  a.route("GET", "/timebank/offers", "timebank.offers", [](Ctx& c) { return listings_page(c, "offer"); });
  a.route("GET", "/timebank/requests", "timebank.requests", [](Ctx& c) { return listings_page(c, "request"); });
  a.route("GET", "/timebank/join", "timebank.join", join_page);
  a.route("POST", "/timebank/join", "timebank.join_submit", join_submit);
  a.route("GET", "/timebank/me", "timebank.me", me_page);
  a.route("POST", "/timebank/me/profile", "timebank.profile", profile_submit);
  a.route("POST", "/timebank/me/donate", "timebank.donate", donate_submit);
  a.route("GET", "/timebank/members/{id}", "timebank.member", member_page);
  a.route("GET", "/timebank/listings/new", "timebank.listing_new", listing_new);
  a.route("POST", "/timebank/listings", "timebank.listing_create", listing_create);
  a.route("POST", "/timebank/listings/{id}/close", "timebank.listing_close", listing_close);
  a.route("GET", "/timebank/exchanges/new", "timebank.exchange_new", exchange_new);
  a.route("POST", "/timebank/exchanges", "timebank.exchange_create", exchange_create);
  a.route("GET", "/timebank/exchanges/{id}", "timebank.exchange", exchange_page);
  a.route("POST", "/timebank/exchanges/{id}/confirm", "timebank.confirm", [](Ctx& c) { return decide(c, "confirm"); });
  a.route("POST", "/timebank/exchanges/{id}/dispute", "timebank.dispute", [](Ctx& c) { return decide(c, "dispute"); });
  a.route("POST", "/timebank/exchanges/{id}/cancel", "timebank.cancel", [](Ctx& c) { return decide(c, "cancel"); });
  a.route("POST", "/timebank/exchanges/{id}/thanks", "timebank.thanks", thanks_submit);
  a.route("GET", "/timebank/broker", "timebank.broker", broker_page);
  a.route("POST", "/timebank/broker/exchanges", "timebank.broker_exchange", broker_exchange);
  a.route("POST", "/timebank/broker/grants", "timebank.broker_grant", broker_grant);
  a.route("POST", "/timebank/broker/members", "timebank.broker_enrol", broker_enrol);
  a.route("POST", "/timebank/settings", "timebank.settings", settings_submit);
  a.route("POST", "/timebank/transfers/{id}/reverse", "timebank.reverse", reverse_submit);
  a.route("GET", "/api/v1/timebank/members/{id}/balance", "api.timebank.balance", api_balance, app::RouteKind::api);
  tb::install_reports(a);
  tb::install_awards(a);
  tb::install_rotas(a);
  a.nav({"timebank.nav", "/timebank", [](const Ctx& c) { return c.signed_in(); }});
}

}  // namespace cp::modules
