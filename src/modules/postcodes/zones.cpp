// SIMD deciles by postcode: postcode -> 2011 data zone -> Scottish Index of Multiple Deprivation 2020v2
// decile. The data-zone table ships in data/simd/ (Scottish Government, OGL v3.0); the postcode ->
// data zone link comes from a file the partnership loads (the NRS Scottish Postcode Directory has
// it, column DataZone2011Code). Until one is loaded every decile is unknown, and pages say so.
//
// National reference data like the rest of this module: no partnership owns these rows.
#include <cctype>
#include <fstream>
#include <iostream>
#include <set>

#include "core/util.hpp"
#include "modules/postcodes/postcodes.hpp"

namespace cp::modules {

namespace postcodes {

namespace {

std::vector<std::string> split_csv(const std::string& line) {
  auto out = csv_fields(line);
  for (auto& f : out) {
    while (!f.empty() && (f.back() == '\r' || f.back() == ' ')) f.pop_back();
    std::size_t i = 0;
    while (i < f.size() && f[i] == ' ') ++i;
    f.erase(0, i);
  }
  return out;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A 2011 Scottish data zone code: S01 and six digits.
bool zone_code(const std::string& z) {
  if (z.size() != 9 || z.compare(0, 3, "S01") != 0) return false;
  for (std::size_t i = 3; i < z.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(z[i]))) return false;
  return true;
}

// A CSV with a header; `want` lists, per needed column, the header names accepted (any case).
struct Csv {
  std::ifstream in;
  std::vector<std::string> header;
  std::vector<std::size_t> cols;
  std::int64_t line_no = 1;

  Csv(const std::string& file, const std::vector<std::vector<std::string>>& want) : in(file, std::ios::binary) {
    if (!in) throw LoadError(0, "", "postcodes.error_unreadable");
    std::string line;
    if (!std::getline(in, line)) throw LoadError(1, "", "postcodes.error_no_header");
    if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    header = split_csv(line);
    for (const auto& names : want) {
      std::optional<std::size_t> at;
      for (std::size_t i = 0; i < header.size() && !at; ++i)
        for (const auto& n : names)
          if (lower(header[i]) == n) at = i;
      if (!at) throw LoadError(1, names.front(), "postcodes.error_no_column");
      cols.push_back(*at);
    }
  }
  // The next non-empty line's wanted fields; false at the end.
  bool next(std::vector<std::string>& out) {
    std::string line;
    while (std::getline(in, line)) {
      ++line_no;
      bool blank = true;
      for (char c : line)
        if (!std::isspace(static_cast<unsigned char>(c))) blank = false;
      if (blank) continue;
      auto f = split_csv(line);
      if (f.size() != header.size()) throw LoadError(line_no, "", "postcodes.error_columns");
      out.clear();
      for (auto c : cols) out.push_back(f[c]);
      return true;
    }
    return false;
  }
  const std::string& name(std::size_t i) const { return header[cols[i]]; }
};

struct Zone {
  std::string code, la_name;
  int decile = 0;
};

std::vector<Zone> read_simd(const std::string& file) {
  Csv csv(file, {{"dz", "datazone", "data_zone", "datazone2011code"},
                 {"decile", "simd2020v2_decile", "simd2020_decile"},
                 {"la_name", "laname", "council_area"}});
  std::vector<Zone> out;
  std::set<std::string> seen;
  std::vector<std::string> f;
  while (csv.next(f)) {
    if (!zone_code(f[0])) throw LoadError(csv.line_no, csv.name(0), "postcodes.error_not_zone");
    auto d = parse_int(f[1]);
    if (!d || *d < 1 || *d > 10) throw LoadError(csv.line_no, csv.name(1), "postcodes.error_decile");
    if (!seen.insert(f[0]).second) throw LoadError(csv.line_no, csv.name(0), "postcodes.error_duplicate_zone");
    out.push_back({f[0], f[2], static_cast<int>(*d)});
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> read_links(const std::string& file, const std::set<std::string>& zones) {
  Csv csv(file, {{"postcode", "pcds", "pcd"}, {"datazone2011code", "datazone2011", "datazone", "data_zone", "dz"}});
  std::vector<std::pair<std::string, std::string>> out;
  std::set<std::string> seen;
  std::vector<std::string> f;
  while (csv.next(f)) {
    auto pc = normalise(f[0]);
    if (!pc || !pc->full) throw LoadError(csv.line_no, csv.name(0), "postcodes.error_not_postcode");
    if (!zone_code(f[1])) throw LoadError(csv.line_no, csv.name(1), "postcodes.error_not_zone");
    if (!zones.count(f[1])) throw LoadError(csv.line_no, csv.name(1), "postcodes.error_unknown_zone");
    if (!seen.insert(pc->text).second) throw LoadError(csv.line_no, csv.name(0), "postcodes.error_duplicate");
    out.emplace_back(pc->text, f[1]);
  }
  return out;
}

template <class T>
T with_file(const std::string& file, T (*fn)(const std::string&)) {
  try {
    return fn(file);
  } catch (LoadError& e) {
    e.file = file;
    throw;
  }
}

}  // namespace

std::optional<int> simd_decile(store::Scope& s, const std::string& postcode) {
  auto pc = normalise(postcode);
  if (!pc || !pc->full) return std::nullopt;
  // $1 (the partnership) plays no part: these tables are national.
  auto r = s.read("SELECT d.decile FROM postcode_zones z JOIN simd_zones d ON d.zone = z.zone"
                  " WHERE z.postcode = $2 AND CAST($1 AS BIGINT) > 0",
                  {pc->text});
  if (r.empty()) return std::nullopt;
  return static_cast<int>(r.rows[0].i64(0));
}

std::map<std::string, int> simd_deciles(store::Scope& s, const std::vector<std::string>& postcodes) {
  std::map<std::string, int> out;
  std::map<std::string, std::vector<std::string>> asked;  // normalised -> as given
  for (const auto& p : postcodes)
    if (auto n = normalise(p); n && n->full) asked[n->text].push_back(p);
  std::vector<std::string> keys;
  for (const auto& [k, v] : asked) keys.push_back(k);
  constexpr std::size_t kBatch = 400;
  for (std::size_t start = 0; start < keys.size(); start += kBatch) {
    std::size_t end = std::min(keys.size(), start + kBatch);
    std::string sql = "SELECT z.postcode, d.decile FROM postcode_zones z JOIN simd_zones d ON d.zone = z.zone"
                      " WHERE CAST($1 AS BIGINT) > 0 AND z.postcode IN (";
    store::Params p;
    for (std::size_t i = start; i < end; ++i) {
      if (i != start) sql += ", ";
      sql += "$" + std::to_string(p.size() + 2);
      p.emplace_back(keys[i]);
    }
    sql += ")";
    for (const auto& r : s.read(sql, p).rows)
      for (const auto& given : asked[r.text(0)]) out[given] = static_cast<int>(r.i64(1));
  }
  return out;
}

std::string zones_version(store::Scope& s) {
  auto r = s.read("SELECT COALESCE(MAX(id), 0) FROM postcode_zone_loads WHERE CAST($1 AS BIGINT) > 0");
  return r.empty() ? "0" : std::to_string(r.rows[0].i64(0));
}

ZonesResult load_zones(store::Database& db, const std::string& zones_file, const std::string& simd_file) {
  auto zones = with_file<std::vector<Zone>>(simd_file, read_simd);
  std::set<std::string> codes;
  for (const auto& z : zones) codes.insert(z.code);
  std::vector<std::pair<std::string, std::string>> links;
  try {
    links = read_links(zones_file, codes);
  } catch (LoadError& e) {
    e.file = zones_file;
    throw;
  }
  auto lease = db.lease();
  store::Transaction tx(*lease);
  lease->run("DELETE FROM postcode_zones", {});
  lease->run("DELETE FROM simd_zones", {});
  constexpr std::size_t kBatch = 200;
  for (std::size_t start = 0; start < zones.size(); start += kBatch) {
    std::size_t end = std::min(zones.size(), start + kBatch);
    std::string sql = "INSERT INTO simd_zones (zone, decile, la_name) VALUES ";
    store::Params p;
    for (std::size_t i = start; i < end; ++i) {
      std::size_t b = p.size() + 1;
      if (i != start) sql += ", ";
      sql += "($" + std::to_string(b) + ", $" + std::to_string(b + 1) + ", $" + std::to_string(b + 2) + ")";
      p.emplace_back(zones[i].code);
      p.emplace_back(std::int64_t{zones[i].decile});
      p.emplace_back(zones[i].la_name);
    }
    lease->run(sql, p);
  }
  for (std::size_t start = 0; start < links.size(); start += kBatch) {
    std::size_t end = std::min(links.size(), start + kBatch);
    std::string sql = "INSERT INTO postcode_zones (postcode, zone) VALUES ";
    store::Params p;
    for (std::size_t i = start; i < end; ++i) {
      std::size_t b = p.size() + 1;
      if (i != start) sql += ", ";
      sql += "($" + std::to_string(b) + ", $" + std::to_string(b + 1) + ")";
      p.emplace_back(links[i].first);
      p.emplace_back(links[i].second);
    }
    lease->run(sql, p);
  }
  // A new version: figures kept by decile elsewhere (journeys' counters) recount on their next read.
  lease->run("INSERT INTO postcode_zone_loads (loaded_at, postcodes, zones) VALUES ($1, $2, $3)",
             {now_seconds(), static_cast<std::int64_t>(links.size()), static_cast<std::int64_t>(zones.size())});
  tx.commit();
  return {static_cast<std::int64_t>(links.size()), static_cast<std::int64_t>(zones.size())};
}

}  // namespace postcodes

int postcodes_zones_command(Config cfg, const std::string& file, const std::string& simd_file) {
  app::App app(std::move(cfg));
  app.migrate();
  std::string simd = simd_file.empty() ? app.cfg.share_dir + "/data/simd/simd2020v2_deciles.csv" : simd_file;
  try {
    auto r = postcodes::load_zones(*app.db, file, simd);
    std::cout << app.catalogue.t("en", "postcodes.zones_done",
                                 {{"postcodes", std::to_string(r.postcodes)}, {"zones", std::to_string(r.zones)}})
              << "\n";
    return 0;
  } catch (const postcodes::LoadError& e) {
    std::cerr << "coproduce: " << postcodes::describe(app, e) << "\n"
              << app.catalogue.t("en", "postcodes.load_failed") << "\n";
    return 1;
  }
}

void postcodes_zone_migrations(store::Migrations& m) {
  m.add({"postcodes", 2, "postcode to data zone, and SIMD 2020v2 deciles by data zone",
         R"SQL(
CREATE TABLE simd_zones (
  zone TEXT PRIMARY KEY,
  decile INTEGER NOT NULL CHECK (decile BETWEEN 1 AND 10),
  la_name TEXT NOT NULL
);
CREATE TABLE postcode_zones (
  postcode TEXT PRIMARY KEY,
  zone TEXT NOT NULL REFERENCES simd_zones (zone)
);
CREATE TABLE postcode_zone_loads (
  id {{id}},
  loaded_at BIGINT NOT NULL,
  postcodes BIGINT NOT NULL,
  zones BIGINT NOT NULL
);
)SQL",
         {}});
}

}  // namespace cp::modules
