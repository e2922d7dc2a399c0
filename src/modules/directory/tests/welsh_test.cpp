// Welsh text for services and assets, through real HTTP and the real command line: a service's
// managers write the Welsh version; a Welsh reader sees it (and an English-only service with its
// lang attribute and note); search finds Welsh words; the Welsh field is checked for sentence
// length and jargon only; a suggested asset's Welsh reaches the directory; the organisation page
// tells its managers which entries lack Welsh; and the full backup keeps the Welsh with no loss
// while the ORUK API never shows it.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli/process.hpp"
#include "core/util.hpp"
#include "modules/notifications/notifications.hpp"
#include "modules/directory/directory.hpp"
#include "modules/directory/tabular.hpp"
#include "modules/directory/welsh.hpp"
#include "support/harness.hpp"

using namespace cp;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

const std::string kPassword = "a long enough passphrase 1";
const std::string kWalk = "77777777-7777-4777-8777-777777777777";
const std::string kAdvice = "33333333-3333-4333-8333-333333333333";

// Two services of one organisation. The walk has Welsh in the feed's own "translations"; the advice
// service is English only.
const std::string kFeed = R"({
  "services": [
    {"id": "77777777-7777-4777-8777-777777777777", "name": "Shore Walkers", "status": "active",
     "asset_kind": "walking_group", "description": "A gentle walk by the sea every week.",
     "organization": {"id": "88888888-8888-4888-8888-888888888888", "name": "Friends of the Shore", "description": "Volunteers."}},
    {"id": "33333333-3333-4333-8333-333333333333", "name": "Money Advice", "status": "active",
     "description": "Help with debt and bills.",
     "organization": {"id": "88888888-8888-4888-8888-888888888888", "name": "Friends of the Shore", "description": "Volunteers."}}
  ],
  "translations": [
    {"service_id": "77777777-7777-4777-8777-777777777777", "language": "cy", "name": "Cerddwyr y Glannau",
     "description": "Taith gerdded hamddenol ar lan y môr bob wythnos. Dŵr, tê a sgwrs."}
  ]})";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

bool has(const std::string& body, const std::string& text) { return body.find(text) != std::string::npos; }

struct Welsh : ::testing::Test {
  test::TestServer s;
  std::int64_t org = 0;
  int serial = 0;

  void SetUp() override {
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
    modules::directory_tabular::import_document(w.scope(), json::parse(kFeed), {});
    org = w->read("SELECT organisation_id FROM directory_organisations WHERE partnership_id = $1 AND uuid = $2",
                  {"88888888-8888-4888-8888-888888888888"}).one().i64(0);
    w.commit();
  }

  test::Client as(auth::Role role, std::optional<std::int64_t> o = std::nullopt) {
    test::Client c(s.port, "alpha.test");
    std::string email = "welsh" + std::to_string(++serial) + "@example.org";
    s.add_user(s.alpha, email, kPassword, role, o);
    EXPECT_EQ(c.sign_in(email, kPassword).status, 303);
    return c;
  }

  std::vector<std::string> welsh_of(const app::Partnership& p, const std::string& uuid) {
    auto w = s.app->work(p.id, {}, store::Transaction::Mode::read);
    auto r = w->read("SELECT name_cy, description_cy, search_text_cy FROM directory_services"
                     " WHERE partnership_id = $1 AND uuid = $2", {uuid});
    if (r.empty()) return {};
    return {r.one().text(0), r.one().text(1), r.one().text(2)};
  }
};

}  // namespace

TEST_F(Welsh, WelshReaderSeesWelshTextAndTheNoteWhereThereIsNone) {
  test::Client c(s.port, "alpha.test");
  // The Welsh version, in the reader's own language: no lang attribute of its own, no note.
  auto r = c.get("/services/" + kWalk + "?lang=cy");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(has(r.body, "<h1 class=\"govuk-heading-l\">Cerddwyr y Glannau</h1>")) << r.body;
  EXPECT_TRUE(has(r.body, ">Taith gerdded hamddenol ar lan y môr bob wythnos. Dŵr, tê a sgwrs.</p>"));
  EXPECT_TRUE(has(r.body, "<title>Cerddwyr y Glannau"));
  EXPECT_FALSE(has(r.body, "Shore Walkers"));
  EXPECT_FALSE(has(r.body, "cp-lang-note"));
  // English only: shown in English, marked lang="en", with the Welsh note.
  r = c.get("/services/" + kAdvice);
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(has(r.body, "<h1 class=\"govuk-heading-l\" lang=\"en\">Money Advice</h1>")) << r.body;
  EXPECT_TRUE(has(r.body, "lang=\"en\">Help with debt and bills.</p>"));
  EXPECT_TRUE(has(r.body, "Dim ond yn Saesneg")) << r.body;
  // The list does the same for each result.
  r = c.get("/services");
  EXPECT_TRUE(has(r.body, ">Cerddwyr y Glannau</a>"));
  EXPECT_TRUE(has(r.body, "lang=\"en\">Money Advice</a>"));
  // In Welsh order of the names shown: the walk, "Cerddwyr…", comes before "Money Advice".
  EXPECT_LT(r.body.find("Cerddwyr y Glannau"), r.body.find("Money Advice"));
  // An English reader sees English, and no note for a service that has both.
  r = c.get("/services/" + kWalk + "?lang=en");
  EXPECT_TRUE(has(r.body, "<h1 class=\"govuk-heading-l\">Shore Walkers</h1>"));
  EXPECT_FALSE(has(r.body, "Cerddwyr"));
  EXPECT_FALSE(has(r.body, "cp-lang-note"));
  // And the list in English order of the English names: "Money Advice" before "Shore Walkers".
  r = c.get("/services");
  EXPECT_LT(r.body.find("Money Advice"), r.body.find("Shore Walkers"));
}

TEST_F(Welsh, SearchFindsWelshWords) {
  test::Client c(s.port, "alpha.test");
  auto r = c.get("/services?q=glannau");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(has(r.body, "/services/" + kWalk));
  EXPECT_FALSE(has(r.body, "/services/" + kAdvice));
  EXPECT_TRUE(has(r.body, ">Shore Walkers</a>")) << "an English reader still sees the English name";
  // A Welsh word with an accent, and Welsh and English words together.
  EXPECT_TRUE(has(c.get("/services?q=m%C3%B4r").body, "/services/" + kWalk));
  EXPECT_TRUE(has(c.get("/services?q=sgwrs+gentle").body, "/services/" + kWalk));
  EXPECT_FALSE(has(c.get("/services?q=sgwrs+debt").body, "/services/" + kWalk));
}

TEST_F(Welsh, ManagerWritesTheWelshVersionAndItIsAudited) {
  auto m = as(auth::Role::manager, org);
  auto page = m.get("/services/" + kAdvice);
  EXPECT_TRUE(has(page.body, "No Welsh version yet")) << page.body;
  EXPECT_TRUE(has(page.body, "/services/" + kAdvice + "/text"));
  auto r = m.submit("/services/" + kAdvice + "/text", "/services/" + kAdvice + "/text",
                    {{"name", "Money Advice"}, {"description", "Help with debt and bills."},
                     {"name_cy", "Cyngor Arian"}, {"description_cy", "Help gyda dyled a biliau."}});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(welsh_of(s.alpha, kAdvice), (std::vector<std::string>{"Cyngor Arian", "Help gyda dyled a biliau.",
                                                                  "cyngor arian\nhelp gyda dyled a biliau."}));
  {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    EXPECT_EQ(w->read("SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'directory.service_text'")
                  .one().i64(0), 1);
  }
  EXPECT_FALSE(has(m.get("/services/" + kAdvice).body, "No Welsh version yet"));
  EXPECT_TRUE(has(m.get("/services?q=dyled").body, "/services/" + kAdvice));
  EXPECT_TRUE(has(m.get("/services/" + kAdvice + "?lang=cy").body, ">Cyngor Arian</h1>"));

  // Another organisation's manager and a plain account may not.
  auto other = as(auth::Role::manager, s.add_organisation(s.alpha, "Another Org"));
  EXPECT_EQ(other.get("/services/" + kAdvice + "/text").status, 403);
  auto person = as(auth::Role::person);
  EXPECT_EQ(person.get("/services/" + kAdvice + "/text").status, 403);
  EXPECT_FALSE(has(person.get("/services/" + kAdvice).body, "/text\""));
}

TEST_F(Welsh, BadInputKeepsWhatWasTypedAndSavesNothing) {
  auto m = as(auth::Role::manager, org);
  std::string long_name(201, 'a');
  auto r = m.submit("/services/" + kAdvice + "/text?lang=cy", "/services/" + kAdvice + "/text",
                    {{"name", ""}, {"description", "Help."}, {"name_cy", long_name}, {"description_cy", "Help gyda biliau."}});
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(has(r.body, "govuk-error-summary"));
  EXPECT_TRUE(has(r.body, "href=\"#name\""));
  EXPECT_TRUE(has(r.body, "href=\"#name_cy\""));
  EXPECT_TRUE(has(r.body, ">Help gyda biliau.</textarea>"));
  EXPECT_TRUE(has(r.body, "<title>Gwall:")) << "the error in Welsh";
  EXPECT_EQ(welsh_of(s.alpha, kAdvice)[0], "");
  auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
  EXPECT_EQ(w->read("SELECT name FROM directory_services WHERE partnership_id = $1 AND uuid = $2", {kAdvice}).one().text(0),
            "Money Advice");
}

TEST_F(Welsh, TheWelshFieldIsCheckedForSentenceLengthAndJargonOnly) {
  auto m = as(auth::Role::manager, org);
  std::string long_cy;
  for (int i = 0; i < 40; ++i) long_cy += "gair ";
  long_cy += "olaf.";
  auto r = m.submit("/services/" + kAdvice + "/text", "/services/" + kAdvice + "/text",
                    {{"name", "Money Advice"}, {"description", "Help with debt and bills."}, {"name_cy", ""},
                     {"description_cy", long_cy}, {"action", "check"}});
  ASSERT_EQ(r.status, 200) << r.body;
  // Both fields are reported; nothing is saved by a check.
  EXPECT_TRUE(has(r.body, "href=\"#description\""));
  EXPECT_TRUE(has(r.body, "href=\"#description_cy\""));
  EXPECT_EQ(welsh_of(s.alpha, kAdvice)[1], "");
  // The English field gets a reading age; the Welsh one only its long sentence (marked Welsh) and the note.
  auto en = r.body.find("href=\"#description\""), cy = r.body.find("href=\"#description_cy\"");
  ASSERT_LT(en, cy);
  std::string english_part = r.body.substr(en, cy - en), welsh_part = r.body.substr(cy);
  EXPECT_TRUE(has(english_part, "Reading age:")) << english_part;
  EXPECT_FALSE(has(welsh_part, "Reading age:")) << welsh_part;
  EXPECT_TRUE(has(welsh_part, "This text is in Welsh")) << welsh_part;
  EXPECT_TRUE(has(welsh_part, "class=\"cp-plain-sentence\" lang=\"cy\"")) << welsh_part;
}

TEST_F(Welsh, SuggestedAssetKeepsItsWelshThroughModeration) {
  auto person = as(auth::Role::person);
  auto r = person.submit("/assets/new", "/assets/new",
                         {{"name", "Harbour Knitters"}, {"asset_kind", "community_group"}, {"what", "We knit and chat."},
                          {"town", "Lowhaven"}, {"name_cy", "Gwau'r Harbwr"}, {"what_cy", "Rydyn ni'n gwau ac yn sgwrsio."}});
  ASSERT_EQ(r.status, 303) << r.body;
  auto mod = as(auth::Role::admin);
  auto q = mod.get("/assets/queue");
  EXPECT_TRUE(has(q.body, "lang=\"cy\">Gwau&apos;r Harbwr</dd>")) << q.body;
  std::int64_t id = 0;
  {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    id = w->read("SELECT id FROM directory_asset_suggestions WHERE partnership_id = $1").one().i64(0);
  }
  r = mod.submit("/assets/queue", "/assets/suggestions/" + std::to_string(id) + "/approve", {});
  ASSERT_EQ(r.status, 303);
  auto c = test::Client(s.port, "alpha.test");
  auto found = c.get("/services?q=gwau&lang=cy");
  EXPECT_TRUE(has(found.body, ">Gwau&apos;r Harbwr</a>")) << found.body;
  // A Welsh field too long is refused like an English one.
  r = person.submit("/assets/new", "/assets/new",
                    {{"name", "X"}, {"asset_kind", "community_group"}, {"what", "Y."}, {"town", "Z"},
                     {"name_cy", std::string(201, 'a')}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(has(r.body, "href=\"#name_cy\""));
}

TEST_F(Welsh, OrganisationPageListsEntriesAndTellsManagersWhatLacksWelsh) {
  auto m = as(auth::Role::manager, org);
  auto r = m.get("/organisations/" + std::to_string(org));
  ASSERT_EQ(r.status, 200);
  auto advice = r.body.find("/services/" + kAdvice), walk = r.body.find("/services/" + kWalk);
  ASSERT_NE(advice, std::string::npos) << r.body;
  ASSERT_NE(walk, std::string::npos);
  // Money Advice (no Welsh) carries the tag; Shore Walkers (both) does not.
  auto tag = r.body.find("No Welsh version yet", advice);
  EXPECT_NE(tag, std::string::npos);
  EXPECT_LT(tag, walk);
  EXPECT_EQ(r.body.find("No Welsh version yet", walk), std::string::npos);
  // The public sees the list in their language, without the authoring tags.
  test::Client c(s.port, "alpha.test");
  r = c.get("/organisations/" + std::to_string(org) + "?lang=cy");
  EXPECT_TRUE(has(r.body, ">Cerddwyr y Glannau</a>"));
  EXPECT_TRUE(has(r.body, "lang=\"en\">Money Advice</a>"));
  EXPECT_FALSE(has(r.body, "Dim fersiwn Gymraeg eto"));
}

TEST_F(Welsh, OpenReferralNeverShowsTheWelshFields) {
  test::Client c(s.port, "alpha.test");
  auto r = c.get("/openreferral/services/" + kWalk);
  ASSERT_EQ(r.status, 200);
  EXPECT_FALSE(has(r.body, "name_cy"));
  EXPECT_FALSE(has(r.body, "Cerddwyr"));
  EXPECT_EQ(json::parse(r.body).as_object().at("name").as_string(), "Shore Walkers");
}

TEST(DirectoryWelsh, BackupKeepsWelshThroughJsonCsvAndZip) {
  test::TestServer s;
  auto dir = fs::temp_directory_path() / ("coproduce-welsh-" + std::to_string(::getpid()) + "-" + test::backend());
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "feed.json") << kFeed;
  auto r = test::run_cli({"directory", "import", "--db", s.db.url(), "--partnership", "alpha", (dir / "feed.json").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  namespace tab = modules::directory_tabular;
  json::object exported;
  std::string zipped;
  {
    // The JSON and zip exports, as the CLI and the admin page make them.
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
    auto t = tab::read_tables(w.scope());
    exported = tab::nest(t).feed;
    zipped = tab::zip(tab::write_csv(t), 1700000000);
  }
  ASSERT_TRUE(exported.contains("translations"));
  EXPECT_EQ(json::serialize(exported.at("translations")),
            json::serialize(json::parse(kFeed).as_object().at("translations")));

  r = test::run_cli({"directory", "export", "--db", s.db.url(), "--partnership", "alpha", "--format", "csv", (dir / "csv").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string csv = slurp(dir / "csv" / "translations.csv");
  EXPECT_EQ(csv, "service_id,language,name,description\r\n" + kWalk +
                     ",cy,Cerddwyr y Glannau,\"Taith gerdded hamddenol ar lan y môr bob wythnos. Dŵr, tê a sgwrs.\"\r\n");
  EXPECT_TRUE(has(slurp(dir / "csv" / "datapackage.json"), "\"path\":\"translations.csv\""));
  EXPECT_TRUE(has(zipped, "translations.csv"));
  EXPECT_TRUE(has(zipped, "Cerddwyr y Glannau"));

  // The CSV folder restores the Welsh into another partnership, searchable, byte for byte.
  r = test::run_cli({"directory", "import", "--db", s.db.url(), "--partnership", "beta", (dir / "csv").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  {
    auto w = s.app->work(s.beta.id, {}, store::Transaction::Mode::read);
    auto row = w->read("SELECT name_cy, description_cy, search_text_cy FROM directory_services WHERE partnership_id = $1"
                       " AND uuid = $2", {kWalk}).one();
    EXPECT_EQ(row.text(0), "Cerddwyr y Glannau");
    EXPECT_EQ(row.text(1), "Taith gerdded hamddenol ar lan y môr bob wythnos. Dŵr, tê a sgwrs.");
    EXPECT_TRUE(has(row.text(2), "glannau"));
  }

  // A translation for a service that is nowhere: exit 1, where it is, and nothing written.
  fs::create_directories(dir / "bad");
  fs::copy_file(dir / "csv" / "services.csv", dir / "bad" / "services.csv");
  std::ofstream(dir / "bad" / "translations.csv")
      << "service_id,language,name\n" << kWalk << ",cy,Iawn\naaaaaaaa-0000-4000-8000-000000000001,cy,Dim\n";
  {
    auto w = s.app->work(s.beta.id, {std::nullopt, "test", "", ""});
    modules::directory_welsh::set_welsh(w.scope(), w->read("SELECT id FROM directory_services WHERE partnership_id = $1"
                                                           " AND uuid = $2", {kWalk}).one().i64(0), "", "");
    w.commit();
  }
  r = test::run_cli({"directory", "import", "--db", s.db.url(), "--partnership", "beta", (dir / "bad").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has(r.err, "translations.csv line 3, field service_id")) << r.err;
  EXPECT_TRUE(has(r.err, "Nothing was imported.")) << r.err;
  {
    auto w = s.app->work(s.beta.id, {}, store::Transaction::Mode::read);
    EXPECT_EQ(w->read("SELECT name_cy FROM directory_services WHERE partnership_id = $1 AND uuid = $2", {kWalk}).one().text(0), "");
  }
  // A language we do not keep is refused by name.
  tab::Upload up;
  up.name = "bad";
  up.csv["services.csv"] = slurp(dir / "csv" / "services.csv");
  up.csv["translations.csv"] = "service_id,language,name\n" + kWalk + ",ga,Siúlóirí\n";
  try {
    tab::run_import(*s.app, s.beta.id, up, {std::nullopt, "test", "", ""}, {});
    ADD_FAILURE() << "an Irish translation was accepted";
  } catch (const modules::directory_store::ImportError& e) {
    EXPECT_TRUE(has(tab::describe(*s.app, e, "en"), "translations.csv line 2, field language: must be cy"))
        << tab::describe(*s.app, e, "en");
  }
  fs::remove_all(dir);
}

namespace {

// A one-message SMTP server on an ephemeral port: enough of the protocol for the sender, and it
// keeps what was sent.
struct SmtpSink {
  int listener = -1;
  int port = 0;
  std::string received;
  std::thread thread;

  SmtpSink() {
    listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listener, 1);
    socklen_t len = sizeof addr;
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
    thread = std::thread([this] { serve(); });
  }
  ~SmtpSink() {
    ::shutdown(listener, SHUT_RDWR);
    if (thread.joinable()) thread.join();
    ::close(listener);
  }
  // What was sent, once the one connection is over.
  std::string wait() {
    ::shutdown(listener, SHUT_RDWR);
    if (thread.joinable()) thread.join();
    return received;
  }
  void serve() {
    int fd = ::accept(listener, nullptr, nullptr);
    if (fd < 0) return;
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    auto say = [&](const std::string& s) { (void)::write(fd, s.data(), s.size()); };
    say("220 sink\r\n");
    std::string buf;
    bool in_data = false;
    char chunk[4096];
    for (;;) {
      auto n = ::read(fd, chunk, sizeof chunk);
      if (n <= 0) break;
      buf.append(chunk, static_cast<std::size_t>(n));
      std::size_t eol;
      bool quit = false;
      while (!in_data && (eol = buf.find("\r\n")) != std::string::npos) {
        std::string line = buf.substr(0, eol);
        buf.erase(0, eol + 2);
        if (line.rfind("DATA", 0) == 0) {
          say("354 go on\r\n");
          in_data = true;
        } else if (line.rfind("QUIT", 0) == 0) {
          say("221 bye\r\n");
          quit = true;
          break;
        } else {
          say("250 ok\r\n");
        }
      }
      if (in_data) {
        auto end = buf.find("\r\n.\r\n");
        if (end != std::string::npos) {
          received = buf.substr(0, end + 2);
          buf.erase(0, end + 5);
          in_data = false;
          say("250 queued\r\n");
        }
      }
      if (quit) break;
    }
    ::close(fd);
  }
};

std::string base64_decode(const std::string& in) {
  static const std::string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int val = 0, bits = -8;
  for (char c : in) {
    auto p = chars.find(c);
    if (p == std::string::npos) continue;
    val = (val << 6) + static_cast<int>(p);
    bits += 6;
    if (bits >= 0) {
      out += static_cast<char>((val >> bits) & 0xFF);
      bits -= 8;
    }
  }
  return out;
}

}  // namespace

// What the system sends a person later (here the email about their suggestion, sent by the
// background sender) is in the language they chose, not the language of whoever caused it.
TEST_F(Welsh, NoticeOfADecisionReachesThePersonInTheirOwnLanguage) {
  auto person = as(auth::Role::person);
  ASSERT_EQ(person.get("/assets/mine?lang=cy").status, 200);  // chosen while signed in: kept on the account
  auto r = person.submit("/assets/new", "/assets/new",
                         {{"name", "Harbour Knitters"}, {"asset_kind", "community_group"}, {"what", "We knit and chat."},
                          {"town", "Lowhaven"}});
  ASSERT_EQ(r.status, 303) << r.body;
  std::int64_t id = 0;
  {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    id = w->read("SELECT id FROM directory_asset_suggestions WHERE partnership_id = $1").one().i64(0);
  }
  auto mod = as(auth::Role::admin);
  ASSERT_EQ(mod.get("/assets/queue?lang=en").status, 200);
  ASSERT_EQ(mod.submit("/assets/queue", "/assets/suggestions/" + std::to_string(id) + "/approve", {}).status, 303);

  SmtpSink sink;
  s.app->cfg.smtp_host = "127.0.0.1";
  s.app->cfg.smtp_port = sink.port;
  EXPECT_EQ(modules::notifications::send_due(*s.app, now_seconds() + 5), 1);
  s.app->cfg.smtp_host.clear();
  std::string mail = sink.wait();
  EXPECT_TRUE(has(mail, "Content-Language: cy\r\n")) << mail;
  // Decoded, the text part says it in Welsh.
  auto body_start = mail.find("Content-Transfer-Encoding: base64\r\n\r\n");
  ASSERT_NE(body_start, std::string::npos) << mail;
  auto part = mail.substr(body_start + 37, mail.find("--", body_start + 37) - body_start - 37);
  std::string text = base64_decode(part);
  EXPECT_TRUE(has(text, "Diolch. Mae Harbour Knitters yn y cyfeiriadur nawr.")) << text;
  // The moderator, who was using English, gets nothing for their own decision.
  auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
  EXPECT_EQ(w->read("SELECT COUNT(*) FROM notices WHERE partnership_id = $1").one().i64(0), 1);
}
