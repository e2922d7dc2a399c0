// The crash test's writer and checker (tests/crash/run drives both).
//
//   coproduce_crash_writer write DB_URL
//     Adds organisations one transaction at a time through the real storage path and prints each id
//     only after its commit returned, then flushes: every printed id was acknowledged. Runs until
//     killed. When the database goes away it keeps retrying, so a restarted server is picked up.
//
//   coproduce_crash_writer verify DB_URL FILE_OF_IDS
//     Checks that every acknowledged id (each whole line of the file) is still there with its audit
//     entry, and that the database's own integrity checks pass. Prints one line; exits 0 or 1.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

#include "app/app.hpp"
#include "core/config.hpp"
#include "core/util.hpp"
#include "modules/organisations/organisations.hpp"

using namespace cp;

namespace {

constexpr const char* kSlug = "crash";

int write_forever(const std::string& url) {
  Config cfg;
  load_config_env(cfg);
  cfg.db_url = url;
  cfg.password_cost = "min";
  cfg.access_log = false;
  cfg.threads = 1;
  cfg.db_pool = 2;
  app::App app(cfg);
  app.migrate();
  auto p = app.partnership_by_slug(kSlug);
  if (!p) p = app.create_partnership(kSlug, "Crash Test Partnership", "", "Rows written until the writer is killed.");

  modules::OrganisationInput in;
  in.kind = "community_group";
  in.summary = "Written by the crash test.";
  const std::string run = std::to_string(getpid()) + "-" + std::to_string(now_millis());
  std::int64_t last_complaint = 0;
  for (std::int64_t n = 1;; ++n) {
    in.name = "Crash row " + run + "-" + std::to_string(n);
    try {
      auto w = app.work(p->id, {std::nullopt, "crash-writer", "", ""});
      auto id = modules::organisations_store::create(w.scope(), in);
      w.commit();
      std::printf("%lld\n", static_cast<long long>(id));
      std::fflush(stdout);
    } catch (const store::DbError& e) {
      if (e.kind != store::DbError::Kind::unavailable && e.kind != store::DbError::Kind::busy) {
        std::fprintf(stderr, "writer: %s\n", e.what());
        return 1;
      }
      // The server is down or restarting: say so now and then, and try again shortly.
      if (now_millis() - last_complaint > 1000) {
        std::fprintf(stderr, "writer: waiting for the database: %s\n", e.what());
        last_complaint = now_millis();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

// Every whole line of the file; a last line without its newline was never fully acknowledged.
std::vector<std::int64_t> acknowledged(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  std::string text = ss.str();
  std::vector<std::int64_t> ids;
  std::size_t start = 0;
  for (auto nl = text.find('\n'); nl != std::string::npos; start = nl + 1, nl = text.find('\n', start)) {
    auto v = parse_int(text.substr(start, nl - start));
    if (!v) throw std::runtime_error("not an id in " + path + ": '" + text.substr(start, nl - start) + "'");
    ids.push_back(*v);
  }
  return ids;
}

// The database's own consistency checks. Returns "" when all pass, or what failed.
std::string integrity(store::Connection& c, std::string& done) {
  if (c.dialect() == store::Dialect::sqlite) {
    auto ic = c.run("PRAGMA integrity_check", {});
    if (ic.rows.size() != 1 || ic.one().text(0) != "ok")
      return "integrity_check: " + (ic.empty() ? std::string("no answer") : ic.one().text(0));
    auto fk = c.run("PRAGMA foreign_key_check", {});
    if (!fk.empty()) return "foreign_key_check: " + std::to_string(fk.rows.size()) + " broken reference(s)";
    done = "integrity_check ok, foreign_key_check empty";
    return {};
  }
  // amcheck lives in whichever schema it was first created in; call it there.
  c.run_script("CREATE EXTENSION IF NOT EXISTS amcheck");
  std::string ext = c.run("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
                          " WHERE e.extname = 'amcheck'",
                          {})
                        .one()
                        .text(0);
  std::string q = "\"" + ext + "\".";
  auto indexes = c.run(
      "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_index i"
      " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam"
      " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE a.amname = 'btree' AND n.nspname = current_schema()",
      {});
  if (indexes.empty()) return "no indexes found in the current schema";
  for (const auto& r : indexes.rows) {
    try {
      c.run("SELECT " + q + "bt_index_check($1::regclass, true)", {r.text(0)});
    } catch (const store::DbError& e) {
      return "bt_index_check " + r.text(0) + ": " + e.what();
    }
  }
  auto tables = c.run(
      "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c"
      " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = current_schema()",
      {});
  bool heap = !c.run("SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                     " WHERE p.proname = 'verify_heapam' AND n.nspname = $1",
                     {ext})
                   .empty();
  for (const auto& r : tables.rows) {
    if (heap) {
      auto bad = c.run("SELECT COUNT(*) FROM " + q + "verify_heapam($1::regclass)", {r.text(0)}).one().i64(0);
      if (bad) return "verify_heapam " + r.text(0) + ": " + std::to_string(bad) + " problem(s)";
    }
    c.run("SELECT COUNT(*) FROM " + r.text(0), {});  // a full scan reads every page
  }
  done = "bt_index_check ok on " + std::to_string(indexes.rows.size()) + " indexes" +
         (heap ? ", verify_heapam ok on " + std::to_string(tables.rows.size()) + " tables" : "");
  return {};
}

int verify(const std::string& url, const std::string& ids_path) {
  auto ids = acknowledged(ids_path);
  auto c = store::connect(url);
  auto p = c->run("SELECT id FROM partnerships WHERE slug = $1", {std::string(kSlug)});
  if (p.empty()) {
    std::cout << "FAILED: the crash partnership is missing (" << ids.size() << " ids acknowledged)\n";
    return 1;
  }
  auto pid = p.one().i64(0);
  std::set<std::int64_t> rows, audited;
  for (const auto& r : c->run("SELECT id FROM organisations WHERE partnership_id = $1", {pid}).rows) rows.insert(r.i64(0));
  for (const auto& r : c->run("SELECT record_id FROM audit_events WHERE partnership_id = $1 AND action = $2",
                              {pid, std::string("organisation.create")})
                           .rows)
    audited.insert(r.i64(0));

  std::vector<std::string> problems;
  std::size_t missing = 0, unaudited = 0;
  std::int64_t first_missing = 0;
  for (auto id : ids)
    if (!rows.count(id) && missing++ == 0) first_missing = id;
  if (missing)
    problems.push_back(std::to_string(missing) + " acknowledged id(s) missing, first " + std::to_string(first_missing));
  // The row and its audit entry were one transaction: neither may exist without the other.
  for (auto id : rows)
    if (!audited.count(id)) ++unaudited;
  for (auto id : audited)
    if (!rows.count(id)) ++unaudited;
  if (unaudited) problems.push_back(std::to_string(unaudited) + " row(s) without matching audit entry");
  if (std::set<std::int64_t>(ids.begin(), ids.end()).size() != ids.size())
    problems.push_back("an id was acknowledged twice");
  if (ids.empty()) problems.push_back("no ids were acknowledged");

  std::string checks;
  if (auto bad = integrity(*c, checks); !bad.empty()) problems.push_back(bad);

  if (!problems.empty()) {
    std::cout << "FAILED:";
    for (std::size_t i = 0; i < problems.size(); ++i) std::cout << (i ? "; " : " ") << problems[i];
    std::cout << "\n";
    return 1;
  }
  std::cout << "ok: " << ids.size() << " acknowledged ids present (" << rows.size() << " rows, each audited), "
            << checks << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  try {
    if (mode == "write" && argc == 3) return write_forever(argv[2]);
    if (mode == "verify" && argc == 4) return verify(argv[2], argv[3]);
  } catch (const std::exception& e) {
    // In write mode standard output carries only acknowledged ids.
    (mode == "verify" ? std::cout : std::cerr) << "FAILED: " << e.what() << "\n";
    return mode == "verify" ? 1 : 2;
  }
  std::cerr << "usage: coproduce_crash_writer write DB_URL | verify DB_URL FILE_OF_IDS\n";
  return 2;
}
