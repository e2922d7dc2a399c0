// The star's pages: the list of audits, starting (or repeating) one, taking part, the results with
// the star chart and its table, the pockets list, the comparison with an earlier audit, and closing.
#include <algorithm>
#include <map>

#include "core/util.hpp"
#include "modules/directory/directory.hpp"
#include "modules/organisations/organisations.hpp"
#include "modules/star/star.hpp"
#include "web/format.hpp"

namespace cp::modules::star {

namespace {

using app::Ctx;
using app::FormErrors;

constexpr std::size_t kMaxTitle = 200, kMaxPeriod = 40, kMaxText = 2000;

std::optional<std::int64_t> id_param(Ctx& ctx) {
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

bool known(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

std::string base(std::int64_t id) { return "/toolkit/star/" + std::to_string(id); }

std::string co_label(Ctx& ctx, int i) { return ctx.t("star.co_" + kCos[static_cast<std::size_t>(i)]); }
std::string group_label(Ctx& ctx, const std::string& g) { return ctx.t("star.group_" + g); }
std::string level_label(Ctx& ctx, int level) { return ctx.t("star.level_" + kLevels[static_cast<std::size_t>(level - 1)]); }

std::string subject_text(Ctx& ctx, const Audit& a) {
  if (a.subject_kind == "partnership") return ctx.t("star.subject_partnership_named", {{"name", a.subject_name}});
  return ctx.t("star.subject_" + a.subject_kind + "_named", {{"name", a.subject_name}});
}

web::Data audit_data(Ctx& ctx, const Audit& a) {
  web::Data d;
  d.set("id", std::to_string(a.id));
  d.set("href", base(a.id));
  d.set("title", a.title);
  d.set("period", a.period);
  d.set("subject", subject_text(ctx, a));
  d.set("open", a.open());
  d.set("status_label", ctx.t(a.open() ? "star.status_open" : "star.status_closed"));
  d.set("status_class", std::string(a.open() ? "govuk-tag--blue" : "govuk-tag--grey"));
  d.set("started", web::format_date(ctx.lang, a.created_at));
  if (a.closed_at) d.set("closed", web::format_date(ctx.lang, *a.closed_at));
  return d;
}

// "3.5 (engaging)" or "no answers".
std::string cell_text(Ctx& ctx, const Cell& c) {
  if (c.empty()) return ctx.t("star.no_answers");
  return ctx.t("star.mean_rung", {{"mean", format_tenths(c.tenths())}, {"rung", level_label(ctx, std::max(1, c.rung()))}});
}

std::string names_of(Ctx& ctx, const std::vector<int>& cos) {
  std::string out;
  for (std::size_t i = 0; i < cos.size(); ++i) {
    if (i) out += i + 1 == cos.size() ? " " + ctx.t("star.and") + " " : ", ";
    out += co_label(ctx, cos[i]);
  }
  return out;
}

// A sentence per series for the chart's description: "Everyone: Co-commissioning 2.5, ...".
std::string describe(Ctx& ctx, const std::vector<Series>& series) {
  std::string out;
  for (const auto& s : series) {
    out += s.label + ": ";
    for (int i = 0; i < kCoCount; ++i) {
      const auto& c = s.cells[static_cast<std::size_t>(i)];
      out += co_label(ctx, i) + " " + (c.empty() ? ctx.t("star.no_answers") : format_tenths(c.tenths()));
      out += i + 1 < kCoCount ? ", " : ". ";
    }
  }
  return out;
}

std::array<std::string, kCoCount> axis_labels(Ctx& ctx) {
  std::array<std::string, kCoCount> out;
  for (int i = 0; i < kCoCount; ++i) out[static_cast<std::size_t>(i)] = co_label(ctx, i);
  return out;
}

// The groups that answered, each with its style, then everyone (style 4).
std::vector<std::pair<const GroupResult*, int>> shown_groups(const Results& r) {
  std::vector<std::pair<const GroupResult*, int>> out;
  for (std::size_t i = 0; i < r.groups.size(); ++i)
    if (r.groups[i].respondents > 0) out.push_back({&r.groups[i], static_cast<int>(i)});
  out.push_back({&r.overall, 4});
  return out;
}

// The chart, its legend, the table and the strongest/weakest summary for one audit's results.
web::Data results_data(Ctx& ctx, const Results& r, const std::string& chart_title) {
  web::Data d;
  auto shown = shown_groups(r);
  std::vector<Series> series;
  web::List legend, columns, summary;
  for (const auto& [g, style] : shown) {
    series.push_back({group_label(ctx, g->group), style, g->cells});
    web::Data l;
    l.set("key", legend_key_svg(style));
    l.set("label", group_label(ctx, g->group));
    l.set("people", ctx.t("star.people_count", {{"count", web::format_number(ctx.lang, g->respondents)}}));
    legend.push_back(l);
    web::Data c;
    c.set("label", group_label(ctx, g->group));
    c.set("people", web::format_number(ctx.lang, g->respondents));
    columns.push_back(c);
    web::Data s;
    s.set("group", group_label(ctx, g->group));
    if (g->strongest.empty()) {
      s.set("line", ctx.t("star.summary_none"));
    } else if (g->strongest == g->weakest) {
      s.set("line", g->strongest.size() == 1 ? ctx.t("star.summary_one", {{"co", names_of(ctx, g->strongest)}})
                                             : ctx.t("star.summary_all_same", {{"cos", names_of(ctx, g->strongest)}}));
    } else {
      s.set("line", ctx.t("star.summary_line", {{"strongest", names_of(ctx, g->strongest)},
                                                {"weakest", names_of(ctx, g->weakest)}}));
    }
    summary.push_back(s);
  }
  d.set("chart", radar_svg(series, axis_labels(ctx), ctx.t("star.no_answers"), chart_title, describe(ctx, series)));
  d.set("legend", legend);
  d.set("columns", columns);
  d.set("summary", summary);
  web::List rows;
  for (int i = 0; i < kCoCount; ++i) {
    web::Data row;
    row.set("co", co_label(ctx, i));
    web::List cells;
    for (const auto& [g, style] : shown) {
      const auto& c = g->cells[static_cast<std::size_t>(i)];
      web::Data x;
      x.set("label", group_label(ctx, g->group));
      x.set("text", cell_text(ctx, c));
      x.set("empty", c.empty());
      x.set("answers", ctx.t("star.answers_count", {{"count", web::format_number(ctx.lang, c.n)}}));
      cells.push_back(x);
    }
    row.set("cells", cells);
    rows.push_back(row);
  }
  d.set("rows", rows);
  d.set("respondents", web::format_number(ctx.lang, r.respondents));
  d.set("nobody", r.respondents == 0);
  return d;
}

web::List ladder(Ctx& ctx) {
  web::List out;
  for (int level = 1; level <= 5; ++level) {
    web::Data l;
    l.set("number", std::to_string(level));
    l.set("name", level_label(ctx, level));
    l.set("meaning", ctx.t("star.level_" + kLevels[static_cast<std::size_t>(level - 1)] + "_meaning"));
    out.push_back(l);
  }
  return out;
}

web::List cos_explained(Ctx& ctx) {
  web::List out;
  for (int i = 0; i < kCoCount; ++i) {
    web::Data c;
    c.set("name", co_label(ctx, i));
    c.set("meaning", ctx.t("star.co_" + kCos[static_cast<std::size_t>(i)] + "_meaning"));
    out.push_back(c);
  }
  return out;
}

web::List evidence_data(Ctx& ctx, store::Scope& s, const Audit& a) {
  web::List out;
  auto w = window_of(a.period);
  for (const auto& f : evidence(s, a, now_seconds())) {
    web::Data e;
    e.set("co", co_label(ctx, f.co));
    std::vector<std::pair<std::string, std::string>> args = {{"count", web::format_number(ctx.lang, f.count)},
                                                             {"total", web::format_number(ctx.lang, f.total)}};
    std::string text;
    if (f.key == "star.evidence_plans") {
      if (f.total == 0) text = ctx.t("star.evidence_plans_none");
      else {
        args.push_back({"percent", std::to_string((200 * f.count + f.total) / (2 * f.total))});
        text = ctx.t(f.key, args);
      }
    } else {
      text = ctx.t(f.key, args);
    }
    e.set("text", text);
    e.set("when", w.all_time ? ctx.t("star.evidence_all_time") : ctx.t("star.evidence_in_period", {{"period", a.period}}));
    out.push_back(e);
  }
  return out;
}

// ------------------------------------------------------------------ list

http::Response list_page(Ctx& ctx) {
  if (!policy::can_view(ctx.actor)) return ctx.deny();
  web::Data d;
  web::List items;
  {
    auto w = ctx.read();
    for (const auto& a : star_store::list(w.scope())) items.push_back(audit_data(ctx, a));
  }
  d.set("audits", items);
  d.set("none", items.empty());
  d.set("can_manage", policy::can_manage(ctx.actor));
  d.set("ladder", ladder(ctx));
  d.set("cos", cos_explained(ctx));
  return ctx.page(ctx.t("star.title"), "star/list", d);
}

// ------------------------------------------------------------------ start or repeat an audit

struct AuditForm {
  std::string subject_kind, organisation, service, title, period, repeat_of;
};

http::Response new_render(Ctx& ctx, const AuditForm& in, const std::optional<Audit>& repeat, const FormErrors& errors,
                          int status) {
  web::Data d;
  errors.fill(d);
  d.set("title_value", in.title);
  d.set("period_value", in.period);
  if (repeat) {
    d.set("repeat", true);
    d.set("repeat_of", std::to_string(repeat->id));
    d.set("repeat_title", repeat->title);
    d.set("repeat_period", repeat->period);
    d.set("repeat_href", base(repeat->id));
    d.set("subject", subject_text(ctx, *repeat));
  } else {
    web::List kinds;
    bool first = true;
    auto w = ctx.read();
    for (const auto& k : kSubjects) {
      web::Data o;
      o.set("value", k);
      o.set("label", ctx.t("star.subject_" + k));
      o.set("checked", in.subject_kind == k);
      o.set("input_id", first ? std::string("subject_kind") : "subject_kind-" + k);
      o.set("is_organisation", k == "organisation");
      o.set("is_service", k == "service");
      first = false;
      kinds.push_back(o);
    }
    d.set("kinds", kinds);
    web::List orgs;
    for (const auto& o : organisations_store::list(w.scope(), "", 1, 1000).items) {
      web::Data x;
      x.set("value", std::to_string(o.id));
      x.set("label", o.name);
      x.set("selected", in.organisation == std::to_string(o.id));
      orgs.push_back(x);
    }
    d.set("organisations", orgs);
    web::List services;
    for (const auto& b : directory_store::briefs(w.scope())) {
      web::Data x;
      x.set("value", std::to_string(b.id));
      x.set("label", b.name);
      x.set("selected", in.service == std::to_string(b.id));
      services.push_back(x);
    }
    d.set("services", services);
  }
  ctx.csrf();
  return ctx.page(ctx.t(repeat ? "star.repeat_title" : "star.new_title"), "star/new", d, status);
}

http::Response new_page(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  AuditForm in;
  std::optional<Audit> repeat;
  if (auto r = parse_int(ctx.req.query_param("repeat")); r && *r > 0) {
    auto w = ctx.read();
    repeat = star_store::get(w.scope(), *r);
    if (!repeat) return ctx.not_found();
    in.title = repeat->title;
    in.period = next_period(repeat->period);
  }
  return new_render(ctx, in, repeat, {}, 200);
}

http::Response create_submit(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  AuditForm in;
  in.subject_kind = ctx.field("subject_kind");
  in.organisation = ctx.field("organisation");
  in.service = ctx.field("service");
  in.title = ctx.field("title");
  in.period = ctx.field("period");
  in.repeat_of = ctx.field("repeat_of");
  auto w = ctx.work();
  std::optional<Audit> repeat;
  if (!in.repeat_of.empty()) {
    auto r = parse_int(in.repeat_of);
    if (r && *r > 0) repeat = star_store::get(w.scope(), *r);
    if (!repeat) return ctx.not_found();
  }
  FormErrors e;
  NewAudit a;
  if (repeat) {
    // A repeat is of the same subject, whatever the form says.
    a.subject_kind = repeat->subject_kind;
    a.subject_id = repeat->subject_id;
    a.subject_name = repeat->subject_name;
    a.previous_id = repeat->id;
  } else if (!known(kSubjects, in.subject_kind)) {
    e.add("subject_kind", ctx.t("star.error_subject"));
  } else {
    a.subject_kind = in.subject_kind;
    if (in.subject_kind == "partnership") {
      a.subject_name = ctx.partnership.name;
    } else if (in.subject_kind == "organisation") {
      auto id = parse_int(in.organisation);
      std::optional<Organisation> o;
      if (id && *id > 0) o = organisations_store::get(w.scope(), *id);
      if (!o || o->archived) e.add("organisation", ctx.t("star.error_organisation"));
      else {
        a.subject_id = o->id;
        a.subject_name = o->name;
      }
    } else {
      auto id = parse_int(in.service);
      std::optional<directory_store::ServiceBrief> sv;
      if (id && *id > 0) sv = directory_store::brief(w.scope(), *id);
      if (!sv) e.add("service", ctx.t("star.error_service"));
      else {
        a.subject_id = sv->id;
        a.subject_name = sv->name;
      }
    }
  }
  if (in.title.empty()) e.add("title", ctx.t("star.error_title"));
  else if (in.title.size() > kMaxTitle) e.add("title", ctx.t("star.error_title_long"));
  if (in.period.empty()) e.add("period", ctx.t("star.error_period"));
  else if (in.period.size() > kMaxPeriod) e.add("period", ctx.t("star.error_period_long"));
  if (e.any()) return new_render(ctx, in, repeat, e, 400);
  a.title = in.title;
  a.period = in.period;
  auto id = star_store::create(w.scope(), a, ctx.actor->user_id);
  w.commit();
  ctx.set_flash("star.flash_created");
  return http::Response::redirect(base(id));
}

// ------------------------------------------------------------------ results

http::Response show_page(Ctx& ctx) {
  if (!policy::can_view(ctx.actor)) return ctx.deny();
  auto id = id_param(ctx);
  if (!id) return ctx.not_found();
  auto w = ctx.read();
  auto a = star_store::get(w.scope(), *id);
  if (!a) return ctx.not_found();
  auto r = star_store::results(w.scope(), a->id);
  web::Data d = audit_data(ctx, *a);
  auto res = results_data(ctx, r, ctx.t("star.chart_title", {{"title", a->title}, {"period", a->period}}));
  d.set("results", res);
  d.set("evidence", evidence_data(ctx, w.scope(), *a));
  auto mine = star_store::response_of(w.scope(), a->id, ctx.actor->user_id);
  d.set("answered", mine.has_value());
  d.set("can_respond", a->open() && policy::can_respond(ctx.actor));
  bool manage = policy::can_manage(ctx.actor);
  d.set("can_manage", manage);
  d.set("can_close", manage && a->open());
  d.set("has_others", !star_store::same_subject(w.scope(), *a).empty());
  if (manage) ctx.csrf();
  return ctx.page(a->title, "star/show", d);
}

// ------------------------------------------------------------------ taking part

struct ResponseForm {
  std::string group;
  std::array<std::string, kCoCount> level;  // "1".."5", "dont_know" or ""
  std::array<std::string, kCoCount> examples, evidence;
};

std::string default_group(const std::optional<auth::Actor>& a) {
  if (!a) return "";
  if (a->has(auth::Role::person)) return "citizen";
  if (a->has(auth::Role::councillor)) return "councillor";
  if (a->has(auth::Role::worker)) return "frontline";
  if (a->has(auth::Role::manager) || a->has(auth::Role::admin) || a->has(auth::Role::commissioner)) return "manager";
  return "";
}

http::Response respond_render(Ctx& ctx, const Audit& a, const ResponseForm& in, bool existing, const FormErrors& errors,
                              int status) {
  web::Data d = audit_data(ctx, a);
  errors.fill(d);
  d.set("existing", existing);
  web::List groups;
  bool first = true;
  for (const auto& g : kGroups) {
    web::Data o;
    o.set("value", g);
    o.set("label", group_label(ctx, g));
    o.set("hint", ctx.t("star.group_" + g + "_hint"));
    o.set("checked", in.group == g);
    o.set("input_id", first ? std::string("group") : "group-" + g);
    first = false;
    groups.push_back(o);
  }
  d.set("groups", groups);
  web::List cos;
  for (int i = 0; i < kCoCount; ++i) {
    const auto& co = kCos[static_cast<std::size_t>(i)];
    web::Data c;
    c.set("co", co);
    c.set("name", co_label(ctx, i));
    c.set("meaning", ctx.t("star.co_" + co + "_meaning"));
    c.set("legend", ctx.t("star.level_legend", {{"co", co_label(ctx, i)}}));
    c.set("examples_label", ctx.t("star.field_examples", {{"co", co_label(ctx, i)}}));
    c.set("evidence_label", ctx.t("star.field_evidence", {{"co", co_label(ctx, i)}}));
    std::string lf = "level_" + co, ef = "examples_" + co, vf = "evidence_" + co;
    c.set("level_field", lf);
    c.set("examples_field", ef);
    c.set("evidence_field", vf);
    c.set("examples_value", in.examples[static_cast<std::size_t>(i)]);
    c.set("evidence_value", in.evidence[static_cast<std::size_t>(i)]);
    auto err = errors.of(lf);
    if (!err.empty()) c.set("level_error", err);
    auto err_e = errors.of(ef);
    if (!err_e.empty()) c.set("examples_error", err_e);
    auto err_v = errors.of(vf);
    if (!err_v.empty()) c.set("evidence_error", err_v);
    web::List options;
    for (int level = 1; level <= 5; ++level) {
      web::Data o;
      o.set("value", std::to_string(level));
      o.set("label", std::to_string(level) + ". " + level_label(ctx, level));
      o.set("hint", ctx.t("star.level_" + kLevels[static_cast<std::size_t>(level - 1)] + "_meaning"));
      o.set("checked", in.level[static_cast<std::size_t>(i)] == std::to_string(level));
      o.set("input_id", level == 1 ? lf : lf + "-" + std::to_string(level));
      options.push_back(o);
    }
    c.set("options", options);
    c.set("dont_know_id", lf + "-dont-know");
    c.set("dont_know_checked", in.level[static_cast<std::size_t>(i)] == "dont_know");
    cos.push_back(c);
  }
  d.set("cos", cos);
  ctx.csrf();
  return ctx.page(ctx.t("star.respond_title", {{"title", a.title}}), "star/respond", d, status);
}

http::Response respond_page(Ctx& ctx) {
  if (!policy::can_respond(ctx.actor)) return ctx.deny();
  auto id = id_param(ctx);
  if (!id) return ctx.not_found();
  std::optional<Audit> a;
  std::optional<Response> mine;
  {
    auto w = ctx.read();
    a = star_store::get(w.scope(), *id);
    if (a) mine = star_store::response_of(w.scope(), a->id, ctx.actor->user_id);
  }
  if (!a) return ctx.not_found();
  if (!a->open()) {
    ctx.set_flash("star.flash_closed");
    return http::Response::redirect(base(a->id));
  }
  ResponseForm in;
  in.group = mine ? mine->group : default_group(ctx.actor);
  if (mine)
    for (int i = 0; i < kCoCount; ++i) {
      const auto& r = mine->ratings[static_cast<std::size_t>(i)];
      in.level[static_cast<std::size_t>(i)] = r.level ? std::to_string(*r.level) : "dont_know";
      in.examples[static_cast<std::size_t>(i)] = r.examples;
      in.evidence[static_cast<std::size_t>(i)] = r.evidence;
    }
  return respond_render(ctx, *a, in, mine.has_value(), {}, 200);
}

http::Response respond_submit(Ctx& ctx) {
  if (!policy::can_respond(ctx.actor)) return ctx.deny();
  auto id = id_param(ctx);
  if (!id) return ctx.not_found();
  ResponseForm in;
  in.group = ctx.field("group");
  for (int i = 0; i < kCoCount; ++i) {
    const auto& co = kCos[static_cast<std::size_t>(i)];
    in.level[static_cast<std::size_t>(i)] = ctx.field("level_" + co);
    in.examples[static_cast<std::size_t>(i)] = ctx.field("examples_" + co);
    in.evidence[static_cast<std::size_t>(i)] = ctx.field("evidence_" + co);
  }
  auto w = ctx.work();
  auto a = star_store::get(w.scope(), *id);
  if (!a) return ctx.not_found();
  bool existing = star_store::response_of(w.scope(), a->id, ctx.actor->user_id).has_value();
  FormErrors e;
  if (!a->open()) e.add("group", ctx.t("star.error_closed"));
  if (!known(kGroups, in.group)) e.add("group", ctx.t("star.error_group"));
  std::array<Rating, kCoCount> ratings;
  for (int i = 0; i < kCoCount; ++i) {
    auto k = static_cast<std::size_t>(i);
    const auto& co = kCos[k];
    const auto& v = in.level[k];
    if (v == "dont_know") {
      ratings[k].level = std::nullopt;
    } else if (auto n = parse_int(v); n && *n >= 1 && *n <= 5 && v.size() == 1) {
      ratings[k].level = static_cast<int>(*n);
    } else {
      e.add("level_" + co, ctx.t("star.error_level", {{"co", co_label(ctx, i)}}));
    }
    if (in.examples[k].size() > kMaxText) e.add("examples_" + co, ctx.t("star.error_text_long"));
    if (in.evidence[k].size() > kMaxText) e.add("evidence_" + co, ctx.t("star.error_text_long"));
    ratings[k].examples = in.examples[k];
    ratings[k].evidence = in.evidence[k];
  }
  if (e.any()) return respond_render(ctx, *a, in, existing, e, a->open() ? 400 : 409);
  auto saved = star_store::save_response(w.scope(), a->id, ctx.actor->user_id, in.group, ratings);
  if (saved == star_store::Saved::not_found) return ctx.not_found();
  if (saved == star_store::Saved::closed) {
    e.add("group", ctx.t("star.error_closed"));
    return respond_render(ctx, *a, in, existing, e, 409);
  }
  w.commit();
  ctx.set_flash(saved == star_store::Saved::created ? "star.flash_saved" : "star.flash_changed");
  return http::Response::redirect(base(a->id));
}

// ------------------------------------------------------------------ pockets

http::Response pockets_page(Ctx& ctx) {
  if (!policy::can_view(ctx.actor)) return ctx.deny();
  auto id = id_param(ctx);
  if (!id) return ctx.not_found();
  auto w = ctx.read();
  auto a = star_store::get(w.scope(), *id);
  if (!a) return ctx.not_found();
  web::Data d = audit_data(ctx, *a);
  auto all = star_store::responses(w.scope(), a->id);
  web::List cos;
  for (int i = 0; i < kCoCount; ++i) {
    web::List happening, not_yet;
    for (const auto& r : all) {
      const auto& rating = r.ratings[static_cast<std::size_t>(i)];
      if (!rating.level || rating.examples.empty()) continue;
      if (*rating.level == 3) continue;
      web::Data x;
      x.set("text", rating.examples);
      if (!rating.evidence.empty()) x.set("evidence", rating.evidence);
      x.set("who", ctx.t("star.pocket_who", {{"group", group_label(ctx, r.group)}, {"level", level_label(ctx, *rating.level)}}));
      (*rating.level >= 4 ? happening : not_yet).push_back(x);
    }
    web::Data c;
    c.set("name", co_label(ctx, i));
    c.set("anchor", "co-" + kCos[static_cast<std::size_t>(i)]);
    c.set("happening", happening);
    c.set("not_yet", not_yet);
    c.set("no_happening", happening.empty());
    c.set("no_not_yet", not_yet.empty());
    cos.push_back(c);
  }
  d.set("cos", cos);
  return ctx.page(ctx.t("star.pockets_title", {{"title", a->title}}), "star/pockets", d);
}

// ------------------------------------------------------------------ over time

http::Response compare_page(Ctx& ctx) {
  if (!policy::can_view(ctx.actor)) return ctx.deny();
  auto id = id_param(ctx);
  if (!id) return ctx.not_found();
  auto w = ctx.read();
  auto a = star_store::get(w.scope(), *id);
  if (!a) return ctx.not_found();
  auto others = star_store::same_subject(w.scope(), *a);
  web::Data d = audit_data(ctx, *a);
  std::optional<Audit> other;
  auto chosen = parse_int(ctx.req.query_param("with"));
  for (const auto& o : others)
    if (chosen ? o.id == *chosen : (a->previous_id ? o.id == *a->previous_id : false)) other = o;
  if (!other && !chosen) {
    // With nothing chosen: the audit this one repeats, else the newest one before it, else any.
    for (const auto& o : others)
      if (o.created_at <= a->created_at) {
        other = o;
        break;
      }
    if (!other && !others.empty()) other = others.front();
  }
  if (chosen && !other) return ctx.not_found();
  web::List choices;
  for (const auto& o : others) {
    web::Data c;
    c.set("value", std::to_string(o.id));
    c.set("label", o.title + " (" + o.period + ")");
    c.set("selected", other && other->id == o.id);
    choices.push_back(c);
  }
  d.set("choices", choices);
  d.set("no_others", others.empty());
  if (other) {
    // Earlier on the left.
    bool a_first = a->created_at < other->created_at || (a->created_at == other->created_at && a->id < other->id);
    const Audit& earlier = a_first ? *a : *other;
    const Audit& later = a_first ? *other : *a;
    auto re = star_store::results(w.scope(), earlier.id);
    auto rl = star_store::results(w.scope(), later.id);
    auto de = results_data(ctx, re, ctx.t("star.chart_title", {{"title", earlier.title}, {"period", earlier.period}}));
    de.set("audit", audit_data(ctx, earlier));
    auto dl = results_data(ctx, rl, ctx.t("star.chart_title", {{"title", later.title}, {"period", later.period}}));
    dl.set("audit", audit_data(ctx, later));
    d.set("earlier", de);
    d.set("later", dl);
    d.set("earlier_period", earlier.period);
    d.set("later_period", later.period);
    web::List groups;
    auto add = [&](const GroupResult& ge, const GroupResult& gl) {
      if (ge.respondents == 0 && gl.respondents == 0) return;
      web::Data g;
      g.set("label", group_label(ctx, ge.group));
      web::List rows;
      for (int i = 0; i < kCoCount; ++i) {
        const auto& ce = ge.cells[static_cast<std::size_t>(i)];
        const auto& cl = gl.cells[static_cast<std::size_t>(i)];
        web::Data row;
        row.set("co", co_label(ctx, i));
        row.set("before", cell_text(ctx, ce));
        row.set("after", cell_text(ctx, cl));
        row.set("before_n", ctx.t("star.answers_count", {{"count", web::format_number(ctx.lang, ce.n)}}));
        row.set("after_n", ctx.t("star.answers_count", {{"count", web::format_number(ctx.lang, cl.n)}}));
        std::string change;
        if (ce.empty() || cl.empty()) change = ctx.t("star.change_cannot");
        else {
          auto t = change_tenths(ce, cl);
          change = t == 0 ? ctx.t("star.change_none")
                          : ctx.t(t > 0 ? "star.change_up" : "star.change_down", {{"change", format_tenths(t < 0 ? -t : t)}});
        }
        row.set("change", change);
        rows.push_back(row);
      }
      g.set("rows", rows);
      groups.push_back(g);
    };
    for (std::size_t i = 0; i < kGroups.size(); ++i) add(re.groups[i], rl.groups[i]);
    add(re.overall, rl.overall);
    d.set("changes", groups);
    d.set("compared", true);
  }
  return ctx.page(ctx.t("star.compare_title", {{"title", a->title}}), "star/compare", d);
}

// ------------------------------------------------------------------ closing

http::Response close_submit(Ctx& ctx) {
  if (!policy::can_manage(ctx.actor)) return ctx.deny();
  auto id = id_param(ctx);
  if (!id) return ctx.not_found();
  auto w = ctx.work();
  auto a = star_store::get(w.scope(), *id);
  if (!a) return ctx.not_found();
  bool closed = star_store::close(w.scope(), a->id);
  w.commit();
  ctx.set_flash(closed ? "star.flash_closed_now" : "star.flash_closed");
  return http::Response::redirect(base(a->id));
}

}  // namespace

void install_routes(app::App& a) {
  a.route("GET", "/toolkit/star", "star.list", list_page);
  a.route("GET", "/toolkit/star/new", "star.new", new_page);
  a.route("POST", "/toolkit/star", "star.create", create_submit);
  a.route("GET", "/toolkit/star/{id}", "star.show", show_page);
  a.route("GET", "/toolkit/star/{id}/respond", "star.respond", respond_page);
  a.route("POST", "/toolkit/star/{id}/respond", "star.respond_save", respond_submit);
  a.route("GET", "/toolkit/star/{id}/pockets", "star.pockets", pockets_page);
  a.route("GET", "/toolkit/star/{id}/compare", "star.compare", compare_page);
  a.route("POST", "/toolkit/star/{id}/close", "star.close", close_submit);
  install_api(a);
}

void StarModule::install(app::App& a) { install_routes(a); }

}  // namespace cp::modules::star
