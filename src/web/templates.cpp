#include "web/templates.hpp"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

#include "core/util.hpp"

namespace cp::web {

namespace mustache = kainjow::mustache;

struct Templates::Parsed {
  std::uint64_t serial;
  mustache::mustache master;
  explicit Parsed(const std::string& src, std::uint64_t s) : serial(s), master(src) {}
};

namespace {
std::atomic<std::uint64_t> next_serial{1};

std::string translate(const std::string& src, const std::string& lang, const Catalogue& cat, const std::string& file) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    auto open = src.find("{{t:", pos);
    if (open == std::string::npos) {
      out.append(src, pos, std::string::npos);
      break;
    }
    out.append(src, pos, open - pos);
    auto close = src.find("}}", open);
    if (close == std::string::npos) throw std::runtime_error("template " + file + ": unclosed {{t:");
    std::string key = trim(src.substr(open + 4, close - open - 4));
    if (!cat.has("en", key)) throw std::runtime_error("template " + file + ": no English text for " + key);
    out += html_escape(cat.t(lang, key));
    pos = close + 2;
  }
  return out;
}
// Inlines {{> module/name}} partials at load time, so rendering never parses.
std::string expand_partials(const std::string& src, const std::map<std::string, std::string>& sources, int depth,
                            const std::string& file) {
  if (depth > 8) throw std::runtime_error("template " + file + ": partials nested too deeply");
  std::string out;
  std::size_t pos = 0;
  while (true) {
    auto open = src.find("{{>", pos);
    if (open == std::string::npos) {
      out.append(src, pos, std::string::npos);
      break;
    }
    out.append(src, pos, open - pos);
    auto close = src.find("}}", open);
    if (close == std::string::npos) throw std::runtime_error("template " + file + ": unclosed {{>");
    std::string name = trim(src.substr(open + 3, close - open - 3));
    auto it = sources.find(name);
    if (it == sources.end()) throw std::runtime_error("template " + file + ": no partial named " + name);
    out += expand_partials(it->second, sources, depth + 1, file);
    pos = close + 2;
  }
  return out;
}
}  // namespace

Templates::Templates(const std::string& dir, const Catalogue& cat) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir)) throw std::runtime_error("templates not found in " + dir);
  auto langs = cat.languages();
  if (langs.empty()) langs.push_back("en");
  std::map<std::string, std::string> sources;
  for (const auto& f : fs::recursive_directory_iterator(dir)) {
    if (f.path().extension() != ".mustache") continue;
    std::string name = fs::relative(f.path(), dir).replace_extension("").generic_string();
    std::ifstream in(f.path());
    std::stringstream ss;
    ss << in.rdbuf();
    sources[name] = ss.str();
  }
  for (const auto& [name, src] : sources) {
    names_[name] = true;
    std::string expanded = expand_partials(src, sources, 0, name);
    for (const auto& lang : langs) {
      auto p = std::make_shared<Parsed>(translate(expanded, lang, cat, name), next_serial++);
      if (!p->master.is_valid())
        throw std::runtime_error("template " + name + ": " + p->master.error_message());
      parsed_[lang + "\n" + name] = p;
    }
  }
}

Templates::~Templates() = default;

bool Templates::has(const std::string& name) const { return names_.count(name) > 0; }

std::string Templates::render(const std::string& name, const std::string& lang, const Data& data) const {
  auto it = parsed_.find(lang + "\n" + name);
  if (it == parsed_.end()) it = parsed_.find("en\n" + name);
  if (it == parsed_.end()) throw std::runtime_error("no template named " + name);
  // kainjow's render() is not const; each thread renders from its own copy of the parsed tree.
  thread_local std::unordered_map<std::uint64_t, mustache::mustache> copies;
  auto c = copies.find(it->second->serial);
  if (c == copies.end()) c = copies.emplace(it->second->serial, it->second->master).first;
  return c->second.render(data);
}

}  // namespace cp::web
