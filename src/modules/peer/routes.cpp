#include <regex>

#include "core/util.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/organisations/organisations.hpp"
#include "modules/peer/peer.hpp"
#include "web/format.hpp"

namespace cp::modules {

namespace {

using app::Ctx;
using app::FormErrors;
using namespace peer;
namespace db = peer_store;
namespace jdb = journeys_store;

std::optional<std::int64_t> path_id(Ctx& ctx) {
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

std::string today() { return journeys::iso_date(now_seconds()); }

web::Data opt(const std::string& s) { return s.empty() ? web::Data(false) : web::Data(s); }

std::string org_name(Ctx& ctx, store::Scope& s, const Group& g) {
  if (!g.organisation_id) return ctx.t("peer.run_by_people");
  auto o = organisations_store::get(s, *g.organisation_id);
  return o ? ctx.t("peer.run_by_org", {{"org", o->name}}) : ctx.t("peer.run_by_people");
}

web::Data group_card(Ctx& ctx, store::Scope& s, const Group& g) {
  web::Data d;
  d.set("id", std::to_string(g.id));
  d.set("name", web::bilingual_data(g.name, ctx.lang));
  d.set("description", web::bilingual_data(g.description, ctx.lang));
  d.set("has_description", !trim(g.description.en).empty() || !trim(g.description.cy).empty());
  d.set("run_by", org_name(ctx, s, g));
  d.set("where", opt(g.where));
  d.set("when", opt(g.when));
  auto next = db::upcoming(s, g.id, today());
  d.set("next", next.empty() ? web::Data(false)
                             : web::Data(web::format_day(ctx.lang, next[0].on) + (next[0].at.empty() ? "" : ", " + next[0].at)));
  return d;
}

http::Response list(Ctx& ctx, bool mine) {
  if (mine && !ctx.actor) return ctx.deny();
  auto w = ctx.read();
  auto gs = mine ? db::groups_of(w.scope(), ctx.actor->user_id) : db::groups(w.scope());
  web::List cards;
  for (const auto& g : gs) cards.push_back(group_card(ctx, w.scope(), g));
  web::Data d;
  d.set("mine", mine);
  d.set("groups", cards);
  d.set("has_groups", !cards.empty());
  d.set("can_start", peer_policy::can_start_group(ctx.actor));
  d.set("signed_in", ctx.signed_in());
  return ctx.page(ctx.t(mine ? "peer.mine_title" : "peer.list_title"), "peer/list", d);
}

// ------------------------------------------------------------ starting a group

struct Typed {
  std::map<std::string, std::string> v;
  std::string get(const std::string& k) const {
    auto it = v.find(k);
    return it == v.end() ? "" : it->second;
  }
};

http::Response group_form(Ctx& ctx, const Typed& in, const FormErrors& e, int status) {
  web::Data d;
  e.fill(d);
  for (const auto* k : {"name", "name_cy", "description", "description_cy", "where", "when"}) d.set(k, in.get(k));
  auto org = journeys_policy::worker_organisation(ctx.actor);
  d.set("can_run_as_org", org.has_value());
  d.set("as_org", in.get("run_by") == "organisation");
  if (org) {
    auto w = ctx.read();
    auto o = organisations_store::get(w.scope(), *org);
    d.set("org_name", o ? o->name : std::string());
  }
  ctx.csrf();
  return ctx.page(ctx.t("peer.new_title"), "peer/form", d, status);
}

http::Response new_group(Ctx& ctx) {
  if (!peer_policy::can_start_group(ctx.actor)) return ctx.deny();
  return group_form(ctx, {}, {}, 200);
}

http::Response create_group(Ctx& ctx) {
  if (!peer_policy::can_start_group(ctx.actor)) return ctx.deny();
  Typed t;
  for (const auto* k : {"name", "name_cy", "description", "description_cy", "where", "when", "run_by"})
    t.v[k] = ctx.field(k);
  FormErrors e;
  if (t.get("name").empty() && t.get("name_cy").empty()) e.add("name", ctx.t("peer.error_name"));
  for (const auto* k : {"name", "name_cy", "where", "when"})
    if (t.get(k).size() > 120) e.add(k, ctx.t("peer.error_too_long"));
  for (const auto* k : {"description", "description_cy"})
    if (t.get(k).size() > 2000) e.add(k, ctx.t("peer.error_too_long"));
  if (e.any()) return group_form(ctx, t, e, 400);
  GroupInput in;
  in.name = {t.get("name"), t.get("name_cy")};
  in.description = {t.get("description"), t.get("description_cy")};
  in.where = t.get("where");
  in.when = t.get("when");
  if (t.get("run_by") == "organisation") in.organisation_id = journeys_policy::worker_organisation(ctx.actor);
  auto w = ctx.work();
  auto id = db::create(w.scope(), in, ctx.actor->user_id, ctx.actor->name);
  w.commit();
  ctx.set_flash("peer.flash_started");
  return http::Response::redirect("/groups/" + std::to_string(id));
}

// ------------------------------------------------------------ one group

http::Response show(Ctx& ctx, std::int64_t id, const FormErrors& e, int status, const Typed& typed) {
  auto w = ctx.work();
  auto g = db::group(w.scope(), id);
  if (!g) return ctx.not_found();
  auto d = group_card(ctx, w.scope(), *g);
  e.fill(d);
  std::optional<std::string> role;
  if (ctx.actor) role = db::role_of(w.scope(), g->id, ctx.actor->user_id);
  d.set("signed_in", ctx.signed_in());
  d.set("is_member", role.has_value());
  d.set("is_organiser", role && *role == "organiser");
  d.set("member_count", std::to_string(g->members));
  web::List meetings;
  for (const auto& m : db::upcoming(w.scope(), g->id, today())) {
    web::Data x;
    x.set("date", web::format_day(ctx.lang, m.on));
    x.set("time", opt(m.at));
    x.set("place", opt(m.place));
    meetings.push_back(x);
  }
  d.set("meetings", meetings);
  d.set("has_meetings", !meetings.empty());
  if (role) {
    web::List people;
    for (const auto& m : db::members(w.scope(), g->id)) {
      web::Data x;
      x.set("name", m.name);
      x.set("organiser", m.role == "organiser");
      people.push_back(x);
    }
    d.set("members", people);
    // Their own plan's goals, so the group can become a step towards one.
    web::List goals;
    if (auto p = jdb::person_for_user(w.scope(), ctx.actor->user_id))
      for (const auto& gl : jdb::goals(w.scope(), p->id)) {
        web::Data x;
        x.set("value", std::to_string(gl.id));
        x.set("label", gl.text);
        x.set("selected", typed.get("goal_id") == std::to_string(gl.id));
        goals.push_back(x);
      }
    d.set("goals", goals);
    d.set("has_goals", !goals.empty());
    d.set("new_goal", typed.get("new_goal"));
  }
  for (const auto* k : {"day", "month", "year", "time", "place"}) d.set(std::string("m_") + k, typed.get(k));
  w.commit();
  ctx.csrf();
  return ctx.page(web::pick(g->name, ctx.lang).text, "peer/show", d, status);
}

http::Response show_get(Ctx& ctx) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  return show(ctx, *id, {}, 200, {});
}

// Runs `fn` on an existing group for a signed-in account; 404 for no such group.
template <class F>
http::Response on_group(Ctx& ctx, F fn) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  std::optional<Group> g;
  {
    auto w = ctx.read();
    g = db::group(w.scope(), *id);
  }
  if (!g) return ctx.not_found();
  if (!ctx.actor) return ctx.deny();
  return fn(*g);
}

http::Response join(Ctx& ctx) {
  return on_group(ctx, [&](const Group& g) {
    auto w = ctx.work();
    auto r = db::join(w.scope(), g.id, ctx.actor->user_id, ctx.actor->name);
    w.commit();
    if (r == JoinResult::already) {
      FormErrors e;
      e.add("membership", ctx.t("peer.error_already"));
      return show(ctx, g.id, e, 409, {});
    }
    ctx.set_flash("peer.flash_joined");
    return http::Response::redirect("/groups/" + std::to_string(g.id));
  });
}

http::Response leave(Ctx& ctx) {
  return on_group(ctx, [&](const Group& g) {
    auto w = ctx.work();
    auto r = db::leave(w.scope(), g.id, ctx.actor->user_id);
    w.commit();
    if (r != LeaveResult::left) {
      FormErrors e;
      e.add("membership", ctx.t(r == LeaveResult::not_member ? "peer.error_not_member" : "peer.error_last_organiser"));
      return show(ctx, g.id, e, 409, {});
    }
    ctx.set_flash("peer.flash_left");
    return http::Response::redirect("/me/groups");
  });
}

http::Response add_meeting(Ctx& ctx) {
  return on_group(ctx, [&](const Group& g) {
    {
      auto w = ctx.read();
      auto role = db::role_of(w.scope(), g.id, ctx.actor->user_id);
      if (!role || *role != "organiser") return ctx.forbidden();
    }
    Typed t;
    for (const auto* k : {"day", "month", "year", "time", "place"}) t.v[k] = ctx.field(k);
    FormErrors e;
    auto on = journeys::make_date(t.get("day"), t.get("month"), t.get("year"));
    if (on.empty()) e.add("day", ctx.t("peer.error_date"));
    else if (on < today()) e.add("day", ctx.t("peer.error_past"));
    static const std::regex kTime("^([01][0-9]|2[0-3]):[0-5][0-9]$");
    if (!t.get("time").empty() && !std::regex_match(t.get("time"), kTime)) e.add("time", ctx.t("peer.error_time"));
    if (t.get("place").size() > 200) e.add("place", ctx.t("peer.error_too_long"));
    if (e.any()) return show(ctx, g.id, e, 400, t);
    auto w = ctx.work();
    db::add_meeting(w.scope(), g.id, on, t.get("time"), t.get("place").empty() ? g.where : t.get("place"),
                    ctx.actor->user_id);
    w.commit();
    ctx.set_flash("peer.flash_meeting");
    return http::Response::redirect("/groups/" + std::to_string(g.id));
  });
}

http::Response link_plan(Ctx& ctx) {
  return on_group(ctx, [&](const Group& g) {
    Typed t;
    t.v["goal_id"] = ctx.field("goal_id");
    t.v["new_goal"] = ctx.field("new_goal");
    auto w = ctx.work();
    if (!db::role_of(w.scope(), g.id, ctx.actor->user_id)) {
      w.commit();
      FormErrors e;
      e.add("membership", ctx.t("peer.error_join_first"));
      return show(ctx, g.id, e, 409, t);
    }
    auto person = jdb::ensure_person_for_user(w.scope(), ctx.actor->user_id, ctx.actor->name);
    journeys::Who who{ctx.actor->user_id, ctx.actor->name};
    std::int64_t goal_id = 0;
    if (auto gid = parse_int(t.get("goal_id"))) {
      auto goal = jdb::goal(w.scope(), *gid);
      if (goal && goal->person_id == person.id) goal_id = goal->id;
    }
    FormErrors e;
    if (!goal_id && t.get("new_goal").empty()) e.add("goal_id", ctx.t("peer.error_goal"));
    if (t.get("new_goal").size() > 300) e.add("new_goal", ctx.t("peer.error_too_long"));
    if (e.any()) {
      w.commit();
      return show(ctx, g.id, e, 400, t);
    }
    if (!goal_id) goal_id = jdb::add_goal(w.scope(), person.id, t.get("new_goal"), who);
    journeys::StepInput step;
    auto name = web::pick(g.name, ctx.lang).text;
    step.action = ctx.t("peer.step_action", {{"group", name}});
    step.who = "peer";
    step.who_detail = name;
    step.status = "not_started";
    if (auto next = db::upcoming(w.scope(), g.id, today()); !next.empty()) step.due_on = next[0].on;
    jdb::add_step(w.scope(), person.id, goal_id, step, who);
    w.commit();
    ctx.set_flash("peer.flash_linked");
    return http::Response::redirect("/me/plan");
  });
}

}  // namespace

void PeerModule::install(app::App& a) {
  a.route("GET", "/groups", "peer.list", [](Ctx& c) { return list(c, false); });
  a.route("GET", "/me/groups", "peer.mine", [](Ctx& c) { return list(c, true); });
  a.route("GET", "/groups/new", "peer.new", new_group);
  a.route("POST", "/groups/new", "peer.create", create_group);
  a.route("GET", "/groups/{id}", "peer.show", show_get);
  a.route("POST", "/groups/{id}/join", "peer.join", join);
  a.route("POST", "/groups/{id}/leave", "peer.leave", leave);
  a.route("POST", "/groups/{id}/meetings", "peer.meeting_add", add_meeting);
  a.route("POST", "/groups/{id}/plan", "peer.link_plan", link_plan);
  a.nav({"peer.nav", "/groups", nullptr});
}

}  // namespace cp::modules
