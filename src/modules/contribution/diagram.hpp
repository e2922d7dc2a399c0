// The results chain as a server-rendered SVG (inside the module only).
#pragma once
#include <functional>
#include <string>

#include "modules/contribution/contribution.hpp"

namespace cp::modules::contribution {

struct DiagramText {
  std::string title, desc, empty_level;
  std::function<std::string(const std::string&)> level;  // a level's name in the reader's language
};

// Every piece of text is escaped; the result is safe to put into a page as it is.
std::string chain_svg(const Chain& c, const DiagramText& text);

}  // namespace cp::modules::contribution
