// The current charter as read-only JSON: GET /api/v1/toolkit/charters/current. It is public, like
// the charter shown to new participants, and carries only what the charter page shows: the title,
// the current version's number and published date, and its six sections in the asked language
// (?lang=cy or ?lang=en; else the reader's own language). A section with no text in that language
// comes in the other one, and says so in its "lang" field, as the page does with its note.
//
// With several charters, the first one published (the lowest number) is "the" charter; ?charter=ID
// asks for another. Drafts are never shown. Errors are RFC 9457 problem details.
#include "core/util.hpp"
#include "modules/charters/charters.hpp"
#include "web/bilingual.hpp"

namespace cp::modules::charters {

namespace {

namespace json = boost::json;
using app::Ctx;

http::Response bad_request(Ctx& ctx, const std::string& field, const std::string& key) {
  return ctx.problem(400, ctx.t("charters.api_bad_request_title"), ctx.t(key),
                     {{"errors", json::array{json::object{{"field", field}, {"message", ctx.t(key)}}}}});
}

http::Response api_current(Ctx& ctx) {
  // Anyone may read it, signed in or not (policy::can_read is for the pages that also sign).
  auto asked = trim(ctx.req.query_param("lang"));
  if (!asked.empty() && asked != "en" && asked != "cy") return bad_request(ctx, "lang", "charters.api_bad_lang");
  const std::string lang = asked.empty() ? ctx.lang : asked;
  std::optional<std::int64_t> wanted;
  if (auto raw = trim(ctx.req.query_param("charter")); !raw.empty()) {
    auto n = parse_int(raw);
    if (!n || *n <= 0) return bad_request(ctx, "charter", "charters.api_bad_charter");
    wanted = *n;
  }
  auto w = ctx.read();
  std::optional<Charter> chosen;
  for (const auto& c : store_fn::charters(w.scope())) {
    if (!c.current_version_id) continue;
    if (wanted && c.id != *wanted) continue;
    chosen = c;
    break;
  }
  std::optional<Version> v;
  if (chosen) v = store_fn::version(w.scope(), *chosen->current_version_id);
  if (!v || !v->published_at)
    return ctx.problem(404, ctx.t("charters.api_not_found_title"), ctx.t("charters.api_no_charter"));

  auto title = web::pick({chosen->title, chosen->title_cy}, lang);
  json::object o;
  o["charter_id"] = chosen->id;
  o["title"] = title.text;
  o["title_lang"] = title.lang;
  o["lang"] = lang;
  o["version"] = v->number;
  o["version_id"] = v->id;
  o["published_at"] = *v->published_at;
  o["published"] = format_iso8601(*v->published_at);
  json::array sections;
  bool all_in_lang = title.lang == lang;
  for (std::size_t i = 0; i < kSections.size(); ++i) {
    auto shown = web::pick({v->sections[i], v->sections_cy[i]}, lang);
    if (shown.other) all_in_lang = false;
    sections.push_back(json::object{{"key", kSections[i]},
                                    {"heading", ctx.app.catalogue.t(lang, "charters.section_" + kSections[i])},
                                    {"text", shown.text},
                                    {"lang", shown.lang}});
  }
  o["sections"] = std::move(sections);
  // False when any part had to come in the other language.
  o["complete_in_lang"] = all_in_lang;
  o["href"] = "/toolkit/charters/" + std::to_string(chosen->id);
  return ctx.json(200, o);
}

}  // namespace

void install_api(app::App& a) {
  a.route("GET", "/api/v1/toolkit/charters/current", "api.toolkit.charters_current", api_current, app::RouteKind::api);
}

}  // namespace cp::modules::charters
