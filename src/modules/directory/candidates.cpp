// Candidates for matching: the directory answers "which services and assets could fit this need?"
// cheaply, and the matching module scores them. The expensive part is kept in SQL and bounded:
// with a place, the position index and a latitude/longitude box pick the rows, the box growing from
// a few hundred metres until it holds `limit` services, and at most `limit` of them come back;
// without one, the term index (or, for words only, a bounded LIKE) does. The details each candidate
// needs (terms, days, cost, nearest location) are then read for that short list only, a few rows
// per candidate.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "core/util.hpp"
#include "modules/directory/directory.hpp"
#include "modules/directory/place_index.hpp"

namespace cp::modules::directory_store {

namespace {

using store::Params;
using store::Value;

constexpr double kPi = 3.14159265358979323846;
constexpr double kMetresPerDegree = 6371008.8 * kPi / 180.0;

// "$k, $k+1, ..." for `ids`, appended to `p` (whose first caller parameter is $2).
std::string in_list(Params& p, const std::vector<std::int64_t>& ids) {
  std::string out;
  for (auto id : ids) {
    p.push_back(id);
    if (!out.empty()) out += ", ";
    out += '$';
    out += std::to_string(p.size() + 1);
  }
  return out;
}

const std::set<std::string> kDays = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

}  // namespace

// The details matching needs of the given services, or of every service of the partnership when
// `ids` is null (the kept index reads them that way); `first_place` adds the first published place.
void read_candidate_details(store::Scope& s, const std::vector<std::int64_t>* ids, bool first_place,
                            std::map<std::int64_t, Candidate>& by_id) {
  {
    Params ip;
    std::string list = ids ? in_list(ip, *ids) : std::string();
    auto only = [&](const char* column) {
      std::string out;
      if (ids) {
        out.append(" AND ").append(column).append(" IN (").append(list).append(")");
      }
      return out;
    };
    for (const auto& r : s.read("SELECT id, uuid, name, description, asset_kind, minimum_age, maximum_age, fees"
                                " FROM directory_services WHERE partnership_id = $1" + only("id"),
                                ip)
                             .rows) {
      Candidate c;
      c.id = r.i64(0);
      c.uuid = r.text(1);
      c.name = r.text(2);
      c.description = r.text(3);
      c.asset_kind = r.text(4);
      c.minimum_age = r.opt_i64(5);
      c.maximum_age = r.opt_i64(6);
      c.cost = r.text(7);
      by_id[c.id] = std::move(c);
    }
    for (const auto& r : s.read("SELECT a.service_id, t.uuid, COALESCE(a.link_type, ''), COALESCE(t.term, ''), t.name"
                                " FROM directory_attributes a"
                                " JOIN directory_taxonomy_terms t ON t.partnership_id = $1 AND t.id = a.taxonomy_term_id"
                                " WHERE a.partnership_id = $1" + only("a.service_id") + " ORDER BY t.uuid",
                                ip)
                             .rows) {
      // An eligibility attribute says who the service is for, not what it is about.
      if (is_eligibility_link(r.text(2)))
        by_id[r.i64(0)].eligibility.push_back({eligibility_code(r.text(3)), r.text(4)});
      else
        by_id[r.i64(0)].term_ids.push_back(r.text(1));
    }
    // Schedules hang off the service or off one of its places.
    std::map<std::int64_t, std::set<std::string>> days;
    auto add_days = [&](std::int64_t id, const std::string& byday) {
      for (const auto& d : split(byday, ','))
        if (auto day = trim(d); kDays.count(day)) days[id].insert(day);
    };
    for (const auto& r : s.read("SELECT service_id, byday FROM directory_schedules WHERE partnership_id = $1"
                                + only("service_id") + " AND byday IS NOT NULL",
                                ip)
                             .rows)
      add_days(r.i64(0), r.text(1));
    for (const auto& r : s.read("SELECT sal.service_id, sc.byday FROM directory_schedules sc"
                                " JOIN directory_service_at_locations sal ON sal.partnership_id = $1"
                                " AND sal.id = sc.service_at_location_id"
                                " WHERE sc.partnership_id = $1" + only("sal.service_id") + " AND sc.byday IS NOT NULL",
                                ip)
                             .rows)
      add_days(r.i64(0), r.text(1));
    for (const auto& [id, set] : days)
      for (const auto& d : {"MO", "TU", "WE", "TH", "FR", "SA", "SU"})
        if (set.count(d)) by_id[id].days.push_back(d);
    std::set<std::int64_t> costed;
    for (const auto& r : s.read("SELECT service_id, option_text, amount FROM directory_cost_options"
                                " WHERE partnership_id = $1" + only("service_id") + " ORDER BY service_id, id",
                                ip)
                             .rows) {
      auto& c = by_id[r.i64(0)];
      std::string text = trim(r.text(1));
      bool zero = !r.null(2) && r.f64(2) == 0.0;
      if (zero || to_lower(text) == "free") c.free = true;
      if (costed.insert(c.id).second && !text.empty()) c.cost = text;
    }
    // Without a place, the first published location stands for where it is.
    if (first_place)
      for (const auto& r : s.read("SELECT sal.service_id, l.latitude, l.longitude FROM directory_service_at_locations sal"
                                  " JOIN directory_locations l ON l.partnership_id = $1 AND l.id = sal.location_id"
                                  " WHERE sal.partnership_id = $1" + only("sal.service_id") +
                                  " AND l.is_private = 0 AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL"
                                  " ORDER BY sal.service_id, sal.id",
                                  ip)
                               .rows) {
        auto& c = by_id[r.i64(0)];
        if (!c.point) c.point = postcodes::Point{r.f64(1), r.f64(2)};
      }
  }
}

std::vector<Candidate> candidates(store::Scope& s, const CandidateQuery& q) {
  Params p;
  auto add = [&](Value v) {
    p.push_back(std::move(v));
    std::string name = "$";
    name += std::to_string(p.size() + 1);
    return name;
  };
  std::int64_t limit = std::clamp<std::int64_t>(q.limit, 1, 1000);

  // What makes a row relevant at all: its term, or one of the words.
  std::string relevant;
  std::string term_id_param;
  if (!q.term.empty()) {
    auto t = s.read("SELECT id FROM directory_taxonomy_terms WHERE partnership_id = $1 AND uuid = $2", {to_lower(q.term)});
    if (!t.empty()) {
      term_id_param = add(t.one().i64(0));
      relevant = "EXISTS (SELECT 1 FROM directory_attributes a WHERE a.partnership_id = $1 AND a.service_id = sv.id"
                 " AND a.taxonomy_term_id = " + term_id_param + ")";
    }
  }
  for (const auto& w : q.words) {
    if (w.empty()) continue;
    if (!relevant.empty()) relevant += " OR ";
    relevant += "sv.search_text LIKE " + add(like_contains(w)) + " ESCAPE '\\'";
  }
  if (relevant.empty()) return {};

  struct Hit {
    std::int64_t id;
    std::optional<postcodes::Point> point;
    std::optional<double> distance;
  };
  std::vector<Hit> hits;
  std::shared_ptr<const directory_index::Services> kept;  // with a place: the details come from here
  if (q.near) {
    // Nearest first, from a box that grows, on the kept in-memory indexes of places and services
    // (place_index.hpp): in a town a few hundred metres already hold `limit` services, and reading
    // places and service rows from the database to find them cost far more than the rest of a match.
    // Once `limit` services lie within the radius searched, none outside it can be nearer, so the
    // answer is the same as searching the whole way. The test is the SQL one it replaces: an active
    // service with the term, or with one of the words in its lower-case search text.
    auto places = directory_index::places(s);
    auto services = directory_index::services(s);
    kept = services;
    std::optional<std::int64_t> term_id;
    if (!term_id_param.empty()) term_id = std::get<std::int64_t>(p.front());
    std::vector<std::string> words;
    for (const auto& w : q.words)
      if (!w.empty()) words.push_back(w);
    // Whether each service fits, decided once per query: -1 not yet asked, by the service's place in
    // the kept index (a flat array, not a map: the walk asks once for every place in the box).
    std::vector<signed char> fits(services->size(), -1);
    auto fit = [&](std::int64_t service_id) {
      auto at = services->position(service_id);
      if (!at) return false;
      auto& known = fits[*at];
      if (known >= 0) return known == 1;
      const auto& sv = services->at(*at);
      bool ok = sv.active && term_id && std::binary_search(sv.terms.begin(), sv.terms.end(), *term_id);
      for (std::size_t i = 0; sv.active && !ok && i < words.size(); ++i)
        ok = sv.search_text.find(words[i]) != std::string::npos;
      known = ok ? 1 : 0;
      return ok;
    };
    std::unordered_map<std::int64_t, Hit> nearest;  // a service at several places counts once, at its nearest
    nearest.reserve(static_cast<std::size_t>(limit) * 2);
    double radius = std::min(q.within_m, std::max(250.0, q.within_m / 16));
    while (true) {
      double dlat = radius / kMetresPerDegree * 1.001 + 1e-6;
      double edge = std::min(89.0, std::abs(q.near->latitude) + dlat);
      double dlon = std::min(180.0, dlat / std::cos(edge * kPi / 180.0));
      nearest.clear();
      places->within_box(q.near->latitude - dlat, q.near->latitude + dlat, q.near->longitude - dlon,
                         q.near->longitude + dlon, [&](const directory_index::Place& pl) {
                           if (!fit(pl.service_id)) return;
                           postcodes::Point pt{pl.latitude, pl.longitude};
                           double d = postcodes::distance_m(*q.near, pt);
                           if (d > radius) return;
                           auto [it, added] = nearest.try_emplace(pl.service_id, Hit{pl.service_id, pt, d});
                           if (!added && d < *it->second.distance) it->second = Hit{pl.service_id, pt, d};
                         });
      if (static_cast<std::int64_t>(nearest.size()) >= limit || radius >= q.within_m) break;
      radius = std::min(q.within_m, radius * 2);
    }
    for (auto& [id, h] : nearest) hits.push_back(h);
    std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
      return std::tie(*a.distance, a.id) < std::tie(*b.distance, b.id);
    });
    if (static_cast<std::int64_t>(hits.size()) > limit) hits.resize(static_cast<std::size_t>(limit));
  } else {
    // Without a place the term index does the work when there is a term; words alone fall back to a
    // bounded scan of the partnership's services.
    std::string sql = "SELECT sv.id FROM directory_services sv WHERE sv.partnership_id = $1 AND sv.status = 'active'"
                      " AND (" + relevant + ") ORDER BY sv.name, sv.id LIMIT " + add(limit);
    for (const auto& r : s.read(sql, p).rows) hits.push_back({r.i64(0), std::nullopt, std::nullopt});
  }
  if (hits.empty()) return {};

  std::map<std::int64_t, Candidate> by_id;
  if (kept) {
    // The kept index holds each service's details, read under the same stamp as the places.
    for (const auto& h : hits)
      if (const auto* sv = kept->find(h.id)) by_id.emplace(h.id, sv->details);
  } else {
    std::vector<std::int64_t> ids;
    for (const auto& h : hits) ids.push_back(h.id);
    read_candidate_details(s, &ids, !q.near, by_id);
  }
  std::vector<Candidate> out;
  out.reserve(hits.size());
  for (const auto& h : hits) {
    auto it = by_id.find(h.id);
    if (it == by_id.end()) continue;
    if (h.point) it->second.point = h.point;
    it->second.distance_m = h.distance;
    out.push_back(std::move(it->second));
  }
  return out;
}

std::vector<Term> terms(store::Scope& s) {
  std::vector<Term> out;
  for (const auto& r :
       s.read("SELECT uuid, name FROM directory_taxonomy_terms WHERE partnership_id = $1 ORDER BY name, uuid").rows)
    out.push_back({r.text(0), r.text(1)});
  return out;
}

web::List topic_options(const std::vector<Term>& terms, const std::string& selected, const std::string& any_label) {
  web::List out;
  auto add = [&](const std::string& value, const std::string& label) {
    web::Data o;
    o.set("value", value);
    o.set("label", label);
    o.set("selected", value == selected);
    out.push_back(o);
  };
  if (!any_label.empty()) add("", any_label);
  for (const auto& t : terms) add(t.id, t.name);
  return out;
}

}  // namespace cp::modules::directory_store
