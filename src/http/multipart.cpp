#include "http/multipart.hpp"

#include <algorithm>
#include <cctype>

namespace cp::http {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The value of `param` in a header value like `form-data; name="a"; filename="b.csv"`. Quoted values
// may escape a quote with a backslash; browsers send quotes in names as %22, which is kept as is.
std::optional<std::string> param(std::string_view header, std::string_view param) {
  std::size_t i = header.find(';');
  while (i != std::string_view::npos && i < header.size()) {
    ++i;
    while (i < header.size() && (header[i] == ' ' || header[i] == '\t')) ++i;
    std::size_t eq = header.find('=', i);
    if (eq == std::string_view::npos) return std::nullopt;
    std::string key = lower(trim(header.substr(i, eq - i)));
    std::size_t v = eq + 1;
    std::string value;
    if (v < header.size() && header[v] == '"') {
      ++v;
      while (v < header.size() && header[v] != '"') {
        if (header[v] == '\\' && v + 1 < header.size()) ++v;
        value += header[v++];
      }
      if (v >= header.size()) return std::nullopt;  // unterminated
      ++v;
      i = header.find(';', v);
    } else {
      std::size_t end = header.find(';', v);
      value = std::string(trim(header.substr(v, end == std::string_view::npos ? std::string_view::npos : end - v)));
      i = end;
    }
    if (key == param) return value;
  }
  return std::nullopt;
}

}  // namespace

std::string multipart_boundary(std::string_view content_type) {
  std::string ct = lower(content_type);
  if (ct.rfind("multipart/form-data", 0) != 0) return "";
  auto b = param(content_type, "boundary");
  // RFC 2046: 1 to 70 characters.
  if (!b || b->empty() || b->size() > 70) return "";
  return *b;
}

std::optional<std::vector<Part>> parse_multipart(std::string_view body, std::string_view content_type,
                                                 std::size_t max_parts) {
  std::string boundary = multipart_boundary(content_type);
  if (boundary.empty()) return std::nullopt;
  const std::string delim = "--" + boundary;
  const std::string next = "\r\n" + delim;
  std::size_t pos;
  if (body.substr(0, delim.size()) == delim) {
    pos = delim.size();
  } else {
    std::size_t p = body.find(next);  // after a preamble
    if (p == std::string_view::npos) return std::nullopt;
    pos = p + next.size();
  }
  std::vector<Part> parts;
  while (true) {
    if (body.substr(pos, 2) == "--") return parts;  // the closing delimiter; anything after is ignored
    // Optional whitespace after a delimiter, then the line break.
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) != "\r\n") return std::nullopt;
    pos += 2;
    std::size_t head_end = body.find("\r\n\r\n", pos);
    if (head_end == std::string_view::npos || head_end - pos > 16 * 1024) return std::nullopt;
    Part part;
    bool named = false;
    std::string_view head = body.substr(pos, head_end - pos);
    std::size_t line_start = 0;
    while (line_start <= head.size()) {
      std::size_t line_end = head.find("\r\n", line_start);
      std::string_view line = head.substr(line_start, line_end == std::string_view::npos ? std::string_view::npos
                                                                                         : line_end - line_start);
      std::size_t colon = line.find(':');
      if (colon != std::string_view::npos) {
        std::string name = lower(trim(line.substr(0, colon)));
        std::string_view value = trim(line.substr(colon + 1));
        if (name == "content-disposition") {
          if (lower(value).rfind("form-data", 0) != 0) return std::nullopt;
          auto n = param(value, "name");
          if (!n) return std::nullopt;
          part.name = *n;
          named = true;
          if (auto f = param(value, "filename")) {
            part.is_file = true;
            // Old browsers send the whole path; keep only the file's own name.
            std::size_t slash = f->find_last_of("/\\");
            part.filename = slash == std::string::npos ? *f : f->substr(slash + 1);
          }
        } else if (name == "content-type") {
          part.content_type = std::string(value);
        }
      }
      if (line_end == std::string_view::npos) break;
      line_start = line_end + 2;
    }
    if (!named) return std::nullopt;
    pos = head_end + 4;
    std::size_t end = body.find(next, pos);
    if (end == std::string_view::npos) return std::nullopt;
    part.data = std::string(body.substr(pos, end - pos));
    parts.push_back(std::move(part));
    if (parts.size() > max_parts) return std::nullopt;
    pos = end + next.size();
  }
}

}  // namespace cp::http
