// Contribution analysis through its C++ interface and through real HTTP, on both databases.
#include <gtest/gtest.h>

#include "modules/contribution/contribution.hpp"
#include "modules/contribution/diagram.hpp"
#include "modules/tracker/store.hpp"  // to mark actions done (the tracker has no public call for it)
#include "support/harness.hpp"

using namespace cp;
using cp::test::Client;
using cp::test::TestServer;
namespace co = cp::modules::contribution;

namespace {

const std::string kPw = "contribution test password";

struct Fixture {
  TestServer s;
  std::int64_t worker, person, councillor;
  Fixture() {
    auto org = s.add_organisation(s.alpha, "Org");
    worker = s.add_user(s.alpha, "worker@example.org", kPw, auth::Role::worker, org);
    person = s.add_user(s.alpha, "person@example.org", kPw, auth::Role::person);
    councillor = s.add_user(s.alpha, "councillor@example.org", kPw, auth::Role::councillor);
  }
  Client as(const std::string& who) { return signed_in(s, who + "@example.org", kPw); }
  store::Work work() { return s.app->work(s.alpha.id, {std::nullopt, "test", "", ""}); }
  co::Chain chain(std::int64_t id) {
    auto w = work();
    return *co::chain(w.scope(), id);
  }
};

std::string at(std::int64_t id, const std::string& rest = "") {
  return "/toolkit/contribution/" + std::to_string(id) + rest;
}

std::int64_t id_from(const std::string& location) { return std::stoll(location.substr(location.rfind('/') + 1)); }

const co::Step& step(const std::vector<co::Step>& steps, int n) { return steps.at(static_cast<std::size_t>(n - 1)); }

}  // namespace

TEST(Contribution, ChainRulesAndMayneSteps) {
  Fixture f;
  auto w = f.work();
  auto& s = w.scope();
  auto t = co::create_theory(s, "Key workers", "Has key worker support helped people into work?", "");
  {
    auto c = *co::chain(s, t);
    auto st = co::steps(c);
    EXPECT_EQ(step(st, 1).status, "done");
    EXPECT_EQ(step(st, 2).status, "not_started");
    EXPECT_EQ(step(st, 3).status, "not_started");
  }
  EXPECT_THROW(co::create_theory(s, " ", "Q", ""), co::Invalid);
  EXPECT_THROW(co::add_result(s, t, "wishes", "Not a level"), co::Invalid);
  std::vector<std::int64_t> r;
  for (const auto& lv : co::kLevels) r.push_back(co::add_result(s, t, lv, "Result at " + lv));
  // Links join consecutive levels only, in the right direction, once.
  try {
    co::add_link(s, t, r[0], r[2]);
    ADD_FAILURE() << "a link that skips a level was accepted";
  } catch (const co::Invalid& x) {
    EXPECT_EQ(x.key, "error_not_next");
  }
  EXPECT_THROW(co::add_link(s, t, r[1], r[0]), co::Invalid);
  std::vector<std::int64_t> links;
  for (std::size_t i = 0; i + 1 < r.size(); ++i) links.push_back(co::add_link(s, t, r[i], r[i + 1]));
  try {
    co::add_link(s, t, r[0], r[1]);
    ADD_FAILURE() << "a second identical link was accepted";
  } catch (const co::Invalid& x) {
    EXPECT_EQ(x.key, "error_link_exists");
  }
  // A result of another theory cannot be linked in.
  auto other = co::create_theory(s, "Other", "Q?", "");
  auto foreign = co::add_result(s, other, "reactions", "Elsewhere");
  EXPECT_THROW(co::add_link(s, t, r[0], foreign), co::Invalid);

  auto c = *co::chain(s, t);
  EXPECT_EQ(step(co::steps(c), 2).status, "in_progress");  // links say nothing of what they assume
  EXPECT_EQ(step(co::steps(c), 2).count, 4);
  for (auto l : links) co::add_note(s, t, l, "assumption", "Something we assume");
  c = *co::chain(s, t);
  EXPECT_EQ(step(co::steps(c), 2).status, "done");
  EXPECT_EQ(step(co::steps(c), 3).status, "not_started");
  EXPECT_EQ(step(co::steps(c), 4).status, "not_started");
  EXPECT_EQ(step(co::steps(c), 5).status, "not_started");
  for (auto l : c.links) EXPECT_TRUE(co::weak(l));

  // Evidence of each kind, with the checks on each.
  co::Evidence bad;
  bad.kind = "document";
  bad.title = "Report";
  bad.url = "javascript:alert(1)";
  EXPECT_THROW(co::add_evidence(s, t, links[0], bad), co::Invalid);
  bad.url = "https://user:pw@example.org/x";
  EXPECT_THROW(co::add_evidence(s, t, links[0], bad), co::Invalid);
  bad.url = "ftp://example.org/x";
  EXPECT_THROW(co::add_evidence(s, t, links[0], bad), co::Invalid);
  co::Evidence quote;
  quote.kind = "quote";
  quote.quote_text = "It helped me";
  quote.quote_who = "A parent";
  try {
    co::add_evidence(s, t, links[0], quote);
    ADD_FAILURE() << "a quote without agreement was accepted";
  } catch (const co::Invalid& x) {
    EXPECT_EQ(x.field, "quote_consent");
  }
  quote.quote_consent = true;
  co::add_evidence(s, t, links[0], quote);
  co::Evidence unknown;
  unknown.kind = "figure";
  unknown.figure_key = "made_up";
  EXPECT_THROW(co::add_evidence(s, t, links[1], unknown), co::Invalid);
  c = *co::chain(s, t);
  EXPECT_EQ(step(co::steps(c), 3).status, "in_progress");
  EXPECT_EQ(step(co::steps(c), 3).count, 3);

  // Rating needs a reason; a stale version is refused.
  EXPECT_THROW(co::rate(s, t, links[0], "high", "", std::nullopt), co::Invalid);
  EXPECT_THROW(co::rate(s, t, links[0], "certain", "x", std::nullopt), co::Invalid);
  EXPECT_EQ(co::rate(s, t, links[0], "low", "One quote only", std::nullopt), co::Rated::ok);
  EXPECT_EQ(co::rate(s, t, links[0], "medium", "x", 1), co::Rated::conflict);
  EXPECT_EQ(co::rate(s, t, links[0] + 1000, "medium", "x", std::nullopt), co::Rated::not_found);
  c = *co::chain(s, t);
  EXPECT_EQ(step(co::steps(c), 4).status, "in_progress");
  EXPECT_EQ(step(co::steps(c), 5).status, "in_progress");
  EXPECT_EQ(step(co::steps(c), 6).status, "not_started");

  // Step 6: new evidence on the weak link, then rated again.
  co::Evidence doc;
  doc.kind = "document";
  doc.title = "Follow-up survey";
  doc.url = "https://example.org/survey";
  co::add_evidence(s, t, links[0], doc);
  EXPECT_EQ(co::rate(s, t, links[0], "high", "Two sources agree now", std::nullopt), co::Rated::ok);
  c = *co::chain(s, t);
  EXPECT_EQ(step(co::steps(c), 6).status, "done");
  ASSERT_EQ(c.link(links[0])->ratings.size(), 2u);
  EXPECT_EQ(c.link(links[0])->ratings[0].confidence, "low");
  EXPECT_FALSE(co::weak(*c.link(links[0])));

  // Everything rated, with evidence and rival explanations: steps 3, 4 and 5 are done.
  for (auto l : links) {
    co::add_note(s, t, l, "influence", "More jobs nearby");
    if (l == links[0]) continue;
    co::Evidence q = quote;
    co::add_evidence(s, t, l, q);
    co::rate(s, t, l, "medium", "Some evidence", std::nullopt);
  }
  c = *co::chain(s, t);
  auto st = co::steps(c);
  for (int n = 1; n <= 6; ++n) EXPECT_EQ(step(st, n).status, "done") << "step " << n;

  // Removing a result removes its links and what hangs off them.
  EXPECT_TRUE(co::remove_result(s, t, r[1]));
  c = *co::chain(s, t);
  EXPECT_EQ(c.links.size(), 2u);
  EXPECT_FALSE(co::remove_result(s, other, r[0]));  // not that theory's result
  EXPECT_EQ(w->read("SELECT COUNT(*) FROM contribution_evidence WHERE partnership_id = $1").one().i64(0), 2);
  w.commit();

  // Another partnership sees nothing of it.
  auto wb = f.s.app->work(f.s.beta.id, {std::nullopt, "test", "", ""}, store::Transaction::Mode::read);
  EXPECT_FALSE(co::chain(wb.scope(), t).has_value());
  EXPECT_TRUE(co::theories(wb.scope()).empty());
}

TEST(Contribution, FigureKeepsItsValueThenAndShowsItsValueNow) {
  Fixture f;
  std::int64_t t, link;
  {
    auto w = f.work();
    auto& s = w.scope();
    t = co::create_theory(s, "Tracker", "Does acting on what people say help?", "");
    auto a = co::add_result(s, t, "activities", "We act on ideas");
    auto b = co::add_result(s, t, "reactions", "People see things change");
    link = co::add_link(s, t, a, b);
    for (int i = 0; i < 2; ++i) {
      auto id = modules::tracker::agree(s, {"Action " + std::to_string(i), "Team", std::nullopt, "", {}}, 0);
      modules::tracker::move(s, id, "done", "Finished", "", "", 0, std::nullopt);
    }
    co::Evidence e;
    e.kind = "figure";
    e.figure_key = "tracker_done";
    co::add_evidence(s, t, link, e);
    w.commit();
  }
  EXPECT_EQ(f.chain(t).link(link)->evidence.at(0).figure_value, 2);
  {
    auto w = f.work();
    auto id = modules::tracker::agree(w.scope(), {"Another", "Team", std::nullopt, "", {}}, 0);
    modules::tracker::move(w.scope(), id, "done", "Finished", "", "", 0, std::nullopt);
    w.commit();
  }
  auto c = f.as("person");
  auto story = c.get(at(t, "/story"));
  ASSERT_EQ(story.status, 200);
  EXPECT_NE(story.body.find("was 2 on"), std::string::npos);
  EXPECT_NE(story.body.find("now 3"), std::string::npos);
  EXPECT_EQ(f.chain(t).link(link)->evidence.at(0).figure_value, 2);  // the value then is kept
}

TEST(Contribution, WorkerBuildsAChainThroughFormsWithErrorsKept) {
  Fixture f;
  auto c = f.as("worker");
  auto bad = c.submit("/toolkit/contribution/new", "/toolkit/contribution", {{"title", ""}, {"question", ""}, {"summary", "Kept text"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("href=\"#title\""), std::string::npos);
  EXPECT_NE(bad.body.find("href=\"#question\""), std::string::npos);
  EXPECT_NE(bad.body.find("Kept text"), std::string::npos);
  auto ok = c.submit("/toolkit/contribution/new", "/toolkit/contribution",
                     {{"title", "Key worker support"}, {"question", "Has it helped people into work?"}});
  ASSERT_EQ(ok.status, 303);
  auto t = id_from(ok.header("location"));
  auto page = at(t);

  auto no_level = c.submit(page, at(t, "/results"), {{"level", ""}, {"statement", "We meet weekly"}});
  EXPECT_EQ(no_level.status, 400);
  EXPECT_NE(no_level.body.find("href=\"#level\""), std::string::npos);
  EXPECT_NE(no_level.body.find("We meet weekly"), std::string::npos);
  EXPECT_EQ(c.submit(page, at(t, "/results"), {{"level", "activities"}, {"statement", "We meet weekly"}}).status, 303);
  EXPECT_EQ(c.submit(page, at(t, "/results"), {{"level", "reactions"}, {"statement", "People <b>come back</b>"}}).status, 303);
  EXPECT_EQ(c.submit(page, at(t, "/results"), {{"level", "outcomes"}, {"statement", "People get jobs"}}).status, 303);
  auto chain = f.chain(t);
  ASSERT_EQ(chain.results.size(), 3u);
  auto weekly = chain.results[0].id, back = chain.results[1].id, jobs = chain.results[2].id;
  auto shown = c.get(page);
  EXPECT_NE(shown.body.find("People &lt;b&gt;come back&lt;/b&gt;"), std::string::npos);
  EXPECT_EQ(shown.body.find("<b>come back</b>"), std::string::npos);

  auto skip = c.submit(page, at(t, "/links"), {{"from", std::to_string(weekly)}, {"to", std::to_string(jobs)}});
  EXPECT_EQ(skip.status, 400);
  EXPECT_NE(skip.body.find("href=\"#to\""), std::string::npos);
  auto linked = c.submit(page, at(t, "/links"), {{"from", std::to_string(weekly)}, {"to", std::to_string(back)}});
  ASSERT_EQ(linked.status, 303);
  auto link = id_from(linked.header("location"));
  auto lpage = at(t, "/links/" + std::to_string(link));

  auto empty_note = c.submit(lpage, lpage + "/notes", {{"kind", "assumption"}, {"assumption", ""}});
  EXPECT_EQ(empty_note.status, 400);
  EXPECT_NE(empty_note.body.find("href=\"#assumption\""), std::string::npos);
  EXPECT_EQ(c.submit(lpage, lpage + "/notes", {{"kind", "assumption"}, {"assumption", "People can get there"}}).status, 303);
  EXPECT_EQ(c.submit(lpage, lpage + "/notes", {{"kind", "influence"}, {"influence", "A new bus route"}}).status, 303);

  auto bad_url = c.submit(lpage, lpage + "/evidence",
                          {{"kind", "document"}, {"doc_title", "Survey"}, {"doc_url", "javascript:alert(1)"}});
  EXPECT_EQ(bad_url.status, 400);
  EXPECT_NE(bad_url.body.find("href=\"#doc_url\""), std::string::npos);
  EXPECT_NE(bad_url.body.find("value=\"Survey\""), std::string::npos);
  auto no_consent = c.submit(lpage, lpage + "/evidence",
                             {{"kind", "quote"}, {"quote_text", "It helped"}, {"quote_who", "A parent"}});
  EXPECT_EQ(no_consent.status, 400);
  EXPECT_NE(no_consent.body.find("href=\"#quote_consent\""), std::string::npos);
  EXPECT_NE(no_consent.body.find("It helped"), std::string::npos);
  EXPECT_EQ(c.submit(lpage, lpage + "/evidence",
                     {{"kind", "quote"}, {"quote_text", "It helped"}, {"quote_who", "A parent"}, {"quote_consent", "yes"}})
                .status,
            303);
  EXPECT_EQ(c.submit(lpage, lpage + "/evidence",
                     {{"kind", "document"}, {"doc_title", "Survey"}, {"doc_url", "https://example.org/survey"}})
                .status,
            303);
  auto no_reason = c.submit(lpage, lpage + "/confidence", {{"confidence", "high"}, {"reason", ""}});
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_NE(no_reason.body.find("href=\"#reason\""), std::string::npos);
  EXPECT_EQ(c.submit(lpage, lpage + "/confidence", {{"confidence", "medium"}, {"reason", "A quote and a survey agree"}}).status,
            303);
  chain = f.chain(t);
  ASSERT_EQ(chain.links.size(), 1u);
  EXPECT_EQ(chain.links[0].confidence, "medium");
  EXPECT_EQ(chain.links[0].evidence.size(), 2u);
  EXPECT_EQ(chain.links[0].notes.size(), 2u);

  // The story: the narrative, the weak flag gone from this link, the diagram and its text twin.
  auto story = c.get(at(t, "/story"));
  ASSERT_EQ(story.status, 200);
  EXPECT_NE(story.body.find("<svg class=\"cp-chain\""), std::string::npos);
  EXPECT_NE(story.body.find("A quote and a survey agree"), std::string::npos);
  EXPECT_NE(story.body.find("A new bus route"), std::string::npos);
  EXPECT_NE(story.body.find("href=\"https://example.org/survey\""), std::string::npos);
  EXPECT_NE(story.body.find("No link is weak."), std::string::npos);
  // Welsh readers get the Welsh page.
  EXPECT_NE(c.get(at(t, "/story?lang=cy")).body.find("Stori cyfraniad"), std::string::npos);
  c.get(at(t, "?lang=en"));

  // Removing: evidence, then the link.
  auto ev = chain.links[0].evidence[0].id;
  EXPECT_EQ(c.submit(lpage, at(t, "/evidence/" + std::to_string(ev) + "/delete"), {}).status, 303);
  EXPECT_EQ(f.chain(t).links[0].evidence.size(), 1u);
  EXPECT_EQ(c.submit(lpage, lpage + "/delete", {}).status, 303);
  EXPECT_TRUE(f.chain(t).links.empty());
  EXPECT_EQ(c.get(lpage).status, 404);
}

TEST(Contribution, MembersReadStaffWriteOtherPartnershipsSeeNothing) {
  Fixture f;
  std::int64_t t;
  {
    auto w = f.work();
    t = co::create_theory(w.scope(), "Shared theory", "Did it help?", "");
    w.commit();
  }
  Client anon(f.s.port);
  EXPECT_EQ(anon.get("/toolkit/contribution").status, 303);  // sign in first
  auto p = f.as("person");
  auto list = p.get("/toolkit/contribution");
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("Shared theory"), std::string::npos);
  EXPECT_EQ(list.body.find("Start a theory of change"), std::string::npos);
  EXPECT_EQ(p.get(at(t)).status, 200);
  EXPECT_EQ(p.get(at(t)).body.find("Add the result"), std::string::npos);
  EXPECT_EQ(p.submit(at(t), at(t, "/results"), {{"level", "activities"}, {"statement", "x"}}).status, 403);
  auto cl = f.as("councillor");
  EXPECT_EQ(cl.get(at(t, "/story")).status, 200);
  EXPECT_EQ(cl.get("/toolkit/contribution/new").status, 403);
  EXPECT_EQ(p.get(at(t + 1000)).status, 404);
  EXPECT_EQ(p.get("/toolkit/contribution/abc").status, 404);
  // Conflicting edit of the theory is refused with 409 and the form again.
  auto wk = f.as("worker");
  auto stale = wk.submit(at(t, "/edit"), at(t), {{"title", "New name"}, {"question", "Q?"}, {"version", "99"}});
  EXPECT_EQ(stale.status, 409);
}

TEST(Contribution, DiagramEscapesAndDrawsEveryLink) {
  co::Chain c;
  c.theory.id = 7;
  c.results = {{1, 7, "activities", "We <meet> & talk", 1}, {2, 7, "reactions", std::string(500, 'x'), 1}};
  co::Link l;
  l.id = 3;
  l.from_result = 1;
  l.to_result = 2;
  l.confidence = "low";
  c.links.push_back(l);
  co::DiagramText text{"Title \"q\"", "Desc", "Empty", [](const std::string& lv) { return "L:" + lv; }};
  auto svg = co::chain_svg(c, text);
  EXPECT_NE(svg.find("We &lt;meet&gt; &amp; talk"), std::string::npos);
  EXPECT_EQ(svg.find("<meet>"), std::string::npos);
  EXPECT_NE(svg.find("Title &quot;q&quot;"), std::string::npos);
  EXPECT_NE(svg.find("stroke-dasharray=\"8 5\""), std::string::npos);  // low: dashed
  EXPECT_NE(svg.find("L:outcomes"), std::string::npos);
  EXPECT_NE(svg.find("Empty"), std::string::npos);
  EXPECT_NE(svg.find("\xE2\x80\xA6"), std::string::npos);  // the long result is cut with an ellipsis
  std::size_t lines = 0;
  for (auto p = svg.find("<line"); p != std::string::npos; p = svg.find("<line", p + 1)) ++lines;
  EXPECT_EQ(lines, 1u);
}

TEST(Contribution, WebAddressCheck) {
  EXPECT_TRUE(co::valid_web_address("https://example.org"));
  EXPECT_TRUE(co::valid_web_address("http://example.org/a?b=c#d"));
  EXPECT_FALSE(co::valid_web_address("example.org"));
  EXPECT_FALSE(co::valid_web_address("https://"));
  EXPECT_FALSE(co::valid_web_address("https://exa mple.org"));
  EXPECT_FALSE(co::valid_web_address("https://a\"onmouseover=x"));
  EXPECT_FALSE(co::valid_web_address("data:text/html,hi"));
}
