// Static files held in memory and served under fingerprinted URLs (/static/<hash>/<name>), so
// they can be cached for a year. GOV.UK Frontend's precompiled CSS and JS come from its npm
// package; its @font-face rules (the GDS Transport font, which only GOV.UK may use) are removed
// and the font stack falls back to Arial. No GOV.UK crown or logo is served.
#pragma once
#include <map>
#include <optional>
#include <string>

namespace cp::web {

struct Asset {
  std::string body;
  std::string content_type;
  std::string hash;  // first 12 hex digits of SHA-256
};

class Assets {
 public:
  // Loads share/govuk/* and share/static/*.
  explicit Assets(const std::string& share_dir);
  // "/static/<hash>/<name>" for a name such as "govuk-frontend.min.css".
  std::string url(const std::string& name) const;
  // Looks up a request path under /static/; nullopt when unknown.
  const Asset* find(const std::string& path, bool* current) const;
  void add(const std::string& name, std::string body);

 private:
  std::map<std::string, Asset> by_name_;
};

std::string strip_govuk_fonts(std::string css);
std::string content_type_for(const std::string& name);

}  // namespace cp::web
