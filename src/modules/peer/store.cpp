#include <ctime>

#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/organisations/organisations.hpp"
#include "modules/peer/peer.hpp"

namespace cp::modules {

void PeerModule::migrations(store::Migrations& m) const {
  m.add({"peer", 1, "peer support groups, members and meetings",
         R"SQL(
CREATE TABLE peer_groups (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  name TEXT NOT NULL,
  name_cy TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  description_cy TEXT NOT NULL DEFAULT '',
  place TEXT NOT NULL DEFAULT '',
  usual_time TEXT NOT NULL DEFAULT '',
  organisation_id BIGINT,
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  UNIQUE (partnership_id, id),
  FOREIGN KEY (partnership_id, organisation_id) REFERENCES organisations (partnership_id, id)
);
CREATE TABLE peer_members (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  group_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('member', 'organiser')),
  joined_at BIGINT NOT NULL,
  UNIQUE (partnership_id, group_id, user_id),
  FOREIGN KEY (partnership_id, group_id) REFERENCES peer_groups (partnership_id, id),
  FOREIGN KEY (partnership_id, user_id) REFERENCES users (partnership_id, id)
);
CREATE INDEX peer_members_user ON peer_members (partnership_id, user_id);
CREATE TABLE peer_meetings (
  id {{id}},
  partnership_id BIGINT NOT NULL REFERENCES partnerships (id),
  group_id BIGINT NOT NULL,
  meet_on TEXT NOT NULL,
  meet_at TEXT NOT NULL DEFAULT '',
  place TEXT NOT NULL DEFAULT '',
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  FOREIGN KEY (partnership_id, group_id) REFERENCES peer_groups (partnership_id, id)
);
CREATE INDEX peer_meetings_group ON peer_meetings (partnership_id, group_id, meet_on);
)SQL",
         {"peer_groups", "peer_members", "peer_meetings"}});
}

namespace peer_store {

namespace {
using store::Value;

const char* kGroupCols =
    "SELECT g.id, g.name, g.name_cy, g.description, g.description_cy, g.place, g.usual_time, g.organisation_id,"
    " g.created_by, g.created_at,"
    " (SELECT COUNT(*) FROM peer_members m WHERE m.partnership_id = $1 AND m.group_id = g.id)"
    " FROM peer_groups g";

Group group_from(const store::Row& r) {
  Group g;
  g.id = r.i64(0);
  g.name = {r.text(1), r.text(2)};
  g.description = {r.text(3), r.text(4)};
  g.where = r.text(5);
  g.when = r.text(6);
  g.organisation_id = r.opt_i64(7);
  g.created_by = r.i64(8);
  g.created_at = r.i64(9);
  g.members = r.i64(10);
  return g;
}
}  // namespace

std::int64_t create(store::Scope& s, const GroupInput& in, std::int64_t by_user, const std::string& by_name) {
  auto now = now_seconds();
  auto id = s.insert({"peer_group.create", "peer_group", std::nullopt, ""},
                     "INSERT INTO peer_groups (partnership_id, name, name_cy, description, description_cy, place,"
                     " usual_time, organisation_id, created_by, created_at)"
                     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                     {in.name.en, in.name.cy, in.description.en, in.description.cy, in.where, in.when,
                      in.organisation_id ? Value{*in.organisation_id} : Value{nullptr}, by_user, now});
  s.insert({"peer_member.join", "peer_group", id, "organiser"},
           "INSERT INTO peer_members (partnership_id, group_id, user_id, name, role, joined_at)"
           " VALUES ($1, $2, $3, $4, 'organiser', $5) RETURNING id",
           {id, by_user, by_name, now});
  return id;
}

std::optional<Group> group(store::Scope& s, std::int64_t id) {
  auto r = s.read(std::string(kGroupCols) + " WHERE g.partnership_id = $1 AND g.id = $2", {id});
  if (r.empty()) return std::nullopt;
  return group_from(r.rows[0]);
}

std::vector<Group> groups(store::Scope& s) {
  std::vector<Group> out;
  for (const auto& r : s.read(std::string(kGroupCols) + " WHERE g.partnership_id = $1 ORDER BY g.name, g.id").rows)
    out.push_back(group_from(r));
  return out;
}

std::vector<Group> groups_of(store::Scope& s, std::int64_t user_id) {
  std::vector<Group> out;
  for (const auto& r : s.read(std::string(kGroupCols) +
                                  " WHERE g.partnership_id = $1 AND g.id IN (SELECT group_id FROM peer_members"
                                  " WHERE partnership_id = $1 AND user_id = $2) ORDER BY g.name, g.id",
                              {user_id}).rows)
    out.push_back(group_from(r));
  return out;
}

std::optional<std::string> role_of(store::Scope& s, std::int64_t group_id, std::int64_t user_id) {
  auto r = s.read("SELECT role FROM peer_members WHERE partnership_id = $1 AND group_id = $2 AND user_id = $3",
                  {group_id, user_id});
  if (r.empty()) return std::nullopt;
  return r.rows[0].text(0);
}

std::vector<Member> members(store::Scope& s, std::int64_t group_id) {
  std::vector<Member> out;
  for (const auto& r : s.read("SELECT user_id, name, role, joined_at FROM peer_members WHERE partnership_id = $1"
                              " AND group_id = $2 ORDER BY role DESC, name, id",
                              {group_id}).rows)
    {
    Member m;
    m.user_id = r.i64(0);
    m.joined_at = r.i64(3);
    m.name = r.text(1);
    m.role = r.text(2);
    out.push_back(m);
  }
  return out;
}

JoinResult join(store::Scope& s, std::int64_t group_id, std::int64_t user_id, const std::string& name) {
  if (role_of(s, group_id, user_id)) return JoinResult::already;
  s.insert({"peer_member.join", "peer_group", group_id, "member"},
           "INSERT INTO peer_members (partnership_id, group_id, user_id, name, role, joined_at)"
           " VALUES ($1, $2, $3, $4, 'member', $5) RETURNING id",
           {group_id, user_id, name, now_seconds()});
  return JoinResult::joined;
}

LeaveResult leave(store::Scope& s, std::int64_t group_id, std::int64_t user_id) {
  auto role = role_of(s, group_id, user_id);
  if (!role) return LeaveResult::not_member;
  // A group never loses its last organiser by accident: someone must be left to run it.
  if (*role == "organiser" &&
      s.read("SELECT COUNT(*) FROM peer_members WHERE partnership_id = $1 AND group_id = $2 AND role = 'organiser'",
             {group_id})
              .one()
              .i64(0) <= 1 &&
      s.read("SELECT COUNT(*) FROM peer_members WHERE partnership_id = $1 AND group_id = $2", {group_id}).one().i64(0) > 1)
    return LeaveResult::last_organiser;
  s.write({"peer_member.leave", "peer_group", group_id, ""},
          "DELETE FROM peer_members WHERE partnership_id = $1 AND group_id = $2 AND user_id = $3", {group_id, user_id});
  return LeaveResult::left;
}

std::int64_t add_meeting(store::Scope& s, std::int64_t group_id, const std::string& on, const std::string& at,
                         const std::string& place, std::int64_t by_user) {
  return s.insert({"peer_meeting.create", "peer_group", group_id, on},
                  "INSERT INTO peer_meetings (partnership_id, group_id, meet_on, meet_at, place, created_by, created_at)"
                  " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                  {group_id, on, at, place, by_user, now_seconds()});
}

std::vector<Meeting> upcoming(store::Scope& s, std::int64_t group_id, const std::string& today) {
  std::vector<Meeting> out;
  for (const auto& r : s.read("SELECT id, group_id, meet_on, meet_at, place FROM peer_meetings WHERE partnership_id = $1"
                              " AND group_id = $2 AND meet_on >= $3 ORDER BY meet_on, meet_at, id LIMIT 20",
                              {group_id, today}).rows)
    {
    Meeting m;
    m.id = r.i64(0);
    m.group_id = r.i64(1);
    m.on = r.text(2);
    m.at = r.text(3);
    m.place = r.text(4);
    out.push_back(m);
  }
  return out;
}

Held held(store::Scope& s, std::int64_t user_id) {
  Held h;
  for (const auto& g : groups_of(s, user_id))
    for (const auto& m : members(s, g.id))
      if (m.user_id == user_id) h.memberships.emplace_back(g, m);
  for (const auto& r : s.read(std::string(kGroupCols) + " WHERE g.partnership_id = $1 AND g.created_by = $2", {user_id}).rows)
    h.started.push_back(group_from(r));
  return h;
}

std::int64_t erase_user(store::Scope& s, std::int64_t user_id) {
  auto n = s.write({"peer_member.erase", "user", user_id, "erasure"},
                   "DELETE FROM peer_members WHERE partnership_id = $1 AND user_id = $2", {user_id});
  // The groups and meetings they set up stay for the others in them; only the link to the person goes.
  n += s.write({"peer_group.erase_creator", "user", user_id, "erasure"},
               "UPDATE peer_groups SET created_by = NULL WHERE partnership_id = $1 AND created_by = $2", {user_id});
  n += s.write({"peer_meeting.erase_creator", "user", user_id, "erasure"},
               "UPDATE peer_meetings SET created_by = NULL WHERE partnership_id = $1 AND created_by = $2", {user_id});
  return n;
}

}  // namespace peer_store

namespace peer_policy {
bool can_start_group(const std::optional<auth::Actor>& a) { return a.has_value(); }
}  // namespace peer_policy

void seed_peer_demo(app::App&, store::Scope& s) {
  if (!peer_store::groups(s).empty()) return;
  auto worker = AccountsModule::find_user(s, "worker@demo.example");
  if (!worker) return;
  auto contact = AccountsModule::contact(s, *worker);
  std::string organiser = contact ? contact->name : std::string("Organiser");
  auto org = organisations_store::find_by_slug(s, "solo-steps-families");
  peer::GroupInput a;
  a.name = {"Lone parents' coffee morning", "Bore coffi rhieni sengl"};
  a.description = {"Meet other parents bringing up children on their own. Share tips, swap news, and bring the little ones.",
                   "Dewch i gwrdd â rhieni eraill sy'n magu plant ar eu pen eu hunain. Rhannwch gyngor a dewch â'r rhai bach."};
  a.where = "Community hub, High Street";
  a.when = "Tuesdays, 10am to 11:30am";
  a.organisation_id = org;
  auto g1 = peer_store::create(s, a, *worker, organiser);
  peer::GroupInput b;
  b.name = {"Job club walk and talk", "Clwb swyddi cerdded a siarad"};
  b.description = {"A walk in the park, then a cuppa and a chat about looking for work. Run by people who have been there.",
                   "Taith yn y parc, yna paned a sgwrs am chwilio am waith. Wedi'i redeg gan bobl sydd wedi bod yno."};
  b.where = "Park gates, Station Road";
  b.when = "Fridays, 1pm";
  auto g2 = peer_store::create(s, b, *worker, organiser);
  auto day = [](int n) {
    auto t = static_cast<std::time_t>(now_seconds() + n * 86400);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return std::string(buf);
  };
  for (int w = 1; w <= 3; ++w) {
    peer_store::add_meeting(s, g1, day(7 * w - 3), "10:00", a.where, *worker);
    peer_store::add_meeting(s, g2, day(7 * w), "13:00", b.where, *worker);
  }
}

}  // namespace cp::modules
