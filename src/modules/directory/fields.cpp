#include "modules/directory/fields.hpp"

#include <cmath>
#include <regex>

#include "core/util.hpp"
#include "modules/directory/directory.hpp"

namespace cp::modules::directory_fields {

namespace json = boost::json;
using directory_store::ImportError;

const Entity& services() {
  static const Entity e{"directory_services",
                        {{"name", Kind::text, true},
                         {"description", Kind::text},
                         {"url", Kind::uri},
                         {"email", Kind::email},
                         {"status", Kind::text, true, kServiceStatuses},
                         {"fees", Kind::text},
                         {"accreditations", Kind::text},
                         {"minimum_age", Kind::integer},
                         {"maximum_age", Kind::integer},
                         {"assured_date", Kind::date},
                         {"assurer_email", Kind::email},
                         {"alert", Kind::text},
                         {"last_modified", Kind::datetime},
                         {"asset_kind", Kind::text, false, kAssetKinds}}};
  return e;
}

const Entity& locations() {
  static const Entity e{"directory_locations",
                        {{"location_type", Kind::text, true, {"physical", "postal", "virtual"}},
                         {"name", Kind::text},
                         {"description", Kind::text},
                         {"latitude", Kind::number},
                         {"longitude", Kind::number},
                         {"external_identifier", Kind::text},
                         {"external_identifier_type", Kind::text}}};
  return e;
}

const Entity& addresses() {
  static const Entity e{"directory_addresses",
                        {{"attention", Kind::text},
                         {"address_1", Kind::text, true},
                         {"city", Kind::text, true},
                         {"region", Kind::text},
                         {"state_province", Kind::text, true},
                         {"postal_code", Kind::text, true},
                         {"country", Kind::text, true},
                         {"address_type", Kind::text, true, {"physical", "postal", "virtual"}}}};
  return e;
}

const Entity& accessibility() {
  // "accessibility" is ORUK's older name for the description; feeds still send both.
  static const Entity e{"directory_accessibility",
                        {{"description", Kind::text},
                         {"details", Kind::text},
                         {"url", Kind::uri},
                         {"accessibility", Kind::text, false, {}, "accessibility_text"}}};
  return e;
}

const Entity& schedules() {
  static const Entity e{"directory_schedules",
                        {{"valid_from", Kind::date},
                         {"valid_to", Kind::date},
                         {"dtstart", Kind::date},
                         {"freq", Kind::text, false, {"WEEKLY", "MONTHLY"}},
                         {"interval", Kind::number, false, {}, "repeat_interval"},
                         {"byday", Kind::text},
                         {"bymonthday", Kind::text},
                         {"description", Kind::text},
                         {"opens_at", Kind::time},
                         {"closes_at", Kind::time},
                         {"schedule_link", Kind::uri},
                         {"attending_type", Kind::text},
                         {"notes", Kind::text}}};
  return e;
}

const Entity& cost_options() {
  static const Entity e{"directory_cost_options",
                        {{"option", Kind::text, false, {}, "option_text"},
                         {"amount", Kind::number},
                         {"amount_description", Kind::text},
                         {"valid_from", Kind::date},
                         {"valid_to", Kind::date}}};
  return e;
}

const Entity& contacts() {
  static const Entity e{"directory_contacts", {{"name", Kind::text}, {"title", Kind::text}}};
  return e;
}

const Entity& phones() {
  static const Entity e{"directory_phones", {{"number", Kind::text, true}, {"description", Kind::text}}};
  return e;
}

const Entity& taxonomies() {
  static const Entity e{"directory_taxonomies",
                        {{"name", Kind::text, true},
                         {"description", Kind::text, true},
                         {"uri", Kind::uri},
                         {"version", Kind::text}}};
  return e;
}

const Entity& taxonomy_terms() {
  static const Entity e{"directory_taxonomy_terms",
                        {{"name", Kind::text, true},
                         {"description", Kind::text, true},
                         {"parent_id", Kind::uuid, false, {}, "parent_uuid"},
                         {"taxonomy", Kind::text, false, {}, "taxonomy_name"},
                         {"term_uri", Kind::uri},
                         {"term", Kind::text}}};
  return e;
}

const Entity& attributes() {
  static const Entity e{"directory_attributes", {{"link_type", Kind::text}}};
  return e;
}

const Entity& service_areas() {
  static const Entity e{"directory_service_areas",
                        {{"name", Kind::text},
                         {"extent", Kind::text},
                         {"extent_type", Kind::text},
                         {"uri", Kind::text},
                         {"service_area", Kind::text}}};
  return e;
}

// ORUK's language carries only an id; these are the HSDS 3.0 fields, which ORUK readers accept.
const Entity& languages() {
  static const Entity e{"directory_languages", {{"name", Kind::text}, {"code", Kind::text}, {"note", Kind::text}}};
  return e;
}

const Entity& funding() {
  static const Entity e{"directory_funding", {{"source", Kind::text}}};
  return e;
}

const Entity& organisation_identifiers() {
  static const Entity e{"directory_organisation_identifiers",
                        {{"identifier_scheme", Kind::text},
                         {"identifier_type", Kind::text, true},
                         {"identifier", Kind::text, true}}};
  return e;
}

std::string select_columns(const Entity& e, const std::string& alias) {
  std::string p = alias.empty() ? "" : alias + ".";
  std::string out = p + "uuid";
  for (const auto& f : e.fields) out += ", " + p + f.col();
  return out;
}

bool is_uuid(const std::string& s) {
  // 8-4-4-4-12 hexadecimal digits. (Checked by hand: every record of an import has an id, and a
  // regular expression here was a tenth of a large import's own work.)
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F'))) {
      return false;
    }
  }
  return true;
}

std::string id_of(const json::object& o, const std::string& path) {
  const auto* v = o.if_contains("id");
  if (!v || v->is_null()) throw ImportError(path + ".id", "directory.error_missing");
  if (!v->is_string() || !is_uuid(std::string(v->as_string())))
    throw ImportError(path + ".id", "directory.error_not_uuid");
  return to_lower(std::string(v->as_string()));
}

namespace {

bool digits(const std::string& s, std::size_t from, std::size_t n) {
  if (from + n > s.size()) return false;
  for (std::size_t i = from; i < from + n; ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

bool valid_date(const std::string& s) {
  if (s.size() != 10 || !digits(s, 0, 4) || s[4] != '-' || !digits(s, 5, 2) || s[7] != '-' || !digits(s, 8, 2))
    return false;
  int m = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

bool valid_time(const std::string& s) {
  if (!(s.size() == 5 || s.size() == 8) || !digits(s, 0, 2) || s[2] != ':' || !digits(s, 3, 2)) return false;
  if (s.size() == 8 && (s[5] != ':' || !digits(s, 6, 2) || std::stoi(s.substr(6, 2)) > 59)) return false;
  return std::stoi(s.substr(0, 2)) <= 23 && std::stoi(s.substr(3, 2)) <= 59;
}

// The same shapes ajv-formats accepts for "uri" and "email", so nothing imported fails validation on the way out.
bool valid_uri(const std::string& s) {
  static const std::regex re(R"(^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>"{}|\\^`]+$)");
  return s.size() <= 2000 && std::regex_match(s, re);
}

bool valid_email(const std::string& s) {
  static const std::regex re(
      R"(^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$)",
      std::regex::icase);
  return s.size() <= 320 && std::regex_match(s, re);
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

store::Params values(const Entity& e, const json::object& o, const std::string& path) {
  store::Params out;
  for (const auto& f : e.fields) {
    // Where the field is, for an error only: most records have none, and making this string for
    // every field of every record was much of a large import's work.
    auto at_field = [&] { return path + "." + f.name; };
    const json::value* v = o.if_contains(f.name);
    if (!v || v->is_null()) {
      if (f.required) throw ImportError(at_field(), "directory.error_missing");
      out.emplace_back(nullptr);
      continue;
    }
    if (f.kind == Kind::integer) {
      if (v->is_int64()) out.emplace_back(v->as_int64());
      else if (v->is_uint64() && v->as_uint64() < (1ull << 53)) out.emplace_back(static_cast<std::int64_t>(v->as_uint64()));
      else if (v->is_double() && std::floor(v->as_double()) == v->as_double() && std::fabs(v->as_double()) < 1e15)
        out.emplace_back(static_cast<std::int64_t>(v->as_double()));
      else throw ImportError(at_field(), "directory.error_not_whole_number");
      continue;
    }
    if (f.kind == Kind::number) {
      if (!v->is_number()) throw ImportError(at_field(), "directory.error_not_number");
      double d = v->to_number<double>();
      if (!std::isfinite(d)) throw ImportError(at_field(), "directory.error_not_number");
      out.emplace_back(d);
      continue;
    }
    if (!v->is_string()) throw ImportError(at_field(), "directory.error_not_text");
    std::string s(v->as_string());
    if (s.size() > 20000) throw ImportError(at_field(), "directory.error_too_long");
    if (!f.allowed.empty() && std::find(f.allowed.begin(), f.allowed.end(), s) == f.allowed.end())
      throw ImportError(at_field(), "directory.error_not_allowed", {{"allowed", joined(f.allowed)}});
    switch (f.kind) {
      case Kind::date:
        if (!valid_date(s)) throw ImportError(at_field(), "directory.error_not_date");
        break;
      case Kind::time:
        if (!valid_time(s)) throw ImportError(at_field(), "directory.error_not_time");
        break;
      case Kind::datetime:
        if (!directory_store::parse_datetime(s)) throw ImportError(at_field(), "directory.error_not_datetime");
        break;
      case Kind::uri:
        if (!valid_uri(s)) throw ImportError(at_field(), "directory.error_not_uri");
        break;
      case Kind::email:
        if (!valid_email(s)) throw ImportError(at_field(), "directory.error_not_email");
        break;
      case Kind::uuid:
        if (!is_uuid(s)) throw ImportError(at_field(), "directory.error_not_uuid");
        s = to_lower(s);
        break;
      default:
        break;
    }
    out.emplace_back(std::move(s));
  }
  return out;
}

json::object to_json(const Entity& e, const store::Row& r, std::size_t first) {
  json::object o;
  o["id"] = r.text(first);
  for (std::size_t i = 0; i < e.fields.size(); ++i) {
    std::size_t c = first + 1 + i;
    if (r.null(c)) continue;
    const auto& f = e.fields[i];
    if (f.kind == Kind::integer) {
      o[f.name] = r.i64(c);
    } else if (f.kind == Kind::number) {
      double d = r.f64(c);
      // Whole amounts go out as integers ("35", not "3.5E1"), as feeds write them.
      if (std::floor(d) == d && std::fabs(d) < 9e15) o[f.name] = static_cast<std::int64_t>(d);
      else o[f.name] = d;
    } else {
      o[f.name] = r.text(c);
    }
  }
  return o;
}

}  // namespace cp::modules::directory_fields
