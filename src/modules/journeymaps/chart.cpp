// The journey chart: feeling (1-5) by stage as a line over the stages, drawn as SVG on the server so
// it needs no script. It is an image with a title and a description; the page puts the same numbers
// in a table beside it for anyone who cannot see it.
#include <atomic>
#include <sstream>

#include "core/util.hpp"
#include "modules/journeymaps/journeymaps.hpp"

namespace cp::modules::journeymaps {

std::string journey_svg(const std::vector<Stage>& stages, const std::string& title, const std::string& desc) {
  const int left = 40, right = 20, top = 20, bottom = 40, step = 110, band = 36;
  const int n = static_cast<int>(stages.size());
  const int width = left + right + std::max(1, n - 1) * step + 20;
  const int height = top + bottom + 4 * band;
  auto y_of = [&](int feeling) { return top + (5 - feeling) * band; };
  auto x_of = [&](int i) { return left + 10 + i * step; };
  static std::atomic<std::int64_t> serial{0};
  std::string id = "jm" + std::to_string(++serial);
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cp-journey-chart\" role=\"img\" viewBox=\"0 0 " << width << ' '
    << height << "\" width=\"100%\" aria-labelledby=\"" << id << "-t " << id
    << "-d\">";
  o << "<title id=\"" << id << "-t\">" << html_escape(title) << "</title>";
  o << "<desc id=\"" << id << "-d\">" << html_escape(desc) << "</desc>";
  for (int f = 1; f <= 5; ++f) {
    o << "<line x1=\"" << left << "\" x2=\"" << width - right << "\" y1=\"" << y_of(f) << "\" y2=\"" << y_of(f)
      << "\" stroke=\"#b1b4b6\" stroke-width=\"1\"/>";
    o << "<text x=\"" << left - 10 << "\" y=\"" << y_of(f) + 5 << "\" text-anchor=\"end\" font-size=\"14\" fill=\"#0b0c0c\">"
      << f << "</text>";
  }
  std::string points;
  for (int i = 0; i < n; ++i) points += std::to_string(x_of(i)) + "," + std::to_string(y_of(stages[i].feeling)) + " ";
  if (n > 1) o << "<polyline fill=\"none\" stroke=\"#1d70b8\" stroke-width=\"3\" points=\"" << points << "\"/>";
  for (int i = 0; i < n; ++i) {
    o << "<circle cx=\"" << x_of(i) << "\" cy=\"" << y_of(stages[i].feeling) << "\" r=\"7\" fill=\""
      << (stages[i].feeling <= 2 ? "#d4351c" : stages[i].feeling >= 4 ? "#00703c" : "#1d70b8") << "\"/>";
    o << "<text x=\"" << x_of(i) << "\" y=\"" << height - 14 << "\" text-anchor=\"middle\" font-size=\"14\" fill=\"#0b0c0c\">"
      << (i + 1) << "</text>";
  }
  o << "</svg>";
  return o.str();
}

}  // namespace cp::modules::journeymaps
