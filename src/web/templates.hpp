// Page templates: Mustache files (kainjow), escaping by default, parsed once at start-up.
//
// Templates live beside their module (src/<module>/templates/<name>.mustache) and are named
// "<module>/<name>". Before parsing, each {{t:key}} tag is replaced by the catalogue's text for
// that key, HTML-escaped, once per language, so translation costs nothing per request.
#pragma once
#include <kainjow/mustache.hpp>

#include <map>
#include <memory>
#include <string>

#include "web/i18n.hpp"

namespace cp::web {

using Data = kainjow::mustache::data;
using List = kainjow::mustache::list;

class Templates {
 public:
  // Loads and parses every template under `dir` for every language in `cat`; throws on a parse error
  // or a {{t:key}} with no English text.
  Templates(const std::string& dir, const Catalogue& cat);
  ~Templates();
  std::string render(const std::string& name, const std::string& lang, const Data& data) const;
  bool has(const std::string& name) const;

 private:
  struct Parsed;
  std::map<std::string, std::shared_ptr<Parsed>> parsed_;  // key: lang + "\n" + name
  std::map<std::string, bool> names_;
};

}  // namespace cp::web
