// The whole directory out: read table by table (one query each, not one per service, so a
// directory of ten thousand services exports in seconds), then written as CSV or nested JSON.
#include <array>
#include <charconv>
#include <ctime>

#include "core/util.hpp"
#include "modules/directory/tabular.hpp"
#include "modules/directory/welsh.hpp"
#include "modules/organisations/organisations.hpp"

namespace cp::modules::directory_tabular {

namespace json = boost::json;
namespace f = directory_fields;

namespace {

const TableSpec& spec(const std::string& name) {
  for (const auto& s : tables())
    if (s.name == name) return s;
  throw std::logic_error("no directory table " + name);
}

// Each table's records: its fields, then its links as ORUK ids from `joins`, then is_private.
void read(store::Scope& s, Tables& t, const std::string& name, const std::string& joins,
          const std::vector<std::string>& link_exprs, const std::string& where = "") {
  const auto& sp = spec(name);
  const auto& e = *sp.entity;
  std::string sql = "SELECT " + f::select_columns(e, "x");
  for (const auto& l : link_exprs) sql += ", " + l;
  if (sp.has_private) sql += ", x.is_private";
  sql += " FROM " + e.table + " x " + joins + " WHERE x.partnership_id = $1" + where + " ORDER BY x.id";
  auto& out = t[name];
  for (const auto& row : s.read(sql).rows) {
    Rec r;
    r.v = f::to_json(e, row);
    std::size_t c = 1 + e.fields.size();
    for (std::size_t i = 0; i < sp.links.size(); ++i) {
      if (sp.links[i] == "link_entity") {
        r.v["link_entity"] = "service";
        continue;
      }
      if (!row.null(c)) r.v[sp.links[i]] = row.text(c);
      ++c;
    }
    if (sp.has_private) r.v["private"] = row.boolean(c);
    out.push_back(std::move(r));
  }
}

std::string number_text(double d) {
  std::array<char, 64> buf{};
  auto [p, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), d);
  return ec == std::errc() ? std::string(buf.data(), p) : std::to_string(d);
}

std::string cell_text(const json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_int64()) return std::to_string(v.as_int64());
  if (v.is_uint64()) return std::to_string(v.as_uint64());
  if (v.is_double()) return number_text(v.as_double());
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  return "";
}

std::string type_of(const f::Field& fl) {
  switch (fl.kind) {
    case f::Kind::integer: return "integer";
    case f::Kind::number: return "number";
    case f::Kind::date: return "date";
    case f::Kind::datetime: return "datetime";
    case f::Kind::time: return "time";
    default: return "string";
  }
}

std::vector<std::string> columns(const TableSpec& sp) {
  std::vector<std::string> c{"id"};
  c.insert(c.end(), sp.links.begin(), sp.links.end());
  for (const auto& fl : sp.entity->fields) c.push_back(fl.name);
  if (sp.has_private) c.push_back("private");
  return c;
}

}  // namespace

Tables read_tables(store::Scope& s) {
  Tables t;
  auto& orgs = t["organization"];
  for (const auto& row : s.read("SELECT uuid, organisation_id, logo, uri, parent_uuid FROM directory_organisations"
                                " WHERE partnership_id = $1 ORDER BY id")
                             .rows) {
    // The name, description, email and website belong to the organisations module.
    auto org = organisations_store::get(s, row.i64(1));
    if (!org) continue;
    Rec r;
    r.v["id"] = row.text(0);
    r.v["name"] = org->name;
    r.v["description"] = org->summary;
    if (!org->contact_email.empty()) r.v["email"] = org->contact_email;
    if (!org->website.empty()) r.v["website"] = org->website;
    if (!row.null(2)) r.v["logo"] = row.text(2);
    if (!row.null(3)) r.v["uri"] = row.text(3);
    if (!row.null(4)) r.v["parent_organization_id"] = row.text(4);
    orgs.push_back(std::move(r));
  }
  const std::string service_join = "JOIN directory_services sv ON sv.partnership_id = $1 AND sv.id = x.service_id";
  const std::string location_join = "JOIN directory_locations l ON l.partnership_id = $1 AND l.id = x.location_id";
  read(s, t, "organization_identifier",
       "JOIN directory_organisations o ON o.partnership_id = $1 AND o.id = x.directory_organisation_id", {"o.uuid"});
  read(s, t, "taxonomy", "", {});
  read(s, t, "taxonomy_term", "LEFT JOIN directory_taxonomies tx ON tx.partnership_id = $1 AND tx.id = x.taxonomy_id",
       {"tx.uuid"});
  read(s, t, "location", "", {});
  read(s, t, "address", location_join, {"l.uuid"});
  read(s, t, "accessibility", location_join, {"l.uuid"});
  read(s, t, "service",
       "LEFT JOIN directory_organisations o ON o.partnership_id = $1 AND o.organisation_id = x.organisation_id",
       {"o.uuid"});
  read(s, t, "service_at_location", service_join + " " + location_join, {"sv.uuid", "l.uuid"});
  // Opening times of one place a service is at are not kept by the feed import either.
  read(s, t, "schedule", service_join, {"sv.uuid"}, " AND x.service_at_location_id IS NULL");
  for (const char* name : {"cost_option", "contact", "service_area", "language", "funding"})
    read(s, t, name, service_join, {"sv.uuid"});
  read(s, t, "phone", "JOIN directory_contacts c ON c.partnership_id = $1 AND c.id = x.contact_id", {"c.uuid"});
  read(s, t, "attribute",
       service_join + " JOIN directory_taxonomy_terms tt ON tt.partnership_id = $1 AND tt.id = x.taxonomy_term_id",
       {"sv.uuid", "tt.uuid"});
  directory_welsh::read_into(s, t);  // Welsh text: not HSDS, carried beside it
  return t;
}

std::map<std::string, std::string> write_csv(const Tables& t) {
  std::map<std::string, std::string> files;
  json::array resources;
  for (const auto& sp : tables()) {
    auto cols = columns(sp);
    std::string text;
    for (std::size_t i = 0; i < cols.size(); ++i) text += (i ? "," : "") + cols[i];
    text += "\r\n";
    if (auto it = t.find(sp.name); it != t.end())
      for (const auto& r : it->second) {
        for (std::size_t i = 0; i < cols.size(); ++i) {
          const auto* v = r.v.if_contains(cols[i]);
          text += (i ? "," : "") + csv_cell(v ? cell_text(*v) : "");
        }
        text += "\r\n";
      }
    files[sp.file] = std::move(text);
    json::array fields;
    for (const auto& c : cols) {
      json::object fo;
      fo["name"] = c;
      fo["type"] = c == "private" ? "boolean" : "string";
      for (const auto& fl : sp.entity->fields)
        if (fl.name == c) fo["type"] = type_of(fl);
      fields.push_back(std::move(fo));
    }
    json::object schema;
    schema["fields"] = std::move(fields);
    schema["primaryKey"] = "id";
    json::object res;
    res["name"] = sp.name;
    res["path"] = sp.file;
    res["profile"] = "tabular-data-resource";
    res["schema"] = std::move(schema);
    resources.push_back(std::move(res));
  }
  directory_welsh::write_csv(t, files, resources);
  json::object dp;
  dp["name"] = "coproduce_directory";
  dp["title"] = "Service and community asset directory (HSDS 3.0 tabular)";
  dp["profile"] = "tabular-data-package";
  dp["version"] = "3.0.0";
  dp["resources"] = std::move(resources);
  files["datapackage.json"] = json::serialize(dp);
  return files;
}

json::object export_feed(store::Scope& s) {
  Tables t = read_tables(s);
  return nest(t).feed;
}

// ------------------------------------------------------------ zip

namespace {

std::uint32_t crc32(std::string_view data) {
  static const auto table = [] {
    std::array<std::uint32_t, 256> tb{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      tb[i] = c;
    }
    return tb;
  }();
  std::uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : data) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

void le16(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
}
void le32(std::string& out, std::uint32_t v) {
  le16(out, v & 0xFFFF);
  le16(out, v >> 16);
}

}  // namespace

std::string zip(const std::map<std::string, std::string>& files, std::int64_t mtime) {
  std::time_t tt = static_cast<std::time_t>(mtime);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  std::uint32_t dos_time = static_cast<std::uint32_t>((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
  std::uint32_t dos_date =
      static_cast<std::uint32_t>((std::max(0, tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
  std::string out, central;
  std::uint32_t count = 0;
  for (const auto& [name, data] : files) {
    // Stored, not compressed: no compression library is needed and CSV is small next to the limit.
    std::uint32_t crc = crc32(data), size = static_cast<std::uint32_t>(data.size());
    std::uint32_t offset = static_cast<std::uint32_t>(out.size());
    auto header = [&](std::string& h, bool central_entry) {
      if (central_entry) le16(h, 20);  // made by
      le16(h, 20);                     // version needed
      le16(h, 0x0800);                 // UTF-8 names
      le16(h, 0);                      // stored
      le16(h, dos_time);
      le16(h, dos_date);
      le32(h, crc);
      le32(h, size);
      le32(h, size);
      le16(h, static_cast<std::uint32_t>(name.size()));
      le16(h, 0);  // extra
      if (central_entry) {
        le16(h, 0);  // comment
        le16(h, 0);  // disk
        le16(h, 0);  // internal attributes
        le32(h, 0);  // external attributes
        le32(h, offset);
      }
      h += name;
    };
    le32(out, 0x04034b50);
    header(out, false);
    out += data;
    le32(central, 0x02014b50);
    header(central, true);
    ++count;
  }
  std::uint32_t cd_offset = static_cast<std::uint32_t>(out.size());
  out += central;
  le32(out, 0x06054b50);
  le16(out, 0);
  le16(out, 0);
  le16(out, count);
  le16(out, count);
  le32(out, static_cast<std::uint32_t>(central.size()));
  le32(out, cd_offset);
  le16(out, 0);
  return out;
}

}  // namespace cp::modules::directory_tabular
