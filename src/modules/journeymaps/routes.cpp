#include <algorithm>

#include "core/util.hpp"
#include "modules/directory/directory.hpp"
#include "modules/ideas/ideas.hpp"
#include "modules/journeymaps/journeymaps.hpp"
#include "modules/moderation/moderation.hpp"
#include "modules/plain/web.hpp"
#include "web/format.hpp"

namespace cp::modules::journeymaps {

namespace {

using app::Ctx;
using app::FormErrors;
namespace db = store_fn;

constexpr int kBlankStages = 2;

std::optional<std::int64_t> path_id(Ctx& ctx) {
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

std::string service_name(store::Scope& s, const std::string& uuid) {
  auto b = directory_store::brief_by_uuid(s, uuid);
  return b ? b->name : std::string();
}

bool blocked(Ctx& ctx, store::Scope& s) { return ctx.actor && moderation::is_blocked(s, ctx.actor->user_id); }

std::string chart_desc(Ctx& ctx, const std::vector<Stage>& stages) {
  std::string out;
  for (std::size_t i = 0; i < stages.size(); ++i)
    out += (out.empty() ? "" : "; ") + ctx.t("journeymaps.chart_point", {{"number", std::to_string(i + 1)},
                                                                         {"stage", stages[i].name},
                                                                         {"feeling", std::to_string(stages[i].feeling)}});
  return ctx.t("journeymaps.chart_desc") + " " + out + ".";
}

web::Data stages_data(Ctx& ctx, store::Scope& s, const std::vector<Stage>& stages) {
  web::List list;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    const auto& st = stages[i];
    web::Data d;
    d.set("number", std::to_string(i + 1));
    d.set("name", st.name);
    for (auto [k, v] : std::vector<std::pair<const char*, const std::string*>>{
             {"touchpoints", &st.touchpoints}, {"works", &st.works}, {"doesnt", &st.doesnt}, {"who", &st.who}})
      d.set(k, v->empty() ? web::Data(false) : web::Data(*v));
    d.set("feeling", std::to_string(st.feeling));
    d.set("feeling_label", ctx.t("journeymaps.feeling_" + std::to_string(st.feeling)));
    web::List ideas;
    for (auto id : st.ideas)
      if (auto idea = ideas::store_fn::get(s, id); idea && !idea->hidden) {
        web::Data idd;
        idd.set("id", std::to_string(id));
        idd.set("title", idea->title);
        ideas.push_back(idd);
      }
    d.set("has_ideas", !ideas.empty());
    d.set("ideas", ideas);
    list.push_back(d);
  }
  web::Data out;
  out.set("list", list);
  return out;
}

http::Response list_page(Ctx& ctx) {
  if (!policy::can_view(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  web::List items;
  for (const auto& m : db::list(w.scope(), trim(ctx.req.query_param("service")))) {
    web::Data d;
    d.set("id", std::to_string(m.id));
    d.set("title", m.title);
    d.set("service", service_name(w.scope(), m.service_ref));
    d.set("versions", web::plural(ctx.app.catalogue, ctx.lang, "journeymaps.version_count", m.current_version));
    items.push_back(d);
  }
  web::Data d;
  d.set("maps", items);
  d.set("none", items.empty());
  d.set("can_create", policy::can_create(ctx.actor));
  return ctx.page(ctx.t("journeymaps.list_title"), "journeymaps/list", d);
}

http::Response new_form(Ctx& ctx, const FormErrors& errors, int status) {
  web::Data d;
  errors.fill(d);
  auto w = ctx.read();
  std::string chosen = ctx.field("service").empty() ? trim(ctx.req.query_param("service")) : ctx.field("service");
  web::List opts;
  for (const auto& b : directory_store::briefs(w.scope())) {
    web::Data o;
    o.set("value", b.uuid);
    o.set("label", b.name);
    o.set("selected", b.uuid == chosen);
    opts.push_back(o);
  }
  d.set("services", opts);
  d.set("title", ctx.field("title"));
  ctx.csrf();
  return ctx.page(ctx.t("journeymaps.new_title"), "journeymaps/new", d, status);
}

http::Response new_page(Ctx& ctx) {
  if (!policy::can_create(ctx.actor)) return ctx.deny();
  return new_form(ctx, {}, 200);
}

http::Response create_submit(Ctx& ctx) {
  if (!policy::can_create(ctx.actor)) return ctx.deny();
  FormErrors e;
  auto title = ctx.field("title");
  auto service = ctx.field("service");
  auto w = ctx.work();
  if (!directory_store::brief_by_uuid(w.scope(), service)) e.add("service", ctx.t("journeymaps.error_service"));
  if (title.empty()) e.add("title", ctx.t("journeymaps.error_title"));
  else if (title.size() > 200) e.add("title", ctx.t("journeymaps.error_stage_long"));
  if (e.any()) return new_form(ctx, e, 400);
  auto id = db::create(w.scope(), service, title, ctx.actor->user_id);
  w.commit();
  ctx.set_flash("journeymaps.flash_created");
  return http::Response::redirect("/journey-maps/" + std::to_string(id) + "/edit");
}

http::Response show_page(Ctx& ctx) {
  auto id = path_id(ctx);
  if (!id || !policy::can_view(ctx.actor)) return ctx.not_found();
  auto w = ctx.read();
  auto m = db::get(w.scope(), *id);
  if (!m) return ctx.not_found();
  std::int64_t number = parse_int(ctx.req.query_param("version")).value_or(m->current_version);
  std::optional<Version> v;
  if (number > 0) {
    v = db::version(w.scope(), m->id, number);
    if (!v) return ctx.not_found();
  }
  web::Data d;
  d.set("id", std::to_string(m->id));
  d.set("title", m->title);
  d.set("service", service_name(w.scope(), m->service_ref));
  d.set("service_href", "/services/" + http::url_encode(m->service_ref));
  d.set("ideas_href", "/ideas?service=" + http::url_encode(m->service_ref));
  d.set("empty", !v || v->stages.empty());
  d.set("can_edit", policy::can_edit(ctx.actor));
  d.set("old", v && number != m->current_version);
  if (v) {
    d.set("version", std::to_string(v->number));
    d.set("version_line", ctx.t("journeymaps.version_line", {{"number", std::to_string(v->number)},
                                                             {"author", v->author},
                                                             {"date", web::format_date(ctx.lang, v->created_at)}}));
    d.set("note", v->note.empty() ? web::Data(false) : web::Data(v->note));
    d.set("stages", stages_data(ctx, w.scope(), v->stages));
    d.set("chart", journey_svg(v->stages, ctx.t("journeymaps.chart_title", {{"title", m->title}}), chart_desc(ctx, v->stages)));
  }
  web::List history;
  for (const auto& h : db::versions(w.scope(), m->id)) {
    web::Data hd;
    hd.set("number", std::to_string(h.number));
    hd.set("line", ctx.t("journeymaps.version_line", {{"number", std::to_string(h.number)},
                                                      {"author", h.author},
                                                      {"date", web::format_date(ctx.lang, h.created_at)}}));
    hd.set("note", h.note.empty() ? web::Data(false) : web::Data(h.note));
    hd.set("current", h.number == number);
    history.push_back(hd);
  }
  d.set("history", history);
  d.set("can_compare", m->current_version > 1);
  d.set("compare_href", "/journey-maps/" + std::to_string(m->id) + "/compare?from=1&to=" + std::to_string(m->current_version));
  return ctx.page(m->title, "journeymaps/show", d);
}

// The stages as typed in the edit form, in the order of their position numbers. Blank rows (the
// spare ones at the end) and rows ticked for removal are left out.
std::vector<Stage> stages_from_form(Ctx& ctx, std::vector<std::string>& raw_feelings) {
  auto count = std::clamp<std::int64_t>(parse_int(ctx.field("stage_count")).value_or(0), 0, 60);
  std::vector<std::pair<std::int64_t, Stage>> rows;
  for (std::int64_t i = 0; i < count; ++i) {
    std::string f = "stage_" + std::to_string(i) + "_";
    if (ctx.field(f + "remove") == "1") continue;
    Stage st;
    st.key = ctx.field(f + "key");
    st.name = ctx.field(f + "name");
    st.touchpoints = ctx.field(f + "touchpoints");
    st.works = ctx.field(f + "works");
    st.doesnt = ctx.field(f + "doesnt");
    st.who = ctx.field(f + "who");
    auto feeling = ctx.field(f + "feeling");
    if (st.key.empty() && st.name.empty() && st.touchpoints.empty() && st.works.empty() && st.doesnt.empty() &&
        st.who.empty())
      continue;
    st.feeling = static_cast<int>(parse_int(feeling).value_or(0));
    auto [b, e] = ctx.form().equal_range(f + "ideas");
    for (auto it = b; it != e; ++it)
      if (auto v = parse_int(it->second)) st.ideas.push_back(*v);
    rows.emplace_back(parse_int(ctx.field(f + "position")).value_or(i + 1), std::move(st));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Stage> out;
  for (auto& r : rows) out.push_back(std::move(r.second));
  raw_feelings.clear();
  return out;
}

http::Response edit_form(Ctx& ctx, const Map& m, std::int64_t base, const std::vector<Stage>& stages, const FormErrors& errors,
                         int status, bool conflict = false, bool check = false) {
  auto w = ctx.read();
  std::vector<ideas::Idea> board = ideas::store_fn::board(w.scope(), {"service", m.service_ref});
  web::Data d;
  errors.fill(d);
  d.set("id", std::to_string(m.id));
  d.set("title", m.title);
  d.set("service", service_name(w.scope(), m.service_ref));
  d.set("base_version", std::to_string(base));
  d.set("conflict", conflict);
  d.set("latest_href", "/journey-maps/" + std::to_string(m.id));
  d.set("note", ctx.field("note"));
  web::List rows;
  std::size_t total = stages.size() + kBlankStages;
  for (std::size_t i = 0; i < total; ++i) {
    Stage st = i < stages.size() ? stages[i] : Stage{};
    bool blank = i >= stages.size();
    std::string f = "stage_" + std::to_string(i) + "_";
    web::Data r;
    r.set("i", std::to_string(i));
    r.set("number", std::to_string(i + 1));
    r.set("blank", blank);
    r.set("key", st.key);
    r.set("name", st.name);
    r.set("touchpoints", st.touchpoints);
    r.set("works", st.works);
    r.set("doesnt", st.doesnt);
    r.set("who", st.who);
    r.set("position", std::to_string(i + 1));
    std::string err_name = errors.of(f + "name"), err_feeling = errors.of(f + "feeling");
    r.set("error_name", err_name.empty() ? web::Data(false) : web::Data(err_name));
    r.set("error_feeling", err_feeling.empty() ? web::Data(false) : web::Data(err_feeling));
    web::List feelings;
    for (int fv = 1; fv <= 5; ++fv) {
      web::Data o;
      o.set("value", std::to_string(fv));
      o.set("label", ctx.t("journeymaps.feeling_" + std::to_string(fv)));
      o.set("checked", !blank && st.feeling == fv);
      o.set("i", std::to_string(i));
      feelings.push_back(o);
    }
    r.set("feelings", feelings);
    web::List idea_opts;
    for (const auto& idea : board) {
      web::Data o;
      o.set("value", std::to_string(idea.id));
      o.set("label", idea.title);
      o.set("checked", std::find(st.ideas.begin(), st.ideas.end(), idea.id) != st.ideas.end());
      o.set("i", std::to_string(i));
      idea_opts.push_back(o);
    }
    r.set("idea_options", idea_opts);
    r.set("has_idea_options", !idea_opts.empty());
    rows.push_back(r);
  }
  d.set("rows", rows);
  d.set("stage_count", std::to_string(total));
  plain::form_support(ctx, d);
  if (check) {
    std::vector<plain::TextField> fields;
    for (std::size_t i = 0; i < stages.size(); ++i) {
      std::string f = "stage_" + std::to_string(i) + "_";
      auto label = ctx.t("journeymaps.stage_number", {{"number", std::to_string(i + 1)}});
      fields.push_back({f + "name", label, stages[i].name, ""});
      fields.push_back({f + "works", label + ": " + ctx.t("journeymaps.field_works"), stages[i].works, ""});
      fields.push_back({f + "doesnt", label + ": " + ctx.t("journeymaps.field_doesnt"), stages[i].doesnt, ""});
    }
    d.set("plain", plain::check_fields(ctx, fields));
  }
  ctx.csrf();
  return ctx.page(ctx.t("journeymaps.edit_title", {{"title", m.title}}), "journeymaps/edit", d, status);
}

http::Response edit_page(Ctx& ctx) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  if (!policy::can_edit(ctx.actor)) return ctx.deny();
  std::optional<Map> m;
  std::vector<Stage> stages;
  {
    auto w = ctx.read();
    m = db::get(w.scope(), *id);
    if (!m) return ctx.not_found();
    if (blocked(ctx, w.scope())) return ctx.forbidden();
    if (m->current_version > 0) stages = db::version(w.scope(), m->id, m->current_version)->stages;
  }
  return edit_form(ctx, *m, m->current_version, stages, {}, 200);
}

http::Response save_submit(Ctx& ctx) {
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  if (!policy::can_edit(ctx.actor)) return ctx.deny();
  auto w = ctx.work();
  auto m = db::get(w.scope(), *id);
  if (!m) return ctx.not_found();
  if (blocked(ctx, w.scope())) return ctx.forbidden();
  std::vector<std::string> raw;
  auto stages = stages_from_form(ctx, raw);
  auto base = parse_int(ctx.field("base_version")).value_or(-1);
  if (ctx.field("action") == "check") return edit_form(ctx, *m, base, stages, {}, 200, false, true);
  auto problems = db::validate(stages);
  if (!problems.empty()) {
    FormErrors e;
    for (const auto& p : problems) e.add(p.field, ctx.t(p.key));
    return edit_form(ctx, *m, base, stages, e, 400);
  }
  auto note = ctx.field("note").substr(0, 500);
  auto r = db::save(w.scope(), m->id, base, stages, note, ctx.actor->user_id);
  if (r == db::Saved::not_found) return ctx.not_found();
  if (r == db::Saved::conflict) {
    // Someone saved first. Their version is kept; this person's text is shown again, now based on
    // the latest version, so saving again is a deliberate choice to replace it.
    FormErrors e;
    e.add("stage_0_name", ctx.t("journeymaps.error_conflict", {{"number", std::to_string(m->current_version)}}));
    return edit_form(ctx, *m, m->current_version, stages, e, 409, true);
  }
  w.commit();
  ctx.set_flash("journeymaps.flash_saved");
  return http::Response::redirect("/journey-maps/" + std::to_string(m->id));
}

http::Response compare_page(Ctx& ctx) {
  auto id = path_id(ctx);
  if (!id || !policy::can_view(ctx.actor)) return ctx.not_found();
  auto w = ctx.read();
  auto m = db::get(w.scope(), *id);
  if (!m) return ctx.not_found();
  auto from_n = parse_int(ctx.req.query_param("from")).value_or(1);
  auto to_n = parse_int(ctx.req.query_param("to")).value_or(m->current_version);
  auto before = db::version(w.scope(), m->id, from_n);
  auto after = db::version(w.scope(), m->id, to_n);
  if (!before || !after) return ctx.not_found();
  web::List rows;
  int changed = 0;
  // Stages are matched by their key, in the order of the later version, then stages that were removed.
  for (const auto& a : after->stages) {
    auto it = std::find_if(before->stages.begin(), before->stages.end(), [&](const Stage& b) { return b.key == a.key; });
    web::Data r;
    r.set("after_name", a.name);
    r.set("after_feeling", ctx.t("journeymaps.feeling_" + std::to_string(a.feeling)));
    r.set("after_doesnt", a.doesnt.empty() ? web::Data(false) : web::Data(a.doesnt));
    if (it == before->stages.end()) {
      r.set("before_name", false);
      r.set("mark", ctx.t("journeymaps.mark_new"));
      r.set("is_new", true);
      ++changed;
    } else {
      r.set("before_name", it->name);
      r.set("before_feeling", ctx.t("journeymaps.feeling_" + std::to_string(it->feeling)));
      r.set("before_doesnt", it->doesnt.empty() ? web::Data(false) : web::Data(it->doesnt));
      bool same = *it == a;
      r.set("mark", same ? web::Data(false) : web::Data(ctx.t("journeymaps.mark_changed")));
      r.set("is_changed", !same);
      if (!same) ++changed;
      if (a.feeling != it->feeling)
        r.set("feeling_change", ctx.t(a.feeling > it->feeling ? "journeymaps.feeling_up" : "journeymaps.feeling_down"));
    }
    rows.push_back(r);
  }
  for (const auto& b : before->stages)
    if (std::none_of(after->stages.begin(), after->stages.end(), [&](const Stage& a) { return a.key == b.key; })) {
      web::Data r;
      r.set("before_name", b.name);
      r.set("before_feeling", ctx.t("journeymaps.feeling_" + std::to_string(b.feeling)));
      r.set("before_doesnt", b.doesnt.empty() ? web::Data(false) : web::Data(b.doesnt));
      r.set("after_name", false);
      r.set("mark", ctx.t("journeymaps.mark_removed"));
      r.set("is_removed", true);
      ++changed;
      rows.push_back(r);
    }
  web::Data d;
  d.set("id", std::to_string(m->id));
  d.set("title", m->title);
  d.set("from", std::to_string(before->number));
  d.set("to", std::to_string(after->number));
  d.set("from_note", before->note);
  d.set("to_note", after->note);
  d.set("rows", rows);
  d.set("changed", web::plural(ctx.app.catalogue, ctx.lang, "journeymaps.changed_count", changed));
  d.set("before_chart", journey_svg(before->stages, ctx.t("journeymaps.chart_version", {{"number", std::to_string(before->number)}}),
                                    chart_desc(ctx, before->stages)));
  d.set("after_chart", journey_svg(after->stages, ctx.t("journeymaps.chart_version", {{"number", std::to_string(after->number)}}),
                                   chart_desc(ctx, after->stages)));
  web::List opts_from, opts_to;
  for (const auto& h : db::versions(w.scope(), m->id)) {
    web::Data a, b;
    for (auto* x : {&a, &b}) {
      x->set("value", std::to_string(h.number));
      x->set("label", ctx.t("journeymaps.version_n", {{"number", std::to_string(h.number)}}));
    }
    a.set("selected", h.number == before->number);
    b.set("selected", h.number == after->number);
    opts_from.push_back(a);
    opts_to.push_back(b);
  }
  d.set("from_options", opts_from);
  d.set("to_options", opts_to);
  return ctx.page(ctx.t("journeymaps.compare_title", {{"title", m->title}}), "journeymaps/compare", d);
}

}  // namespace

void JourneymapsModule::install(app::App& a) {
  a.route("GET", "/journey-maps", "journeymaps.list", list_page);
  a.route("GET", "/journey-maps/new", "journeymaps.new", new_page);
  a.route("POST", "/journey-maps", "journeymaps.create", create_submit);
  a.route("GET", "/journey-maps/{id}", "journeymaps.show", show_page);
  a.route("GET", "/journey-maps/{id}/edit", "journeymaps.edit", edit_page);
  a.route("POST", "/journey-maps/{id}", "journeymaps.save", save_submit);
  a.route("GET", "/journey-maps/{id}/compare", "journeymaps.compare", compare_page);
  a.nav({"journeymaps.nav", "/journey-maps", nullptr});
  plain::register_texts("journeymaps", [](store::Scope& s) {
    std::vector<plain::PublishedText> out;
    for (const auto& m : db::list(s)) {
      if (m.current_version == 0) continue;
      std::string text;
      for (const auto& st : db::version(s, m.id, m.current_version)->stages)
        for (const auto* t : {&st.name, &st.works, &st.doesnt, &st.touchpoints})
          if (!t->empty()) text += (text.empty() ? "" : "\n\n") + *t;
      out.push_back({m.title, "/journey-maps/" + std::to_string(m.id), text, ""});
    }
    return out;
  });
  modules::register_service_panel("journeymaps", 55, [](Ctx& ctx, store::Scope& s, const directory_store::ServiceBrief& sv) {
    auto maps = db::list(s, sv.uuid);
    if (maps.empty()) return std::string();
    web::List items;
    for (const auto& m : maps) {
      web::Data d;
      d.set("id", std::to_string(m.id));
      d.set("title", m.title);
      items.push_back(d);
    }
    web::Data d;
    d.set("maps", items);
    return ctx.app.templates->render("journeymaps/panel", ctx.lang, d);
  });
}

}  // namespace cp::modules::journeymaps
