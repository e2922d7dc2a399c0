#include <algorithm>
#include <map>

#include "core/util.hpp"
#include "modules/capabilities/capabilities.hpp"
#include "modules/directory/directory.hpp"
#include "modules/plain/web.hpp"

namespace cp::modules {

namespace {

using app::Ctx;
using app::FormErrors;
namespace policy = capabilities_policy;
namespace db = capabilities_store;

constexpr std::int64_t kPerPage = 20;

std::optional<std::int64_t> path_id(Ctx& ctx) {
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

// The topics people can choose: the directory's taxonomy terms, then "something else".
std::vector<directory_store::Term> topics(Ctx& ctx) {
  auto w = ctx.read();
  return directory_store::terms(w.scope());
}

std::vector<std::string> topic_ids(const std::vector<directory_store::Term>& terms) {
  std::vector<std::string> ids;
  for (const auto& t : terms) ids.push_back(t.id);
  return ids;
}

std::string topic_name(Ctx& ctx, const std::vector<directory_store::Term>& terms, const std::string& id) {
  for (const auto& t : terms)
    if (t.id == id) return t.name;
  return ctx.t("capabilities.topic_other");
}

std::string days_text(Ctx& ctx, const std::vector<std::string>& days) {
  std::string out;
  for (std::size_t i = 0; i < days.size(); ++i) {
    if (i) out += i + 1 == days.size() ? ctx.t("capabilities.list_and") : ", ";
    out += ctx.t("capabilities.day_" + days[i]);
  }
  return out;
}

// Members see a first name; staff, who may need to get in touch, see the whole name.
std::string shown_name(Ctx& ctx, const Offer& o) {
  if (policy::is_offer_staff(ctx.actor) || (ctx.actor && ctx.actor->user_id == o.person_id)) return o.person_name;
  auto words = split(trim(o.person_name), ' ');
  return words.empty() ? o.person_name : words.front();
}

web::Data offer_data(Ctx& ctx, const Offer& o, const std::vector<directory_store::Term>& terms) {
  web::Data d;
  d.set("id", std::to_string(o.id));
  d.set("kind_label", ctx.t("capabilities.kind_" + o.kind));
  d.set("is_offer", o.kind == "offer");
  d.set("topic_name", topic_name(ctx, terms, o.topic));
  d.set("title", o.title);
  d.set("details", o.details.empty() ? web::Data(false) : web::Data(o.details));
  d.set("languages", o.languages.empty() ? web::Data(false) : web::Data(o.languages));
  d.set("time_note", o.time_note.empty() ? web::Data(false) : web::Data(o.time_note));
  d.set("days", o.days.empty() ? web::Data(false) : web::Data(days_text(ctx, o.days)));
  d.set("postcode", o.postcode.empty() ? web::Data(false) : web::Data(o.postcode));
  d.set("visibility_label", ctx.t("capabilities.visibility_" + o.visibility + "_short"));
  d.set("person_name", shown_name(ctx, o));
  d.set("withdrawn", o.status == "withdrawn");
  d.set("can_edit", policy::can_edit(ctx.actor, o));
  d.set("updated", format_date(o.updated_at));
  return d;
}

OfferInput input_from_form(Ctx& ctx) {
  OfferInput in;
  in.kind = ctx.field("kind");
  in.topic = ctx.field("topic");
  in.title = ctx.field("title");
  in.details = ctx.field("details");
  in.languages = ctx.field("languages");
  in.time_note = ctx.field("time_note");
  in.postcode = ctx.field("postcode");
  in.visibility = ctx.field("visibility");
  auto range = ctx.form().equal_range("days");
  for (auto it = range.first; it != range.second; ++it) in.days.push_back(trim(it->second));
  return in;
}

web::List choices(Ctx& ctx, const std::vector<std::string>& values, const std::string& prefix, const std::string& selected) {
  web::List list;
  for (std::size_t i = 0; i < values.size(); ++i) {
    web::Data o;
    o.set("value", values[i]);
    o.set("id", i == 0 ? prefix : prefix + "-" + values[i]);
    o.set("label", ctx.t("capabilities." + prefix + "_" + values[i]));
    o.set("hint", ctx.t("capabilities." + prefix + "_" + values[i] + "_hint"));
    o.set("checked", values[i] == selected);
    list.push_back(o);
  }
  return list;
}

http::Response form_page(Ctx& ctx, const OfferInput& in, const Offer* existing, const FormErrors& errors, int status,
                         const std::string& person_email = "", bool check = false) {
  auto terms = topics(ctx);
  web::Data d;
  errors.fill(d);
  d.set("kinds", choices(ctx, kOfferKinds, "kind", in.kind));
  d.set("visibilities", choices(ctx, kOfferVisibilities, "visibility", in.visibility));
  auto topic_list = directory_store::topic_options(terms, in.topic);
  web::Data other;
  other.set("value", kOtherTopic);
  other.set("label", ctx.t("capabilities.topic_other"));
  other.set("selected", in.topic == kOtherTopic);
  topic_list.push_back(other);
  d.set("topics", topic_list);
  d.set("days", day_choices(ctx, in.days));
  d.set("title", in.title);
  d.set("details", in.details);
  d.set("languages", in.languages);
  d.set("time_note", in.time_note);
  d.set("postcode", in.postcode);
  d.set("editing", existing != nullptr);
  d.set("for_others", existing == nullptr && policy::can_record_for_others(ctx.actor));
  d.set("person_email", person_email);
  if (existing) {
    d.set("id", std::to_string(existing->id));
    d.set("action", "/me/offers/" + std::to_string(existing->id) + "/edit");
  } else {
    d.set("action", std::string("/me/offers/new"));
  }
  // Others read the title and details when they browse offers, so the author can check they read
  // plainly; the check never stops a save.
  plain::form_support(ctx, d);
  if (check)
    d.set("plain", plain::check_fields(ctx, {{"title", ctx.t("capabilities.field_title"), in.title, ""},
                                             {"details", ctx.t("capabilities.field_details"), in.details, ""}}));
  ctx.csrf();
  return ctx.page(ctx.t(existing ? "capabilities.edit_title" : "capabilities.new_title"), "capabilities/form", d, status);
}

FormErrors to_errors(Ctx& ctx, const std::vector<OfferProblem>& problems) {
  FormErrors e;
  for (const auto& p : problems) e.add(p.field, ctx.t(p.key));
  return e;
}

// ------------------------------------------------------------ pages

http::Response mine_page(Ctx& ctx) {
  if (!policy::can_keep_own(ctx.actor)) return ctx.deny();
  auto terms = topics(ctx);
  std::vector<Offer> list;
  {
    auto w = ctx.read();
    list = db::mine(w.scope(), ctx.actor->user_id);
  }
  web::List offers, wishes, withdrawn;
  for (const auto& o : list) {
    auto d = offer_data(ctx, o, terms);
    if (o.status == "withdrawn") withdrawn.push_back(d);
    else if (o.kind == "offer") offers.push_back(d);
    else wishes.push_back(d);
  }
  web::Data d;
  d.set("has_offers", !offers.empty());
  d.set("has_wishes", !wishes.empty());
  d.set("has_withdrawn", !withdrawn.empty());
  d.set("offers", offers);
  d.set("wishes", wishes);
  d.set("withdrawn_list", withdrawn);
  d.set("can_browse", policy::can_browse(ctx.actor));
  ctx.csrf();
  return ctx.page(ctx.t("capabilities.mine_title"), "capabilities/mine", d);
}

http::Response new_page(Ctx& ctx) {
  if (!policy::can_keep_own(ctx.actor)) return ctx.deny();
  return form_page(ctx, {}, nullptr, {}, 200);
}

http::Response create_submit(Ctx& ctx) {
  if (!policy::can_keep_own(ctx.actor)) return ctx.deny();
  auto in = input_from_form(ctx);
  std::string person_email = ctx.field("person_email");
  if (ctx.field("action") == "check") return form_page(ctx, in, nullptr, {}, 200, person_email, true);
  std::int64_t person = ctx.actor->user_id;
  std::vector<OfferProblem> problems;
  if (!person_email.empty()) {
    if (!policy::can_record_for_others(ctx.actor)) return ctx.forbidden();
    auto w = ctx.read();
    if (auto found = db::find_person(w.scope(), person_email)) person = found->first;
    else problems.push_back({"person_email", "capabilities.error_person"});
  }
  // The postcode is looked up before the write begins, outside the partnership's transaction.
  std::optional<postcodes::Point> point;
  auto more = db::validate(ctx.app, in, topic_ids(topics(ctx)), point);
  problems.insert(problems.end(), more.begin(), more.end());
  if (!problems.empty()) return form_page(ctx, in, nullptr, to_errors(ctx, problems), 400, person_email);
  auto w = ctx.work();
  auto id = db::create(w.scope(), person, ctx.actor->user_id, in, point);
  w.commit();
  ctx.set_flash(in.kind == "offer" ? "capabilities.flash_offer_saved" : "capabilities.flash_wish_saved");
  if (person != ctx.actor->user_id) return http::Response::redirect("/offers/" + std::to_string(id));
  return http::Response::redirect("/me/offers");
}

// The offer named by the path, if this actor may see it.
std::optional<Offer> visible_from_path(Ctx& ctx) {
  auto id = path_id(ctx);
  if (!id || !ctx.actor) return std::nullopt;
  auto w = ctx.read();
  return db::get(w.scope(), *id, viewer_for(ctx.actor));
}

http::Response edit_page(Ctx& ctx) {
  if (!policy::can_keep_own(ctx.actor)) return ctx.deny();
  auto o = visible_from_path(ctx);
  if (!o) return ctx.not_found();
  if (!policy::can_edit(ctx.actor, *o)) return ctx.forbidden();
  return form_page(ctx, *o, &*o, {}, 200);
}

http::Response update_submit(Ctx& ctx) {
  if (!policy::can_keep_own(ctx.actor)) return ctx.deny();
  auto o = visible_from_path(ctx);
  if (!o) return ctx.not_found();
  if (!policy::can_edit(ctx.actor, *o)) return ctx.forbidden();
  auto in = input_from_form(ctx);
  if (ctx.field("action") == "check") return form_page(ctx, in, &*o, {}, 200, "", true);
  std::optional<postcodes::Point> point;
  auto problems = db::validate(ctx.app, in, topic_ids(topics(ctx)), point);
  if (!problems.empty()) return form_page(ctx, in, &*o, to_errors(ctx, problems), 400);
  auto w = ctx.work();
  if (!db::update(w.scope(), o->id, in, point)) return ctx.not_found();
  w.commit();
  ctx.set_flash("capabilities.flash_updated");
  return http::Response::redirect(o->person_id == ctx.actor->user_id ? std::string("/me/offers")
                                                                      : "/offers/" + std::to_string(o->id));
}

http::Response withdraw_submit(Ctx& ctx) {
  if (!policy::can_keep_own(ctx.actor)) return ctx.deny();
  auto o = visible_from_path(ctx);
  if (!o) return ctx.not_found();
  if (!policy::can_edit(ctx.actor, *o)) return ctx.forbidden();
  auto w = ctx.work();
  db::withdraw(w.scope(), o->id);
  w.commit();
  ctx.set_flash("capabilities.flash_withdrawn");
  return http::Response::redirect(o->person_id == ctx.actor->user_id ? std::string("/me/offers")
                                                                      : "/offers/" + std::to_string(o->id));
}

http::Response browse_page(Ctx& ctx) {
  if (!policy::can_browse(ctx.actor)) return ctx.deny();
  auto terms = topics(ctx);
  db::BrowseQuery q;
  q.kind = ctx.req.query_param("kind");
  if (std::find(kOfferKinds.begin(), kOfferKinds.end(), q.kind) == kOfferKinds.end()) q.kind.clear();
  q.topic = ctx.req.query_param("topic").substr(0, 100);
  q.page = std::clamp<std::int64_t>(parse_int(ctx.req.query_param("page")).value_or(1), 1, 100000);
  q.per_page = kPerPage;
  std::int64_t total = 0;
  std::vector<Offer> list;
  {
    auto w = ctx.read();
    list = db::browse(w.scope(), viewer_for(ctx.actor), q, total);
  }
  web::Data d;
  web::List items;
  for (const auto& o : list) items.push_back(offer_data(ctx, o, terms));
  d.set("offers", items);
  d.set("none", list.empty());
  d.set("count", ctx.t("capabilities.browse_count", {{"count", std::to_string(total)}}));
  d.set("staff", policy::is_offer_staff(ctx.actor));
  web::List kinds;
  for (const auto& k : std::vector<std::string>{"", "offer", "wish"}) {
    web::Data o;
    o.set("value", k);
    o.set("label", ctx.t(k.empty() ? "capabilities.browse_any_kind" : "capabilities.kind_" + k));
    o.set("selected", k == q.kind);
    kinds.push_back(o);
  }
  d.set("kinds", kinds);
  d.set("topics", directory_store::topic_options(terms, q.topic, ctx.t("capabilities.browse_any_topic")));
  std::int64_t pages = std::max<std::int64_t>(1, (total + kPerPage - 1) / kPerPage);
  std::string base = "/offers?kind=" + http::url_encode(q.kind) + "&topic=" + http::url_encode(q.topic) + "&page=";
  if (q.page > 1) d.set("prev_href", base + std::to_string(q.page - 1));
  if (q.page < pages) d.set("next_href", base + std::to_string(q.page + 1));
  return ctx.page(ctx.t("capabilities.browse_title"), "capabilities/browse", d);
}

http::Response show_page(Ctx& ctx) {
  if (!ctx.actor) return ctx.deny();
  auto o = visible_from_path(ctx);
  if (!o) return ctx.not_found();
  // A member of staff reading a person's offer is looking at that person's record.
  if (o->person_id != ctx.actor->user_id && policy::is_offer_staff(ctx.actor)) {
    auto w = ctx.work();
    w->audit({"capability_offer.view", "capability_offer", o->id, "person " + std::to_string(o->person_id)});
    w.commit();
  }
  auto terms = topics(ctx);
  web::Data d = offer_data(ctx, *o, terms);
  d.set("own", o->person_id == ctx.actor->user_id);
  ctx.csrf();
  return ctx.page(o->title, "capabilities/show", d);
}

}  // namespace

web::List day_choices(const app::Ctx& ctx, const std::vector<std::string>& checked) {
  web::List days;
  for (std::size_t i = 0; i < kWeekDays.size(); ++i) {
    web::Data o;
    o.set("value", kWeekDays[i]);
    o.set("id", i == 0 ? std::string("days") : "days-" + kWeekDays[i]);
    o.set("label", ctx.t("capabilities.day_" + kWeekDays[i]));
    o.set("checked", std::find(checked.begin(), checked.end(), kWeekDays[i]) != checked.end());
    days.push_back(o);
  }
  return days;
}

void CapabilitiesModule::install(app::App& a) {
  a.route("GET", "/me/offers", "capabilities.mine", mine_page);
  a.route("GET", "/me/offers/new", "capabilities.new", new_page);
  a.route("POST", "/me/offers/new", "capabilities.create", create_submit);
  a.route("GET", "/me/offers/{id}/edit", "capabilities.edit", edit_page);
  a.route("POST", "/me/offers/{id}/edit", "capabilities.update", update_submit);
  a.route("POST", "/me/offers/{id}/withdraw", "capabilities.withdraw", withdraw_submit);
  a.route("GET", "/offers", "capabilities.browse", browse_page);
  a.route("GET", "/offers/{id}", "capabilities.show", show_page);
  a.nav({"capabilities.nav", "/me/offers", [](const Ctx& c) { return c.signed_in(); }});
}

}  // namespace cp::modules
