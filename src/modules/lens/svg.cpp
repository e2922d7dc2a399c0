// Server-rendered bar charts: one horizontal bar per table row, its label above it and its value
// written beside it, so nothing depends on colour and the chart reads at 320 px. The same numbers
// are always in the data table under the chart.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/util.hpp"
#include "modules/lens/svg.hpp"

namespace cp::modules::lens {

namespace {
std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}
}  // namespace

std::string bar_svg(const std::string& id, const std::string& title, const std::vector<Bar>& bars,
                    std::optional<double> top_value) {
  const double w = 400, left = 8, right = 8, row_h = 52, top = 8;
  const double h = top * 2 + row_h * double(std::max<std::size_t>(bars.size(), 1));
  double lo = 0, hi = 0;
  for (const auto& b : bars)
    if (b.value) {
      lo = std::min(lo, *b.value);
      hi = std::max(hi, *b.value);
    }
  if (top_value) hi = std::max(hi, *top_value);
  if (hi - lo <= 0) hi = lo + 1;
  // Leave room after the longest bar for its value.
  const double plot_w = w - left - right - 110;
  auto x_of = [&](double v) { return left + plot_w * (v - lo) / (hi - lo); };
  std::string desc;
  for (const auto& b : bars) desc += (desc.empty() ? "" : "; ") + b.label + ": " + b.text;
  std::string s = "<svg class=\"cp-bars\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + fmt(w) + " " + fmt(h) +
                  "\" width=\"100%\" role=\"img\" aria-labelledby=\"" + id + "-title " + id + "-desc\" focusable=\"false\">";
  s += "<title id=\"" + id + "-title\">" + html_escape(title) + "</title>";
  s += "<desc id=\"" + id + "-desc\">" + html_escape(desc) + "</desc>";
  double zero = x_of(0);
  if (lo < 0)
    s += "<line x1=\"" + fmt(zero) + "\" x2=\"" + fmt(zero) + "\" y1=\"" + fmt(top) + "\" y2=\"" + fmt(h - top) +
         "\" stroke=\"#0b0c0c\" stroke-width=\"1\"/>";
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto& b = bars[i];
    double y = top + row_h * double(i);
    s += "<text x=\"" + fmt(left) + "\" y=\"" + fmt(y + 16) + "\" font-size=\"15\" fill=\"#0b0c0c\">" + html_escape(b.label) +
         "</text>";
    double bar_y = y + 24, bar_h = 20;
    double end = zero;
    if (b.value && *b.value != 0) {
      double x1 = std::min(zero, x_of(*b.value)), x2 = std::max(zero, x_of(*b.value));
      x2 = std::max(x2, x1 + 2);  // a bar is always visible when it is not 0
      s += "<rect x=\"" + fmt(x1) + "\" y=\"" + fmt(bar_y) + "\" width=\"" + fmt(x2 - x1) + "\" height=\"" + fmt(bar_h) +
           "\" fill=\"#1d70b8\"/>";
      end = *b.value < 0 ? zero : x2;
    } else if (!b.value) {
      // Hidden or unknown: an outline only, so it cannot be mistaken for a value.
      s += "<rect x=\"" + fmt(zero) + "\" y=\"" + fmt(bar_y) + "\" width=\"24\" height=\"" + fmt(bar_h) +
           "\" fill=\"none\" stroke=\"#505a5f\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>";
      end = zero + 24;
    }
    s += "<text x=\"" + fmt(end + 6) + "\" y=\"" + fmt(bar_y + 15) + "\" font-size=\"15\" fill=\"#0b0c0c\">" +
         html_escape(b.text) + "</text>";
  }
  s += "</svg>";
  return s;
}

}  // namespace cp::modules::lens
