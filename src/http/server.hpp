// The HTTP/1.1 server: Boost.Beast on Asio, one C++20 coroutine per connection, keep-alive,
// size limits (413/431), read and idle timeouts, and a graceful stop that lets requests in flight
// finish. It knows nothing of the application: it hands each Request to one handler function.
#pragma once
#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "http/message.hpp"

namespace cp::http {

struct ServerOptions {
  std::size_t header_limit = 16 * 1024;
  std::size_t body_limit = 1024 * 1024;
  int read_timeout_seconds = 15;
  int idle_timeout_seconds = 60;
  int shutdown_grace_seconds = 10;
  bool trust_proxy = false;
};

using Handler = std::function<Response(Request&)>;
// Called once per finished exchange for the access log: request, response, seconds taken.
using Observer = std::function<void(const Request&, const Response&, double)>;

class Server {
 public:
  Server(ServerOptions opts, Handler handler, Observer observer = {});
  ~Server();

  // Binds and listens; throws std::runtime_error (e.g. "address already in use") on failure.
  void listen(const std::string& host, std::uint16_t port);
  std::uint16_t port() const;
  // Serves on `threads` threads until stop() or SIGINT/SIGTERM (when `handle_signals`); blocks.
  void run(int threads, bool handle_signals = true);
  // Stops accepting, closes idle connections, lets requests in flight finish (up to the grace
  // period), then returns from run(). Safe to call from any thread.
  void stop();
  std::size_t in_flight() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cp::http
