#include <iostream>

#include "core/util.hpp"
#include "modules/events/events.hpp"

namespace cp::modules::events {

int remind_command(Config cfg) {
  app::App app(std::move(cfg));
  app.migrate();
  int n = remind_all(app, now_seconds());
  std::cout << app.catalogue.t("en", "events.cli_reminded", {{"count", std::to_string(n)}}) << "\n";
  return 0;
}

}  // namespace cp::modules::events
