#include "http/server.hpp"

#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

#include <chrono>
#include <list>
#include <mutex>
#include <thread>

#include "core/util.hpp"

namespace cp::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

// Per-connection state the server can reach from outside the coroutine to close idle connections.
struct Conn {
  std::shared_ptr<beast::tcp_stream> stream;
  std::atomic<bool> busy{false};
};

std::string decode_path(std::string_view raw) {
  auto q = raw.find('?');
  std::string_view p = raw.substr(0, q);
  auto res = boost::urls::parse_origin_form(raw);
  if (res) {
    auto path = res->path();
    return std::string(path.data(), path.size());
  }
  return std::string(p);
}

Request to_request(bhttp::request<bhttp::string_body>& in, const std::string& remote, bool trust_proxy) {
  Request r;
  r.method = std::string(in.method_string());
  r.target = std::string(in.target());
  r.path = decode_path(r.target);
  if (auto q = r.target.find('?'); q != std::string::npos) r.query = parse_urlencoded(std::string_view(r.target).substr(q + 1));
  for (const auto& f : in) r.headers.emplace_back(to_lower(f.name_string()), std::string(f.value()));
  r.body = std::move(in.body());
  r.remote_addr = remote;
  if (trust_proxy)
    if (const auto* xff = r.header("x-forwarded-for")) r.remote_addr = trim(split(*xff, ',').front());
  const auto* rid = r.header("x-request-id");
  bool rid_ok = rid && !rid->empty() && rid->size() <= 64 &&
                std::all_of(rid->begin(), rid->end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; });
  r.request_id = rid_ok ? *rid : random_token(12);
  return r;
}

// Answers the server makes itself (bad requests, limits, a handler that threw) never pass through the
// application, so they get its protective headers here: nothing in them may be sniffed, framed or run.
Response& harden(Response& res) {
  res.header("X-Content-Type-Options", "nosniff");
  res.header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
  res.header("Referrer-Policy", "same-origin");
  res.header("X-Frame-Options", "DENY");
  return res;
}

bhttp::response<bhttp::string_body> to_beast(const Response& res, unsigned version, bool keep_alive) {
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), version};
  out.set(bhttp::field::server, "coproduce");
  out.set(bhttp::field::content_type, res.content_type);
  for (const auto& [k, v] : res.headers) out.insert(k, v);
  out.body() = res.body;
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

}  // namespace

struct Server::Impl {
  ServerOptions opts;
  Handler handler;
  Observer observer;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  asio::signal_set signals{io};
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> in_flight{0};
  std::mutex mu;
  std::list<std::shared_ptr<Conn>> conns;
  std::unique_ptr<asio::steady_timer> grace_timer;

  Impl(ServerOptions o, Handler h, Observer obs) : opts(o), handler(std::move(h)), observer(std::move(obs)) {}

  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io), asio::as_tuple(asio::use_awaitable));
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) co_return;
        continue;  // e.g. too many open files: keep serving the connections we have
      }
      socket.set_option(tcp::no_delay(true));
      auto conn = std::make_shared<Conn>();
      conn->stream = std::make_shared<beast::tcp_stream>(std::move(socket));
      std::list<std::shared_ptr<Conn>>::iterator it;
      {
        std::lock_guard lock(mu);
        conns.push_front(conn);
        it = conns.begin();
      }
      auto exec = conn->stream->get_executor();
      asio::co_spawn(exec, serve(conn), [this, it](std::exception_ptr) {
        {
          std::lock_guard lock(mu);
          conns.erase(it);
        }
        // Check again now the connection is off the list: the check serve() made on its way out is
        // posted and may run before this erase, which would leave a stop waiting out the whole grace period.
        maybe_finish();
      });
    }
  }

  asio::awaitable<void> serve(std::shared_ptr<Conn> conn) {
    auto& stream = *conn->stream;
    std::string remote;
    {
      beast::error_code ec;
      auto ep = stream.socket().remote_endpoint(ec);
      if (!ec) remote = ep.address().to_string();
    }
    beast::flat_buffer buffer;
    bool first = true;
    while (!stopping) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(opts.header_limit));
      parser.body_limit(opts.body_limit);
      // A keep-alive connection may sit idle for idle_timeout, but once a request starts arriving it
      // must arrive whole within read_timeout: a slow client cannot hold a connection open forever.
      stream.expires_after(std::chrono::seconds(first ? opts.read_timeout_seconds : opts.idle_timeout_seconds));
      auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
      if (!ec && !parser.is_done()) {
        stream.expires_after(std::chrono::seconds(opts.read_timeout_seconds));
        std::tie(ec, n) = co_await bhttp::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
      }
      first = false;
      if (ec) {
        int status = 0;
        if (ec == bhttp::error::body_limit) status = 413;
        else if (ec == bhttp::error::header_limit) status = 431;
        else if (ec.category() == beast::error_code(bhttp::error::bad_target).category() &&
                 ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
          status = 400;
        if (status) {
          Response res = Response::text(status, status == 413   ? "Request body too large.\n"
                                                : status == 431 ? "Request headers too large.\n"
                                                                : "Bad request.\n");
          auto out = to_beast(harden(res), 11, false);
          stream.expires_after(std::chrono::seconds(5));
          co_await bhttp::async_write(stream, out, asio::as_tuple(asio::use_awaitable));
        }
        break;
      }
      conn->busy = true;
      ++in_flight;
      auto started = std::chrono::steady_clock::now();
      auto& in = parser.get();
      bool keep_alive = in.keep_alive();
      unsigned version = in.version();
      Request req = to_request(in, remote, opts.trust_proxy);
      Response res;
      try {
        res = handler(req);
      } catch (const std::exception& e) {
        res = Response::text(500, "Something went wrong. Try again later.\n");
        harden(res);
      }
      if (stopping || res.close) keep_alive = false;
      // HEAD answers carry the headers a GET would, including its length, and no body.
      std::size_t head_length = res.body.size();
      if (req.method == "HEAD") res.body.clear();
      auto out = to_beast(res, version, keep_alive);
      if (req.method == "HEAD") out.content_length(head_length);
      stream.expires_after(std::chrono::seconds(opts.read_timeout_seconds));
      auto [wec, wn] = co_await bhttp::async_write(stream, out, asio::as_tuple(asio::use_awaitable));
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      if (observer) observer(req, res, secs);
      --in_flight;
      conn->busy = false;
      if (wec || !keep_alive) break;
    }
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream.close();
    maybe_finish();
  }

  // Begins the graceful stop on the io_context.
  void begin_stop() {
    if (stopping.exchange(true)) return;
    beast::error_code ec;
    acceptor.close(ec);
    signals.cancel(ec);
    std::vector<std::shared_ptr<Conn>> idle;
    {
      std::lock_guard lock(mu);
      for (auto& c : conns)
        if (!c->busy) idle.push_back(c);
    }
    // A connection may have closed its socket since it was listed; cancelling a closed socket fails,
    // and an exception here would escape io.run() and end the process instead of stopping it.
    for (auto& c : idle)
      asio::post(c->stream->get_executor(), [c] {
        beast::error_code cancel_ec;
        if (!c->busy) c->stream->socket().cancel(cancel_ec);
      });
    auto timer = std::make_unique<asio::steady_timer>(io, std::chrono::seconds(opts.shutdown_grace_seconds));
    timer->async_wait([this](beast::error_code ec) {
      if (!ec) io.stop();  // the grace period ran out: stop whatever is left
    });
    // Published only once it is waiting, and under the lock maybe_finish() takes: a connection closing
    // on another thread could otherwise cancel it before the wait began, and the stop would then sit
    // out the whole grace period.
    {
      std::lock_guard lock(mu);
      grace_timer = std::move(timer);
    }
    maybe_finish();
  }

  void maybe_finish() {
    if (!stopping) return;
    std::lock_guard lock(mu);
    // A connection that calls this from serve() is still listed; it is the last when size() <= 1.
    if (in_flight == 0 && conns.size() <= 1 && grace_timer) {
      asio::post(io, [this] {
        std::lock_guard lock2(mu);
        if (in_flight == 0 && conns.empty() && grace_timer) grace_timer->cancel();
      });
    }
  }
};

Server::Server(ServerOptions opts, Handler handler, Observer observer)
    : impl_(std::make_unique<Impl>(opts, std::move(handler), std::move(observer))) {}

Server::~Server() = default;

void Server::listen(const std::string& host, std::uint16_t port) {
  beast::error_code ec;
  auto addr = asio::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec) throw std::runtime_error("cannot listen on '" + host + "': not an IP address");
  tcp::endpoint ep{addr, port};
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
}

std::uint16_t Server::port() const { return impl_->acceptor.local_endpoint().port(); }

std::size_t Server::in_flight() const { return impl_->in_flight; }

void Server::run(int threads, bool handle_signals) {
  auto& im = *impl_;
  if (handle_signals) {
    im.signals.add(SIGINT);
    im.signals.add(SIGTERM);
    im.signals.async_wait([&im](beast::error_code ec, int) {
      if (!ec) im.begin_stop();
    });
  }
  asio::co_spawn(im.io, im.accept_loop(), asio::detached);
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&im] { im.io.run(); });
  im.io.run();
  for (auto& t : pool) t.join();
}

void Server::stop() {
  asio::post(impl_->io, [im = impl_.get()] { im->begin_stop(); });
}

}  // namespace cp::http
