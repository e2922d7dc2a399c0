// Peer support groups: run by a partner organisation or by people themselves. A group has a
// description (English and/or Welsh), where and when it usually meets, a list of dated meetings,
// and members who join and leave. Whoever starts a group is its organiser.
//
// Who sees whom: anyone may read about a group and its meetings; only its members and organisers
// see who the other members are. A member can put the group into their own plan, which adds a
// step through journeys_store::add_step with who = "peer".
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "web/bilingual.hpp"

namespace cp::modules {

namespace peer {

struct GroupInput {
  web::Bilingual name, description;
  std::string where, when;  // free text: "Kirkcaldy library, room 2"; "Tuesdays, 10am"
  std::optional<std::int64_t> organisation_id;  // run by this partner; none when run by people
};

struct Group : GroupInput {
  std::int64_t id = 0, created_by = 0, created_at = 0, members = 0;
};

struct Member {
  std::int64_t user_id = 0, joined_at = 0;
  std::string name, role;  // role: member or organiser
};

struct Meeting {
  std::int64_t id = 0, group_id = 0;
  std::string on, at, place;  // YYYY-MM-DD, HH:MM
};

enum class JoinResult { joined, already };
enum class LeaveResult { left, not_member, last_organiser };

}  // namespace peer

namespace peer_policy {
bool can_start_group(const std::optional<auth::Actor>& a);
}

namespace peer_store {
using namespace peer;

std::int64_t create(store::Scope& s, const GroupInput& in, std::int64_t by_user, const std::string& by_name);
std::optional<Group> group(store::Scope& s, std::int64_t id);
std::vector<Group> groups(store::Scope& s);
// The groups this account belongs to.
std::vector<Group> groups_of(store::Scope& s, std::int64_t user_id);
std::optional<std::string> role_of(store::Scope& s, std::int64_t group_id, std::int64_t user_id);
std::vector<Member> members(store::Scope& s, std::int64_t group_id);
JoinResult join(store::Scope& s, std::int64_t group_id, std::int64_t user_id, const std::string& name);
LeaveResult leave(store::Scope& s, std::int64_t group_id, std::int64_t user_id);
std::int64_t add_meeting(store::Scope& s, std::int64_t group_id, const std::string& on, const std::string& at,
                         const std::string& place, std::int64_t by_user);
// Meetings on or after `today` (YYYY-MM-DD), soonest first.
std::vector<Meeting> upcoming(store::Scope& s, std::int64_t group_id, const std::string& today);

// For data rights: this account's memberships and the groups and meetings it created.
struct Held {
  std::vector<std::pair<Group, Member>> memberships;
  std::vector<Group> started;
};
Held held(store::Scope& s, std::int64_t user_id);
// Removes the account's memberships and its name from what it organised. Returns rows changed.
std::int64_t erase_user(store::Scope& s, std::int64_t user_id);
}  // namespace peer_store

// Two demo groups, one run by a partner and one by people. Idempotent.
void seed_peer_demo(app::App& a, store::Scope& s);

class PeerModule : public app::Module {
 public:
  std::string name() const override { return "peer"; }
  void migrations(store::Migrations& m) const override;
  void install(app::App& a) override;
};

}  // namespace cp::modules
