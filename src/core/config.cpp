#include "core/config.hpp"

#include <toml++/toml.h>

#include <cstdlib>
#include <stdexcept>

#include "core/util.hpp"

namespace cp {

void load_config_file(const std::string& path, Config& cfg) {
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw std::runtime_error("config file " + path + ": " + std::string(e.description()));
  }
  auto str = [&](const char* key, std::string& out) {
    if (auto v = t[key].value<std::string>()) out = *v;
    else if (t.contains(key)) throw std::runtime_error("config file " + path + ": " + key + " must be a string");
  };
  auto num = [&](const char* key, auto& out) {
    if (auto v = t[key].value<std::int64_t>()) {
      if (*v < 0) throw std::runtime_error("config file " + path + ": " + key + " must not be negative");
      out = static_cast<std::remove_reference_t<decltype(out)>>(*v);
    } else if (t.contains(key)) throw std::runtime_error("config file " + path + ": " + key + " must be a number");
  };
  auto flag = [&](const char* key, bool& out) {
    if (auto v = t[key].value<bool>()) out = *v;
    else if (t.contains(key)) throw std::runtime_error("config file " + path + ": " + key + " must be true or false");
  };
  str("db", cfg.db_url);
  str("listen", cfg.listen);
  str("share_dir", cfg.share_dir);
  str("default_partnership", cfg.default_partnership);
  str("password_cost", cfg.password_cost);
  flag("demo", cfg.demo);
  flag("secure_cookies", cfg.secure_cookies);
  flag("hsts", cfg.hsts);
  flag("trust_proxy", cfg.trust_proxy);
  flag("access_log", cfg.access_log);
  str("smtp_host", cfg.smtp_host);
  str("smtp_from", cfg.smtp_from);
  num("smtp_port", cfg.smtp_port);
  num("mail_interval_seconds", cfg.mail_interval_seconds);
  num("threads", cfg.threads);
  num("db_pool", cfg.db_pool);
  num("header_limit", cfg.header_limit);
  num("body_limit", cfg.body_limit);
  num("read_timeout_seconds", cfg.read_timeout_seconds);
  num("idle_timeout_seconds", cfg.idle_timeout_seconds);
  num("shutdown_grace_seconds", cfg.shutdown_grace_seconds);
  num("session_idle_minutes", cfg.session_idle_minutes);
  num("session_absolute_hours", cfg.session_absolute_hours);
}

void load_config_env(Config& cfg) {
  if (const char* v = std::getenv("COPRODUCE_DB"); v && *v) cfg.db_url = v;
  if (const char* v = std::getenv("COPRODUCE_LISTEN"); v && *v) cfg.listen = v;
  if (const char* v = std::getenv("COPRODUCE_SHARE"); v && *v) cfg.share_dir = v;
  if (const char* v = std::getenv("COPRODUCE_PARTNERSHIP"); v && *v) cfg.default_partnership = v;
  if (const char* v = std::getenv("COPRODUCE_SECURE_COOKIES"); v && *v) cfg.secure_cookies = std::string(v) == "1";
  if (const char* v = std::getenv("COPRODUCE_PASSWORD_COST"); v && *v) cfg.password_cost = v;
  if (const char* v = std::getenv("COPRODUCE_SMTP_HOST"); v && *v) cfg.smtp_host = v;
}

std::pair<std::string, std::uint16_t> parse_listen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) throw std::invalid_argument("listen address must be HOST:PORT, got '" + listen + "'");
  auto port = parse_int(listen.substr(colon + 1));
  if (!port || *port < 0 || *port > 65535) throw std::invalid_argument("listen port must be 0-65535, got '" + listen + "'");
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return {host, static_cast<std::uint16_t>(*port)};
}

}  // namespace cp
