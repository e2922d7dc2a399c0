// coproduce: a thin command-line driver over the library.
//   serve | migrate | demo | user add | partnership add | directory import | directory export | postcodes load
// Settings come from flags, then environment variables, then a TOML file (--config or
// COPRODUCE_CONFIG), then defaults. Exit codes: 0 ok, 1 bad input, 2 database or network failure.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <thread>

#include "app/app.hpp"
#include "core/config.hpp"
#include "core/util.hpp"
#include "http/server.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/demo/demo.hpp"
#include "modules/directory/directory.hpp"
#include "modules/events/events.hpp"
#include "modules/notifications/notifications.hpp"
#include "modules/journeys/kpi.hpp"
#include "modules/postcodes/postcodes.hpp"
#include "modules/pb/cli.hpp"
#include "modules/plain/cli.hpp"

using namespace cp;

namespace {

struct Flags {
  std::string config, db, listen, share;
  bool demo = false;
  int threads = 0;
  int scale = 0;
};

Config make_config(const Flags& f) {
  Config cfg;
  std::string file = f.config;
  if (file.empty())
    if (const char* v = std::getenv("COPRODUCE_CONFIG"); v && *v) file = v;
  if (!file.empty()) load_config_file(file, cfg);
  load_config_env(cfg);
  if (!f.db.empty()) cfg.db_url = f.db;
  if (!f.listen.empty()) cfg.listen = f.listen;
  if (!f.share.empty()) cfg.share_dir = f.share;
  if (f.demo) cfg.demo = true;
  if (f.threads > 0) cfg.threads = f.threads;
  return cfg;
}

void add_common(CLI::App* cmd, Flags& f) {
  cmd->add_option("--db", f.db, "Database URL: sqlite:PATH or postgresql://USER@HOST:PORT/NAME (env COPRODUCE_DB)");
  cmd->add_option("--config", f.config, "TOML settings file (env COPRODUCE_CONFIG)");
  cmd->add_option("--share", f.share, "Folder of templates, catalogues and assets (default: beside the binary)");
}

void print_demo_sign_ins(const std::string& url) {
  std::cout << "\nDemo sign-ins (demo mode only):\n";
  for (const auto& a : modules::demo_accounts())
    std::cout << "  " << a.role << std::string(14 - a.role.size(), ' ') << a.email << "  " << a.password << "\n";
  std::cout << "\nOpen " << url << " in a browser.\n" << std::flush;
}

int serve(const Flags& f) {
  Config cfg = make_config(f);
  auto [host, port] = parse_listen(cfg.listen);
  app::App app(cfg);
  app.migrate();
  modules::journeys::build_missing_kpis(app);
  if (app.cfg.demo) {
    auto r = modules::load_demo(app);
    spdlog::info("demo partnership ready ({} organisations, {} accounts, {} directory services and {} postcodes added)",
                 r.organisations_added, r.accounts_added, r.services_added, r.postcodes_loaded);
  }
  http::ServerOptions opts;
  opts.header_limit = cfg.header_limit;
  opts.body_limit = cfg.body_limit;
  opts.read_timeout_seconds = cfg.read_timeout_seconds;
  opts.idle_timeout_seconds = cfg.idle_timeout_seconds;
  opts.shutdown_grace_seconds = cfg.shutdown_grace_seconds;
  opts.trust_proxy = cfg.trust_proxy;
  http::Server server(
      opts, [&app](http::Request& r) { return app.handle(r); },
      [&app](const http::Request& r, const http::Response& res, double s) { app.observe(r, res, s); });
  server.listen(host, port);
  int threads = cfg.threads > 0 ? cfg.threads : static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  std::string url = "http://" + (host == "0.0.0.0" ? std::string("127.0.0.1") : host) + ":" + std::to_string(server.port());
  std::cout << "Coproduce is serving " << url << " (database " << store::redact_url(cfg.db_url) << ", " << threads
            << " threads)\n";
  if (app.cfg.demo) print_demo_sign_ins(url);
  std::cout << std::flush;
  server.run(threads);
  std::cout << "Coproduce stopped.\n";
  return 0;
}

int migrate(const Flags& f) {
  app::App app(make_config(f));
  int n = app.migrate();
  std::cout << "Applied " << n << " migration(s) to " << store::redact_url(app.cfg.db_url) << ".\n";
  if (int built = modules::journeys::build_missing_kpis(app))
    std::cout << "Built the learning lens figures of " << built << " partnership(s).\n";
  return 0;
}

int demo(const Flags& f) {
  app::App app(make_config(f));
  app.migrate();
  auto r = modules::load_demo(app, f.scale);
  std::cout << "Demo partnership " << (r.partnership_created ? "created" : "already there") << ": "
            << r.organisations_added << " organisations and " << r.accounts_added << " accounts added.\n";
  if (r.accounts_added) print_demo_sign_ins("the address `coproduce serve` prints");
  return 0;
}

struct UserFlags {
  std::string partnership = "demo", email, name, role = "person";
  std::int64_t organisation = 0;
};

int user_add(const Flags& f, const UserFlags& u) {
  app::App app(make_config(f));
  app.migrate();
  auto p = app.partnership_by_slug(u.partnership);
  if (!p) throw std::invalid_argument("no partnership with slug '" + u.partnership + "'");
  auto role = auth::parse_role(u.role);
  if (!role) throw std::invalid_argument("role must be one of person, worker, manager, commissioner, councillor, admin");
  if ((*role == auth::Role::worker || *role == auth::Role::manager) && u.organisation <= 0)
    throw std::invalid_argument("--organisation ID is needed for workers and managers");
  // The password comes from standard input, never the command line (which other users can see).
  if (isatty(STDIN_FILENO)) std::cerr << "Password (at least 12 characters), then Enter: " << std::flush;
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  modules::NewUser nu;
  nu.email = u.email;
  nu.name = u.name;
  nu.password = password;
  nu.grants.push_back({*role, u.organisation > 0 ? std::optional<std::int64_t>(u.organisation) : std::nullopt});
  auto w = app.work(p->id, {std::nullopt, "cli", "", ""});
  try {
    auto id = modules::AccountsModule::create_user(app, w.scope(), nu);
    w.commit();
    std::cout << "Created account " << id << " for " << to_lower(u.email) << " with role " << u.role << ".\n";
  } catch (const modules::AccountError& e) {
    throw std::invalid_argument(e.field + ": " + app.catalogue.t("en", e.key));
  }
  return 0;
}

struct PartnershipFlags {
  std::string slug, name, host, summary;
};

int partnership_add(const Flags& f, const PartnershipFlags& p) {
  app::App app(make_config(f));
  app.migrate();
  if (slugify(p.slug) != p.slug || p.slug.empty())
    throw std::invalid_argument("slug must be lower case letters, numbers and hyphens");
  if (app.partnership_by_slug(p.slug)) throw std::invalid_argument("a partnership with slug '" + p.slug + "' exists");
  auto created = app.create_partnership(p.slug, p.name, p.host, p.summary);
  std::cout << "Created partnership " << created.id << " (" << p.slug << ").\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Coproduce: people and services planning, delivering and checking services together."};
  cli.require_subcommand(1);
  Flags f;
  UserFlags uf;
  PartnershipFlags pf;

  auto* serve_cmd = cli.add_subcommand("serve", "Serve the web application");
  add_common(serve_cmd, f);
  serve_cmd->add_option("--listen", f.listen, "HOST:PORT to listen on (env COPRODUCE_LISTEN, default 127.0.0.1:8080)");
  serve_cmd->add_flag("--demo", f.demo, "Load the demo partnership and print its sign-ins");
  serve_cmd->add_option("--threads", f.threads, "Worker threads (default: one per core)")->check(CLI::Range(1, 256));

  auto* migrate_cmd = cli.add_subcommand("migrate", "Create or update the database schema");
  add_common(migrate_cmd, f);

  auto* demo_cmd = cli.add_subcommand("demo", "Load the demo partnership (idempotent)");
  add_common(demo_cmd, f);
  demo_cmd->add_option("--scale", f.scale, "Also generate this many organisations (for benchmarks)")
      ->check(CLI::Range(0, 1000000));

  auto* user_cmd = cli.add_subcommand("user", "Manage accounts");
  user_cmd->require_subcommand(1);
  auto* user_add_cmd = user_cmd->add_subcommand("add", "Create an account; the password is read from standard input");
  add_common(user_add_cmd, f);
  user_add_cmd->add_option("--partnership", uf.partnership, "Partnership slug")->capture_default_str();
  user_add_cmd->add_option("--email", uf.email, "Email address")->required();
  user_add_cmd->add_option("--name", uf.name, "Full name")->required();
  user_add_cmd->add_option("--role", uf.role, "person, worker, manager, commissioner, councillor or admin")
      ->capture_default_str();
  user_add_cmd->add_option("--organisation", uf.organisation, "Organisation id (workers and managers)");

  auto* p_cmd = cli.add_subcommand("partnership", "Manage partnerships");
  p_cmd->require_subcommand(1);
  auto* p_add = p_cmd->add_subcommand("add", "Create a partnership");
  add_common(p_add, f);
  p_add->add_option("--slug", pf.slug, "Short name used in URLs and commands")->required();
  p_add->add_option("--name", pf.name, "Full name")->required();
  p_add->add_option("--host", pf.host, "Host name that serves this partnership");
  p_add->add_option("--summary", pf.summary, "One sentence about the partnership");

  // Capability modules' own subcommands.
  auto* pb_cmd = add_pb_cli(cli);
  auto plain_cli = plain::add_plain_cli(cli);
  std::string dir_partnership, dir_file;
  auto* dir_cmd = cli.add_subcommand("directory", "Service and community asset directory");
  dir_cmd->require_subcommand(1);
  auto* dir_import = dir_cmd->add_subcommand("import", "Import an Open Referral UK 3.0 JSON feed, all or nothing");
  add_common(dir_import, f);
  dir_import->add_option("--partnership", dir_partnership, "Partnership slug")->required();
  dir_import->add_option("FILE", dir_file,
                         "The feed (JSON), or a folder holding an HSDS 3.0 datapackage.json and its CSV files")
      ->required();
  std::string dir_format = "json", dir_out;
  auto* dir_export = dir_cmd->add_subcommand(
      "export",
      "Export the whole directory as the partnership's own full backup. It includes private records (staff "
      "contacts, refuge addresses) that the public /openreferral/ API never shows: keep the file safe");
  add_common(dir_export, f);
  dir_export->add_option("--partnership", dir_partnership, "Partnership slug")->required();
  dir_export->add_option("--format", dir_format, "json (one ORUK feed file), csv (a folder) or zip (the folder zipped)")
      ->check(CLI::IsMember({"json", "csv", "zip"}));
  dir_export->add_option("OUT", dir_out, "The file (json, zip) or folder (csv) to write; - for standard output")
      ->required();

  std::string pc_file, pc_outcodes;
  auto* pc_cmd = cli.add_subcommand("postcodes", "UK postcode centre points, for distance searches");
  pc_cmd->require_subcommand(1);
  auto* pc_load = pc_cmd->add_subcommand("load", "Load an ONS-style postcode CSV, all or nothing");
  add_common(pc_load, f);
  pc_load->add_option("FILE", pc_file, "Postcodes CSV (postcode, latitude, longitude)")->required();
  pc_load->add_option("--outcodes", pc_outcodes, "Outcode centres CSV (outcode, latitude, longitude)");
  std::string pz_file, pz_simd;
  auto* pc_zones = pc_cmd->add_subcommand("zones", "Load a postcode to data zone CSV (for SIMD deciles), all or nothing");
  add_common(pc_zones, f);
  pc_zones->add_option("FILE", pz_file, "Postcode to 2011 data zone CSV (postcode, DataZone2011Code)")->required();
  pc_zones->add_option("--simd", pz_simd, "SIMD data-zone table (DZ, decile, la_name); default: the one shipped");

  auto* ev_cmd = cli.add_subcommand("events", "Co-production labs and events");
  ev_cmd->require_subcommand(1);
  auto* ev_remind = ev_cmd->add_subcommand("remind", "Queue reminders for tomorrow's events (run hourly from cron)");
  add_common(ev_remind, f);
  auto* nt_cmd = cli.add_subcommand("notifications", "Email notices");
  nt_cmd->require_subcommand(1);
  auto* nt_send = nt_cmd->add_subcommand("send", "Send the notices and weekly digests that are due, once each");
  std::string nt_partnership;
  nt_send->add_option("--partnership", nt_partnership, "Only this partnership (its slug)");
  add_common(nt_send, f);
  auto* jr_cmd = cli.add_subcommand("journeys", "People's records");
  jr_cmd->require_subcommand(1);
  auto* jr_rebuild = jr_cmd->add_subcommand("rebuild-kpis", "Rebuild the learning lens figures from the records");
  std::string jr_partnership;
  jr_rebuild->add_option("--partnership", jr_partnership, "Only this partnership (its slug)");
  add_common(jr_rebuild, f);

  CLI11_PARSE(cli, argc, argv);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  try {
    if (serve_cmd->parsed()) return serve(f);
    if (migrate_cmd->parsed()) return migrate(f);
    if (demo_cmd->parsed()) return demo(f);
    if (user_add_cmd->parsed()) return user_add(f, uf);
    if (p_add->parsed()) return partnership_add(f, pf);
    if (pb_cmd->parsed()) return run_pb_cli();
    if (plain_cli->parsed()) return plain_cli->run();
    if (dir_import->parsed()) return modules::directory_import_command(make_config(f), dir_partnership, dir_file);
    if (dir_export->parsed())
      return modules::directory_export_command(make_config(f), dir_partnership, dir_format, dir_out);
    if (ev_remind->parsed()) return modules::events::remind_command(make_config(f));
    if (nt_send->parsed()) return modules::notifications::send_command(make_config(f), nt_partnership);
    if (jr_rebuild->parsed()) return modules::journeys::rebuild_kpis_command(make_config(f), jr_partnership);
    if (pc_load->parsed()) return modules::postcodes_load_command(make_config(f), pc_file, pc_outcodes);
    if (pc_zones->parsed()) {
      int rc = modules::postcodes_zones_command(make_config(f), pz_file, pz_simd);
      if (rc != 0) return rc;
      // Figures kept by SIMD decile (the learning lens's) are recounted with the new links.
      app::App app(make_config(f));
      modules::journeys::rebuild_all_kpis(app);
      return 0;
    }
  } catch (const store::DbError& e) {
    std::cerr << "coproduce: database error: " << e.what() << "\n";
    return 2;
  } catch (const std::invalid_argument& e) {
    std::cerr << "coproduce: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "coproduce: " << e.what() << "\n";
    return 2;
  }
  return 1;
}
