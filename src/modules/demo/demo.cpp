#include "modules/demo/demo.hpp"

#include <boost/json.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/capabilities/capabilities.hpp"
#include "modules/directory/directory.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/peer/peer.hpp"
#include "modules/selfassess/selfassess.hpp"
#include "modules/plain/web.hpp"
#include "modules/organisations/organisations.hpp"
#include "modules/journeymaps/journeymaps.hpp"
#include "modules/pb/process.hpp"
#include "modules/timebank/timebank.hpp"
#include "modules/tracker/tracker.hpp"
#include "modules/contribution/contribution.hpp"
#include "modules/ratings/ratings.hpp"
#include "modules/inspections/inspections.hpp"
#include "modules/lens/lens.hpp"
#include "modules/priorities/priorities.hpp"
#include "modules/charters/charters.hpp"
#include "modules/star/star.hpp"
#include "modules/grow/grow.hpp"

namespace cp::modules {

namespace json = boost::json;

const std::vector<DemoAccount>& demo_accounts() {
  static const std::vector<DemoAccount> accounts = {
      {"admin", "admin@demo.example", "kingdom-shore-keys-91", "Morag Henderson"},
      {"person", "person@demo.example", "bright-harbour-42", "Jo Morrison"},
      {"worker", "worker@demo.example", "steady-lantern-17", "Sam Duncan"},
      {"manager", "manager@demo.example", "quiet-meadow-58", "Priya Shah"},
      {"commissioner", "commissioner@demo.example", "silver-ledger-33", "Alan Baird"},
      {"councillor", "councillor@demo.example", "open-chamber-26", "Councillor Fiona Kerr"},
  };
  return accounts;
}

namespace {

// Topics used to make generated organisations varied enough for search to mean something.
const char* kTopics[] = {"debt advice", "childcare", "housing", "mental health", "employability", "digital skills",
                         "food", "transport", "carers", "young people", "recovery", "welfare rights"};
const char* kTowns[] = {"Kirkbeath", "Lowhaven", "Dunmarnock", "Glenrothay", "Cuparmuir", "Anstrane", "Bruntmouth"};

std::string get(const json::object& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

json::value read_json(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("demo data not found: " + file);
  std::stringstream ss;
  ss << in.rdbuf();
  return json::parse(ss.str());
}

// The postcode tables are national and shared, so they are loaded once for the whole database, and
// only when the demo's own area is missing: a database with a fuller list keeps it.
std::int64_t ensure_postcodes(app::App& a) {
  {
    auto lease = a.db->lease();
    if (lease->run("SELECT COUNT(*) FROM postcodes WHERE postcode LIKE 'KY%'", {}).one().i64(0) > 0) return 0;
  }
  const std::string dir = a.cfg.share_dir + "/data/postcodes/";
  return postcodes::load(*a.db, dir + "ky_postcodes.csv", dir + "outcodes.csv").postcodes;
}

// The importer attaches a service to an organisation through the organisation's ORUK id. The demo
// organisations were made from organisations.json, which has no ORUK ids, so before the first import
// each ORUK id in the feed is tied to the demo organisation of the same name; otherwise the import
// would make a second copy of every organisation.
void map_feed_organisations(store::Scope& s, const json::array& services) {
  std::set<std::string> done;
  for (const auto& v : services) {
    const auto* org = v.as_object().if_contains("organization");
    if (!org || !org->is_object()) continue;
    std::string uuid = get(org->as_object(), "id"), name = get(org->as_object(), "name");
    if (!done.insert(uuid).second) continue;
    if (!s.read("SELECT id FROM directory_organisations WHERE partnership_id = $1 AND uuid = $2", {uuid}).empty()) continue;
    auto found = s.read("SELECT id FROM organisations WHERE partnership_id = $1 AND name = $2", {name});
    if (found.empty()) throw std::runtime_error("demo service feed names an organisation that is not in the demo: " + name);
    s.insert({"directory.import_create", "directory_organisation", std::nullopt, "demo"},
             "INSERT INTO directory_organisations (partnership_id, uuid, organisation_id) VALUES ($1, $2, $3) RETURNING id",
             {uuid, found.one().i64(0)});
  }
}

// True when every service in the feed is already there exactly as the feed has it (the importer keeps
// a hash of each service's text), so starting the demo again writes nothing, not even to the audit trail.
bool feed_already_imported(store::Scope& s, const json::array& services) {
  for (const auto& v : services) {
    auto r = s.read("SELECT feed_hash FROM directory_services WHERE partnership_id = $1 AND uuid = $2",
                    {get(v.as_object(), "id")});
    if (r.empty() || r.one().null(0) || r.one().text(0) != sha256_hex(json::serialize(v))) return false;
  }
  return true;
}

}  // namespace

DemoResult load_demo(app::App& a, int scale) {
  DemoResult result;
  auto p = a.partnership_by_slug("demo");
  if (!p) {
    p = a.create_partnership("demo", "Kingdom Shore Employability Partnership", "",
                             "The council, NHS, charities, community groups and local people working together so that "
                             "everyone can find work, learning and support that fits their life.");
    result.partnership_created = true;
  }
  auto orgs = read_json(a.cfg.share_dir + "/data/demo/organisations.json").as_array();
  auto feed = read_json(a.cfg.share_dir + "/data/demo/services.json");
  // Before the partnership's transaction: on SQLite a second connection could not write meanwhile.
  result.postcodes_loaded = ensure_postcodes(a);

  store::AuditContext ctx{std::nullopt, "demo-loader", "", ""};
  auto w = a.work(p->id, ctx);
  std::map<std::string, std::int64_t> ids;
  for (const auto& v : orgs) {
    const auto& o = v.as_object();
    std::string slug = get(o, "slug");
    if (auto existing = organisations_store::find_by_slug(w.scope(), slug)) {
      ids[slug] = *existing;
      continue;
    }
    OrganisationInput oi{get(o, "name"),         get(o, "kind"),          get(o, "summary"),
                         get(o, "expertise"),    get(o, "partnership_role"), get(o, "services"),
                         get(o, "contact_name"), get(o, "contact_email"), get(o, "contact_phone"),
                         get(o, "website"),      get(o, "address")};
    auto problems = organisations_store::validate(oi);
    if (!problems.empty()) throw std::runtime_error("demo organisation " + slug + ": " + problems.front().key);
    ids[slug] = organisations_store::create(w.scope(), oi, slug);
    ++result.organisations_added;
  }
  // Generated organisations for load tests: "generated-00001" ...
  auto have = w->read("SELECT COUNT(*) FROM organisations WHERE partnership_id = $1 AND slug LIKE 'generated-%'").one().i64(0);
  for (int i = static_cast<int>(have) + 1; i <= scale; ++i) {
    char num[16];
    std::snprintf(num, sizeof num, "%05d", i);
    std::string topic = kTopics[i % 12], town = kTowns[i % 7];
    OrganisationInput oi;
    oi.name = town + " " + topic + " project " + num;
    oi.kind = kOrganisationKinds[i % kOrganisationKinds.size()];
    oi.summary = "Helps people in " + town + " with " + topic + ". Drop in or ask a worker to refer you.";
    oi.expertise = topic;
    oi.services = "Drop-in sessions\nOne-to-one support";
    oi.contact_email = "hello" + std::string(num) + "@generated.example.org";
    organisations_store::create(w.scope(), oi, "generated-" + std::string(num));
    ++result.organisations_added;
  }
  std::map<std::string, std::string> org_for_role = {{"worker", "solo-steps-families"},
                                                     {"manager", "lowhaven-community-hub"}};
  for (const auto& acct : demo_accounts()) {
    if (AccountsModule::find_user(w.scope(), acct.email)) continue;
    NewUser u;
    u.email = acct.email;
    u.name = acct.name;
    u.password = acct.password;
    auto role = auth::parse_role(acct.role).value();
    std::optional<std::int64_t> org;
    if (auto it = org_for_role.find(acct.role); it != org_for_role.end() && ids.count(it->second)) org = ids[it->second];
    u.grants.push_back({role, org});
    AccountsModule::create_user(a, w.scope(), u);
    ++result.accounts_added;
  }
  const auto& services = feed.as_object().at("services").as_array();
  if (!feed_already_imported(w.scope(), services)) {
    auto before = w->read("SELECT COUNT(*) FROM directory_services WHERE partnership_id = $1").one().i64(0);
    map_feed_organisations(w.scope(), services);
    try {
      directory_store::import_feed(w.scope(), feed);
    } catch (const directory_store::ImportError& e) {
      throw std::runtime_error("demo service feed: " + directory_store::describe(a, e));
    }
    auto after = w->read("SELECT COUNT(*) FROM directory_services WHERE partnership_id = $1").one().i64(0);
    result.services_added = static_cast<int>(after - before);
  }
  seed_capabilities_demo(a, w.scope());
  timebank::seed_demo(a, w.scope());
  pb_seed_demo(a, w.scope());
  plain::seed_demo(a, w.scope());
  seed_journeys_demo(a, w.scope());
  seed_selfassess_demo(a, w.scope());
  seed_peer_demo(a, w.scope());
  directory_welsh_seed_demo(w.scope());
  tracker::seed_demo(a, w.scope());
  ratings::seed_demo(a, w.scope());
  inspections::seed_demo(a, w.scope());
  lens::seed_demo(a, w.scope());
  priorities::seed_demo(a, w.scope());
  charters::seed_demo(a, w.scope());
  journeymaps::seed_labs_demo(a, w.scope());
  star::seed_demo(a, w.scope());
  contribution::seed_demo(a, w.scope());
  grow::seed_demo(a, w.scope());
  w.commit();
  return result;
}

}  // namespace cp::modules
