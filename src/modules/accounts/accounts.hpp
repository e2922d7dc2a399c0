// Accounts: sign-up, sign-in (throttled), sign-out, your account, change password, and the
// partnership admin's account pages (reset a password, grant and remove roles).
// Other modules and the CLI create accounts through create_user(), never through the tables.
#pragma once
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "auth/roles.hpp"

namespace cp::modules {

struct NewUser {
  std::string email;
  std::string name;
  std::string password;
  std::vector<auth::Grant> grants;
  bool must_change_password = false;
  std::string language = "en";
};

// A rule the new account breaks; `key` is a catalogue key, `field` the form field.
struct AccountError : std::runtime_error {
  std::string field, key;
  AccountError(std::string f, std::string k) : std::runtime_error(k), field(std::move(f)), key(std::move(k)) {}
};

// Who may do what with accounts. One place; handlers only ask.
namespace accounts_policy {
bool can_manage_users(const std::optional<auth::Actor>& actor);
}

class AccountsModule : public app::Module {
 public:
  std::string name() const override { return "accounts"; }
  void install(app::App& a) override;

  // Creates an account with its roles in the Scope's partnership. Validates the email, name and
  // password (throws AccountError) and refuses an email already in use.
  static std::int64_t create_user(app::App& a, store::Scope& s, const NewUser& u);
  static std::optional<std::int64_t> find_user(store::Scope& s, const std::string& email);
  // How to reach an account (for notices): its name, email and chosen language; nullopt when the
  // account does not exist in this partnership or is disabled.
  struct Contact {
    std::string name, email, language;
  };
  static std::optional<Contact> contact(store::Scope& s, std::int64_t user_id);
  static void grant(store::Scope& s, std::int64_t user_id, const auth::Grant& g);
  // How many accounts hold each role (for the partnership overview).
  static std::map<std::string, std::int64_t> role_counts(store::Scope& s);
  // The active accounts that hold `role` for one organisation (say its managers, to tell them about
  // an inspection of their service), by id (holders.cpp).
  static std::vector<std::int64_t> holders(store::Scope& s, auth::Role role, std::int64_t organisation_id);
  static bool valid_email(const std::string& email);
};

}  // namespace cp::modules
