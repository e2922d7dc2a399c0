#include <iostream>

#include "modules/directory/directory.hpp"

namespace cp::modules {

int directory_import_command(Config cfg, const std::string& partnership, const std::string& file) {
  app::App app(std::move(cfg));
  app.migrate();
  auto p = app.partnership_by_slug(partnership);
  if (!p) throw std::invalid_argument("no partnership with slug '" + partnership + "'");
  try {
    auto r = directory_store::import_file(app, p->id, file, {std::nullopt, "cli", "", ""});
    std::cout << app.catalogue.t("en", "directory.import_done",
                                 {{"services", std::to_string(r.services)},
                                  {"locations", std::to_string(r.locations)},
                                  {"organisations", std::to_string(r.organisations)},
                                  {"taxonomies", std::to_string(r.taxonomies)},
                                  {"terms", std::to_string(r.taxonomy_terms)}})
              << "\n";
    return 0;
  } catch (const directory_store::ImportError& e) {
    std::cerr << "coproduce: " << directory_store::describe(app, e) << "\n"
              << app.catalogue.t("en", "directory.import_failed") << "\n";
    return 1;
  }
}

}  // namespace cp::modules
