// Graceful stop: a deploy or restart must not cut off a request that is being handled, and must not
// take new work once it has begun.
#include <gtest/gtest.h>

#include <boost/asio.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "http_support.hpp"

using namespace cp;
using namespace cp::test;
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

bool can_connect(std::uint16_t port) {
  asio::io_context io;
  asio::ip::tcp::socket sock(io);
  boost::system::error_code ec;
  sock.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  return !ec;
}

}  // namespace

TEST(HttpShutdown, RequestInFlightFinishesAndNewConnectionsAreRefused) {
  std::atomic<bool> entered{false};
  // The slow route holds its request until the test lets it go, so the checks below run while it is
  // certainly still in flight, however busy the machine is.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  // Big enough to need several writes, so a cut-off response would show.
  const std::string payload(256 * 1024, 'z');
  TestServer s({}, [&](app::App& a) {
    a.route(
        "GET", "/test/slow", "test.slow",
        [&](app::Ctx&) {
          entered = true;
          released.wait_for(std::chrono::seconds(5));
          std::this_thread::sleep_for(std::chrono::milliseconds(100));  // still working after the stop began
          return http::Response::text(200, payload);
        },
        app::RouteKind::open);
  });

  HttpResult slow;
  std::string failure;
  std::thread caller([&] {
    try {
      Client c(s.port);
      slow = c.get("/test/slow");
    } catch (const std::exception& e) {
      failure = e.what();
    }
  });
  auto deadline = Clock::now() + std::chrono::seconds(5);
  while (!entered && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  if (!entered) {
    ADD_FAILURE() << "the slow request never reached its handler";
    release.set_value();
    caller.join();
    return;
  }

  auto stop_began = Clock::now();
  s.server->stop();  // begins the stop and returns at once
  bool refused = false;
  while (!refused && Clock::now() - stop_began < std::chrono::seconds(2)) {
    refused = !can_connect(s.port);
    if (!refused) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_TRUE(refused) << "new connections were still accepted after the stop began";
  EXPECT_EQ(s.server->in_flight(), 1u) << "the slow request should still be running";

  release.set_value();
  s.stop();  // waits for the server to finish
  auto stop_took = Clock::now() - stop_began;
  caller.join();
  EXPECT_EQ(failure, "");
  EXPECT_EQ(slow.status, 200);
  EXPECT_EQ(slow.body.size(), payload.size());
  EXPECT_EQ(slow.body, payload);
  EXPECT_EQ(slow.header("connection"), "close");
  // It waited for the request, not for the whole grace period.
  EXPECT_LT(stop_took, std::chrono::seconds(3));
  EXPECT_FALSE(can_connect(s.port));
}

TEST(HttpShutdown, IdleKeepAliveConnectionsDoNotHoldUpTheStop) {
  TestServer s;
  // An idle keep-alive connection: one request answered, the socket left open.
  asio::io_context io;
  asio::ip::tcp::socket idle(io);
  idle.connect({asio::ip::make_address("127.0.0.1"), s.port});
  asio::write(idle, asio::buffer(std::string("GET /healthz HTTP/1.1\r\nHost: alpha.test\r\n\r\n")));
  std::string got;
  char buf[4096];
  while (!contains(got, "\"status\":\"ok\"")) got.append(buf, idle.read_some(asio::buffer(buf)));
  auto began = Clock::now();
  s.stop();
  EXPECT_LT(Clock::now() - began, std::chrono::seconds(3));
  boost::system::error_code ec;
  idle.read_some(asio::buffer(buf), ec);
  EXPECT_TRUE(ec) << "the idle connection should have been closed";
}
