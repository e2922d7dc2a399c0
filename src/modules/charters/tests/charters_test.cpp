// Charters: versions, "what changed", publishing, signing and the "please read" notice, through HTTP
// and the module's interface, on both databases.
#include <gtest/gtest.h>

#include "modules/charters/charters.hpp"
#include "modules/charters/tests/fixture.hpp"
#include "support/harness.hpp"

using namespace cp;
using cp::test::Client;
using cp::test::TestServer;
namespace ch = cp::modules::charters;

TEST(ChartersDiff, ParagraphsAddedAndTakenOut) {
  auto d = ch::diff("We pay bus fares.\n\nClaim within one month.\nBe kind.", "We pay bus fares.\nClaim within three months.\nBe kind.\nNew line.");
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& l : d) got.push_back({l.kind, l.text});
  std::vector<std::pair<std::string, std::string>> want = {{"same", "We pay bus fares."},
                                                           {"removed", "Claim within one month."},
                                                           {"added", "Claim within three months."},
                                                           {"same", "Be kind."},
                                                           {"added", "New line."}};
  EXPECT_EQ(got, want);
  EXPECT_TRUE(ch::diff("", "").empty());
  ASSERT_EQ(ch::diff("", "Only new").size(), 1u);
  EXPECT_EQ(ch::diff("", "Only new")[0].kind, "added");
  ASSERT_EQ(ch::diff("Gone", "").size(), 1u);
  EXPECT_EQ(ch::diff("Gone", "")[0].kind, "removed");
}

namespace {

using cp::test::charters::Fixture;

std::vector<std::pair<std::string, std::string>> sections(const std::string& expenses) {
  return {{"roles", "Everyone has an equal say."},
          {"responsibilities", "Come when you can."},
          {"agency_commits", "A warm room."},
          {"disagreements", "Talk to the chair."},
          {"expenses", expenses},
          {"recognition", "Time credits."}};
}

}  // namespace

TEST(Charters, WriteVersionPublishSignAndReadAgain) {
  Fixture f;
  auto staff = f.as("staff");
  auto fields = sections("We pay bus fares.\nClaim within one month.");
  fields.push_back({"title", ""});
  auto bad = staff.submit("/toolkit/charters/new", "/toolkit/charters", fields);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("href=\"#title\""), std::string::npos);
  EXPECT_NE(bad.body.find("Claim within one month."), std::string::npos);  // kept
  fields.back().second = "How we work together";
  auto ok = staff.submit("/toolkit/charters/new", "/toolkit/charters", fields);
  ASSERT_EQ(ok.status, 303);
  std::int64_t cid;
  {
    auto w = f.work();
    auto all = ch::store_fn::charters(w.scope());
    ASSERT_EQ(all.size(), 1u);
    cid = all[0].id;
    EXPECT_FALSE(all[0].current_version_id);
  }
  auto cpath = "/toolkit/charters/" + std::to_string(cid);
  // A draft is not shown to members and asks nobody to sign.
  auto person = f.as("person");
  EXPECT_EQ(person.get(cpath).status, 404);
  EXPECT_TRUE(f.pending(f.person).empty());

  std::int64_t v1;
  {
    auto w = f.work();
    v1 = ch::store_fn::latest(w.scope(), cid)->id;
  }
  auto vpath = "/toolkit/charters/versions/" + std::to_string(v1);
  EXPECT_EQ(person.get(vpath).status, 404);
  ASSERT_EQ(staff.submit(vpath, vpath + "/publish", {}).status, 303);
  // Publishing the same version again is refused.
  EXPECT_EQ(staff.submit(vpath, vpath + "/publish", {}).status, 409);
  auto pend = f.pending(f.person);
  ASSERT_EQ(pend.size(), 1u);
  EXPECT_EQ(pend[0].current_number, 1);
  EXPECT_EQ(pend[0].signed_number, 0);
  EXPECT_EQ(pend[0].href, cpath);

  auto page = person.get(cpath);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Please read our charter"), std::string::npos);
  EXPECT_NE(page.body.find("Claim within one month."), std::string::npos);
  EXPECT_NE(person.get("/toolkit").body.find("Please read our charter"), std::string::npos);
  // The signed-in start page asks too, and links to the charter.
  auto home = person.get("/");
  ASSERT_EQ(home.status, 200);
  EXPECT_NE(home.body.find("Please read our charter"), std::string::npos);
  EXPECT_NE(home.body.find("href=\"" + cpath + "\""), std::string::npos);
  EXPECT_NE(home.body.find("You have not agreed to it yet."), std::string::npos);
  // Not ticked: the error summary, nothing signed.
  auto unticked = person.submit(cpath, cpath + "/sign", {{"version_id", std::to_string(v1)}});
  EXPECT_EQ(unticked.status, 400);
  EXPECT_NE(unticked.body.find("href=\"#agree\""), std::string::npos);
  EXPECT_EQ(f.pending(f.person).size(), 1u);
  ASSERT_EQ(person.submit(cpath, cpath + "/sign", {{"version_id", std::to_string(v1)}, {"agree", "yes"}}).status, 303);
  EXPECT_TRUE(f.pending(f.person).empty());
  auto signed_page = person.get(cpath);
  EXPECT_EQ(signed_page.body.find("Please read our charter"), std::string::npos);
  EXPECT_NE(signed_page.body.find("You agreed to version 1"), std::string::npos);
  EXPECT_EQ(person.get("/toolkit").body.find("Please read our charter"), std::string::npos);
  EXPECT_EQ(person.get("/").body.find("Please read our charter"), std::string::npos);

  // Editing: a change note is needed, and a save with no change is refused.
  auto epath = cpath + "/edit";
  auto same = sections("We pay bus fares.\nClaim within one month.");
  same.push_back({"change_note", "Nothing really"});
  auto nochange = staff.submit(epath, cpath + "/versions", same);
  EXPECT_EQ(nochange.status, 400);
  EXPECT_NE(nochange.body.find("You have not changed anything"), std::string::npos);
  auto changed = sections("We pay bus fares and care costs.\nClaim within one month.");
  auto nonote = staff.submit(epath, cpath + "/versions", changed);
  EXPECT_EQ(nonote.status, 400);
  EXPECT_NE(nonote.body.find("href=\"#change_note\""), std::string::npos);
  changed.push_back({"change_note", "We now pay care costs."});
  auto saved = staff.submit(epath, cpath + "/versions", changed);
  ASSERT_EQ(saved.status, 303);
  auto v2path = saved.header("location");
  auto v2 = std::stoll(v2path.substr(v2path.rfind('/') + 1));
  // A draft changes nothing for members until it is published.
  EXPECT_TRUE(f.pending(f.person).empty());
  auto draft = staff.get(v2path);
  EXPECT_NE(draft.body.find("Added"), std::string::npos);
  EXPECT_NE(draft.body.find("<ins lang=\"en\">We pay bus fares and care costs.</ins>"), std::string::npos);
  EXPECT_NE(draft.body.find("<del lang=\"en\">We pay bus fares.</del>"), std::string::npos);
  ASSERT_EQ(staff.submit(v2path, v2path + "/publish", {}).status, 303);

  // Now the person's signature is older than the current version.
  pend = f.pending(f.person);
  ASSERT_EQ(pend.size(), 1u);
  EXPECT_EQ(pend[0].current_number, 2);
  EXPECT_EQ(pend[0].signed_number, 1);
  auto again = person.get(cpath);
  EXPECT_NE(again.body.find("The charter has changed since you agreed to it."), std::string::npos);
  EXPECT_NE(person.get("/").body.find("The charter has changed since you agreed to it."), std::string::npos);
  // Signing the old version is refused: it is no longer current.
  auto stale = person.submit(cpath, cpath + "/sign", {{"version_id", std::to_string(v1)}, {"agree", "yes"}});
  EXPECT_EQ(stale.status, 409);
  // Old versions stay readable; the version list shows both.
  EXPECT_EQ(person.get(vpath).status, 200);
  auto list = person.get(cpath + "/versions").body;
  EXPECT_NE(list.find("Version 1</a>"), std::string::npos);
  EXPECT_NE(list.find("Version 2</a>"), std::string::npos);
  ASSERT_EQ(person.submit(cpath, cpath + "/sign", {{"version_id", std::to_string(v2)}, {"agree", "yes"}}).status, 303);
  EXPECT_TRUE(f.pending(f.person).empty());
  {
    auto w = f.work();
    auto sigs = ch::store_fn::signatures_of(w.scope(), f.person);
    ASSERT_EQ(sigs.size(), 2u);
    EXPECT_EQ(sigs[0].version_number, 1);
    EXPECT_EQ(sigs[1].version_number, 2);
    EXPECT_EQ(ch::store_fn::sign(w.scope(), v2, f.person), ch::store_fn::Signed::already);
  }

  // Who signed: staff only, and the view is audited.
  EXPECT_EQ(person.get(cpath + "/signatures").status, 403);
  auto sigpage = staff.get(cpath + "/signatures");
  ASSERT_EQ(sigpage.status, 200);
  EXPECT_NE(sigpage.body.find("1 person has agreed to the current version (2)."), std::string::npos);
  {
    auto w = f.work();
    EXPECT_EQ(w->read("SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'charters.signatures_view'")
                  .one()
                  .i64(0),
              1);
  }
  // Another partnership sees nothing of it.
  Client beta(f.s.port, "beta.test");
  EXPECT_NE(beta.get(cpath).status, 200);
  {
    auto w = f.s.app->work(f.s.beta.id, {std::nullopt, "test", "", ""});
    EXPECT_TRUE(ch::store_fn::charters(w.scope()).empty());
    EXPECT_TRUE(ch::needs_signature(w.scope(), f.person).empty());
  }
  // Erasure takes the person's signatures.
  {
    auto w = f.work();
    EXPECT_EQ(ch::store_fn::erase_signatures_of(w.scope(), f.person), 2);
    w.commit();
  }
  EXPECT_EQ(f.pending(f.person).size(), 1u);
}
