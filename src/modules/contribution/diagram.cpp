// The results chain drawn as an SVG, on the server, so it shows without JavaScript and prints.
// Levels run top to bottom (activities first, outcomes last) so the drawing stays readable when a
// phone shrinks it; each result is a box, each link a line from one box down to the next. How sure
// we are shows twice, never by colour alone: the line's pattern (solid thick = high, solid = medium,
// dashed = low, dotted = not yet assessed) and the list beside it on the page.
#include <algorithm>
#include <map>

#include "core/util.hpp"
#include "modules/contribution/diagram.hpp"

namespace cp::modules::contribution {

namespace {

constexpr int kWidth = 640, kLabel = 22, kRowGap = 46, kLineHeight = 16, kPad = 8;

// Splits text into lines of at most `width` characters at spaces, at most `max_lines` lines; the
// last line ends with "…" when text was left out.
std::vector<std::string> wrap(const std::string& text, std::size_t width, std::size_t max_lines) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t i = 0;
  bool cut = false;
  while (i < text.size()) {
    auto j = text.find(' ', i);
    if (j == std::string::npos) j = text.size();
    std::string word = text.substr(i, j - i);
    i = j + 1;
    if (word.empty()) continue;
    while (word.size() > width) {  // a very long word is broken
      if (!line.empty()) {
        lines.push_back(line);
        line.clear();
      }
      lines.push_back(word.substr(0, width));
      word = word.substr(width);
    }
    if (line.empty()) line = word;
    else if (line.size() + 1 + word.size() <= width) line += " " + word;
    else {
      lines.push_back(line);
      line = word;
    }
    if (lines.size() >= max_lines) {
      cut = true;
      break;
    }
  }
  if (!cut && !line.empty()) lines.push_back(line);
  if (lines.size() > max_lines) {
    lines.resize(max_lines);
    cut = true;
  }
  if (cut && !lines.empty()) {
    // Keep whole UTF-8 characters when shortening for the ellipsis.
    auto& last = lines.back();
    while (last.size() + 1 > width && !last.empty()) {
      last.pop_back();
      while (!last.empty() && (static_cast<unsigned char>(last.back()) & 0xC0) == 0x80) last.pop_back();
      if (!last.empty() && (static_cast<unsigned char>(last.back()) & 0x80)) last.pop_back();
    }
    last += "\xE2\x80\xA6";
  }
  return lines;
}

struct Box {
  int x = 0, y = 0, w = 0, h = 0;
};

}  // namespace

std::string chain_svg(const Chain& c, const DiagramText& text) {
  constexpr std::size_t kMaxLines = 4;
  std::map<std::int64_t, Box> boxes;
  std::string body;
  int y = kPad;
  for (const auto& level : kLevels) {
    std::vector<const Result*> row;
    for (const auto& r : c.results)
      if (r.level == level) row.push_back(&r);
    body += "<text x=\"" + std::to_string(kPad) + "\" y=\"" + std::to_string(y + 14) +
            "\" class=\"cp-chain__level\" font-size=\"14\" font-weight=\"700\" fill=\"#0b0c0c\">" +
            html_escape(text.level(level)) + "</text>";
    y += kLabel;
    int n = std::max<int>(1, static_cast<int>(row.size()));
    int gap = 8;
    int w = (kWidth - 2 * kPad - (n - 1) * gap) / n;
    auto chars = static_cast<std::size_t>(std::max(8, (w - 2 * kPad) / 7));
    int tallest = 0;
    std::vector<std::vector<std::string>> wrapped;
    for (const auto* r : row) {
      wrapped.push_back(wrap(r->text, chars, kMaxLines));
      tallest = std::max<int>(tallest, static_cast<int>(wrapped.back().size()));
    }
    int h = std::max(1, tallest) * kLineHeight + 2 * kPad;
    if (row.empty()) {
      body += "<text x=\"" + std::to_string(kPad) + "\" y=\"" + std::to_string(y + 16) +
              "\" font-size=\"13\" fill=\"#505a5f\">" + html_escape(text.empty_level) + "</text>";
      h = 24;
    }
    for (std::size_t i = 0; i < row.size(); ++i) {
      Box b{kPad + static_cast<int>(i) * (w + gap), y, w, h};
      boxes[row[i]->id] = b;
      body += "<rect x=\"" + std::to_string(b.x) + "\" y=\"" + std::to_string(b.y) + "\" width=\"" + std::to_string(b.w) +
              "\" height=\"" + std::to_string(b.h) + "\" rx=\"4\" fill=\"#f3f2f1\" stroke=\"#0b0c0c\" stroke-width=\"1\"/>";
      int ty = b.y + kPad + 12;
      for (const auto& line : wrapped[i]) {
        body += "<text x=\"" + std::to_string(b.x + kPad) + "\" y=\"" + std::to_string(ty) +
                "\" font-size=\"13\" fill=\"#0b0c0c\">" + html_escape(line) + "</text>";
        ty += kLineHeight;
      }
    }
    y += h + kRowGap;
  }
  int height = y - kRowGap + kPad;
  std::string lines;
  for (const auto& l : c.links) {
    auto f = boxes.find(l.from_result), t = boxes.find(l.to_result);
    if (f == boxes.end() || t == boxes.end()) continue;
    int x1 = f->second.x + f->second.w / 2, y1 = f->second.y + f->second.h;
    int x2 = t->second.x + t->second.w / 2, y2 = t->second.y - 4;
    std::string style;
    if (l.confidence == "high") style = "stroke=\"#00703c\" stroke-width=\"4\"";
    else if (l.confidence == "medium") style = "stroke=\"#1d70b8\" stroke-width=\"2.5\"";
    else if (l.confidence == "low") style = "stroke=\"#d4351c\" stroke-width=\"2.5\" stroke-dasharray=\"8 5\"";
    else style = "stroke=\"#505a5f\" stroke-width=\"2\" stroke-dasharray=\"2 4\"";
    lines += "<line x1=\"" + std::to_string(x1) + "\" y1=\"" + std::to_string(y1) + "\" x2=\"" + std::to_string(x2) +
             "\" y2=\"" + std::to_string(y2) + "\" " + style + " marker-end=\"url(#cp-arrow)\"/>";
  }
  std::string id = "chain-" + std::to_string(c.theory.id);
  std::string out = "<svg class=\"cp-chain\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(kWidth) +
                    " " + std::to_string(height) + "\" width=\"100%\" role=\"img\" aria-labelledby=\"" + id + "-title " + id +
                    "-desc\" focusable=\"false\">";
  out += "<title id=\"" + id + "-title\">" + html_escape(text.title) + "</title>";
  out += "<desc id=\"" + id + "-desc\">" + html_escape(text.desc) + "</desc>";
  out += "<defs><marker id=\"cp-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\""
         " orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#0b0c0c\"/></marker></defs>";
  out += body + lines + "</svg>";
  return out;
}

}  // namespace cp::modules::contribution
