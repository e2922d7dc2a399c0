// The priority matrix as read-only JSON, for the same people as the pages (anyone signed in to the
// partnership): GET /api/v1/toolkit/priorities lists every exercise with its initiatives, each with
// its averages kept exactly (sum and count) beside the mean, its quadrant under the exercise's
// second axis, and the decision that stands (with its reason and owner). ?exercise=ID narrows it
// to one exercise. Errors are RFC 9457 problem details.
#include <map>

#include "core/util.hpp"
#include "modules/priorities/priorities.hpp"

namespace cp::modules::priorities {

namespace {

namespace json = boost::json;
using app::Ctx;

json::value mean_json(const Mean& m) {
  json::object o;
  o["sum"] = m.sum;
  o["count"] = m.n;
  if (m.known()) o["mean"] = m.value();
  else o["mean"] = nullptr;
  return o;
}

json::object exercise_json(store::Scope& s, const Exercise& ex) {
  json::object o;
  o["id"] = ex.id;
  o["title"] = ex.title;
  o["intro"] = ex.intro;
  o["status"] = ex.status;
  o["axis"] = ex.axis;
  o["created_at"] = ex.created_at;
  std::map<std::int64_t, Decision> latest;
  for (const auto& d : store_fn::latest_decisions(s, ex.id)) latest[d.initiative_id] = d;
  json::array items;
  for (const auto& p : compute(store_fn::initiatives(s, ex.id), store_fn::ratings(s, ex.id), ex.axis)) {
    json::object i;
    i["id"] = p.initiative.id;
    i["number"] = p.initiative.number;
    i["title"] = p.initiative.title;
    i["title_cy"] = p.initiative.title_cy;
    i["description"] = p.initiative.description;
    i["description_cy"] = p.initiative.description_cy;
    if (p.initiative.idea_id) i["idea_id"] = *p.initiative.idea_id;
    else i["idea_id"] = nullptr;
    i["impact"] = mean_json(p.impact);
    // The second average is named after the axis it measures.
    i[ex.axis] = mean_json(p.effort);
    i["raters"] = p.raters;
    i["quadrant"] = to_string(p.quadrant);
    if (auto it = latest.find(p.initiative.id); it != latest.end()) {
      i["decision"] = json::object{{"decision", it->second.decision},
                                   {"reason", it->second.reason},
                                   {"owner", it->second.owner},
                                   {"decided_at", it->second.decided_at}};
    } else {
      i["decision"] = nullptr;
    }
    items.push_back(std::move(i));
  }
  o["initiatives"] = std::move(items);
  return o;
}

http::Response api_priorities(Ctx& ctx) {
  if (!policy::can_view(ctx.actor)) return ctx.deny();
  auto raw = trim(ctx.req.query_param("exercise"));
  std::optional<std::int64_t> only;
  if (!raw.empty()) {
    auto n = parse_int(raw);
    if (!n || *n <= 0)
      return ctx.problem(400, ctx.t("priorities.api_bad_request_title"), ctx.t("priorities.api_bad_exercise"),
                         {{"errors", json::array{json::object{{"field", "exercise"},
                                                              {"message", ctx.t("priorities.api_bad_exercise")}}}}});
    only = *n;
  }
  auto w = ctx.read();
  json::array out;
  if (only) {
    auto ex = store_fn::exercise(w.scope(), *only);
    if (!ex) return ctx.problem(404, ctx.t("priorities.api_not_found_title"), ctx.t("priorities.api_no_exercise"));
    out.push_back(exercise_json(w.scope(), *ex));
  } else {
    for (const auto& ex : store_fn::exercises(w.scope())) out.push_back(exercise_json(w.scope(), ex));
  }
  return ctx.json(200, json::object{{"exercises", std::move(out)}});
}

}  // namespace

void install_api(app::App& a) {
  a.route("GET", "/api/v1/toolkit/priorities", "api.toolkit.priorities", api_priorities, app::RouteKind::api);
}

}  // namespace cp::modules::priorities
