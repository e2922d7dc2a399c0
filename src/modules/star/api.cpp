// The Co-Production Star as read-only JSON, for the same people as the pages (anyone signed in to
// the partnership; answers are given by actor group, never by name):
//   GET /api/v1/toolkit/star/audits       every audit, newest first, with its number of respondents
//   GET /api/v1/toolkit/star/audits/{id}  one audit: the star values per Co for each actor group and
//                                         overall, the pockets list, and evidence counts
// A star value keeps its exact parts (sum and n) beside the mean, the mean in tenths rounded half
// up and the ladder rung it reaches, as maths.cpp defines them. The pockets follow the pockets
// page: an answer with examples at "co-designing" or "co-producing" is already happening, one at
// "informing" or "consulting" is not yet, and "engaging" is neither. Evidence is counted two ways:
// how many answers gave examples and evidence for each Co, and the figures counted from
// Coproduce's own records (evidence.cpp), labelled as such. Errors are RFC 9457 problem details.
#include "core/util.hpp"
#include "modules/star/star.hpp"

namespace cp::modules::star {

namespace {

namespace json = boost::json;
using app::Ctx;

json::object audit_json(const Audit& a) {
  json::object o;
  o["id"] = a.id;
  o["title"] = a.title;
  o["subject_kind"] = a.subject_kind;
  if (a.subject_id) o["subject_id"] = *a.subject_id;
  else o["subject_id"] = nullptr;
  o["subject_name"] = a.subject_name;
  o["period"] = a.period;
  o["status"] = a.status;
  if (a.previous_id) o["previous_id"] = *a.previous_id;
  else o["previous_id"] = nullptr;
  o["created_at"] = a.created_at;
  if (a.closed_at) o["closed_at"] = *a.closed_at;
  else o["closed_at"] = nullptr;
  o["href"] = "/toolkit/star/" + std::to_string(a.id);
  return o;
}

json::object cell_json(const Cell& c) {
  json::object o;
  o["n"] = c.n;
  o["sum"] = c.sum;
  if (c.empty()) {
    o["mean"] = nullptr;
    o["mean_1dp"] = nullptr;
    o["rung"] = nullptr;
  } else {
    o["mean"] = c.mean();
    o["mean_1dp"] = format_tenths(c.tenths());
    o["rung"] = kLevels[static_cast<std::size_t>(c.rung() - 1)];
  }
  return o;
}

json::array co_names(const std::vector<int>& indexes) {
  json::array out;
  for (int i : indexes) out.push_back(json::string(kCos[static_cast<std::size_t>(i)]));
  return out;
}

json::object group_json(const GroupResult& g) {
  json::object o;
  o["group"] = g.group;
  o["respondents"] = g.respondents;
  json::object cos;
  for (int i = 0; i < kCoCount; ++i) cos[kCos[static_cast<std::size_t>(i)]] = cell_json(g.cells[static_cast<std::size_t>(i)]);
  o["cos"] = std::move(cos);
  o["strongest"] = co_names(g.strongest);
  o["weakest"] = co_names(g.weakest);
  return o;
}

std::optional<std::int64_t> id_param(Ctx& ctx) {
  auto id = parse_int(ctx.req.path_params["id"]);
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

http::Response api_audits(Ctx& ctx) {
  if (!policy::can_view(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  json::array out;
  for (const auto& a : star_store::list(w.scope())) {
    auto o = audit_json(a);
    o["respondents"] = static_cast<std::int64_t>(star_store::responses(w.scope(), a.id).size());
    out.push_back(std::move(o));
  }
  return ctx.json(200, json::object{{"audits", std::move(out)}});
}

http::Response api_audit(Ctx& ctx) {
  if (!policy::can_view(ctx.actor)) return ctx.deny();
  auto id = id_param(ctx);
  auto w = ctx.read();
  std::optional<Audit> a;
  if (id) a = star_store::get(w.scope(), *id);
  if (!a) return ctx.problem(404, ctx.t("star.api_not_found_title"), ctx.t("star.api_no_audit"));
  auto all = star_store::responses(w.scope(), a->id);
  std::vector<Answer> answers;
  for (const auto& r : all) {
    Answer x;
    x.group = r.group;
    for (std::size_t i = 0; i < kCoCount; ++i) x.levels[i] = r.ratings[i].level;
    answers.push_back(x);
  }
  auto res = compute(answers);
  json::object o = audit_json(*a);
  o["respondents"] = res.respondents;
  json::array groups;
  for (const auto& g : res.groups) groups.push_back(group_json(g));
  o["groups"] = std::move(groups);
  o["overall"] = group_json(res.overall);

  json::array pockets;
  json::object from_answers;
  for (std::size_t i = 0; i < kCoCount; ++i) {
    json::array happening, not_yet;
    std::int64_t with_examples = 0, with_evidence = 0;
    for (const auto& r : all) {
      const auto& rating = r.ratings[i];
      if (!rating.examples.empty()) ++with_examples;
      if (!rating.evidence.empty()) ++with_evidence;
      if (!rating.level || rating.examples.empty() || *rating.level == 3) continue;
      json::object p{{"text", rating.examples},
                     {"group", r.group},
                     {"level", kLevels[static_cast<std::size_t>(*rating.level - 1)]}};
      if (!rating.evidence.empty()) p["evidence"] = rating.evidence;
      else p["evidence"] = nullptr;
      (*rating.level >= 4 ? happening : not_yet).push_back(std::move(p));
    }
    pockets.push_back(json::object{{"co", kCos[i]}, {"happening", std::move(happening)}, {"not_yet", std::move(not_yet)}});
    from_answers[kCos[i]] = json::object{{"with_examples", with_examples}, {"with_evidence", with_evidence}};
  }
  o["pockets"] = std::move(pockets);

  json::array platform;
  auto win = window_of(a->period);
  for (const auto& f : evidence(w.scope(), *a, now_seconds())) {
    // The same words as the audit page, with no share of nothing.
    std::string text =
        f.key == "star.evidence_plans" && f.total == 0
            ? ctx.t("star.evidence_plans_none")
            : ctx.t(f.key, {{"count", std::to_string(f.count)},
                            {"total", std::to_string(f.total)},
                            {"percent", f.total ? std::to_string((200 * f.count + f.total) / (2 * f.total)) : "0"}});
    json::object e{{"co", kCos[static_cast<std::size_t>(f.co)]},
                   {"measure", f.key},
                   {"count", f.count},
                   {"total", f.total},
                   {"for_subject", f.for_subject},
                   {"text", text}};
    platform.push_back(std::move(e));
  }
  o["evidence"] = json::object{{"from_answers", std::move(from_answers)},
                               {"from_platform", std::move(platform)},
                               {"platform_window", win.all_time ? json::value(nullptr)
                                                                : json::value(json::object{{"from", win.from}, {"to", win.to}})}};
  return ctx.json(200, o);
}

}  // namespace

void install_api(app::App& a) {
  a.route("GET", "/api/v1/toolkit/star/audits", "api.toolkit.star_audits", api_audits, app::RouteKind::api);
  a.route("GET", "/api/v1/toolkit/star/audits/{id}", "api.toolkit.star_audit", api_audit, app::RouteKind::api);
}

}  // namespace cp::modules::star
