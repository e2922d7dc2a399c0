// multipart/form-data (RFC 7578), the only way a browser without JavaScript can send a file.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cp::http {

struct Part {
  std::string name;
  std::string filename;  // "" for a plain field; only the last path segment a browser sent
  bool is_file = false;  // the part had a filename parameter (even an empty one: no file chosen)
  std::string content_type;
  std::string data;
};

// The boundary parameter of a multipart/form-data Content-Type, or "" when it is not one.
std::string multipart_boundary(std::string_view content_type);

// The parts of a body, or nullopt when it is not well-formed multipart/form-data or has more than
// `max_parts` parts. The body's size is already limited by the server.
std::optional<std::vector<Part>> parse_multipart(std::string_view body, std::string_view content_type,
                                                 std::size_t max_parts = 200);

}  // namespace cp::http
