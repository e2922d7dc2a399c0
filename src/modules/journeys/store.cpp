#include <algorithm>
#include <cstdio>
#include <ctime>

#include "core/util.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/journeys/kpi.hpp"

namespace cp::modules {

void JourneysModule::migrations(store::Migrations& m) const {
  m.add({"journeys", 1, "people's records, consents, access log, notes and plans",
         R"SQL(
CREATE TABLE journey_people (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  user_id BIGINT,
  name TEXT NOT NULL,
  what_matters TEXT NOT NULL DEFAULT '',
  good_life TEXT NOT NULL DEFAULT '',
  strengths TEXT NOT NULL DEFAULT '',
  barriers TEXT NOT NULL DEFAULT '',
  contact_pref TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT 'en',
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  UNIQUE (partnership_id, user_id),
  FOREIGN KEY (partnership_id, user_id) REFERENCES users (partnership_id, id)
);
CREATE TABLE journey_keyworkers (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  person_id BIGINT NOT NULL,
  worker_id BIGINT NOT NULL,
  organisation_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (partnership_id, person_id, worker_id),
  FOREIGN KEY (partnership_id, person_id) REFERENCES journey_people (partnership_id, id),
  FOREIGN KEY (partnership_id, worker_id) REFERENCES users (partnership_id, id),
  FOREIGN KEY (partnership_id, organisation_id) REFERENCES organisations (partnership_id, id)
);
CREATE INDEX journey_keyworkers_worker ON journey_keyworkers (partnership_id, worker_id);
CREATE TABLE journey_consents (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  person_id BIGINT NOT NULL,
  organisation_id BIGINT NOT NULL,
  part TEXT NOT NULL CHECK (part IN ('profile', 'plan', 'notes', 'outcomes')),
  granted INTEGER NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (partnership_id, person_id, organisation_id, part),
  FOREIGN KEY (partnership_id, person_id) REFERENCES journey_people (partnership_id, id),
  FOREIGN KEY (partnership_id, organisation_id) REFERENCES organisations (partnership_id, id)
);
CREATE TABLE journey_consent_events (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  person_id BIGINT NOT NULL,
  organisation_id BIGINT NOT NULL,
  part TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('grant', 'withdraw')),
  by_user BIGINT,
  by_name TEXT NOT NULL,
  at BIGINT NOT NULL,
  FOREIGN KEY (partnership_id, person_id) REFERENCES journey_people (partnership_id, id)
);
CREATE INDEX journey_consent_events_person ON journey_consent_events (partnership_id, person_id, at);
{{append_only:journey_consent_events}}
CREATE TABLE journey_lawful_bases (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  organisation_id BIGINT NOT NULL,
  basis TEXT NOT NULL CHECK (basis IN ('consent', 'public_task', 'legitimate_interests')),
  set_by BIGINT,
  set_at BIGINT NOT NULL,
  UNIQUE (partnership_id, organisation_id),
  FOREIGN KEY (partnership_id, organisation_id) REFERENCES organisations (partnership_id, id)
);
CREATE TABLE journey_access_log (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  person_id BIGINT NOT NULL,
  viewer_id BIGINT,
  viewer_name TEXT NOT NULL,
  organisation_id BIGINT NOT NULL,
  part TEXT NOT NULL,
  reason TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('opened', 'refused')),
  at BIGINT NOT NULL,
  FOREIGN KEY (partnership_id, person_id) REFERENCES journey_people (partnership_id, id)
);
CREATE INDEX journey_access_log_person ON journey_access_log (partnership_id, person_id, at);
{{append_only:journey_access_log}}
CREATE TABLE journey_notes (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  person_id BIGINT NOT NULL,
  author_id BIGINT,
  author_name TEXT NOT NULL,
  organisation_id BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('meeting', 'call', 'text', 'home_visit')),
  talked_about TEXT NOT NULL,
  strengths TEXT NOT NULL DEFAULT '',
  next_steps TEXT NOT NULL DEFAULT '',
  restricted INTEGER NOT NULL DEFAULT 0,
  restrict_reason TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  CHECK (restricted = 0 OR restrict_reason <> ''),
  FOREIGN KEY (partnership_id, person_id) REFERENCES journey_people (partnership_id, id)
);
CREATE INDEX journey_notes_person ON journey_notes (partnership_id, person_id, created_at);
CREATE TABLE journey_goals (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  person_id BIGINT NOT NULL,
  text TEXT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  updated_by_name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, person_id) REFERENCES journey_people (partnership_id, id)
);
CREATE INDEX journey_goals_person ON journey_goals (partnership_id, person_id);
CREATE TABLE journey_steps (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  person_id BIGINT NOT NULL,
  goal_id BIGINT NOT NULL,
  action TEXT NOT NULL,
  who TEXT NOT NULL CHECK (who IN ('person', 'keyworker', 'partner', 'peer')),
  who_detail TEXT NOT NULL DEFAULT '',
  due_on TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done')),
  person_notes TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1,
  updated_by_name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  FOREIGN KEY (partnership_id, goal_id) REFERENCES journey_goals (partnership_id, id),
  FOREIGN KEY (partnership_id, person_id) REFERENCES journey_people (partnership_id, id)
);
CREATE INDEX journey_steps_person ON journey_steps (partnership_id, person_id, status, due_on);
CREATE TABLE journey_plan_history (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  item_type TEXT NOT NULL CHECK (item_type IN ('goal', 'step')),
  item_id BIGINT NOT NULL,
  version BIGINT NOT NULL,
  summary TEXT NOT NULL,
  by_user BIGINT,
  by_name TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX journey_plan_history_item ON journey_plan_history (partnership_id, item_type, item_id, version);
{{append_only:journey_plan_history}}
)SQL",
         {"journey_people", "journey_keyworkers", "journey_consents", "journey_consent_events", "journey_lawful_bases",
          "journey_access_log", "journey_notes", "journey_goals", "journey_steps", "journey_plan_history"}});
  m.add({"journeys", 2, "choices, referrals, pipeline stages, outcomes and sustainment checks; profile versions",
         R"SQL(
ALTER TABLE journey_people ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE journey_people ADD COLUMN postcode TEXT NOT NULL DEFAULT '';
ALTER TABLE journey_people ADD COLUMN birth_year BIGINT;
ALTER TABLE journey_steps ADD COLUMN chosen_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE journey_steps ADD COLUMN chosen_id BIGINT;
CREATE TABLE journey_referrals (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  person_id BIGINT NOT NULL,
  from_organisation_id BIGINT NOT NULL,
  from_worker_id BIGINT,
  from_worker_name TEXT NOT NULL,
  to_organisation_id BIGINT NOT NULL,
  service_id BIGINT NOT NULL,
  service_name TEXT NOT NULL,
  parts TEXT NOT NULL,
  message TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('awaiting_consent', 'sent', 'accepted', 'declined', 'stopped')),
  decline_reason TEXT NOT NULL DEFAULT '',
  decline_text TEXT NOT NULL DEFAULT '',
  stop_reason TEXT NOT NULL DEFAULT '',
  decided_by_name TEXT NOT NULL DEFAULT '',
  decided_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, person_id) REFERENCES journey_people (partnership_id, id),
  FOREIGN KEY (partnership_id, from_organisation_id) REFERENCES organisations (partnership_id, id),
  FOREIGN KEY (partnership_id, to_organisation_id) REFERENCES organisations (partnership_id, id)
);
CREATE INDEX journey_referrals_person ON journey_referrals (partnership_id, person_id);
CREATE INDEX journey_referrals_to ON journey_referrals (partnership_id, to_organisation_id, status);
CREATE TABLE journey_stages (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  person_id BIGINT NOT NULL,
  stage BIGINT NOT NULL CHECK (stage BETWEEN 1 AND 5),
  on_date TEXT NOT NULL,
  by_user BIGINT,
  by_name TEXT NOT NULL,
  at BIGINT NOT NULL,
  FOREIGN KEY (partnership_id, person_id) REFERENCES journey_people (partnership_id, id)
);
CREATE INDEX journey_stages_person ON journey_stages (partnership_id, person_id, on_date);
CREATE TABLE journey_outcomes (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  person_id BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('job_start', 'education', 'volunteering', 'other')),
  on_date TEXT NOT NULL,
  hours DOUBLE PRECISION,
  contract TEXT NOT NULL DEFAULT '',
  employer TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '',
  by_user BIGINT,
  by_name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, person_id) REFERENCES journey_people (partnership_id, id)
);
CREATE INDEX journey_outcomes_person ON journey_outcomes (partnership_id, person_id);
CREATE TABLE journey_outcome_checks (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  outcome_id BIGINT NOT NULL,
  person_id BIGINT NOT NULL,
  week BIGINT NOT NULL CHECK (week IN (13, 26, 52)),
  due_on TEXT NOT NULL,
  still_in_work INTEGER,
  checked_on TEXT NOT NULL DEFAULT '',
  by_name TEXT NOT NULL DEFAULT '',
  at BIGINT,
  UNIQUE (partnership_id, outcome_id, week),
  FOREIGN KEY (partnership_id, outcome_id) REFERENCES journey_outcomes (partnership_id, id),
  FOREIGN KEY (partnership_id, person_id) REFERENCES journey_people (partnership_id, id)
);
CREATE INDEX journey_outcome_checks_due ON journey_outcome_checks (partnership_id, person_id, due_on);
)SQL",
         {"journey_referrals", "journey_stages", "journey_outcomes", "journey_outcome_checks"}});
  journeys_redaction_migrations(m);
  journeys::kpi_migrations(m);  // journeys version 3 (kpi.cpp)
}

namespace journeys {

bool one_of(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

std::string iso_date(std::int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return buf;
}

std::string add_days(const std::string& iso, std::int64_t days) {
  if (iso.size() != 10) return "";
  std::tm tm{};
  tm.tm_year = static_cast<int>(parse_int(iso.substr(0, 4)).value_or(1970)) - 1900;
  tm.tm_mon = static_cast<int>(parse_int(iso.substr(5, 2)).value_or(1)) - 1;
  tm.tm_mday = static_cast<int>(parse_int(iso.substr(8, 2)).value_or(1));
  tm.tm_hour = 12;
  return iso_date(static_cast<std::int64_t>(timegm(&tm)) + days * 86400);
}

std::string make_date(const std::string& day, const std::string& month, const std::string& year) {
  auto d = parse_int(trim(day)), m = parse_int(trim(month)), y = parse_int(trim(year));
  if (!d || !m || !y || *y < 2000 || *y > 2100 || *m < 1 || *m > 12 || *d < 1) return "";
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
  int max = kDays[*m - 1] + (*m == 2 && leap ? 1 : 0);
  if (*d > max) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(*y), static_cast<int>(*m), static_cast<int>(*d));
  return buf;
}

}  // namespace journeys

namespace journeys_store {

namespace {

using store::Params;
using store::Value;

const char* kPersonCols =
    "SELECT id, user_id, name, what_matters, good_life, strengths, barriers, contact_pref, language, created_at,"
    " updated_at, version, postcode, birth_year, lone_parent, disability FROM journey_people";

Person person_from(const store::Row& r) {
  Person p;
  p.id = r.i64(0);
  p.user_id = r.opt_i64(1);
  p.name = r.text(2);
  p.profile = {r.text(3), r.text(4), r.text(5), r.text(6), r.text(7), r.text(8)};
  p.created_at = r.i64(9);
  p.updated_at = r.i64(10);
  p.version = r.i64(11);
  p.profile.postcode = r.text(12);
  p.profile.birth_year = r.opt_i64(13);
  p.profile.lone_parent = r.text(14);
  p.profile.disability = r.text(15);
  return p;
}

Value opt(std::optional<std::int64_t> v) { return v ? Value{*v} : Value{nullptr}; }

void history(store::Scope& s, const std::string& type, std::int64_t id, std::int64_t version, const std::string& summary,
             const Who& by) {
  s.insert({"journey_plan." + type + ".version", "journey_" + type, id, "version " + std::to_string(version)},
           "INSERT INTO journey_plan_history (partnership_id, item_type, item_id, version, summary, by_user, by_name, at)"
           " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
           {type, id, version, summary, by.user_id ? Value{by.user_id} : Value{nullptr}, by.name, now_seconds()});
}

std::string step_summary(const StepInput& in) {
  std::string s = in.action + " | " + in.who + (in.who_detail.empty() ? "" : " (" + in.who_detail + ")") + " | " +
                  (in.due_on.empty() ? "-" : in.due_on) + " | " + in.status;
  if (!in.person_notes.empty()) s += " | " + in.person_notes;
  return s;
}

}  // namespace

std::optional<Person> person(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string(kPersonCols) + " WHERE partnership_id = $1 AND id = $2", {id});
  if (r.empty()) return std::nullopt;
  return person_from(r.rows[0]);
}

std::optional<Person> person_for_user(store::Scope& s, std::int64_t user_id) {
  auto r = s.read(std::string(kPersonCols) + " WHERE partnership_id = $1 AND user_id = $2", {user_id});
  if (r.empty()) return std::nullopt;
  return person_from(r.rows[0]);
}

Person ensure_person_for_user(store::Scope& s, std::int64_t user_id, const std::string& name) {
  if (auto p = person_for_user(s, user_id)) return *p;
  auto now = now_seconds();
  auto id = s.insert({"journey_person.create", "journey_person", std::nullopt, "own record"},
                     "INSERT INTO journey_people (partnership_id, user_id, name, created_by, created_at, updated_at)"
                     " VALUES ($1, $2, $3, $2, $4, $4) RETURNING id",
                     {user_id, name, now});
  journeys::kpi_person_added(s, id);
  return *person_for_user(s, user_id);
}

void take_on(store::Scope& s, std::int64_t person_id, std::int64_t worker_id, std::int64_t organisation_id) {
  journeys::KpiChange kpi(s, person_id);
  journeys::kpi_supported_by(s, person_id, organisation_id);
  kpi.done();
  s.insert({"journey_keyworker.create", "journey_person", person_id, "worker " + std::to_string(worker_id)},
           "INSERT INTO journey_keyworkers (partnership_id, person_id, worker_id, organisation_id, created_at)"
           " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (partnership_id, person_id, worker_id) DO NOTHING RETURNING id",
           {person_id, worker_id, organisation_id, now_seconds()});
}

std::int64_t create_person(store::Scope& s, const std::string& name, std::optional<std::int64_t> user_id,
                           std::int64_t worker_id, std::int64_t organisation_id) {
  std::int64_t id = 0;
  if (user_id) {
    if (auto p = person_for_user(s, *user_id)) id = p->id;
  }
  if (!id) {
    auto now = now_seconds();
    id = s.insert({"journey_person.create", "journey_person", std::nullopt, "recorded by a worker"},
                  "INSERT INTO journey_people (partnership_id, user_id, name, created_by, created_at, updated_at)"
                  " VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
                  {opt(user_id), name, worker_id, now});
    journeys::kpi_person_added(s, id);
  }
  take_on(s, id, worker_id, organisation_id);
  return id;
}

bool link_account(store::Scope& s, std::int64_t person_id, std::int64_t user_id) {
  if (person_for_user(s, user_id)) return false;
  journeys::KpiChange kpi(s, person_id);  // the person's own plan edits now count as theirs
  bool linked = s.write({"journey_person.link_account", "journey_person", person_id, "user " + std::to_string(user_id)},
                        "UPDATE journey_people SET user_id = $3, updated_at = $4 WHERE partnership_id = $1 AND id = $2"
                        " AND user_id IS NULL",
                        {person_id, user_id, now_seconds()}) > 0;
  kpi.done();
  return linked;
}

std::optional<KeyWorkerLink> key_worker_link(store::Scope& s, std::int64_t person_id, std::int64_t worker_id) {
  auto r = s.read("SELECT organisation_id FROM journey_keyworkers WHERE partnership_id = $1 AND person_id = $2"
                  " AND worker_id = $3",
                  {person_id, worker_id});
  if (r.empty()) return std::nullopt;
  return KeyWorkerLink{person_id, worker_id, r.rows[0].i64(0)};
}

SaveResult save_profile(store::Scope& s, std::int64_t person_id, const Profile& p, std::optional<std::int64_t> version) {
  if (!person(s, person_id)) return SaveResult::not_found;
  journeys::KpiChange kpi(s, person_id);
  // Without a version the save always wins ($12 = 1); with one, only over that version.
  auto n = s.write({"journey_person.profile", "journey_person", person_id, ""},
                   "UPDATE journey_people SET what_matters = $3, good_life = $4, strengths = $5, barriers = $6,"
                   " contact_pref = $7, language = $8, updated_at = $9, postcode = $10, birth_year = $11,"
                   " lone_parent = $14, disability = $15,"
                   " version = version + 1 WHERE partnership_id = $1 AND id = $2 AND ($12 = 1 OR version = $13)",
                   {person_id, p.what_matters, p.good_life, p.strengths, p.barriers, p.contact_pref, p.language,
                    now_seconds(), p.postcode, opt(p.birth_year), std::int64_t{version ? 0 : 1}, version.value_or(0),
                    one_of(journeys::kMonitoringAnswers, p.lone_parent) ? p.lone_parent : std::string("not_asked"),
                    one_of(journeys::kMonitoringAnswers, p.disability) ? p.disability : std::string("not_asked")});
  kpi.done();
  return n == 0 ? SaveResult::conflict : SaveResult::ok;
}

std::vector<Consent> consents(store::Scope& s, std::int64_t person_id) {
  std::vector<Consent> out;
  for (const auto& r : s.read("SELECT organisation_id, part, granted FROM journey_consents WHERE partnership_id = $1"
                              " AND person_id = $2 ORDER BY organisation_id, part",
                              {person_id})
                           .rows)
    out.push_back({r.i64(0), r.text(1), r.boolean(2)});
  return out;
}

bool has_consent(store::Scope& s, std::int64_t person_id, std::int64_t organisation_id, const std::string& part) {
  return !s.read("SELECT 1 FROM journey_consents WHERE partnership_id = $1 AND person_id = $2 AND organisation_id = $3"
                 " AND part = $4 AND granted = 1",
                 {person_id, organisation_id, part})
              .empty();
}

int set_consents(store::Scope& s, std::int64_t person_id, std::int64_t organisation_id,
                 const std::vector<std::string>& parts, const Who& by) {
  int changed = 0;
  auto now = now_seconds();
  for (const auto& part : kParts) {
    bool want = one_of(parts, part);
    if (want == has_consent(s, person_id, organisation_id, part)) continue;
    std::string action = want ? "grant" : "withdraw";
    // The event row is the audited change; the current-state row is derived from it in the same
    // transaction, so the two cannot disagree.
    s.bookkeeping("INSERT INTO journey_consents (partnership_id, person_id, organisation_id, part, granted, updated_at)"
                  " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (partnership_id, person_id, organisation_id, part)"
                  " DO UPDATE SET granted = $5, updated_at = $6",
                  {person_id, organisation_id, part, std::int64_t{want ? 1 : 0}, now});
    s.insert({"journey_consent." + action, "journey_person", person_id,
              "organisation " + std::to_string(organisation_id) + " " + part},
             "INSERT INTO journey_consent_events (partnership_id, person_id, organisation_id, part, action,"
             " by_user, by_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
             {person_id, organisation_id, part, action, by.user_id ? Value{by.user_id} : Value{nullptr}, by.name, now});
    ++changed;
  }
  // A referral cannot go on carrying a part the person has taken back.
  if (changed) stop_referrals_without_consent(s, person_id, organisation_id);
  return changed;
}

std::vector<ConsentEvent> consent_history(store::Scope& s, std::int64_t person_id) {
  std::vector<ConsentEvent> out;
  for (const auto& r : s.read("SELECT organisation_id, part, action, by_name, at FROM journey_consent_events"
                              " WHERE partnership_id = $1 AND person_id = $2 ORDER BY at DESC, id DESC",
                              {person_id})
                           .rows)
    out.push_back({r.i64(0), r.text(1), r.text(2), r.text(3), r.i64(4)});
  return out;
}

std::optional<std::string> lawful_basis(store::Scope& s, std::int64_t organisation_id) {
  auto r = s.read("SELECT basis FROM journey_lawful_bases WHERE partnership_id = $1 AND organisation_id = $2",
                  {organisation_id});
  if (r.empty()) return std::nullopt;
  return r.rows[0].text(0);
}

void set_lawful_basis(store::Scope& s, std::int64_t organisation_id, const std::string& basis, const Who& by) {
  s.write({"journey_lawful_basis.set", "organisation", organisation_id, basis},
          "INSERT INTO journey_lawful_bases (partnership_id, organisation_id, basis, set_by, set_at)"
          " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (partnership_id, organisation_id)"
          " DO UPDATE SET basis = $3, set_by = $4, set_at = $5",
          {organisation_id, basis, by.user_id ? Value{by.user_id} : Value{nullptr}, now_seconds()});
}

Access staff_access(store::Scope& s, std::int64_t person_id, std::int64_t worker_id, const std::string& part,
                    std::int64_t& organisation_id) {
  auto link = key_worker_link(s, person_id, worker_id);
  if (!link) return Access::not_on_caseload;
  organisation_id = link->organisation_id;
  return has_consent(s, person_id, link->organisation_id, part) ? Access::allowed : Access::no_consent;
}

void log_access(store::Scope& s, std::int64_t person_id, const Who& viewer, std::int64_t organisation_id,
                const std::string& part, const std::string& reason, const std::string& outcome) {
  s.insert({outcome == "opened" ? "person_record.view" : "person_record.refused", "journey_person", person_id,
            part + " " + reason},
           "INSERT INTO journey_access_log (partnership_id, person_id, viewer_id, viewer_name, organisation_id,"
           " part, reason, outcome, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
           {person_id, viewer.user_id ? Value{viewer.user_id} : Value{nullptr}, viewer.name, organisation_id, part,
            reason, outcome, now_seconds()});
}

std::vector<AccessEntry> access_log(store::Scope& s, std::int64_t person_id) {
  std::vector<AccessEntry> out;
  for (const auto& r : s.read("SELECT viewer_name, part, reason, outcome, organisation_id, at FROM journey_access_log"
                              " WHERE partnership_id = $1 AND person_id = $2 ORDER BY at DESC, id DESC LIMIT 200",
                              {person_id})
                           .rows)
    out.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.i64(4), r.i64(5)});
  return out;
}

std::int64_t add_note(store::Scope& s, std::int64_t person_id, const Who& author, std::int64_t organisation_id,
                      const NoteInput& in) {
  auto id = s.insert({"journey_note.create", "journey_person", person_id, in.kind},
                     "INSERT INTO journey_notes (partnership_id, person_id, author_id, author_name, organisation_id,"
                     " kind, talked_about, strengths, next_steps, restricted, restrict_reason, created_at)"
                     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
                     {person_id, author.user_id, author.name, organisation_id, in.kind, in.talked_about, in.strengths,
                      in.next_steps, std::int64_t{in.restricted ? 1 : 0}, in.restricted ? in.restrict_reason : "",
                      now_seconds()});
  // Holding a note back from the person is an exception that must be answerable later.
  if (in.restricted) s.audit({"journey_note.restrict", "journey_note", id, in.restrict_reason});
  return id;
}

std::vector<Note> notes(store::Scope& s, std::int64_t person_id) {
  std::vector<Note> out;
  for (const auto& r : s.read("SELECT id, author_id, author_name, organisation_id, kind, talked_about, strengths,"
                              " next_steps, restricted, restrict_reason, created_at FROM journey_notes"
                              " WHERE partnership_id = $1 AND person_id = $2 ORDER BY created_at DESC, id DESC",
                              {person_id})
                           .rows) {
    Note n;
    n.id = r.i64(0);
    n.person_id = person_id;
    n.author_id = r.i64(1);
    n.author_name = r.text(2);
    n.organisation_id = r.i64(3);
    n.kind = r.text(4);
    n.talked_about = r.text(5);
    n.strengths = r.text(6);
    n.next_steps = r.text(7);
    n.restricted = r.boolean(8);
    n.restrict_reason = r.text(9);
    n.created_at = r.i64(10);
    out.push_back(std::move(n));
  }
  return out;
}

namespace {
Goal goal_from(const store::Row& r) {
  Goal g;
  g.id = r.i64(0);
  g.person_id = r.i64(1);
  g.text = r.text(2);
  g.version = r.i64(3);
  g.updated_by_name = r.text(4);
  g.updated_at = r.i64(5);
  return g;
}
const char* kGoalCols = "SELECT id, person_id, text, version, updated_by_name, updated_at FROM journey_goals";

Step step_from(const store::Row& r) {
  Step st;
  st.id = r.i64(0);
  st.person_id = r.i64(1);
  st.goal_id = r.i64(2);
  st.action = r.text(3);
  st.who = r.text(4);
  st.who_detail = r.text(5);
  st.due_on = r.text(6);
  st.status = r.text(7);
  st.person_notes = r.text(8);
  st.version = r.i64(9);
  st.updated_by_name = r.text(10);
  st.updated_at = r.i64(11);
  st.chosen_kind = r.text(12);
  st.chosen_id = r.opt_i64(13);
  return st;
}
const char* kStepCols =
    "SELECT id, person_id, goal_id, action, who, who_detail, due_on, status, person_notes, version, updated_by_name,"
    " updated_at, chosen_kind, chosen_id FROM journey_steps";
}  // namespace

std::vector<Goal> goals(store::Scope& s, std::int64_t person_id) {
  std::vector<Goal> out;
  for (const auto& r : s.read(std::string(kGoalCols) + " WHERE partnership_id = $1 AND person_id = $2 ORDER BY id",
                              {person_id})
                           .rows)
    out.push_back(goal_from(r));
  return out;
}

std::optional<Goal> goal(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string(kGoalCols) + " WHERE partnership_id = $1 AND id = $2", {id});
  if (r.empty()) return std::nullopt;
  return goal_from(r.rows[0]);
}

std::int64_t add_goal(store::Scope& s, std::int64_t person_id, const std::string& text, const Who& by) {
  journeys::KpiChange kpi(s, person_id);
  auto now = now_seconds();
  auto id = s.insert({"journey_goal.create", "journey_person", person_id, ""},
                     "INSERT INTO journey_goals (partnership_id, person_id, text, version, updated_by_name, created_at,"
                     " updated_at) VALUES ($1, $2, $3, 1, $4, $5, $5) RETURNING id",
                     {person_id, text, by.name, now});
  history(s, "goal", id, 1, text, by);
  kpi.done();
  return id;
}

SaveResult save_goal(store::Scope& s, std::int64_t id, const std::string& text, std::int64_t version, const Who& by) {
  auto g = goal(s, id);
  if (!g) return SaveResult::not_found;
  journeys::KpiChange kpi(s, g->person_id);
  auto n = s.write({"journey_goal.update", "journey_goal", id, "version " + std::to_string(version + 1)},
                   "UPDATE journey_goals SET text = $3, version = version + 1, updated_by_name = $5, updated_at = $6"
                   " WHERE partnership_id = $1 AND id = $2 AND version = $4",
                   {id, text, version, by.name, now_seconds()});
  if (n == 0) return SaveResult::conflict;
  history(s, "goal", id, version + 1, text, by);
  kpi.done();
  return SaveResult::ok;
}

std::vector<Step> steps(store::Scope& s, std::int64_t person_id) {
  std::vector<Step> out;
  for (const auto& r : s.read(std::string(kStepCols) + " WHERE partnership_id = $1 AND person_id = $2 ORDER BY id",
                              {person_id})
                           .rows)
    out.push_back(step_from(r));
  return out;
}

std::optional<Step> step(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string(kStepCols) + " WHERE partnership_id = $1 AND id = $2", {id});
  if (r.empty()) return std::nullopt;
  return step_from(r.rows[0]);
}

std::int64_t add_step(store::Scope& s, std::int64_t person_id, std::int64_t goal_id, const StepInput& in, const Who& by) {
  journeys::KpiChange kpi(s, person_id);
  auto now = now_seconds();
  auto id = s.insert({"journey_step.create", "journey_person", person_id, "goal " + std::to_string(goal_id)},
                     "INSERT INTO journey_steps (partnership_id, person_id, goal_id, action, who, who_detail, due_on,"
                     " status, person_notes, version, updated_by_name, created_at, updated_at)"
                     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $11) RETURNING id",
                     {person_id, goal_id, in.action, in.who, in.who_detail, in.due_on, in.status, in.person_notes,
                      by.name, now});
  history(s, "step", id, 1, step_summary(in), by);
  kpi.done();
  return id;
}

SaveResult save_step(store::Scope& s, std::int64_t id, const StepInput& in, std::int64_t version, const Who& by) {
  auto old = step(s, id);
  if (!old) return SaveResult::not_found;
  journeys::KpiChange kpi(s, old->person_id);
  auto n = s.write({"journey_step.update", "journey_step", id, "version " + std::to_string(version + 1)},
                   "UPDATE journey_steps SET action = $3, who = $4, who_detail = $5, due_on = $6, status = $7,"
                   " person_notes = $8, version = version + 1, updated_by_name = $10, updated_at = $11"
                   " WHERE partnership_id = $1 AND id = $2 AND version = $9",
                   {id, in.action, in.who, in.who_detail, in.due_on, in.status, in.person_notes, version, by.name,
                    now_seconds()});
  if (n == 0) return SaveResult::conflict;
  history(s, "step", id, version + 1, step_summary(in), by);
  kpi.done();
  return SaveResult::ok;
}

std::vector<PlanChange> plan_history(store::Scope& s, const std::string& item_type, std::int64_t item_id) {
  std::vector<PlanChange> out;
  for (const auto& r : s.read("SELECT version, at, by_name, summary FROM journey_plan_history WHERE partnership_id = $1"
                              " AND item_type = $2 AND item_id = $3 ORDER BY version DESC",
                              {item_type, item_id})
                           .rows)
    out.push_back({r.i64(0), r.i64(1), r.text(2), r.text(3)});
  return out;
}

std::vector<CaseloadEntry> caseload(store::Scope& s, std::int64_t worker_id, const std::string& today) {
  std::vector<CaseloadEntry> out;
  auto r = s.read(
      "SELECT p.id, p.name, p.user_id,"
      " (SELECT MAX(n.created_at) FROM journey_notes n WHERE n.partnership_id = $1 AND n.person_id = p.id),"
      " (SELECT MIN(a.due_on) FROM journey_steps a WHERE a.partnership_id = $1 AND a.person_id = p.id"
      "   AND a.status <> 'done' AND a.due_on >= $3),"
      " (SELECT COUNT(*) FROM journey_steps b WHERE b.partnership_id = $1 AND b.person_id = p.id"
      "   AND b.status <> 'done' AND b.due_on <> '' AND b.due_on < $3),"
      " (SELECT MAX(c.updated_at) FROM journey_steps c WHERE c.partnership_id = $1 AND c.person_id = p.id),"
      " (SELECT MAX(g.updated_at) FROM journey_goals g WHERE g.partnership_id = $1 AND g.person_id = p.id),"
      " (SELECT COUNT(*) FROM journey_steps d WHERE d.partnership_id = $1 AND d.person_id = p.id"
      "   AND d.status <> 'done'),"
      " (SELECT COUNT(*) FROM journey_outcome_checks e WHERE e.partnership_id = $1 AND e.person_id = p.id"
      "   AND e.still_in_work IS NULL AND e.due_on <= $4),"
      " (SELECT COUNT(*) FROM journey_outcome_checks f WHERE f.partnership_id = $1 AND f.person_id = p.id"
      "   AND f.still_in_work IS NULL AND f.due_on < $3),"
      " (SELECT h.stage FROM journey_stages h WHERE h.partnership_id = $1 AND h.person_id = p.id"
      "   ORDER BY h.on_date DESC, h.id DESC LIMIT 1)"
      " FROM journey_keyworkers k JOIN journey_people p ON p.partnership_id = $1 AND p.id = k.person_id"
      " WHERE k.partnership_id = $1 AND k.worker_id = $2 ORDER BY p.name, p.id",
      {worker_id, today, add_days(today, kCheckNoticeDays)});
  for (const auto& row : r.rows) {
    CaseloadEntry e;
    e.person_id = row.i64(0);
    e.name = row.text(1);
    e.has_account = !row.null(2);
    e.last_contact = row.opt_i64(3);
    e.next_due = row.text(4);
    e.overdue = row.i64(5);
    auto steps_at = row.opt_i64(6), goals_at = row.opt_i64(7);
    if (steps_at || goals_at) e.last_plan_change = std::max(steps_at.value_or(0), goals_at.value_or(0));
    e.open_steps = row.i64(8);
    e.checks_due = row.i64(9);
    e.checks_overdue = row.i64(10);
    e.stage = row.i64(11);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<std::pair<std::int64_t, std::int64_t>> caseload_sizes(store::Scope& s, std::int64_t organisation_id) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  for (const auto& r : s.read("SELECT worker_id, COUNT(*) FROM journey_keyworkers WHERE partnership_id = $1"
                              " AND organisation_id = $2 GROUP BY worker_id ORDER BY COUNT(*) DESC, worker_id",
                              {organisation_id})
                           .rows)
    out.emplace_back(r.i64(0), r.i64(1));
  return out;
}

}  // namespace journeys_store

}  // namespace cp::modules
