// The star (radar) chart, drawn as SVG on the server so it needs no script. Each actor group has its
// own line pattern and point shape as well as its own colour, so the groups can be told apart
// without colour. The page always puts the same numbers in a table beside it.
#include <atomic>
#include <cmath>
#include <sstream>

#include "core/util.hpp"
#include "modules/star/star.hpp"

namespace cp::modules::star {

namespace {

struct Style {
  const char* colour;
  const char* dash;  // "" for a solid line
};
// GOV.UK colours that keep 3:1 against white; the fifth (black, solid) is for "everyone".
const Style kStyles[] = {{"#1d70b8", ""}, {"#d4351c", "10 5"}, {"#00703c", "3 4"}, {"#4c2c92", "14 4 3 4"},
                         {"#0b0c0c", ""}};

const Style& style_of(int i) { return kStyles[(i < 0 ? 0 : i) % 5]; }

// A point shape centred on (x, y): circle, square, triangle, diamond, or a ringed dot.
void point(std::ostringstream& o, int style, double x, double y, bool hollow) {
  const auto& st = style_of(style);
  std::string fill = hollow ? "#ffffff" : st.colour;
  o << "<g fill=\"" << fill << "\" stroke=\"" << st.colour << "\" stroke-width=\"2\">";
  switch (style % 5) {
    case 0: o << "<circle cx=\"" << x << "\" cy=\"" << y << "\" r=\"5\"/>"; break;
    case 1: o << "<rect x=\"" << x - 5 << "\" y=\"" << y - 5 << "\" width=\"10\" height=\"10\"/>"; break;
    case 2:
      o << "<polygon points=\"" << x << "," << y - 6 << " " << x + 6 << "," << y + 5 << " " << x - 6 << "," << y + 5 << "\"/>";
      break;
    case 3:
      o << "<polygon points=\"" << x << "," << y - 7 << " " << x + 7 << "," << y << " " << x << "," << y + 7 << " " << x - 7
        << "," << y << "\"/>";
      break;
    default: o << "<circle cx=\"" << x << "\" cy=\"" << y << "\" r=\"6\" fill=\"#ffffff\"/><circle cx=\"" << x << "\" cy=\""
               << y << "\" r=\"2.5\"/>";
  }
  o << "</g>";
}

}  // namespace

std::string legend_key_svg(int style) {
  const auto& st = style_of(style);
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cp-star-key\" width=\"48\" height=\"16\" viewBox=\"0 0 48 16\""
       " aria-hidden=\"true\" focusable=\"false\">";
  o << "<line x1=\"2\" y1=\"8\" x2=\"46\" y2=\"8\" stroke=\"" << st.colour << "\" stroke-width=\"3\"";
  if (*st.dash) o << " stroke-dasharray=\"" << st.dash << "\"";
  o << "/>";
  point(o, style, 24, 8, false);
  o << "</svg>";
  return o.str();
}

std::string radar_svg(const std::vector<Series>& series, const std::array<std::string, kCoCount>& axis_labels,
                      const std::string& no_answers, const std::string& title, const std::string& desc) {
  const double w = 560, h = 420, cx = 280, cy = 205, R = 140;
  // Axis i points up, right, down, left (clockwise from the top).
  const double dx[] = {0, 1, 0, -1}, dy[] = {-1, 0, 1, 0};
  static std::atomic<std::int64_t> serial{0};
  std::string id = "star" + std::to_string(++serial);
  std::ostringstream o;
  o.setf(std::ios::fixed);
  o.precision(1);
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cp-star-chart\" role=\"img\" viewBox=\"0 0 " << w << ' ' << h
    << "\" width=\"100%\" aria-labelledby=\"" << id << "-t " << id << "-d\">";
  o << "<title id=\"" << id << "-t\">" << html_escape(title) << "</title>";
  o << "<desc id=\"" << id << "-d\">" << html_escape(desc) << "</desc>";
  // Rings at each rung, drawn as diamonds because the four axes are at right angles.
  for (int level = 1; level <= 5; ++level) {
    double r = R * level / 5.0;
    o << "<polygon fill=\"none\" stroke=\"#b1b4b6\" stroke-width=\"1\" points=\"" << cx << "," << cy - r << " " << cx + r
      << "," << cy << " " << cx << "," << cy + r << " " << cx - r << "," << cy << "\"/>";
    o << "<text x=\"" << cx + 4 << "\" y=\"" << cy - r + 14 << "\" font-size=\"12\" fill=\"#505a5f\">" << level << "</text>";
  }
  for (int i = 0; i < kCoCount; ++i)
    o << "<line x1=\"" << cx << "\" y1=\"" << cy << "\" x2=\"" << cx + dx[i] * R << "\" y2=\"" << cy + dy[i] * R
      << "\" stroke=\"#505a5f\" stroke-width=\"1\"/>";
  // Axis names, and "no answers" under a Co nobody rated in any series.
  for (int i = 0; i < kCoCount; ++i) {
    bool none = true;
    for (const auto& s : series)
      if (!s.cells[i].empty()) none = false;
    double x = cx + dx[i] * (R + 12), y = cy + dy[i] * (R + 12);
    const char* anchor = i == 1 ? "start" : i == 3 ? "end" : "middle";
    if (i == 0) y -= 18;
    if (i == 2) y += 14;
    if (i == 1 || i == 3) y -= 4;
    o << "<text x=\"" << x << "\" y=\"" << y << "\" text-anchor=\"" << anchor
      << "\" font-size=\"16\" font-weight=\"bold\" fill=\"#0b0c0c\">" << html_escape(axis_labels[i]) << "</text>";
    if (none)
      o << "<text x=\"" << x << "\" y=\"" << y + 17 << "\" text-anchor=\"" << anchor
        << "\" font-size=\"13\" fill=\"#505a5f\">(" << html_escape(no_answers) << ")</text>";
  }
  for (const auto& s : series) {
    const auto& st = style_of(s.style);
    double px[kCoCount], py[kCoCount];
    for (int i = 0; i < kCoCount; ++i) {
      double r = s.cells[i].empty() ? 0 : R * s.cells[i].mean() / 5.0;
      px[i] = cx + dx[i] * r;
      py[i] = cy + dy[i] * r;
    }
    o << "<g><title>" << html_escape(s.label) << "</title>";
    o << "<polygon fill=\"none\" stroke=\"" << st.colour << "\" stroke-width=\"3\" stroke-linejoin=\"round\"";
    if (*st.dash) o << " stroke-dasharray=\"" << st.dash << "\"";
    o << " points=\"";
    for (int i = 0; i < kCoCount; ++i) o << px[i] << "," << py[i] << (i + 1 < kCoCount ? " " : "");
    o << "\"/>";
    for (int i = 0; i < kCoCount; ++i) point(o, s.style, px[i], py[i], s.cells[i].empty());
    o << "</g>";
  }
  o << "</svg>";
  return o.str();
}

}  // namespace cp::modules::star
