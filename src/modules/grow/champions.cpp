// Champions: storage and pages. Recognition comes from the timebank's awards through its interface.
#include <algorithm>
#include <ctime>

#include "core/util.hpp"
#include "modules/grow/grow.hpp"
#include "modules/grow/web.hpp"
#include "modules/timebank/extras.hpp"
#include "web/format.hpp"

namespace cp::modules::grow {

namespace {

constexpr const char* kCols =
    "id, user_id, name, organisation, area, topic, since_on, contact_pref, contact_detail, listed, show_organisation,"
    " show_contact, status, created_at";

Champion from_row(const store::Row& r) {
  Champion c;
  c.id = r.i64(0);
  c.user_id = r.opt_i64(1);
  c.name = r.text(2);
  c.organisation = r.text(3);
  c.area = r.text(4);
  c.topic = r.text(5);
  c.since_on = r.text(6);
  c.contact_pref = r.text(7);
  c.contact_detail = r.text(8);
  c.listed = r.i64(9) != 0;
  c.show_organisation = r.i64(10) != 0;
  c.show_contact = r.i64(11) != 0;
  c.status = r.text(12);
  c.created_at = r.i64(13);
  return c;
}

bool in(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

}  // namespace

std::vector<std::pair<std::string, std::string>> validate_champion(const ChampionInput& in_) {
  std::vector<std::pair<std::string, std::string>> out;
  if (trim(in_.name).empty()) out.push_back({"name", "grow.error_name"});
  else if (in_.name.size() > 200) out.push_back({"name", "grow.error_too_long"});
  if (in_.organisation.size() > 200) out.push_back({"organisation", "grow.error_too_long"});
  if (!in(kChampionAreas, in_.area)) out.push_back({"area", "grow.error_area"});
  else if (in_.area == "topic" && trim(in_.topic).empty()) out.push_back({"topic", "grow.error_topic"});
  if (in_.topic.size() > 200) out.push_back({"topic", "grow.error_too_long"});
  if (!in_.since_on.empty() && !valid_date(in_.since_on)) out.push_back({"since_on", "grow.error_date"});
  if (!in(kContactPrefs, in_.contact_pref)) out.push_back({"contact_pref", "grow.error_contact_pref"});
  else if (in_.contact_pref != "through_staff" && trim(in_.contact_detail).empty())
    out.push_back({"contact_detail", "grow.error_contact_detail"});
  if (in_.contact_detail.size() > 200) out.push_back({"contact_detail", "grow.error_too_long"});
  return out;
}

std::int64_t add_champion(store::Scope& s, const ChampionInput& c, const std::string& status, std::int64_t by_user) {
  store::Value user = c.user_id ? store::Value(*c.user_id) : store::Value(nullptr);
  return s.insert({"grow.champion_add", "grow_champion", std::nullopt, status},
                  "INSERT INTO grow_champions (partnership_id, user_id, name, organisation, area, topic, since_on,"
                  " contact_pref, contact_detail, listed, show_organisation, show_contact, status, created_by, created_at)"
                  " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
                  {user, trim(c.name), trim(c.organisation), c.area, c.area == "topic" ? trim(c.topic) : std::string(),
                   c.since_on, c.contact_pref, c.contact_pref == "through_staff" ? std::string() : trim(c.contact_detail),
                   std::int64_t(c.listed), std::int64_t(c.show_organisation), std::int64_t(c.show_contact), status,
                   by_user, now_seconds()});
}

std::optional<Champion> champion(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string("SELECT ") + kCols + " FROM grow_champions WHERE partnership_id = $1 AND id = $2", {id});
  if (r.empty()) return std::nullopt;
  return from_row(r.one());
}

std::optional<Champion> champion_for_user(store::Scope& s, std::int64_t user_id) {
  auto r = s.read(std::string("SELECT ") + kCols +
                      " FROM grow_champions WHERE partnership_id = $1 AND user_id = $2 ORDER BY id LIMIT 1",
                  {user_id});
  if (r.empty()) return std::nullopt;
  return from_row(r.one());
}

std::vector<Champion> champions(store::Scope& s, bool staff_view) {
  std::string where = staff_view ? "" : " AND status = 'confirmed' AND listed = 1";
  std::vector<Champion> out;
  for (const auto& row :
       s.read(std::string("SELECT ") + kCols + " FROM grow_champions WHERE partnership_id = $1" + where +
              " ORDER BY lower(name), id")
           .rows)
    out.push_back(from_row(row));
  return out;
}

bool confirm_champion(store::Scope& s, std::int64_t id) {
  return s.write({"grow.champion_confirm", "grow_champion", id, ""},
                 "UPDATE grow_champions SET status = 'confirmed' WHERE partnership_id = $1 AND id = $2 AND status = 'pending'",
                 {id}) == 1;
}

bool remove_champion(store::Scope& s, std::int64_t id) {
  return s.write({"grow.champion_remove", "grow_champion", id, ""},
                 "DELETE FROM grow_champions WHERE partnership_id = $1 AND id = $2", {id}) == 1;
}

// ------------------------------------------------------------------ pages

namespace {

using app::Ctx;
using app::FormErrors;

web::Data champion_data(Ctx& ctx, store::Scope& s, const Champion& c, bool staff) {
  web::Data d;
  d.set("id", std::to_string(c.id));
  d.set("name", c.name);
  d.set("area", c.area == "topic" ? c.topic : ctx.t("grow.area_" + c.area));
  if (!c.since_on.empty()) d.set("since", web::format_day(ctx.lang, c.since_on));
  if (!c.organisation.empty() && (staff || c.show_organisation)) d.set("organisation", c.organisation);
  if (staff || c.show_contact) {
    d.set("contact_pref", ctx.t("grow.contact_" + c.contact_pref));
    if (!c.contact_detail.empty()) d.set("contact_detail", c.contact_detail);
  } else {
    d.set("contact_pref", ctx.t("grow.contact_through_staff"));
  }
  d.set("pending", c.status == "pending");
  d.set("unlisted", !c.listed);
  d.set("staff", staff);
  // Recognition: the timebank's confirmed awards for this champion's timebank membership.
  if (c.user_id) {
    if (auto m = timebank::member_for_user(s, *c.user_id)) {
      web::List awards;
      for (const auto& a : timebank::awards_for(s, m->id)) {
        web::Data x;
        x.set("kind", ctx.t("timebank.award_" + a.kind));
        x.set("reason", a.reason);
        x.set("when", web::format_date(ctx.lang, a.decided_at ? a.decided_at : a.created_at));
        awards.push_back(x);
      }
      d.set("awards", awards);
      d.set("has_awards", !awards.empty());
      d.set("award_href", "/timebank/awards/nominate?member=" + std::to_string(m->id));
    }
  }
  return d;
}

http::Response list_page(Ctx& ctx) {
  if (!policy::can_see_champions(ctx.actor)) return ctx.deny();
  bool staff = policy::can_manage_champions(ctx.actor);
  auto w = ctx.read();
  web::List confirmed, pending;
  for (const auto& c : champions(w.scope(), staff))
    (c.status == "pending" ? pending : confirmed).push_back(champion_data(ctx, w.scope(), c, staff));
  web::Data d;
  d.set("champions", confirmed);
  d.set("none", confirmed.empty());
  d.set("pending", pending);
  d.set("has_pending", !pending.empty());
  d.set("staff", staff);
  auto mine = champion_for_user(w.scope(), ctx.actor->user_id);
  d.set("can_nominate", !mine.has_value());
  if (mine && mine->status == "pending") d.set("mine_pending", true);
  ctx.csrf();
  return ctx.page(ctx.t("grow.champions_title"), "grow/champions", d);
}

ChampionInput input_from_form(Ctx& ctx) {
  ChampionInput in;
  in.name = ctx.field("name");
  in.organisation = ctx.field("organisation");
  in.area = ctx.field("area");
  in.topic = ctx.field("topic");
  in.since_on = ctx.field("since_on");
  in.contact_pref = ctx.field("contact_pref");
  in.contact_detail = ctx.field("contact_detail");
  in.listed = ctx.field("listed") == "1";
  in.show_organisation = ctx.field("show_organisation") == "1";
  in.show_contact = ctx.field("show_contact") == "1";
  return in;
}

http::Response form_render(Ctx& ctx, bool self, const ChampionInput& in, const FormErrors& e, int status) {
  web::Data d;
  e.fill(d);
  d.set("self", self);
  d.set("form_action", self ? std::string("/toolkit/champions/nominate") : std::string("/toolkit/champions"));
  d.set("name", in.name);
  d.set("organisation", in.organisation);
  d.set("topic", in.topic);
  d.set("since_on", in.since_on);
  d.set("contact_detail", in.contact_detail);
  d.set("listed", in.listed);
  d.set("show_organisation", in.show_organisation);
  d.set("show_contact", in.show_contact);
  d.set("areas", choices(ctx, kChampionAreas, "grow.area_", in.area, "area"));
  d.set("prefs", choices(ctx, kContactPrefs, "grow.contact_", in.contact_pref, "contact_pref"));
  ctx.csrf();
  return ctx.page(ctx.t(self ? "grow.nominate_title" : "grow.champion_new_title"), "grow/champion_form", d, status);
}

http::Response new_page(Ctx& ctx) {
  if (!policy::can_manage_champions(ctx.actor)) return ctx.deny();
  ChampionInput in;
  in.area = "";
  return form_render(ctx, false, in, {}, 200);
}

http::Response nominate_page(Ctx& ctx) {
  if (!policy::can_nominate_self(ctx.actor)) return ctx.deny();
  ChampionInput in;
  in.name = ctx.actor->name;
  in.contact_pref = "email";
  in.contact_detail = ctx.actor->email;
  return form_render(ctx, true, in, {}, 200);
}

http::Response submit(Ctx& ctx, bool self) {
  if (!(self ? policy::can_nominate_self(ctx.actor) : policy::can_manage_champions(ctx.actor))) return ctx.deny();
  auto in = input_from_form(ctx);
  if (self) {
    in.user_id = ctx.actor->user_id;
    in.name = ctx.actor->name;
  }
  FormErrors e;
  for (const auto& [f, k] : validate_champion(in)) e.add(f, ctx.t(k));
  auto w = ctx.work();
  if (self && champion_for_user(w.scope(), ctx.actor->user_id)) e.add("area", ctx.t("grow.error_already_champion"));
  if (e.any()) return form_render(ctx, self, in, e, 400);
  add_champion(w.scope(), in, self ? "pending" : "confirmed", ctx.actor->user_id);
  w.commit();
  ctx.set_flash(self ? "grow.flash_nominated" : "grow.flash_champion_added");
  return http::Response::redirect("/toolkit/champions");
}

http::Response decide(Ctx& ctx, bool confirm) {
  if (!policy::can_manage_champions(ctx.actor)) return ctx.deny();
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id || *id <= 0) return ctx.not_found();
  auto w = ctx.work();
  if (!champion(w.scope(), *id)) return ctx.not_found();
  if (confirm) confirm_champion(w.scope(), *id);
  else remove_champion(w.scope(), *id);
  w.commit();
  ctx.set_flash(confirm ? "grow.flash_confirmed" : "grow.flash_removed");
  return http::Response::redirect("/toolkit/champions");
}

}  // namespace

void install_champions(app::App& a) {
  a.route("GET", "/toolkit/champions", "grow.champions", list_page);
  a.route("GET", "/toolkit/champions/new", "grow.champion_new", new_page);
  a.route("POST", "/toolkit/champions", "grow.champion_create", [](Ctx& c) { return submit(c, false); });
  a.route("GET", "/toolkit/champions/nominate", "grow.nominate", nominate_page);
  a.route("POST", "/toolkit/champions/nominate", "grow.nominate_submit", [](Ctx& c) { return submit(c, true); });
  a.route("POST", "/toolkit/champions/{id}/confirm", "grow.champion_confirm", [](Ctx& c) { return decide(c, true); });
  a.route("POST", "/toolkit/champions/{id}/remove", "grow.champion_remove", [](Ctx& c) { return decide(c, false); });
}

}  // namespace cp::modules::grow
