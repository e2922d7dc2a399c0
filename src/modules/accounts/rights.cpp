// What the accounts module holds about a person (the account itself, its roles and sessions), for
// the data-rights registry. Erasure closes the account: the row stays, with nothing that identifies
// anyone, because other records keep its id as a foreign key.
#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/rights/rights.hpp"

namespace cp::modules::rights {

void register_accounts_holder(Registry& r) {
  r.add({"accounts",
         {{"users", Treatment::anonymised,
           "the row stays so other records' ids still point somewhere; name, email and password go and it is closed"},
          {"user_roles", Treatment::deleted, "a closed account does nothing"},
          {"sessions", Treatment::deleted, "signs the account out everywhere"},
          {"audit_events", Treatment::kept,
           "the audit trail is append-only and holds ids and actions, never personal data; it is how the "
           "partnership shows what was done and by whom"}},
         [](store::Scope& s, const Subject& who) -> boost::json::value {
           boost::json::object o;
           if (!who.user_id) return o;
           auto c = AccountsModule::contact(s, who.user_id);
           if (!c) return o;
           o["name"] = c->name;
           o["email"] = c->email;
           o["language"] = c->language;
           boost::json::array roles;
           for (const auto& row : s.read("SELECT role FROM user_roles WHERE partnership_id = $1 AND user_id = $2"
                                         " ORDER BY role",
                                         {who.user_id}).rows)
             roles.push_back(boost::json::value(row.text(0)));
           o["roles"] = std::move(roles);
           return o;
         },
         [](store::Scope& s, const Subject& who) {
           Counts c;
           if (!who.user_id) return c;
           c["sessions"] = s.write({"session.erase", "user", who.user_id, "erasure"},
                                   "DELETE FROM sessions WHERE partnership_id = $1 AND user_id = $2", {who.user_id});
           c["user_roles"] = s.write({"user_role.erase", "user", who.user_id, "erasure"},
                                     "DELETE FROM user_roles WHERE partnership_id = $1 AND user_id = $2", {who.user_id});
           c["users"] = s.write({"user.erase", "user", who.user_id, "erasure"},
                                "UPDATE users SET name = 'Erased account', email = $2, password_hash = '!',"
                                " disabled_at = $3 WHERE partnership_id = $1 AND id = $4",
                                {"erased-" + std::to_string(who.user_id) + "@erased.invalid", now_seconds(), who.user_id});
           return c;
         }});
}

}  // namespace cp::modules::rights
