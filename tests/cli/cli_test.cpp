// The command-line driver as a person or a deployment script meets it: help, mistakes, migrate, and
// the failures a server start can meet (no database, address taken, a nonsense address).
#include <gtest/gtest.h>

#include <boost/asio.hpp>

#include "cli/process.hpp"
#include "support/harness.hpp"

using namespace cp;
using test::run_cli;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A crash, an uncaught exception or a sanitizer report must never be what a user sees.
void expect_no_crash_output(const test::CliResult& r) {
  EXPECT_LT(r.exit_code, 128) << "died of a signal: " << r.err;
  EXPECT_FALSE(has(r.err, "terminate called")) << r.err;
  EXPECT_FALSE(has(r.err, "what():")) << r.err;
  EXPECT_FALSE(has(r.err, "Aborted")) << r.err;
  EXPECT_FALSE(has(r.err, "#0 ")) << r.err;
}

std::size_t migration_count(const std::string& url) {
  app::App a(test::test_config(url));
  return a.migrations.all().size();
}

}  // namespace

TEST(Cli, HelpOnEveryCommandNamesItsOptions) {
  const std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> cases = {
      {{"--help"}, {"serve", "migrate", "demo", "user", "partnership"}},
      {{"serve", "--help"}, {"--listen", "--db", "--config", "--share", "--demo", "--threads"}},
      {{"migrate", "--help"}, {"--db", "--config", "--share"}},
      {{"demo", "--help"}, {"--db", "--scale"}},
      {{"user", "--help"}, {"add"}},
      {{"user", "add", "--help"}, {"--partnership", "--email", "--name", "--role", "--organisation", "--db"}},
      {{"partnership", "--help"}, {"add"}},
      {{"partnership", "add", "--help"}, {"--slug", "--name", "--host", "--summary", "--db"}},
  };
  for (const auto& [args, words] : cases) {
    auto r = run_cli(args);
    std::string cmd;
    for (const auto& a : args) cmd += a + " ";
    EXPECT_EQ(r.exit_code, 0) << cmd << r.err;
    for (const auto& w : words) EXPECT_TRUE(has(r.out, w)) << cmd << "does not mention " << w << ":\n" << r.out;
  }
  // The help for adding a user says where the password comes from.
  EXPECT_TRUE(has(run_cli({"user", "add", "--help"}).out, "standard input"));
}

TEST(Cli, MistakesExitNonZeroAndSaySo) {
  const std::vector<std::vector<std::string>> cases = {
      {},                                                   // no command
      {"frobnicate"},                                       // unknown command
      {"migrate", "--no-such-option"},                      // unknown option
      {"serve", "--threads", "0"},                          // out of range
      {"user"},                                             // missing sub-command
      {"user", "add", "--email", "a@example.org"},          // missing --name
      {"user", "add", "--email", "a@example.org", "--name", "A", "--password", "x"},  // no password flag exists
      {"partnership", "add", "--name", "No Slug"},          // missing --slug
  };
  for (const auto& args : cases) {
    auto r = run_cli(args);
    std::string cmd;
    for (const auto& a : args) cmd += a + " ";
    EXPECT_NE(r.exit_code, 0) << cmd;
    EXPECT_FALSE(r.err.empty()) << cmd << "gave no message";
    expect_no_crash_output(r);
  }
}

TEST(Cli, MigrateReportsWhatRanAndIsIdempotent) {
  test::TempDb db;
  auto expected = migration_count(db.url());
  auto first = run_cli({"migrate", "--db", db.url()});
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(has(first.out, "Applied " + std::to_string(expected) + " migration(s)")) << first.out;
  auto second = run_cli({"migrate", "--db", db.url()});
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_TRUE(has(second.out, "Applied 0 migration(s)")) << second.out;
  // The schema really is there, recorded once per migration.
  auto c = store::connect(db.url());
  EXPECT_EQ(c->run("SELECT COUNT(*) FROM schema_migrations", {}).one().i64(0), static_cast<std::int64_t>(expected));
}

TEST(Cli, MigrateTakesTheDatabaseFromTheEnvironment) {
  test::TempDb db;
  auto r = run_cli({"migrate"}, "", {{"COPRODUCE_DB", db.url()}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto c = store::connect(db.url());
  EXPECT_GT(c->run("SELECT COUNT(*) FROM schema_migrations", {}).one().i64(0), 0);
}

TEST(Cli, MigrateWithoutADatabaseServerExitsTwoWithAClearMessage) {
  auto r = run_cli({"migrate", "--db", "postgresql://postgres@127.0.0.1:1/nothing"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_TRUE(has(r.err, "cannot connect")) << r.err;
  EXPECT_TRUE(has(r.err, "127.0.0.1")) << r.err;
  expect_no_crash_output(r);
  // One short message, not a dump.
  EXPECT_LT(std::count(r.err.begin(), r.err.end(), '\n'), 5) << r.err;
}

TEST(Cli, BadDatabaseUrlExitsWithAMessage) {
  auto r = run_cli({"migrate", "--db", "mysql://localhost/x"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(has(r.err, "sqlite:")) << r.err;
  expect_no_crash_output(r);
}

TEST(Cli, PasswordInAUrlIsNotPrinted) {
  auto r = run_cli({"migrate", "--db", "postgresql://postgres:hunter2secret@127.0.0.1:1/nothing"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(has(r.err, "hunter2secret")) << r.err;
  EXPECT_FALSE(has(r.out, "hunter2secret")) << r.out;
}

TEST(Cli, ServeOnAnAddressInUseExitsAndSaysSo) {
  test::TempDb db;
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor taken(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  auto port = taken.local_endpoint().port();
  test::CliProcess p({"serve", "--db", db.url(), "--listen", "127.0.0.1:" + std::to_string(port), "--threads", "1"});
  auto r = p.finish(0, 15000);
  EXPECT_FALSE(r.timed_out) << "serve kept running on an address that was in use";
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(has(r.err, "in use")) << r.err;
  EXPECT_TRUE(has(r.err, std::to_string(port))) << r.err;
  expect_no_crash_output(r);
}

TEST(Cli, ServeWithANonsenseAddressExitsOne) {
  test::TempDb db;
  for (std::string listen : {"nonsense", "127.0.0.1:99999", "127.0.0.1:port"}) {
    auto r = run_cli({"serve", "--db", db.url(), "--listen", listen});
    EXPECT_EQ(r.exit_code, 1) << listen << ": " << r.err;
    EXPECT_TRUE(has(r.err, listen)) << r.err;
    expect_no_crash_output(r);
  }
}

TEST(Cli, ServeStartsAnswersAndStopsOnSigterm) {
  test::TempDb db;
  test::CliProcess p({"serve", "--db", db.url(), "--listen", "127.0.0.1:0", "--threads", "2"});
  auto line = p.read_line(15000);
  ASSERT_TRUE(has(line, "serving http://127.0.0.1:")) << line;
  auto port = std::stoi(line.substr(line.find("127.0.0.1:") + 10));
  ASSERT_GT(port, 0);
  test::Client c(static_cast<std::uint16_t>(port), "localhost");
  auto health = c.get("/healthz");
  EXPECT_EQ(health.status, 200) << health.body;
  auto r = p.finish(SIGTERM, 15000);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "stopped")) << r.out;
}
