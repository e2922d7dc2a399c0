// The directory's own pages: search the whole directory (services and community assets) by words,
// topic, kind and "near a postcode"; one service or asset in plain words; and freshness, so that
// a manager can see which of their services nobody has checked for months and mark them as checked.
//
// A service page is drawn from the same public record the Open Referral API sends, so whatever the
// API keeps back (private places, staff-only contacts) cannot reach the page either.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "core/util.hpp"
#include "modules/directory/directory.hpp"
#include "modules/directory/fields.hpp"
#include "modules/directory/welsh.hpp"
#include "modules/moderation/moderation.hpp"
#include "modules/organisations/organisations.hpp"
#include "web/collate.hpp"

namespace cp::modules {

namespace directory_store {

namespace {
std::optional<std::int64_t> date_seconds(const std::string& d) {
  if (d.size() != 10) return std::nullopt;
  return parse_datetime(d + "T00:00:00Z");
}

Freshness freshness_of(const store::Row& r, std::size_t assured, std::size_t modified, std::size_t checked) {
  Freshness f;
  f.modified_at = r.i64(modified);
  std::optional<std::int64_t> a = r.null(assured) ? std::nullopt : date_seconds(r.text(assured));
  std::optional<std::int64_t> c = r.opt_i64(checked);
  if (a || c) f.checked_at = std::max(a.value_or(0), c.value_or(0));
  return f;
}

const std::string kLatestCheck =
    "(SELECT MAX(c.checked_at) FROM directory_service_checks c WHERE c.partnership_id = $1 AND c.service_id = s.id)";
}  // namespace

std::vector<StaleService> stale_services(store::Scope& s, const std::optional<std::vector<std::int64_t>>& organisations,
                                         std::int64_t now) {
  std::vector<StaleService> out;
  if (organisations && organisations->empty()) return out;
  // A change to the record counts as a sign of life, so only rows unchanged since the cut-off can be overdue.
  std::string sql = "SELECT s.id, s.organisation_id, s.uuid, s.name, s.assured_date, s.modified_at, " + kLatestCheck +
                    " FROM directory_services s WHERE s.partnership_id = $1 AND s.status <> 'defunct'"
                    " AND s.modified_at < $2";
  store::Params p{now - kStaleAfterSeconds};
  if (organisations) {
    sql += " AND s.organisation_id IN (";
    for (std::size_t i = 0; i < organisations->size(); ++i) {
      p.push_back((*organisations)[i]);
      sql += (i ? ", $" : "$") + std::to_string(p.size() + 1);
    }
    sql += ")";
  }
  for (const auto& r : s.read(sql, p).rows) {
    StaleService st;
    st.id = r.i64(0);
    st.organisation_id = r.opt_i64(1);
    st.uuid = r.text(2);
    st.name = r.text(3);
    st.freshness = freshness_of(r, 4, 5, 6);
    if (st.freshness.stale(now)) out.push_back(std::move(st));
  }
  std::sort(out.begin(), out.end(), [](const StaleService& a, const StaleService& b) {
    return std::make_pair(a.freshness.basis(), a.id) < std::make_pair(b.freshness.basis(), b.id);
  });
  return out;
}

std::int64_t stale_count_for_organisation(store::Scope& s, std::int64_t organisation_id, std::int64_t now) {
  return static_cast<std::int64_t>(stale_services(s, std::vector<std::int64_t>{organisation_id}, now).size());
}

void mark_checked(store::Scope& s, std::int64_t service_id, std::int64_t user_id, std::int64_t now) {
  s.insert({"directory.service_checked", "directory_service_check", std::nullopt, "service " + std::to_string(service_id)},
           "INSERT INTO directory_service_checks (partnership_id, service_id, checked_by, checked_at)"
           " VALUES ($1, $2, $3, $4) RETURNING id",
           {service_id, user_id, now});
  // HSDS: assured_date is when the details were last checked, and last_modified moves with any change
  // to the record, so a consumer syncing with modified_after picks up the new date too.
  s.write({"directory.service_checked", "directory_service", service_id, "assured_date"},
          "UPDATE directory_services SET assured_date = $3, last_modified = $4, modified_at = $5"
          " WHERE partnership_id = $1 AND id = $2",
          {service_id, format_iso8601(now).substr(0, 10), format_iso8601(now), now});
}

}  // namespace directory_store

namespace {

using app::Ctx;
using app::FormErrors;
namespace json = boost::json;
namespace db = directory_store;
namespace policy = directory_policy;

constexpr std::int64_t kPerPage = 20;

std::string str(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// "3 March 2026", with the month in the page's language.
std::string date_words(Ctx& ctx, std::int64_t seconds) {
  std::string iso = format_iso8601(seconds);  // 2026-03-03T...
  int day = std::stoi(iso.substr(8, 2)), month = std::stoi(iso.substr(5, 2));
  return ctx.t("directory.date", {{"day", std::to_string(day)},
                                  {"month", ctx.t("directory.month_" + std::to_string(month))},
                                  {"year", iso.substr(0, 4)}});
}

std::string join_words(Ctx& ctx, const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += i + 1 == parts.size() ? ctx.t("directory.list_and") : ", ";
    out += parts[i];
  }
  return out;
}

// "10:00" -> "10am", "14:30" -> "2:30pm", "12:00" -> "midday".
std::string time_words(Ctx& ctx, const std::string& t) {
  if (t.size() < 5 || t[2] != ':') return t;
  auto h = parse_int(t.substr(0, 2)), m = parse_int(t.substr(3, 2));
  if (!h || !m || *h > 23 || *m > 59) return t;
  if (*m == 0 && *h == 12) return ctx.t("directory.time_midday");
  if (*m == 0 && *h == 0) return ctx.t("directory.time_midnight");
  std::int64_t h12 = *h % 12 == 0 ? 12 : *h % 12;
  std::string clock = std::to_string(h12);
  if (*m) clock += ":" + t.substr(3, 2);
  return ctx.t(*h < 12 ? "directory.time_am" : "directory.time_pm", {{"time", clock}});
}

const std::vector<std::string> kDays = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

// "MO,TU,WE,FR" -> "Mondays to Wednesdays and Fridays": runs of three or more days become a range.
std::string days_words(Ctx& ctx, const std::string& byday, std::string& ordinal) {
  std::vector<int> idx;
  for (auto part : split(byday, ',')) {
    part = trim(part);
    // MONTHLY rules say which week: 1TU is the first Tuesday, -1FR the last Friday.
    std::size_t k = 0;
    while (k < part.size() && (part[k] == '-' || std::isdigit(static_cast<unsigned char>(part[k])))) ++k;
    if (k) ordinal = part.substr(0, k);
    auto it = std::find(kDays.begin(), kDays.end(), part.substr(k));
    if (it != kDays.end()) idx.push_back(static_cast<int>(it - kDays.begin()));
  }
  std::sort(idx.begin(), idx.end());
  idx.erase(std::unique(idx.begin(), idx.end()), idx.end());
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < idx.size();) {
    std::size_t j = i;
    while (j + 1 < idx.size() && idx[j + 1] == idx[j] + 1) ++j;
    std::string first = ctx.t("directory.days_" + kDays[idx[i]]);
    if (j - i >= 2) {
      parts.push_back(ctx.t("directory.days_range", {{"from", first}, {"to", ctx.t("directory.days_" + kDays[idx[j]])}}));
    } else {
      parts.push_back(first);
      if (j > i) parts.push_back(ctx.t("directory.days_" + kDays[idx[j]]));
    }
    i = j + 1;
  }
  return join_words(ctx, parts);
}

// One schedule in plain words, or its own description when its rule is not one we can say simply.
std::string schedule_words(Ctx& ctx, const json::object& s) {
  std::string freq = str(s, "freq"), byday = str(s, "byday"), opens = str(s, "opens_at"), closes = str(s, "closes_at");
  std::string said;
  if ((freq == "WEEKLY" || freq == "MONTHLY") && !byday.empty()) {
    std::string ordinal;
    std::string days = days_words(ctx, byday, ordinal);
    if (!days.empty()) {
      if (freq == "MONTHLY" && !ordinal.empty()) {
        std::string key = "directory.monthly_" + (ordinal == "-1" ? std::string("last") : ordinal);
        days = ctx.app.catalogue.has("en", key) ? ctx.t(key, {{"days", days}}) : days;
      }
      if (!opens.empty() && !closes.empty())
        said = ctx.t("directory.schedule_times",
                     {{"days", days}, {"opens", time_words(ctx, opens)}, {"closes", time_words(ctx, closes)}});
      else
        said = days;
      const auto* interval = s.if_contains("interval");
      if (freq == "WEEKLY" && interval && interval->is_number() && interval->to_number<double>() == 2)
        said = ctx.t("directory.every_other_week", {{"times", said}});
    }
  }
  if (said.empty()) said = str(s, "description");
  if (said.empty()) said = str(s, "notes");
  return said;
}

std::string money(double amount) {
  char buf[32];
  if (std::abs(amount - std::round(amount)) < 0.005) std::snprintf(buf, sizeof buf, "£%.0f", amount);
  else std::snprintf(buf, sizeof buf, "£%.2f", amount);
  return buf;
}

// A summary of long text for a list of results: whole words, at most about `limit` bytes.
std::string shorten(const std::string& text, std::size_t limit = 220) {
  if (text.size() <= limit) return text;
  std::size_t cut = text.rfind(' ', limit);
  if (cut == std::string::npos || cut < limit / 2) cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 letter
  return trim(text.substr(0, cut)) + "\u2026";
}

std::string kind_label(Ctx& ctx, const std::string& asset_kind) {
  return asset_kind.empty() ? ctx.t("directory.kind_service") : ctx.t("directory.kind_" + asset_kind);
}

web::Data pagination(Ctx& ctx, const std::string& base, std::int64_t page, std::int64_t total) {
  std::int64_t pages = std::max<std::int64_t>(1, (total + kPerPage - 1) / kPerPage);
  if (pages <= 1) return web::Data(false);
  auto href = [&](std::int64_t p) { return base + (base.find('?') == std::string::npos ? "?" : "&") + "page=" + std::to_string(p); };
  web::Data d;
  if (page > 1) d.set("prev_href", href(page - 1));
  if (page < pages) d.set("next_href", href(page + 1));
  web::List items;
  std::int64_t last_shown = 0;
  for (std::int64_t p = 1; p <= pages; ++p) {
    if (p != 1 && p != pages && std::abs(p - page) > 1) continue;
    if (last_shown && p > last_shown + 1) items.push_back(web::Data("ellipsis", true));
    web::Data item;
    item.set("number", std::to_string(p));
    item.set("href", href(p));
    item.set("label", ctx.t("site.page_label", {{"number", std::to_string(p)}}));
    item.set("current", p == page);
    items.push_back(item);
    last_shown = p;
  }
  d.set("pages", items);
  return d;
}

// ------------------------------------------------------------ search

struct Hit {
  std::int64_t id = 0;
  std::optional<std::int64_t> organisation_id;
  std::string uuid, name, description, asset_kind, status;
  std::optional<double> distance;
  std::string name_cy;  // empty when there is no Welsh name
};

http::Response search_page(Ctx& ctx) {
  if (!policy::can_search(ctx.actor)) return ctx.deny();
  std::string q = trim(ctx.req.query_param("q")).substr(0, 200);
  std::string category = to_lower(trim(ctx.req.query_param("category")));
  std::string kind = trim(ctx.req.query_param("kind"));
  std::string near = trim(ctx.req.query_param("near")).substr(0, 20);
  std::int64_t page = std::clamp<std::int64_t>(parse_int(ctx.req.query_param("page")).value_or(1), 1, 100000);
  if (kind != "service" && kind != "asset" && std::find(kAssetKinds.begin(), kAssetKinds.end(), kind) == kAssetKinds.end())
    kind.clear();

  FormErrors errors;
  std::optional<postcodes::Point> from;
  std::string near_text;
  if (!near.empty()) {
    auto pc = postcodes::normalise(near);
    if (!pc) {
      errors.add("near", ctx.t("directory.error_near_invalid"));
    } else {
      near_text = pc->text;
      from = postcodes::locate(*ctx.app.db, *pc);
      if (!from) errors.add("near", ctx.t("directory.error_near_unknown", {{"postcode", pc->text}}));
    }
  }

  auto w = ctx.read();
  web::List categories;
  bool category_known = false;
  std::optional<std::int64_t> term_id;
  for (const auto& r : w->read("SELECT id, uuid, name FROM directory_taxonomy_terms WHERE partnership_id = $1"
                               " ORDER BY name, id")
                           .rows) {
    web::Data c;
    c.set("value", r.text(1));
    c.set("label", r.text(2));
    bool selected = r.text(1) == category;
    c.set("selected", selected);
    if (selected) category_known = true, term_id = r.i64(0);
    categories.push_back(c);
  }
  if (!category_known) category.clear();

  std::vector<Hit> hits;
  if (!errors.any()) {
    // Only what is running (or closed for now) is offered; inactive and defunct records stay in the feed.
    std::string sql = "SELECT s.id, s.organisation_id, s.uuid, s.name, s.description, s.asset_kind, s.status, s.name_cy"
                      " FROM directory_services s WHERE s.partnership_id = $1 AND s.status IN ('active', 'temporarily closed')";
    store::Params p;
    auto add = [&](store::Value v) {
      p.push_back(std::move(v));
      return "$" + std::to_string(p.size() + 1);
    };
    // Every word must appear somewhere in the name or description, in any order, in English or Welsh.
    for (const auto& word : split(q, ' '))
      if (!trim(word).empty())
        sql += " AND (s.search_text || ' ' || s.search_text_cy) LIKE " + add(like_contains(trim(word))) + " ESCAPE '\\'";
    if (term_id)
      sql += " AND s.id IN (SELECT a.service_id FROM directory_attributes a WHERE a.partnership_id = $1"
             " AND a.taxonomy_term_id = " + add(*term_id) + ")";
    if (kind == "service") sql += " AND s.asset_kind IS NULL";
    else if (kind == "asset") sql += " AND s.asset_kind IS NOT NULL";
    else if (!kind.empty()) sql += " AND s.asset_kind = " + add(kind);
    sql += " ORDER BY s.name, s.id";
    for (const auto& r : w->read(sql, p).rows)
      hits.push_back({r.i64(0), r.opt_i64(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6), std::nullopt, r.text(7)});
    if (ctx.lang == "cy") {
      // A Welsh reader sees Welsh names where there are any, so the list is in Welsh alphabetical
      // order of the names shown (ch, dd, ll... as single letters), not of the English ones.
      web::sort_welsh(hits, [](const Hit& h) { return trim(h.name_cy).empty() ? h.name : h.name_cy; });
    }
    if (from) {
      // The nearest public place of each service; places kept private (a refuge) never count.
      std::map<std::int64_t, double> nearest;
      for (const auto& r : w->read("SELECT sal.service_id, l.latitude, l.longitude FROM directory_service_at_locations sal"
                                   " JOIN directory_locations l ON l.partnership_id = $1 AND l.id = sal.location_id"
                                   " WHERE sal.partnership_id = $1 AND l.is_private = 0"
                                   " AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL")
                               .rows) {
        double d = postcodes::distance_m(*from, {r.f64(1), r.f64(2)});
        auto [it, fresh] = nearest.emplace(r.i64(0), d);
        if (!fresh) it->second = std::min(it->second, d);
      }
      for (auto& h : hits)
        if (auto it = nearest.find(h.id); it != nearest.end()) h.distance = it->second;
      // Places with no fixed address (a phone line) come after every place with one, by name.
      std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
        if (a.distance.has_value() != b.distance.has_value()) return a.distance.has_value();
        return a.distance && *a.distance < *b.distance;
      });
    }
  }
  auto total = static_cast<std::int64_t>(hits.size());
  std::int64_t start = std::min(total, (page - 1) * kPerPage), end = std::min(total, start + kPerPage);

  std::vector<std::int64_t> shown_ids;
  for (std::int64_t i = start; i < end; ++i) shown_ids.push_back(hits[static_cast<std::size_t>(i)].id);
  const auto welsh = directory_welsh::welsh_of(w.scope(), shown_ids);
  web::List items;
  for (std::int64_t i = start; i < end; ++i) {
    const Hit& h = hits[static_cast<std::size_t>(i)];
    web::Data d;
    d.set("uuid", h.uuid);
    {
      // Each result in the reader's language where it has one, marked (lang, a note) where it has not.
      auto cy = welsh.find(h.id);
      directory_welsh::Texts t = cy == welsh.end() ? directory_welsh::Texts{} : cy->second;
      web::Bilingual summary{shorten(h.description), shorten(t.description_cy)};
      auto name = web::bilingual_data({h.name, t.name_cy}, ctx.lang);
      d.set("name", name);
      bool has_summary = !web::pick(summary, ctx.lang).text.empty();
      d.set("summary", has_summary ? web::bilingual_data(summary, ctx.lang) : web::Data(false));
      d.set("note", has_summary ? web::bilingual_data(summary, ctx.lang) : name);
    }
    d.set("kind_label", kind_label(ctx, h.asset_kind));
    d.set("asset", !h.asset_kind.empty());
    d.set("closed", h.status == "temporarily closed");
    if (h.organisation_id)
      if (auto o = organisations_store::get(w.scope(), *h.organisation_id)) d.set("organisation", o->name);
    if (h.distance) {
      char km[32];
      std::snprintf(km, sizeof km, "%.1f", *h.distance / 1000.0);
      d.set("distance", ctx.t("directory.distance_km", {{"km", km}}));
    }
    items.push_back(d);
  }

  web::List kinds;
  auto kind_option = [&](const std::string& value, const std::string& label) {
    web::Data o;
    o.set("value", value);
    o.set("label", label);
    o.set("selected", value == kind);
    kinds.push_back(o);
  };
  kind_option("service", ctx.t("directory.kind_all_services"));
  kind_option("asset", ctx.t("directory.kind_all_assets"));
  for (const auto& k : kAssetKinds) kind_option(k, ctx.t("directory.kind_" + k));

  std::string base = "/services";
  std::vector<std::pair<std::string, std::string>> params = {{"q", q}, {"category", category}, {"kind", kind}, {"near", near}};
  bool first = true;
  for (const auto& [k, v] : params)
    if (!v.empty()) base += (first ? "?" : "&") + k + "=" + http::url_encode(v), first = false;

  web::Data d;
  errors.fill(d);
  d.set("q", q);
  d.set("near", near);
  d.set("categories", categories);
  d.set("kinds", kinds);
  d.set("results", items);
  d.set("none", items.empty() && !errors.any());
  d.set("searched", !q.empty() || !category.empty() || !kind.empty() || !near.empty());
  if (!errors.any()) {
    std::string count = total == 1 ? ctx.t("directory.count_one") : ctx.t("directory.count", {{"count", std::to_string(total)}});
    if (from) count = ctx.t("directory.count_near", {{"count", count}, {"postcode", near_text}});
    d.set("count", count);
  }
  d.set("can_suggest", policy::can_suggest(ctx.actor));
  d.set("can_review", policy::can_review(ctx.actor));
  d.set("pagination", pagination(ctx, base, page, total));
  std::string title = errors.any() ? ctx.t("directory.error_title", {{"title", ctx.t("directory.search_title")}})
                                   : ctx.t("directory.search_title");
  return ctx.page(title, "directory/services_list", d, errors.any() ? 400 : 200);
}

// ------------------------------------------------------------ one service

struct ServiceRow {
  std::int64_t id = 0;
  std::optional<std::int64_t> organisation_id;
  std::string uuid, asset_kind;
  db::Freshness freshness;
};

std::optional<ServiceRow> service_row(store::Scope& s, const std::string& uuid) {
  if (!directory_fields::is_uuid(uuid)) return std::nullopt;
  auto r = s.read("SELECT s.id, s.organisation_id, s.uuid, s.asset_kind, s.assured_date, s.modified_at, " +
                      std::string("(SELECT MAX(c.checked_at) FROM directory_service_checks c WHERE c.partnership_id = $1"
                                  " AND c.service_id = s.id)") +
                      " FROM directory_services s WHERE s.partnership_id = $1 AND s.uuid = $2",
                  {to_lower(uuid)});
  if (r.empty()) return std::nullopt;
  const auto& row = r.one();
  ServiceRow out{row.i64(0), row.opt_i64(1), row.text(2), row.text(3), {}};
  out.freshness.modified_at = row.i64(5);
  std::optional<std::int64_t> a;
  if (!row.null(4) && row.text(4).size() == 10) a = db::parse_datetime(row.text(4) + "T00:00:00Z");
  auto c = row.opt_i64(6);
  if (a || c) out.freshness.checked_at = std::max(a.value_or(0), c.value_or(0));
  return out;
}

web::List locations_data(Ctx& ctx, const json::object& sv) {
  web::List out;
  const auto* sal = sv.if_contains("service_at_locations");
  if (!sal || !sal->is_array()) return out;
  for (const auto& v : sal->as_array()) {
    const auto* lv = v.as_object().if_contains("location");
    if (!lv || !lv->is_object()) continue;
    const auto& loc = lv->as_object();
    web::Data d;
    d.set("name", str(loc, "name"));
    d.set("description", str(loc, "description"));
    web::List lines;
    if (const auto* a = loc.if_contains("addresses"); a && a->is_array())
      for (const auto& addr : a->as_array()) {
        const auto& ao = addr.as_object();
        std::vector<std::string> parts;
        for (const char* k : {"attention", "address_1", "city", "postal_code"})
          if (!trim(str(ao, k)).empty()) parts.push_back(trim(str(ao, k)));
        for (const auto& p : parts) lines.push_back(web::Data("line", p));
      }
    d.set("address", lines);
    d.set("has_address", !lines.empty());
    web::List access;
    if (const auto* a = loc.if_contains("accessibility"); a && a->is_array())
      for (const auto& acc : a->as_array()) {
        const auto& ao = acc.as_object();
        std::string text = str(ao, "description");
        if (text.empty()) text = str(ao, "accessibility");
        std::string details = str(ao, "details");
        if (!details.empty()) text += text.empty() ? details : " " + details;
        if (!text.empty()) access.push_back(web::Data("text", text));
      }
    d.set("accessibility", access);
    d.set("has_accessibility", !access.empty());
    if (str(loc, "name").empty()) d.set("name", ctx.t("directory.place_unnamed"));
    out.push_back(d);
  }
  return out;
}

http::Response show_page(Ctx& ctx) {
  if (!policy::can_search(ctx.actor)) return ctx.deny();
  auto w = ctx.read();
  auto row = service_row(w.scope(), ctx.req.path_params["id"]);
  if (!row) return ctx.not_found();
  // An asset a moderator has hidden is shown to moderators only (moderation.cpp).
  if (!row->asset_kind.empty() && db::asset_hidden(w.scope(), row->id) && !policy::can_moderate(ctx.actor))
    return ctx.not_found();
  auto full = db::service(w.scope(), row->uuid);
  if (!full) return ctx.not_found();
  const json::object& sv = *full;
  web::Data d;
  d.set("uuid", row->uuid);
  // The Welsh text is ours, not ORUK's, so it comes from beside the public record (welsh.hpp).
  auto cy = directory_welsh::by_uuid(w.scope(), row->uuid);
  directory_welsh::Texts texts{str(sv, "name"), str(sv, "description"), cy ? cy->texts.name_cy : "",
                               cy ? cy->texts.description_cy : ""};
  web::Bilingual name{texts.name, texts.name_cy}, description{texts.description, texts.description_cy};
  const std::string shown_name = web::pick(name, ctx.lang).text;
  d.set("name", web::bilingual_data(name, ctx.lang));
  bool has_description = !web::pick(description, ctx.lang).text.empty();
  d.set("description", has_description ? web::bilingual_data(description, ctx.lang) : web::Data(false));
  d.set("note", has_description ? web::bilingual_data(description, ctx.lang) : web::bilingual_data(name, ctx.lang));
  if (policy::can_edit_text(ctx.actor, row->organisation_id)) {
    d.set("can_edit_text", true);
    d.set("welsh_missing", directory_welsh::welsh_missing(texts));
    d.set("english_missing", directory_welsh::english_missing(texts));
  }
  d.set("kind_label", kind_label(ctx, row->asset_kind));
  // People write community assets, so anyone may report one to the moderators.
  if (!row->asset_kind.empty()) d.set("report_href", moderation::report_link("asset", row->id));
  d.set("closed", str(sv, "status") == "temporarily closed");
  d.set("inactive", str(sv, "status") == "inactive" || str(sv, "status") == "defunct");
  d.set("alert", str(sv, "alert").empty() ? web::Data(false) : web::Data(str(sv, "alert")));
  if (row->organisation_id)
    if (auto o = organisations_store::get(w.scope(), *row->organisation_id)) {
      web::Data od;
      od.set("id", std::to_string(o->id));
      od.set("name", o->name);
      d.set("organisation", od);
    }

  // When it is on.
  web::List times;
  if (const auto* a = sv.if_contains("schedules"); a && a->is_array())
    for (const auto& s : a->as_array())
      if (auto words = schedule_words(ctx, s.as_object()); !words.empty()) times.push_back(web::Data("text", words));
  d.set("times", times);
  d.set("has_times", !times.empty());

  // What it costs.
  web::List costs;
  bool all_free = true;
  if (const auto* a = sv.if_contains("cost_options"); a && a->is_array())
    for (const auto& c : a->as_array()) {
      const auto& co = c.as_object();
      const auto* amount = co.if_contains("amount");
      double value = amount && amount->is_number() ? amount->to_number<double>() : 0;
      std::string option = str(co, "option"), described = str(co, "amount_description");
      bool free = value == 0 && (to_lower(option) == "free" || (amount && amount->is_number()));
      if (!free) all_free = false;
      std::string text = option.empty() ? money(value) : ctx.t("directory.cost_item", {{"option", option}, {"amount", money(value)}});
      if (free) text = option.empty() || to_lower(option) == "free" ? ctx.t("directory.cost_free") : option;
      if (!described.empty() && to_lower(described) != to_lower(option) && to_lower(described) != "free") text += ". " + described;
      costs.push_back(web::Data("text", text));
    }
  if (!costs.empty() && all_free) costs = web::List{web::Data("text", ctx.t("directory.cost_free"))};
  if (costs.empty() && !str(sv, "fees").empty()) costs.push_back(web::Data("text", str(sv, "fees")));
  d.set("costs", costs);
  d.set("has_costs", !costs.empty());

  // Who it is for: ages, and the topics it is listed under.
  const auto* min_age = sv.if_contains("minimum_age");
  const auto* max_age = sv.if_contains("maximum_age");
  std::string lo = min_age && min_age->is_int64() ? std::to_string(min_age->as_int64()) : "";
  std::string hi = max_age && max_age->is_int64() ? std::to_string(max_age->as_int64()) : "";
  std::string ages;
  if (!lo.empty() && !hi.empty()) ages = ctx.t("directory.ages_range", {{"min", lo}, {"max", hi}});
  else if (!lo.empty()) ages = ctx.t("directory.ages_min", {{"min", lo}});
  else if (!hi.empty()) ages = ctx.t("directory.ages_max", {{"max", hi}});
  d.set("ages", ages.empty() ? web::Data(false) : web::Data(ages));
  web::List topics, eligible;
  if (const auto* a = sv.if_contains("attributes"); a && a->is_array())
    for (const auto& at : a->as_array()) {
      const auto* term = at.as_object().if_contains("taxonomy_term");
      if (!term || !term->is_object()) continue;
      // Eligibility attributes say who it is for ("For parents"), in the reader's language when the
      // group is one this directory knows (eligibility.cpp), else in the feed's own words.
      if (db::is_eligibility_link(str(at.as_object(), "link_type"))) {
        auto code = db::eligibility_code(str(term->as_object(), "term"));
        std::string group = code.empty() ? str(term->as_object(), "name") : ctx.t("directory.group_" + code);
        eligible.push_back(web::Data("label", ctx.t("directory.for_group", {{"group", group}})));
        continue;
      }
      web::Data t;
      t.set("label", str(term->as_object(), "name"));
      t.set("href", "/services?category=" + http::url_encode(str(term->as_object(), "id")));
      topics.push_back(t);
    }
  d.set("topics", topics);
  d.set("has_topics", !topics.empty());
  d.set("eligibility", eligible);
  d.set("has_eligibility", !eligible.empty());
  d.set("has_for", !ages.empty() || !topics.empty() || !eligible.empty());

  web::List languages;
  if (const auto* a = sv.if_contains("languages"); a && a->is_array())
    for (const auto& l : a->as_array()) {
      std::string name = str(l.as_object(), "name"), note = str(l.as_object(), "note");
      if (name.empty()) name = str(l.as_object(), "code");
      if (!note.empty()) name += " (" + note + ")";
      if (!name.empty()) languages.push_back(web::Data("text", name));
    }
  d.set("languages", languages);
  d.set("has_languages", !languages.empty());

  auto places = locations_data(ctx, sv);
  d.set("locations", places);
  d.set("has_locations", !places.empty());

  // Public contact details only: the feed's staff-only contacts never reach this record.
  web::List contacts;
  if (const auto* a = sv.if_contains("contacts"); a && a->is_array())
    for (const auto& c : a->as_array()) {
      const auto& co = c.as_object();
      web::Data cd;
      std::string who = str(co, "name");
      if (!str(co, "title").empty()) who += who.empty() ? str(co, "title") : " (" + str(co, "title") + ")";
      cd.set("who", who);
      web::List phones;
      if (const auto* p = co.if_contains("phones"); p && p->is_array())
        for (const auto& ph : p->as_array()) {
          web::Data pd;
          pd.set("number", str(ph.as_object(), "number"));
          pd.set("tel", [&] {
            std::string digits;
            for (char ch : str(ph.as_object(), "number"))
              if (std::isdigit(static_cast<unsigned char>(ch)) || ch == '+') digits += ch;
            return digits;
          }());
          pd.set("description", str(ph.as_object(), "description"));
          phones.push_back(pd);
        }
      cd.set("phones", phones);
      contacts.push_back(cd);
    }
  d.set("contacts", contacts);
  std::string email = str(sv, "email"), url = str(sv, "url");
  d.set("email", email.empty() ? web::Data(false) : web::Data(email));
  d.set("url", url.empty() ? web::Data(false) : web::Data(url));
  d.set("has_contact", !contacts.empty() || !email.empty() || !url.empty());

  auto now = now_seconds();
  if (row->freshness.checked_at)
    d.set("freshness", ctx.t("directory.last_checked", {{"date", date_words(ctx, *row->freshness.checked_at)}}));
  else
    d.set("freshness", ctx.t("directory.last_updated", {{"date", date_words(ctx, row->freshness.modified_at)}}));
  d.set("stale", policy::can_see_freshness(ctx.actor) && row->freshness.stale(now));
  bool can_check = policy::can_mark_checked(ctx.actor, row->organisation_id);
  d.set("can_check", can_check);
  // Only a page with a form needs a token; an anonymous visitor's look starts no session.
  if (can_check) ctx.csrf();
  // Other modules' sections (ratings, agreed actions), each rendered by its own template.
  web::List panels;
  for (auto& html : service_panels(ctx, w.scope(), {row->id, row->uuid, str(sv, "name"), row->organisation_id}))
    panels.push_back(web::Data("html", html));
  d.set("panels", panels);
  return ctx.page(shown_name, "directory/services_show", d);
}

http::Response mark_checked_submit(Ctx& ctx) {
  auto w = ctx.work();
  auto row = service_row(w.scope(), ctx.req.path_params["id"]);
  if (!row) return ctx.not_found();
  if (!policy::can_mark_checked(ctx.actor, row->organisation_id)) return ctx.deny();
  db::mark_checked(w.scope(), row->id, ctx.actor->user_id, now_seconds());
  w.commit();
  ctx.set_flash("directory.flash_checked");
  // Only the review list is a place to go back to; anything else returns to the service.
  return http::Response::redirect(ctx.field("return") == "review" ? "/services/review" : "/services/" + row->uuid);
}

// ------------------------------------------------------------ review

http::Response review_page(Ctx& ctx) {
  if (!policy::can_review(ctx.actor)) return ctx.deny();
  std::optional<std::vector<std::int64_t>> orgs;
  if (!ctx.actor->has(auth::Role::admin)) {
    orgs.emplace();
    for (const auto& g : ctx.actor->grants)
      if (g.role == auth::Role::manager && g.organisation_id) orgs->push_back(*g.organisation_id);
  }
  auto w = ctx.read();
  auto now = now_seconds();
  auto stale = db::stale_services(w.scope(), orgs, now);
  web::List items;
  std::map<std::int64_t, std::string> org_names;
  for (const auto& s : stale) {
    web::Data d;
    d.set("uuid", s.uuid);
    d.set("name", s.name);
    if (s.organisation_id) {
      auto it = org_names.find(*s.organisation_id);
      if (it == org_names.end()) {
        auto o = organisations_store::get(w.scope(), *s.organisation_id);
        it = org_names.emplace(*s.organisation_id, o ? o->name : std::string()).first;
      }
      d.set("organisation", it->second);
    }
    d.set("when", s.freshness.checked_at
                      ? ctx.t("directory.last_checked", {{"date", date_words(ctx, *s.freshness.checked_at)}})
                      : ctx.t("directory.last_updated", {{"date", date_words(ctx, s.freshness.modified_at)}}));
    items.push_back(d);
  }
  web::Data d;
  d.set("services", items);
  d.set("none", items.empty());
  d.set("all", !orgs.has_value());
  d.set("count", stale.size() == 1 ? ctx.t("directory.review_count_one")
                                   : ctx.t("directory.review_count", {{"count", std::to_string(stale.size())}}));
  ctx.csrf();
  return ctx.page(ctx.t("directory.review_title"), "directory/services_review", d);
}

}  // namespace

void install_directory_pages(app::App& a) {
  a.route("GET", "/services", "directory.search", search_page);
  // Before /services/{id}, which would otherwise take "review" for an id.
  a.route("GET", "/services/review", "directory.review", review_page);
  a.route("GET", "/services/{id}", "directory.service", show_page);
  a.route("POST", "/services/{id}/checked", "directory.checked", mark_checked_submit);
  a.nav({"directory.nav", "/services", nullptr});
}

}  // namespace cp::modules
