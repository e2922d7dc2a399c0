// Message catalogues: every user-facing string, by language and key.
//
// Catalogues are JSON files, one per module and language (src/<module>/messages/<lang>.json),
// flat objects of key -> text. A key is used as "<module>.<key>". Text may hold {name}
// placeholders, filled by t(). English ("en") is the fallback and must hold every key.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace cp::web {

class Catalogue {
 public:
  // Loads share/messages/<lang>/<module>.json for every language found.
  void load_dir(const std::string& dir);
  void add(const std::string& lang, const std::string& key, std::string text);
  // The text for `key` in `lang` (falling back to English), with {name} placeholders filled.
  // An unknown key returns the key itself, so a missing string is visible, never blank.
  std::string t(const std::string& lang, const std::string& key,
                const std::vector<std::pair<std::string, std::string>>& args = {}) const;
  bool has(const std::string& lang, const std::string& key) const;
  std::vector<std::string> languages() const;
  std::vector<std::string> keys(const std::string& lang) const;

 private:
  std::map<std::string, std::map<std::string, std::string>> by_lang_;
};

}  // namespace cp::web
