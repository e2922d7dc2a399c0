// Co-delivery at scale: a partnership with COPRODUCE_PEOPLE_SERVICES services and community assets
// (100,000 unless told) spread over the KY postcode area, COPRODUCE_PEOPLE_PEOPLE people with an
// offer each (1,000,000), COPRODUCE_PEOPLE_MEMBERS of them in the timebank (a tenth of the people)
// and COPRODUCE_PEOPLE_MOVEMENTS ledger movements (5,000,000). bench/people_run drives it; see
// docs/performance.md, "Co-delivery: directory, matching and timebank at scale".
//
//   COPRODUCE_PEOPLE_DB=sqlite:/tmp/p.db build/coproduce_bench --benchmark_filter=People
//   COPRODUCE_PEOPLE_DB=postgresql://... build/coproduce_bench --benchmark_filter=People
//
// The database is kept (it is named by COPRODUCE_PEOPLE_DB, or made in a temporary folder that is
// removed at the end), so the script can serve it over HTTP afterwards; a second run finds the data
// already there and only measures. How each part is written:
//   services   through directory_store::import_feed, the module's own ORUK importer, in
//              transactions of 1,000 services; the sum of those transactions is the import time.
//              The same feed is written whole to COPRODUCE_PEOPLE_FEED (when set) for the CLI.
//   people     bulk SQL in this file, not the accounts and capabilities modules: one users row and
//              one 'person' role per person (no password: nobody signs in as them) and one
//              capability_offers row each, with exactly the columns capabilities_store::create
//              writes (search_text is lower(title \n details \n languages)), but no audit rows.
//   ledger     bulk SQL as in timebank_bench.cpp: members joined from the people accounts, then
//              transfers and two movements each, then the cached balances set from the movements.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>

#include "app/app.hpp"
#include "core/util.hpp"
#include "modules/capabilities/capabilities.hpp"
#include "modules/capabilities/offer_index.hpp"
#include "modules/directory/directory.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/matching/matching.hpp"
#include "modules/organisations/organisations.hpp"
#include "modules/postcodes/postcodes.hpp"
#include "modules/timebank/timebank.hpp"

using namespace cp;
namespace json = boost::json;
namespace dir = modules::directory_store;
namespace tb = modules::timebank;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::int64_t env_int(const char* name, std::int64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoll(v) : fallback;
}

std::string env_str(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

std::string uuid(int kind, std::int64_t n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-0000-4000-8000-%012lld", 0x20000000 + kind, static_cast<long long>(n));
  return buf;
}

// What the partnership's directory is about: a taxonomy term per topic, and the word that names it
// in service names, descriptions and offers (so word and topic matches both find things).
struct Topic {
  const char* name;
  const char* word;
};
constexpr Topic kTopics[] = {
    {"Food", "food"},           {"Debt advice", "debt"},         {"Mental health", "wellbeing"},
    {"Walking", "walking"},     {"Gardening", "gardening"},      {"Digital skills", "computers"},
    {"Cooking", "cooking"},     {"Befriending", "befriending"},  {"Employment", "jobs"},
    {"Housing", "housing"},     {"Carers", "carers"},            {"Parenting", "parents"},
    {"Young people", "youth"},  {"Older people", "lunch"},       {"Music", "music"},
    {"Art", "art"},             {"Sport", "football"},           {"Reading", "reading"},
    {"Languages", "english"},   {"Transport", "lifts"},          {"Shopping", "shopping"},
    {"DIY", "repairs"},         {"Sewing", "sewing"},            {"Benefits", "benefits"},
    {"Bereavement", "grief"},   {"Recovery", "recovery"},        {"Disability", "access"},
    {"Volunteering", "volunteers"}, {"Welsh and Gaelic", "gaelic"}, {"Money", "budgeting"}};
constexpr int kTopicCount = sizeof kTopics / sizeof kTopics[0];
constexpr const char* kPlaces[] = {"Kirkcaldy", "Dunfermline", "Glenrothes", "Methil",  "St Andrews", "Cupar",
                                   "Cowdenbeath", "Lochgelly", "Burntisland", "Leven", "Kinross", "Anstruther"};
constexpr const char* kHalls[] = {"Community Centre", "Church Hall", "Library", "Hub", "Scout Hall", "Miners Welfare"};
constexpr const char* kDaySets[] = {"MO", "TU", "WE", "TH", "FR", "SA", "MO,WE", "TU,TH", "MO,WE,FR", "SA,SU", "MO,TU,WE,TH,FR"};
constexpr int kDaySetCount = sizeof kDaySets / sizeof kDaySets[0];

struct Postcode {
  std::string code;
  double latitude, longitude;
};

// Live KY postcodes from the project's own data file: where services and people are put, so they
// are as dense as the real postcodes are (thick in the towns, thin in the farmland).
std::vector<Postcode> read_postcodes(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file);
  std::vector<Postcode> out;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    auto f = split(line, ',');
    if (f.size() < 4 || f[3] != "1" || f[1].empty()) continue;
    out.push_back({f[0], std::stod(f[1]), std::stod(f[2])});
  }
  if (out.empty()) throw std::runtime_error("no live postcodes in " + file);
  return out;
}

// p50, p99 and the largest of a set of timings, in microseconds.
struct Spread {
  double p50 = 0, p99 = 0, max = 0;
};
Spread spread(std::vector<double> us) {
  std::sort(us.begin(), us.end());
  auto at = [&](double q) { return us[std::min(us.size() - 1, static_cast<std::size_t>(q * static_cast<double>(us.size())))]; };
  return {at(0.50), at(0.99), us.back()};
}

class People {
 public:
  std::string dir_, slug_;
  std::unique_ptr<app::App> app;
  app::Partnership p;
  std::vector<Postcode> postcodes;
  std::int64_t services, people, members, movements;
  std::int64_t first_member = 0, member_count = 0;
  bool generated = false;  // false: the data was already there
  double import_s = 0, people_s = 0, ledger_s = 0, feed_s = 0;

  People() {
    Config cfg;
    cfg.db_url = env_str("COPRODUCE_PEOPLE_DB", "");
    if (cfg.db_url.empty()) {
      dir_ = (std::filesystem::temp_directory_path() / ("coproduce-people-bench-" + random_token(6))).string();
      std::filesystem::create_directories(dir_);
      cfg.db_url = "sqlite:" + dir_ + "/bench.db";
    }
    cfg.access_log = false;
    cfg.password_cost = "min";  // one account is hashed; its cost is not what is measured
    services = env_int("COPRODUCE_PEOPLE_SERVICES", 100000);
    people = env_int("COPRODUCE_PEOPLE_PEOPLE", 1000000);
    members = env_int("COPRODUCE_PEOPLE_MEMBERS", std::max<std::int64_t>(2, people / 10));
    members -= members % 2;  // the payer/earner pattern below needs an even number
    movements = env_int("COPRODUCE_PEOPLE_MOVEMENTS", 5000000);
    slug_ = env_str("COPRODUCE_PEOPLE_SLUG", "people");
    postcodes = read_postcodes(env_str("COPRODUCE_PEOPLE_POSTCODES", "data/postcodes/ky_postcodes.csv"));
    app = std::make_unique<app::App>(cfg);
    app->migrate();
    if (auto existing = app->partnership_by_slug(slug_)) {
      p = *existing;
      find_members();
      // A fill that stopped before the ledger (the ledger is the last part) is finished now.
      auto lease = app->db->lease();
      if (lease->run("SELECT COUNT(*) FROM timebank_transfers WHERE partnership_id = $1", {p.id}).one().i64(0) == 0) {
        fill_ledger();
        lease->run("ANALYZE", {});
      }
      return;
    }
    modules::postcodes::load(*app->db, env_str("COPRODUCE_PEOPLE_POSTCODES", "data/postcodes/ky_postcodes.csv"),
                             env_str("COPRODUCE_PEOPLE_OUTCODES", "data/postcodes/outcodes.csv"));
    p = app->create_partnership(slug_, "People at scale", env_str("COPRODUCE_PEOPLE_HOST", "people.bench"),
                                "Directory, matching and timebank benchmark");
    generated = true;
    add_worker();
    import_directory();
    add_people();
    fill_ledger();
    auto lease = app->db->lease();
    lease->run("ANALYZE", {});
  }

  ~People() {
    app.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  store::Work read() {
    return app->work(p.id, {std::nullopt, "bench", "", ""}, store::Transaction::Mode::read);
  }

  const Postcode& postcode(std::uint64_t n) const { return postcodes[n % postcodes.size()]; }

 private:
  // The worker bench/people_run signs in as to ask /api/v1/match: a key worker at a support charity.
  void add_worker() {
    auto w = app->work(p.id, {std::nullopt, "bench", "", ""});
    modules::OrganisationInput org;
    org.name = "Fife Bench Support";
    org.kind = "third_sector";
    org.summary = "Key workers who connect people to what is near them.";
    auto org_id = modules::organisations_store::create(w.scope(), org);
    modules::NewUser u;
    u.email = env_str("COPRODUCE_PEOPLE_WORKER_EMAIL", "worker@people.bench");
    u.name = "Bench Worker";
    u.password = env_str("COPRODUCE_PEOPLE_WORKER_PASSWORD", "long quiet river stones 42");
    u.grants.push_back({auth::Role::worker, org_id});
    modules::AccountsModule::create_user(*app, w.scope(), u);
    w.commit();
  }

  json::object service(std::int64_t i, std::mt19937_64& rng) const {
    const auto& pc = postcode(rng());
    // Within about 150 m of the postcode's centre, so places sharing a postcode are not one point.
    std::uniform_real_distribution<double> jitter(-0.0013, 0.0013);
    int t1 = static_cast<int>(i % kTopicCount), t2 = static_cast<int>((i * 7 + 3) % kTopicCount);
    const char* place = kPlaces[i % 12];
    bool asset = i % 5 < 2;
    std::string kind = asset ? modules::kAssetKinds[static_cast<std::size_t>(i / 5) % modules::kAssetKinds.size()] : "";
    std::string name = std::string(place) + " " + kTopics[t1].name + (asset ? " group " : " service ") + std::to_string(i);
    std::string description = std::string("Friendly ") + kTopics[t1].word + " and " + kTopics[t2].word +
                              " support in " + place + ". Drop in for a cup of tea and a chat, or phone first.";
    json::object address{{"id", uuid(3, i)},       {"address_1", std::to_string(i % 200 + 1) + " High Street"},
                         {"city", place},         {"state_province", "Fife"},
                         {"postal_code", pc.code}, {"country", "GB"},
                         {"address_type", "physical"}};
    json::object location{{"id", uuid(2, i)},
                          {"location_type", "physical"},
                          {"name", std::string(place) + " " + kHalls[i % 6]},
                          {"latitude", pc.latitude + jitter(rng)},
                          {"longitude", pc.longitude + jitter(rng)},
                          {"addresses", json::array{address}}};
    json::array attributes{{{"id", uuid(9, i)}, {"taxonomy_term_id", uuid(1, t1)}}};
    if (t2 != t1) attributes.push_back({{"id", uuid(10, i)}, {"taxonomy_term_id", uuid(1, t2)}});
    json::object cost{{"id", uuid(11, i)}};
    if (i % 10 < 6) {
      cost["option"] = "Free";
      cost["amount"] = 0;
    } else {
      cost["option"] = "£2 a session";
      cost["amount"] = 2;
    }
    json::object svc{{"id", uuid(4, i)},
                     {"name", name},
                     {"status", "active"},
                     {"description", description},
                     {"last_modified", "2026-10-05T10:00:00Z"},
                     {"service_at_locations", json::array{{{"id", uuid(7, i)}, {"location", location}}}},
                     {"schedules", json::array{{{"id", uuid(8, i)},
                                                {"freq", "WEEKLY"},
                                                {"byday", kDaySets[i % kDaySetCount]},
                                                {"opens_at", "10:00"},
                                                {"closes_at", "12:30"}}}},
                     {"cost_options", json::array{cost}},
                     {"contacts", json::array{{{"id", uuid(5, i)},
                                               {"name", "Front desk"},
                                               {"phones", json::array{{{"id", uuid(6, i)},
                                                                       {"number", "01592 " + std::to_string(100000 + i % 900000)}}}}}}},
                     {"attributes", attributes}};
    if (!kind.empty()) svc["asset_kind"] = kind;
    if (i % 5 == 4) {
      svc["minimum_age"] = 16;
    } else if (i % 11 == 3) {
      svc["maximum_age"] = 25;
    }
    return svc;
  }

  void import_directory() {
    json::array terms;
    for (int t = 0; t < kTopicCount; ++t)
      terms.push_back({{"id", uuid(1, t)}, {"name", kTopics[t].name}, {"description", std::string("About ") + kTopics[t].word}});
    json::array taxonomies{{{"id", uuid(0, 0)}, {"name", "Needs"}, {"description", "What people need"},
                            {"taxonomy_terms", terms}}};
    std::mt19937_64 rng(1);
    json::array all;
    all.reserve(static_cast<std::size_t>(services));
    for (std::int64_t i = 0; i < services; ++i) all.push_back(service(i, rng));
    constexpr std::int64_t kBatch = 1000;
    for (std::int64_t from = 0; from < services; from += kBatch) {
      json::object batch;
      if (from == 0) batch["taxonomies"] = taxonomies;
      batch["services"] = json::array(all.begin() + from, all.begin() + std::min(services, from + kBatch));
      auto start = Clock::now();
      auto w = app->work(p.id, {std::nullopt, "bench", "", ""});
      dir::import_feed(w.scope(), batch);
      w.commit();
      import_s += seconds_since(start);
    }
    std::cerr << "people_bench: imported " << services << " services in " << import_s << " s\n";
    if (auto file = env_str("COPRODUCE_PEOPLE_FEED", ""); !file.empty()) {
      auto start = Clock::now();
      std::ofstream out(file, std::ios::binary | std::ios::trunc);
      out << json::serialize(json::object{{"taxonomies", taxonomies}, {"services", std::move(all)}}) << "\n";
      if (!out) throw std::runtime_error("cannot write " + file);
      feed_s = seconds_since(start);
    }
  }

  // INSERT ... VALUES in the caller's transaction: many rows per statement on PostgreSQL (fewer round
  // trips), one on SQLite, whose parameter lookup by name (sqlite3_bind_parameter_name walks a list)
  // makes binding cost grow with the square of the parameters in a statement.
  static void insert_rows(store::Connection& c, const std::string& head, int columns, std::int64_t count,
                          const std::function<void(std::int64_t, store::Params&)>& row) {
    int per = c.dialect() == store::Dialect::postgres ? 200 : 1;
    for (std::int64_t from = 0; from < count; from += per) {
      std::int64_t to = std::min(count, from + per);
      std::string sql = head + " VALUES ";
      store::Params params;
      for (std::int64_t i = from; i < to; ++i) {
        sql += i == from ? "(" : ", (";
        for (int k = 0; k < columns; ++k) {
          sql += (k ? ", $" : "$") + std::to_string(params.size() + static_cast<std::size_t>(k) + 1);
        }
        sql += ")";
        row(i, params);
        if (params.size() != static_cast<std::size_t>((i - from + 1) * columns)) throw std::logic_error("column count");
      }
      c.run(sql, params);
    }
  }

  void add_people() {
    auto start = Clock::now();
    auto lease = app->db->lease();
    std::int64_t now = now_seconds();
    {
      store::Transaction tx(*lease);
      insert_rows(*lease,
                  "INSERT INTO users (partnership_id, email, name, password_hash, created_at, password_changed_at)", 6,
                  people, [&](std::int64_t i, store::Params& ps) {
                    ps.push_back(p.id);
                    ps.push_back("person" + std::to_string(i) + "@people.bench");
                    ps.push_back("Person " + std::to_string(i));
                    ps.push_back(std::string("!"));  // no password: this account cannot sign in
                    ps.push_back(now);
                    ps.push_back(now);
                  });
      tx.commit();
    }
    auto ids = lease->run("SELECT MIN(id), MAX(id), COUNT(*) FROM users WHERE partnership_id = $1 AND email LIKE 'person%'",
                          {p.id}).one();
    std::int64_t first = ids.i64(0);
    if (ids.i64(1) - first + 1 != people || ids.i64(2) != people) throw std::runtime_error("people ids are not contiguous");
    {
      store::Transaction tx(*lease);
      lease->run("INSERT INTO user_roles (partnership_id, user_id, role, granted_at) SELECT partnership_id, id, 'person',"
                 " created_at FROM users WHERE partnership_id = $1 AND email LIKE 'person%'",
                 {p.id});
      std::mt19937_64 rng(2);
      constexpr const char* kLanguages[] = {"English", "English", "English", "English, Polish", "English, Gaelic",
                                            "English, Arabic"};
      constexpr const char* kVisibility[] = {"members", "members", "members", "members", "members",
                                             "staff",   "staff",   "staff",   "keyworker", "keyworker"};
      insert_rows(*lease,
                  "INSERT INTO capability_offers (partnership_id, person_id, recorded_by, kind, topic, title, details,"
                  " languages, time_note, days, postcode, latitude, longitude, visibility, search_text, created_at,"
                  " updated_at)",
                  17, people, [&](std::int64_t i, store::Params& ps) {
                    int t = static_cast<int>(rng() % kTopicCount), t2 = static_cast<int>(rng() % kTopicCount);
                    const auto& pc = postcode(rng());
                    std::string topic = i % 10 == 9 ? modules::kOtherTopic : uuid(1, t);
                    std::string title = std::string("I can help with ") + kTopics[t].word;
                    std::string details = std::string("Happy to share what I know about ") + kTopics[t].word + " and " +
                                          kTopics[t2].word + ", an hour or two a week.";
                    std::string languages = kLanguages[i % 6];
                    ps.push_back(p.id);
                    ps.push_back(first + i);
                    ps.push_back(first + i);
                    ps.push_back(std::string("offer"));
                    ps.push_back(topic);
                    ps.push_back(title);
                    ps.push_back(details);
                    ps.push_back(languages);
                    ps.push_back(std::string("Weekday afternoons"));
                    ps.push_back(std::string(kDaySets[rng() % kDaySetCount]));
                    ps.push_back(pc.code);
                    ps.push_back(pc.latitude);
                    ps.push_back(pc.longitude);
                    ps.push_back(std::string(kVisibility[i % 10]));
                    ps.push_back(to_lower(title + "\n" + details + "\n" + languages));
                    ps.push_back(now);
                    ps.push_back(now);
                  });
      tx.commit();
    }
    people_s = seconds_since(start);
    std::cerr << "people_bench: added " << people << " people with offers in " << people_s << " s\n";
  }

  void find_members() {
    auto lease = app->db->lease();
    auto r = lease->run("SELECT MIN(id), COUNT(*) FROM timebank_members WHERE partnership_id = $1 AND kind = 'person'",
                        {p.id}).one();
    first_member = r.i64(0);
    member_count = r.i64(1);
  }

  void fill_ledger() {
    auto start = Clock::now();
    {
      auto w = app->work(p.id, {std::nullopt, "bench", "", ""});
      tb::ensure_settings(w.scope());
      w.commit();
    }
    auto lease = app->db->lease();
    bool pg = lease->dialect() == store::Dialect::postgres;
    std::string pid = std::to_string(p.id);
    find_members();
    if (member_count == 0) {
      store::Transaction tx(*lease);
      lease->run("INSERT INTO timebank_members (partnership_id, kind, user_id, name, sort_name, outcode, joined_at)"
                 " SELECT partnership_id, 'person', id, name, lower(name), 'KY1', created_at FROM users"
                 " WHERE partnership_id = $1 AND email LIKE 'person%' ORDER BY id LIMIT " + std::to_string(members),
                 {p.id});
      tx.commit();
    }
    find_members();
    auto last = lease->run("SELECT MAX(id) FROM timebank_members WHERE partnership_id = $1 AND kind = 'person'", {p.id}).one();
    if (member_count != members || last.i64(0) - first_member + 1 != members)
      throw std::runtime_error("member ids are not contiguous");
    store::Transaction tx(*lease);
    std::string base = std::to_string(first_member), m = std::to_string(members), n = std::to_string(movements / 2);
    // Payer i % M, earner (7i + 1) % M: never the same member, because 6i + 1 is odd and M is even.
    std::string select = "SELECT " + pid + ", 'exchange', " + base + " + (i % " + m + "), " + base + " + ((i * 7 + 1) % " +
                         m + "), 1 + (i % 8), '', 1, 1760000000000 + i * 1000 ";
    std::string insert = "INSERT INTO timebank_transfers (partnership_id, kind, from_member, to_member, quarters, memo,"
                         " counted_given, at_ms) ";
    if (pg)
      lease->run(insert + select + "FROM generate_series(CAST(1 AS BIGINT), CAST(" + n + " AS BIGINT)) AS g(i)", {});
    else
      lease->run(insert + "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < " + n + ") " + select +
                     "FROM g",
                 {});
    for (const char* sign : {"-", ""})
      lease->run(std::string("INSERT INTO timebank_movements (partnership_id, transfer_id, member_id, quarters, at_ms)"
                             " SELECT partnership_id, id, ") +
                     (*sign ? "from_member" : "to_member") + ", " + sign + "quarters, at_ms FROM timebank_transfers"
                     " WHERE partnership_id = " + pid,
                 {});
    lease->run("UPDATE timebank_members SET balance = (SELECT COALESCE(SUM(m.quarters), 0) FROM timebank_movements m"
               " WHERE m.partnership_id = timebank_members.partnership_id AND m.member_id = timebank_members.id),"
               " given = (SELECT COALESCE(SUM(m.quarters), 0) FROM timebank_movements m"
               " WHERE m.partnership_id = timebank_members.partnership_id AND m.member_id = timebank_members.id"
               " AND m.quarters > 0) WHERE partnership_id = " + pid,
               {});
    tx.commit();
    ledger_s = seconds_since(start);
    std::cerr << "people_bench: wrote " << movements << " movements for " << members << " members in " << ledger_s
              << " s\n";
  }
};

People& fixture() {
  static People f;
  return f;
}

// Fills the database (or finds it filled) and reports how long each part took.
void PeopleGenerate(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(fixture().p.id);
  auto& f = fixture();
  state.counters["generated"] = f.generated ? 1 : 0;
  state.counters["services"] = static_cast<double>(f.services);
  state.counters["people"] = static_cast<double>(f.people);
  state.counters["members"] = static_cast<double>(f.member_count);
  state.counters["movements"] = static_cast<double>(f.movements);
  state.counters["import_s"] = f.import_s;
  state.counters["people_s"] = f.people_s;
  state.counters["ledger_s"] = f.ledger_s;
  state.counters["feed_s"] = f.feed_s;
}
BENCHMARK(PeopleGenerate)->Iterations(1)->Unit(benchmark::kSecond);

// One read transaction and one lookup per member, as a page or API call makes it, for random
// members: the cached balance (what pages show) and the same figure summed from the ledger.
void balance_spread(benchmark::State& state, bool from_ledger) {
  auto& f = fixture();
  std::mt19937_64 rng(3);
  std::vector<double> us;
  constexpr int kLookups = 20000;
  us.reserve(kLookups);
  for (auto _ : state) {
    for (int i = 0; i < kLookups; ++i) {
      std::int64_t id = f.first_member + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(f.member_count));
      auto start = Clock::now();
      auto w = f.read();
      auto b = from_ledger ? tb::ledger_balance(w.scope(), id) : tb::balance(w.scope(), id);
      benchmark::DoNotOptimize(b);
      us.push_back(seconds_since(start) * 1e6);
    }
  }
  auto s = spread(us);
  state.counters["p50_us"] = s.p50;
  state.counters["p99_us"] = s.p99;
  state.counters["max_us"] = s.max;
}
void PeopleBalance(benchmark::State& state) { balance_spread(state, false); }
void PeopleLedgerBalance(benchmark::State& state) { balance_spread(state, true); }
BENCHMARK(PeopleBalance)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(PeopleLedgerBalance)->Iterations(1)->Unit(benchmark::kMillisecond);

// The HTTP figures (bench/people_run) include the server; these say how much of them is the module.
void PeopleNearInProcess(benchmark::State& state) {
  auto& f = fixture();
  std::mt19937_64 rng(4);
  std::vector<double> us;
  std::int64_t items = 0;
  for (auto _ : state) {
    for (int i = 0; i < 300; ++i) {
      const auto& pc = f.postcode(rng());
      dir::PlaceQuery q;
      q.near = modules::postcodes::Point{pc.latitude, pc.longitude};
      q.within_m = 5000;
      auto start = Clock::now();
      auto w = f.read();
      auto page = dir::list_service_at_locations(w.scope(), q);
      us.push_back(seconds_since(start) * 1e6);
      items += page.at("total_items").as_int64();
    }
  }
  auto s = spread(us);
  state.counters["p50_us"] = s.p50;
  state.counters["p99_us"] = s.p99;
  state.counters["max_us"] = s.max;
  state.counters["mean_total_items"] = static_cast<double>(items) / 300.0;
}
BENCHMARK(PeopleNearInProcess)->Iterations(1)->Unit(benchmark::kMillisecond);

// The server's resident memory now, in MB (VmRSS).
double rss_mb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  return 0;
}

// The kept offer index (capabilities/offer_index.hpp) is built by the first search with a place after
// the process starts. Built here once, outside the timed calls, measuring what it costs: the time of
// that first search and the memory the process holds after it that it did not before.
struct OfferIndexCost {
  double build_ms = 0, rss_mb = 0, offers = 0, approx_mb = 0, text_mb = 0;
};
const OfferIndexCost& offer_index_cost() {
  static OfferIndexCost cost = [] {
    auto& f = fixture();
    OfferIndexCost c;
    double before = rss_mb();
    modules::OfferViewer viewer;
    viewer.user_id = 1;
    viewer.staff = true;
    modules::capabilities_store::CandidateQuery q;
    q.near = modules::postcodes::Point{f.postcodes.front().latitude, f.postcodes.front().longitude};
    q.within_m = 5000;
    q.topic = uuid(1, 0);
    auto start = Clock::now();
    {
      auto w = f.read();
      benchmark::DoNotOptimize(modules::capabilities_store::candidates(w.scope(), viewer, q));
    }
    c.build_ms = seconds_since(start) * 1e3;
    c.rss_mb = rss_mb() - before;
    auto size = modules::capabilities_index::kept_size();
    c.offers = static_cast<double>(size.offers);
    c.approx_mb = static_cast<double>(size.approx_bytes) / (1024.0 * 1024.0);
    c.text_mb = static_cast<double>(size.text_bytes) / (1024.0 * 1024.0);
    return c;
  }();
  return cost;
}

// A match as the API makes it (check, then match in a read transaction) for 300 random postcodes and
// topics; `kept` false times the same with the people's offers searched in SQL alone (as before the
// kept offer index), for a before/after in one run.
void match_spread(benchmark::State& state, bool kept) {
  auto& f = fixture();
  const auto& cost = offer_index_cost();
  modules::capabilities_index::use_kept_index(kept);
  std::mt19937_64 rng(5);
  std::vector<double> us;
  std::int64_t found = 0;
  modules::matching::Viewer viewer;
  viewer.user_id = 1;  // a member of staff who recorded none of these offers
  viewer.staff = true;
  for (auto _ : state) {
    for (int i = 0; i < 300; ++i) {
      const auto& pc = f.postcode(rng());
      int t = static_cast<int>(rng() % kTopicCount);
      modules::matching::Need need;
      need.text = std::string("help with ") + kTopics[t].word;
      need.topic = uuid(1, t);
      need.postcode = pc.code;
      need.within_km = 5;
      auto start = Clock::now();
      if (!modules::matching::check(*f.app, need).empty()) {
        state.SkipWithError("need refused");
        return;
      }
      auto w = f.read();
      auto m = modules::matching::match(w.scope(), need, viewer);
      us.push_back(seconds_since(start) * 1e6);
      found += static_cast<std::int64_t>(m.size());
    }
  }
  auto s = spread(us);
  state.counters["p50_us"] = s.p50;
  state.counters["p99_us"] = s.p99;
  state.counters["max_us"] = s.max;
  state.counters["mean_results"] = static_cast<double>(found) / 300.0;
  modules::capabilities_index::use_kept_index(true);
  if (kept) {
    state.counters["offer_index_build_ms"] = cost.build_ms;
    state.counters["offer_index_rss_mb"] = cost.rss_mb;
    state.counters["offer_index_offers"] = cost.offers;
    state.counters["offer_index_approx_mb"] = cost.approx_mb;
    state.counters["offer_index_text_mb"] = cost.text_mb;
  }
}
void PeopleMatchInProcess(benchmark::State& state) { match_spread(state, true); }
void PeopleSqlMatchInProcess(benchmark::State& state) { match_spread(state, false); }
BENCHMARK(PeopleMatchInProcess)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(PeopleSqlMatchInProcess)->Iterations(1)->Unit(benchmark::kMillisecond);

// The two halves of a match, to see which one dominates: the directory's candidates (services and
// assets) and the capabilities module's (people's offers), each for the same needs as above.
void candidates_spread(benchmark::State& state, bool offers, bool kept = true) {
  auto& f = fixture();
  if (offers) offer_index_cost();
  std::mt19937_64 rng(5);
  std::vector<double> us;
  std::int64_t found = 0;
  modules::OfferViewer viewer;
  viewer.user_id = 1;
  viewer.staff = true;
  for (auto _ : state) {
    for (int i = 0; i < 300; ++i) {
      const auto& pc = f.postcode(rng());
      int t = static_cast<int>(rng() % kTopicCount);
      std::optional<modules::postcodes::Point> where = modules::postcodes::Point{pc.latitude, pc.longitude};
      auto start = Clock::now();
      auto w = f.read();
      if (offers) {
        modules::capabilities_store::CandidateQuery q;
        q.near = where;
        q.within_m = 5000;
        q.topic = uuid(1, t);
        q.words = {kTopics[t].word};
        found += static_cast<std::int64_t>((kept ? modules::capabilities_store::candidates(w.scope(), viewer, q)
                                                 : modules::capabilities_store::candidates_in_sql(w.scope(), viewer, q))
                                                .size());
      } else {
        dir::CandidateQuery q;
        q.near = where;
        q.within_m = 5000;
        q.term = uuid(1, t);
        q.words = {kTopics[t].word};
        found += static_cast<std::int64_t>(dir::candidates(w.scope(), q).size());
      }
      us.push_back(seconds_since(start) * 1e6);
    }
  }
  auto s = spread(us);
  state.counters["p50_us"] = s.p50;
  state.counters["p99_us"] = s.p99;
  state.counters["max_us"] = s.max;
  state.counters["mean_found"] = static_cast<double>(found) / 300.0;
}
void PeopleServiceCandidates(benchmark::State& state) { candidates_spread(state, false); }
void PeopleOfferCandidates(benchmark::State& state) { candidates_spread(state, true); }
BENCHMARK(PeopleServiceCandidates)->Iterations(1)->Unit(benchmark::kMillisecond);
void PeopleSqlOfferCandidates(benchmark::State& state) { candidates_spread(state, true, false); }
BENCHMARK(PeopleOfferCandidates)->Iterations(1)->Unit(benchmark::kMillisecond);

// At full size, not only in the tests: the kept index and the SQL search give the same offers in the
// same order for 300 random needs, each asked by a member, a member of staff and a key worker (a
// caseload of 50 random people), at 1, 5 and 10 km. Counts the answers that differ (should be 0).
void PeopleOfferIndexAgrees(benchmark::State& state) {
  auto& f = fixture();
  offer_index_cost();
  std::mt19937_64 rng(6);
  auto first = f.app->db->lease()->run("SELECT MIN(person_id) FROM capability_offers WHERE partnership_id = $1", {f.p.id}).one();
  std::int64_t first_person = first.null(0) ? 1 : first.i64(0);
  std::vector<modules::OfferViewer> viewers(3);
  viewers[0].user_id = first_person + 7;
  viewers[1].user_id = 1;
  viewers[1].staff = true;
  viewers[2].user_id = 1;
  viewers[2].staff = true;
  for (int i = 0; i < 50; ++i)
    viewers[2].caseload.push_back(first_person + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(f.people)));
  std::int64_t differ = 0, compared = 0, offers = 0;
  for (auto _ : state) {
    for (int i = 0; i < 300; ++i) {
      const auto& pc = f.postcode(rng());
      int t = static_cast<int>(rng() % kTopicCount);
      modules::capabilities_store::CandidateQuery q;
      q.near = modules::postcodes::Point{pc.latitude, pc.longitude};
      q.within_m = std::array<double, 3>{1000, 5000, 10000}[i % 3];
      if (i % 4 != 1) q.topic = uuid(1, t);
      if (i % 4 != 2) q.words = {kTopics[(t + i) % kTopicCount].word};
      const auto& v = viewers[static_cast<std::size_t>(i) % viewers.size()];
      auto w = f.read();
      auto a = modules::capabilities_store::candidates(w.scope(), v, q);
      auto b = modules::capabilities_store::candidates_in_sql(w.scope(), v, q);
      std::vector<std::int64_t> ia, ib;
      for (const auto& o : a) ia.push_back(o.id);
      for (const auto& o : b) ib.push_back(o.id);
      differ += ia != ib;
      compared += 1;
      offers += static_cast<std::int64_t>(ia.size());
    }
  }
  state.counters["compared"] = static_cast<double>(compared);
  state.counters["differ"] = static_cast<double>(differ);
  state.counters["mean_offers"] = static_cast<double>(offers) / static_cast<double>(std::max<std::int64_t>(1, compared));
  if (differ) state.SkipWithError("the kept offer index and the SQL search disagree");
}
BENCHMARK(PeopleOfferIndexAgrees)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(PeopleSqlOfferCandidates)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
