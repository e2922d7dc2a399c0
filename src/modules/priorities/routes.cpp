#include <algorithm>
#include <map>

#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/charters/charters.hpp"
#include "modules/ideas/ideas.hpp"
#include "modules/priorities/priorities.hpp"
#include "web/bilingual.hpp"
#include "web/format.hpp"

namespace cp::modules::priorities {

namespace {

using app::Ctx;
using app::FormErrors;

constexpr std::size_t kMaxTitle = 200, kMaxText = 4000;

// The chart's drawing area inside a 360 x 340 view box: effort runs left (1) to right (5), impact
// bottom (1) to top (5).
constexpr double kLeft = 56, kRight = 340, kTop = 16, kBottom = 300;

std::optional<std::int64_t> id_param(Ctx& ctx) {
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

std::string exercise_href(std::int64_t id) { return "/toolkit/priorities/" + std::to_string(id); }
std::string initiative_href(std::int64_t id) { return "/toolkit/priorities/initiatives/" + std::to_string(id); }

std::string name_of(store::Scope& s, std::int64_t user) {
  if (user <= 0) return std::string();
  auto c = AccountsModule::contact(s, user);
  return c ? c->name : std::string();
}

// The words that depend on the exercise's second axis: the effort words have no suffix (they came
// first), the feasibility words end in "_feasibility".
std::string axis_key(const std::string& key, const std::string& axis) {
  return "priorities." + key + (axis == "feasibility" ? "_feasibility" : "");
}

std::string quadrant_label(Ctx& ctx, Quadrant q, const std::string& axis) {
  if (q == Quadrant::unplaced) return ctx.t("priorities.quadrant_unplaced");
  return ctx.t(axis_key("quadrant_" + to_string(q), axis));
}

std::string mean_text(Ctx& ctx, const Mean& m) {
  return m.known() ? web::format_decimal(ctx.lang, m.value(), 1) : ctx.t("priorities.no_mean");
}

std::string quadrant_tag(Quadrant q) {
  switch (q) {
    case Quadrant::quick_win: return "govuk-tag--green";
    case Quadrant::big_project: return "govuk-tag--blue";
    case Quadrant::small_job: return "govuk-tag--yellow";
    case Quadrant::not_worth_it: return "govuk-tag--grey";
    case Quadrant::unplaced: break;
  }
  return "govuk-tag--grey";
}

std::string decision_tag(const std::string& d) {
  if (d == "take_on") return "govuk-tag--green";
  if (d == "back_burner") return "govuk-tag--yellow";
  return "govuk-tag--red";
}

web::Data decision_data(Ctx& ctx, store::Scope& s, const Decision& d) {
  web::Data x;
  x.set("decision", d.decision);
  x.set("decision_label", ctx.t("priorities.decision_" + d.decision));
  x.set("decision_class", decision_tag(d.decision));
  x.set("reason", d.reason);
  x.set("owner", d.owner);
  x.set("decided_by", name_of(s, d.decided_by));
  x.set("decided_at", web::format_date(ctx.lang, d.decided_at));
  return x;
}

// The means as the chart and the table show them.
web::Data placed_data(Ctx& ctx, const Placed& p, const std::string& axis) {
  web::Data d;
  d.set("id", std::to_string(p.initiative.id));
  d.set("number", std::to_string(p.initiative.number));
  d.set("title", web::pick({p.initiative.title, p.initiative.title_cy}, ctx.lang).text);
  d.set("title_bi", web::bilingual_data({p.initiative.title, p.initiative.title_cy}, ctx.lang));
  d.set("href", initiative_href(p.initiative.id));
  d.set("impact", mean_text(ctx, p.impact));
  d.set("effort", mean_text(ctx, p.effort));
  d.set("impact_n", web::plural(ctx.app.catalogue, ctx.lang, "priorities.people", p.impact.n));
  d.set("effort_n", web::plural(ctx.app.catalogue, ctx.lang, "priorities.people", p.effort.n));
  d.set("quadrant", to_string(p.quadrant));
  d.set("quadrant_label", quadrant_label(ctx, p.quadrant, axis));
  d.set("quadrant_class", quadrant_tag(p.quadrant));
  d.set("quick_win", p.quadrant == Quadrant::quick_win);
  return d;
}

// Dots on the chart. Initiatives with the same means would hide each other, so each later one at
// the same place is moved a little to the right, and down a row after four.
web::List chart_points(const std::vector<Placed>& placed) {
  web::List out;
  std::map<std::pair<long, long>, int> seen;
  for (const auto& p : placed) {
    if (p.quadrant == Quadrant::unplaced) continue;
    double x = kLeft + (p.effort.value() - 1) / 4 * (kRight - kLeft);
    double y = kBottom - (p.impact.value() - 1) / 4 * (kBottom - kTop);
    int k = seen[{std::lround(x), std::lround(y)}]++;
    x += (k % 4) * 20 * (x > (kLeft + kRight) / 2 ? -1 : 1);
    y += (k / 4) * 20 * (y < (kTop + kBottom) / 2 ? 1 : -1);
    web::Data d;
    d.set("x", std::to_string(std::lround(x)));
    d.set("y", std::to_string(std::lround(y)));
    d.set("ty", std::to_string(std::lround(y) + 4));
    d.set("number", std::to_string(p.initiative.number));
    d.set("quick_win", p.quadrant == Quadrant::quick_win);
    out.push_back(d);
  }
  return out;
}

// The chart's axis-dependent parts: where the striped quick-win box sits (top left when low effort
// is good, top right when high feasibility is good) and the four box names in their corners.
void chart_frame(Ctx& ctx, web::Data& d, const std::string& axis) {
  bool feas = axis == "feasibility";
  d.set("quick_x", feas ? "198" : "56");
  struct Corner {
    Quadrant q;
    bool right, bottom;
  };
  // Impact is always up; "easy" is left for effort and right for feasibility.
  std::vector<Corner> corners = {{Quadrant::quick_win, feas, false},
                                 {Quadrant::big_project, !feas, false},
                                 {Quadrant::small_job, feas, true},
                                 {Quadrant::not_worth_it, !feas, true}};
  web::List labels;
  for (const auto& c : corners) {
    web::Data l;
    l.set("x", c.right ? "334" : "62");
    l.set("y", c.bottom ? "292" : "34");
    l.set("anchor", c.right ? "end" : "start");
    l.set("quick", c.q == Quadrant::quick_win);
    l.set("text", quadrant_label(ctx, c.q, axis));
    labels.push_back(l);
  }
  d.set("corner_labels", labels);
  d.set("chart_title", ctx.t(axis_key("chart_title", axis)));
  d.set("chart_desc", ctx.t(axis_key("chart_desc", axis)));
  d.set("chart_key_note", ctx.t(axis_key("chart_key_note", axis)));
  d.set("axis_second", ctx.t(axis_key("axis_effort", axis)));
  d.set("col_second", ctx.t(axis_key("col_effort", axis)));
  d.set("rules_2", ctx.t(axis_key("rules_2", axis)));
  d.set("rules_3", ctx.t(axis_key("rules_3", axis)));
  d.set("second_question", ctx.t(axis_key("effort_question", axis)));
  d.set("axis_line", ctx.t(axis_key("axis_line", axis)));
}

web::List scale_options(Ctx& ctx, const std::string& axis, std::optional<int> value, bool rated) {
  web::List out;
  for (int v = kScaleMin; v <= kScaleMax; ++v) {
    web::Data o;
    o.set("value", std::to_string(v));
    o.set("label", ctx.t("priorities." + axis + "_" + std::to_string(v)));
    o.set("selected", value && *value == v);
    out.push_back(o);
  }
  web::Data dk;
  dk.set("value", "dk");
  dk.set("label", ctx.t("priorities.dont_know"));
  dk.set("selected", rated && !value);
  out.push_back(dk);
  return out;
}

// ------------------------------------------------------------ the toolkit landing page

http::Response toolkit_page(Ctx& ctx) {
  web::Data d;
  web::List tools;
  struct Tool {
    const char *key, *href;
  };
  for (const auto& t : {Tool{"star", "/toolkit/star"}, Tool{"priorities", "/toolkit/priorities"},
                        Tool{"charters", "/toolkit/charters"}, Tool{"champions", "/toolkit/champions"},
                        Tool{"business_case", "/toolkit/business-case"}, Tool{"competencies", "/toolkit/competencies"},
                        Tool{"lens", "/lens"}, Tool{"contribution", "/toolkit/contribution"}}) {
    web::Data x;
    x.set("href", t.href);
    x.set("name", ctx.t(std::string("priorities.tool_") + t.key));
    x.set("about", ctx.t(std::string("priorities.tool_") + t.key + "_about"));
    tools.push_back(x);
  }
  d.set("tools", tools);
  if (ctx.signed_in()) {
    auto w = ctx.read();
    web::List pending;
    for (const auto& p : charters::needs_signature(w.scope(), ctx.actor->user_id)) {
      web::Data x;
      x.set("title_bi", web::bilingual_data({p.title, p.title_cy}, ctx.lang));
      x.set("href", p.href);
      pending.push_back(x);
    }
    d.set("charters_pending", pending);
    d.set("has_pending", !pending.empty());
  }
  return ctx.page(ctx.t("priorities.toolkit_title"), "priorities/toolkit", d);
}

// ------------------------------------------------------------ exercises

http::Response list_page(Ctx& ctx) {
  if (!policy::can_view(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  web::List items;
  for (const auto& e : store_fn::exercises(w.scope())) {
    web::Data x;
    x.set("title", e.title);
    x.set("href", exercise_href(e.id));
    x.set("open", e.status == "open");
    x.set("count", web::plural(ctx.app.catalogue, ctx.lang, "priorities.initiative_count",
                               static_cast<std::int64_t>(store_fn::initiatives(w.scope(), e.id).size())));
    items.push_back(x);
  }
  web::Data d;
  d.set("exercises", items);
  d.set("none", items.empty());
  d.set("can_manage", policy::can_manage(ctx.actor));
  return ctx.page(ctx.t("priorities.list_title"), "priorities/list", d);
}

http::Response exercise_form(Ctx& ctx, const std::string& title, const std::string& intro, const std::string& axis,
                             const FormErrors& e, int status) {
  web::Data d;
  e.fill(d);
  d.set("title", title);
  d.set("intro", intro);
  web::List axes;
  for (const auto& k : kAxes) {
    web::Data o;
    o.set("value", k);
    o.set("input_id", k == kAxes.front() ? std::string("axis") : "axis-" + k);
    o.set("label", ctx.t("priorities.axis_choice_" + k));
    o.set("hint", ctx.t("priorities.axis_choice_" + k + "_hint"));
    o.set("checked", k == axis);
    axes.push_back(o);
  }
  d.set("axes", axes);
  ctx.csrf();
  return ctx.page(ctx.t("priorities.new_title"), "priorities/exercise_form", d, status);
}

http::Response new_page(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  return exercise_form(ctx, "", "", "effort", {}, 200);
}

http::Response create_submit(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  auto title = ctx.field("title"), intro = ctx.field("intro"), axis = ctx.field("axis");
  // The form always sends a choice (effort is checked to start with); a client that leaves the
  // field out gets the effort matrix, as before the choice existed. Anything else is an error.
  if (axis.empty()) axis = "effort";
  FormErrors e;
  if (title.empty()) e.add("title", ctx.t("priorities.error_exercise_title"));
  else if (title.size() > kMaxTitle) e.add("title", ctx.t("priorities.error_too_long"));
  if (intro.size() > kMaxText) e.add("intro", ctx.t("priorities.error_too_long"));
  if (!is_axis(axis)) e.add("axis", ctx.t("priorities.error_axis"));
  if (e.any()) return exercise_form(ctx, title, intro, axis, e, 400);
  auto w = ctx.work();
  auto id = store_fn::create_exercise(w.scope(), title, intro, ctx.actor->user_id, axis);
  w.commit();
  ctx.set_flash("priorities.flash_created");
  return http::Response::redirect(exercise_href(id));
}

// Values typed into the rating form, kept when it comes back with errors.
using Typed = std::map<std::string, std::string>;

http::Response exercise_render(Ctx& ctx, std::int64_t id, const FormErrors& e, int status, const Typed& typed = {}) {
  auto w = ctx.read();
  auto ex = store_fn::exercise(w.scope(), id);
  if (!ex) return ctx.not_found();
  auto inits = store_fn::initiatives(w.scope(), id);
  auto all = store_fn::ratings(w.scope(), id);
  const auto& axis = ex->axis;
  auto placed = compute(inits, all, axis);
  std::map<std::int64_t, Decision> latest;
  for (const auto& dd : store_fn::latest_decisions(w.scope(), id)) latest[dd.initiative_id] = dd;
  std::map<std::int64_t, Rating> mine;
  for (const auto& r : all)
    if (r.user_id == ctx.actor->user_id) mine[r.initiative_id] = r;

  web::Data d;
  e.fill(d);
  d.set("id", std::to_string(id));
  d.set("title", ex->title);
  d.set("intro", ex->intro);
  d.set("open", ex->status == "open");
  chart_frame(ctx, d, axis);
  web::List rows;
  std::int64_t placed_count = 0, quick = 0;
  for (const auto& p : placed) {
    auto x = placed_data(ctx, p, axis);
    if (auto it = latest.find(p.initiative.id); it != latest.end()) {
      x.set("has_decision", true);
      x.set("decision", decision_data(ctx, w.scope(), it->second));
    }
    if (p.quadrant != Quadrant::unplaced) ++placed_count;
    if (p.quadrant == Quadrant::quick_win) ++quick;
    rows.push_back(x);
  }
  d.set("rows", rows);
  d.set("none", placed.empty());
  d.set("points", chart_points(placed));
  d.set("has_points", placed_count > 0);
  d.set("quick_count", web::plural(ctx.app.catalogue, ctx.lang, "priorities.quick_count", quick));
  d.set("mid_x", std::to_string(std::lround((kLeft + kRight) / 2)));
  d.set("mid_y", std::to_string(std::lround((kTop + kBottom) / 2)));

  // The rating form, in number order.
  bool can_rate = ex->status == "open" && policy::can_rate(ctx.actor);
  d.set("can_rate", can_rate && !inits.empty());
  if (can_rate) {
    web::List form;
    for (const auto& i : inits) {
      web::Data f;
      f.set("iid", std::to_string(i.id));
      f.set("number", std::to_string(i.number));
      f.set("ititle", web::bilingual_data({i.title, i.title_cy}, ctx.lang));
      if (!trim(i.description + i.description_cy).empty())
        f.set("idescription", web::bilingual_data({i.description, i.description_cy}, ctx.lang));
      std::optional<int> impact, effort;
      bool rated = false;
      if (auto it = mine.find(i.id); it != mine.end()) {
        impact = it->second.impact;
        effort = it->second.effort;
        rated = true;
      }
      auto pick = [&](const std::string& axis, std::optional<int>& v, bool& is_rated) {
        auto t = typed.find(axis + "_" + std::to_string(i.id));
        if (t == typed.end()) return;
        is_rated = t->second == "dk";
        auto n = parse_int(t->second);
        v = n ? std::optional<int>(static_cast<int>(*n)) : std::nullopt;
      };
      bool impact_rated = rated, effort_rated = rated;
      if (!typed.empty()) {
        pick("impact", impact, impact_rated);
        pick(axis, effort, effort_rated);
      }
      f.set("impact_options", scale_options(ctx, "impact", impact, impact_rated));
      f.set("second_options", scale_options(ctx, axis, effort, effort_rated));
      f.set("second_field", axis + "_" + std::to_string(i.id));
      auto ie = e.of("impact_" + std::to_string(i.id));
      auto ee = e.of(axis + "_" + std::to_string(i.id));
      f.set("impact_error", ie);
      f.set("second_error", ee);
      f.set("has_impact_error", !ie.empty());
      f.set("has_second_error", !ee.empty());
      form.push_back(f);
    }
    d.set("rate_items", form);
    ctx.csrf();
  }
  bool manage = policy::can_manage(ctx.actor);
  d.set("can_manage", manage);
  if (manage) ctx.csrf();
  return ctx.page(ex->title, "priorities/exercise", d, status);
}

http::Response exercise_page(Ctx& ctx) {
  if (!policy::can_view(ctx.actor)) return ctx.deny();
  auto id = id_param(ctx);
  if (!id) return ctx.not_found();
  return exercise_render(ctx, *id, {}, 200);
}

// Reads one select: "" (not answered), "dk", or 1 to 5. False for anything else.
bool read_value(const std::string& raw, std::optional<int>& out, bool& answered) {
  answered = !raw.empty();
  out.reset();
  if (raw.empty() || raw == "dk") return true;
  auto n = parse_int(raw);
  if (!n || *n < kScaleMin || *n > kScaleMax) return false;
  out = static_cast<int>(*n);
  return true;
}

http::Response rate_submit(Ctx& ctx) {
  if (!policy::can_rate(ctx.actor)) return ctx.deny();
  auto id = id_param(ctx);
  if (!id) return ctx.not_found();
  std::vector<Initiative> inits;
  std::string axis;
  {
    auto w = ctx.read();
    auto ex = store_fn::exercise(w.scope(), *id);
    if (!ex) return ctx.not_found();
    axis = ex->axis;
    if (ex->status != "open") {
      FormErrors e;
      e.add("rate", ctx.t("priorities.error_closed"));
      return exercise_render(ctx, *id, e, 409);
    }
    inits = store_fn::initiatives(w.scope(), *id);
  }
  FormErrors e;
  Typed typed;
  struct Answer {
    std::int64_t id;
    std::optional<int> impact, effort;
    bool answered;
  };
  std::vector<Answer> answers;
  for (const auto& i : inits) {
    // The second answer's field is named after the exercise's axis: effort_<id> or feasibility_<id>.
    auto ik = "impact_" + std::to_string(i.id), ek = axis + "_" + std::to_string(i.id);
    auto iv = ctx.field(ik), ev = ctx.field(ek);
    typed[ik] = iv;
    typed[ek] = ev;
    Answer a{i.id, {}, {}, false};
    bool ia = false, ea = false;
    if (!read_value(iv, a.impact, ia)) e.add(ik, ctx.t("priorities.error_value", {{"number", std::to_string(i.number)}}));
    if (!read_value(ev, a.effort, ea)) e.add(ek, ctx.t("priorities.error_value", {{"number", std::to_string(i.number)}}));
    a.answered = ia || ea;
    answers.push_back(a);
  }
  if (e.any()) return exercise_render(ctx, *id, e, 400, typed);
  auto w = ctx.work();
  for (const auto& a : answers)
    // A question left on "Choose" with the other answered counts as "don't know"; both left empty
    // take back any earlier rating of that initiative.
    store_fn::rate(w.scope(), a.id, ctx.actor->user_id, a.answered ? a.impact : std::nullopt,
                   a.answered ? a.effort : std::nullopt);
  w.commit();
  ctx.set_flash("priorities.flash_rated");
  return http::Response::redirect(exercise_href(*id) + "#results");
}

http::Response status_submit(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  auto id = id_param(ctx);
  if (!id) return ctx.not_found();
  auto to = ctx.field("status");
  auto w = ctx.work();
  if (!store_fn::exercise(w.scope(), *id)) return ctx.not_found();
  if (to != "open" && to != "closed") {
    FormErrors e;
    e.add("status", ctx.t("priorities.error_status"));
    return exercise_render(ctx, *id, e, 400);
  }
  store_fn::set_status(w.scope(), *id, to);
  w.commit();
  ctx.set_flash(to == "open" ? "priorities.flash_opened" : "priorities.flash_closed");
  return http::Response::redirect(exercise_href(*id));
}

// ------------------------------------------------------------ initiatives

web::List idea_options(store::Scope& s, const std::string& selected) {
  web::List out;
  for (const auto& i : ideas::store_fn::recent(s, 100)) {
    web::Data o;
    o.set("value", std::to_string(i.id));
    o.set("label", i.title);
    o.set("selected", std::to_string(i.id) == selected);
    out.push_back(o);
  }
  return out;
}

struct InitiativeTyped {
  std::string title, description, title_cy, description_cy, idea;
};

http::Response initiative_form(Ctx& ctx, const Exercise& ex, const InitiativeTyped& t, const FormErrors& e, int status) {
  web::Data d;
  e.fill(d);
  d.set("id", std::to_string(ex.id));
  d.set("exercise_title", ex.title);
  d.set("title", t.title);
  d.set("description", t.description);
  d.set("title_cy", t.title_cy);
  d.set("description_cy", t.description_cy);
  const auto& idea = t.idea;
  {
    auto w = ctx.read();
    d.set("ideas", idea_options(w.scope(), idea));
  }
  ctx.csrf();
  return ctx.page(ctx.t("priorities.initiative_new_title"), "priorities/initiative_form", d, status);
}

http::Response initiative_new_page(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  auto id = id_param(ctx);
  if (!id) return ctx.not_found();
  std::optional<Exercise> ex;
  {
    auto w = ctx.read();
    ex = store_fn::exercise(w.scope(), *id);
  }
  if (!ex) return ctx.not_found();
  return initiative_form(ctx, *ex, {"", "", "", "", ctx.req.query_param("idea")}, {}, 200);
}

http::Response initiative_create(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  auto id = id_param(ctx);
  if (!id) return ctx.not_found();
  InitiativeTyped t{ctx.field("title"), ctx.field("description"), ctx.field("title_cy"), ctx.field("description_cy"),
                    ctx.field("idea")};
  const auto &title = t.title, &description = t.description, &idea = t.idea;
  auto w = ctx.work();
  auto ex = store_fn::exercise(w.scope(), *id);
  if (!ex) return ctx.not_found();
  FormErrors e;
  // A title in either language will do: an idea may be written in Welsh only.
  if (title.empty() && t.title_cy.empty()) e.add("title", ctx.t("priorities.error_initiative_title"));
  else if (title.size() > kMaxTitle) e.add("title", ctx.t("priorities.error_too_long"));
  if (t.title_cy.size() > kMaxTitle) e.add("title_cy", ctx.t("priorities.error_too_long"));
  if (description.size() > kMaxText) e.add("description", ctx.t("priorities.error_too_long"));
  if (t.description_cy.size() > kMaxText) e.add("description_cy", ctx.t("priorities.error_too_long"));
  std::optional<std::int64_t> idea_id;
  if (!idea.empty()) {
    auto n = parse_int(idea);
    // Through the ideas module's interface: the idea must exist here and not be hidden.
    std::optional<ideas::Idea> found;
    if (n && *n > 0) found = ideas::store_fn::get(w.scope(), *n);
    if (!found || found->hidden) e.add("idea", ctx.t("priorities.error_idea"));
    else idea_id = found->id;
  }
  if (e.any()) {
    w.commit();
    return initiative_form(ctx, *ex, t, e, 400);
  }
  auto iid = store_fn::add_initiative(w.scope(), *id, title, description, idea_id, ctx.actor->user_id, t.title_cy,
                                      t.description_cy);
  w.commit();
  ctx.set_flash("priorities.flash_initiative");
  return http::Response::redirect(exercise_href(*id) + "#i" + std::to_string(iid));
}

struct DecisionTyped {
  std::string decision, reason, owner;
};

http::Response initiative_render(Ctx& ctx, std::int64_t id, const FormErrors& e, int status,
                                 const DecisionTyped& typed = {}) {
  auto w = ctx.read();
  auto ini = store_fn::initiative(w.scope(), id);
  if (!ini) return ctx.not_found();
  auto ex = store_fn::exercise(w.scope(), ini->exercise_id);
  auto placed = compute({*ini}, store_fn::ratings(w.scope(), ini->exercise_id), ex->axis);
  web::Data d = placed_data(ctx, placed.at(0), ex->axis);
  e.fill(d);
  chart_frame(ctx, d, ex->axis);
  if (!trim(ini->description + ini->description_cy).empty())
    d.set("description_bi", web::bilingual_data({ini->description, ini->description_cy}, ctx.lang));
  // One "only in English" note is enough: the description says it only when the title did not.
  d.set("description_note", web::pick({ini->description, ini->description_cy}, ctx.lang).other &&
                                !web::pick({ini->title, ini->title_cy}, ctx.lang).other);
  d.set("exercise_title", ex->title);
  d.set("exercise_href", exercise_href(ex->id));
  d.set("raters", web::plural(ctx.app.catalogue, ctx.lang, "priorities.raters", placed[0].raters));
  if (ini->idea_id) {
    if (auto idea = ideas::store_fn::get(w.scope(), *ini->idea_id); idea && !idea->hidden) {
      d.set("idea_title", idea->title);
      d.set("idea_href", "/ideas/" + std::to_string(idea->id));
    }
  }
  web::List history;
  for (const auto& dd : store_fn::decisions(w.scope(), id)) history.push_back(decision_data(ctx, w.scope(), dd));
  d.set("history", history);
  d.set("no_history", history.empty());
  bool manage = policy::can_manage(ctx.actor);
  d.set("can_manage", manage);
  if (manage) {
    web::List opts;
    bool first = true;
    for (const auto& k : kDecisions) {
      web::Data o;
      o.set("value", k);
      o.set("label", ctx.t("priorities.decision_" + k));
      o.set("checked", k == typed.decision);
      o.set("input_id", first ? std::string("decision") : "decision-" + k);
      first = false;
      opts.push_back(o);
    }
    d.set("decision_options", opts);
    d.set("reason_value", typed.reason);
    d.set("owner_value", typed.owner);
    ctx.csrf();
  }
  return ctx.page(web::pick({ini->title, ini->title_cy}, ctx.lang).text, "priorities/initiative", d, status);
}

http::Response initiative_page(Ctx& ctx) {
  if (!policy::can_view(ctx.actor)) return ctx.deny();
  auto id = id_param(ctx);
  if (!id) return ctx.not_found();
  return initiative_render(ctx, *id, {}, 200);
}

http::Response decide_submit(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  auto id = id_param(ctx);
  if (!id) return ctx.not_found();
  DecisionTyped in{ctx.field("decision"), ctx.field("reason"), ctx.field("owner")};
  FormErrors e;
  if (std::find(kDecisions.begin(), kDecisions.end(), in.decision) == kDecisions.end())
    e.add("decision", ctx.t("priorities.error_decision"));
  if (in.reason.empty()) e.add("reason", ctx.t("priorities.error_reason"));
  else if (in.reason.size() > kMaxText) e.add("reason", ctx.t("priorities.error_too_long"));
  if (in.decision == "take_on" && in.owner.empty()) e.add("owner", ctx.t("priorities.error_owner"));
  else if (in.owner.size() > kMaxTitle) e.add("owner", ctx.t("priorities.error_too_long"));
  if (e.any()) return initiative_render(ctx, *id, e, 400, in);
  auto w = ctx.work();
  if (!store_fn::initiative(w.scope(), *id)) return ctx.not_found();
  store_fn::decide(w.scope(), *id, in.decision, in.reason, in.decision == "take_on" ? in.owner : in.owner, ctx.actor->user_id);
  w.commit();
  ctx.set_flash("priorities.flash_decided");
  return http::Response::redirect(initiative_href(*id));
}

}  // namespace

void PrioritiesModule::install(app::App& a) {
  a.route("GET", "/toolkit", "priorities.toolkit", toolkit_page);
  a.route("GET", "/toolkit/priorities", "priorities.list", list_page);
  a.route("POST", "/toolkit/priorities", "priorities.create", create_submit);
  a.route("GET", "/toolkit/priorities/new", "priorities.new", new_page);
  a.route("GET", "/toolkit/priorities/{id}", "priorities.show", exercise_page);
  a.route("POST", "/toolkit/priorities/{id}/ratings", "priorities.rate", rate_submit);
  a.route("POST", "/toolkit/priorities/{id}/status", "priorities.status", status_submit);
  a.route("GET", "/toolkit/priorities/{id}/initiatives/new", "priorities.initiative_new", initiative_new_page);
  a.route("POST", "/toolkit/priorities/{id}/initiatives", "priorities.initiative_create", initiative_create);
  a.route("GET", "/toolkit/priorities/initiatives/{id}", "priorities.initiative", initiative_page);
  a.route("POST", "/toolkit/priorities/initiatives/{id}/decision", "priorities.decide", decide_submit);
  a.nav({"priorities.nav", "/toolkit", nullptr});
  install_api(a);
}

}  // namespace cp::modules::priorities
