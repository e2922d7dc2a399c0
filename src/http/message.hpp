// Plain request and response values passed between the server and the application.
// Handlers are functions from a Request to a Response; they never see Beast types.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cp::http {

struct Request {
  std::string method;  // upper case
  std::string target;  // raw target, e.g. /organisations?q=x
  std::string path;    // decoded path without the query
  std::multimap<std::string, std::string> query;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower case
  std::string body;
  std::string remote_addr;
  std::string request_id;
  std::map<std::string, std::string> path_params;  // from {name} segments of the matched route

  const std::string* header(std::string_view name) const;  // name in lower case
  std::string query_param(const std::string& name) const;  // "" when absent
  std::string cookie(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool close = false;  // close the connection after sending

  Response& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  static Response redirect(std::string location, int status = 303);
  static Response text(int status, std::string body);
};

// Parses application/x-www-form-urlencoded (also used for query strings).
std::multimap<std::string, std::string> parse_urlencoded(std::string_view s);
std::string url_encode(std::string_view s);

}  // namespace cp::http
