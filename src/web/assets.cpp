#include "web/assets.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/util.hpp"

namespace cp::web {

namespace {
std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

std::string strip_govuk_fonts(std::string css) {
  std::size_t pos;
  while ((pos = css.find("@font-face{")) != std::string::npos) {
    auto end = css.find('}', pos);
    css.erase(pos, end == std::string::npos ? std::string::npos : end - pos + 1);
  }
  const std::string from = "GDS Transport,", to;
  while ((pos = css.find(from)) != std::string::npos) css.replace(pos, from.size(), to);
  while ((pos = css.find("font-family:GDS Transport")) != std::string::npos)
    css.replace(pos, 25, "font-family:arial,sans-serif");
  return css;
}

std::string content_type_for(const std::string& name) {
  auto ext = std::filesystem::path(name).extension().string();
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".json") return "application/json";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

Assets::Assets(const std::string& share_dir) {
  namespace fs = std::filesystem;
  fs::path govuk = fs::path(share_dir) / "govuk";
  if (!fs::exists(govuk / "govuk-frontend.min.css"))
    throw std::runtime_error("GOV.UK Frontend assets not found in " + govuk.string() + " (run ./setup and rebuild)");
  add("govuk-frontend.min.css", strip_govuk_fonts(read_file(govuk / "govuk-frontend.min.css")));
  add("govuk-frontend.min.js", read_file(govuk / "govuk-frontend.min.js"));
  fs::path own = fs::path(share_dir) / "static";
  if (fs::is_directory(own))
    for (const auto& f : fs::directory_iterator(own))
      if (f.is_regular_file()) add(f.path().filename().string(), read_file(f.path()));
}

void Assets::add(const std::string& name, std::string body) {
  Asset a;
  a.hash = sha256_hex(body).substr(0, 12);
  a.content_type = content_type_for(name);
  a.body = std::move(body);
  by_name_[name] = std::move(a);
}

std::string Assets::url(const std::string& name) const {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) throw std::runtime_error("no asset named " + name);
  return "/static/" + it->second.hash + "/" + name;
}

const Asset* Assets::find(const std::string& path, bool* current) const {
  // /static/<hash>/<name>
  if (!starts_with(path, "/static/")) return nullptr;
  auto rest = path.substr(8);
  auto slash = rest.find('/');
  if (slash == std::string::npos) return nullptr;
  auto it = by_name_.find(rest.substr(slash + 1));
  if (it == by_name_.end()) return nullptr;
  if (current) *current = rest.substr(0, slash) == it->second.hash;
  return &it->second;
}

}  // namespace cp::web
