// UK postcodes as national reference data: a postcode's centre point, and the centre of each
// outcode ("KY1") for when only the first half is known. These tables belong to no partnership, so
// they are read through a plain connection rather than a Scope; nothing here is anyone's record.
//
// The point of the module is "near here": the directory turns a typed postcode into a point and
// orders places by their distance from it. It works offline from a CSV loaded once with
// `coproduce postcodes load`.
#pragma once
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/app.hpp"

namespace cp::modules {

namespace postcodes {

// A postcode as people type it, tidied: "ky11aa", "KY1 1AA" and "KY1  1AA" are all "KY1 1AA".
struct Normalised {
  std::string text;  // "KY1 1AA", or just the outcode "KY1"
  bool full = false;  // false: only the outcode was given
};
// nullopt when the text cannot be a UK postcode or outcode.
std::optional<Normalised> normalise(const std::string& typed);

struct Point {
  double latitude = 0, longitude = 0;
};

// Where a postcode is. A full postcode must be in the postcodes table; an outcode is found in the
// outcode centroids. nullopt when it is not known.
std::optional<Point> locate(store::Database& db, const Normalised& p);

// Great-circle distance in metres on a sphere of the Earth's mean radius.
double distance_m(Point a, Point b);

// A problem in a CSV file: the line (1 is the header), the column and a catalogue key.
struct LoadError : std::runtime_error {
  std::int64_t line;
  std::string field, key;
  std::string file;  // which file, filled in by load()
  LoadError(std::int64_t l, std::string f, std::string k)
      : std::runtime_error("line " + std::to_string(l) + ": " + f + ": " + k), line(l), field(std::move(f)), key(std::move(k)) {}
};

struct LoadResult {
  std::int64_t postcodes = 0, outcodes = 0;
};

// Loads an ONS-style CSV of postcodes (columns postcode|pcds|pcd, latitude|lat, longitude|long; others
// are ignored) and optionally one of outcode centroids (outcode, latitude, longitude). Both files are
// read and checked before anything is written, then written in one transaction: a bad row leaves the
// tables as they were. A postcode already there is updated, so loading the same file twice is harmless.
LoadResult load(store::Database& db, const std::string& postcodes_file, const std::string& outcodes_file = "");

// The message for a LoadError in plain words.
std::string describe(const app::App& app, const LoadError& e);

// ---- SIMD deciles by data zone (zones.cpp) ----
// The Scottish Index of Multiple Deprivation 2020v2 decile (1 = most deprived tenth of data zones)
// of a full postcode: postcode -> 2011 data zone (loaded with `coproduce postcodes zones`) -> decile
// (the Scottish Government's data-zone table, shipped in data/simd/). nullopt when either link is
// missing. The tables are national; the Scope is only the caller's connection.
std::optional<int> simd_decile(store::Scope& s, const std::string& postcode);
// Splits one CSV line (RFC 4180 quoting: a field may be quoted, and "" inside quotes is one quote).
std::vector<std::string> csv_fields(const std::string& line);
// The same for many postcodes at once: only those with a decile are in the answer.
std::map<std::string, int> simd_deciles(store::Scope& s, const std::vector<std::string>& postcodes);
// Changes whenever a zones file is loaded ("0" before the first), so callers that keep figures by
// decile know when to recount.
std::string zones_version(store::Scope& s);

struct ZonesResult {
  std::int64_t postcodes = 0, zones = 0;
};
// Loads a postcode -> data zone CSV (columns postcode|pcds|pcd and datazone2011code|datazone|dz;
// others ignored, like the NRS Scottish Postcode Directory) and the SIMD data-zone table
// (columns DZ, decile, la_name). Both are checked whole before anything is written; then one
// transaction replaces what was there. Errors are LoadError with the line and field.
ZonesResult load_zones(store::Database& db, const std::string& zones_file, const std::string& simd_file);

}  // namespace postcodes

// `coproduce postcodes zones FILE [--simd FILE]`. Returns the exit code.
int postcodes_zones_command(Config cfg, const std::string& file, const std::string& simd_file);
// Registers the zones tables (called from PostcodesModule::migrations).
void postcodes_zone_migrations(store::Migrations& m);

// `coproduce postcodes load FILE [--outcodes FILE]`. Returns the exit code.
int postcodes_load_command(Config cfg, const std::string& file, const std::string& outcodes);

class PostcodesModule : public app::Module {
 public:
  std::string name() const override { return "postcodes"; }
  void migrations(store::Migrations& m) const override;
};

}  // namespace cp::modules
