// People's records over real HTTP: the person keeps their own record, a worker reaches it only on
// their caseload and with consent (refusals are 403 and logged), the person sees who looked,
// withdrawal works at once, restricted notes need a reason and stay hidden, a stale plan save loses
// nothing, the caseload lists the worker's own people, and another partnership's ids are 404.
#include <gtest/gtest.h>

#include "modules/demo/demo.hpp"
#include "modules/journeys/journeys.hpp"
#include "support/harness.hpp"

using namespace cp;
namespace db = modules::journeys_store;

namespace {

const std::string kPassword = "journeys test password";

struct Journeys : ::testing::Test {
  test::TestServer s;
  std::int64_t org = 0, other_org = 0, person_user = 0, worker_user = 0;
  test::Client person{s.port}, worker{s.port};

  void SetUp() override {
    org = s.add_organisation(s.alpha, "Fife Works");
    other_org = s.add_organisation(s.alpha, "Other Org");
    person_user = s.add_user(s.alpha, "jo@example.org", kPassword, auth::Role::person);
    worker_user = s.add_user(s.alpha, "sam@example.org", kPassword, auth::Role::worker, org);
    ASSERT_EQ(person.sign_in("jo@example.org", kPassword).status, 303);
    ASSERT_EQ(worker.sign_in("sam@example.org", kPassword).status, 303);
  }

  std::int64_t count(const std::string& sql, store::Params p = {}) {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    return w->read(sql, std::move(p)).one().i64(0);
  }

  // The worker takes the person (by their account's email) onto the caseload; returns the record id.
  std::int64_t take_on() {
    auto r = worker.submit("/people/new", "/people/new", {{"name", "Jo"}, {"email", "jo@example.org"}});
    EXPECT_EQ(r.status, 303);
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    return db::person_for_user(w.scope(), person_user)->id;
  }

  test::HttpResult consent(std::int64_t organisation, const std::vector<std::string>& parts) {
    std::vector<std::pair<std::string, std::string>> f = {{"organisation", std::to_string(organisation)}};
    for (const auto& p : parts) f.emplace_back("parts", p);
    return person.submit("/me/consents", "/me/consents", f);
  }

  test::HttpResult open(std::int64_t id, const std::string& part, const std::string& reason = "review_plan") {
    return worker.get("/people/" + std::to_string(id) + "?part=" + part + "&reason=" + reason);
  }
};

}  // namespace

TEST_F(Journeys, PersonWritesAndChangesTheirOwnRecord) {
  auto r = person.submit("/me/record", "/me/record",
                         {{"what_matters", "My two girls"}, {"strengths", "I am good with people"},
                          {"contact_pref", "Text after 3pm"}, {"language", "cy"}});
  EXPECT_EQ(r.status, 303);
  auto page = person.get("/me/record");
  EXPECT_NE(page.body.find("My two girls"), std::string::npos);
  EXPECT_NE(page.body.find("Text after 3pm"), std::string::npos);
  // Too long: a clear error, what was typed is kept, nothing saved.
  r = person.submit("/me/record", "/me/record",
                    {{"what_matters", std::string(4001, 'a')}, {"strengths", "Kept text"}, {"language", "en"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("govuk-error-summary"), std::string::npos);
  EXPECT_NE(r.body.find("Kept text"), std::string::npos);
  EXPECT_NE(person.get("/me/record").body.find("My two girls"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_people WHERE partnership_id = $1 AND what_matters = $2", {"My two girls"}), 1);
}

TEST_F(Journeys, WorkerNeedsCaseloadAndConsentAndEveryOpeningIsLogged) {
  person.submit("/me/record", "/me/record", {{"what_matters", "Getting back to work"}, {"language", "en"}});
  auto id = take_on();
  // On the caseload but no consent: refused, and the refusal is logged.
  EXPECT_EQ(open(id, "profile").status, 403);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_access_log WHERE partnership_id = $1 AND person_id = $2 AND outcome = 'refused'", {id}), 1);
  EXPECT_EQ(consent(org, {"profile"}).status, 303);
  auto r = open(id, "profile");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("Getting back to work"), std::string::npos);
  // Consent for the profile is not consent for notes.
  EXPECT_EQ(open(id, "notes").status, 403);
  // Without a reason the worker is asked for one and nothing is shown or logged as opened.
  r = worker.get("/people/" + std::to_string(id));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body.find("Getting back to work"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_access_log WHERE partnership_id = $1 AND outcome = 'opened'"), 1);
  // Another worker, whose organisation has consent but who is not the key worker, is refused.
  s.add_user(s.alpha, "kim@example.org", kPassword, auth::Role::worker, org);
  test::Client kim(s.port);
  kim.sign_in("kim@example.org", kPassword);
  EXPECT_EQ(kim.get("/people/" + std::to_string(id) + "?part=profile&reason=follow_up").status, 403);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_access_log WHERE partnership_id = $1 AND outcome = 'refused'"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'person_record.view'"), 1);
  // The person sees who looked, which part, why, and the refusals.
  auto views = person.get("/me/record/views");
  EXPECT_EQ(views.status, 200);
  EXPECT_NE(views.body.find("To review the plan"), std::string::npos);
  EXPECT_NE(views.body.find("Fife Works"), std::string::npos);
  EXPECT_NE(views.body.find("Not allowed"), std::string::npos);
}

TEST_F(Journeys, WithdrawingConsentWorksAtOnceAndHistoryIsKept) {
  auto id = take_on();
  consent(org, {"profile", "plan"});
  EXPECT_EQ(open(id, "plan").status, 200);
  EXPECT_EQ(consent(org, {"profile"}).status, 303);
  EXPECT_EQ(open(id, "plan").status, 403);
  EXPECT_EQ(open(id, "profile").status, 200);
  auto page = person.get("/me/consents");
  EXPECT_NE(page.body.find("You said yes"), std::string::npos);
  EXPECT_NE(page.body.find("You said no"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_consent_events WHERE partnership_id = $1 AND person_id = $2", {id}), 3);
  // An organisation outside the partnership (or made up) is refused with a clear message.
  auto r = consent(999999, {"profile"});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("Choose an organisation from the list"), std::string::npos);
}

TEST_F(Journeys, RestrictedNoteNeedsAReasonAndIsHiddenButShownToExist) {
  auto id = take_on();
  consent(org, {"notes"});
  std::string action = "/people/" + std::to_string(id) + "/notes";
  auto r = worker.submit("/caseload", action,
                         {{"kind", "call"}, {"talked_about", "Private matter about a neighbour"}, {"restricted", "1"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("Choose a reason to hide this note"), std::string::npos);
  EXPECT_NE(r.body.find("Private matter about a neighbour"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_notes WHERE partnership_id = $1"), 0);
  r = worker.submit("/caseload", action,
                    {{"kind", "call"}, {"talked_about", "Private matter about a neighbour"}, {"restricted", "1"},
                     {"restrict_reason", "third_party"}});
  EXPECT_EQ(r.status, 303);
  r = worker.submit("/caseload", action,
                    {{"kind", "meeting"}, {"talked_about", "Talked about the forklift course"}, {"strengths", "Very organised"}});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'journey_note.restrict'"), 1);
  auto mine = person.get("/me/notes");
  EXPECT_NE(mine.body.find("forklift course"), std::string::npos);
  EXPECT_NE(mine.body.find("Very organised"), std::string::npos);
  EXPECT_EQ(mine.body.find("neighbour"), std::string::npos);
  EXPECT_NE(mine.body.find("not shown to you"), std::string::npos);
  // The worker sees both, the restricted one marked.
  auto staff = open(id, "notes");
  EXPECT_NE(staff.body.find("neighbour"), std::string::npos);
  EXPECT_NE(staff.body.find("Not shown to the person"), std::string::npos);
}

TEST_F(Journeys, StalePlanSaveIsDetectedAndLosesNothing) {
  auto id = take_on();
  consent(org, {"plan"});
  EXPECT_EQ(person.submit("/me/plan", "/me/plan/goals", {{"goal", "I want to drive"}}).status, 303);
  std::int64_t goal = 0, step = 0;
  {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    goal = db::goals(w.scope(), id).at(0).id;
  }
  // The worker adds a step to the person's plan.
  auto r = worker.submit("/caseload", "/people/" + std::to_string(id) + "/plan/steps",
                         {{"goal_id", std::to_string(goal)}, {"action", "Book a theory test"}, {"who", "person"},
                          {"due_day", "31"}, {"due_month", "2"}, {"due_year", "2027"}, {"reason", "review_plan"}});
  EXPECT_EQ(r.status, 400);  // 31 February is not a date
  EXPECT_NE(r.body.find("Book a theory test"), std::string::npos);
  r = worker.submit("/caseload", "/people/" + std::to_string(id) + "/plan/steps",
                    {{"goal_id", std::to_string(goal)}, {"action", "Book a theory test"}, {"who", "person"},
                     {"due_day", "28"}, {"due_month", "2"}, {"due_year", "2027"}, {"reason", "review_plan"}});
  EXPECT_EQ(r.status, 303);
  {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    auto steps = db::steps(w.scope(), id);
    ASSERT_EQ(steps.size(), 1u);
    step = steps[0].id;
    EXPECT_EQ(steps[0].due_on, "2027-02-28");
  }
  std::string path = "/plan/steps/" + std::to_string(step);
  // Both open the step at version 1; the person saves first.
  EXPECT_EQ(person.get(path).status, 200);
  EXPECT_EQ(worker.get(path + "?reason=review_plan").status, 200);
  r = person.submit(path, path, {{"action", "Book a theory test"}, {"who", "person"}, {"status", "in_progress"},
                                  {"person_notes", "I booked it for March"}, {"version", "1"}});
  EXPECT_EQ(r.status, 303);
  r = worker.submit("/caseload", path, {{"action", "Book and pass the theory test"}, {"who", "keyworker"},
                                         {"status", "not_started"}, {"version", "1"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.body.find("Someone else saved a change"), std::string::npos);
  EXPECT_NE(r.body.find("Book and pass the theory test"), std::string::npos);  // what the worker typed
  EXPECT_NE(r.body.find("I booked it for March"), std::string::npos);          // what is saved
  EXPECT_NE(r.body.find("name=\"version\" value=\"2\""), std::string::npos);
  {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    auto st = db::step(w.scope(), step);
    EXPECT_EQ(st->person_notes, "I booked it for March");
    EXPECT_EQ(st->version, 2);
    EXPECT_EQ(db::plan_history(w.scope(), "step", step).size(), 2u);
  }
  // Saving again, knowingly, over version 2 works and is version 3 in the history.
  r = worker.submit("/caseload", path, {{"action", "Book and pass the theory test"}, {"who", "keyworker"},
                                         {"status", "not_started"}, {"version", "2"}});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_plan_history WHERE partnership_id = $1 AND item_type = 'step'"), 3);
  // The goal is versioned the same way.
  r = worker.submit("/caseload", "/plan/goals/" + std::to_string(goal), {{"goal", "Drive to work"}, {"version", "1"}});
  EXPECT_EQ(r.status, 303);
  r = person.submit("/me/plan", "/plan/goals/" + std::to_string(goal), {{"goal", "Drive my kids"}, {"version", "1"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.body.find("Drive my kids"), std::string::npos);
  EXPECT_NE(r.body.find("Drive to work"), std::string::npos);
}

TEST_F(Journeys, CaseloadListsTheWorkersOwnPeople) {
  auto id = take_on();
  EXPECT_EQ(worker.submit("/people/new", "/people/new", {{"name", "Alex Without Phone"}}).status, 303);
  s.add_user(s.alpha, "kim@example.org", kPassword, auth::Role::worker, other_org);
  test::Client kim(s.port);
  kim.sign_in("kim@example.org", kPassword);
  EXPECT_EQ(kim.submit("/people/new", "/people/new", {{"name", "Someone Else Entirely"}}).status, 303);
  // An overdue step for Jo.
  {
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
    auto g = db::add_goal(w.scope(), id, "Work", {0, "test"});
    modules::journeys::StepInput in;
    in.action = "Old step";
    in.who = "person";
    in.due_on = "2001-01-01";
    db::add_step(w.scope(), id, g, in, {0, "test"});
    w.commit();
  }
  auto page = worker.get("/caseload?sort=overdue");
  EXPECT_EQ(page.status, 200);
  auto jo = page.body.find(">Jo<"), alex = page.body.find("Alex Without Phone");
  EXPECT_NE(jo, std::string::npos);
  EXPECT_NE(alex, std::string::npos);
  EXPECT_LT(jo, alex);  // most overdue first
  EXPECT_EQ(page.body.find("Someone Else Entirely"), std::string::npos);
  EXPECT_NE(page.body.find("Overdue steps: 1"), std::string::npos);
  EXPECT_LT(worker.get("/caseload?sort=name").body.find("Alex Without Phone"), worker.get("/caseload?sort=name").body.find(">Jo<"));
  // Filtered to people with no recent contact: both, as nobody has a note yet.
  EXPECT_NE(worker.get("/caseload?quiet=1").body.find("Alex Without Phone"), std::string::npos);
  // A person cannot see a caseload.
  EXPECT_EQ(person.get("/caseload").status, 403);
}

TEST_F(Journeys, AnotherPartnershipsRecordsAreNotFound) {
  auto id = take_on();
  consent(org, {"profile", "plan", "notes"});
  auto beta_org = s.add_organisation(s.beta, "Beta Org");
  s.add_user(s.beta, "bw@example.org", kPassword, auth::Role::worker, beta_org);
  test::Client beta(s.port, "beta.test");
  ASSERT_EQ(beta.sign_in("bw@example.org", kPassword).status, 303);
  EXPECT_EQ(beta.get("/people/" + std::to_string(id) + "?part=profile&reason=review_plan").status, 404);
  EXPECT_EQ(beta.get("/people/" + std::to_string(id) + "/notes/new").status, 404);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_access_log WHERE partnership_id = $1"), 0);
}

// Someone without an account: the key worker records their choices after asking them (and must say
// so), the history names the worker, and once the record is linked to the person's account only
// the person decides.
TEST_F(Journeys, KeyWorkerRecordsChoicesForSomeoneWithoutAnAccountUntilTheyHaveOne) {
  EXPECT_EQ(worker.submit("/people/new", "/people/new", {{"name", "Alex Without Phone"}}).status, 303);
  std::int64_t id = 0;
  {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    id = w->read("SELECT id FROM journey_people WHERE partnership_id = $1 AND name = $2", {"Alex Without Phone"}).one().i64(0);
  }
  std::string base = "/people/" + std::to_string(id);
  EXPECT_EQ(open(id, "profile").status, 403);
  auto r = worker.submit(base + "/consents", base + "/consents", {{"parts", "profile"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("Tick the box to confirm you asked them"), std::string::npos);
  EXPECT_EQ(worker.submit(base + "/consents", base + "/consents", {{"parts", "profile"}, {"asked", "1"}}).status, 303);
  EXPECT_EQ(open(id, "profile").status, 200);
  // The worker writes the profile with them, in their words; too long keeps what was typed.
  auto r2 = worker.submit("/caseload", base + "/profile", {{"what_matters", "My dog and my allotment"},
                                                           {"contact_pref", std::string(301, 'x')}, {"language", "en"}});
  EXPECT_EQ(r2.status, 400);
  EXPECT_NE(r2.body.find("My dog and my allotment"), std::string::npos);
  EXPECT_EQ(worker.submit("/caseload", base + "/profile", {{"what_matters", "My dog and my allotment"}, {"language", "en"}}).status, 303);
  EXPECT_NE(open(id, "profile").body.find("My dog and my allotment"), std::string::npos);
  // The history says the worker recorded it, not the person.
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_consent_events WHERE partnership_id = $1 AND person_id = $2 AND by_user = $3",
                  {id, worker_user}),
            1);
  // Another worker cannot record choices for someone not on their caseload.
  s.add_user(s.alpha, "kim@example.org", kPassword, auth::Role::worker, org);
  test::Client kim(s.port);
  kim.sign_in("kim@example.org", kPassword);
  EXPECT_EQ(kim.submit("/caseload", base + "/consents", {{"parts", "notes"}, {"asked", "1"}}).status, 403);
  // The person gets an account; the worker links it; the person now sees the record and its history.
  s.add_user(s.alpha, "alex@example.org", kPassword, auth::Role::person);
  r = worker.submit(base + "/consents", base + "/account", {{"email", "nobody@example.org"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(worker.submit(base + "/consents", base + "/account", {{"email", "alex@example.org"}}).status, 303);
  test::Client alex(s.port);
  alex.sign_in("alex@example.org", kPassword);
  auto choices = alex.get("/me/consents");
  EXPECT_NE(choices.body.find("You said yes"), std::string::npos);
  EXPECT_NE(choices.body.find("Fife Works"), std::string::npos);
  EXPECT_EQ(worker.get(base + "/consents").status, 403);
  // Now the person writes their own words; the worker no longer types them.
  EXPECT_EQ(worker.get(base + "/profile").status, 403);
  EXPECT_NE(alex.get("/me/record").body.find("My dog and my allotment"), std::string::npos);
  // Linking Jo's account, which already has a record, to another record is refused.
  person.submit("/me/record", "/me/record", {{"what_matters", "x"}, {"language", "en"}});
  EXPECT_EQ(worker.submit("/people/new", "/people/new", {{"name", "Another"}}).status, 303);
  auto another = count("SELECT id FROM journey_people WHERE partnership_id = $1 AND name = $2", {"Another"});
  std::string other = "/people/" + std::to_string(another);
  r = worker.submit(other + "/consents", other + "/account", {{"email", "jo@example.org"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("already has a record"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_people WHERE partnership_id = $1 AND user_id = $2", {person_user}), 1);
}

// The demo person is on the demo worker's caseload with a profile, consents, a plan and notes, and
// loading the demo again adds nothing.
TEST(JourneysDemo, DemoPersonIsOnTheDemoWorkersCaseloadOnce) {
  test::TestServer s;
  auto demo = s.app->create_partnership("demo", "Demo", "demo.test", "");
  modules::load_demo(*s.app);
  modules::load_demo(*s.app);
  auto password = [](const std::string& role) {
    for (const auto& a : modules::demo_accounts())
      if (a.role == role) return a.password;
    return std::string();
  };
  test::Client worker(s.port, "demo.test"), person(s.port, "demo.test");
  ASSERT_EQ(worker.sign_in("worker@demo.example", password("worker")).status, 303);
  ASSERT_EQ(person.sign_in("person@demo.example", password("person")).status, 303);
  auto caseload = worker.get("/caseload");
  EXPECT_NE(caseload.body.find("Jo Morrison"), std::string::npos);
  EXPECT_NE(caseload.body.find("Alex Reid"), std::string::npos);
  EXPECT_NE(caseload.body.find("People: 55"), std::string::npos);
  EXPECT_NE(person.get("/me/record").body.find("My two girls"), std::string::npos);
  EXPECT_NE(person.get("/me/notes").body.find("school fair"), std::string::npos);
  EXPECT_NE(person.get("/me/plan").body.find("I want to learn to drive"), std::string::npos);
  auto w = s.app->work(demo.id, {}, store::Transaction::Mode::read);
  // 5 journeys demo people and the learning lens's 50, all on this worker's caseload, none twice.
  EXPECT_EQ(w->read("SELECT COUNT(*) FROM journey_people WHERE partnership_id = $1").one().i64(0), 55);
}
