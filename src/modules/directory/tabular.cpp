#include "modules/directory/tabular.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/util.hpp"
#include "modules/directory/welsh.hpp"

namespace cp::modules::directory_tabular {

namespace json = boost::json;
namespace f = directory_fields;
using directory_store::ImportError;
using directory_store::ImportResult;
using store::Params;
using store::Value;

namespace {

std::string where_en(const std::string& file, std::size_t line, const std::string& field) {
  std::string s = file;
  if (line) s += " line " + std::to_string(line);
  if (!field.empty()) s += ", field " + field;
  return s;
}

}  // namespace

TabularError::TabularError(std::string file_, std::size_t line_, std::string field_, std::string key,
                           std::vector<std::pair<std::string, std::string>> args)
    : ImportError(where_en(file_, line_, field_), std::move(key), std::move(args)),
      file(std::move(file_)),
      field(std::move(field_)),
      line(line_) {}

json::object error_json(const ImportError& e) {
  json::object o;
  o["path"] = e.path;
  o["key"] = e.key;
  json::object args;
  for (const auto& [k, v] : e.args) args[k] = v;
  o["args"] = std::move(args);
  if (const auto* te = dynamic_cast<const TabularError*>(&e)) {
    o["file"] = te->file;
    o["line"] = static_cast<std::int64_t>(te->line);
    o["field"] = te->field;
  }
  return o;
}

std::string describe_json(const app::App& app, const json::object& e, const std::string& lang) {
  auto str = [&](const char* k) {
    const auto* v = e.if_contains(k);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  std::vector<std::pair<std::string, std::string>> args;
  if (const auto* a = e.if_contains("args"); a && a->is_object())
    for (const auto& [k, v] : a->as_object())
      if (v.is_string()) args.emplace_back(std::string(k), std::string(v.as_string()));
  std::string msg = app.catalogue.t(lang, str("key"), args);
  std::string where;
  if (e.contains("file")) {
    std::int64_t line = e.at("line").is_int64() ? e.at("line").as_int64() : 0;
    std::string lines = std::to_string(line);
    if (line == 0) where = str("file");
    else if (str("field").empty())
      where = app.catalogue.t(lang, "directory.csv_where_line", {{"file", str("file")}, {"line", lines}});
    else
      where = app.catalogue.t(lang, "directory.csv_where",
                              {{"file", str("file")}, {"line", lines}, {"field", str("field")}});
  } else {
    where = str("path");
  }
  return where.empty() ? msg : where + ": " + msg;
}

std::string describe(const app::App& app, const ImportError& e, const std::string& lang) {
  return describe_json(app, error_json(e), lang);
}

// ------------------------------------------------------------ the tables

const f::Entity& organisation_entity() {
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

namespace {
const f::Entity& link_only() {
  static const f::Entity e{"directory_service_at_locations", {}};
  return e;
}
}  // namespace

const std::vector<TableSpec>& tables() {
  static const std::vector<TableSpec> t = {
      {"organization", "organizations.csv", &organisation_entity(), {}, false, {"id", "name", "description"}},
      {"organization_identifier",
       "organization_identifiers.csv",
       &f::organisation_identifiers(),
       {"organization_id"},
       false,
       {"id", "organization_id", "identifier_type", "identifier"}},
      {"taxonomy", "taxonomies.csv", &f::taxonomies(), {}, false, {"id", "name", "description"}},
      {"taxonomy_term", "taxonomy_terms.csv", &f::taxonomy_terms(), {"taxonomy_id"}, false, {"id", "name", "description"}},
      {"location", "locations.csv", &f::locations(), {}, true, {"id", "location_type"}},
      {"address",
       "addresses.csv",
       &f::addresses(),
       {"location_id"},
       false,
       {"id", "location_id", "address_1", "city", "state_province", "postal_code", "country", "address_type"}},
      {"accessibility", "accessibility.csv", &f::accessibility(), {"location_id"}, false, {"id", "location_id"}},
      {"service", "services.csv", &f::services(), {"organization_id"}, false, {"id", "name", "status"}},
      {"service_at_location",
       "service_at_location.csv",
       &link_only(),
       {"service_id", "location_id"},
       false,
       {"id", "service_id", "location_id"}},
      {"schedule", "schedules.csv", &f::schedules(), {"service_id"}, false, {"id", "service_id"}},
      {"cost_option", "cost_options.csv", &f::cost_options(), {"service_id"}, false, {"id", "service_id"}},
      {"contact", "contacts.csv", &f::contacts(), {"service_id"}, true, {"id", "service_id"}},
      {"phone", "phones.csv", &f::phones(), {"contact_id"}, false, {"id", "contact_id", "number"}},
      {"service_area", "service_areas.csv", &f::service_areas(), {"service_id"}, false, {"id", "service_id"}},
      {"language", "languages.csv", &f::languages(), {"service_id"}, false, {"id", "service_id"}},
      {"funding", "funding.csv", &f::funding(), {"service_id"}, false, {"id", "service_id"}},
      {"attribute",
       "attributes.csv",
       &f::attributes(),
       {"link_id", "link_entity", "taxonomy_term_id"},
       false,
       {"id", "link_id", "taxonomy_term_id"}},
  };
  return t;
}

// ------------------------------------------------------------ CSV

std::vector<CsvRecord> parse_csv(std::string_view text, const std::string& file) {
  std::vector<CsvRecord> out;
  std::size_t i = 0, n = text.size(), line = 1;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  auto at_line_end = [&](std::size_t k) { return k < n && (text[k] == '\n' || text[k] == '\r'); };
  // Steps over one line ending (CRLF, LF or a lone CR) at k and counts it.
  auto skip_line_end = [&](std::size_t& k) {
    if (text[k] == '\r' && k + 1 < n && text[k + 1] == '\n') ++k;
    ++k;
    ++line;
  };
  while (i < n) {
    CsvRecord rec;
    rec.line = line;
    std::string cell;
    bool ended = false;
    while (!ended) {
      cell.clear();
      if (i < n && text[i] == '"') {
        std::size_t start_line = line;
        ++i;
        while (true) {
          if (i >= n) throw TabularError(file, start_line, "", "directory.error_csv_unclosed_quote");
          char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              cell += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (c == '\r' || c == '\n') {
            // A line break inside quotes is part of the cell; keep it as LF whatever the file used.
            skip_line_end(i);
            cell += '\n';
            continue;
          }
          cell += c;
          ++i;
        }
        if (i < n && text[i] != ',' && !at_line_end(i))
          throw TabularError(file, line, "", "directory.error_csv_after_quote");
      } else {
        while (i < n && text[i] != ',' && !at_line_end(i)) {
          if (text[i] == '"') throw TabularError(file, line, "", "directory.error_csv_stray_quote");
          cell += text[i++];
        }
      }
      rec.cells.push_back(cell);
      if (i >= n) {
        ended = true;
      } else if (text[i] == ',') {
        ++i;
      } else {
        skip_line_end(i);
        ended = true;
      }
    }
    bool blank = rec.cells.size() == 1 && rec.cells[0].empty();
    if (!blank) out.push_back(std::move(rec));
  }
  return out;
}

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos && (s.empty() || (s.front() != ' ' && s.back() != ' ')))
    return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

namespace {

bool plain_file_name(const std::string& p) {
  return !p.empty() && p.find('/') == std::string::npos && p.find('\\') == std::string::npos && p[0] != '.';
}

Value cell_value(const TableSpec& spec, const std::string& column, const std::string& cell, const std::string& file,
                 std::size_t line, bool& is_bool, bool& bool_value) {
  is_bool = false;
  if (column == "private") {
    std::string v = to_lower(trim(cell));
    if (v == "true" || v == "yes" || v == "1") bool_value = true;
    else if (v == "false" || v == "no" || v == "0") bool_value = false;
    else throw TabularError(file, line, column, "directory.error_not_true_false");
    is_bool = true;
    return nullptr;
  }
  if (column == "id" || (column != "link_entity" &&
                         std::find(spec.links.begin(), spec.links.end(), column) != spec.links.end())) {
    std::string v = trim(cell);
    if (!f::is_uuid(v)) throw TabularError(file, line, column, "directory.error_not_uuid");
    return to_lower(v);
  }
  for (const auto& fld : spec.entity->fields) {
    if (fld.name != column) continue;
    if (fld.kind == f::Kind::integer) {
      std::string v = trim(cell);
      std::int64_t x = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
      if (ec != std::errc() || p != v.data() + v.size())
        throw TabularError(file, line, column, "directory.error_not_whole_number");
      return x;
    }
    if (fld.kind == f::Kind::number) {
      std::string v = trim(cell);
      double x = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
      if (ec != std::errc() || p != v.data() + v.size() || !std::isfinite(x))
        throw TabularError(file, line, column, "directory.error_not_number");
      return x;
    }
    return cell;
  }
  return cell;  // link_entity
}

std::vector<Rec> parse_table(const TableSpec& spec, const std::string& file, std::string_view text) {
  auto records = parse_csv(text, file);
  if (records.empty()) throw TabularError(file, 0, "", "directory.error_csv_no_header");
  std::vector<std::string> header;
  std::set<std::string> seen;
  for (const auto& h : records[0].cells) {
    std::string name = to_lower(trim(h));
    if (!name.empty() && !seen.insert(name).second)
      throw TabularError(file, 1, name, "directory.error_csv_repeated_column");
    header.push_back(name);
  }
  for (const auto& r : spec.required)
    if (!seen.count(r)) throw TabularError(file, 1, r, "directory.error_csv_missing_column");
  // Which of the file's columns the directory keeps; the rest are ignored.
  std::set<std::string> kept{"id"};
  for (const auto& l : spec.links) kept.insert(l);
  for (const auto& fl : spec.entity->fields) kept.insert(fl.name);
  if (spec.has_private) kept.insert("private");
  std::vector<Rec> out;
  for (std::size_t i = 1; i < records.size(); ++i) {
    const auto& r = records[i];
    if (r.cells.size() != header.size())
      throw TabularError(file, r.line, "", "directory.error_csv_cell_count",
                         {{"count", std::to_string(r.cells.size())}, {"expected", std::to_string(header.size())}});
    Rec rec;
    rec.file = file;
    rec.line = r.line;
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (!kept.count(header[c]) || r.cells[c].empty()) continue;
      bool is_bool = false, b = false;
      Value v = cell_value(spec, header[c], r.cells[c], file, r.line, is_bool, b);
      if (is_bool) rec.v[header[c]] = b;
      else if (auto* s = std::get_if<std::string>(&v)) rec.v[header[c]] = *s;
      else if (auto* x = std::get_if<std::int64_t>(&v)) rec.v[header[c]] = *x;
      else if (auto* d = std::get_if<double>(&v)) rec.v[header[c]] = *d;
    }
    if (!rec.v.contains("id")) throw TabularError(file, r.line, "id", "directory.error_missing");
    out.push_back(std::move(rec));
  }
  return out;
}

}  // namespace

Tables parse_tables(const std::map<std::string, std::string>& files) {
  std::map<std::string, std::string> path_of;
  if (auto it = files.find("datapackage.json"); it != files.end()) {
    boost::system::error_code ec;
    json::value dp = json::parse(it->second, ec);
    if (ec || !dp.is_object()) throw TabularError("datapackage.json", 0, "", "directory.error_not_json", {{"file", "datapackage.json"}});
    if (const auto* res = dp.as_object().if_contains("resources"); res && res->is_array())
      for (const auto& r : res->as_array()) {
        if (!r.is_object()) continue;
        const auto* name = r.as_object().if_contains("name");
        const auto* path = r.as_object().if_contains("path");
        if (!name || !path || !name->is_string() || !path->is_string()) continue;
        std::string p(path->as_string());
        // The file names come from the upload; never let one reach outside the folder.
        if (!plain_file_name(p))
          throw TabularError("datapackage.json", 0, "", "directory.error_datapackage_path", {{"path", p}});
        path_of[std::string(name->as_string())] = p;
      }
  }
  Tables t;
  bool any = false;
  for (const auto& spec : tables()) {
    std::string file = path_of.count(spec.name) ? path_of[spec.name] : spec.file;
    auto it = files.find(file);
    if (it == files.end()) continue;
    any = true;
    t[spec.name] = parse_table(spec, file, it->second);
  }
  if (!any) throw TabularError("", 0, "", "directory.error_no_tables");
  directory_welsh::parse_csv(files, path_of, t);
  return t;
}

std::map<std::string, std::string> read_folder(const std::string& dir) {
  namespace fs = std::filesystem;
  std::map<std::string, std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    bool wanted = name == "datapackage.json" || (name.size() > 4 && to_lower(name.substr(name.size() - 4)) == ".csv");
    if (!wanted || !entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    if (!in) throw ImportError("", "directory.error_cannot_read", {{"file", entry.path().string()}});
    std::stringstream b;
    b << in.rdbuf();
    out[name] = b.str();
  }
  if (ec) throw ImportError("", "directory.error_cannot_read", {{"file", dir}});
  return out;
}

// ------------------------------------------------------------ joining the tables

namespace {

const std::vector<Rec>& rows_of(const Tables& t, const std::string& name) {
  static const std::vector<Rec> none;
  auto it = t.find(name);
  return it == t.end() ? none : it->second;
}

std::string str(const Rec& r, const char* k) {
  const auto* v = r.v.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

using Index = std::map<std::string, const Rec*>;
using Groups = std::map<std::string, std::vector<const Rec*>>;

// A record as it sits in the nested feed: "private" only when it is.
json::object doc_of(const Rec& r) {
  json::object o = r.v;
  if (const auto* p = o.if_contains("private"); p && !(p->is_bool() && p->as_bool())) o.erase("private");
  return o;
}

}  // namespace

Nested nest(const Tables& t) {
  Nested n;
  std::map<std::string, Index> idx;
  for (const auto& spec : tables()) {
    auto& m = idx[spec.name];
    for (const auto& r : rows_of(t, spec.name))
      if (!m.emplace(str(r, "id"), &r).second) throw TabularError(r.file, r.line, "id", "directory.error_duplicate_id");
  }
  auto group = [&](const std::string& name, const char* link, const Index* parents, const char* unknown) {
    Groups g;
    for (const auto& r : rows_of(t, name)) {
      std::string p = str(r, link);
      if (p.empty()) {
        if (parents) throw TabularError(r.file, r.line, link, "directory.error_missing");
        continue;
      }
      if (parents && !parents->count(p)) throw TabularError(r.file, r.line, link, unknown);
      g[p].push_back(&r);
    }
    return g;
  };
  const Index &orgs = idx["organization"], &locs = idx["location"], &services = idx["service"],
              &contacts = idx["contact"], &terms = idx["taxonomy_term"];
  auto identifiers = group("organization_identifier", "organization_id", &orgs, "directory.error_unknown_organisation");
  auto addresses = group("address", "location_id", &locs, "directory.error_unknown_location");
  auto access = group("accessibility", "location_id", &locs, "directory.error_unknown_location");
  auto terms_of = group("taxonomy_term", "taxonomy_id", nullptr, "");
  auto sals = group("service_at_location", "service_id", &services, "directory.error_unknown_service");
  auto phones = group("phone", "contact_id", &contacts, "directory.error_unknown_contact");
  auto attributes = group("attribute", "link_id", &services, "directory.error_unknown_service");
  for (const auto& r : rows_of(t, "service_at_location"))
    if (str(r, "location_id").empty()) throw TabularError(r.file, r.line, "location_id", "directory.error_missing");
  for (const auto& r : rows_of(t, "attribute")) {
    std::string e = to_lower(str(r, "link_entity"));
    if (!e.empty() && e != "service") throw TabularError(r.file, r.line, "link_entity", "directory.error_attribute_not_service");
    if (str(r, "taxonomy_term_id").empty()) throw TabularError(r.file, r.line, "taxonomy_term_id", "directory.error_missing");
  }
  struct Child {
    const char* table;
    const char* key;
    Groups groups;
  };
  std::vector<Child> simple;
  for (auto [table, key] : {std::pair{"schedule", "schedules"}, std::pair{"cost_option", "cost_options"},
                            std::pair{"service_area", "service_areas"}, std::pair{"language", "languages"},
                            std::pair{"funding", "funding"}})
    simple.push_back({table, key, group(table, "service_id", &services, "directory.error_unknown_service")});
  auto contacts_of = group("contact", "service_id", &services, "directory.error_unknown_service");

  std::set<std::string> used_orgs, used_locs, used_terms;
  auto list = [&](const Groups& g, const std::string& parent, const std::string& path, const char* key,
                  json::object& into) {
    auto it = g.find(parent);
    if (it == g.end()) return;
    json::array a;
    for (const Rec* r : it->second) {
      n.where[path + "." + key + "[" + std::to_string(a.size()) + "]"] = r;
      a.push_back(doc_of(*r));
    }
    into[key] = std::move(a);
  };
  auto org_doc = [&](const Rec& r, const std::string& path) {
    n.where[path] = &r;
    json::object o = doc_of(r);
    list(identifiers, str(r, "id"), path, "organization_identifiers", o);
    return o;
  };
  auto loc_doc = [&](const Rec& r, const std::string& path) {
    n.where[path] = &r;
    json::object o = doc_of(r);
    list(addresses, str(r, "id"), path, "addresses", o);
    list(access, str(r, "id"), path, "accessibility", o);
    return o;
  };

  json::array tax_out;
  for (const auto& r : rows_of(t, "taxonomy")) {
    std::string path = "taxonomies[" + std::to_string(tax_out.size()) + "]";
    n.where[path] = &r;
    json::object o = doc_of(r);
    list(terms_of, str(r, "id"), path, "taxonomy_terms", o);
    if (auto it = terms_of.find(str(r, "id")); it != terms_of.end())
      for (const Rec* term : it->second) used_terms.insert(str(*term, "id"));
    tax_out.push_back(std::move(o));
  }

  json::array svc_out;
  for (const auto& r : rows_of(t, "service")) {
    std::string id = str(r, "id");
    std::string path = "services[" + std::to_string(svc_out.size()) + "]";
    n.where[path] = &r;
    json::object o = doc_of(r);
    if (auto it = orgs.find(str(r, "organization_id")); it != orgs.end()) {
      o["organization"] = org_doc(*it->second, path + ".organization");
      used_orgs.insert(it->first);
    }
    for (auto& c : simple) list(c.groups, id, path, c.key, o);
    if (auto it = sals.find(id); it != sals.end()) {
      json::array a;
      for (const Rec* sr : it->second) {
        std::string p = path + ".service_at_locations[" + std::to_string(a.size()) + "]";
        n.where[p] = sr;
        json::object so = doc_of(*sr);
        // A location in the files goes in whole; otherwise its id must name one already in the directory.
        if (auto l = locs.find(str(*sr, "location_id")); l != locs.end()) {
          so["location"] = loc_doc(*l->second, p + ".location");
          used_locs.insert(l->first);
        }
        a.push_back(std::move(so));
      }
      o["service_at_locations"] = std::move(a);
    }
    if (auto it = contacts_of.find(id); it != contacts_of.end()) {
      json::array a;
      for (const Rec* cr : it->second) {
        std::string p = path + ".contacts[" + std::to_string(a.size()) + "]";
        n.where[p] = cr;
        json::object co = doc_of(*cr);
        list(phones, str(*cr, "id"), p, "phones", co);
        a.push_back(std::move(co));
      }
      o["contacts"] = std::move(a);
    }
    if (auto it = attributes.find(id); it != attributes.end()) {
      json::array a;
      for (const Rec* ar : it->second) {
        std::string p = path + ".attributes[" + std::to_string(a.size()) + "]";
        n.where[p] = ar;
        json::object ao = doc_of(*ar);
        if (auto tt = terms.find(str(*ar, "taxonomy_term_id")); tt != terms.end()) {
          n.where[p + ".taxonomy_term"] = tt->second;
          ao["taxonomy_term"] = doc_of(*tt->second);
          used_terms.insert(tt->first);
        }
        a.push_back(std::move(ao));
      }
      o["attributes"] = std::move(a);
    }
    svc_out.push_back(std::move(o));
  }
  n.feed["taxonomies"] = std::move(tax_out);
  n.feed["services"] = std::move(svc_out);

  json::array lone_orgs, lone_locs, lone_terms;
  for (const auto& r : rows_of(t, "organization"))
    if (!used_orgs.count(str(r, "id")))
      lone_orgs.push_back(org_doc(r, "organizations[" + std::to_string(lone_orgs.size()) + "]"));
  for (const auto& r : rows_of(t, "location"))
    if (!used_locs.count(str(r, "id")))
      lone_locs.push_back(loc_doc(r, "locations[" + std::to_string(lone_locs.size()) + "]"));
  for (const auto& r : rows_of(t, "taxonomy_term"))
    if (!used_terms.count(str(r, "id"))) {
      n.where["taxonomy_terms[" + std::to_string(lone_terms.size()) + "]"] = &r;
      lone_terms.push_back(doc_of(r));
    }
  if (!lone_orgs.empty()) n.feed["organizations"] = std::move(lone_orgs);
  if (!lone_locs.empty()) n.feed["locations"] = std::move(lone_locs);
  if (!lone_terms.empty()) n.feed["taxonomy_terms"] = std::move(lone_terms);
  directory_welsh::nest_into(t, n);
  return n;
}

// ------------------------------------------------------------ importing

namespace {

using Extra = std::vector<std::pair<std::string, Value>>;

// Finds the record by its ORUK id and updates it, or adds it (as the feed importer does).
std::int64_t upsert(store::Scope& s, const f::Entity& e, const std::string& uuid, const Extra& extra, const Params& vals,
                    const std::string& type) {
  std::vector<std::string> cols;
  Params params;
  for (const auto& [c, v] : extra) cols.push_back(c), params.push_back(v);
  for (std::size_t i = 0; i < e.fields.size(); ++i) cols.push_back(e.fields[i].col()), params.push_back(vals[i]);
  auto found = s.read("SELECT id FROM " + e.table + " WHERE partnership_id = $1 AND uuid = $2", {uuid});
  if (!found.empty()) {
    std::int64_t id = found.one().i64(0);
    std::string sql = "UPDATE " + e.table + " SET ";
    for (std::size_t i = 0; i < cols.size(); ++i) sql += (i ? ", " : "") + cols[i] + " = $" + std::to_string(i + 3);
    sql += " WHERE partnership_id = $1 AND id = $2";
    Params p{id};
    p.insert(p.end(), params.begin(), params.end());
    s.write({"directory.import_update", type, id, ""}, sql, p);
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
  return s.insert({"directory.import_create", type, std::nullopt, ""}, sql, p);
}

const json::array* array_at(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return nullptr;
  if (!v->is_array()) throw ImportError(key, "directory.error_not_list");
  return &v->as_array();
}

const json::object& object_at(const json::value& v, const std::string& path) {
  if (!v.is_object()) throw ImportError(path, "directory.error_not_object");
  return v.as_object();
}

// A location no service points at (kept so a backup loses nothing).
void lone_location(store::Scope& s, const json::object& o, const std::string& path) {
  std::string uuid = f::id_of(o, path);
  auto vals = f::values(f::locations(), o, path);
  std::int64_t priv = 0;
  if (const auto* v = o.if_contains("private"); v && !v->is_null()) {
    if (!v->is_bool()) throw ImportError(path + ".private", "directory.error_not_true_false");
    priv = v->as_bool() ? 1 : 0;
  }
  std::int64_t id = upsert(s, f::locations(), uuid, {{"is_private", priv}}, vals, "directory_location");
  store::Change c{"directory.import_replace", "directory_location", id, ""};
  s.write(c, "DELETE FROM directory_addresses WHERE partnership_id = $1 AND location_id = $2", {id});
  s.write(c, "DELETE FROM directory_accessibility WHERE partnership_id = $1 AND location_id = $2", {id});
  for (auto [key, entity, type] : {std::tuple{"addresses", &f::addresses(), "directory_address"},
                                   std::tuple{"accessibility", &f::accessibility(), "directory_accessibility"}}) {
    const auto* v = o.if_contains(key);
    if (!v || v->is_null()) continue;
    if (!v->is_array()) throw ImportError(path + "." + key, "directory.error_not_list");
    for (std::size_t i = 0; i < v->as_array().size(); ++i) {
      std::string p = path + "." + key + "[" + std::to_string(i) + "]";
      const auto& a = object_at(v->as_array()[i], p);
      upsert(s, *entity, f::id_of(a, p), {{"location_id", id}}, f::values(*entity, a, p), type);
    }
  }
}

// A taxonomy term that is in no taxonomy of the import and on no service.
void lone_term(store::Scope& s, const json::object& o, const std::string& path) {
  std::string uuid = f::id_of(o, path);
  auto vals = f::values(f::taxonomy_terms(), o, path);
  Extra extra;
  if (const auto* v = o.if_contains("taxonomy_id"); v && !v->is_null()) {
    if (!v->is_string() || !f::is_uuid(std::string(v->as_string())))
      throw ImportError(path + ".taxonomy_id", "directory.error_not_uuid");
    auto r = s.read("SELECT id FROM directory_taxonomies WHERE partnership_id = $1 AND uuid = $2",
                    {to_lower(std::string(v->as_string()))});
    if (r.empty()) throw ImportError(path + ".taxonomy_id", "directory.error_unknown_taxonomy");
    extra.emplace_back("taxonomy_id", r.one().i64(0));
  }
  upsert(s, f::taxonomy_terms(), uuid, extra, vals, "directory_taxonomy_term");
}

[[noreturn]] void rethrow_at(const ImportError& e, const std::map<std::string, const Rec*>& where) {
  const std::string& p = e.path;
  const Rec* best = nullptr;
  std::size_t len = 0;
  // The longest record path that is the problem's path or a parent of it. Only run once, on failure.
  for (const auto& [k, r] : where)
    if (k.size() >= len && p.compare(0, k.size(), k) == 0 && (p.size() == k.size() || p[k.size()] == '.')) {
      best = r;
      len = k.size();
    }
  if (!best || best->line == 0) throw ImportError(e.path, e.key, e.args);
  throw TabularError(best->file, best->line, p.size() > len ? p.substr(len + 1) : "", e.key, e.args);
}

// Adds the record's id to `into` (for counting records once however many services share them).
void distinct(const json::value* v, std::set<std::string>& into) {
  if (!v || !v->is_object()) return;
  if (const auto* id = v->as_object().if_contains("id"); id && id->is_string()) into.insert(to_lower(std::string(id->as_string())));
}

}  // namespace

std::int64_t count_services(const json::value& feed) {
  if (feed.is_array()) return static_cast<std::int64_t>(feed.as_array().size());
  if (!feed.is_object()) return 0;
  const auto& o = feed.as_object();
  for (const char* k : {"contents", "services"})
    if (const auto* v = o.if_contains(k); v && v->is_array()) return static_cast<std::int64_t>(v->as_array().size());
  return 1;
}

ImportResult import_document(store::Scope& s, const json::value& feed, const Progress& progress) {
  const json::array* services = nullptr;
  const json::value* taxonomies = nullptr;
  const json::object* top = feed.is_object() ? &feed.as_object() : nullptr;
  bool listed = false;
  if (feed.is_array()) {
    services = &feed.as_array();
  } else if (top && top->contains("contents")) {
    if (!top->at("contents").is_array()) return directory_store::import_feed(s, feed);  // says what is wrong
    services = &top->at("contents").as_array();
  } else if (top && !(top->contains("id") && top->contains("services") && !top->contains("status"))) {
    for (const char* k : {"services", "taxonomies", "organizations", "locations", "taxonomy_terms"})
      if (top->contains(k)) listed = true;
    if (listed) {
      const auto* sv = top->if_contains("services");
      taxonomies = top->if_contains("taxonomies");
      if ((sv && !sv->is_array()) || (taxonomies && !taxonomies->is_array()))
        return directory_store::import_feed(s, feed);  // says what is wrong
      if (sv) services = &sv->as_array();
    }
  }
  if (!services && !listed) {
    // One service, one organisation, or a shape import_feed will explain the problem with.
    auto r = directory_store::import_feed(s, feed);
    if (progress) progress(1, 1);
    return r;
  }
  static const json::array none;
  if (!services) services = &none;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < services->size(); ++i)
    if (const auto* o = (*services)[i].if_object())
      if (const auto* id = o->if_contains("id"); id && id->is_string() && f::is_uuid(std::string(id->as_string())))
        if (!ids.insert(to_lower(std::string(id->as_string()))).second)
          throw ImportError("services[" + std::to_string(i) + "].id", "directory.error_duplicate_id");
  // Imported a slice at a time so progress can be shown; all in the caller's one transaction, by
  // one importer (so what it has looked up stays known), reading the parsed document where it is.
  const std::size_t total = services->size();
  // About a hundred steps of progress for a large feed, but no slice under 100 services and none
  // under 1,000 or a tenth of the feed, whichever is less: each slice is a dozen statements of
  // fixed cost on PostgreSQL (see Importer::prefetch in store.cpp), each a round trip that on a busy
  // machine waits for both processes to get a core.
  const std::size_t kSlice = std::max<std::size_t>({100, total / 100, std::min<std::size_t>(1000, total / 10)});
  ImportResult sum;
  sum.services = directory_store::import_services(
                     s, taxonomies ? &taxonomies->as_array() : nullptr, *services, kSlice,
                     [&](std::size_t done) {
                       if (progress) progress(static_cast<std::int64_t>(done), static_cast<std::int64_t>(total));
                     })
                     .services;
  // Records no service reaches, as the export writes them.
  std::set<std::string> orgs, locs, taxs, terms;
  if (top)
    if (const auto* a = array_at(*top, "organizations"))
      for (std::size_t i = 0; i < a->size(); ++i) {
        std::string p = "organizations[" + std::to_string(i) + "]";
        json::object doc = object_at((*a)[i], p);
        doc["services"] = json::array();
        try {
          directory_store::import_feed(s, doc);
        } catch (const ImportError& e) {
          std::string path = e.path.rfind("organization", 0) == 0 ? p + e.path.substr(12) : e.path;
          throw ImportError(path, e.key, e.args);
        }
        distinct(&(*a)[i], orgs);
      }
  if (top)
    if (const auto* a = array_at(*top, "locations"))
      for (std::size_t i = 0; i < a->size(); ++i) {
        std::string p = "locations[" + std::to_string(i) + "]";
        lone_location(s, object_at((*a)[i], p), p);
        distinct(&(*a)[i], locs);
      }
  if (top)
    if (const auto* a = array_at(*top, "taxonomy_terms"))
      for (std::size_t i = 0; i < a->size(); ++i) {
        std::string p = "taxonomy_terms[" + std::to_string(i) + "]";
        lone_term(s, object_at((*a)[i], p), p);
        distinct(&(*a)[i], terms);
      }
  // Counted once each, however many services share them.
  if (taxonomies && taxonomies->is_array())
    for (const auto& tx : taxonomies->as_array()) {
      distinct(&tx, taxs);
      if (const auto* o = tx.if_object())
        if (const auto* tt = o->if_contains("taxonomy_terms"); tt && tt->is_array())
          for (const auto& term : tt->as_array()) distinct(&term, terms);
    }
  for (const auto& sv : *services) {
    const auto* o = sv.if_object();
    if (!o) continue;
    distinct(o->if_contains("organization"), orgs);
    if (const auto* a = o->if_contains("service_at_locations"); a && a->is_array())
      for (const auto& x : a->as_array())
        if (x.is_object()) distinct(x.as_object().if_contains("location"), locs);
    if (const auto* a = o->if_contains("attributes"); a && a->is_array())
      for (const auto& x : a->as_array())
        if (x.is_object()) distinct(x.as_object().if_contains("taxonomy_term"), terms);
  }
  sum.organisations = static_cast<std::int64_t>(orgs.size());
  sum.locations = static_cast<std::int64_t>(locs.size());
  sum.taxonomies = static_cast<std::int64_t>(taxs.size());
  sum.taxonomy_terms = static_cast<std::int64_t>(terms.size());
  if (top) directory_welsh::import_from(s, *top);  // after the services it names
  return sum;
}

ImportResult import_tables(store::Scope& s, const std::map<std::string, std::string>& files, const Progress& progress) {
  Tables t = parse_tables(files);
  Nested n = nest(t);
  try {
    return import_document(s, n.feed, progress);
  } catch (const TabularError&) {
    throw;
  } catch (const ImportError& e) {
    rethrow_at(e, n.where);
  }
}

}  // namespace cp::modules::directory_tabular

namespace cp::modules::directory_tabular {

Upload read_upload(const std::string& path) {
  namespace fs = std::filesystem;
  Upload up;
  up.name = fs::path(path).filename().string();
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    up.csv = read_folder(path);
    if (up.csv.empty()) throw ImportError("", "directory.error_no_tables_in", {{"file", path}});
    return up;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ImportError("", "directory.error_cannot_read", {{"file", path}});
  std::ostringstream b;
  b << in.rdbuf();
  if (up.name.size() > 4 && to_lower(up.name.substr(up.name.size() - 4)) == ".csv") up.csv[up.name] = std::move(b).str();
  else up.json = std::move(b).str();
  return up;
}

ImportResult run_import(app::App& app, std::int64_t partnership_id, const Upload& up, const store::AuditContext& who,
                        const Progress& progress) {
  // The parsed document lives in one arena, freed at once when the import ends rather than a node at
  // a time (a 133 MB feed is millions of nodes).
  json::monotonic_resource arena;
  json::value feed(&arena);
  if (!up.tabular()) {
    boost::system::error_code ec;
    feed = json::parse(up.json, ec, &arena);
    if (ec) throw ImportError("", "directory.error_not_json", {{"file", up.name}});
  }
  auto w = app.work(partnership_id, who);
  try {
    auto r = up.tabular() ? import_tables(w.scope(), up.csv, progress) : import_document(w.scope(), feed, progress);
    w->audit({"directory.import", "directory", std::nullopt,
              std::to_string(r.services) + " services from " + (up.tabular() ? "csv" : "json")});
    w.commit();
    return r;
  } catch (const store::DbError& e) {
    // A rule the checks missed still leaves nothing written; say so plainly rather than as a crash.
    if (e.kind == store::DbError::Kind::unique || e.kind == store::DbError::Kind::foreign_key ||
        e.kind == store::DbError::Kind::check)
      throw ImportError("", "directory.error_conflict");
    throw;
  }
}

}  // namespace cp::modules::directory_tabular
