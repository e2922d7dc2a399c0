// Page helpers shared by the module's own pages (not an interface for other modules).
#pragma once
#include <string>
#include <vector>

#include "modules/grow/grow.hpp"
#include "web/templates.hpp"

namespace cp::modules::grow {

// Radio or select options: value, label (catalogue prefix + value), checked/selected, and an input
// id (the first one is `field` itself, so an error summary link lands on it).
web::List choices(app::Ctx& ctx, const std::vector<std::string>& values, const std::string& prefix,
                  const std::string& selected, const std::string& field);
std::optional<std::int64_t> path_id(app::Ctx& ctx);

}  // namespace cp::modules::grow
