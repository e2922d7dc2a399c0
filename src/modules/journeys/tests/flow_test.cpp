// The rest of a person's journey over real HTTP: choosing between partners' options, referrals with
// consent (and what happens when consent is taken back), pipeline stages, outcomes and the
// sustained-employment checks on the caseload, the manager's caseload sizes, and a profile saved
// from two tabs. Each bad input from the issue gets its own check: dates out of range, an unknown
// service, a referral outside the partnership, a worker without consent (403 and logged).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/util.hpp"
#include "modules/capabilities/tests/people_fixture.hpp"
#include "modules/directory/directory.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/organisations/organisations.hpp"
#include "support/harness.hpp"

using namespace cp;
namespace db = modules::journeys_store;
namespace json = boost::json;

namespace {

const std::string kPassword = "journeys flow test password";
const std::string kTerms = "11111111-0000-4000-8000-0000000000";

std::string uuid(int group, int n) {
  char b[64];
  std::snprintf(b, sizeof b, "%08d-0000-4000-8000-%012d", group, n);
  return b;
}

// A service near KY1 1AB run by `org_name`, linked to the "work" term and to pipeline stage terms.
std::string service(int n, const std::string& name, const std::string& org_name, int org_n, double lat, double lon,
                    const std::vector<int>& stages, const std::string& extra = "") {
  std::string attrs = "{\"id\":\"" + uuid(5, n * 10) + "\",\"taxonomy_term_id\":\"" + uuid(1, 1) + "\"}";
  for (int st : stages)
    attrs += ",{\"id\":\"" + uuid(5, n * 10 + st) + "\",\"taxonomy_term_id\":\"" + uuid(1, 10 + st) + "\"}";
  return "{\"id\":\"" + uuid(2, n) + "\",\"name\":\"" + name + "\",\"description\":\"Help into kitchen work.\"," +
         "\"status\":\"active\"" + extra + ",\"organization\":{\"id\":\"" + uuid(3, org_n) + "\",\"name\":\"" + org_name +
         "\",\"description\":\"A partner.\"},\"service_at_locations\":[{\"id\":\"" + uuid(4, n) +
         "\",\"location\":{\"id\":\"" + uuid(6, n) + "\",\"location_type\":\"physical\",\"latitude\":" +
         std::to_string(lat) + ",\"longitude\":" + std::to_string(lon) + "}}],\"cost_options\":[{\"id\":\"" + uuid(7, n) +
         "\",\"option\":\"Free\",\"amount\":0}],\"attributes\":[" + attrs + "]}";
}

std::string feed(const std::string& services) {
  std::string terms = "{\"id\":\"" + uuid(1, 1) + "\",\"name\":\"Work\",\"description\":\"Jobs.\"}";
  for (int st = 1; st <= 5; ++st)
    terms += ",{\"id\":\"" + uuid(1, 10 + st) + "\",\"name\":\"Stage " + std::to_string(st) +
             "\",\"description\":\"Pipeline stage.\",\"term\":\"pipeline-stage-" + std::to_string(st) + "\"}";
  return "{\"taxonomies\":[{\"id\":\"" + uuid(1, 0) + "\",\"name\":\"Topics\",\"description\":\"Test.\",\"taxonomy_terms\":[" +
         terms + "]}],\"services\":[" + services + "]}";
}

struct Flow : ::testing::Test {
  test::TestServer s;
  std::int64_t org = 0, college = 0, jobs = 0, person_user = 0, sam = 0;
  std::int64_t course = 0, club = 0, over50 = 0, far = 0, beta_service = 0;
  test::Client person{s.port}, worker{s.port}, tutor{s.port}, manager{s.port};

  std::int64_t service_id(const app::Partnership& p, const std::string& uuid) {
    auto w = s.app->work(p.id, {}, store::Transaction::Mode::read);
    return w->read("SELECT id FROM directory_services WHERE partnership_id = $1 AND uuid = $2", {uuid}).one().i64(0);
  }

  void SetUp() override {
    test::people::load_postcodes(*s.app);
    org = s.add_organisation(s.alpha, "Fife Works");
    {
      auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
      modules::directory_store::import_feed(
          w.scope(), json::parse(feed(service(1, "Kitchen skills course", "Harbour College", 1, 56.0990, -3.1660, {3}) +
                                      "," + service(2, "Kitchen job club", "Shore Jobs", 2, 56.0992, -3.1655, {4}) + "," +
                                      service(3, "Kitchen start for over 50s", "Shore Jobs", 2, 56.0991, -3.1661, {},
                                              ",\"minimum_age\":50") +
                                      "," + service(4, "Far kitchen course", "Harbour College", 1, 56.1772, -3.0282, {}))));
      w.commit();
      college = *modules::organisations_store::find_by_slug(w.scope(), "harbour-college");
      jobs = *modules::organisations_store::find_by_slug(w.scope(), "shore-jobs");
    }
    {
      auto w = s.app->work(s.beta.id, {std::nullopt, "test", "", ""});
      modules::directory_store::import_feed(
          w.scope(), json::parse(feed(service(9, "Beta kitchen course", "Beta College", 9, 56.0990, -3.1660, {}))));
      w.commit();
    }
    course = service_id(s.alpha, uuid(2, 1));
    club = service_id(s.alpha, uuid(2, 2));
    over50 = service_id(s.alpha, uuid(2, 3));
    far = service_id(s.alpha, uuid(2, 4));
    beta_service = service_id(s.beta, uuid(2, 9));
    person_user = s.add_user(s.alpha, "jo@example.org", kPassword, auth::Role::person);
    sam = s.add_user(s.alpha, "sam@example.org", kPassword, auth::Role::worker, org);
    s.add_user(s.alpha, "tia@example.org", kPassword, auth::Role::worker, college);
    s.add_user(s.alpha, "mo@example.org", kPassword, auth::Role::manager, org);
    ASSERT_EQ(person.sign_in("jo@example.org", kPassword).status, 303);
    ASSERT_EQ(worker.sign_in("sam@example.org", kPassword).status, 303);
    ASSERT_EQ(tutor.sign_in("tia@example.org", kPassword).status, 303);
    ASSERT_EQ(manager.sign_in("mo@example.org", kPassword).status, 303);
  }

  std::int64_t count(const std::string& sql, store::Params p = {}) {
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    return w->read(sql, std::move(p)).one().i64(0);
  }

  // Jo on Sam's caseload, with these parts consented for Fife Works; returns the record id.
  std::int64_t jo(const std::vector<std::string>& parts = {"profile", "plan", "notes", "outcomes"}) {
    EXPECT_EQ(worker.submit("/people/new", "/people/new", {{"name", "Jo"}, {"email", "jo@example.org"}}).status, 303);
    consent(org, parts);
    auto w = s.app->work(s.alpha.id, {}, store::Transaction::Mode::read);
    return db::person_for_user(w.scope(), person_user)->id;
  }

  test::HttpResult consent(std::int64_t organisation, const std::vector<std::string>& parts) {
    std::vector<std::pair<std::string, std::string>> f = {{"organisation", std::to_string(organisation)}};
    for (const auto& p : parts) f.emplace_back("parts", p);
    return person.submit("/me/consents", "/me/consents", f);
  }

  std::int64_t goal(std::int64_t person_id, const std::string& text) {
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
    auto id = db::add_goal(w.scope(), person_id, text, {0, "test"});
    w.commit();
    return id;
  }

  std::string options(std::int64_t goal_id, test::Client& c, const std::string& query = "") {
    auto r = c.get("/plan/goals/" + std::to_string(goal_id) + "/options" + query);
    EXPECT_EQ(r.status, 200) << r.body.substr(0, 400);
    return r.body;
  }

  static bool has(const std::string& body, const std::string& text) { return body.find(text) != std::string::npos; }

  // A referral from Sam to the college's course carrying `parts`; returns its id.
  std::int64_t refer(std::int64_t person_id, const std::vector<std::string>& parts) {
    std::vector<std::pair<std::string, std::string>> f = {{"service", std::to_string(course)}, {"reason", "follow_up"}};
    for (const auto& p : parts) f.emplace_back("parts", p);
    auto r = worker.submit("/people/" + std::to_string(person_id) + "/referrals/new?reason=follow_up",
                           "/people/" + std::to_string(person_id) + "/referrals", f);
    EXPECT_EQ(r.status, 303) << r.body.substr(0, 2000);
    return count("SELECT MAX(id) FROM journey_referrals WHERE partnership_id = $1");
  }
};

}  // namespace

TEST_F(Flow, OptionsComeFromAllPartnersFilteredForThePersonAndTheChoiceIsTheirs) {
  auto id = jo();
  EXPECT_EQ(person.submit("/me/record", "/me/record",
                          {{"what_matters", "Cooking"}, {"postcode", "ky1 1ab"}, {"birth_year", "1995"}, {"language", "en"}})
                .status,
            303);
  auto g = goal(id, "Work in a kitchen");
  auto body = options(g, person);
  // Both partners' services, each explained; too far and the wrong age are left out.
  EXPECT_TRUE(has(body, "Kitchen skills course"));
  EXPECT_TRUE(has(body, "Kitchen job club"));
  EXPECT_TRUE(has(body, "Harbour College"));
  EXPECT_TRUE(has(body, "Shore Jobs"));
  EXPECT_TRUE(has(body, "for stages 3"));
  EXPECT_FALSE(has(body, "Far kitchen course"));
  EXPECT_FALSE(has(body, "over 50s"));
  // At stage 3, only what fits that stage (services that state no stage always fit).
  auto w0 = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
  db::add_stage(w0.scope(), id, 3, "2026-01-05", {0, "test"});
  w0.commit();
  body = options(g, person);
  EXPECT_TRUE(has(body, "Kitchen skills course"));
  EXPECT_FALSE(has(body, "Kitchen job club"));
  body = options(g, person, "?filtered=1&postcode=KY1+1AB&within=50");
  EXPECT_TRUE(has(body, "Kitchen job club"));
  EXPECT_TRUE(has(body, "Far kitchen course"));
  // A bad postcode in the filters: a clear error, 400.
  EXPECT_EQ(person.get("/plan/goals/" + std::to_string(g) + "/options?filtered=1&postcode=NOT+A+CODE").status, 400);

  // The person chooses; the step is theirs and linked to the service. Nothing else is kept.
  auto path = "/plan/goals/" + std::to_string(g) + "/options";
  auto r = person.submit(path, "/plan/goals/" + std::to_string(g) + "/choices",
                         {{"kind", "service"}, {"option", std::to_string(course)}});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_steps WHERE partnership_id = $1 AND person_id = $2 AND who = 'person'"
                  " AND chosen_kind = 'service' AND chosen_id = $3 AND action = 'I chose Kitchen skills course'",
                  {id, course}),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_steps WHERE partnership_id = $1"), 1);
  EXPECT_TRUE(has(person.get("/me/plan").body, "I chose Kitchen skills course"));

  // Unknown, and another partnership's, service ids: a clear error and nothing written.
  for (auto bad : {std::int64_t{999999}, beta_service}) {
    r = person.submit(path, "/plan/goals/" + std::to_string(g) + "/choices",
                      {{"kind", "service"}, {"option", std::to_string(bad)}});
    EXPECT_EQ(r.status, 400);
    EXPECT_TRUE(has(r.body, "We could not find that option"));
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_steps WHERE partnership_id = $1"), 1);

  // The key worker, with plan consent, sees the same options and can record the person's choice.
  body = options(g, worker, "?reason=review_plan");
  EXPECT_TRUE(has(body, "They choose this"));
  EXPECT_TRUE(has(body, "/referrals/new?service=" + std::to_string(course)));
}

TEST_F(Flow, ReferralNeedsThePersonsConsentAndThePartnerAccepts) {
  auto id = jo();
  person.submit("/me/record", "/me/record", {{"what_matters", "Cooking for my kids"}, {"language", "en"}});
  auto ref = refer(id, {"profile", "plan"});
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_referrals WHERE partnership_id = $1 AND status = 'awaiting_consent'"), 1);
  // Not shared before the person agrees: the college cannot open it yet.
  EXPECT_EQ(tutor.get("/referrals/" + std::to_string(ref)).status, 403);
  auto mine = person.get("/me/referrals");
  EXPECT_TRUE(has(mine.body, "Waiting for the person to agree"));
  EXPECT_TRUE(has(mine.body, "Kitchen skills course"));
  EXPECT_EQ(person.submit("/me/referrals", "/me/referrals/" + std::to_string(ref), {{"answer", "yes"}}).status, 303);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_consent_events WHERE partnership_id = $1 AND organisation_id = $2"
                  " AND action = 'grant' AND part IN ('profile', 'plan')",
                  {college}),
            2);
  // The college reads what was shared; the opening is in the person's access log.
  auto page = tutor.get("/referrals/" + std::to_string(ref));
  EXPECT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "Cooking for my kids"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_access_log WHERE partnership_id = $1 AND organisation_id = $2"
                  " AND outcome = 'opened' AND reason = 'referral'",
                  {college}),
            2);
  EXPECT_TRUE(has(tutor.get("/referrals").body, "Kitchen skills course"));
  // Declining needs a reason from the list; accepting makes Tia a key worker too.
  auto r = tutor.submit("/referrals/" + std::to_string(ref), "/referrals/" + std::to_string(ref) + "/decision",
                        {{"decision", "decline"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(has(r.body, "Choose why you cannot take it"));
  r = tutor.submit("/referrals/" + std::to_string(ref), "/referrals/" + std::to_string(ref) + "/decision",
                   {{"decision", "accept"}});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_referrals WHERE partnership_id = $1 AND status = 'accepted'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_keyworkers WHERE partnership_id = $1 AND organisation_id = $2", {college}), 1);
  EXPECT_TRUE(has(person.get("/me/referrals").body, "Accepted"));
  // A second answer is refused with a clear message: it is no longer waiting.
  r = tutor.submit("/referrals/" + std::to_string(ref), "/referrals/" + std::to_string(ref) + "/decision",
                   {{"decision", "decline"}, {"decline_reason", "no_capacity"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_TRUE(has(r.body, "This referral already has an answer"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_referrals WHERE partnership_id = $1 AND status = 'accepted'"), 1);
  // Involvement: both organisations work with Jo and both may see the plan, so each sees the other.
  auto sam_view = worker.get("/people/" + std::to_string(id) + "?part=plan&reason=review_plan");
  EXPECT_TRUE(has(sam_view.body, "Also working with this person"));
  EXPECT_TRUE(has(sam_view.body, "Harbour College"));
  auto tia_view = tutor.get("/people/" + std::to_string(id) + "?part=plan&reason=referral");
  EXPECT_EQ(tia_view.status, 200);
  EXPECT_TRUE(has(tia_view.body, "Fife Works"));
  // Jo takes the plan back from the college: neither sees the other's involvement any more.
  consent(college, {"profile"});
  EXPECT_FALSE(has(worker.get("/people/" + std::to_string(id) + "?part=plan&reason=review_plan").body, "Harbour College"));
}

TEST_F(Flow, ReferralBadInputIsRefusedAndNothingIsWritten) {
  auto id = jo();
  auto form = "/people/" + std::to_string(id) + "/referrals/new?reason=follow_up";
  auto action = "/people/" + std::to_string(id) + "/referrals";
  // A service of another partnership (so an organisation outside this one), an unknown id, and
  // the worker's own organisation's service... here none is Fife Works', so check it directly.
  for (auto bad : {beta_service, std::int64_t{999999}}) {
    auto r = worker.submit(form, action, {{"service", std::to_string(bad)}, {"parts", "profile"}, {"reason", "follow_up"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_TRUE(has(r.body, "We could not find that service in this partnership"));
    EXPECT_TRUE(has(r.body, "govuk-error-summary"));
  }
  auto r = worker.submit(form, action, {{"service", std::to_string(course)}, {"reason", "follow_up"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(has(r.body, "Choose at least one part to share"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_referrals WHERE partnership_id = $1"), 0);
  // A worker whose organisation the person has not consented to cannot refer at all: 403, logged.
  s.add_user(s.alpha, "kit@example.org", kPassword, auth::Role::worker, jobs);
  test::Client kit(s.port);
  kit.sign_in("kit@example.org", kPassword);
  EXPECT_EQ(kit.get(form).status, 403);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_access_log WHERE partnership_id = $1 AND outcome = 'refused'"), 1);
}

TEST_F(Flow, WithdrawingConsentMidReferralStopsItAndSaysWhy) {
  auto id = jo();
  person.submit("/me/record", "/me/record", {{"what_matters", "Secret plans"}, {"language", "en"}});
  auto ref = refer(id, {"profile"});
  person.submit("/me/referrals", "/me/referrals/" + std::to_string(ref), {{"answer", "yes"}});
  EXPECT_TRUE(has(tutor.get("/referrals/" + std::to_string(ref)).body, "Secret plans"));
  EXPECT_EQ(consent(college, {}).status, 303);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_referrals WHERE partnership_id = $1 AND status = 'stopped'"
                  " AND stop_reason = 'consent_withdrawn'"),
            1);
  auto page = tutor.get("/referrals/" + std::to_string(ref));
  EXPECT_EQ(page.status, 200);
  EXPECT_FALSE(has(page.body, "Secret plans"));
  EXPECT_TRUE(has(page.body, "The person took back their agreement to share"));
  auto r = tutor.submit("/referrals/" + std::to_string(ref), "/referrals/" + std::to_string(ref) + "/decision",
                        {{"decision", "accept"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_keyworkers WHERE partnership_id = $1 AND organisation_id = $2", {college}), 0);
  // Saying no on the person's own page stops a referral too.
  auto second = refer(id, {"plan"});
  person.submit("/me/referrals", "/me/referrals/" + std::to_string(second), {{"answer", "no"}});
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_referrals WHERE partnership_id = $1 AND stop_reason = 'person_said_no'"), 1);
  EXPECT_TRUE(has(person.get("/me/referrals").body, "The person said no"));
}

TEST_F(Flow, SomeoneWithoutAnAccountIsAskedInTheRoom) {
  auto r = worker.submit("/people/new", "/people/new", {{"name", "Ali"}});
  EXPECT_EQ(r.status, 303);
  auto id = count("SELECT MAX(id) FROM journey_people WHERE partnership_id = $1");
  worker.submit("/people/" + std::to_string(id) + "/consents", "/people/" + std::to_string(id) + "/consents",
                {{"parts", "plan"}, {"asked", "1"}});
  auto form = "/people/" + std::to_string(id) + "/referrals/new?reason=follow_up&service=" + std::to_string(course);
  auto action = "/people/" + std::to_string(id) + "/referrals";
  r = worker.submit(form, action, {{"service", std::to_string(course)}, {"parts", "plan"}, {"reason", "follow_up"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(has(r.body, "Tick the box to say the person agreed"));
  r = worker.submit(form, action, {{"service", std::to_string(course)}, {"parts", "plan"}, {"asked", "1"}, {"reason", "follow_up"}});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_referrals WHERE partnership_id = $1 AND status = 'sent'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_consent_events WHERE partnership_id = $1 AND organisation_id = $2"
                  " AND part = 'plan' AND action = 'grant' AND by_user = $3",
                  {college, sam}),
            1);
}

TEST_F(Flow, StagesMoveEitherWayAndDatesAreChecked) {
  auto id = jo();
  auto page = "/people/" + std::to_string(id) + "/outcomes?reason=follow_up";
  auto action = "/people/" + std::to_string(id) + "/stages";
  auto today = modules::journeys::iso_date(now_seconds());
  auto y = today.substr(0, 4);
  for (auto [stage, day] : std::vector<std::pair<std::string, std::string>>{{"2", "1"}, {"4", "2"}, {"2", "3"}}) {
    auto r = worker.submit(page, action,
                           {{"stage", stage}, {"stage_day", day}, {"stage_month", "1"}, {"stage_year", y}, {"reason", "follow_up"}});
    EXPECT_EQ(r.status, 303) << r.body.substr(0, 500);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_stages WHERE partnership_id = $1 AND person_id = $2", {id}), 3);
  auto body = worker.get(page).body;
  EXPECT_TRUE(has(body, "2. Sorting out what is in the way"));
  EXPECT_TRUE(has(body, "4. Meeting employers and finding a job"));
  // In the future, not a real date, before 2000, a stage of 6: clear errors, nothing saved.
  std::vector<std::vector<std::pair<std::string, std::string>>> bad = {
      {{"stage", "3"}, {"stage_day", "1"}, {"stage_month", "1"}, {"stage_year", std::to_string(std::stoi(y) + 1)}},
      {{"stage", "3"}, {"stage_day", "31"}, {"stage_month", "2"}, {"stage_year", y}},
      {{"stage", "3"}, {"stage_day", "1"}, {"stage_month", "1"}, {"stage_year", "1999"}},
      {{"stage", "6"}, {"stage_day", "1"}, {"stage_month", "1"}, {"stage_year", y}}};
  for (auto f : bad) {
    f.emplace_back("reason", "follow_up");
    auto r = worker.submit(page, action, f);
    EXPECT_EQ(r.status, 400);
    EXPECT_TRUE(has(r.body, "govuk-error-summary"));
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_stages WHERE partnership_id = $1", {}), 3);
  // The person sees their own stage and its history.
  auto mine = person.get("/me/outcomes");
  EXPECT_EQ(mine.status, 200);
  EXPECT_TRUE(has(mine.body, "Stage now:"));
  EXPECT_TRUE(has(mine.body, "2. Sorting out what is in the way"));
}

TEST_F(Flow, JobStartBringsSustainmentChecksToTheCaseloadWhenDue) {
  auto id = jo();
  auto page = "/people/" + std::to_string(id) + "/outcomes?reason=follow_up";
  auto action = "/people/" + std::to_string(id) + "/outcomes";
  // 14 weeks ago: the 13-week check is overdue, the 26-week one is not due.
  auto start = modules::journeys::iso_date(now_seconds() - 14 * 7 * 86400);
  auto d = std::to_string(std::stoi(start.substr(8, 2))), m = std::to_string(std::stoi(start.substr(5, 2))),
       y = start.substr(0, 4);
  // A job start needs hours and a contract; dates out of range are refused.
  auto r = worker.submit(page, action, {{"kind", "job_start"}, {"out_day", d}, {"out_month", m}, {"out_year", y}, {"reason", "follow_up"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(has(r.body, "Enter the hours a week"));
  EXPECT_TRUE(has(r.body, "Choose the type of contract"));
  r = worker.submit(page, action, {{"kind", "job_start"}, {"out_day", "1"}, {"out_month", "1"}, {"out_year", "2101"},
                                   {"hours", "16"}, {"contract", "permanent"}, {"reason", "follow_up"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(has(r.body, "Enter a real start date"));
  r = worker.submit(page, action, {{"kind", "job_start"}, {"out_day", d}, {"out_month", m}, {"out_year", y}, {"hours", "100"},
                                   {"contract", "permanent"}, {"reason", "follow_up"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_outcomes WHERE partnership_id = $1"), 0);
  r = worker.submit(page, action, {{"kind", "job_start"}, {"out_day", d}, {"out_month", m}, {"out_year", y}, {"hours", "16"},
                                   {"contract", "permanent"}, {"employer", "Harbour Cafe"}, {"reason", "follow_up"}});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_outcome_checks WHERE partnership_id = $1 AND person_id = $2", {id}), 3);
  auto caseload = worker.get("/caseload");
  EXPECT_TRUE(has(caseload.body, "13-week check"));
  EXPECT_FALSE(has(caseload.body, "26-week check"));
  EXPECT_TRUE(has(worker.get("/caseload?show=checks").body, "Jo"));
  // Record the answer: it leaves the caseload, and cannot be answered twice.
  auto check = count("SELECT id FROM journey_outcome_checks WHERE partnership_id = $1 AND week = 13");
  auto today = modules::journeys::iso_date(now_seconds());
  std::vector<std::pair<std::string, std::string>> answer = {
      {"still_in_work", "yes"}, {"check_day", std::to_string(std::stoi(today.substr(8, 2)))},
      {"check_month", std::to_string(std::stoi(today.substr(5, 2)))}, {"check_year", today.substr(0, 4)},
      {"reason", "follow_up"}};
  auto early = answer;
  early[3].second = "2000";  // before the job started
  r = worker.submit(page, "/checks/" + std::to_string(check), early);
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(has(r.body, "between the job start and today"));
  r = worker.submit(page, "/checks/" + std::to_string(check), answer);
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(count("SELECT still_in_work FROM journey_outcome_checks WHERE partnership_id = $1 AND id = $2", {check}), 1);
  EXPECT_FALSE(has(worker.get("/caseload").body, "13-week check"));
  r = worker.submit(page, "/checks/" + std::to_string(check), answer);
  EXPECT_EQ(r.status, 409);
  // The 26-week check is not due yet.
  auto later = count("SELECT id FROM journey_outcome_checks WHERE partnership_id = $1 AND week = 26");
  r = worker.submit(page, "/checks/" + std::to_string(later), answer);
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(has(r.body, "not due yet"));
  // The person sees the outcome and the answered check.
  auto mine = person.get("/me/outcomes").body;
  EXPECT_TRUE(has(mine, "Started a job"));
  EXPECT_TRUE(has(mine, "Harbour Cafe"));
  EXPECT_TRUE(has(mine, "Yes, still in work"));
}

TEST_F(Flow, WorkerWithoutOutcomesConsentIsRefusedAndItIsLogged) {
  auto id = jo({"profile"});
  auto r = worker.get("/people/" + std::to_string(id) + "/outcomes?reason=follow_up");
  EXPECT_EQ(r.status, 403);
  r = worker.post_form("/people/" + std::to_string(id) + "/stages",
                       {{"stage", "1"}, {"csrf_token", test::Client::csrf_in(worker.get("/caseload").body)}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_access_log WHERE partnership_id = $1 AND part = 'outcomes'"
                  " AND outcome = 'refused'"),
            2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'person_record.refused'"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_stages WHERE partnership_id = $1"), 0);
  EXPECT_TRUE(has(person.get("/me/record/views").body, "Not allowed"));
}

TEST_F(Flow, CaseloadFindsStalledPlansAndManagersSeeSizes) {
  auto id = jo();
  auto g = goal(id, "Drive");
  {
    auto w = s.app->work(s.alpha.id, {std::nullopt, "test", "", ""});
    modules::journeys::StepInput in;
    in.action = "Book a lesson";
    in.who = "person";
    db::add_step(w.scope(), id, g, in, {0, "test"});
    // Nothing has changed in the plan for ten weeks.
    w->bookkeeping("UPDATE journey_steps SET updated_at = $2 WHERE partnership_id = $1", {now_seconds() - 10 * 7 * 86400});
    w->bookkeeping("UPDATE journey_goals SET updated_at = $2 WHERE partnership_id = $1", {now_seconds() - 10 * 7 * 86400});
    w.commit();
  }
  worker.submit("/people/new", "/people/new", {{"name", "Bea"}});
  auto stalled = worker.get("/caseload?show=stalled&weeks=8");
  EXPECT_EQ(stalled.status, 200);
  EXPECT_TRUE(has(stalled.body, ">Jo<"));
  EXPECT_FALSE(has(stalled.body, ">Bea<"));
  EXPECT_TRUE(has(stalled.body, "Plan stalled"));
  // With N = 12 weeks it is not stalled yet.
  EXPECT_FALSE(has(worker.get("/caseload?show=stalled&weeks=12").body, ">Jo<"));
  EXPECT_TRUE(has(worker.get("/caseload?sort=plan_change").body, ">Bea<"));
  // The manager sees Sam's caseload size; a worker may not open the team page.
  auto team = manager.get("/caseload/team");
  EXPECT_EQ(team.status, 200);
  EXPECT_TRUE(has(team.body, "User sam"));
  EXPECT_TRUE(has(team.body, ">2<"));
  EXPECT_EQ(worker.get("/caseload/team").status, 403);
}

TEST_F(Flow, ProfileSavedFromTwoTabsLosesNothing) {
  person.submit("/me/record", "/me/record", {{"what_matters", "Version one"}, {"language", "en"}});
  auto tab_a = person.get("/me/record"), tab_b = person.get("/me/record");
  auto version = [](const std::string& html) {
    auto at = html.find("name=\"version\" value=\"");
    return html.substr(at + 22, html.find('"', at + 22) - at - 22);
  };
  ASSERT_EQ(version(tab_a.body), version(tab_b.body));
  auto csrf = test::Client::csrf_in(tab_a.body);
  auto r = person.post_form("/me/record", {{"csrf_token", csrf}, {"version", version(tab_a.body)},
                                           {"what_matters", "Saved in tab A"}, {"language", "en"}});
  EXPECT_EQ(r.status, 303);
  r = person.post_form("/me/record", {{"csrf_token", csrf}, {"version", version(tab_b.body)},
                                      {"what_matters", "Typed in tab B"}, {"language", "en"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_TRUE(has(r.body, "Someone saved this record while you were writing"));
  EXPECT_TRUE(has(r.body, "Typed in tab B"));   // what this tab typed is kept in the form
  EXPECT_TRUE(has(r.body, "Saved in tab A"));   // and what is saved is shown beside it
  EXPECT_EQ(count("SELECT COUNT(*) FROM journey_people WHERE partnership_id = $1 AND what_matters = 'Saved in tab A'"), 1);
  // Saving again from the clash page (which carries the new version) works.
  r = person.post_form("/me/record", {{"csrf_token", csrf}, {"version", version(r.body)},
                                      {"what_matters", "Typed in tab B"}, {"language", "en"}});
  EXPECT_EQ(r.status, 303);
  // Bad postcode and year: clear errors, typed text kept.
  r = person.post_form("/me/record", {{"csrf_token", csrf}, {"version", version(person.get("/me/record").body)},
                                      {"what_matters", "Keep me"}, {"postcode", "nonsense"}, {"birth_year", "3000"},
                                      {"language", "en"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(has(r.body, "Enter a real postcode"));
  EXPECT_TRUE(has(r.body, "Enter a year with 4 numbers"));
  EXPECT_TRUE(has(r.body, "Keep me"));
}
