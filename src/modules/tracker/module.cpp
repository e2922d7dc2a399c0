#include "modules/tracker/store.hpp"

namespace cp::modules::tracker {

void install_routes(app::App& a);

void TrackerModule::install(app::App& a) { install_routes(a); }



}  // namespace cp::modules::tracker
