// Server and tool settings. Precedence: command-line flag > environment variable > TOML file > default.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace cp {

struct Config {
  std::string db_url = "sqlite:data/coproduce.db";  // or postgresql://...
  std::string listen = "127.0.0.1:8080";
  std::string share_dir;                 // templates, catalogues, assets; default: next to the binary
  std::string default_partnership = "demo";  // served when no partnership claims the Host header
  bool demo = false;                     // load the demo partnership and print its sign-ins
  int threads = 0;                       // 0: one per core
  int db_pool = 0;                       // 0: threads + 2
  std::size_t header_limit = 16 * 1024;  // bytes; larger headers get 431
  std::size_t body_limit = 1024 * 1024;  // bytes; larger bodies get 413
  int read_timeout_seconds = 15;         // a request must arrive whole within this
  int idle_timeout_seconds = 60;         // keep-alive connections idle longer are closed
  int shutdown_grace_seconds = 10;       // in-flight requests get this long on SIGTERM
  bool secure_cookies = false;           // set when served over TLS (behind a proxy)
  bool hsts = false;                     // send Strict-Transport-Security (behind TLS)
  bool trust_proxy = false;              // take the client address from X-Forwarded-For
  int session_idle_minutes = 120;
  int session_absolute_hours = 12;
  std::string password_cost = "interactive";  // "interactive" (64 MiB) or "min" (tests only)
  bool access_log = true;
  // Email for notifications. No smtp_host: notices are shown on the site only.
  std::string smtp_host;
  int smtp_port = 25;
  std::string smtp_from = "noreply@coproduce.invalid";
  int mail_interval_seconds = 30;  // how often the background sender looks for due email
};

// Reads a TOML file into `cfg` (keys as the field names above). Throws std::runtime_error with the
// file and key on bad input.
void load_config_file(const std::string& path, Config& cfg);
// Applies COPRODUCE_DB, COPRODUCE_LISTEN, COPRODUCE_SHARE, COPRODUCE_CONFIG-independent variables.
void load_config_env(Config& cfg);
// Splits "host:port"; throws std::invalid_argument on a malformed value.
std::pair<std::string, std::uint16_t> parse_listen(const std::string& listen);

}  // namespace cp
