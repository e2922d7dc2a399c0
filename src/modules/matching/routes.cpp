#include <algorithm>

#include "core/util.hpp"
#include "modules/directory/directory.hpp"
#include "modules/matching/matching.hpp"

namespace cp::modules {

namespace {

using app::Ctx;
namespace json = boost::json;
namespace policy = matching_policy;

// Reads a need from the query string. Shape problems (an age that is not a number) are added to
// `problems`; the rest is left to matching::check.
matching::Need need_from_query(Ctx& ctx, std::vector<matching::NeedProblem>& problems, bool days_as_list) {
  matching::Need n;
  n.text = ctx.req.query_param("q");
  n.topic = trim(ctx.req.query_param("topic"));
  n.postcode = ctx.req.query_param("postcode");
  if (auto a = trim(ctx.req.query_param("age")); !a.empty()) {
    auto v = parse_int(a);
    if (!v) problems.push_back({"age", "matching.error_age"});
    else n.age = *v;
  }
  if (auto w = trim(ctx.req.query_param("within")); !w.empty()) {
    auto v = parse_int(w);
    if (!v) problems.push_back({"within", "matching.error_within"});
    else n.within_km = static_cast<double>(*v);
  }
  if (days_as_list) {
    for (const auto& d : split(ctx.req.query_param("days"), ','))
      if (!trim(d).empty()) n.days.push_back(trim(d));
  } else {
    auto range = ctx.req.query.equal_range("days");
    for (auto it = range.first; it != range.second; ++it) n.days.push_back(trim(it->second));
  }
  // The groups the person is in, in the directory's order, once each.
  std::vector<std::string> groups;
  if (days_as_list) {
    for (const auto& g : split(ctx.req.query_param("eligibility"), ','))
      if (!trim(g).empty()) groups.push_back(trim(g));
  } else {
    auto range = ctx.req.query.equal_range("eligibility");
    for (auto it = range.first; it != range.second; ++it)
      if (!trim(it->second).empty()) groups.push_back(trim(it->second));
  }
  for (const auto& g : kEligibilityGroups)
    if (std::find(groups.begin(), groups.end(), g) != groups.end()) n.eligibility.push_back(g);
  for (const auto& g : groups)
    if (std::find(kEligibilityGroups.begin(), kEligibilityGroups.end(), g) == kEligibilityGroups.end()) {
      n.eligibility.push_back(g);  // check() refuses it by name
      break;
    }
  // Days in week order, once each, so the same need always reads the same.
  std::vector<std::string> ordered;
  for (const auto& d : kWeekDays)
    if (std::find(n.days.begin(), n.days.end(), d) != n.days.end()) ordered.push_back(d);
  for (const auto& d : n.days)
    if (std::find(kWeekDays.begin(), kWeekDays.end(), d) == kWeekDays.end()) ordered.push_back(d);
  n.days = ordered;
  return n;
}

std::vector<matching::NeedProblem> check_need(Ctx& ctx, matching::Need& n, const std::vector<directory_store::Term>& terms) {
  auto problems = matching::check(ctx.app, n);
  if (!n.topic.empty() &&
      std::none_of(terms.begin(), terms.end(), [&](const directory_store::Term& t) { return t.id == n.topic; }))
    problems.push_back({"topic", "matching.error_topic"});
  return problems;
}

std::string href_of(const matching::Match& m) {
  if (m.kind == matching::Kind::offer) return "/offers/" + std::to_string(m.id);
  return "/services/" + m.ref;
}

http::Response match_page(Ctx& ctx) {
  if (!policy::can_match(ctx.actor)) return ctx.deny();
  std::vector<directory_store::Term> terms;
  {
    auto w = ctx.read();
    terms = directory_store::terms(w.scope());
  }
  bool asked = ctx.req.query.count("q") > 0;
  std::vector<matching::NeedProblem> problems;
  auto need = need_from_query(ctx, problems, false);
  web::Data d;
  int status = 200;
  if (asked) {
    auto more = check_need(ctx, need, terms);
    problems.insert(problems.end(), more.begin(), more.end());
    if (!problems.empty()) {
      app::FormErrors e;
      for (const auto& p : problems) e.add(p.field == "days" ? "days" : p.field, ctx.t(p.key));
      e.fill(d);
      status = 400;
    } else {
      std::vector<matching::Match> found;
      {
        auto w = ctx.read();
        found = matching::match(w.scope(), need, matching::Viewer(viewer_for(ctx.actor)));
      }
      web::List items;
      for (const auto& m : found) {
        web::Data r;
        r.set("name", m.name);
        r.set("href", href_of(m));
        r.set("kind_label", ctx.t("matching.kind_" + matching::to_string(m.kind)));
        r.set("explanation", matching::explain(ctx.app.catalogue, ctx.lang, m));
        r.set("score", std::to_string(m.score));
        r.set("summary", m.summary.empty() ? web::Data(false) : web::Data(m.summary));
        items.push_back(r);
      }
      d.set("results", items);
      d.set("none", found.empty());
      d.set("count", ctx.t("matching.count", {{"count", std::to_string(found.size())}}));
      d.set("searched", true);
    }
  }
  d.set("q", need.text);
  d.set("postcode", need.postcode);
  d.set("age", ctx.req.query_param("age"));
  d.set("topics", directory_store::topic_options(terms, need.topic, ctx.t("matching.any_topic")));
  d.set("days", day_choices(ctx, need.days));
  web::List groups;
  for (const auto& g : kEligibilityGroups) {
    web::Data o;
    o.set("id", "eligibility-" + g);
    o.set("value", g);
    o.set("label", ctx.t("directory.person_" + g));
    o.set("checked", std::find(need.eligibility.begin(), need.eligibility.end(), g) != need.eligibility.end());
    groups.push_back(o);
  }
  d.set("groups", groups);
  web::List within;
  for (int km : {2, 5, 10, 25, 50}) {
    web::Data o;
    o.set("value", std::to_string(km));
    o.set("label", ctx.t("matching.within_km", {{"km", std::to_string(km)}}));
    o.set("selected", static_cast<int>(need.within_km) == km);
    within.push_back(o);
  }
  d.set("within", within);
  return ctx.page(ctx.t("matching.title"), "matching/match", d, status);
}

http::Response api_match(Ctx& ctx) {
  if (!policy::can_match(ctx.actor)) return ctx.deny();
  std::vector<directory_store::Term> terms;
  {
    auto w = ctx.read();
    terms = directory_store::terms(w.scope());
  }
  std::vector<matching::NeedProblem> problems;
  auto need = need_from_query(ctx, problems, true);
  if (auto l = trim(ctx.req.query_param("limit")); !l.empty()) {
    auto v = parse_int(l);
    if (!v || *v < 1 || *v > 100) problems.push_back({"limit", "matching.error_limit"});
    else need.limit = static_cast<std::size_t>(*v);
  }
  auto more = check_need(ctx, need, terms);
  problems.insert(problems.end(), more.begin(), more.end());
  if (!problems.empty()) {
    json::array errors;
    for (const auto& p : problems) errors.push_back(json::object{{"field", p.field}, {"message", ctx.t(p.key)}});
    bool unknown_place = std::any_of(problems.begin(), problems.end(),
                                     [](const auto& p) { return p.key == "matching.error_postcode_unknown"; });
    return ctx.problem(400, ctx.t(unknown_place ? "matching.api_place_title" : "matching.api_invalid_title"),
                       ctx.t(problems.front().key), {{"errors", errors}});
  }
  std::vector<matching::Match> found;
  {
    auto w = ctx.read();
    found = matching::match(w.scope(), need, matching::Viewer(viewer_for(ctx.actor)));
  }
  json::array items;
  for (const auto& m : found) {
    json::object o;
    o["kind"] = matching::to_string(m.kind);
    if (m.kind == matching::Kind::offer) o["offer_id"] = m.id;
    else o["service_id"] = m.ref;
    o["name"] = m.name;
    o["score"] = m.score;
    if (m.distance_m) o["distance"] = static_cast<std::int64_t>(std::llround(*m.distance_m));
    o["explanation"] = matching::explain(ctx.app.catalogue, ctx.lang, m);
    json::array reasons;
    for (const auto& r : m.reasons) {
      matching::Match one;
      one.reasons = {r};
      reasons.push_back(json::object{{"text", matching::explain(ctx.app.catalogue, ctx.lang, one)}, {"points", r.points}});
    }
    o["reasons"] = reasons;
    o["href"] = href_of(m);
    items.push_back(o);
  }
  json::object need_json;
  need_json["q"] = need.text;
  need_json["topic"] = need.topic;
  need_json["postcode"] = need.postcode;
  if (need.age) need_json["age"] = *need.age;
  json::array days;
  for (const auto& d : need.days) days.push_back(json::value(d));
  need_json["days"] = days;
  json::array groups;
  for (const auto& g : need.eligibility) groups.push_back(json::value(g));
  need_json["eligibility"] = groups;
  need_json["within_km"] = static_cast<std::int64_t>(need.within_km);
  json::object out;
  out["need"] = need_json;
  out["items"] = items;
  return ctx.json(200, out);
}

}  // namespace

void MatchingModule::install(app::App& a) {
  a.route("GET", "/match", "matching.page", match_page);
  a.route("GET", "/api/v1/match", "api.matching.match", api_match, app::RouteKind::api);
  a.nav({"matching.nav", "/match", [](const Ctx& c) { return policy::can_match(c.actor); }});
}

}  // namespace cp::modules
