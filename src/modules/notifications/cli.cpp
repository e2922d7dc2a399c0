// `coproduce notifications send`: one pass of the email sender from the command line (say from cron,
// on a host where the server runs without its background sender), then exit.
#include <iostream>

#include "core/util.hpp"
#include "modules/notifications/notifications.hpp"

namespace cp::modules::notifications {

int send_command(Config cfg, const std::string& partnership) {
  // This pass is the only sender in this process: no background thread as well.
  cfg.mail_interval_seconds = 0;
  app::App app(std::move(cfg));
  const auto& c = app.catalogue;
  if (app.cfg.smtp_host.empty()) {
    std::cerr << "coproduce: " << c.t("en", "notifications.cli_no_smtp") << "\n";
    return 1;
  }
  app.migrate();
  std::optional<std::int64_t> only;
  if (!partnership.empty()) {
    auto p = app.partnership_by_slug(partnership);
    if (!p) throw std::invalid_argument("no partnership with slug '" + partnership + "'");
    only = p->id;
  }
  auto r = send_due_for(app, now_seconds(), only);
  std::cout << c.t("en", "notifications.cli_sent", {{"count", std::to_string(r.sent)}}) << "\n";
  if (r.failed > 0) {
    std::cerr << "coproduce: " << c.t("en", "notifications.cli_failed", {{"count", std::to_string(r.failed)}}) << "\n";
    return 2;
  }
  return 0;
}

}  // namespace cp::modules::notifications
