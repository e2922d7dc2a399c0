// The Community Asset Survey: people who know a place (a lunch club in a church hall, a walking group)
// tell us about it; a manager or admin checks it and publishes it into the directory, where it sits
// beside formal services and goes out in the open data feed. Until then a suggestion is seen only by
// the person who made it and by moderators, and "who told us" is never published.
#include <algorithm>

#include "core/util.hpp"
#include "modules/directory/directory.hpp"
#include "modules/directory/welsh.hpp"
#include "modules/notifications/notifications.hpp"
#include "modules/plain/web.hpp"

namespace cp::modules {

namespace directory_survey {

namespace {

constexpr std::size_t kShort = 200, kLong = 2000;

bool email_like(const std::string& e) {
  auto at = e.find('@');
  if (at == std::string::npos || at == 0 || e.find('@', at + 1) != std::string::npos) return false;
  auto dot = e.find('.', at);
  if (dot == std::string::npos || dot == at + 1 || dot + 1 >= e.size()) return false;
  return std::none_of(e.begin(), e.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

bool phone_like(const std::string& p) {
  int digits = 0;
  for (char c : p) {
    if (std::isdigit(static_cast<unsigned char>(c))) ++digits;
    else if (c != ' ' && c != '+' && c != '(' && c != ')' && c != '-') return false;
  }
  return digits >= 6 && digits <= 15;
}

bool web_like(const std::string& u) {
  if (!starts_with(u, "https://") && !starts_with(u, "http://")) return false;
  std::string rest = u.substr(u.find("//") + 2);
  return rest.find('.') != std::string::npos &&
         std::none_of(u.begin(), u.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '<'; });
}

// A version 4 UUID, as ORUK requires for every record's id.
std::string new_uuid() {
  std::string h = sha256_hex(random_token(32)).substr(0, 32);
  h[12] = '4';
  h[16] = "89ab"[std::stoi(h.substr(16, 1), nullptr, 16) % 4];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

const std::string kColumns =
    "g.id, g.suggested_by, g.status, g.name, g.asset_kind, g.what, g.place_name, g.address, g.town, g.postcode,"
    " g.when_text, g.who_for, g.contact_name, g.contact_phone, g.contact_email, g.website, g.told_by, g.created_at,"
    " g.decided_at, g.reason, s.uuid, g.name_cy, g.what_cy";

Suggestion from_row(const store::Row& r) {
  Suggestion g;
  g.id = r.i64(0);
  g.suggested_by = r.i64(1);
  g.status = r.text(2);
  g.name = r.text(3);
  g.asset_kind = r.text(4);
  g.what = r.text(5);
  g.place_name = r.text(6);
  g.address = r.text(7);
  g.town = r.text(8);
  g.postcode = r.text(9);
  g.when_text = r.text(10);
  g.who_for = r.text(11);
  g.contact_name = r.text(12);
  g.contact_phone = r.text(13);
  g.contact_email = r.text(14);
  g.website = r.text(15);
  g.told_by = r.text(16);
  g.created_at = r.i64(17);
  g.decided_at = r.opt_i64(18);
  g.reason = r.text(19);
  g.service_uuid = r.text(20);
  g.name_cy = r.text(21);
  g.what_cy = r.text(22);
  return g;
}

std::vector<Suggestion> select(store::Scope& s, const std::string& where, store::Params p) {
  std::vector<Suggestion> out;
  for (const auto& r : s.read("SELECT " + kColumns +
                                  " FROM directory_asset_suggestions g LEFT JOIN directory_services s"
                                  " ON s.partnership_id = $1 AND s.id = g.service_id WHERE g.partnership_id = $1" + where,
                              std::move(p))
                           .rows)
    out.push_back(from_row(r));
  return out;
}

}  // namespace

std::vector<FieldProblem> validate(const SuggestionInput& in) {
  std::vector<FieldProblem> out;
  auto too_long = [&](const std::string& field, const std::string& v, std::size_t limit) {
    if (v.size() > limit) out.push_back({field, limit == kShort ? "directory.error_too_long_short" : "directory.error_too_long_long"});
  };
  if (in.name.empty()) out.push_back({"name", "directory.error_name_missing"});
  too_long("name", in.name, kShort);
  if (in.asset_kind.empty()) out.push_back({"asset_kind", "directory.error_kind_missing"});
  else if (std::find(kAssetKinds.begin(), kAssetKinds.end(), in.asset_kind) == kAssetKinds.end())
    out.push_back({"asset_kind", "directory.error_kind_missing"});
  if (in.what.empty()) out.push_back({"what", "directory.error_what_missing"});
  too_long("what", in.what, kLong);
  too_long("place_name", in.place_name, kShort);
  if (in.place_name.empty() && in.address.empty() && in.town.empty() && in.postcode.empty())
    out.push_back({"address", "directory.error_where_missing"});
  too_long("address", in.address, kShort);
  too_long("town", in.town, kShort);
  if (!in.postcode.empty() && !postcodes::normalise(in.postcode)) out.push_back({"postcode", "directory.error_postcode"});
  too_long("when_text", in.when_text, kLong);
  too_long("who_for", in.who_for, kLong);
  too_long("contact_name", in.contact_name, kShort);
  if (!in.contact_phone.empty() && !phone_like(in.contact_phone)) out.push_back({"contact_phone", "directory.error_phone"});
  if (!in.contact_email.empty() && (!email_like(in.contact_email) || in.contact_email.size() > kShort))
    out.push_back({"contact_email", "directory.error_email"});
  if (!in.website.empty() && (!web_like(in.website) || in.website.size() > kShort))
    out.push_back({"website", "directory.error_website"});
  too_long("told_by", in.told_by, kShort);
  too_long("name_cy", in.name_cy, kShort);
  too_long("what_cy", in.what_cy, kLong);
  return out;
}

std::int64_t suggest(store::Scope& s, const SuggestionInput& in, std::int64_t user_id, std::int64_t now) {
  std::string postcode = in.postcode;
  if (auto pc = postcodes::normalise(in.postcode)) postcode = pc->text;
  return s.insert({"directory.asset_suggest", "directory_asset_suggestion", std::nullopt, in.asset_kind},
                  "INSERT INTO directory_asset_suggestions (partnership_id, suggested_by, status, name, asset_kind, what,"
                  " place_name, address, town, postcode, when_text, who_for, contact_name, contact_phone, contact_email,"
                  " website, told_by, created_at, name_cy, what_cy) VALUES ($1, $2, 'waiting', $3, $4, $5, $6, $7, $8, $9, $10,"
                  " $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id",
                  {user_id, in.name, in.asset_kind, in.what, in.place_name, in.address, in.town, postcode, in.when_text,
                   in.who_for, in.contact_name, in.contact_phone, in.contact_email, in.website, in.told_by, now,
                   in.name_cy, in.what_cy});
}

std::optional<Suggestion> get(store::Scope& s, std::int64_t id) {
  auto found = select(s, " AND g.id = $2", {id});
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::optional<postcodes::Point> locate(store::Database& db, const std::string& postcode) {
  auto pc = postcodes::normalise(postcode);
  if (!pc) return std::nullopt;
  if (auto p = postcodes::locate(db, *pc)) return p;
  // A new or mistyped full postcode still puts the place in the right district.
  if (pc->full)
    if (auto out = postcodes::normalise(pc->text.substr(0, pc->text.find(' ')))) return postcodes::locate(db, *out);
  return std::nullopt;
}

std::optional<std::string> approve(store::Scope& s, std::int64_t id, std::int64_t moderator, std::int64_t now,
                                   std::optional<postcodes::Point> where, const std::string& who_label) {
  auto g = get(s, id);
  if (!g || g->status != "waiting") return std::nullopt;
  std::string uuid = new_uuid();
  std::string description = g->what;
  if (!g->who_for.empty()) description += "\n\n" + who_label + g->who_for;
  std::string iso = format_iso8601(now);
  store::Value email = g->contact_email.empty() ? store::Value(nullptr) : store::Value(g->contact_email);
  store::Value url = g->website.empty() ? store::Value(nullptr) : store::Value(g->website);
  std::int64_t service = s.insert(
      {"directory.asset_publish", "directory_service", std::nullopt, "suggestion " + std::to_string(id)},
      "INSERT INTO directory_services (partnership_id, uuid, name, description, url, email, status, asset_kind,"
      " assured_date, last_modified, modified_at, search_text) VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, $8, $9, $10,"
      " $11) RETURNING id",
      {uuid, g->name, description, url, email, g->asset_kind, iso.substr(0, 10), iso, now,
       to_lower(g->name + "\n" + description)});
  // The Welsh the person gave goes out with it; "who it is for" stays in the language it was written in.
  if (!trim(g->name_cy).empty() || !trim(g->what_cy).empty())
    directory_welsh::set_welsh(s, service, trim(g->name_cy), trim(g->what_cy));
  // The moderator has just checked it, so it starts fresh.
  s.insert({"directory.service_checked", "directory_service_check", std::nullopt, "service " + std::to_string(service)},
           "INSERT INTO directory_service_checks (partnership_id, service_id, checked_by, checked_at) VALUES ($1, $2, $3, $4)"
           " RETURNING id",
           {service, moderator, now});
  if (!g->place_name.empty() || !g->address.empty() || !g->town.empty() || !g->postcode.empty()) {
    store::Value lat = where ? store::Value(where->latitude) : store::Value(nullptr);
    store::Value lon = where ? store::Value(where->longitude) : store::Value(nullptr);
    std::int64_t loc = s.insert({"directory.asset_publish", "directory_location", std::nullopt, ""},
                                "INSERT INTO directory_locations (partnership_id, uuid, location_type, name, latitude,"
                                " longitude, is_private) VALUES ($1, $2, 'physical', $3, $4, $5, 0) RETURNING id",
                                {new_uuid(), g->place_name.empty() ? g->name : g->place_name, lat, lon});
    if (!g->address.empty() || !g->town.empty() || !g->postcode.empty()) {
      // One line of street address, as ORUK's address_1 has it.
      std::string line;
      for (const auto& part : split(g->address, '\n'))
        if (!trim(part).empty()) line += (line.empty() ? "" : ", ") + trim(part);
      if (line.empty()) line = g->place_name.empty() ? g->name : g->place_name;
      s.insert({"directory.asset_publish", "directory_address", std::nullopt, ""},
               "INSERT INTO directory_addresses (partnership_id, uuid, location_id, address_1, city, state_province,"
               " postal_code, country, address_type) VALUES ($1, $2, $3, $4, $5, '', $6, 'GB', 'physical') RETURNING id",
               {new_uuid(), loc, line, g->town, g->postcode});
    }
    s.insert({"directory.asset_publish", "directory_service_at_location", std::nullopt, ""},
             "INSERT INTO directory_service_at_locations (partnership_id, uuid, service_id, location_id)"
             " VALUES ($1, $2, $3, $4) RETURNING id",
             {new_uuid(), service, loc});
  }
  if (!g->when_text.empty())
    s.insert({"directory.asset_publish", "directory_schedule", std::nullopt, ""},
             "INSERT INTO directory_schedules (partnership_id, uuid, service_id, description) VALUES ($1, $2, $3, $4)"
             " RETURNING id",
             {new_uuid(), service, g->when_text});
  if (!g->contact_name.empty() || !g->contact_phone.empty()) {
    store::Value name = g->contact_name.empty() ? store::Value(nullptr) : store::Value(g->contact_name);
    std::int64_t contact = s.insert({"directory.asset_publish", "directory_contact", std::nullopt, ""},
                                    "INSERT INTO directory_contacts (partnership_id, uuid, service_id, name, is_private)"
                                    " VALUES ($1, $2, $3, $4, 0) RETURNING id",
                                    {new_uuid(), service, name});
    if (!g->contact_phone.empty())
      s.insert({"directory.asset_publish", "directory_phone", std::nullopt, ""},
               "INSERT INTO directory_phones (partnership_id, uuid, contact_id, number) VALUES ($1, $2, $3, $4) RETURNING id",
               {new_uuid(), contact, g->contact_phone});
  }
  // Someone else may have decided it meanwhile: then this whole publication is rolled back.
  if (s.write({"directory.asset_approve", "directory_asset_suggestion", id, uuid},
              "UPDATE directory_asset_suggestions SET status = 'approved', decided_by = $3, decided_at = $4, service_id = $5"
              " WHERE partnership_id = $1 AND id = $2 AND status = 'waiting'",
              {id, moderator, now, service}) != 1)
    return std::nullopt;
  // The person who told us hears back. The notice is a catalogue key, so it reaches them in their own
  // language, on the site and by email, whatever language the moderator was using.
  if (g->suggested_by != moderator)
    notifications::notify(s, g->suggested_by, "directory.notice_suggestion_approved", {{"name", g->name}}, "/services/" + uuid);
  return uuid;
}

bool reject(store::Scope& s, std::int64_t id, std::int64_t moderator, const std::string& reason, std::int64_t now) {
  auto g = get(s, id);
  if (!g) return false;
  if (s.write({"directory.asset_reject", "directory_asset_suggestion", id, ""},
              "UPDATE directory_asset_suggestions SET status = 'rejected', decided_by = $3, decided_at = $4, reason = $5"
              " WHERE partnership_id = $1 AND id = $2 AND status = 'waiting'",
              {id, moderator, now, reason}) != 1)
    return false;
  if (g->suggested_by != moderator)
    notifications::notify(s, g->suggested_by, "directory.notice_suggestion_rejected", {{"name", g->name}}, "/assets/mine");
  return true;
}

}  // namespace directory_survey

namespace {

using app::Ctx;
using app::FormErrors;
namespace survey = directory_survey;
namespace policy = directory_policy;


survey::SuggestionInput input_from_form(Ctx& ctx) {
  survey::SuggestionInput in;
  in.name = ctx.field("name");
  in.asset_kind = ctx.field("asset_kind");
  in.what = ctx.field("what");
  in.place_name = ctx.field("place_name");
  in.address = ctx.field("address");
  in.town = ctx.field("town");
  in.postcode = ctx.field("postcode");
  in.when_text = ctx.field("when_text");
  in.who_for = ctx.field("who_for");
  in.contact_name = ctx.field("contact_name");
  in.contact_phone = ctx.field("contact_phone");
  in.contact_email = ctx.field("contact_email");
  in.website = ctx.field("website");
  in.told_by = ctx.field("told_by");
  in.name_cy = ctx.field("name_cy");
  in.what_cy = ctx.field("what_cy");
  return in;
}

std::string date_words(Ctx& ctx, std::int64_t seconds) {
  std::string iso = format_iso8601(seconds);
  return ctx.t("directory.date", {{"day", std::to_string(std::stoi(iso.substr(8, 2)))},
                                  {"month", ctx.t("directory.month_" + std::to_string(std::stoi(iso.substr(5, 2))))},
                                  {"year", iso.substr(0, 4)}});
}

web::Data suggestion_data(Ctx& ctx, const survey::Suggestion& g) {
  web::Data d;
  d.set("id", std::to_string(g.id));
  d.set("name", g.name);
  d.set("kind_label", ctx.t("directory.kind_" + g.asset_kind));
  d.set("status_label", ctx.t("directory.status_" + g.status));
  d.set("waiting", g.status == "waiting");
  d.set("approved", g.status == "approved");
  d.set("rejected", g.status == "rejected");
  d.set("created", date_words(ctx, g.created_at));
  // Blank optional fields become false, or Mustache would show an empty row for each.
  auto opt = [&](const char* key, const std::string& v) { d.set(key, v.empty() ? web::Data(false) : web::Data(v)); };
  opt("what", g.what);
  opt("place_name", g.place_name);
  opt("address", g.address);
  opt("town", g.town);
  opt("postcode", g.postcode);
  opt("when_text", g.when_text);
  opt("who_for", g.who_for);
  opt("contact_name", g.contact_name);
  opt("contact_phone", g.contact_phone);
  opt("contact_email", g.contact_email);
  opt("website", g.website);
  opt("told_by", g.told_by);
  opt("reason", g.reason);
  opt("service_uuid", g.service_uuid);
  opt("name_cy", g.name_cy);
  opt("what_cy", g.what_cy);
  d.set("has_welsh", !g.name_cy.empty() || !g.what_cy.empty());
  return d;
}

http::Response form_page(Ctx& ctx, const survey::SuggestionInput& in, const FormErrors& errors, int status,
                         bool check = false) {
  web::Data d;
  errors.fill(d);
  d.set("name", in.name);
  d.set("what", in.what);
  d.set("place_name", in.place_name);
  d.set("address", in.address);
  d.set("town", in.town);
  d.set("postcode", in.postcode);
  d.set("when_text", in.when_text);
  d.set("who_for", in.who_for);
  d.set("contact_name", in.contact_name);
  d.set("contact_phone", in.contact_phone);
  d.set("contact_email", in.contact_email);
  d.set("website", in.website);
  d.set("told_by", in.told_by);
  d.set("name_cy", in.name_cy);
  d.set("what_cy", in.what_cy);
  web::List kinds;
  for (const auto& k : kAssetKinds) {
    web::Data o;
    o.set("value", k);
    o.set("label", ctx.t("directory.kind_" + k));
    o.set("selected", k == in.asset_kind);
    kinds.push_back(o);
  }
  d.set("kinds", kinds);
  // The free text is published in the directory once approved, so the person can check it reads
  // plainly first; the check never stops them sending it.
  plain::form_support(ctx, d);
  if (check)
    d.set("plain", plain::check_fields(ctx, {{"what", ctx.t("directory.field_what"), in.what, ""},
                                             {"who_for", ctx.t("directory.field_who_for"), in.who_for, ""},
                                             {"what_cy", ctx.t("directory.field_what_cy"), in.what_cy, "cy"}}));
  ctx.csrf();
  std::string title = ctx.t("directory.suggest_title");
  if (errors.any()) title = ctx.t("directory.error_title", {{"title", title}});
  return ctx.page(title, "directory/survey_form", d, status);
}

http::Response new_page(Ctx& ctx) {
  if (!policy::can_suggest(ctx.actor)) return ctx.deny();
  return form_page(ctx, {}, {}, 200);
}

http::Response create_submit(Ctx& ctx) {
  if (!policy::can_suggest(ctx.actor)) return ctx.deny();
  auto in = input_from_form(ctx);
  if (ctx.field("action") == "check") return form_page(ctx, in, {}, 200, true);
  auto problems = survey::validate(in);
  if (!problems.empty()) {
    FormErrors e;
    for (const auto& p : problems) e.add(p.field, ctx.t(p.key));
    return form_page(ctx, in, e, 400);
  }
  auto w = ctx.work();
  survey::suggest(w.scope(), in, ctx.actor->user_id, now_seconds());
  w.commit();
  ctx.set_flash("directory.flash_suggested");
  return http::Response::redirect("/assets/mine");
}

http::Response mine_page(Ctx& ctx) {
  if (!policy::can_suggest(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  web::List items;
  for (const auto& r : w->read("SELECT id FROM directory_asset_suggestions WHERE partnership_id = $1 AND suggested_by = $2"
                               " ORDER BY created_at DESC, id DESC LIMIT 200",
                               {ctx.actor->user_id})
                           .rows)
    if (auto g = survey::get(w.scope(), r.i64(0))) items.push_back(suggestion_data(ctx, *g));
  web::Data d;
  d.set("suggestions", items);
  d.set("none", items.empty());
  return ctx.page(ctx.t("directory.mine_title"), "directory/survey_mine", d);
}

http::Response queue_page(Ctx& ctx, const FormErrors& errors = {}, std::int64_t failed_id = 0,
                          const std::string& typed_reason = "", int status = 200) {
  if (!policy::can_moderate(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  web::List items;
  for (const auto& r : w->read("SELECT id FROM directory_asset_suggestions WHERE partnership_id = $1 AND status = 'waiting'"
                               " ORDER BY created_at, id LIMIT 200")
                           .rows)
    if (auto g = survey::get(w.scope(), r.i64(0))) {
      auto d = suggestion_data(ctx, *g);
      if (g->id == failed_id) {
        d.set("typed_reason", typed_reason);
        d.set("reason_error", errors.items.empty() ? std::string() : errors.items.front().second);
      }
      items.push_back(d);
    }
  web::Data d;
  errors.fill(d);
  d.set("suggestions", items);
  d.set("none", items.empty());
  d.set("count", items.size() == 1 ? ctx.t("directory.queue_count_one")
                                   : ctx.t("directory.queue_count", {{"count", std::to_string(items.size())}}));
  ctx.csrf();
  std::string title = ctx.t("directory.queue_title");
  if (errors.any()) title = ctx.t("directory.error_title", {{"title", title}});
  return ctx.page(title, "directory/survey_queue", d, status);
}

std::optional<std::int64_t> path_id(Ctx& ctx) {
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

http::Response approve_submit(Ctx& ctx) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  std::optional<survey::Suggestion> g;
  {
    auto w = ctx.read();
    g = survey::get(w.scope(), *id);
  }
  if (!g) return ctx.not_found();
  if (!policy::can_moderate(ctx.actor)) return ctx.deny();
  // The postcode table is national and read on its own connection, before the partnership's transaction.
  auto where = g->postcode.empty() ? std::nullopt : survey::locate(*ctx.app.db, g->postcode);
  auto w = ctx.work();
  auto uuid = survey::approve(w.scope(), *id, ctx.actor->user_id, now_seconds(), where, ctx.t("directory.who_for_label"));
  if (!uuid) {
    ctx.set_flash("directory.flash_already_decided");
    return http::Response::redirect("/assets/queue");
  }
  w.commit();
  ctx.set_flash("directory.flash_approved");
  return http::Response::redirect("/assets/queue");
}

http::Response reject_submit(Ctx& ctx) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  {
    auto r = ctx.read();
    if (!survey::get(r.scope(), *id)) return ctx.not_found();
  }
  if (!policy::can_moderate(ctx.actor)) return ctx.deny();
  std::string reason = ctx.field("reason");
  if (reason.empty() || reason.size() > 2000) {
    FormErrors e;
    e.add("reason-" + std::to_string(*id), ctx.t(reason.empty() ? "directory.error_reason_missing" : "directory.error_too_long_long"));
    return queue_page(ctx, e, *id, reason, 400);
  }
  auto w = ctx.work();
  if (!survey::reject(w.scope(), *id, ctx.actor->user_id, reason, now_seconds())) {
    ctx.set_flash("directory.flash_already_decided");
    return http::Response::redirect("/assets/queue");
  }
  w.commit();
  ctx.set_flash("directory.flash_rejected");
  return http::Response::redirect("/assets/queue");
}

}  // namespace

void install_directory_survey(app::App& a) {
  a.route("GET", "/assets/new", "directory.suggest", new_page);
  a.route("POST", "/assets/new", "directory.suggest_submit", create_submit);
  a.route("GET", "/assets/mine", "directory.suggestions_mine", mine_page);
  a.route("GET", "/assets/queue", "directory.queue", [](Ctx& c) { return queue_page(c); });
  a.route("POST", "/assets/suggestions/{id}/approve", "directory.approve", approve_submit);
  a.route("POST", "/assets/suggestions/{id}/reject", "directory.reject", reject_submit);
}

}  // namespace cp::modules
