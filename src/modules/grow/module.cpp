#include "modules/grow/grow.hpp"

namespace cp::modules::grow {

void GrowModule::install(app::App& a) {
  install_champions(a);
  install_business_case(a);
  install_competencies(a);
}

}  // namespace cp::modules::grow
