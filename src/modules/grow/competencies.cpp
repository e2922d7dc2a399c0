// Staff co-production competencies: the framework, self-assessments, sharing with the line manager.
#include <algorithm>

#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/grow/grow.hpp"
#include "modules/grow/web.hpp"
#include "web/format.hpp"

namespace cp::modules::grow {

namespace {

constexpr const char* kCols = "id, name, description, level1, level2, level3, level4, position, archived";

Competency comp_row(const store::Row& r) {
  Competency c;
  c.id = r.i64(0);
  c.name = r.text(1);
  c.description = r.text(2);
  for (int i = 0; i < 4; ++i) c.levels[i] = r.text(3 + i);
  c.position = r.i64(7);
  c.archived = r.i64(8) != 0;
  return c;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> validate_competency(const CompetencyInput& in) {
  std::vector<std::pair<std::string, std::string>> out;
  if (trim(in.name).empty()) out.push_back({"name", "grow.error_competency_name"});
  else if (in.name.size() > 200) out.push_back({"name", "grow.error_too_long"});
  if (trim(in.description).empty()) out.push_back({"description", "grow.error_competency_description"});
  else if (in.description.size() > 2000) out.push_back({"description", "grow.error_too_long"});
  for (int i = 0; i < 4; ++i) {
    auto f = "level" + std::to_string(i + 1);
    if (trim(in.levels[i]).empty()) out.push_back({f, "grow.error_level_text"});
    else if (in.levels[i].size() > 1000) out.push_back({f, "grow.error_too_long"});
  }
  if (!in.position.empty()) {
    auto p = parse_int(in.position);
    if (!p || *p < 0 || *p > 1000) out.push_back({"position", "grow.error_position"});
  }
  return out;
}

std::vector<Competency> competencies(store::Scope& s, bool with_archived) {
  std::vector<Competency> out;
  for (const auto& r : s.read(std::string("SELECT ") + kCols + " FROM grow_competencies WHERE partnership_id = $1" +
                              (with_archived ? "" : " AND archived = 0") + " ORDER BY position, id")
                           .rows)
    out.push_back(comp_row(r));
  return out;
}

std::optional<Competency> competency(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string("SELECT ") + kCols + " FROM grow_competencies WHERE partnership_id = $1 AND id = $2", {id});
  if (r.empty()) return std::nullopt;
  return comp_row(r.one());
}

std::int64_t add_competency(store::Scope& s, const CompetencyInput& in) {
  std::int64_t pos = parse_int(in.position).value_or(0);
  if (in.position.empty())
    pos = s.read("SELECT COALESCE(MAX(position), 0) + 1 FROM grow_competencies WHERE partnership_id = $1").one().i64(0);
  return s.insert({"grow.competency_add", "grow_competency", std::nullopt, ""},
                  "INSERT INTO grow_competencies (partnership_id, name, description, level1, level2, level3, level4, position)"
                  " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                  {trim(in.name), trim(in.description), trim(in.levels[0]), trim(in.levels[1]), trim(in.levels[2]),
                   trim(in.levels[3]), pos});
}

bool update_competency(store::Scope& s, std::int64_t id, const CompetencyInput& in, bool archived) {
  auto cur = competency(s, id);
  if (!cur) return false;
  std::int64_t pos = in.position.empty() ? cur->position : parse_int(in.position).value_or(cur->position);
  return s.write({"grow.competency_edit", "grow_competency", id, archived ? "archived" : ""},
                 "UPDATE grow_competencies SET name = $3, description = $4, level1 = $5, level2 = $6, level3 = $7,"
                 " level4 = $8, position = $9, archived = $10 WHERE partnership_id = $1 AND id = $2",
                 {id, trim(in.name), trim(in.description), trim(in.levels[0]), trim(in.levels[1]), trim(in.levels[2]),
                  trim(in.levels[3]), pos, std::int64_t(archived)}) == 1;
}

AssessResult save_assessment(store::Scope& s, std::int64_t user_id, std::optional<std::int64_t> organisation_id,
                             const std::string& on, const std::map<std::int64_t, Rating>& ratings, std::int64_t& id) {
  if (!valid_date(on)) return AssessResult::bad_date;
  if (ratings.empty()) return AssessResult::empty;
  if (!s.read("SELECT id FROM grow_assessments WHERE partnership_id = $1 AND user_id = $2 AND assessed_on = $3",
              {user_id, on})
           .empty())
    return AssessResult::duplicate_date;
  store::Value org = organisation_id ? store::Value(*organisation_id) : store::Value(nullptr);
  id = s.insert({"grow.assessment_add", "grow_assessment", std::nullopt, ""},
                "INSERT INTO grow_assessments (partnership_id, user_id, organisation_id, assessed_on, created_at)"
                " VALUES ($1, $2, $3, $4, $5) RETURNING id",
                {user_id, org, on, now_seconds()});
  for (const auto& [cid, r] : ratings)
    s.insert({"grow.assessment_rating", "grow_assessment", id, std::to_string(cid)},
             "INSERT INTO grow_assessment_ratings (partnership_id, assessment_id, competency_id, level, example)"
             " VALUES ($1, $2, $3, $4, $5) RETURNING id",
             {id, cid, std::int64_t(r.level), trim(r.example)});
  return AssessResult::ok;
}

std::vector<Assessment> assessments_of(store::Scope& s, std::int64_t user_id) {
  std::vector<Assessment> out;
  std::map<std::int64_t, std::size_t> index;
  for (const auto& r : s.read("SELECT id, user_id, organisation_id, assessed_on, created_at FROM grow_assessments"
                              " WHERE partnership_id = $1 AND user_id = $2 ORDER BY assessed_on, id",
                              {user_id})
                           .rows) {
    Assessment a;
    a.id = r.i64(0);
    a.user_id = r.i64(1);
    a.organisation_id = r.opt_i64(2);
    a.assessed_on = r.text(3);
    a.created_at = r.i64(4);
    index[a.id] = out.size();
    out.push_back(std::move(a));
  }
  if (out.empty()) return out;
  for (const auto& r : s.read("SELECT r.assessment_id, r.competency_id, r.level, r.example FROM grow_assessment_ratings r"
                              " JOIN grow_assessments a ON a.partnership_id = $1 AND a.id = r.assessment_id"
                              " WHERE r.partnership_id = $1 AND a.user_id = $2",
                              {user_id})
                           .rows) {
    auto it = index.find(r.i64(0));
    if (it == index.end()) continue;
    out[it->second].ratings[r.i64(1)] = {static_cast<int>(r.i64(2)), r.text(3)};
  }
  return out;
}

Share share_of(store::Scope& s, std::int64_t user_id) {
  auto r = s.read("SELECT organisation_id, shared FROM grow_competency_shares WHERE partnership_id = $1 AND user_id = $2",
                  {user_id});
  Share out;
  out.user_id = user_id;
  if (r.empty()) return out;
  out.organisation_id = r.one().opt_i64(0);
  out.shared = r.one().i64(1) != 0;
  return out;
}

void set_share(store::Scope& s, std::int64_t user_id, std::optional<std::int64_t> organisation_id, bool shared) {
  store::Value org = organisation_id ? store::Value(*organisation_id) : store::Value(nullptr);
  auto now = now_seconds();
  auto n = s.write({"grow.share", "grow_competency_share", user_id, shared ? "on" : "off"},
                   "UPDATE grow_competency_shares SET organisation_id = $3, shared = $4, updated_at = $5"
                   " WHERE partnership_id = $1 AND user_id = $2",
                   {user_id, org, std::int64_t(shared), now});
  if (n == 0)
    s.write({"grow.share", "grow_competency_share", user_id, shared ? "on" : "off"},
            "INSERT INTO grow_competency_shares (partnership_id, user_id, organisation_id, shared, updated_at)"
            " VALUES ($1, $2, $3, $4, $5)",
            {user_id, org, std::int64_t(shared), now});
}

std::vector<Share> shared_with_organisation(store::Scope& s, std::int64_t organisation_id) {
  std::vector<Share> out;
  for (const auto& r : s.read("SELECT user_id FROM grow_competency_shares WHERE partnership_id = $1 AND organisation_id = $2"
                              " AND shared = 1 ORDER BY user_id",
                              {organisation_id})
                           .rows)
    out.push_back({r.i64(0), organisation_id, true});
  return out;
}

std::map<std::string, std::int64_t> erase_user(store::Scope& s, std::int64_t user_id) {
  std::map<std::string, std::int64_t> c;
  c["grow_assessment_ratings"] =
      s.write({"grow.erase", "grow_assessment", std::nullopt, "ratings"},
              "DELETE FROM grow_assessment_ratings WHERE partnership_id = $1 AND assessment_id IN"
              " (SELECT id FROM grow_assessments WHERE partnership_id = $1 AND user_id = $2)",
              {user_id});
  c["grow_assessments"] = s.write({"grow.erase", "grow_assessment", std::nullopt, ""},
                                  "DELETE FROM grow_assessments WHERE partnership_id = $1 AND user_id = $2", {user_id});
  c["grow_competency_shares"] = s.write({"grow.erase", "grow_competency_share", std::nullopt, ""},
                                        "DELETE FROM grow_competency_shares WHERE partnership_id = $1 AND user_id = $2",
                                        {user_id});
  c["grow_champions"] = s.write({"grow.erase", "grow_champion", std::nullopt, ""},
                                "DELETE FROM grow_champions WHERE partnership_id = $1 AND user_id = $2", {user_id});
  return c;
}

// ------------------------------------------------------------------ pages

namespace {

using app::Ctx;
using app::FormErrors;

// The history table: one row per competency, one column per dated assessment (oldest first).
web::Data history_data(Ctx& ctx, store::Scope& s, std::int64_t user_id) {
  auto comps = competencies(s, true);
  auto list = assessments_of(s, user_id);
  web::Data d;
  web::List dates;
  for (const auto& a : list) {
    web::Data x;
    x.set("date", web::format_day(ctx.lang, a.assessed_on));
    dates.push_back(x);
  }
  web::List rows;
  for (const auto& c : comps) {
    bool any = false;
    web::List cells;
    for (const auto& a : list) {
      web::Data cell;
      cell.set("date", web::format_day(ctx.lang, a.assessed_on));
      auto it = a.ratings.find(c.id);
      if (it != a.ratings.end()) {
        any = true;
        cell.set("level", std::to_string(it->second.level));
        cell.set("example", it->second.example);
      }
      cells.push_back(cell);
    }
    if (c.archived && !any) continue;
    web::Data r;
    r.set("name", c.name);
    r.set("cells", cells);
    rows.push_back(r);
  }
  d.set("dates", dates);
  d.set("rows", rows);
  d.set("has_history", !list.empty());
  return d;
}

http::Response own_page(Ctx& ctx) {
  if (!policy::can_assess_self(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  web::Data d = history_data(ctx, w.scope(), ctx.actor->user_id);
  auto share = share_of(w.scope(), ctx.actor->user_id);
  auto home = policy::home_organisation(*ctx.actor);
  d.set("shared", share.shared);
  d.set("can_share", home.has_value());
  d.set("is_manager", policy::is_manager(ctx.actor));
  d.set("can_edit_framework", policy::can_edit_framework(ctx.actor));
  web::List framework;
  for (const auto& c : competencies(w.scope(), false)) {
    web::Data x;
    x.set("name", c.name);
    x.set("description", c.description);
    framework.push_back(x);
  }
  d.set("framework", framework);
  d.set("no_framework", framework.empty());
  ctx.csrf();
  return ctx.page(ctx.t("grow.competencies_title"), "grow/competencies", d);
}

struct AssessForm {
  std::string on;
  std::map<std::int64_t, std::string> level, example;
};

http::Response assess_render(Ctx& ctx, const AssessForm& in, const FormErrors& e, int status) {
  auto w = ctx.read();
  web::Data d;
  e.fill(d);
  d.set("on", in.on);
  web::List items;
  for (const auto& c : competencies(w.scope(), false)) {
    web::Data x;
    auto key = std::to_string(c.id);
    x.set("field", "level-" + key);
    x.set("example_field", "example-" + key);
    x.set("name", c.name);
    x.set("description", c.description);
    auto lv = in.level.count(c.id) ? in.level.at(c.id) : std::string();
    web::List opts;
    for (int i = 1; i <= 4; ++i) {
      web::Data o;
      o.set("value", std::to_string(i));
      o.set("id", i == 1 ? "level-" + key : "level-" + key + "-" + std::to_string(i));
      o.set("label", ctx.t("grow.level_n", {{"n", std::to_string(i)}}));
      o.set("hint", c.levels[i - 1]);
      o.set("checked", lv == std::to_string(i));
      opts.push_back(o);
    }
    x.set("options", opts);
    x.set("example", in.example.count(c.id) ? in.example.at(c.id) : std::string());
    auto err = e.of("level-" + key);
    if (!err.empty()) x.set("error", err);
    auto eerr = e.of("example-" + key);
    if (!eerr.empty()) x.set("example_error", eerr);
    items.push_back(x);
  }
  d.set("competencies", items);
  d.set("none", items.empty());
  ctx.csrf();
  return ctx.page(ctx.t("grow.assess_title"), "grow/assess", d, status);
}

http::Response assess_page(Ctx& ctx) {
  if (!policy::can_assess_self(ctx.actor)) return ctx.deny();
  AssessForm in;
  std::int64_t now = now_seconds();
  in.on = format_iso8601(now).substr(0, 10);
  return assess_render(ctx, in, {}, 200);
}

http::Response assess_submit(Ctx& ctx) {
  if (!policy::can_assess_self(ctx.actor)) return ctx.deny();
  AssessForm in;
  in.on = ctx.field("on");
  FormErrors e;
  if (!valid_date(in.on)) e.add("on", ctx.t("grow.error_date"));
  auto w = ctx.work();
  std::map<std::int64_t, Rating> ratings;
  auto comps = competencies(w.scope(), false);
  for (const auto& c : comps) {
    auto key = std::to_string(c.id);
    in.level[c.id] = ctx.field("level-" + key);
    in.example[c.id] = ctx.field("example-" + key);
    auto lv = parse_int(in.level[c.id]);
    if (!lv || *lv < 1 || *lv > 4) e.add("level-" + key, ctx.t("grow.error_level", {{"name", c.name}}));
    if (in.example[c.id].size() > 2000) e.add("example-" + key, ctx.t("grow.error_too_long"));
    if (lv && *lv >= 1 && *lv <= 4) ratings[c.id] = {static_cast<int>(*lv), in.example[c.id]};
  }
  if (comps.empty()) e.add("on", ctx.t("grow.error_no_framework"));
  if (e.any()) return assess_render(ctx, in, e, 400);
  std::int64_t id = 0;
  auto r = save_assessment(w.scope(), ctx.actor->user_id, policy::home_organisation(*ctx.actor), in.on, ratings, id);
  if (r == AssessResult::duplicate_date) {
    e.add("on", ctx.t("grow.error_duplicate_date"));
    return assess_render(ctx, in, e, 409);
  }
  if (r != AssessResult::ok) {
    e.add("on", ctx.t("grow.error_date"));
    return assess_render(ctx, in, e, 400);
  }
  w.commit();
  ctx.set_flash("grow.flash_assessed");
  return http::Response::redirect("/toolkit/competencies");
}

http::Response share_submit(Ctx& ctx) {
  if (!policy::can_assess_self(ctx.actor)) return ctx.deny();
  auto home = policy::home_organisation(*ctx.actor);
  bool on = ctx.field("shared") == "1";
  if (on && !home) return ctx.forbidden();
  auto w = ctx.work();
  set_share(w.scope(), ctx.actor->user_id, home, on);
  w.commit();
  ctx.set_flash(on ? "grow.flash_shared" : "grow.flash_unshared");
  return http::Response::redirect("/toolkit/competencies");
}

http::Response team_page(Ctx& ctx) {
  if (!policy::is_manager(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  web::List people;
  for (const auto& g : ctx.actor->grants) {
    if (g.role != auth::Role::manager || !g.organisation_id) continue;
    for (const auto& sh : shared_with_organisation(w.scope(), *g.organisation_id)) {
      if (sh.user_id == ctx.actor->user_id) continue;
      auto c = AccountsModule::contact(w.scope(), sh.user_id);
      if (!c) continue;
      web::Data x;
      x.set("name", c->name);
      x.set("href", "/toolkit/competencies/staff/" + std::to_string(sh.user_id));
      people.push_back(x);
    }
  }
  web::Data d;
  d.set("people", people);
  d.set("none", people.empty());
  return ctx.page(ctx.t("grow.team_title"), "grow/team", d);
}

http::Response staff_page(Ctx& ctx) {
  if (!ctx.signed_in()) return ctx.deny();
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  auto w = ctx.work();
  auto share = share_of(w.scope(), *id);
  auto c = AccountsModule::contact(w.scope(), *id);
  // Nothing shared (or no such account here): nothing to find.
  if (!c || !share.shared) return ctx.not_found();
  if (!policy::is_manager(ctx.actor)) return ctx.deny();
  // Shared, but not with one of this manager's organisations: as if there were nothing here.
  if (!policy::can_view_shared(ctx.actor, share)) return ctx.not_found();
  w->audit({"grow.competencies_view", "grow_competency_share", *id, "line manager"});
  web::Data d = history_data(ctx, w.scope(), *id);
  w.commit();
  d.set("name", c->name);
  return ctx.page(ctx.t("grow.staff_title", {{"name", c->name}}), "grow/staff", d);
}

// ------------------------------------------------------------------ framework (admins)

http::Response framework_page(Ctx& ctx) {
  if (!policy::can_edit_framework(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  web::List items;
  for (const auto& c : competencies(w.scope(), true)) {
    web::Data x;
    x.set("name", c.name);
    x.set("description", c.description);
    x.set("archived", c.archived);
    x.set("href", "/toolkit/competencies/framework/" + std::to_string(c.id));
    items.push_back(x);
  }
  web::Data d;
  d.set("items", items);
  d.set("none", items.empty());
  return ctx.page(ctx.t("grow.framework_title"), "grow/framework", d);
}

CompetencyInput comp_from_form(Ctx& ctx) {
  CompetencyInput in;
  in.name = ctx.field("name");
  in.description = ctx.field("description");
  for (int i = 0; i < 4; ++i) in.levels[i] = ctx.field("level" + std::to_string(i + 1));
  in.position = ctx.field("position");
  return in;
}

http::Response comp_form(Ctx& ctx, const CompetencyInput& in, std::optional<std::int64_t> id, bool archived,
                         const FormErrors& e, int status) {
  web::Data d;
  e.fill(d);
  d.set("name", in.name);
  d.set("description", in.description);
  web::List levels;
  for (int i = 0; i < 4; ++i) {
    web::Data x;
    auto f = "level" + std::to_string(i + 1);
    x.set("field", f);
    x.set("label", ctx.t("grow.level_n", {{"n", std::to_string(i + 1)}}));
    x.set("value", in.levels[i]);
    auto err = e.of(f);
    if (!err.empty()) x.set("error", err);
    levels.push_back(x);
  }
  d.set("levels", levels);
  d.set("position", in.position);
  d.set("editing", id.has_value());
  d.set("archived", archived);
  d.set("form_action", id ? "/toolkit/competencies/framework/" + std::to_string(*id)
                          : std::string("/toolkit/competencies/framework"));
  ctx.csrf();
  return ctx.page(ctx.t(id ? "grow.competency_edit_title" : "grow.competency_new_title"), "grow/competency_form", d,
                  status);
}

http::Response comp_new(Ctx& ctx) {
  if (!policy::can_edit_framework(ctx.actor)) return ctx.deny();
  return comp_form(ctx, {}, std::nullopt, false, {}, 200);
}

http::Response comp_create(Ctx& ctx) {
  if (!policy::can_edit_framework(ctx.actor)) return ctx.deny();
  auto in = comp_from_form(ctx);
  FormErrors e;
  for (const auto& [f, k] : validate_competency(in)) e.add(f, ctx.t(k));
  if (e.any()) return comp_form(ctx, in, std::nullopt, false, e, 400);
  auto w = ctx.work();
  add_competency(w.scope(), in);
  w.commit();
  ctx.set_flash("grow.flash_competency_saved");
  return http::Response::redirect("/toolkit/competencies/framework");
}

http::Response comp_edit(Ctx& ctx) {
  if (!policy::can_edit_framework(ctx.actor)) return ctx.deny();
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  std::optional<Competency> c;
  {
    auto w = ctx.read();
    c = competency(w.scope(), *id);
  }
  if (!c) return ctx.not_found();
  CompetencyInput in{c->name, c->description, {c->levels[0], c->levels[1], c->levels[2], c->levels[3]},
                     std::to_string(c->position)};
  return comp_form(ctx, in, c->id, c->archived, {}, 200);
}

http::Response comp_update(Ctx& ctx) {
  if (!policy::can_edit_framework(ctx.actor)) return ctx.deny();
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  auto in = comp_from_form(ctx);
  bool archived = ctx.field("archived") == "1";
  FormErrors e;
  for (const auto& [f, k] : validate_competency(in)) e.add(f, ctx.t(k));
  auto w = ctx.work();
  if (!competency(w.scope(), *id)) return ctx.not_found();
  if (e.any()) return comp_form(ctx, in, *id, archived, e, 400);
  update_competency(w.scope(), *id, in, archived);
  w.commit();
  ctx.set_flash("grow.flash_competency_saved");
  return http::Response::redirect("/toolkit/competencies/framework");
}

}  // namespace

void install_competencies(app::App& a) {
  a.route("GET", "/toolkit/competencies", "grow.competencies", own_page);
  a.route("GET", "/toolkit/competencies/assess", "grow.assess", assess_page);
  a.route("POST", "/toolkit/competencies/assess", "grow.assess_submit", assess_submit);
  a.route("POST", "/toolkit/competencies/share", "grow.share", share_submit);
  a.route("GET", "/toolkit/competencies/team", "grow.team", team_page);
  a.route("GET", "/toolkit/competencies/staff/{id}", "grow.staff", staff_page);
  a.route("GET", "/toolkit/competencies/framework", "grow.framework", framework_page);
  a.route("POST", "/toolkit/competencies/framework", "grow.competency_create", comp_create);
  a.route("GET", "/toolkit/competencies/framework/new", "grow.competency_new", comp_new);
  a.route("GET", "/toolkit/competencies/framework/{id}", "grow.competency_edit", comp_edit);
  a.route("POST", "/toolkit/competencies/framework/{id}", "grow.competency_update", comp_update);
}

}  // namespace cp::modules::grow
