#include "modules/moderation/queue.hpp"

namespace cp::modules::moderation {

void install_routes(app::App& a);

void ModerationModule::install(app::App& a) { install_routes(a); }



}  // namespace cp::modules::moderation
