#include <algorithm>
#include <deque>
#include <functional>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "core/util.hpp"
#include "modules/directory/directory.hpp"
#include "modules/directory/fields.hpp"
#include "modules/directory/place_index.hpp"
#include "modules/organisations/organisations.hpp"

namespace cp::modules::directory_store {

namespace json = boost::json;
namespace f = directory_fields;
using store::Params;
using store::Value;

std::optional<std::int64_t> parse_datetime(const std::string& s) {
  // YYYY-MM-DDTHH:MM:SS[.fraction][Z|+HH:MM|-HH:MM]
  auto num = [&](std::size_t at, std::size_t n) -> std::optional<int> {
    if (at + n > s.size()) return std::nullopt;
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  auto y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2), se = num(17, 2);
  if (!y || !mo || !d || !h || !mi || !se || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
      s[13] != ':' || s[16] != ':')
    return std::nullopt;
  if (*mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 || *mi > 59 || *se > 60) return std::nullopt;
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    ++i;
    std::size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == start) return std::nullopt;
  }
  std::int64_t offset = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    auto oh = num(i + 1, 2), om = num(i + 4, 2);
    if (!oh || !om || i + 3 >= s.size() || s[i + 3] != ':') return std::nullopt;
    offset = (s[i] == '+' ? 1 : -1) * (*oh * 3600 + *om * 60);
    i += 6;
  } else {
    return std::nullopt;  // a time with no zone is ambiguous and not an RFC 3339 date-time
  }
  if (i != s.size()) return std::nullopt;
  // Days from the civil date (proleptic Gregorian), after Howard Hinnant's well-known method.
  int yy = *y - (*mo <= 2 ? 1 : 0);
  int era = (yy >= 0 ? yy : yy - 399) / 400;
  int yoe = yy - era * 400;
  int doy = (153 * (*mo + (*mo > 2 ? -3 : 9)) + 2) / 5 + *d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
  return days * 86400 + *h * 3600 + *mi * 60 + *se - offset;
}

namespace {

const f::Entity& organisation_fields() {
  static const f::Entity e{"directory_organisations",
                           {{"name", f::Kind::text, true},
                            {"description", f::Kind::text, true},
                            {"email", f::Kind::email},
                            {"website", f::Kind::uri},
                            {"logo", f::Kind::text},
                            {"uri", f::Kind::uri},
                            {"parent_organization_id", f::Kind::uuid}}};
  return e;
}

std::string text_or(const Value& v) { return std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : ""; }

const json::array* list_of(const json::object& o, const std::string& name, const std::string& path) {
  const auto* v = o.if_contains(name);
  if (!v || v->is_null()) return nullptr;
  if (!v->is_array()) throw ImportError(path + "." + name, "directory.error_not_list");
  return &v->as_array();
}

const json::object& object_at(const json::value& v, const std::string& path) {
  if (!v.is_object()) throw ImportError(path, "directory.error_not_object");
  return v.as_object();
}

std::string at(const std::string& path, const std::string& name, std::size_t i) {
  return path + "." + name + "[" + std::to_string(i) + "]";
}

class Importer {
 public:
  explicit Importer(store::Scope& s) : s_(s) {}
  // A read of records this import may have queued: they are written first.
  store::Result look(std::string_view sql, Params p) {
    flush();
    return s_.read(sql, std::move(p));
  }
  ImportResult result;

  void taxonomy(const json::object& o, const std::string& path) {
    std::string uuid = f::id_of(o, path);
    auto vals = f::values(f::taxonomies(), o, path);
    std::int64_t id = upsert(f::taxonomies(), uuid, {}, vals, "directory_taxonomy");
    if (seen_taxonomies_.insert(uuid).second) ++result.taxonomies;
    if (const auto* terms = list_of(o, "taxonomy_terms", path))
      for (std::size_t i = 0; i < terms->size(); ++i) {
        std::string p = at(path, "taxonomy_terms", i);
        term(object_at((*terms)[i], p), p, id);
      }
  }

  // `owner`: the organisation a service belongs to when it is nested inside that organisation.
  void service(const json::object& o, const std::string& path, std::optional<std::int64_t> owner = std::nullopt) {
    std::string uuid = f::id_of(o, path);
    if (!seen_services_.insert(uuid).second) throw ImportError(path + ".id", "directory.error_duplicate_id");
    auto vals = f::values(f::services(), o, path);
    Value org = nullptr;
    if (owner) {
      org = *owner;
    } else if (const auto* v = o.if_contains("organization"); v && !v->is_null()) {
      org = organisation(object_at(*v, path + ".organization"), path + ".organization");
    } else if (const auto* v = o.if_contains("organization_id"); v && !v->is_null()) {
      if (!v->is_string() || !f::is_uuid(std::string(v->as_string())))
        throw ImportError(path + ".organization_id", "directory.error_not_uuid");
      auto r = look("SELECT organisation_id FROM directory_organisations WHERE partnership_id = $1 AND uuid = $2",
                       {to_lower(std::string(v->as_string()))});
      if (r.empty()) throw ImportError(path + ".organization_id", "directory.error_unknown_organisation");
      org = r.one().i64(0);
    }
    // The index of last_modified in services(). A feed without one was modified when its text last
    // changed: the same text imported again keeps the time it had, so a second import changes nothing.
    std::size_t lm = 12;
    std::string hash = sha256_hex(json::serialize(o));
    std::int64_t modified = now_seconds();
    if (std::holds_alternative<std::string>(vals[lm])) {
      modified = *parse_datetime(std::get<std::string>(vals[lm]));
    } else if (!known_new("directory_services", uuid)) {
      auto before = look("SELECT feed_hash, last_modified, modified_at FROM directory_services"
                            " WHERE partnership_id = $1 AND uuid = $2",
                            {uuid});
      if (!before.empty() && before.one().text(0) == hash && !before.one().null(1)) {
        vals[lm] = before.one().text(1);
        modified = before.one().i64(2);
      } else {
        vals[lm] = format_iso8601(modified);
      }
    }
    std::string search = to_lower(text_or(vals[0]) + "\n" + text_or(vals[1]));
    bool created = false;
    std::int64_t id = upsert(f::services(), uuid,
                             {{"organisation_id", org}, {"modified_at", modified}, {"search_text", search}, {"feed_hash", hash}},
                             vals, "directory_service", &created);
    ++result.services;
    // A service added just now has no nested records to replace.
    if (!created && !cleared_services_.count(id)) clear_children(id);

    if (const auto* a = list_of(o, "schedules", path))
      for (std::size_t i = 0; i < a->size(); ++i) {
        std::string p = at(path, "schedules", i);
        const auto& so = object_at((*a)[i], p);
        child(f::schedules(), so, p, {{"service_id", id}, {"service_at_location_id", nullptr}}, "directory_schedule");
      }
    if (const auto* a = list_of(o, "service_at_locations", path))
      for (std::size_t i = 0; i < a->size(); ++i) {
        std::string p = at(path, "service_at_locations", i);
        const auto& so = object_at((*a)[i], p);
        std::string sal_uuid = f::id_of(so, p);
        std::int64_t loc = 0;
        if (const auto* l = so.if_contains("location"); l && !l->is_null()) {
          loc = location(object_at(*l, p + ".location"), p + ".location");
        } else if (const auto* l = so.if_contains("location_id"); l && l->is_string()) {
          auto r = look("SELECT id FROM directory_locations WHERE partnership_id = $1 AND uuid = $2",
                           {to_lower(std::string(l->as_string()))});
          if (r.empty()) throw ImportError(p + ".location_id", "directory.error_unknown_location");
          loc = r.one().i64(0);
        } else {
          throw ImportError(p + ".location", "directory.error_missing");
        }
        child_row(f::Entity{"directory_service_at_locations", {}}, sal_uuid, p, {{"service_id", id}, {"location_id", loc}},
                  {}, "directory_service_at_location");
      }
    if (const auto* a = list_of(o, "cost_options", path))
      for (std::size_t i = 0; i < a->size(); ++i) {
        std::string p = at(path, "cost_options", i);
        child(f::cost_options(), object_at((*a)[i], p), p, {{"service_id", id}}, "directory_cost_option");
      }
    for (const auto& [name, entity, type] :
         {std::tuple<const char*, const f::Entity*, const char*>{"service_areas", &f::service_areas(), "directory_service_area"},
          std::tuple<const char*, const f::Entity*, const char*>{"languages", &f::languages(), "directory_language"},
          std::tuple<const char*, const f::Entity*, const char*>{"funding", &f::funding(), "directory_funding"}})
      if (const auto* a = list_of(o, name, path))
        for (std::size_t i = 0; i < a->size(); ++i) {
          std::string p = at(path, name, i);
          child(*entity, object_at((*a)[i], p), p, {{"service_id", id}}, type);
        }
    if (const auto* a = list_of(o, "contacts", path))
      for (std::size_t i = 0; i < a->size(); ++i) {
        std::string p = at(path, "contacts", i);
        const auto& co = object_at((*a)[i], p);
        // Not an ORUK field: a staff contact is marked private in the feed and is never published.
        std::int64_t priv = 0;
        if (const auto* v = co.if_contains("private"); v && !v->is_null()) {
          if (!v->is_bool()) throw ImportError(p + ".private", "directory.error_not_true_false");
          priv = v->as_bool() ? 1 : 0;
        }
        std::int64_t cid = child(f::contacts(), co, p, {{"service_id", id}, {"is_private", priv}}, "directory_contact");
        if (const auto* ph = list_of(co, "phones", p))
          for (std::size_t j = 0; j < ph->size(); ++j) {
            std::string pp = at(p, "phones", j);
            child(f::phones(), object_at((*ph)[j], pp), pp, {{"contact_id", cid}}, "directory_phone");
          }
      }
    if (const auto* a = list_of(o, "attributes", path))
      for (std::size_t i = 0; i < a->size(); ++i) {
        std::string p = at(path, "attributes", i);
        const auto& ao = object_at((*a)[i], p);
        std::int64_t term_id = 0;
        if (const auto* t = ao.if_contains("taxonomy_term"); t && !t->is_null()) {
          term_id = term(object_at(*t, p + ".taxonomy_term"), p + ".taxonomy_term", std::nullopt);
        } else if (const auto* t = ao.if_contains("taxonomy_term_id"); t && !t->is_null()) {
          if (!t->is_string() || !f::is_uuid(std::string(t->as_string())))
            throw ImportError(p + ".taxonomy_term_id", "directory.error_not_uuid");
          // Many services share a few terms: each is looked up once per import.
          std::string term_uuid = to_lower(std::string(t->as_string()));
          if (auto it = term_ids_.find(term_uuid); it != term_ids_.end()) {
            term_id = it->second;
          } else {
            auto r = look("SELECT id FROM directory_taxonomy_terms WHERE partnership_id = $1 AND uuid = $2", {term_uuid});
            if (r.empty()) throw ImportError(p + ".taxonomy_term_id", "directory.error_unknown_term");
            term_id = term_ids_[term_uuid] = r.one().i64(0);
          }
        } else {
          throw ImportError(p + ".taxonomy_term_id", "directory.error_missing");
        }
        child(f::attributes(), ao, p, {{"service_id", id}, {"taxonomy_term_id", term_id}}, "directory_attribute");
      }
  }

 private:
  using Extra = std::vector<std::pair<std::string, Value>>;

  // Finds the record by its ORUK id and updates it, or adds it. Returns its internal id; `created`,
  // when given, says whether it was added. `nested`: a record met once only (see child_row).
  //
  // Writes here are not audited one by one: the import as a whole is one audited act (import_feed
  // records what it added and, for a file, its SHA-256), which is what an auditor can act on, and a
  // row per nested record was most of an import's statements.
  std::int64_t upsert(const f::Entity& e, const std::string& uuid, const Extra& extra, const Params& vals,
                      const std::string& type, bool* created = nullptr, bool nested = false) {
    (void)type;
    if (created) *created = false;
    // The columns written: the caller's extra ones, then the entity's. The same few lists recur for
    // every record of a table, so each is made once and found again by its signature.
    std::string sig = e.table;
    for (const auto& [c, v] : extra) sig.append("|").append(c);
    sig.append("#").append(std::to_string(e.fields.size()));
    auto [shape, fresh] = shapes_.try_emplace(sig);
    if (fresh) {
      shape->second.table = e.table;
      for (const auto& [c, v] : extra) shape->second.cols.push_back(c);
      for (const auto& fd : e.fields) shape->second.cols.push_back(fd.col());
    }
    const std::vector<std::string>& cols = shape->second.cols;
    Params params;
    params.reserve(cols.size() + 2);
    for (const auto& [c, v] : extra) params.push_back(v);
    for (std::size_t i = 0; i < e.fields.size(); ++i) params.push_back(vals[i]);
    if (auto t = there_.find(e.table); t != there_.end())
      if (auto it = t->second.find(uuid); it != t->second.end()) {
        // Known to be there (prefetch): updated with the rest of the batch at the next flush. Each
        // such record is met once per import, so no two updates of one row wait together.
        std::int64_t id = it->second;
        t->second.erase(it);
        if (!cols.empty()) {
          Params row{id};
          for (auto& v : params) row.push_back(std::move(v));
          updates_[sig].push_back(std::move(row));
        }
        return id;
      }
    if (auto a = absent_.find(e.table); a != absent_.end() && a->second.erase(uuid)) {
      // Known not to be there (prefetch): a new id from the table's sequence, the row queued for a
      // multi-row INSERT, no round trip now.
      std::int64_t id = next_id(e.table);
      queue(sig, uuid, id, std::move(params));
      if (!nested) added_[e.table][uuid] = id;
      if (created) *created = true;
      return id;
    }
    std::optional<std::int64_t> existing;
    if (auto k = added_.find(e.table); k != added_.end())
      if (auto it = k->second.find(uuid); it != k->second.end()) existing = it->second;
    flush();
    if (!existing) {
      auto found = s_.read("SELECT id FROM " + e.table + " WHERE partnership_id = $1 AND uuid = $2", {uuid});
      if (!found.empty()) existing = found.one().i64(0);
    }
    if (existing) {
      std::int64_t id = *existing;
      if (cols.empty()) return id;
      std::string sql = "UPDATE " + e.table + " SET ";
      for (std::size_t i = 0; i < cols.size(); ++i) sql += (i ? ", " : "") + cols[i] + " = $" + std::to_string(i + 3);
      sql += " WHERE partnership_id = $1 AND id = $2";
      Params p{id};
      p.insert(p.end(), params.begin(), params.end());
      s_.bookkeeping(sql, p);
      return id;
    }
    std::string sql = "INSERT INTO " + e.table + " (partnership_id, uuid";
    std::string marks = "$1, $2";
    for (std::size_t i = 0; i < cols.size(); ++i) {
      sql += ", " + cols[i];
      marks += ", $" + std::to_string(i + 3);
    }
    sql += ") VALUES (" + marks + ") RETURNING id";
    Params p{uuid};
    p.insert(p.end(), params.begin(), params.end());
    if (created) *created = true;
    ++rows_;
    return s_.bookkeeping(sql, p).one().i64(0);
  }

  // ---- PostgreSQL: batches. Each statement there is a round trip to the server (SQLite's is a
  // function call), and one per record made a 100,000-service import take minutes. The records of a
  // batch of services are looked up together (prefetch); the nested records of the batch's services
  // and places that are already there are cleared together, before any of the batch is written (as
  // service() and location() would clear them one by one); new records get ids from their table's
  // sequence in one statement and go in by COPY, parents before children; records already there are
  // updated together from one JSON document per table. So a batch is a handful of statements
  // whether it adds 1,000 services or replaces them.
 public:
  void prefetch(const json::array& services, std::size_t from, std::size_t to) {
    if (s_.dialect() != store::Dialect::postgres) return;
    flush();  // an earlier batch's rows first: what is looked up and cleared below must see them
    std::map<std::string, std::set<std::string>> ids;
    auto id = [](const json::value& v) -> std::string {
      if (!v.is_object()) return "";
      const auto* i = v.as_object().if_contains("id");
      return i && i->is_string() && f::is_uuid(std::string(i->as_string())) ? to_lower(std::string(i->as_string())) : "";
    };
    auto each = [&](const json::value& parent, const char* name, const std::string& table,
                    const std::function<void(const json::value&)>& also = nullptr) {
      if (!parent.is_object()) return;
      const auto* a = parent.as_object().if_contains(name);
      if (!a || !a->is_array()) return;
      for (const auto& v : a->as_array()) {
        if (auto u = id(v); !u.empty() && !table.empty()) ids[table].insert(u);
        if (also) also(v);
      }
    };
    std::set<std::string> term_refs;
    for (std::size_t i = from; i < to && i < services.size(); ++i) {
      const auto& sv = services[i];
      if (auto u = id(sv); !u.empty() && !seen_services_.count(u)) ids["directory_services"].insert(u);
      each(sv, "schedules", "directory_schedules");
      each(sv, "cost_options", "directory_cost_options");
      each(sv, "service_areas", "directory_service_areas");
      each(sv, "languages", "directory_languages");
      each(sv, "funding", "directory_funding");
      each(sv, "attributes", "directory_attributes", [&](const json::value& a) {
        if (!a.is_object()) return;
        const auto* t = a.as_object().if_contains("taxonomy_term_id");
        if (t && t->is_string() && !term_ids_.count(to_lower(std::string(t->as_string()))))
          term_refs.insert(to_lower(std::string(t->as_string())));
      });
      each(sv, "contacts", "directory_contacts", [&](const json::value& c) { each(c, "phones", "directory_phones"); });
      each(sv, "service_at_locations", "directory_service_at_locations", [&](const json::value& sal) {
        if (!sal.is_object()) return;
        const auto* loc = sal.as_object().if_contains("location");
        if (!loc || !loc->is_object()) return;
        auto u = id(*loc);
        // A place met earlier in this import has been written and its addresses replaced already.
        if (u.empty() || locations_.count(u)) return;
        ids["directory_locations"].insert(u);
        each(*loc, "addresses", "directory_addresses");
        each(*loc, "accessibility", "directory_accessibility");
      });
    }
    static const std::vector<std::string> children = {
        "directory_schedules", "directory_cost_options", "directory_service_areas", "directory_languages",
        "directory_funding", "directory_attributes", "directory_contacts", "directory_phones",
        "directory_service_at_locations", "directory_addresses", "directory_accessibility"};
    std::vector<std::string> tables = children;
    tables.insert(tables.begin(), {"directory_services", "directory_locations"});
    if (!begun_) {
      begun_ = true;
      // A partnership with no services and no places has no nested records either (each needs its
      // parent), so nothing this import meets can be there unless this import wrote it, and what it
      // wrote it remembers: the look-ups below are then only of topics. Otherwise the planner needs
      // statistics that know the partnership's rows (see Scope::refresh_statistics).
      // (By an index whatever the statistics say: a plan that scans the table to find that a new
      // partnership has no rows reads every other partnership's.)
      fresh_ = with_setting("enable_seqscan", "off", [&] {
                 return s_.read("SELECT CASE WHEN EXISTS (SELECT 1 FROM directory_services WHERE partnership_id = $1)"
                                " OR EXISTS (SELECT 1 FROM directory_locations WHERE partnership_id = $1) THEN 0 ELSE 1 END");
               }).one().i64(0) == 1;
      if (!fresh_) {
        std::vector<std::string> looked_up = tables;
        looked_up.push_back("directory_taxonomy_terms");
        s_.refresh_statistics(looked_up, 10000);
      }
    }
    auto found = lookup(fresh_ ? std::vector<std::string>{} : tables, ids, term_refs);
    // The nested records of services and places already there are replaced by the feed's: cleared
    // now for the whole batch, then looked up again (a record that moves between two of them is
    // added afresh, as it would be had its old parent been cleared first).
    std::string services_there, places_there;
    for (const auto& [u, i] : found["directory_services"]) {
      services_there += (services_there.empty() ? "" : ",") + std::to_string(i);
      cleared_services_.insert(i);
    }
    for (const auto& [u, i] : found["directory_locations"]) {
      places_there += (places_there.empty() ? "" : ",") + std::to_string(i);
      cleared_locations_.insert(i);
    }
    if (!services_there.empty()) {
      // Each statement reads one table by an index on its parent. (Joined in one statement, the
      // planner, going by statistics taken before this partnership had rows, chose to scan the
      // phones once per contact: 18 s for a batch.)
      Params p{"{" + services_there + "}"};
      auto ids_of = [&](const std::string& sql) {
        std::string list;
        for (const auto& r : s_.read(sql, p).rows) list += (list.empty() ? "" : ",") + r.text(0);
        return "{" + list + "}";
      };
      std::string contacts = ids_of("SELECT id FROM directory_contacts WHERE partnership_id = $1 AND service_id = ANY($2::bigint[])");
      std::string sals =
          ids_of("SELECT id FROM directory_service_at_locations WHERE partnership_id = $1 AND service_id = ANY($2::bigint[])");
      s_.bookkeeping("DELETE FROM directory_phones WHERE partnership_id = $1 AND contact_id = ANY($2::bigint[])", {contacts});
      s_.bookkeeping("DELETE FROM directory_contacts WHERE partnership_id = $1 AND service_id = ANY($2::bigint[])", p);
      // One statement per index (see clear_children).
      s_.bookkeeping("DELETE FROM directory_schedules WHERE partnership_id = $1 AND service_id = ANY($2::bigint[])", p);
      s_.bookkeeping("DELETE FROM directory_schedules WHERE partnership_id = $1 AND service_at_location_id = ANY($2::bigint[])",
                     {sals});
      for (const char* t : {"directory_cost_options", "directory_service_areas", "directory_languages", "directory_funding",
                            "directory_attributes", "directory_service_at_locations"})
        s_.bookkeeping("DELETE FROM " + std::string(t) + " WHERE partnership_id = $1 AND service_id = ANY($2::bigint[])", p);
    }
    if (!places_there.empty()) {
      Params p{"{" + places_there + "}"};
      s_.bookkeeping("DELETE FROM directory_addresses WHERE partnership_id = $1 AND location_id = ANY($2::bigint[])", p);
      s_.bookkeeping("DELETE FROM directory_accessibility WHERE partnership_id = $1 AND location_id = ANY($2::bigint[])", p);
    }
    if (!services_there.empty() || !places_there.empty()) {
      auto again = lookup(children, ids, {});
      for (const auto& t : children) found[t] = std::move(again[t]);
    }
    // Every new record's id from its table's sequence, in one statement.
    std::string idsql;
    Params counts;
    for (std::size_t k = 0; k < tables.size(); ++k) {
      std::int64_t n = 0;
      auto& absent = absent_[tables[k]];
      auto& there = there_[tables[k]];
      for (const auto& u : ids[tables[k]]) {
        if (auto it = found[tables[k]].find(u); it != found[tables[k]].end()) there[u] = it->second;
        else if (absent.insert(u).second) ++n;
      }
      counts.push_back(n);
      idsql += std::string(k ? " UNION ALL " : "") + "SELECT " + std::to_string(k) + ", nextval(" + sequence(tables[k]) +
               "::regclass) FROM generate_series(1, $" + std::to_string(k + 2) + "::bigint)" + (k ? "" : " WHERE $1::bigint > 0");
    }
    for (const auto& r : s_.read(idsql, counts).rows) ids_[tables[static_cast<std::size_t>(r.i64(0))]].push_back(r.i64(1));
  }

  // True when the service is known not to be in the database (so it has no earlier version).
  bool known_new(const std::string& table, const std::string& uuid) const {
    auto a = absent_.find(table);
    return a != absent_.end() && a->second.count(uuid);
  }

  // Writes every queued row: new ones by COPY, parents first, then the updates. Called before any
  // statement that could read them.
  void flush() {
    static const std::vector<std::string> order = {
        "directory_taxonomies", "directory_taxonomy_terms", "directory_organisations", "directory_organisation_identifiers",
        "directory_services", "directory_locations", "directory_addresses", "directory_accessibility",
        "directory_service_at_locations", "directory_schedules", "directory_cost_options", "directory_service_areas",
        "directory_languages", "directory_funding", "directory_contacts", "directory_phones", "directory_attributes"};
    if (queued_ == 0 && updates_.empty()) return;
    auto write = [&](const std::string& table) {
      for (auto it = pending_.begin(); it != pending_.end();) {
        const Shape& shape = shapes_.at(it->first);
        if (shape.table != table) {
          ++it;
          continue;
        }
        std::vector<std::string> cols{"id", "uuid"};
        cols.insert(cols.end(), shape.cols.begin(), shape.cols.end());
        s_.copy_rows(table, cols, it->second);
        rows_ += static_cast<std::int64_t>(it->second.size());
        it = pending_.erase(it);
      }
    };
    for (const auto& t : order) write(t);
    while (!pending_.empty()) write(shapes_.at(pending_.begin()->first).table);
    queued_ = 0;
    // Records already there, a statement per table: the rows as one JSON document, read back into
    // the table's own row type, so every column keeps its type.
    for (auto& [sig, rows] : updates_) {
      const std::string& table = shapes_.at(sig).table;
      const std::vector<std::string>& cols = shapes_.at(sig).cols;
      json::array doc;
      doc.reserve(rows.size());
      for (auto& row : rows) {
        json::object o;
        o["partnership_id"] = s_.partnership();
        o["id"] = std::get<std::int64_t>(row[0]);
        for (std::size_t i = 0; i < cols.size(); ++i) {
          const Value& v = row[i + 1];
          if (auto* iv = std::get_if<std::int64_t>(&v)) o[cols[i]] = *iv;
          else if (auto* dv = std::get_if<double>(&v)) o[cols[i]] = *dv;
          else if (auto* sv = std::get_if<std::string>(&v)) o[cols[i]] = *sv;
          else o[cols[i]] = nullptr;
        }
        doc.push_back(std::move(o));
      }
      // The rows are read once (MATERIALIZED), the records found by their ids ($3) and the two
      // matched by hashing. Going by statistics taken before this partnership had rows, the planner
      // otherwise chose a nested loop that re-read the document once per record of the
      // partnership (3 to 4 s a batch); nested loops are off for this statement alone.
      std::string sql = "WITH s AS MATERIALIZED (SELECT * FROM json_populate_recordset(NULL::" + table +
                        ", $2::json) AS j WHERE j.partnership_id = $1) UPDATE " + table + " AS t SET ";
      for (std::size_t i = 0; i < cols.size(); ++i) sql += (i ? ", " : "") + cols[i] + " = s." + cols[i];
      sql += " FROM s WHERE t.partnership_id = $1 AND t.id = ANY($3::bigint[]) AND t.id = s.id";
      std::string list;
      for (const auto& row : rows) {
        if (!list.empty()) list += ',';
        list += std::to_string(std::get<std::int64_t>(row[0]));
      }
      with_setting("enable_nestloop", "off", [&] { return s_.bookkeeping(sql, {json::serialize(doc), "{" + list + "}"}); });
    }
    updates_.clear();
  }

  // How many rows the import wrote or replaced, for its audit entry.
  std::int64_t rows_written() const { return rows_; }

 private:
  // Each table's records among `ids` that are there (uuid -> id), one statement for all the tables
  // (a fixed shape: each table's list is one comma-joined parameter, read by index probes); the
  // taxonomy terms `terms` names are noted in term_ids_.
  std::map<std::string, std::map<std::string, std::int64_t>> lookup(const std::vector<std::string>& tables,
                                                                    std::map<std::string, std::set<std::string>>& ids,
                                                                    const std::set<std::string>& terms) {
    auto joined = [](const std::set<std::string>& set) {
      std::string out;
      for (const auto& v : set) out += (out.empty() ? "" : ",") + v;
      return out;
    };
    std::vector<std::string> all = tables;
    all.push_back("directory_taxonomy_terms");
    std::string sql;
    Params p;
    for (std::size_t k = 0; k < all.size(); ++k) {
      p.push_back(k + 1 == all.size() ? joined(terms) : joined(ids[all[k]]));
      sql += std::string(k ? " UNION ALL " : "") + "SELECT " + std::to_string(k) + ", u.uuid, x.id FROM unnest(string_to_array($" +
             std::to_string(k + 2) + ", ',')) AS u (uuid) CROSS JOIN LATERAL (SELECT id FROM " + all[k] +
             " WHERE partnership_id = $1 AND uuid = u.uuid LIMIT 1) AS x";
    }
    std::map<std::string, std::map<std::string, std::int64_t>> out;
    // One probe of each table's (partnership, uuid) index per listed id. The plan is the generic one,
    // made without looking at which partnership: one large import is one transaction, so the
    // statistics the server has were taken before this partnership had any rows, and a plan made for
    // it by name took it for a handful of rows, read them through whichever index began with the
    // partnership (the organisation index, say) and then grew with every batch: up to 17 s of a
    // 100,000-service import, where the probes take under one. The generic plan goes by how many
    // rows a partnership has on average, which needs statistics (gathered when this import began if
    // the tables had none); on an empty table every index looks alike, which is why an import into
    // an empty partnership does not look its records up at all.
    auto found = with_setting("plan_cache_mode", "force_generic_plan", [&] { return s_.read(sql, p); });
    for (const auto& r : found.rows) {
      const auto& table = all[static_cast<std::size_t>(r.i64(0))];
      if (table == "directory_taxonomy_terms") term_ids_[r.text(1)] = r.i64(2);
      else out[table][r.text(1)] = r.i64(2);
    }
    return out;
  }

  // Runs one statement (`run`) with a planner setting changed, then puts back what the setting was.
  // Local to the transaction, so a failed statement's rollback puts it back too.
  template <class Run>
  store::Result with_setting(const std::string& name, const std::string& value, Run run) {
    std::string before = s_.read("SELECT current_setting($2), set_config($2, $3, true) WHERE $1::bigint > 0", {name, value})
                             .one()
                             .text(0);
    store::Result out = run();
    s_.read("SELECT set_config($2, $3, true) WHERE $1::bigint > 0", {name, before});
    return out;
  }

  // The table's id sequence as a quoted SQL literal, asked of the server once per import. (Named
  // in the statement, the sequence is found when the statement is planned; asked for by table name,
  // it was found again for every id: a tenth of a large import's time.)
  const std::string& sequence(const std::string& table) {
    auto it = sequences_.find(table);
    if (it == sequences_.end()) {
      auto r = s_.read("SELECT pg_get_serial_sequence($2, 'id') WHERE $1::bigint > 0", {table});
      std::string name = r.empty() || r.one().null(0) ? "" : r.one().text(0);
      if (name.empty() || name.find('\'') != std::string::npos) throw std::runtime_error("no id sequence for " + table);
      it = sequences_.emplace(table, "'" + name + "'").first;
    }
    return it->second;
  }

  std::int64_t next_id(const std::string& table) {
    auto& pool = ids_[table];
    if (pool.empty())  // prefetch took as many as it found missing; this is only a safety net
      for (const auto& r : s_.read("SELECT nextval(" + sequence(table) + "::regclass)"
                                   " FROM generate_series(1, 16) WHERE $1::bigint > 0")
                               .rows)
        pool.push_back(r.i64(0));
    std::int64_t id = pool.front();
    pool.pop_front();
    return id;
  }

  void queue(const std::string& sig, const std::string& uuid, std::int64_t id, Params vals) {
    Params row;
    row.reserve(vals.size() + 2);
    row.emplace_back(id);
    row.emplace_back(uuid);
    for (auto& v : vals) row.push_back(std::move(v));
    pending_[sig].push_back(std::move(row));
    if (++queued_ >= 50000) flush();
  }

  // Hashed, not ordered: a large import holds a million ids in these, and is never asked their order.
  std::map<std::string, std::unordered_set<std::string>> absent_;            // table -> uuids not in the database
  std::map<std::string, std::unordered_map<std::string, std::int64_t>> there_;  // table -> uuid -> id, not yet updated
  std::map<std::string, std::unordered_map<std::string, std::int64_t>> added_;  // table -> uuid -> id queued here
  // A table and the columns written to it, by signature (the table and the caller's extra columns).
  struct Shape {
    std::string table;
    std::vector<std::string> cols;
  };
  std::unordered_map<std::string, Shape> shapes_;
  std::map<std::string, std::vector<Params>> pending_;  // by shape: rows to add (id, uuid, the columns)
  std::map<std::string, std::vector<Params>> updates_;  // by shape: rows to change (id, the columns)
  std::map<std::string, std::deque<std::int64_t>> ids_;                      // unused ids from each sequence
  std::map<std::string, std::string> sequences_;                             // table -> its id sequence, quoted
  bool begun_ = false;  // the first batch has been looked up
  bool fresh_ = false;  // the partnership had no services and no places when this import began
  std::set<std::int64_t> cleared_services_, cleared_locations_;              // nested records already cleared
  std::size_t queued_ = 0;
  std::int64_t rows_ = 0;

  // A nested record met in this import: its table's number and the 128 bits of its id (checked and
  // lower-cased already), so that the million of them in a large feed take no string each.
  struct ChildKey {
    std::uint64_t hi = 0, lo = 0;
    std::uint32_t table = 0;
    bool operator==(const ChildKey&) const = default;
  };
  struct ChildKeyHash {
    std::size_t operator()(const ChildKey& k) const {
      return static_cast<std::size_t>((k.hi * 0x9E3779B97F4A7C15ull) ^ k.lo ^ (static_cast<std::uint64_t>(k.table) << 56));
    }
  };
  std::unordered_set<ChildKey, ChildKeyHash> seen_children_;
  std::map<std::string, std::uint32_t> table_numbers_;

  ChildKey child_key(const std::string& table, const std::string& uuid) {
    ChildKey k;
    k.table = table_numbers_.emplace(table, static_cast<std::uint32_t>(table_numbers_.size())).first->second;
    int digits = 0;
    for (char c : uuid) {
      if (c == '-') continue;
      std::uint64_t v = c <= '9' ? static_cast<std::uint64_t>(c - '0') : static_cast<std::uint64_t>(c - 'a' + 10);
      std::uint64_t& half = digits++ < 16 ? k.hi : k.lo;
      half = (half << 4) | v;
    }
    return k;
  }

  // A record that belongs to one parent: its id may appear once in the whole feed. It is never met
  // again, so it is not remembered as added.
  std::int64_t child_row(const f::Entity& e, const std::string& uuid, const std::string& path, const Extra& extra,
                         const Params& vals, const std::string& type) {
    if (!seen_children_.insert(child_key(e.table, uuid)).second)
      throw ImportError(path + ".id", "directory.error_duplicate_id");
    return upsert(e, uuid, extra, vals, type, nullptr, true);
  }

  std::int64_t child(const f::Entity& e, const json::object& o, const std::string& path, const Extra& extra,
                     const std::string& type) {
    std::string uuid = f::id_of(o, path);
    return child_row(e, uuid, path, extra, f::values(e, o, path), type);
  }

  // The service's nested records are replaced by the feed's: what the feed no longer lists goes.
  void clear_children(std::int64_t id) {
    s_.bookkeeping("DELETE FROM directory_phones WHERE partnership_id = $1 AND contact_id IN"
             " (SELECT id FROM directory_contacts WHERE partnership_id = $1 AND service_id = $2)",
             {id});
    s_.bookkeeping("DELETE FROM directory_contacts WHERE partnership_id = $1 AND service_id = $2", {id});
    // Two statements, each by its own index: written as one with OR, SQLite read every opening time
    // of the partnership for each service, so importing a directory again took time that grew with
    // the square of its size (18 minutes for 100,000 services).
    s_.bookkeeping("DELETE FROM directory_schedules WHERE partnership_id = $1 AND service_id = $2", {id});
    s_.bookkeeping("DELETE FROM directory_schedules WHERE partnership_id = $1 AND service_at_location_id IN"
             " (SELECT id FROM directory_service_at_locations WHERE partnership_id = $1 AND service_id = $2)",
             {id});
    s_.bookkeeping("DELETE FROM directory_cost_options WHERE partnership_id = $1 AND service_id = $2", {id});
    s_.bookkeeping("DELETE FROM directory_service_areas WHERE partnership_id = $1 AND service_id = $2", {id});
    s_.bookkeeping("DELETE FROM directory_languages WHERE partnership_id = $1 AND service_id = $2", {id});
    s_.bookkeeping("DELETE FROM directory_funding WHERE partnership_id = $1 AND service_id = $2", {id});
    s_.bookkeeping("DELETE FROM directory_attributes WHERE partnership_id = $1 AND service_id = $2", {id});
    s_.bookkeeping("DELETE FROM directory_service_at_locations WHERE partnership_id = $1 AND service_id = $2", {id});
  }

  // Locations and terms are shared: the same one may appear under many services.
  std::int64_t location(const json::object& o, const std::string& path) {
    std::string uuid = f::id_of(o, path);
    if (auto it = locations_.find(uuid); it != locations_.end()) return it->second;
    auto vals = f::values(f::locations(), o, path);
    // Not an ORUK field: a location marked private (a refuge, say) is kept but never published.
    std::int64_t priv = 0;
    if (const auto* v = o.if_contains("private"); v && !v->is_null()) {
      if (!v->is_bool()) throw ImportError(path + ".private", "directory.error_not_true_false");
      priv = v->as_bool() ? 1 : 0;
    }
    bool created = false;
    std::int64_t id = upsert(f::locations(), uuid, {{"is_private", priv}}, vals, "directory_location", &created);
    locations_[uuid] = id;
    ++result.locations;
    if (!created && !cleared_locations_.count(id)) {
      s_.bookkeeping("DELETE FROM directory_addresses WHERE partnership_id = $1 AND location_id = $2", {id});
      s_.bookkeeping("DELETE FROM directory_accessibility WHERE partnership_id = $1 AND location_id = $2", {id});
    }
    if (const auto* a = list_of(o, "addresses", path))
      for (std::size_t i = 0; i < a->size(); ++i) {
        std::string p = at(path, "addresses", i);
        child(f::addresses(), object_at((*a)[i], p), p, {{"location_id", id}}, "directory_address");
      }
    if (const auto* a = list_of(o, "accessibility", path))
      for (std::size_t i = 0; i < a->size(); ++i) {
        std::string p = at(path, "accessibility", i);
        child(f::accessibility(), object_at((*a)[i], p), p, {{"location_id", id}}, "directory_accessibility");
      }
    return id;
  }

  std::int64_t term(const json::object& o, const std::string& path, std::optional<std::int64_t> taxonomy) {
    std::string uuid = f::id_of(o, path);
    if (auto it = terms_.find(uuid); it != terms_.end() && !taxonomy) return it->second;
    auto vals = f::values(f::taxonomy_terms(), o, path);
    if (!taxonomy)
      if (const auto* v = o.if_contains("taxonomy_id"); v && !v->is_null()) {
        if (!v->is_string() || !f::is_uuid(std::string(v->as_string())))
          throw ImportError(path + ".taxonomy_id", "directory.error_not_uuid");
        auto r = look("SELECT id FROM directory_taxonomies WHERE partnership_id = $1 AND uuid = $2",
                         {to_lower(std::string(v->as_string()))});
        if (r.empty()) throw ImportError(path + ".taxonomy_id", "directory.error_unknown_taxonomy");
        taxonomy = r.one().i64(0);
      }
    Extra extra;
    if (taxonomy) extra.emplace_back("taxonomy_id", *taxonomy);
    std::int64_t id = upsert(f::taxonomy_terms(), uuid, extra, vals, "directory_taxonomy_term");
    if (terms_.emplace(uuid, id).second) ++result.taxonomy_terms;
    return id;
  }

 public:
  // An organisation document with its services nested is also a feed, so this one is public.
  std::int64_t organisation(const json::object& o, const std::string& path) {
    std::string uuid = f::id_of(o, path);
    if (auto it = organisations_.find(uuid); it != organisations_.end()) return it->second;
    auto vals = f::values(organisation_fields(), o, path);
    auto mapped = look(
        "SELECT organisation_id FROM directory_organisations WHERE partnership_id = $1 AND uuid = $2", {uuid});
    std::optional<Organisation> current;
    if (!mapped.empty()) current = organisations_store::get(s_, mapped.one().i64(0));
    OrganisationInput in;
    if (current) in = *current;
    else in.kind = "other";
    in.name = text_or(vals[0]);
    in.summary = text_or(vals[1]);
    in.contact_email = text_or(vals[2]);
    in.website = text_or(vals[3]);
    for (const auto& p : organisations_store::validate(in)) {
      std::string field = p.field == "summary" ? "description" : p.field == "contact_email" ? "email" : p.field;
      throw ImportError(path + "." + field, p.key);
    }
    std::int64_t org_id;
    if (current) {
      org_id = current->id;
      // An unchanged organisation is left alone, so importing the same feed again writes nothing to it.
      if (in.name != current->name || in.summary != current->summary || in.contact_email != current->contact_email ||
          in.website != current->website)
        organisations_store::update(s_, org_id, in, std::nullopt);
    } else {
      org_id = organisations_store::create(s_, in);
    }
    std::int64_t mapping =
        upsert(f::Entity{"directory_organisations", {}}, uuid,
               {{"organisation_id", org_id}, {"logo", vals[4]}, {"uri", vals[5]}, {"parent_uuid", vals[6]}}, {},
               "directory_organisation");
    s_.bookkeeping("DELETE FROM directory_organisation_identifiers WHERE partnership_id = $1 AND directory_organisation_id = $2",
             {mapping});
    if (const auto* a = list_of(o, "organization_identifiers", path))
      for (std::size_t i = 0; i < a->size(); ++i) {
        std::string p = at(path, "organization_identifiers", i);
        child(f::organisation_identifiers(), object_at((*a)[i], p), p, {{"directory_organisation_id", mapping}},
              "directory_organisation_identifier");
      }
    organisations_[uuid] = org_id;
    ++result.organisations;
    return org_id;
  }

 private:
  store::Scope& s_;
  std::unordered_set<std::string> seen_services_, seen_taxonomies_;
  std::unordered_map<std::string, std::int64_t> locations_, terms_, organisations_;
  std::map<std::string, std::int64_t> term_ids_;  // taxonomy_term_id references already looked up
};

}  // namespace

namespace {

// One audit entry for the whole import, with what it added: see docs/security.md.
ImportResult finish(store::Scope& s, Importer& im) {
  im.flush();
  const auto& r = im.result;
  s.audit({"directory.import", "directory_import", std::nullopt,
           "services=" + std::to_string(r.services) + " locations=" + std::to_string(r.locations) +
               " taxonomies=" + std::to_string(r.taxonomies) + " terms=" + std::to_string(r.taxonomy_terms) +
               " organisations=" + std::to_string(r.organisations) + " rows=" + std::to_string(im.rows_written())});
  return r;
}

// The services of a list, `batch` at a time (on PostgreSQL each batch's records are looked up
// together: see Importer::prefetch), telling `progress` after each batch. Paths name each service by
// its place in the list. `owner`: the organisation they are nested in, if they are.
void import_list(Importer& im, const json::array& services, const std::string& name, std::size_t batch,
                 const std::function<void(std::size_t)>& progress, std::optional<std::int64_t> owner = std::nullopt) {
  batch = std::max<std::size_t>(batch, 1);
  for (std::size_t i = 0; i < services.size(); ++i) {
    if (i % batch == 0) {
      if (i && progress) progress(i);
      im.prefetch(services, i, i + batch);
    }
    std::string p = name + "[" + std::to_string(i) + "]";
    im.service(object_at(services[i], p), p, owner);
  }
  if (progress) progress(services.size());
}

void import_taxonomies(Importer& im, const json::array& taxonomies) {
  for (std::size_t i = 0; i < taxonomies.size(); ++i) {
    std::string p = "taxonomies[" + std::to_string(i) + "]";
    im.taxonomy(object_at(taxonomies[i], p), p);
  }
}

// Services whose records are looked up together when no one asks for progress.
constexpr std::size_t kPrefetch = 1000;

}  // namespace

ImportResult import_feed(store::Scope& s, const json::value& feed) {
  Importer im(s);
  const json::array* services = nullptr;
  const json::array* taxonomies = nullptr;
  if (feed.is_array()) {
    services = &feed.as_array();
  } else if (feed.is_object()) {
    const auto& o = feed.as_object();
    if (const auto* c = o.if_contains("contents")) {
      if (!c->is_array()) throw ImportError("contents", "directory.error_not_list");
      services = &c->as_array();
    } else if (o.contains("services") && o.contains("id") && !o.contains("status")) {
      // One organisation with its services nested, as /organizations/{id} returns it.
      std::int64_t org = im.organisation(o, "organization");
      if (const auto* sv = list_of(o, "services", "organization"))
        import_list(im, *sv, "organization.services", kPrefetch, nullptr, org);
      return finish(s, im);
    } else if (o.contains("services") || o.contains("taxonomies")) {
      if (const auto* t = o.if_contains("taxonomies")) {
        if (!t->is_array()) throw ImportError("taxonomies", "directory.error_not_list");
        taxonomies = &t->as_array();
      }
      if (const auto* sv = o.if_contains("services")) {
        if (!sv->is_array()) throw ImportError("services", "directory.error_not_list");
        services = &sv->as_array();
      }
    } else {
      // One fully nested service, as /services/{id} returns it.
      im.service(o, "services[0]");
      return finish(s, im);
    }
  } else {
    throw ImportError("", "directory.error_not_feed");
  }
  if (taxonomies) import_taxonomies(im, *taxonomies);
  if (services) import_list(im, *services, "services", kPrefetch, nullptr);
  return finish(s, im);
}

ImportResult import_services(store::Scope& s, const json::array* taxonomies, const json::array& services,
                             std::size_t batch, const std::function<void(std::size_t done)>& progress) {
  Importer im(s);
  if (taxonomies) import_taxonomies(im, *taxonomies);
  import_list(im, services, "services", batch, progress);
  return finish(s, im);
}

ImportResult import_file(app::App& app, std::int64_t partnership_id, const std::string& file,
                         const store::AuditContext& who) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ImportError("", "directory.error_cannot_read", {{"file", file}});
  std::ostringstream buf;
  buf << in.rdbuf();
  std::string text = std::move(buf).str();
  boost::system::error_code ec;
  json::monotonic_resource arena;  // freed at once when the import ends, not a node at a time
  json::value feed = json::parse(text, ec, &arena);
  if (ec) throw ImportError("", "directory.error_not_json", {{"file", file}});
  auto w = app.work(partnership_id, who);
  try {
    auto r = import_feed(w.scope(), feed);
    // Which file it was, so the import can be repeated or checked against a copy of the file.
    w->audit({"directory.import_file", "directory_import", std::nullopt, "sha256=" + sha256_hex(text)});
    w.commit();
    return r;
  } catch (const store::DbError& e) {
    // A rule the checks above missed (say, the same id twice across two imports' records) still
    // leaves nothing written; say so plainly rather than as a crash.
    if (e.kind == store::DbError::Kind::unique || e.kind == store::DbError::Kind::foreign_key ||
        e.kind == store::DbError::Kind::check)
      throw ImportError("", "directory.error_conflict");
    throw;
  }
}

std::string describe(const app::App& app, const ImportError& e, const std::string& lang) {
  std::string msg = app.catalogue.t(lang, e.key, e.args);
  return e.path.empty() ? msg : e.path + ": " + msg;
}

// ------------------------------------------------------------ reads

namespace {

json::object envelope(std::int64_t total, std::int64_t page, std::int64_t per_page, json::array contents) {
  // total_pages is 0 for an empty directory, so page 1 is then both the first and the last.
  std::int64_t pages = total == 0 ? 0 : (total + per_page - 1) / per_page;
  json::object o;
  o["total_items"] = total;
  o["total_pages"] = pages;
  o["page_number"] = page;
  o["size"] = static_cast<std::int64_t>(contents.size());  // the openapi Page: entities on this page
  o["first_page"] = page == 1;
  o["last_page"] = page >= pages;
  o["empty"] = contents.empty();
  o["contents"] = std::move(contents);
  return o;
}


class Reader {
 public:
  explicit Reader(store::Scope& s) : s_(s) {}

  // The organisation's one-to-one fields; with `full`, its identifiers too.
  std::optional<json::object> organisation(std::int64_t organisation_id, bool full = false) {
    if (auto it = orgs_.find(organisation_id); it != orgs_.end() && !full) return it->second;
    auto r = s_.read(
        "SELECT uuid, logo, uri, parent_uuid, id FROM directory_organisations WHERE partnership_id = $1 AND organisation_id = $2",
        {organisation_id});
    auto org = organisations_store::get(s_, organisation_id);
    if (r.empty() || !org) return orgs_[organisation_id] = std::nullopt;
    const auto& row = r.one();
    json::object o;
    o["id"] = row.text(0);
    o["name"] = org->name;
    o["description"] = org->summary;
    if (!org->contact_email.empty()) o["email"] = org->contact_email;
    if (!org->website.empty()) o["website"] = org->website;
    if (!row.null(1)) o["logo"] = row.text(1);
    if (!row.null(2)) o["uri"] = row.text(2);
    if (!row.null(3)) o["parent_organization_id"] = row.text(3);
    orgs_[organisation_id] = o;
    if (full) {
      json::array ids;
      for (const auto& i : s_.read("SELECT " + f::select_columns(f::organisation_identifiers()) +
                                       " FROM directory_organisation_identifiers WHERE partnership_id = $1"
                                       " AND directory_organisation_id = $2 ORDER BY id",
                                   {row.i64(4)})
                               .rows) {
        auto io = f::to_json(f::organisation_identifiers(), i);
        io["organization_id"] = o["id"];
        ids.push_back(std::move(io));
      }
      if (!ids.empty()) o["organization_identifiers"] = std::move(ids);
    }
    return o;
  }

  // The one-to-one fields of a service (what a list item carries). Columns: id, organisation_id, then fields.
  json::object service_item(const store::Row& r, bool full = false) {
    json::object o = f::to_json(f::services(), r, 2);
    if (!r.null(1))
      if (auto org = organisation(r.i64(1), full)) {
        o["organization_id"] = (*org)["id"];
        o["organization"] = *org;
      }
    return o;
  }

  json::object term(const store::Row& r) {
    // Columns: taxonomy_id, then the term's fields.
    json::object o = f::to_json(f::taxonomy_terms(), r, 1);
    if (!r.null(0)) {
      auto t = s_.read("SELECT uuid FROM directory_taxonomies WHERE partnership_id = $1 AND id = $2", {r.i64(0)});
      if (!t.empty()) o["taxonomy_id"] = t.one().text(0);
    }
    return o;
  }

  json::object location(std::int64_t id) {
    auto r = s_.read("SELECT " + f::select_columns(f::locations()) +
                         " FROM directory_locations WHERE partnership_id = $1 AND id = $2",
                     {id});
    json::object o = f::to_json(f::locations(), r.one());
    json::array addresses, access;
    for (const auto& a : s_.read("SELECT " + f::select_columns(f::addresses()) +
                                     " FROM directory_addresses WHERE partnership_id = $1 AND location_id = $2 ORDER BY id",
                                 {id})
                             .rows) {
      auto ao = f::to_json(f::addresses(), a);
      ao["location_id"] = o["id"];
      addresses.push_back(std::move(ao));
    }
    for (const auto& a : s_.read("SELECT " + f::select_columns(f::accessibility()) +
                                     " FROM directory_accessibility WHERE partnership_id = $1 AND location_id = $2 ORDER BY id",
                                 {id})
                             .rows) {
      auto ao = f::to_json(f::accessibility(), a);
      ao["location_id"] = o["id"];
      access.push_back(std::move(ao));
    }
    if (!addresses.empty()) o["addresses"] = std::move(addresses);
    if (!access.empty()) o["accessibility"] = std::move(access);
    return o;
  }

  // Places by id, each as location() gives it, in three queries however many there are (a page of
  // places near a postcode used to make three per place).
  std::map<std::int64_t, json::object> locations(const std::vector<std::int64_t>& ids) {
    std::map<std::int64_t, json::object> out;
    if (ids.empty()) return out;
    Params p;
    std::string list;
    for (auto id : ids) {
      p.push_back(id);
      list += (list.empty() ? "$" : ", $") + std::to_string(p.size() + 1);
    }
    for (const auto& r : s_.read("SELECT id, " + f::select_columns(f::locations()) +
                                     " FROM directory_locations WHERE partnership_id = $1 AND id IN (" + list + ")",
                                 p)
                             .rows)
      out[r.i64(0)] = f::to_json(f::locations(), r, 1);
    std::map<std::int64_t, json::array> addresses, access;
    auto children = [&](const f::Entity& e, const std::string& table, std::map<std::int64_t, json::array>& into) {
      for (const auto& a : s_.read("SELECT location_id, " + f::select_columns(e) + " FROM " + table +
                                       " WHERE partnership_id = $1 AND location_id IN (" + list + ") ORDER BY id",
                                   p)
                               .rows) {
        auto it = out.find(a.i64(0));
        if (it == out.end()) continue;
        auto ao = f::to_json(e, a, 1);
        ao["location_id"] = it->second["id"];
        into[a.i64(0)].push_back(std::move(ao));
      }
    };
    children(f::addresses(), "directory_addresses", addresses);
    children(f::accessibility(), "directory_accessibility", access);
    for (auto& [id, o] : out) {
      if (auto it = addresses.find(id); it != addresses.end()) o["addresses"] = std::move(it->second);
      if (auto it = access.find(id); it != access.end()) o["accessibility"] = std::move(it->second);
    }
    return out;
  }

  json::object full(const store::Row& r) {
    std::int64_t id = r.i64(0);
    json::object o = service_item(r, true);
    const std::string uuid = r.text(2);
    auto many = [&](const f::Entity& e, const std::string& where) {
      json::array out;
      for (const auto& row : s_.read("SELECT " + f::select_columns(e) + " FROM " + e.table +
                                         " WHERE partnership_id = $1 AND " + where + " ORDER BY id",
                                     {id})
                                 .rows) {
        auto item = f::to_json(e, row);
        item["service_id"] = uuid;
        out.push_back(std::move(item));
      }
      return out;
    };
    o["schedules"] = many(f::schedules(), "service_id = $2");
    json::array sal;
    // A private location (a refuge) is left out altogether, with the link that would point at it.
    for (const auto& row : s_.read("SELECT uuid, location_id FROM directory_service_at_locations"
                                   " WHERE partnership_id = $1 AND service_id = $2 AND location_id IN"
                                   " (SELECT id FROM directory_locations WHERE partnership_id = $1 AND is_private = 0)"
                                   " ORDER BY id",
                                   {id})
                               .rows) {
      json::object so;
      so["id"] = row.text(0);
      so["service_id"] = uuid;
      auto loc = location(row.i64(1));
      so["location_id"] = loc["id"];
      so["location"] = std::move(loc);
      sal.push_back(std::move(so));
    }
    o["service_at_locations"] = std::move(sal);
    o["cost_options"] = many(f::cost_options(), "service_id = $2");
    o["service_areas"] = many(f::service_areas(), "service_id = $2");
    o["languages"] = many(f::languages(), "service_id = $2");
    o["funding"] = many(f::funding(), "service_id = $2");
    json::array contacts;
    for (const auto& row : s_.read("SELECT id, " + f::select_columns(f::contacts()) +
                                       " FROM directory_contacts WHERE partnership_id = $1 AND service_id = $2"
                                       " AND is_private = 0 ORDER BY id",
                                   {id})
                               .rows) {
      auto c = f::to_json(f::contacts(), row, 1);
      c["service_id"] = uuid;
      json::array phones;
      for (const auto& p : s_.read("SELECT " + f::select_columns(f::phones()) +
                                       " FROM directory_phones WHERE partnership_id = $1 AND contact_id = $2 ORDER BY id",
                                   {row.i64(0)})
                               .rows) {
        auto po = f::to_json(f::phones(), p);
        po["contact_id"] = c["id"];
        phones.push_back(std::move(po));
      }
      if (!phones.empty()) c["phones"] = std::move(phones);
      contacts.push_back(std::move(c));
    }
    o["contacts"] = std::move(contacts);
    json::array attrs;
    for (const auto& row : s_.read("SELECT taxonomy_term_id, " + f::select_columns(f::attributes()) +
                                       " FROM directory_attributes WHERE partnership_id = $1 AND service_id = $2 ORDER BY id",
                                   {id})
                               .rows) {
      auto a = f::to_json(f::attributes(), row, 1);
      a["link_id"] = uuid;
      a["link_entity"] = "service";
      auto t = s_.read("SELECT taxonomy_id, " + f::select_columns(f::taxonomy_terms()) +
                           " FROM directory_taxonomy_terms WHERE partnership_id = $1 AND id = $2",
                       {row.i64(0)});
      auto term_json = term(t.one());
      a["taxonomy_term_id"] = term_json["id"];
      a["taxonomy_term"] = std::move(term_json);
      attrs.push_back(std::move(a));
    }
    o["attributes"] = std::move(attrs);
    return o;
  }

 private:
  store::Scope& s_;
  std::map<std::int64_t, std::optional<json::object>> orgs_;
};

const std::string& service_select() {
  static const std::string s = "SELECT id, organisation_id, " + f::select_columns(f::services()) + " FROM directory_services";
  return s;
}

}  // namespace

json::object list_services(store::Scope& s, const ServiceQuery& q) {
  std::string where = " WHERE partnership_id = $1";
  Params p;
  auto add = [&](Value v) {
    p.push_back(std::move(v));
    std::string mark(1, '$');  // (not "$" + …: GCC 12 warns, wrongly, that the copy may overlap)
    return mark + std::to_string(p.size() + 1);
  };
  if (!trim(q.search).empty()) where += " AND search_text LIKE " + add(like_contains(trim(q.search))) + " ESCAPE '\\'";
  if (!q.organization_id.empty()) {
    auto r = s.read("SELECT organisation_id FROM directory_organisations WHERE partnership_id = $1 AND uuid = $2",
                    {to_lower(q.organization_id)});
    where += " AND organisation_id = " + add(r.empty() ? std::int64_t{-1} : r.one().i64(0));
  }
  if (!q.taxonomy_term_id.empty()) {
    auto r = s.read("SELECT id FROM directory_taxonomy_terms WHERE partnership_id = $1 AND uuid = $2",
                    {to_lower(q.taxonomy_term_id)});
    where += " AND id IN (SELECT service_id FROM directory_attributes WHERE partnership_id = $1 AND taxonomy_term_id = " +
             add(r.empty() ? std::int64_t{-1} : r.one().i64(0)) + ")";
  }
  if (q.modified_after) where += " AND modified_at > " + add(*q.modified_after);
  std::int64_t total = s.read("SELECT COUNT(*) FROM directory_services" + where, p).one().i64(0);
  std::string limit = " ORDER BY name, id LIMIT " + add(q.per_page);
  limit += " OFFSET " + add((q.page - 1) * q.per_page);
  auto rows = s.read(service_select() + where + limit, p);
  Reader rd(s);
  json::array items;
  for (const auto& r : rows.rows) {
    if (q.minimal) {
      // Enough to tell what changed since the last sync, and still a valid service.
      json::object o;
      auto full = f::to_json(f::services(), r, 2);
      for (const char* k : {"id", "name", "status", "last_modified"})
        if (full.contains(k)) o[k] = full[k];
      items.push_back(std::move(o));
    } else {
      items.push_back(rd.service_item(r));
    }
  }
  return envelope(total, q.page, q.per_page, std::move(items));
}

std::optional<json::object> service(store::Scope& s, const std::string& uuid) {
  if (!f::is_uuid(uuid)) return std::nullopt;
  auto r = s.read(service_select() + " WHERE partnership_id = $1 AND uuid = $2", {to_lower(uuid)});
  if (r.empty()) return std::nullopt;
  Reader rd(s);
  return rd.full(r.one());
}

std::optional<json::object> organization(store::Scope& s, const std::string& uuid) {
  if (!f::is_uuid(uuid)) return std::nullopt;
  auto m = s.read("SELECT organisation_id FROM directory_organisations WHERE partnership_id = $1 AND uuid = $2",
                  {to_lower(uuid)});
  if (m.empty()) return std::nullopt;
  std::int64_t org_id = m.one().i64(0);
  Reader rd(s);
  auto o = rd.organisation(org_id, true);
  if (!o) return std::nullopt;
  json::array services;
  for (const auto& r : s.read(service_select() + " WHERE partnership_id = $1 AND organisation_id = $2 ORDER BY name, id",
                              {org_id})
                           .rows) {
    auto sv = rd.full(r);
    // Nested inside its organisation, a service does not repeat it.
    sv.erase("organization");
    services.push_back(std::move(sv));
  }
  (*o)["services"] = std::move(services);
  return o;
}

json::object list_organizations(store::Scope& s, std::int64_t page, std::int64_t per_page) {
  std::int64_t total = s.read("SELECT COUNT(*) FROM directory_organisations WHERE partnership_id = $1").one().i64(0);
  auto rows = s.read("SELECT organisation_id FROM directory_organisations WHERE partnership_id = $1"
                     " ORDER BY id LIMIT $2 OFFSET $3",
                     {per_page, (page - 1) * per_page});
  Reader rd(s);
  json::array items;
  for (const auto& r : rows.rows)
    if (auto o = rd.organisation(r.i64(0))) items.push_back(*o);
  return envelope(total, page, per_page, std::move(items));
}

json::object list_taxonomies(store::Scope& s, std::int64_t page, std::int64_t per_page) {
  std::int64_t total = s.read("SELECT COUNT(*) FROM directory_taxonomies WHERE partnership_id = $1").one().i64(0);
  auto rows = s.read("SELECT " + f::select_columns(f::taxonomies()) +
                         " FROM directory_taxonomies WHERE partnership_id = $1 ORDER BY name, id LIMIT $2 OFFSET $3",
                     {per_page, (page - 1) * per_page});
  json::array items;
  for (const auto& r : rows.rows) items.push_back(f::to_json(f::taxonomies(), r));
  return envelope(total, page, per_page, std::move(items));
}

json::object list_taxonomy_terms(store::Scope& s, const std::string& taxonomy_id, std::int64_t page,
                                 std::int64_t per_page) {
  std::string where = " WHERE partnership_id = $1";
  Params p;
  if (!taxonomy_id.empty()) {
    auto r = s.read("SELECT id FROM directory_taxonomies WHERE partnership_id = $1 AND uuid = $2", {to_lower(taxonomy_id)});
    where += " AND taxonomy_id = $2";
    p.push_back(r.empty() ? std::int64_t{-1} : r.one().i64(0));
  }
  std::int64_t total = s.read("SELECT COUNT(*) FROM directory_taxonomy_terms" + where, p).one().i64(0);
  std::string n = std::to_string(p.size() + 2);
  std::string m = std::to_string(p.size() + 3);
  Params lp = p;
  lp.push_back(per_page);
  lp.push_back((page - 1) * per_page);
  auto rows = s.read("SELECT taxonomy_id, " + f::select_columns(f::taxonomy_terms()) + " FROM directory_taxonomy_terms" +
                         where + " ORDER BY name, id LIMIT $" + n + " OFFSET $" + m,
                     lp);
  Reader rd(s);
  json::array items;
  for (const auto& r : rows.rows) items.push_back(rd.term(r));
  return envelope(total, page, per_page, std::move(items));
}

json::object list_service_at_locations(store::Scope& s, const PlaceQuery& q) {
  static const std::string from =
      " FROM directory_service_at_locations sal"
      " JOIN directory_locations l ON l.partnership_id = $1 AND l.id = sal.location_id"
      " JOIN directory_services sv ON sv.partnership_id = $1 AND sv.id = sal.service_id"
      " WHERE sal.partnership_id = $1 AND l.is_private = 0";
  struct Hit {
    std::int64_t id, service_id, location_id;
    std::string uuid, service_uuid;
    double distance = 0;
  };
  std::vector<Hit> hits;
  std::int64_t total = 0;
  const std::string cols = "SELECT sal.id, sal.uuid, sal.service_id, sal.location_id, sv.uuid, l.latitude, l.longitude";
  if (!q.near) {
    total = s.read("SELECT COUNT(*)" + from).one().i64(0);
    for (const auto& r : s.read(cols + from + " ORDER BY sal.id LIMIT $2 OFFSET $3", {q.per_page, (q.page - 1) * q.per_page}).rows)
      hits.push_back({r.i64(0), r.i64(2), r.i64(3), r.text(1), r.text(4)});
  } else {
    // Counting the places in the circle (ORUK's total_items) and ordering them is done on the kept
    // in-memory index (place_index.hpp): a search near a town centre finds thousands of places, and
    // reading them from the database on every request cost far more than everything else. The same
    // box and the same great-circle distance as before decide, so the answer is what SQL gave.
    auto index = directory_index::places(s);
    std::vector<std::pair<double, std::int64_t>> near;  // distance, service_at_location id
    auto consider = [&](const directory_index::Place& pl) {
      double d = postcodes::distance_m(*q.near, {pl.latitude, pl.longitude});
      if (q.within_m && d > *q.within_m) return;
      near.emplace_back(d, pl.sal_id);
    };
    if (q.within_m) {
      // Degrees of latitude per metre are the same everywhere; degrees of longitude grow towards the
      // poles, so the box is widened by the latitude of its edge nearest the pole.
      constexpr double kMetresPerDegree = 6371008.8 * 3.14159265358979323846 / 180.0;
      double dlat = *q.within_m / kMetresPerDegree * 1.001 + 1e-6;
      double edge = std::min(89.0, std::abs(q.near->latitude) + dlat);
      double dlon = dlat / std::cos(edge * 3.14159265358979323846 / 180.0);
      if (dlon >= 180) dlon = 1000;  // the whole circle of longitude
      index->within_box(q.near->latitude - dlat, q.near->latitude + dlat, q.near->longitude - dlon,
                        q.near->longitude + dlon, consider);
    } else {
      for (const auto& pl : index->all()) consider(pl);
    }
    total = static_cast<std::int64_t>(near.size());
    std::int64_t start = std::min(total, (q.page - 1) * q.per_page);
    std::int64_t end = std::min(total, start + q.per_page);
    // Only the places up to the end of the page need to be in order.
    std::partial_sort(near.begin(), near.begin() + end, near.end());
    if (end > start) {
      Params ip;
      std::string list;
      for (std::int64_t i = start; i < end; ++i) {
        ip.push_back(near[static_cast<std::size_t>(i)].second);
        list += (list.empty() ? "$" : ", $") + std::to_string(ip.size() + 1);
      }
      std::map<std::int64_t, Hit> by_id;
      for (const auto& r : s.read(cols + from + " AND sal.id IN (" + list + ")", ip).rows)
        by_id[r.i64(0)] = Hit{r.i64(0), r.i64(2), r.i64(3), r.text(1), r.text(4)};
      for (std::int64_t i = start; i < end; ++i) {
        const auto& [d, id] = near[static_cast<std::size_t>(i)];
        auto it = by_id.find(id);
        if (it == by_id.end()) continue;
        it->second.distance = d;
        hits.push_back(std::move(it->second));
      }
    }
  }
  // The page's places and services, a few queries for the whole page.
  Reader rd(s);
  std::vector<std::int64_t> location_ids;
  Params sp;
  std::string service_list;
  for (const auto& h : hits) {
    location_ids.push_back(h.location_id);
    sp.push_back(h.service_id);
    service_list += (service_list.empty() ? "$" : ", $") + std::to_string(sp.size() + 1);
  }
  auto places = rd.locations(location_ids);
  store::Result service_rows;
  std::map<std::int64_t, const store::Row*> services;
  if (!hits.empty()) {
    service_rows = s.read(service_select() + " WHERE partnership_id = $1 AND id IN (" + service_list + ")", sp);
    for (const auto& r : service_rows.rows) services[r.i64(0)] = &r;
  }
  json::array items;
  for (const auto& h : hits) {
    json::object o;
    o["id"] = h.uuid;
    o["service_id"] = h.service_uuid;
    json::object loc = places.at(h.location_id);
    o["location_id"] = loc["id"];
    o["location"] = std::move(loc);
    o["service"] = rd.service_item(*services.at(h.service_id));
    if (q.near) o["distance"] = static_cast<std::int64_t>(std::llround(h.distance));
    items.push_back(std::move(o));
  }
  return envelope(total, q.page, q.per_page, std::move(items));
}

}  // namespace cp::modules::directory_store
