#include <filesystem>
#include <fstream>
#include <iostream>

#include "core/util.hpp"
#include "modules/directory/directory.hpp"
#include "modules/directory/tabular.hpp"

namespace cp::modules {

int directory_import_command(Config cfg, const std::string& partnership, const std::string& file) {
  app::App app(std::move(cfg));
  app.migrate();
  auto p = app.partnership_by_slug(partnership);
  if (!p) throw std::invalid_argument("no partnership with slug '" + partnership + "'");
  try {
    auto r = directory_tabular::run_import(app, p->id, directory_tabular::read_upload(file),
                                           {std::nullopt, "cli", "", ""}, {});
    std::cout << app.catalogue.t("en", "directory.import_done",
                                 {{"services", std::to_string(r.services)},
                                  {"locations", std::to_string(r.locations)},
                                  {"organisations", std::to_string(r.organisations)},
                                  {"taxonomies", std::to_string(r.taxonomies)},
                                  {"terms", std::to_string(r.taxonomy_terms)}})
              << "\n";
    return 0;
  } catch (const directory_store::ImportError& e) {
    std::cerr << "coproduce: " << directory_tabular::describe(app, e, "en") << "\n"
              << app.catalogue.t("en", "directory.import_failed") << "\n";
    return 1;
  }
}

int directory_export_command(Config cfg, const std::string& partnership, const std::string& format,
                             const std::string& out) {
  namespace fs = std::filesystem;
  app::App app(std::move(cfg));
  app.migrate();
  auto p = app.partnership_by_slug(partnership);
  if (!p) throw std::invalid_argument("no partnership with slug '" + partnership + "'");
  auto w = app.work(p->id, {std::nullopt, "cli", "", ""});
  auto t = directory_tabular::read_tables(w.scope());
  std::size_t services = t["service"].size();
  // A full backup holds private records, so who took one is on the audit trail.
  w->audit({"directory.export", "directory", std::nullopt, format + ", " + std::to_string(services) + " services"});
  auto write_file = [](const std::string& path, const std::string& data) {
    if (path == "-") {
      std::cout << data;
      return;
    }
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f || !(f << data)) throw std::invalid_argument("cannot write " + path);
  };
  if (format == "csv") {
    if (out == "-") throw std::invalid_argument("--format csv writes a folder: give its name, not -");
    std::error_code ec;
    fs::create_directories(out, ec);
    if (ec || !fs::is_directory(out)) throw std::invalid_argument("cannot make the folder " + out);
    for (const auto& [name, data] : directory_tabular::write_csv(t)) write_file((fs::path(out) / name).string(), data);
  } else if (format == "zip") {
    write_file(out, directory_tabular::zip(directory_tabular::write_csv(t), now_seconds()));
  } else {
    write_file(out, boost::json::serialize(directory_tabular::nest(t).feed) + "\n");
  }
  w.commit();
  std::string msg = app.catalogue.t("en", "directory.export_done", {{"services", std::to_string(services)}, {"out", out}});
  (out == "-" ? std::cerr : std::cout) << msg << "\n";
  return 0;
}

}  // namespace cp::modules
