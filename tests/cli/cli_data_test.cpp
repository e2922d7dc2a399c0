// CLI commands that change data: the demo loader, adding a partnership and adding an account whose
// password comes from standard input and which can then sign in to the running server.
#include <gtest/gtest.h>

#include "cli/process.hpp"
#include "support/harness.hpp"

using namespace cp;
using test::run_cli;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::int64_t count(const std::string& url, const std::string& sql, const store::Params& params = {}) {
  return store::connect(url)->run(sql, params).one().i64(0);
}

// A database with the "demo" partnership (host demo.test) and nothing else.
struct DemoPartnership {
  test::TempDb db;
  DemoPartnership() {
    auto r = run_cli({"partnership", "add", "--db", db.url(), "--slug", "demo", "--name", "Demo Partnership", "--host",
                      "demo.test", "--summary", "For the CLI tests."});
    if (r.exit_code != 0) throw std::runtime_error("partnership add failed: " + r.err);
  }
  test::CliResult add_user(const std::string& email, const std::string& stdin_text, const std::string& role = "admin") {
    return run_cli({"user", "add", "--db", db.url(), "--partnership", "demo", "--email", email, "--name", "Robin Hill",
                    "--role", role},
                   stdin_text);
  }
};

}  // namespace

TEST(CliDemo, LoadsOnceAndThenAddsNothing) {
  test::TempDb db;
  auto first = run_cli({"demo", "--db", db.url()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(has(first.out, "created")) << first.out;
  EXPECT_FALSE(has(first.out, ": 0 organisations")) << first.out;
  auto orgs = count(db.url(), "SELECT COUNT(*) FROM organisations", {});
  auto users = count(db.url(), "SELECT COUNT(*) FROM users", {});
  EXPECT_GT(orgs, 0);
  EXPECT_GT(users, 0);

  auto second = run_cli({"demo", "--db", db.url()});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_TRUE(has(second.out, "already there: 0 organisations and 0 accounts added")) << second.out;
  EXPECT_EQ(count(db.url(), "SELECT COUNT(*) FROM organisations", {}), orgs);
  EXPECT_EQ(count(db.url(), "SELECT COUNT(*) FROM users", {}), users);
  EXPECT_EQ(count(db.url(), "SELECT COUNT(*) FROM partnerships WHERE slug = $1", {std::string("demo")}), 1);
}

TEST(CliPartnership, AddsAndRefusesADuplicateSlug) {
  test::TempDb db;
  auto r = run_cli({"partnership", "add", "--db", db.url(), "--slug", "north-coast", "--name", "North Coast Partnership",
                    "--host", "North.Example"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "Created partnership")) << r.out;
  auto c = store::connect(db.url());
  auto row = c->run("SELECT name, host FROM partnerships WHERE slug = $1", {std::string("north-coast")}).one();
  EXPECT_EQ(row.text(0), "North Coast Partnership");
  EXPECT_EQ(row.text(1), "north.example");  // host names are matched in lower case

  auto again = run_cli({"partnership", "add", "--db", db.url(), "--slug", "north-coast", "--name", "Another"});
  EXPECT_EQ(again.exit_code, 1) << again.err;
  EXPECT_TRUE(has(again.err, "north-coast")) << again.err;
  EXPECT_TRUE(has(again.err, "exists")) << again.err;
  EXPECT_EQ(count(db.url(), "SELECT COUNT(*) FROM partnerships WHERE slug = $1", {std::string("north-coast")}), 1);
  EXPECT_EQ(count(db.url(), "SELECT COUNT(*) FROM partnerships WHERE name = $1", {std::string("Another")}), 0);
}

TEST(CliPartnership, RefusesASlugThatIsNotASlug) {
  test::TempDb db;
  auto r = run_cli({"partnership", "add", "--db", db.url(), "--slug", "Has Spaces", "--name", "Bad"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has(r.err, "slug")) << r.err;
  EXPECT_EQ(count(db.url(), "SELECT COUNT(*) FROM partnerships", {}), 0);
}

TEST(CliUser, ReadsThePasswordFromStandardInputAndTheAccountCanSignIn) {
  DemoPartnership d;
  const std::string password = "copper kettle mountain rain";
  auto r = d.add_user("Robin@Example.org", password + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "Created account")) << r.out;
  EXPECT_TRUE(has(r.out, "robin@example.org")) << r.out;
  EXPECT_FALSE(has(r.out + r.err, password)) << "the password was echoed";
  EXPECT_EQ(count(d.db.url(), "SELECT COUNT(*) FROM user_roles WHERE role = $1", {std::string("admin")}), 1);
  // Stored as a hash only.
  auto hash = store::connect(d.db.url())->run("SELECT password_hash FROM users", {}).one().text(0);
  EXPECT_FALSE(has(hash, password));
  EXPECT_TRUE(hash.rfind("$argon2id$", 0) == 0) << hash;

  test::CliProcess server({"serve", "--db", d.db.url(), "--listen", "127.0.0.1:0", "--threads", "2"});
  auto line = server.read_line(15000);
  ASSERT_TRUE(has(line, "127.0.0.1:")) << line;
  auto port = static_cast<std::uint16_t>(std::stoi(line.substr(line.find("127.0.0.1:") + 10)));

  test::Client wrong(port, "demo.test");
  auto refused = wrong.sign_in("robin@example.org", "not the password at all");
  EXPECT_NE(refused.status, 303);
  EXPECT_NE(wrong.get("/account").status, 200);

  test::Client c(port, "demo.test");
  auto signed_in = c.sign_in("robin@example.org", password);
  EXPECT_EQ(signed_in.status, 303) << signed_in.body.substr(0, 400);
  EXPECT_EQ(signed_in.header("location"), "/account");
  auto account = c.get("/account");
  EXPECT_EQ(account.status, 200);
  EXPECT_TRUE(has(account.body, "robin@example.org"));
  auto stopped = server.finish(SIGTERM, 15000);
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
}

TEST(CliUser, RefusesAShortPassword) {
  DemoPartnership d;
  auto r = d.add_user("short@example.org", "tiny pw\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has(r.err, "at least 12 characters")) << r.err;
  EXPECT_EQ(count(d.db.url(), "SELECT COUNT(*) FROM users", {}), 0);
}

TEST(CliUser, RefusesACommonPassword) {
  DemoPartnership d;
  // Long enough, but on the list of passwords people use most.
  auto r = d.add_user("common@example.org", "1qaz2wsx3edc\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has(r.err, "too easy to guess")) << r.err;
  EXPECT_EQ(count(d.db.url(), "SELECT COUNT(*) FROM users", {}), 0);
}

TEST(CliUser, RefusesAnEmptyPassword) {
  DemoPartnership d;
  auto r = d.add_user("empty@example.org", "");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has(r.err, "password")) << r.err;
  EXPECT_EQ(count(d.db.url(), "SELECT COUNT(*) FROM users", {}), 0);
}

TEST(CliUser, RefusesADuplicateEmail) {
  DemoPartnership d;
  ASSERT_EQ(d.add_user("twice@example.org", "first long passphrase here\n").exit_code, 0);
  auto r = d.add_user("TWICE@example.org", "second long passphrase here\n", "person");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has(r.err, "already an account")) << r.err;
  EXPECT_EQ(count(d.db.url(), "SELECT COUNT(*) FROM users", {}), 1);
  EXPECT_EQ(count(d.db.url(), "SELECT COUNT(*) FROM user_roles", {}), 1);
}

TEST(CliUser, RefusesAnUnknownPartnershipOrRole) {
  DemoPartnership d;
  auto nowhere = run_cli({"user", "add", "--db", d.db.url(), "--partnership", "nowhere", "--email", "a@example.org",
                          "--name", "A", "--role", "admin"},
                         "a long enough passphrase\n");
  EXPECT_EQ(nowhere.exit_code, 1);
  EXPECT_TRUE(has(nowhere.err, "nowhere")) << nowhere.err;
  auto bad_role = d.add_user("b@example.org", "a long enough passphrase\n", "emperor");
  EXPECT_EQ(bad_role.exit_code, 1);
  EXPECT_TRUE(has(bad_role.err, "role")) << bad_role.err;
  auto worker = d.add_user("w@example.org", "a long enough passphrase\n", "worker");
  EXPECT_EQ(worker.exit_code, 1);
  EXPECT_TRUE(has(worker.err, "--organisation")) << worker.err;
  EXPECT_EQ(count(d.db.url(), "SELECT COUNT(*) FROM users", {}), 0);
}
