#include "web/i18n.hpp"

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace cp::web {

void Catalogue::load_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir)) throw std::runtime_error("message catalogues not found in " + dir);
  for (const auto& lang_dir : fs::directory_iterator(dir)) {
    if (!lang_dir.is_directory()) continue;
    std::string lang = lang_dir.path().filename().string();
    for (const auto& f : fs::directory_iterator(lang_dir.path())) {
      if (f.path().extension() != ".json") continue;
      std::string module = f.path().stem().string();
      std::ifstream in(f.path());
      std::stringstream ss;
      ss << in.rdbuf();
      boost::json::error_code ec;
      auto v = boost::json::parse(ss.str(), ec);
      if (ec || !v.is_object()) throw std::runtime_error("catalogue " + f.path().string() + " is not a JSON object");
      for (const auto& [k, text] : v.as_object()) {
        // A plural message is an object of forms; each is kept as "<key>#<form>" (see web/format.hpp).
        if (text.is_object()) {
          for (const auto& [form, t] : text.as_object()) {
            if (!t.is_string())
              throw std::runtime_error("catalogue " + f.path().string() + ": " + std::string(k) + "." +
                                       std::string(form) + " must be a string");
            add(lang, module + "." + std::string(k) + "#" + std::string(form), std::string(t.as_string()));
          }
          continue;
        }
        if (!text.is_string())
          throw std::runtime_error("catalogue " + f.path().string() + ": " + std::string(k) +
                                   " must be a string or an object of plural forms");
        add(lang, module + "." + std::string(k), std::string(text.as_string()));
      }
    }
  }
}

void Catalogue::add(const std::string& lang, const std::string& key, std::string text) {
  by_lang_[lang][key] = std::move(text);
}

bool Catalogue::has(const std::string& lang, const std::string& key) const {
  auto l = by_lang_.find(lang);
  return l != by_lang_.end() && l->second.count(key);
}

std::string Catalogue::t(const std::string& lang, const std::string& key,
                         const std::vector<std::pair<std::string, std::string>>& args) const {
  const std::string* text = nullptr;
  for (const std::string& l : {lang, std::string("en")}) {
    auto lit = by_lang_.find(l);
    if (lit == by_lang_.end()) continue;
    auto kit = lit->second.find(key);
    if (kit != lit->second.end()) {
      text = &kit->second;
      break;
    }
  }
  if (!text) return key;
  if (args.empty()) return *text;
  std::string out;
  out.reserve(text->size() + 32);
  for (std::size_t i = 0; i < text->size(); ++i) {
    if ((*text)[i] == '{') {
      auto close = text->find('}', i);
      if (close != std::string::npos) {
        std::string name = text->substr(i + 1, close - i - 1);
        bool found = false;
        for (const auto& [k, v] : args)
          if (k == name) {
            out += v;
            found = true;
            break;
          }
        if (found) {
          i = close;
          continue;
        }
      }
    }
    out += (*text)[i];
  }
  return out;
}

std::vector<std::string> Catalogue::languages() const {
  std::vector<std::string> out;
  for (const auto& [l, _] : by_lang_) out.push_back(l);
  return out;
}

std::vector<std::string> Catalogue::keys(const std::string& lang) const {
  std::vector<std::string> out;
  if (auto it = by_lang_.find(lang); it != by_lang_.end())
    for (const auto& [k, _] : it->second) out.push_back(k);
  return out;
}

}  // namespace cp::web
