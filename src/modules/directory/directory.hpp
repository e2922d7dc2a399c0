// The service and community-asset directory, modelled on HSDS 3.0 and its UK profile (ORUK 3.0).
//
// Formal services and community assets (a walking group, a library, a food larder) share one table;
// an asset has an asset_kind, a formal service has none, so everything a person could be connected
// to is found in one place. Every record carries a UUID because ORUK requires `format: uuid` ids;
// the integer id stays internal. A service's organisation lives in the organisations module and is
// reached only through its interface; this module keeps the ORUK id that goes with it.
//
// Published at /openreferral/ (open, read-only, CORS *). Staff contacts are private and never leave.
#pragma once
#include <boost/json.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "modules/postcodes/postcodes.hpp"

namespace cp::modules {

inline const std::vector<std::string> kServiceStatuses = {"active", "inactive", "defunct", "temporarily closed"};
inline const std::vector<std::string> kAssetKinds = {"community_group", "library",   "walking_group", "food_larder",
                                                     "timebank",        "church_hall", "sports_club",  "other"};

namespace directory_store {

// A feed problem: where it is ("services[3].schedules[0].opens_at") and what is wrong (a catalogue
// key and its arguments), so the CLI and pages can say it in plain words.
struct ImportError : std::runtime_error {
  std::string path, key;
  std::vector<std::pair<std::string, std::string>> args;
  ImportError(std::string p, std::string k, std::vector<std::pair<std::string, std::string>> a = {})
      : std::runtime_error(p + ": " + k), path(std::move(p)), key(std::move(k)), args(std::move(a)) {}
};

struct ImportResult {
  std::int64_t services = 0, locations = 0, taxonomies = 0, taxonomy_terms = 0, organisations = 0;
};

// Reads an ORUK 3.0 feed: an array of fully nested services, one service, a page envelope
// ({"contents": [...]}) or {"taxonomies": [...], "services": [...]}. Records are matched by id, so
// importing the same feed twice changes nothing. Works in the caller's transaction: on an
// ImportError the caller rolls back and nothing is kept.
ImportResult import_feed(store::Scope& s, const boost::json::value& feed);

// Parses and imports a file in one transaction of its own. Throws ImportError (path "" for a file
// that cannot be read or is not JSON).
ImportResult import_file(app::App& app, std::int64_t partnership_id, const std::string& file,
                         const store::AuditContext& who);

// The message for an ImportError, in plain words, prefixed by where it is.
std::string describe(const app::App& app, const ImportError& e, const std::string& lang = "en");

struct ServiceQuery {
  std::string search, taxonomy_term_id, organization_id;
  std::optional<std::int64_t> modified_after;  // seconds since 1970
  bool minimal = false;
  std::int64_t page = 1, per_page = 50;
};

// One page of results in the ORUK paging envelope.
boost::json::object list_services(store::Scope& s, const ServiceQuery& q);
std::optional<boost::json::object> service(store::Scope& s, const std::string& uuid);
// The organisation with this ORUK id, its identifiers and its services fully nested (the shape
// import_feed also reads).
std::optional<boost::json::object> organization(store::Scope& s, const std::string& uuid);
boost::json::object list_organizations(store::Scope& s, std::int64_t page, std::int64_t per_page);
boost::json::object list_taxonomies(store::Scope& s, std::int64_t page, std::int64_t per_page);
boost::json::object list_taxonomy_terms(store::Scope& s, const std::string& taxonomy_id, std::int64_t page,
                                        std::int64_t per_page);

struct PlaceQuery {
  std::optional<postcodes::Point> near;  // set: only located places, nearest first
  std::optional<double> within_m;        // with `near`: no further than this many metres
  std::int64_t page = 1, per_page = 50;
};

// One page of service_at_locations, each with its location and its service. Without `near`, every
// published one in id order. With `near`, a box on latitude and longitude picks the candidates in
// SQL and the exact great-circle distance (also given as `distance`, whole metres) filters and orders
// them here, so both databases give the same answer without a spatial extension. Private places
// (a refuge) never appear.
boost::json::object list_service_at_locations(store::Scope& s, const PlaceQuery& q);

// "2023-03-15T10:30:45.123Z" or with an offset -> seconds since 1970; nullopt when not that shape.
std::optional<std::int64_t> parse_datetime(const std::string& s);

}  // namespace directory_store

// `coproduce directory import --partnership SLUG FILE`: prints what was imported, or the first
// problem (and that nothing was imported). Returns the exit code.
int directory_import_command(Config cfg, const std::string& partnership, const std::string& file);

class DirectoryModule : public app::Module {
 public:
  std::string name() const override { return "directory"; }
  void migrations(store::Migrations& m) const override;
  void install(app::App& a) override;
};

}  // namespace cp::modules
