// Protocol limits: bodies and headers that are too big, requests that make no sense, and clients
// that send too slowly are all turned away without tying up the server.
#include <gtest/gtest.h>

#include <boost/asio.hpp>

#include <chrono>
#include <thread>

#include "http_support.hpp"

using namespace cp;
using namespace cp::test;
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

// Sends `head` and then as much of `body` as the server will take, reading all the while, and
// returns what came back. The server may answer and close before the body is all sent, so write
// errors just end the writing.
std::string stream_exchange(std::uint16_t port, const std::string& head, const std::string& body, int timeout_ms = 5000) {
  asio::io_context io;
  asio::ip::tcp::socket sock(io);
  sock.connect({asio::ip::make_address("127.0.0.1"), port});
  asio::write(sock, asio::buffer(head));
  sock.non_blocking(true);
  std::string out;
  std::size_t sent = 0;
  bool writing = true;
  char buf[4096];
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (Clock::now() < deadline) {
    bool progress = false;
    boost::system::error_code ec;
    if (writing && sent < body.size()) {
      auto n = sock.write_some(asio::buffer(body.data() + sent, std::min<std::size_t>(64 * 1024, body.size() - sent)), ec);
      if (!ec) sent += n, progress = n > 0;
      else if (ec != asio::error::would_block) writing = false;
    }
    auto n = sock.read_some(asio::buffer(buf), ec);
    if (!ec) {
      out.append(buf, n);
      progress = true;
    } else if (ec != asio::error::would_block) {
      break;  // closed, or reset once the server stopped reading
    }
    if (!progress) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return out;
}

std::string post_head(std::size_t length) {
  return "POST /sign-in HTTP/1.1\r\nHost: alpha.test\r\nConnection: close\r\n"
         "Content-Type: application/x-www-form-urlencoded\r\n"
         "Content-Length: " +
         std::to_string(length) + "\r\n\r\n";
}

}  // namespace

TEST(HttpLimits, BodyOverTheConfiguredLimitGets413) {
  Config cfg;
  cfg.body_limit = 1024;
  TestServer s(cfg);
  Client c(s.port);
  auto big = c.request("POST", "/sign-in", "email=" + std::string(2000, 'a'), "application/x-www-form-urlencoded");
  EXPECT_EQ(big.status, 413);
  // Just under the limit reaches the application (which then wants its CSRF token).
  auto small = c.request("POST", "/sign-in", "email=" + std::string(900, 'a'), "application/x-www-form-urlencoded");
  EXPECT_EQ(small.status, 403);
}

TEST(HttpLimits, DefaultLimitRefusesATwoMebibyteBody) {
  TestServer s;
  const std::size_t two_mib = 2 * 1024 * 1024;
  auto reply = stream_exchange(s.port, post_head(two_mib), std::string(two_mib, 'a'));
  EXPECT_TRUE(starts_with(reply, "HTTP/1.1 413")) << reply.substr(0, 200);
  // Half a mebibyte is within the default limit.
  const std::size_t half_mib = 512 * 1024;
  auto ok = stream_exchange(s.port, post_head(half_mib), std::string(half_mib, 'a'));
  EXPECT_TRUE(starts_with(ok, "HTTP/1.1 403")) << ok.substr(0, 200);
}

TEST(HttpLimits, OversizedHeadersGet431) {
  TestServer s;
  auto reply = raw_exchange(s.port, "GET / HTTP/1.1\r\nHost: alpha.test\r\nX-Filler: " + std::string(20000, 'a') + "\r\n\r\n");
  EXPECT_TRUE(starts_with(reply, "HTTP/1.1 431")) << reply.substr(0, 200);
  auto fine = raw_exchange(s.port, "GET / HTTP/1.1\r\nHost: alpha.test\r\nConnection: close\r\nX-Filler: " +
                                       std::string(4000, 'a') + "\r\n\r\n");
  EXPECT_TRUE(starts_with(fine, "HTTP/1.1 200")) << fine.substr(0, 200);
}

TEST(HttpLimits, MalformedRequestLinesGet400) {
  TestServer s;
  for (const std::string line : {"GET /\r\n\r\n", "GET / HTTP/9.x\r\n\r\n", "G(T / HTTP/1.1\r\nHost: alpha.test\r\n\r\n",
                                 "GET / HTTP/1.1\r\nHost alpha.test\r\n\r\n"}) {
    SCOPED_TRACE(line);
    auto reply = raw_exchange(s.port, line, 2000);
    EXPECT_TRUE(starts_with(reply, "HTTP/1.1 400")) << reply.substr(0, 200);
  }
}

TEST(HttpLimits, SlowClientIsCutOffWhileOthersAreServed) {
  Config cfg;
  cfg.read_timeout_seconds = 1;
  TestServer s(cfg);
  asio::io_context io;
  asio::ip::tcp::socket slow(io);
  slow.connect({asio::ip::make_address("127.0.0.1"), s.port});
  auto started = Clock::now();
  asio::write(slow, asio::buffer(std::string("GET / HTTP/1.1\r\nHost: alpha.test\r\n")));
  slow.non_blocking(true);

  char buf[1024];
  // Another client is served in full while the slow one is still connected.
  {
    Client normal(s.port);
    auto r = normal.get("/healthz");
    boost::system::error_code ec;
    slow.read_some(asio::buffer(buf), ec);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(ec, asio::error::would_block) << "the slow connection should still be open at this point";
  }

  // Drip one header line at a time, never finishing, and see when the server gives up.
  std::string got;
  bool closed = false;
  int line = 0;
  while (Clock::now() - started < std::chrono::seconds(4)) {
    boost::system::error_code ec;
    asio::write(slow, asio::buffer("X-Drip-" + std::to_string(line++) + ": 1\r\n"), ec);
    auto n = slow.read_some(asio::buffer(buf), ec);
    if (!ec) got.append(buf, n);
    else if (ec != asio::error::would_block) {
      closed = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  auto held = Clock::now() - started;
  EXPECT_TRUE(closed) << "the slow connection was never closed";
  EXPECT_GE(held, std::chrono::milliseconds(900));
  EXPECT_LT(held, std::chrono::milliseconds(3000));
  EXPECT_FALSE(contains(got, "HTTP/1.1 200"));
}
