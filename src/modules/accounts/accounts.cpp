#include "modules/accounts/accounts.hpp"

#include "core/util.hpp"
#include "web/format.hpp"

namespace cp::modules {

namespace {

constexpr int kWindowSeconds = 15 * 60;
constexpr int kMaxPerAccount = 5;
constexpr int kMaxPerAddress = 20;
// New accounts from one address in an hour. Generous: a library or community hub may help many
// people sign up on one connection; this only stops a script filling the database.
constexpr int kSignUpWindowSeconds = 60 * 60;
constexpr int kMaxSignUpsPerAddress = 30;
// Counters older than the longest window are no longer needed.
constexpr int kPurgeAfterSeconds = kSignUpWindowSeconds > kWindowSeconds ? kSignUpWindowSeconds : kWindowSeconds;

using app::Ctx;
using app::FormErrors;

std::string safe_next(const std::string& next) {
  // Only local paths: never send someone to another site after signing in.
  if (next.size() > 1 && next[0] == '/' && next[1] != '/' && next.find('\\') == std::string::npos &&
      next.find("://") == std::string::npos)
    return next;
  return "/account";
}

// ------------------------------------------------------------ sign up

http::Response sign_up_form(Ctx& ctx, const FormErrors& errors, int status) {
  web::Data d;
  errors.fill(d);
  d.set("name", ctx.field("name"));
  d.set("email", ctx.field("email"));
  ctx.csrf();
  return ctx.page(ctx.t("accounts.sign_up_title"), "accounts/sign_up", d, status);
}

http::Response sign_up_show(Ctx& ctx) {
  if (ctx.signed_in()) return http::Response::redirect("/account");
  return sign_up_form(ctx, {}, 200);
}

http::Response sign_up_submit(Ctx& ctx) {
  if (ctx.signed_in()) return http::Response::redirect("/account");
  FormErrors errors;
  NewUser u;
  u.name = ctx.field("name");
  u.email = to_lower(ctx.field("email"));
  u.password = ctx.form().count("password") ? ctx.form().find("password")->second : "";
  std::string confirm = ctx.form().count("password_confirm") ? ctx.form().find("password_confirm")->second : "";
  u.grants.push_back({auth::Role::person, std::nullopt});
  // Check every field first, so the person can fix everything at once.
  if (u.name.empty()) errors.add("name", ctx.t("accounts.error_name_missing"));
  else if (u.name.size() > 200) errors.add("name", ctx.t("accounts.error_name_long"));
  if (!AccountsModule::valid_email(u.email)) errors.add("email", ctx.t("accounts.error_email_invalid"));
  if (auto p = ctx.app.password_rules.problem(u.password, u.email)) errors.add("password", ctx.t(*p));
  else if (u.password != confirm) errors.add("password_confirm", ctx.t("accounts.error_password_match"));
  std::int64_t id = 0;
  auto now = now_seconds();
  std::string signup_key = "sign-up:" + ctx.req.remote_addr;
  if (!errors.any()) {
    auto w = ctx.read();
    auto recent = w->read("SELECT COUNT(*) FROM login_attempts WHERE partnership_id = $1 AND throttle_key = $2 AND at > $3",
                          {signup_key, now - kSignUpWindowSeconds});
    if (recent.one().i64(0) >= kMaxSignUpsPerAddress) {
      errors.add("email", ctx.t("accounts.error_sign_up_throttled"));
      return sign_up_form(ctx, errors, 429);
    }
  }
  if (!errors.any()) {
    try {
      auto w = ctx.work();
      id = AccountsModule::create_user(ctx.app, w.scope(), u);
      w->bookkeeping("INSERT INTO login_attempts (partnership_id, throttle_key, at) VALUES ($1, $2, $3)", {signup_key, now});
      w.commit();
    } catch (const AccountError& e) {
      errors.add(e.field, ctx.t(e.key));
    }
  }
  if (errors.any()) return sign_up_form(ctx, errors, 400);
  ctx.start_session(id);
  ctx.set_flash("accounts.flash_signed_up");
  return http::Response::redirect("/account");
}

// ------------------------------------------------------------ sign in

http::Response sign_in_form(Ctx& ctx, const std::string& error, int status) {
  web::Data d;
  FormErrors errors;
  if (!error.empty()) errors.add("email", error);
  errors.fill(d);
  d.set("email", ctx.field("email"));
  std::string next = ctx.req.method == "GET" ? ctx.req.query_param("next") : ctx.field("next");
  d.set("next", safe_next(next));
  ctx.csrf();
  return ctx.page(ctx.t("accounts.sign_in_title"), "accounts/sign_in", d, status);
}

http::Response sign_in_show(Ctx& ctx) {
  if (ctx.signed_in()) return http::Response::redirect("/account");
  return sign_in_form(ctx, "", 200);
}

http::Response sign_in_submit(Ctx& ctx) {
  std::string email = to_lower(ctx.field("email"));
  std::string password = ctx.form().count("password") ? ctx.form().find("password")->second : "";
  if (email.empty() || password.empty()) return sign_in_form(ctx, ctx.t("accounts.error_sign_in_missing"), 400);
  auto now = now_seconds();
  std::string acct_key = "account:" + email, addr_key = "address:" + ctx.req.remote_addr;
  std::optional<std::int64_t> user_id;
  std::string hash;
  bool throttled = false;
  {
    auto w = ctx.read();
    auto counts = w->read(
        "SELECT throttle_key, COUNT(*) FROM login_attempts WHERE partnership_id = $1 AND at > $2 AND throttle_key IN ($3, $4)"
        " GROUP BY throttle_key",
        {now - kWindowSeconds, acct_key, addr_key});
    for (const auto& r : counts.rows) {
      if (r.text(0) == acct_key && r.i64(1) >= kMaxPerAccount) throttled = true;
      if (r.text(0) == addr_key && r.i64(1) >= kMaxPerAddress) throttled = true;
    }
    auto u = w->read("SELECT id, password_hash FROM users WHERE partnership_id = $1 AND email = $2 AND disabled_at IS NULL",
                     {email});
    if (!u.empty()) {
      user_id = u.one().i64(0);
      hash = u.one().text(1);
    }
  }
  // The same message whether the account exists, the password is wrong, or there were too many tries.
  bool ok = false;
  if (!throttled) {
    if (user_id) ok = auth::verify_password(hash, password);
    else auth::verify_dummy(ctx.app.hash_cost);
  }
  if (!ok) {
    auto w = ctx.work();
    if (!throttled) {
      w->bookkeeping("INSERT INTO login_attempts (partnership_id, throttle_key, at) VALUES ($1, $2, $3)", {acct_key, now});
      w->bookkeeping("INSERT INTO login_attempts (partnership_id, throttle_key, at) VALUES ($1, $2, $3)", {addr_key, now});
    }
    w->bookkeeping("DELETE FROM login_attempts WHERE partnership_id = $1 AND at < $2", {now - kPurgeAfterSeconds});
    w->audit({throttled ? "session.sign_in_throttled" : "session.sign_in_failed", "user", user_id, ""});
    w.commit();
    return sign_in_form(ctx, ctx.t("accounts.error_sign_in_failed"), throttled ? 429 : 400);
  }
  {
    auto w = ctx.work();
    w->bookkeeping("DELETE FROM login_attempts WHERE partnership_id = $1 AND (throttle_key = $2 OR at < $3)",
                   {acct_key, now - kPurgeAfterSeconds});
    w.commit();
  }
  ctx.start_session(*user_id);
  return http::Response::redirect(safe_next(ctx.field("next")));
}

http::Response sign_out(Ctx& ctx) {
  ctx.end_session();
  ctx.set_flash("accounts.flash_signed_out");
  return http::Response::redirect("/");
}

// ------------------------------------------------------------ your account

http::Response account(Ctx& ctx) {
  if (!ctx.signed_in()) return ctx.deny();
  web::Data d;
  d.set("name", ctx.actor->name);
  d.set("email", ctx.actor->email);
  web::List roles;
  for (const auto& g : ctx.actor->grants) roles.push_back(web::Data("label", ctx.t("accounts.role_" + auth::to_string(g.role))));
  d.set("roles", roles);
  d.set("must_change_password", ctx.actor->must_change_password);
  d.set("is_admin", accounts_policy::can_manage_users(ctx.actor));
  return ctx.page(ctx.t("accounts.account_title"), "accounts/account", d);
}

http::Response password_form(Ctx& ctx, const FormErrors& errors, int status) {
  web::Data d;
  errors.fill(d);
  d.set("must_change_password", ctx.actor->must_change_password);
  return ctx.page(ctx.t("accounts.password_title"), "accounts/password", d, status);
}

http::Response password_show(Ctx& ctx) {
  if (!ctx.signed_in()) return ctx.deny();
  return password_form(ctx, {}, 200);
}

http::Response password_submit(Ctx& ctx) {
  if (!ctx.signed_in()) return ctx.deny();
  auto get = [&](const char* k) { return ctx.form().count(k) ? ctx.form().find(k)->second : std::string(); };
  std::string current = get("current_password"), next = get("new_password"), confirm = get("new_password_confirm");
  FormErrors errors;
  std::string hash;
  {
    auto w = ctx.read();
    hash = w->read("SELECT password_hash FROM users WHERE partnership_id = $1 AND id = $2", {ctx.actor->user_id}).one().text(0);
  }
  if (!auth::verify_password(hash, current)) errors.add("current_password", ctx.t("accounts.error_current_password"));
  if (auto p = ctx.app.password_rules.problem(next, ctx.actor->email)) errors.add("new_password", ctx.t(*p));
  else if (next != confirm) errors.add("new_password_confirm", ctx.t("accounts.error_password_match"));
  if (errors.any()) return password_form(ctx, errors, 400);
  auto w = ctx.work();
  w->write({"user.password_change", "user", ctx.actor->user_id, ""},
           "UPDATE users SET password_hash = $2, password_changed_at = $3, must_change_password = 0"
           " WHERE partnership_id = $1 AND id = $4",
           {auth::hash_password(next, ctx.app.hash_cost), now_seconds(), ctx.actor->user_id});
  // Sign out every other session of this account.
  w->write({"session.revoke_others", "user", ctx.actor->user_id, ""},
           "DELETE FROM sessions WHERE partnership_id = $1 AND user_id = $2 AND id <> $3",
           {ctx.actor->user_id, ctx.session_id.value_or(0)});
  w.commit();
  ctx.set_flash("accounts.flash_password_changed");
  return http::Response::redirect("/account");
}

// ------------------------------------------------------------ admin: accounts

http::Response admin_users(Ctx& ctx) {
  if (!accounts_policy::can_manage_users(ctx.actor)) return ctx.deny();
  std::string q = trim(ctx.req.query_param("q"));
  auto w = ctx.read();
  auto r = w->read(
      "SELECT u.id, u.name, u.email, (SELECT COUNT(*) FROM user_roles r WHERE r.partnership_id = $1 AND r.user_id = u.id)"
      " FROM users u WHERE u.partnership_id = $1 AND ($2 = '' OR lower(u.name) LIKE $3 OR lower(u.email) LIKE $3)"
      " ORDER BY lower(u.name) LIMIT 200",
      {q, "%" + to_lower(q) + "%"});
  web::List users;
  for (const auto& row : r.rows) {
    web::Data u;
    u.set("id", std::to_string(row.i64(0)));
    u.set("name", row.text(1));
    u.set("email", row.text(2));
    users.push_back(u);
  }
  web::Data d;
  d.set("users", users);
  d.set("q", q);
  d.set("count", web::plural(ctx.app.catalogue, ctx.lang, "accounts.admin_count", static_cast<std::int64_t>(r.rows.size())));
  return ctx.page(ctx.t("accounts.admin_title"), "accounts/admin_users", d);
}

http::Response admin_user_page(Ctx& ctx, std::int64_t id, const FormErrors& errors, int status,
                               const std::string& temp_password) {
  auto w = ctx.read();
  auto u = w->read("SELECT id, name, email, must_change_password FROM users WHERE partnership_id = $1 AND id = $2", {id});
  if (u.empty()) return ctx.not_found();
  auto roles = w->read("SELECT role, COALESCE(organisation_id, 0) FROM user_roles WHERE partnership_id = $1 AND user_id = $2"
                       " ORDER BY role",
                       {id});
  web::Data d;
  errors.fill(d);
  d.set("id", std::to_string(id));
  d.set("name", u.one().text(1));
  d.set("email", u.one().text(2));
  d.set("temp_password", temp_password);
  d.set("has_temp_password", !temp_password.empty());
  web::List grants;
  for (const auto& r : roles.rows) {
    web::Data g;
    g.set("role", r.text(0));
    g.set("label", ctx.t("accounts.role_" + r.text(0)));
    g.set("organisation_id", std::to_string(r.i64(1)));
    g.set("has_organisation", r.i64(1) != 0);
    grants.push_back(g);
  }
  d.set("grants", grants);
  web::List options;
  for (auth::Role role : auth::kAllRoles) {
    web::Data o;
    o.set("value", auth::to_string(role));
    o.set("label", ctx.t("accounts.role_" + auth::to_string(role)));
    options.push_back(o);
  }
  d.set("role_options", options);
  ctx.csrf();
  return ctx.page(u.one().text(1), "accounts/admin_user", d, status);
}

std::optional<std::int64_t> path_id(Ctx& ctx) { return parse_int(ctx.req.path_params["id"]); }

http::Response admin_user(Ctx& ctx) {
  if (!accounts_policy::can_manage_users(ctx.actor)) return ctx.deny();
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  return admin_user_page(ctx, *id, {}, 200, "");
}

http::Response admin_reset_password(Ctx& ctx) {
  if (!accounts_policy::can_manage_users(ctx.actor)) return ctx.deny();
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  // A one-time password the admin passes on in person; the person must change it at next sign-in.
  std::string temp = random_token(9);
  auto w = ctx.work();
  auto n = w->write({"user.password_reset", "user", *id, "by partnership admin"},
                    "UPDATE users SET password_hash = $2, must_change_password = 1, password_changed_at = $3"
                    " WHERE partnership_id = $1 AND id = $4",
                    {auth::hash_password(temp, ctx.app.hash_cost), now_seconds(), *id});
  if (n == 0) return ctx.not_found();
  w->write({"session.revoke_all", "user", *id, "password reset"},
           "DELETE FROM sessions WHERE partnership_id = $1 AND user_id = $2", {*id});
  w.commit();
  return admin_user_page(ctx, *id, {}, 200, temp);
}

http::Response admin_add_role(Ctx& ctx) {
  if (!accounts_policy::can_manage_users(ctx.actor)) return ctx.deny();
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  FormErrors errors;
  auto role = auth::parse_role(ctx.field("role"));
  if (!role) errors.add("role", ctx.t("accounts.error_role_missing"));
  std::optional<std::int64_t> org;
  std::string org_text = ctx.field("organisation_id");
  if (!org_text.empty()) {
    org = parse_int(org_text);
    if (!org || *org <= 0) errors.add("organisation_id", ctx.t("accounts.error_organisation_id"));
  }
  if (role && (*role == auth::Role::worker || *role == auth::Role::manager) && !org)
    errors.add("organisation_id", ctx.t("accounts.error_organisation_needed"));
  if (errors.any()) return admin_user_page(ctx, *id, errors, 400, "");
  try {
    auto w = ctx.work();
    if (w->read("SELECT 1 FROM users WHERE partnership_id = $1 AND id = $2", {*id}).empty()) return ctx.not_found();
    AccountsModule::grant(w.scope(), *id, {*role, org});
    w.commit();
  } catch (const store::DbError& e) {
    if (e.kind != store::DbError::Kind::unique) throw;
    errors.add("role", ctx.t("accounts.error_role_held"));
    return admin_user_page(ctx, *id, errors, 400, "");
  }
  ctx.set_flash("accounts.flash_role_added");
  return http::Response::redirect("/admin/users/" + std::to_string(*id));
}

http::Response admin_remove_role(Ctx& ctx) {
  if (!accounts_policy::can_manage_users(ctx.actor)) return ctx.deny();
  auto id = path_id(ctx);
  if (!id) return ctx.not_found();
  auto role = auth::parse_role(ctx.field("role"));
  auto org = parse_int(ctx.field("organisation_id")).value_or(0);
  if (!role) {
    FormErrors errors;
    errors.add("role", ctx.t("accounts.error_role_missing"));
    return admin_user_page(ctx, *id, errors, 400, "");
  }
  if (*id == ctx.actor->user_id && *role == auth::Role::admin) {
    FormErrors errors;
    errors.add("role", ctx.t("accounts.error_remove_own_admin"));
    return admin_user_page(ctx, *id, errors, 400, "");
  }
  auto w = ctx.work();
  if (w->read("SELECT 1 FROM users WHERE partnership_id = $1 AND id = $2", {*id}).empty()) return ctx.not_found();
  w->write({"user.role_remove", "user", *id, auth::to_string(*role)},
           "DELETE FROM user_roles WHERE partnership_id = $1 AND user_id = $2 AND role = $3 AND COALESCE(organisation_id, 0) = $4",
           {*id, auth::to_string(*role), org});
  w.commit();
  ctx.set_flash("accounts.flash_role_removed");
  return http::Response::redirect("/admin/users/" + std::to_string(*id));
}

}  // namespace

bool AccountsModule::valid_email(const std::string& email) {
  auto at = email.find('@');
  if (email.size() > 254 || at == std::string::npos || at == 0 || at != email.rfind('@')) return false;
  auto domain = email.substr(at + 1);
  if (domain.size() < 3 || domain.find('.') == std::string::npos || domain.front() == '.' || domain.back() == '.')
    return false;
  for (unsigned char c : email)
    if (c <= ' ' || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' || c == 127) return false;
  return true;
}

std::int64_t AccountsModule::create_user(app::App& a, store::Scope& s, const NewUser& u) {
  std::string email = to_lower(trim(u.email));
  std::string name = trim(u.name);
  if (name.empty()) throw AccountError("name", "accounts.error_name_missing");
  if (name.size() > 200) throw AccountError("name", "accounts.error_name_long");
  if (!valid_email(email)) throw AccountError("email", "accounts.error_email_invalid");
  if (auto p = a.password_rules.problem(u.password, email)) throw AccountError("password", *p);
  if (find_user(s, email)) throw AccountError("email", "accounts.error_email_taken");
  auto now = now_seconds();
  std::int64_t id;
  try {
    id = s.insert({"user.create", "user", std::nullopt, ""},
                  "INSERT INTO users (partnership_id, email, name, password_hash, language, must_change_password, created_at,"
                  " password_changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
                  {email, name, auth::hash_password(u.password, a.hash_cost), u.language,
                   std::int64_t{u.must_change_password ? 1 : 0}, now});
  } catch (const store::DbError& e) {
    if (e.kind == store::DbError::Kind::unique) throw AccountError("email", "accounts.error_email_taken");
    throw;
  }
  for (const auto& g : u.grants) grant(s, id, g);
  return id;
}

std::optional<std::int64_t> AccountsModule::find_user(store::Scope& s, const std::string& email) {
  auto r = s.read("SELECT id FROM users WHERE partnership_id = $1 AND email = $2", {to_lower(trim(email))});
  if (r.empty()) return std::nullopt;
  return r.one().i64(0);
}

std::optional<AccountsModule::Contact> AccountsModule::contact(store::Scope& s, std::int64_t user_id) {
  auto r = s.read("SELECT name, email, language FROM users WHERE partnership_id = $1 AND id = $2 AND disabled_at IS NULL",
                  {user_id});
  if (r.empty()) return std::nullopt;
  return Contact{r.one().text(0), r.one().text(1), r.one().text(2)};
}

void AccountsModule::grant(store::Scope& s, std::int64_t user_id, const auth::Grant& g) {
  s.insert({"user.role_grant", "user", user_id, auth::to_string(g.role)},
           "INSERT INTO user_roles (partnership_id, user_id, role, organisation_id, granted_at) VALUES ($1, $2, $3, $4, $5)"
           " RETURNING user_id",
           {user_id, auth::to_string(g.role), g.organisation_id ? store::Value{*g.organisation_id} : store::Value{nullptr},
            now_seconds()});
}

std::map<std::string, std::int64_t> AccountsModule::role_counts(store::Scope& s) {
  std::map<std::string, std::int64_t> out;
  auto r = s.read("SELECT role, COUNT(DISTINCT user_id) FROM user_roles WHERE partnership_id = $1 GROUP BY role");
  for (const auto& row : r.rows) out[row.text(0)] = row.i64(1);
  return out;
}

void AccountsModule::install(app::App& a) {
  a.route("GET", "/sign-up", "accounts.sign_up", sign_up_show);
  a.route("POST", "/sign-up", "accounts.sign_up_submit", sign_up_submit);
  a.route("GET", "/sign-in", "accounts.sign_in", sign_in_show);
  a.route("POST", "/sign-in", "accounts.sign_in_submit", sign_in_submit);
  a.route("POST", "/sign-out", "accounts.sign_out", sign_out);
  a.route("GET", "/account", "accounts.account", account);
  a.route("GET", "/account/password", "accounts.password", password_show);
  a.route("POST", "/account/password", "accounts.password_submit", password_submit);
  a.route("GET", "/admin/users", "accounts.admin_users", admin_users);
  a.route("GET", "/admin/users/{id}", "accounts.admin_user", admin_user);
  a.route("POST", "/admin/users/{id}/reset-password", "accounts.admin_reset_password", admin_reset_password);
  a.route("POST", "/admin/users/{id}/roles", "accounts.admin_add_role", admin_add_role);
  a.route("POST", "/admin/users/{id}/roles/remove", "accounts.admin_remove_role", admin_remove_role);
  a.nav({"accounts.nav_admin", "/admin/users",
         [](const app::Ctx& c) { return accounts_policy::can_manage_users(c.actor); }});
}

}  // namespace cp::modules
