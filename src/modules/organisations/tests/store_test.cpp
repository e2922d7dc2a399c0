// The directory's storage: slugs, the listed count and generation kept with every write, and paging.
#include <gtest/gtest.h>

#include "modules/organisations/organisations.hpp"
#include "support/harness.hpp"

using namespace cp;
namespace db = modules::organisations_store;

namespace {
modules::OrganisationInput named(const std::string& name) {
  modules::OrganisationInput in;
  in.name = name;
  in.kind = "community_group";
  in.summary = "Meets on Tuesdays.";
  return in;
}
}  // namespace

TEST(OrganisationStore, TakenSlugsGetANumberAndEachCreateIsAuditedOnce) {
  test::TestApp t;
  auto w = t.app->work(t.alpha.id, {std::nullopt, "test", "", ""});
  auto a = db::create(w.scope(), named("Walking Group"));
  auto b = db::create(w.scope(), named("Walking group!"));
  auto c = db::create(w.scope(), named("Walking  Group"));
  EXPECT_EQ(db::get(w.scope(), a)->slug, "walking-group");
  EXPECT_EQ(db::get(w.scope(), b)->slug, "walking-group-2");
  EXPECT_EQ(db::get(w.scope(), c)->slug, "walking-group-3");
  // The inserts that lost on the slug wrote no audit rows: one per organisation.
  auto audits = w->read("SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'organisation.create'");
  EXPECT_EQ(audits.one().i64(0), 3);
  w.commit();  // one writer at a time on SQLite
  // The same slug is free in another partnership.
  auto wb = t.app->work(t.beta.id, {std::nullopt, "test", "", ""});
  EXPECT_EQ(db::get(wb.scope(), db::create(wb.scope(), named("Walking Group")))->slug, "walking-group");
}

TEST(OrganisationStore, CountAndGenerationFollowEveryWrite) {
  test::TestApp t;
  auto w = t.app->work(t.alpha.id, {std::nullopt, "test", "", ""});
  EXPECT_EQ(db::stats(w.scope()).active, 0);
  auto a = db::create(w.scope(), named("One"));
  db::create(w.scope(), named("Two"));
  auto s1 = db::stats(w.scope());
  EXPECT_EQ(s1.active, 2);
  EXPECT_EQ(db::list(w.scope(), "", 1, 20).total, 2);
  ASSERT_EQ(db::update(w.scope(), a, named("One renamed"), std::nullopt), db::UpdateResult::ok);
  auto s2 = db::stats(w.scope());
  EXPECT_EQ(s2.active, 2);
  EXPECT_GT(s2.generation, s1.generation);
  ASSERT_TRUE(db::archive(w.scope(), a));
  EXPECT_FALSE(db::archive(w.scope(), a));  // archiving twice changes nothing
  auto s3 = db::stats(w.scope());
  EXPECT_EQ(s3.active, 1);
  EXPECT_GT(s3.generation, s2.generation);
  EXPECT_EQ(db::list(w.scope(), "", 1, 20).total, 1);
  EXPECT_EQ(db::list(w.scope(), "", 1, 20, true).total, 2);
  // The kept count equals a real count, and beta's is untouched.
  auto real = w->read("SELECT COUNT(*) FROM organisations WHERE partnership_id = $1 AND archived = 0");
  EXPECT_EQ(real.one().i64(0), s3.active);
  auto wb = t.app->work(t.beta.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
  EXPECT_EQ(db::stats(wb.scope()).active, 0);
}

TEST(OrganisationStore, PagesAreInNameOrderAndSearchMatchesWordsLiterally) {
  test::TestApp t;
  auto w = t.app->work(t.alpha.id, {std::nullopt, "test", "", ""});
  for (const char* n : {"Cedar", "apple", "Birch", "50% Club", "under_score"}) db::create(w.scope(), named(n));
  auto p1 = db::list(w.scope(), "", 1, 2);
  ASSERT_EQ(p1.items.size(), 2u);
  EXPECT_EQ(p1.items[0].name, "50% Club");
  EXPECT_EQ(p1.items[1].name, "apple");
  auto p3 = db::list(w.scope(), "", 3, 2);
  ASSERT_EQ(p3.items.size(), 1u);
  EXPECT_EQ(p3.items[0].name, "under_score");
  EXPECT_EQ(p3.total, 5);
  EXPECT_EQ(db::list(w.scope(), "%", 1, 20).total, 1);   // only "50% Club" has a %
  EXPECT_EQ(db::list(w.scope(), "_", 1, 20).total, 1);   // only "under_score" has a _
  EXPECT_EQ(db::list(w.scope(), "BIRCH", 1, 20).total, 1);
  EXPECT_EQ(db::list(w.scope(), "tuesdays", 1, 20).total, 5);  // words in the summary count too
}

TEST(OrganisationStore, ValidationNamesEachField) {
  modules::OrganisationInput in;
  in.website = "javascript:alert(1)";
  in.contact_email = "not an email";
  in.contact_phone = "call me";
  std::vector<std::string> fields;
  for (const auto& p : db::validate(in)) fields.push_back(p.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"name", "kind", "summary", "contact_email", "contact_phone", "website"}));
  EXPECT_TRUE(db::validate(named("Fine")).empty());
}
