#include "modules/postcodes/postcodes.hpp"

#include <cctype>
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>

namespace cp::modules {

namespace postcodes {

namespace {

bool letter(char c) { return c >= 'A' && c <= 'Z'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

// The first half: A9, A99, AA9, AA99, A9A or AA9A.
bool outward(const std::string& s) {
  if (s.size() < 2 || s.size() > 4 || !letter(s[0])) return false;
  std::size_t i = letter(s[1]) ? 2 : 1;
  if (i >= s.size() || !digit(s[i])) return false;
  ++i;
  if (i < s.size() && (digit(s[i]) || letter(s[i]))) ++i;
  return i == s.size();
}

bool inward(const std::string& s) { return s.size() == 3 && digit(s[0]) && letter(s[1]) && letter(s[2]); }

}  // namespace

std::optional<Normalised> normalise(const std::string& typed) {
  if (typed.size() > 40) return std::nullopt;
  std::string compact;
  for (char c : typed) {
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    compact += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  // The second half is always three characters, so "KY11AA" can only be "KY1 1AA".
  if (compact.size() >= 5 && inward(compact.substr(compact.size() - 3)) && outward(compact.substr(0, compact.size() - 3)))
    return Normalised{compact.substr(0, compact.size() - 3) + " " + compact.substr(compact.size() - 3), true};
  if (outward(compact)) return Normalised{compact, false};
  return std::nullopt;
}

std::optional<Point> locate(store::Database& db, const Normalised& p) {
  auto lease = db.lease();
  auto r = p.full ? lease->run("SELECT latitude, longitude FROM postcodes WHERE postcode = $1", {p.text})
                  : lease->run("SELECT latitude, longitude FROM postcode_outcodes WHERE outcode = $1", {p.text});
  if (r.empty()) return std::nullopt;
  return Point{r.one().f64(0), r.one().f64(1)};
}

double distance_m(Point a, Point b) {
  constexpr double kEarthRadius = 6371008.8;  // the IUGG mean radius, metres
  constexpr double kRad = 3.14159265358979323846 / 180.0;
  double dlat = (b.latitude - a.latitude) * kRad, dlon = (b.longitude - a.longitude) * kRad;
  double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
             std::cos(a.latitude * kRad) * std::cos(b.latitude * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadius * std::asin(std::sqrt(std::min(1.0, h)));
}

// Splits one CSV line; fields may be quoted, and "" inside quotes is one quote.
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') out.back() += '"', ++i;
      else if (c == '"') quoted = false;
      else out.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

namespace {

struct Row {
  std::string code;
  double latitude, longitude;
};


std::string tidy(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ')) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  return s.substr(i);
}

std::optional<double> number(const std::string& s) {
  if (s.empty() || s.size() > 30) return std::nullopt;
  std::size_t used = 0;
  try {
    double v = std::stod(s, &used);
    if (used != s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// Reads and checks a whole file. `code_names`: the header names accepted for the code column.
std::vector<Row> read_rows(const std::string& file, const std::vector<std::string>& code_names, bool full) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw LoadError(0, "", "postcodes.error_unreadable");
  std::string line;
  if (!std::getline(in, line)) throw LoadError(1, "", "postcodes.error_no_header");
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // a byte-order mark from spreadsheet exports
  auto header = csv_fields(line);
  auto column = [&](const std::vector<std::string>& names) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < header.size(); ++i) {
      std::string h;
      for (char c : tidy(header[i])) h += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      for (const auto& n : names)
        if (h == n) return i;
    }
    return std::nullopt;
  };
  auto code_col = column(code_names), lat_col = column({"latitude", "lat"}), lon_col = column({"longitude", "long", "lon"});
  if (!code_col) throw LoadError(1, code_names.front(), "postcodes.error_no_column");
  if (!lat_col) throw LoadError(1, "latitude", "postcodes.error_no_column");
  if (!lon_col) throw LoadError(1, "longitude", "postcodes.error_no_column");
  const std::string code_name = tidy(header[*code_col]), lat_name = tidy(header[*lat_col]), lon_name = tidy(header[*lon_col]);

  std::vector<Row> rows;
  std::map<std::string, std::int64_t> seen;
  std::int64_t n = 1;
  while (std::getline(in, line)) {
    ++n;
    if (tidy(line).empty()) continue;
    auto f = csv_fields(line);
    if (f.size() != header.size()) throw LoadError(n, "", "postcodes.error_columns");
    auto code = normalise(tidy(f[*code_col]));
    if (!code || code->full != full) throw LoadError(n, code_name, full ? "postcodes.error_not_postcode" : "postcodes.error_not_outcode");
    auto lat = number(tidy(f[*lat_col]));
    if (!lat || *lat < 49 || *lat > 61) throw LoadError(n, lat_name, "postcodes.error_latitude");
    auto lon = number(tidy(f[*lon_col]));
    if (!lon || *lon < -9 || *lon > 3) throw LoadError(n, lon_name, "postcodes.error_longitude");
    if (!seen.emplace(code->text, n).second) throw LoadError(n, code_name, "postcodes.error_duplicate");
    rows.push_back({code->text, *lat, *lon});
  }
  return rows;
}

std::vector<Row> read_csv(const std::string& file, const std::vector<std::string>& code_names, bool full) {
  try {
    return read_rows(file, code_names, full);
  } catch (LoadError& e) {
    e.file = file;
    throw;
  }
}

// Many rows per statement: one round trip per batch keeps a national load to minutes, not hours.
void upsert(store::Connection& c, const std::string& table, const std::string& key, const std::vector<Row>& rows) {
  constexpr std::size_t kBatch = 200;
  for (std::size_t start = 0; start < rows.size(); start += kBatch) {
    std::size_t end = std::min(rows.size(), start + kBatch);
    std::string sql = "INSERT INTO " + table + " (" + key + ", latitude, longitude) VALUES ";
    store::Params p;
    for (std::size_t i = start; i < end; ++i) {
      std::size_t b = p.size();
      if (i != start) sql += ", ";
      sql += "($";
      sql += std::to_string(b + 1);
      sql += ", $";
      sql += std::to_string(b + 2);
      sql += ", $";
      sql += std::to_string(b + 3);
      sql += ")";
      p.emplace_back(rows[i].code);
      p.emplace_back(rows[i].latitude);
      p.emplace_back(rows[i].longitude);
    }
    sql += " ON CONFLICT (" + key + ") DO UPDATE SET latitude = excluded.latitude, longitude = excluded.longitude";
    c.run(sql, p);
  }
}

}  // namespace

LoadResult load(store::Database& db, const std::string& postcodes_file, const std::string& outcodes_file) {
  auto pcs = read_csv(postcodes_file, {"postcode", "pcds", "pcd"}, true);
  std::vector<Row> outs;
  if (!outcodes_file.empty()) outs = read_csv(outcodes_file, {"outcode", "pcd_district", "district"}, false);
  auto lease = db.lease();
  store::Transaction tx(*lease);
  upsert(*lease, "postcodes", "postcode", pcs);
  upsert(*lease, "postcode_outcodes", "outcode", outs);
  tx.commit();
  return {static_cast<std::int64_t>(pcs.size()), static_cast<std::int64_t>(outs.size())};
}

std::string describe(const app::App& app, const LoadError& e) {
  const std::string& file = e.file;
  std::string msg = app.catalogue.t("en", e.key, {{"file", file}});
  if (e.line == 0) return msg;
  std::string where = app.catalogue.t("en", e.field.empty() ? "postcodes.error_at_line" : "postcodes.error_at_field",
                                      {{"line", std::to_string(e.line)}, {"field", e.field}});
  return file + ": " + where + ": " + msg;
}

}  // namespace postcodes

int postcodes_load_command(Config cfg, const std::string& file, const std::string& outcodes) {
  app::App app(std::move(cfg));
  app.migrate();
  try {
    auto r = postcodes::load(*app.db, file, outcodes);
    std::cout << app.catalogue.t("en", "postcodes.load_done",
                                 {{"postcodes", std::to_string(r.postcodes)}, {"outcodes", std::to_string(r.outcodes)}})
              << "\n";
    return 0;
  } catch (const postcodes::LoadError& e) {
    std::cerr << "coproduce: " << postcodes::describe(app, e) << "\n"
              << app.catalogue.t("en", "postcodes.load_failed") << "\n";
    return 1;
  }
}

void PostcodesModule::migrations(store::Migrations& m) const {
  // Not partnership tables: every partnership shares the one national list.
  m.add({"postcodes", 1, "postcode and outcode centre points",
         R"SQL(
CREATE TABLE postcodes (
  postcode TEXT PRIMARY KEY,
  latitude DOUBLE PRECISION NOT NULL,
  longitude DOUBLE PRECISION NOT NULL
);
CREATE TABLE postcode_outcodes (
  outcode TEXT PRIMARY KEY,
  latitude DOUBLE PRECISION NOT NULL,
  longitude DOUBLE PRECISION NOT NULL
);
)SQL",
         {}});
  postcodes_zone_migrations(m);  // version 2 (zones.cpp)
}

}  // namespace cp::modules
