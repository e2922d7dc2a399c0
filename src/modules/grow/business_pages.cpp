// Business case pages: the list, one case with its figures, the assumptions and their history.
#include <algorithm>
#include <set>

#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/directory/directory.hpp"
#include "modules/grow/grow.hpp"
#include "modules/grow/web.hpp"
#include "web/format.hpp"

namespace cp::modules::grow {

namespace {

using app::Ctx;
using app::FormErrors;

constexpr std::size_t kMaxText = 300;

bool known(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

std::string assumption_href(std::int64_t id) { return "/toolkit/business-case/assumptions/" + std::to_string(id); }
std::string case_href(std::int64_t id) { return "/toolkit/business-case/" + std::to_string(id); }

std::string per_unit(Ctx& ctx, const Assumption& a) {
  return ctx.t("grow.per_" + a.unit, {{"amount", format_pounds(a.value_pence)}});
}

std::string user_name(store::Scope& s, std::int64_t id) {
  if (id <= 0) return std::string();
  auto c = AccountsModule::contact(s, id);
  return c ? c->name : std::string();
}

web::Data assumption_data(Ctx& ctx, store::Scope& s, const Assumption& a) {
  web::Data d;
  d.set("id", std::to_string(a.id));
  d.set("name", a.name);
  d.set("value", per_unit(ctx, a));
  d.set("source", a.source);
  d.set("href", assumption_href(a.id));
  d.set("updated", web::format_date(ctx.lang, a.updated_at));
  auto who = user_name(s, a.updated_by);
  d.set("updated_by", who.empty() ? ctx.t("grow.someone") : who);
  return d;
}

web::List assumption_options(Ctx& ctx, const std::vector<Assumption>& all, bool hours_only, const std::string& selected) {
  web::List out;
  for (const auto& a : all) {
    if (hours_only && a.unit != "hour") continue;
    web::Data o;
    o.set("value", std::to_string(a.id));
    o.set("label", a.name + " (" + per_unit(ctx, a) + ")");
    o.set("selected", std::to_string(a.id) == selected);
    out.push_back(o);
  }
  return out;
}

web::List select_options(Ctx& ctx, const std::vector<std::string>& values, const std::string& prefix,
                         const std::string& selected) {
  web::List out;
  for (const auto& v : values) {
    web::Data o;
    o.set("value", v);
    o.set("label", ctx.t(prefix + v));
    o.set("selected", v == selected);
    out.push_back(o);
  }
  return out;
}

// ------------------------------------------------------------------ list and new

http::Response list_page(Ctx& ctx) {
  if (!policy::can_use_business_case(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  web::List items;
  for (const auto& c : cases(w.scope())) {
    web::Data d;
    d.set("title", c.title);
    d.set("href", case_href(c.id));
    d.set("summary", c.summary);
    if (c.service_id)
      if (auto sv = directory_store::brief(w.scope(), *c.service_id)) d.set("service", sv->name);
    d.set("updated", web::format_date(ctx.lang, c.updated_at));
    items.push_back(d);
  }
  web::Data d;
  d.set("cases", items);
  d.set("none", items.empty());
  return ctx.page(ctx.t("grow.cases_title"), "grow/cases", d);
}

struct CaseInput {
  std::string title, summary, service;
};

http::Response case_form(Ctx& ctx, const CaseInput& in, const FormErrors& e, int status) {
  web::Data d;
  e.fill(d);
  d.set("title", in.title);
  d.set("summary", in.summary);
  web::List services;
  {
    auto w = ctx.read();
    for (const auto& b : directory_store::briefs(w.scope())) {
      web::Data o;
      o.set("value", std::to_string(b.id));
      o.set("label", b.name);
      o.set("selected", std::to_string(b.id) == in.service);
      services.push_back(o);
    }
  }
  d.set("services", services);
  ctx.csrf();
  return ctx.page(ctx.t("grow.case_new_title"), "grow/case_form", d, status);
}

http::Response new_page(Ctx& ctx) {
  if (!policy::can_use_business_case(ctx.actor)) return ctx.deny();
  return case_form(ctx, {}, {}, 200);
}

http::Response create_submit(Ctx& ctx) {
  if (!policy::can_use_business_case(ctx.actor)) return ctx.deny();
  CaseInput in{ctx.field("title"), ctx.field("summary"), ctx.field("service")};
  FormErrors e;
  if (in.title.empty()) e.add("title", ctx.t("grow.error_case_title"));
  else if (in.title.size() > kMaxText) e.add("title", ctx.t("grow.error_too_long"));
  if (in.summary.size() > 2000) e.add("summary", ctx.t("grow.error_too_long"));
  auto w = ctx.work();
  std::optional<std::int64_t> service;
  if (!in.service.empty()) {
    auto sid = parse_int(in.service);
    if (!sid || !directory_store::brief(w.scope(), *sid)) e.add("service", ctx.t("grow.error_service"));
    else service = *sid;
  }
  if (e.any()) return case_form(ctx, in, e, 400);
  auto id = add_case(w.scope(), in.title, in.summary, service, ctx.actor->user_id);
  w.commit();
  ctx.set_flash("grow.flash_case_added");
  return http::Response::redirect(case_href(id));
}

// ------------------------------------------------------------------ one case

struct CostForm {
  std::string kind, description, hours, rate, amount;
};
struct OutcomeForm {
  std::string description, source = "typed", number, value;
};

http::Response case_render(Ctx& ctx, std::int64_t id, const CostForm& cf, const OutcomeForm& of, const FormErrors& e,
                           int status) {
  auto w = ctx.read();
  auto c = get_case(w.scope(), id);
  if (!c) return ctx.not_found();
  auto all = assumptions(w.scope());
  std::map<std::int64_t, Assumption> by_id;
  for (const auto& a : all) by_id[a.id] = a;
  auto live = live_numbers(w.scope(), c->service_id);
  auto f = figures(costs(w.scope(), id), outcomes(w.scope(), id), by_id, live);

  web::Data d;
  e.fill(d);
  d.set("id", std::to_string(c->id));
  d.set("title", c->title);
  d.set("summary", c->summary);
  d.set("href", case_href(c->id));
  if (c->service_id)
    if (auto sv = directory_store::brief(w.scope(), *c->service_id)) {
      d.set("service", sv->name);
      d.set("service_href", "/services/" + sv->uuid);
    }

  web::List cost_rows;
  for (const auto& x : f.costs) {
    web::Data r;
    r.set("line_id", std::to_string(x.line.id));
    r.set("kind", ctx.t("grow.cost_" + x.line.kind));
    r.set("description", x.line.description);
    r.set("pence", format_pounds(x.pence));
    if (x.line.kind == "staff" || x.line.kind == "volunteer") {
      if (x.line.assumption_id && by_id.count(*x.line.assumption_id)) {
        const auto& a = by_id[*x.line.assumption_id];
        r.set("working", ctx.t("grow.working_hours", {{"hours", format_hours(x.line.hours)}, {"rate", per_unit(ctx, a)}}));
        r.set("assumption_name", a.name);
        r.set("assumption_href", assumption_href(a.id));
      }
    }
    cost_rows.push_back(r);
  }
  d.set("costs", cost_rows);
  d.set("no_costs", cost_rows.empty());

  web::List outcome_rows;
  for (const auto& x : f.outcomes) {
    web::Data r;
    r.set("outcome_id", std::to_string(x.outcome.id));
    r.set("description", x.outcome.description);
    r.set("number", web::format_number(ctx.lang, x.number));
    if (x.outcome.source != "typed") r.set("source", ctx.t("grow.source_" + x.outcome.source));
    if (x.cost_per_outcome) {
      r.set("cost_per", format_pounds(*x.cost_per_outcome));
      r.set("cost_per_working", ctx.t("grow.working_per", {{"total", format_pounds(f.total_pence)},
                                                           {"number", web::format_number(ctx.lang, x.number)}}));
    }
    if (x.value_pence && x.outcome.assumption_id) {
      const auto& a = by_id[*x.outcome.assumption_id];
      r.set("value", format_pounds(*x.value_pence));
      r.set("value_working",
            ctx.t("grow.working_value", {{"number", web::format_number(ctx.lang, x.number)}, {"rate", per_unit(ctx, a)}}));
      r.set("assumption_name", a.name);
      r.set("assumption_href", assumption_href(a.id));
    }
    outcome_rows.push_back(r);
  }
  d.set("outcomes", outcome_rows);
  d.set("no_outcomes", outcome_rows.empty());

  d.set("cash", format_pounds(f.cash_pence));
  d.set("volunteer", format_pounds(f.volunteer_pence));
  d.set("total", format_pounds(f.total_pence));
  d.set("value_total", format_pounds(f.value_pence));
  d.set("net", format_pounds(f.net_pence < 0 ? -f.net_pence : f.net_pence));
  d.set("net_saving", f.net_pence >= 0);
  if (f.per_pound_hundredths) d.set("per_pound", format_pounds(*f.per_pound_hundredths));
  web::List used;
  for (auto aid : f.assumptions_used) used.push_back(assumption_data(ctx, w.scope(), by_id[aid]));
  d.set("used", used);
  d.set("has_used", !used.empty());

  // The two add forms, kept as typed when one is refused.
  d.set("cost_kinds", select_options(ctx, kCostKinds, "grow.cost_", cf.kind));
  d.set("cost_description", cf.description);
  d.set("cost_hours", cf.hours);
  d.set("cost_amount", cf.amount);
  d.set("rates", assumption_options(ctx, all, true, cf.rate));
  d.set("outcome_description", of.description);
  d.set("outcome_number", of.number);
  d.set("values", assumption_options(ctx, all, false, of.value));
  web::List sources;
  for (const auto& src : std::vector<std::string>{"typed"}) {
    web::Data o;
    o.set("value", src);
    o.set("label", ctx.t("grow.source_" + src));
    o.set("selected", of.source == src);
    sources.push_back(o);
  }
  if (c->service_id)
    for (const auto& src : live_sources()) {
      web::Data o;
      o.set("value", src);
      o.set("label", ctx.t("grow.source_" + src));
      o.set("selected", of.source == src);
      sources.push_back(o);
    }
  d.set("sources", sources);
  d.set("has_live", sources.size() > 1);
  ctx.csrf();
  return ctx.page(c->title, "grow/case", d, status);
}

http::Response case_page(Ctx& ctx) {
  if (!policy::can_use_business_case(ctx.actor)) return ctx.deny();
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  return case_render(ctx, *id, {}, {}, {}, 200);
}

http::Response cost_submit(Ctx& ctx) {
  if (!policy::can_use_business_case(ctx.actor)) return ctx.deny();
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  CostForm cf{ctx.field("kind"), ctx.field("description"), ctx.field("hours"), ctx.field("rate"), ctx.field("amount")};
  FormErrors e;
  CostLine line;
  line.kind = cf.kind;
  line.description = cf.description;
  if (!known(kCostKinds, cf.kind)) e.add("cost_kind", ctx.t("grow.error_cost_kind"));
  if (cf.description.size() > kMaxText) e.add("cost_description", ctx.t("grow.error_too_long"));
  auto w = ctx.work();
  if (!get_case(w.scope(), *id)) return ctx.not_found();
  if (cf.kind == "staff" || cf.kind == "volunteer") {
    auto h = parse_hours(cf.hours);
    if (!h || *h == 0) e.add("cost_hours", ctx.t("grow.error_hours"));
    else line.hours = *h;
    auto rid = parse_int(cf.rate);
    auto a = rid ? assumption(w.scope(), *rid) : std::nullopt;
    if (!a || a->unit != "hour") e.add("cost_rate", ctx.t("grow.error_rate"));
    else line.assumption_id = a->id;
  } else if (known(kCostKinds, cf.kind)) {
    auto p = parse_pence(cf.amount);
    if (!p || *p == 0) e.add("cost_amount", ctx.t("grow.error_amount"));
    else line.amount_pence = *p;
    if (cf.description.empty()) e.add("cost_description", ctx.t("grow.error_cost_description"));
  }
  if (e.any()) return case_render(ctx, *id, cf, {}, e, 400);
  add_cost(w.scope(), *id, line);
  w.commit();
  ctx.set_flash("grow.flash_cost_added");
  return http::Response::redirect(case_href(*id) + "#costs");
}

http::Response outcome_submit(Ctx& ctx) {
  if (!policy::can_use_business_case(ctx.actor)) return ctx.deny();
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  OutcomeForm of{ctx.field("description"), ctx.field("source"), ctx.field("number"), ctx.field("value")};
  if (of.source.empty()) of.source = "typed";
  FormErrors e;
  Outcome o;
  o.description = of.description;
  o.source = of.source;
  if (of.description.empty()) e.add("outcome_description", ctx.t("grow.error_outcome_description"));
  else if (of.description.size() > kMaxText) e.add("outcome_description", ctx.t("grow.error_too_long"));
  auto w = ctx.work();
  auto c = get_case(w.scope(), *id);
  if (!c) return ctx.not_found();
  auto sources = live_sources();
  if (of.source != "typed" && (!known(sources, of.source) || !c->service_id)) e.add("outcome_source", ctx.t("grow.error_source"));
  if (of.source == "typed") {
    auto n = parse_count(of.number);
    if (!n) e.add("outcome_number", ctx.t("grow.error_number"));
    else o.number = *n;
  }
  if (!of.value.empty()) {
    auto vid = parse_int(of.value);
    auto a = vid ? assumption(w.scope(), *vid) : std::nullopt;
    if (!a) e.add("outcome_value", ctx.t("grow.error_value"));
    else o.assumption_id = a->id;
  }
  if (e.any()) return case_render(ctx, *id, {}, of, e, 400);
  add_outcome(w.scope(), *id, o);
  w.commit();
  ctx.set_flash("grow.flash_outcome_added");
  return http::Response::redirect(case_href(*id) + "#outcomes");
}

http::Response remove_submit(Ctx& ctx, bool cost) {
  if (!policy::can_use_business_case(ctx.actor)) return ctx.deny();
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  auto item = parse_int(ctx.field(cost ? "line" : "outcome"));
  auto w = ctx.work();
  if (!get_case(w.scope(), *id) || !item) return ctx.not_found();
  bool ok = cost ? remove_cost(w.scope(), *id, *item) : remove_outcome(w.scope(), *id, *item);
  if (!ok) return ctx.not_found();
  w.commit();
  ctx.set_flash("grow.flash_removed_line");
  return http::Response::redirect(case_href(*id) + (cost ? "#costs" : "#outcomes"));
}

// ------------------------------------------------------------------ assumptions

struct AssumptionForm {
  std::string name, unit, value, source;
};

http::Response assumptions_render(Ctx& ctx, const AssumptionForm& in, const FormErrors& e, int status) {
  auto w = ctx.read();
  web::List items;
  for (const auto& a : assumptions(w.scope())) items.push_back(assumption_data(ctx, w.scope(), a));
  web::Data d;
  e.fill(d);
  d.set("assumptions", items);
  d.set("none", items.empty());
  d.set("name", in.name);
  d.set("value_input", in.value);
  d.set("source_input", in.source);
  d.set("units", select_options(ctx, kUnits, "grow.unit_", in.unit));
  ctx.csrf();
  return ctx.page(ctx.t("grow.assumptions_title"), "grow/assumptions", d, status);
}

http::Response assumptions_page(Ctx& ctx) {
  if (!policy::can_use_business_case(ctx.actor)) return ctx.deny();
  return assumptions_render(ctx, {}, {}, 200);
}

void check_value_source(Ctx& ctx, const std::string& value, const std::string& source, FormErrors& e,
                        std::int64_t& pence) {
  auto p = parse_pence(value);
  if (!p) e.add("value", ctx.t("grow.error_amount"));
  else pence = *p;
  if (source.empty()) e.add("source", ctx.t("grow.error_source_note"));
  else if (source.size() > 1000) e.add("source", ctx.t("grow.error_too_long"));
}

http::Response assumption_create(Ctx& ctx) {
  if (!policy::can_use_business_case(ctx.actor)) return ctx.deny();
  AssumptionForm in{ctx.field("name"), ctx.field("unit"), ctx.field("value"), ctx.field("source")};
  FormErrors e;
  std::int64_t pence = 0;
  if (in.name.empty()) e.add("name", ctx.t("grow.error_assumption_name"));
  else if (in.name.size() > 200) e.add("name", ctx.t("grow.error_too_long"));
  if (!known(kUnits, in.unit)) e.add("unit", ctx.t("grow.error_unit"));
  check_value_source(ctx, in.value, in.source, e, pence);
  auto w = ctx.work();
  if (!in.name.empty())
    for (const auto& a : assumptions(w.scope()))
      if (to_lower(a.name) == to_lower(in.name)) e.add("name", ctx.t("grow.error_assumption_taken"));
  if (e.any()) return assumptions_render(ctx, in, e, 400);
  auto id = add_assumption(w.scope(), in.name, in.unit, pence, in.source, ctx.actor->user_id);
  w.commit();
  ctx.set_flash("grow.flash_assumption_added");
  return http::Response::redirect(assumption_href(id));
}

http::Response assumption_render(Ctx& ctx, std::int64_t id, const std::string& value, const std::string& source,
                                 const FormErrors& e, int status) {
  auto w = ctx.read();
  auto a = assumption(w.scope(), id);
  if (!a) return ctx.not_found();
  web::Data d = assumption_data(ctx, w.scope(), *a);
  e.fill(d);
  d.set("version", std::to_string(a->version));
  d.set("unit_label", ctx.t("grow.unit_" + a->unit));
  d.set("value_input", e.any() ? value : format_pounds(a->value_pence).substr(std::string("£").size()));
  d.set("source_input", e.any() ? source : a->source);
  web::List history;
  for (const auto& h : assumption_history(w.scope(), id)) {
    web::Data x;
    x.set("value", per_unit(ctx, Assumption{0, "", a->unit, "", h.value_pence}));
    x.set("source", h.source);
    x.set("when", web::format_date(ctx.lang, h.changed_at));
    auto who = user_name(w.scope(), h.changed_by);
    x.set("who", who.empty() ? ctx.t("grow.someone") : who);
    history.push_back(x);
  }
  d.set("history", history);
  ctx.csrf();
  return ctx.page(a->name, "grow/assumption", d, status);
}

http::Response assumption_page(Ctx& ctx) {
  if (!policy::can_use_business_case(ctx.actor)) return ctx.deny();
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  return assumption_render(ctx, *id, "", "", {}, 200);
}

http::Response assumption_update(Ctx& ctx) {
  if (!policy::can_use_business_case(ctx.actor)) return ctx.deny();
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  auto value = ctx.field("value");
  auto source = ctx.field("source");
  FormErrors e;
  std::int64_t pence = 0;
  check_value_source(ctx, value, source, e, pence);
  if (e.any()) return assumption_render(ctx, *id, value, source, e, 400);
  auto w = ctx.work();
  auto r = change_assumption(w.scope(), *id, pence, source, ctx.actor->user_id, parse_int(ctx.field("version")));
  if (r == Saved::not_found) return ctx.not_found();
  if (r == Saved::conflict) {
    e.add("value", ctx.t("grow.error_conflict"));
    return assumption_render(ctx, *id, value, source, e, 409);
  }
  w.commit();
  ctx.set_flash("grow.flash_assumption_saved");
  return http::Response::redirect(assumption_href(*id));
}

}  // namespace

void install_business_case(app::App& a) {
  a.route("GET", "/toolkit/business-case", "grow.cases", list_page);
  a.route("GET", "/toolkit/business-case/new", "grow.case_new", new_page);
  a.route("POST", "/toolkit/business-case", "grow.case_create", create_submit);
  a.route("GET", "/toolkit/business-case/assumptions", "grow.assumptions", assumptions_page);
  a.route("POST", "/toolkit/business-case/assumptions", "grow.assumption_create", assumption_create);
  a.route("GET", "/toolkit/business-case/assumptions/{id}", "grow.assumption", assumption_page);
  a.route("POST", "/toolkit/business-case/assumptions/{id}", "grow.assumption_update", assumption_update);
  a.route("GET", "/toolkit/business-case/{id}", "grow.case", case_page);
  a.route("POST", "/toolkit/business-case/{id}/costs", "grow.cost_add", cost_submit);
  a.route("POST", "/toolkit/business-case/{id}/outcomes", "grow.outcome_add", outcome_submit);
  a.route("POST", "/toolkit/business-case/{id}/costs/remove", "grow.cost_remove", [](Ctx& c) { return remove_submit(c, true); });
  a.route("POST", "/toolkit/business-case/{id}/outcomes/remove", "grow.outcome_remove",
          [](Ctx& c) { return remove_submit(c, false); });
}

}  // namespace cp::modules::grow
