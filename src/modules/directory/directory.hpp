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

#include <algorithm>
#include <functional>
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

// The services of a feed's list (and its taxonomies, first, if given), `batch` at a time, telling
// `progress` how many are done after each batch; as import_feed, in the caller's transaction. Errors
// name each service by its place in the list ("services[12].name").
ImportResult import_services(store::Scope& s, const boost::json::array* taxonomies, const boost::json::array& services,
                             std::size_t batch, const std::function<void(std::size_t done)>& progress);

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

// Who a service is for (eligibility.cpp). HSDS 3.0 has no eligibility entity: a service says who it
// is for with attributes whose link_type is "eligibility", each naming a taxonomy term. A term whose
// `term` code is one of kEligibilityGroups is understood: shown in the reader's language and used by
// matching; any other is shown by its name. (Ages stay in minimum_age and maximum_age.)
inline const std::vector<std::string> kEligibilityGroups = {"parents", "carers",       "disabled", "women", "men",
                                                            "young_people", "older_people", "veterans", "lgbtq"};
namespace directory_store {
struct EligibilityTag {
  std::string code;  // one of kEligibilityGroups, or "" for a term this directory does not know
  std::string name;  // the term's own name, as the feed gave it
};
bool is_eligibility_link(const std::string& link_type);
// The group a term's code stands for ("Parents", "parents" -> "parents"), or "".
std::string eligibility_code(const std::string& term_code);
// The service's eligibility attributes, in the order they were given.
std::vector<EligibilityTag> eligibility(store::Scope& s, std::int64_t service_id);

// What the matching module asks for (candidates.cpp): active services and assets that could fit a
// need, pre-filtered in SQL so a query never reads the whole table.
struct CandidateQuery {
  std::optional<postcodes::Point> near;  // set: only places within `within_m`, nearest first
  double within_m = 10000;
  std::string term;                      // a taxonomy term's ORUK id; "" for any
  std::vector<std::string> words;        // lower-case words; any of them in the name or description
  std::int64_t limit = 200;
};

struct Candidate {
  std::int64_t id = 0;
  std::string uuid, name, description, asset_kind;  // asset_kind "" for a formal service
  std::vector<std::string> term_ids;                // ORUK ids of its taxonomy terms (topics)
  std::vector<EligibilityTag> eligibility;          // who it is for, from its eligibility attributes
  std::optional<std::int64_t> minimum_age, maximum_age;
  bool free = false;
  std::string cost;                                 // the first cost option's text, or the fees text
  std::vector<std::string> days;                    // "MO".."SU" it opens on, from its schedules
  std::optional<postcodes::Point> point;            // its nearest published location
  std::optional<double> distance_m;                 // from `near`, when given
};

std::vector<Candidate> candidates(store::Scope& s, const CandidateQuery& q);

// One service or asset as another module links to it (journeys: a chosen option, a referral), by
// its internal id (lookup.cpp). Pipeline stages are stated by linking the service to taxonomy terms
// whose `term` code is "pipeline-stage-1" .. "pipeline-stage-5"; `stages` lists those numbers.
struct ServiceRef {
  std::int64_t id = 0;
  std::string uuid, name, status, asset_kind;
  std::optional<std::int64_t> organisation_id;
  std::vector<int> stages;
};
std::optional<ServiceRef> service_ref(store::Scope& s, std::int64_t id);

struct Term {
  std::string id, name;
};
// Every taxonomy term, by name (for topic choices on forms).
std::vector<Term> terms(store::Scope& s);
// The terms as <select> options {value, label, selected}, `selected` marked; with `any_label`, a
// first option (value "") that stands for every topic.
web::List topic_options(const std::vector<Term>& terms, const std::string& selected,
                        const std::string& any_label = "");

}  // namespace directory_store

// Freshness (pages.cpp): when each service was last checked, and which ones are overdue.
namespace directory_store {
// A service is overdue for a check when neither a check nor a change is this recent.
inline constexpr std::int64_t kStaleAfterSeconds = 92LL * 24 * 3600;
struct Freshness {
  std::optional<std::int64_t> checked_at;  // the latest "Mark as checked" or the feed's assured_date
  std::int64_t modified_at = 0;
  std::int64_t basis() const { return std::max(checked_at.value_or(0), modified_at); }
  bool stale(std::int64_t now) const { return basis() < now - kStaleAfterSeconds; }
};
struct StaleService {
  std::int64_t id = 0;
  std::optional<std::int64_t> organisation_id;
  std::string uuid, name;
  Freshness freshness;
};
// Overdue services, oldest first: of these organisations, or of all when `organisations` is nullopt.
std::vector<StaleService> stale_services(store::Scope& s, const std::optional<std::vector<std::int64_t>>& organisations,
                                         std::int64_t now);
// How many of this organisation's services are overdue for a check (for the organisation's page).
std::int64_t stale_count_for_organisation(store::Scope& s, std::int64_t organisation_id, std::int64_t now);
// Records that `user_id` checked the service now: a check row, assured_date today, audited.
void mark_checked(store::Scope& s, std::int64_t service_id, std::int64_t user_id, std::int64_t now);
}  // namespace directory_store

// Who may do what with the directory's pages and the Community Asset Survey. One place; handlers ask.
namespace directory_policy {
bool can_search(const std::optional<auth::Actor>& a);
// `organisation_id`: the organisation that runs the service, if any.
bool can_mark_checked(const std::optional<auth::Actor>& a, std::optional<std::int64_t> organisation_id);
bool can_see_freshness(const std::optional<auth::Actor>& a);
bool can_review(const std::optional<auth::Actor>& a);
bool can_suggest(const std::optional<auth::Actor>& a);
bool can_moderate(const std::optional<auth::Actor>& a);
// Whole-directory import and export (a backup holds private records): partnership admins only.
bool can_import_export(const std::optional<auth::Actor>& a);
// Writing a service's name and description, in English and Welsh: the same people as can_mark_checked.
bool can_edit_text(const std::optional<auth::Actor>& a, std::optional<std::int64_t> organisation_id);
}  // namespace directory_policy

// The Community Asset Survey (survey.cpp): suggestions, their moderation, and publishing.
namespace directory_survey {
inline const std::vector<std::string> kSuggestionStatuses = {"waiting", "approved", "rejected"};
struct SuggestionInput {
  std::string name, asset_kind, what, place_name, address, town, postcode, when_text, who_for;
  std::string contact_name, contact_phone, contact_email, website, told_by;
  std::string name_cy, what_cy;  // optional Welsh versions of name and what (welsh.hpp)
};
struct Suggestion : SuggestionInput {
  std::int64_t id = 0, suggested_by = 0, created_at = 0;
  std::string status, reason, service_uuid;
  std::optional<std::int64_t> decided_at;
};
struct FieldProblem {
  std::string field, key;
};
std::vector<FieldProblem> validate(const SuggestionInput& in);
std::int64_t suggest(store::Scope& s, const SuggestionInput& in, std::int64_t user_id, std::int64_t now);
std::optional<Suggestion> get(store::Scope& s, std::int64_t id);
// Publishes a waiting suggestion as a community asset in the caller's transaction: the service row,
// its place (at `where`, from the postcode, when known), times and public contact. Returns its ORUK id,
// or nullopt when the suggestion is no longer waiting (the caller then rolls back).
// `who_label` introduces "who it is for" in the published description ("Who it is for: ").
std::optional<std::string> approve(store::Scope& s, std::int64_t id, std::int64_t moderator, std::int64_t now,
                                   std::optional<postcodes::Point> where, const std::string& who_label);
// The point for a suggestion's postcode: the postcode itself, or the centre of its first half.
std::optional<postcodes::Point> locate(store::Database& db, const std::string& postcode);
bool reject(store::Scope& s, std::int64_t id, std::int64_t moderator, const std::string& reason, std::int64_t now);
}  // namespace directory_survey

// For modules that point at a service (inspections, ratings, the tracker): a service in brief, by
// its internal id or its ORUK id, and the list to choose one from. Reads inside the caller's Scope.
namespace directory_store {
struct ServiceBrief {
  std::int64_t id = 0;
  std::string uuid, name;
  std::optional<std::int64_t> organisation_id;  // the organisations module's id of who runs it
};
std::optional<ServiceBrief> brief(store::Scope& s, std::int64_t id);
std::optional<ServiceBrief> brief_by_uuid(store::Scope& s, const std::string& uuid);
std::vector<ServiceBrief> briefs(store::Scope& s);  // every one not defunct, by name
}  // namespace directory_store

// Service page panels: other modules add a section to a service's public page (ratings, actions)
// without the directory knowing them. A provider returns HTML rendered by its own template (so
// escaped there), or "" for nothing; panels show by `order`, then name. See panels.cpp.
using ServicePanel = std::function<std::string(app::Ctx&, store::Scope&, const directory_store::ServiceBrief&)>;
void register_service_panel(const std::string& name, int order, ServicePanel panel);
std::vector<std::string> service_panels(app::Ctx& ctx, store::Scope& s, const directory_store::ServiceBrief& service);

void install_directory_pages(app::App& a);
void install_directory_survey(app::App& a);
// The "Edit the words" form for a service's English and Welsh text (welsh.cpp).
void install_directory_welsh(app::App& a);
// Welsh text for a handful of the demo services (welsh.cpp). Idempotent: Welsh already there is kept.
void directory_welsh_seed_demo(store::Scope& s);
// Community assets as a kind in the moderation queue ("asset", by internal id), and the table that
// remembers a hidden asset's status so restoring puts it back (moderation.cpp).
void install_directory_moderation(app::App& a);
void directory_moderation_migrations(store::Migrations& m);
namespace directory_store {
// True when a moderator has hidden this asset (its status is "inactive" until it is restored).
bool asset_hidden(store::Scope& s, std::int64_t service_id);
}  // namespace directory_store
// Import and export pages for partnership admins (admin.cpp), and their jobs table.
void install_directory_admin(app::App& a);
void directory_import_migrations(store::Migrations& m);

// `coproduce directory import --partnership SLUG FILE`: prints what was imported, or the first
// problem (and that nothing was imported). Returns the exit code.
int directory_import_command(Config cfg, const std::string& partnership, const std::string& file);
// `coproduce directory export --partnership SLUG --format json|csv|zip OUT`: the partnership's own
// full backup, private records included (see tabular.hpp).
int directory_export_command(Config cfg, const std::string& partnership, const std::string& format,
                             const std::string& out);

class DirectoryModule : public app::Module {
 public:
  std::string name() const override { return "directory"; }
  void migrations(store::Migrations& m) const override;
  void install(app::App& a) override;
};

}  // namespace cp::modules
