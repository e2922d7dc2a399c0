#include "modules/partnership/partnership.hpp"

#include "modules/accounts/accounts.hpp"
#include "modules/organisations/organisations.hpp"
#include "web/format.hpp"

namespace cp::modules {

namespace {

http::Response overview(app::Ctx& ctx) {
  auto w = ctx.read();
  auto kinds = organisations_store::count_by_kind(w.scope());
  auto roles = AccountsModule::role_counts(w.scope());
  web::Data d;
  d.set("name", ctx.partnership.name);
  d.set("summary", ctx.partnership.summary);
  web::List kind_rows;
  std::int64_t total = 0;
  for (const auto& [kind, n] : kinds) {
    web::Data r;
    r.set("label", ctx.t("organisations.kind_" + kind));
    r.set("count", web::format_number(ctx.lang, n));
    kind_rows.push_back(r);
    total += n;
  }
  d.set("kinds", kind_rows);
  d.set("organisations_total", web::plural(ctx.app.catalogue, ctx.lang, "partnership.organisations_total", total));
  web::List role_rows;
  for (auth::Role role : auth::kAllRoles) {
    web::Data r;
    r.set("label", ctx.t("accounts.role_" + auth::to_string(role)));
    auto it = roles.find(auth::to_string(role));
    r.set("count", web::format_number(ctx.lang, it == roles.end() ? 0 : it->second));
    role_rows.push_back(r);
  }
  d.set("roles", role_rows);
  return ctx.page(ctx.partnership.name, "partnership/overview", d);
}

}  // namespace

void PartnershipModule::install(app::App& a) {
  a.route("GET", "/partnership", "partnership.overview", overview);
  a.nav({"partnership.nav", "/partnership", nullptr});
}

}  // namespace cp::modules
