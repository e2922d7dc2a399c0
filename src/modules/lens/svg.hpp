// Bar charts as SVG, for the dashboard (inside the lens module only).
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace cp::modules::lens {

struct Bar {
  std::string label;
  std::optional<double> value;  // nullopt: hidden or unknown (drawn as an outline)
  std::string text;             // the value as the table shows it
};

// A chart with <title> and a <desc> that reads every bar's label and value. `top`: the value a full
// bar stands for (100 for shares), else the largest value.
std::string bar_svg(const std::string& id, const std::string& title, const std::vector<Bar>& bars,
                    std::optional<double> top = std::nullopt);

}  // namespace cp::modules::lens
