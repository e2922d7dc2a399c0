// Welsh and English: the switch on every page keeps the person where they are, the page then comes
// in the chosen language (html lang, text, form errors), the choice is remembered in a cookie and,
// for someone signed in, on their account, and a language we do not offer is ignored.
#include <gtest/gtest.h>

#include "http_support.hpp"

using namespace cp;
using namespace cp::test;

namespace {

std::string in_welsh(TestApp& t, const std::string& key) { return html_escape(t.app->catalogue.t("cy", key)); }

// The Set-Cookie line that sets cp_lang ("" if none).
std::string lang_cookie(const HttpResult& r) {
  for (const auto& c : r.all("set-cookie"))
    if (c.rfind("cp_lang=", 0) == 0) return c;
  return {};
}

}  // namespace

TEST(HttpI18n, SwitchLinkKeepsThePathAndQuery) {
  TestServer s;
  Client c(s.port);
  auto en = c.get("/organisations?q=debt&page=1");
  ASSERT_EQ(en.status, 200);
  EXPECT_TRUE(contains(en.body, "<html lang=\"en\""));
  // The other query parameters stay; an old lang is replaced, never repeated.
  EXPECT_TRUE(contains(en.body, "href=\"/organisations?page=1&amp;q=debt&amp;lang=cy\" lang=\"cy\" hreflang=\"cy\">Cymraeg</a>"))
      << en.body;

  auto cy = c.get("/organisations?page=1&q=debt&lang=cy");
  ASSERT_EQ(cy.status, 200);
  EXPECT_TRUE(contains(cy.body, "<html lang=\"cy\""));
  EXPECT_TRUE(contains(cy.body, in_welsh(s, "organisations.list_heading")));
  EXPECT_FALSE(contains(cy.body, shown(s, "organisations.list_heading")));
  EXPECT_TRUE(contains(cy.body, "href=\"/organisations?page=1&amp;q=debt&amp;lang=en\" lang=\"en\" hreflang=\"en\">English</a>"));
  EXPECT_EQ(occurrences(cy.body, "lang=cy"), 0u);
}

TEST(HttpI18n, WelshChoiceIsRememberedInACookie) {
  TestServer s;
  Client c(s.port);
  auto first = c.get("/privacy?lang=cy");
  ASSERT_EQ(first.status, 200);
  auto cookie = lang_cookie(first);
  EXPECT_TRUE(contains(cookie, "cp_lang=cy;")) << cookie;
  EXPECT_TRUE(contains(cookie, "HttpOnly"));
  EXPECT_TRUE(contains(cookie, "SameSite=Lax"));
  EXPECT_TRUE(contains(cookie, "Max-Age=31536000"));
  EXPECT_FALSE(contains(cookie, "Secure"));  // tests run without secure cookies

  // A later page with no lang in its address is still in Welsh, and does not set the cookie again.
  auto later = c.get("/");
  EXPECT_TRUE(contains(later.body, "<html lang=\"cy\""));
  EXPECT_TRUE(contains(later.body, in_welsh(s, "site.start_heading")));
  EXPECT_TRUE(lang_cookie(later).empty());

  auto back = c.get("/?lang=en");
  EXPECT_TRUE(contains(back.body, "<html lang=\"en\""));
  EXPECT_TRUE(contains(back.body, shown(s, "site.start_heading")));
  EXPECT_TRUE(contains(lang_cookie(back), "cp_lang=en;"));
}

TEST(HttpI18n, SecureCookieWhenConfigured) {
  Config cfg;
  cfg.secure_cookies = true;
  TestServer s(cfg);
  Client c(s.port);
  EXPECT_TRUE(contains(lang_cookie(c.get("/?lang=cy")), "; Secure"));
}

TEST(HttpI18n, FormErrorsAreInWelsh) {
  TestServer s;
  auto admin = signed_in_as(s, auth::Role::admin, "admin@example.org");
  ASSERT_EQ(admin.get("/organisations/new?lang=cy").status, 200);
  auto r = admin.submit("/organisations/new", "/organisations", {{"name", ""}, {"kind", ""}, {"summary", ""}});
  EXPECT_GE(r.status, 400);
  EXPECT_TRUE(contains(r.body, "<html lang=\"cy\""));
  EXPECT_TRUE(contains(r.body, in_welsh(s, "site.there_is_a_problem")));
  auto summary = error_summary(r.body);
  // (Texts with an apostrophe are escaped differently by the templates, so these two have none.)
  EXPECT_TRUE(contains(summary, in_welsh(s, "organisations.error_kind_missing"))) << summary;
  EXPECT_TRUE(contains(summary, "<a href=\"#name\">Rhowch enw"));
  EXPECT_FALSE(contains(summary, shown(s, "organisations.error_kind_missing")));
  EXPECT_EQ(organisation_count(s, s.alpha), 0);
}

TEST(HttpI18n, SignedInChoiceIsStoredAndUsedAtTheNextSignIn) {
  TestServer s;
  auto id = s.add_user(s.alpha, "ceri@example.org", kPassword, auth::Role::person);
  Client phone(s.port);
  ASSERT_EQ(phone.sign_in("ceri@example.org", kPassword).status, 303);
  EXPECT_TRUE(contains(phone.get("/account").body, "<html lang=\"en\""));
  ASSERT_EQ(phone.get("/account?lang=cy").status, 200);
  EXPECT_EQ(read_rows(s, s.alpha, "SELECT language FROM users WHERE partnership_id = $1 AND id = $2", {id}).one().text(0),
            "cy");
  EXPECT_EQ(read_int(s, s.alpha,
                     "SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'user.language' AND"
                     " record_type = 'user' AND record_id = $2 AND actor_user_id = $2",
                     {id}),
            1);
  // Asking again for the language already stored writes nothing more.
  phone.get("/?lang=cy");
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM audit_events WHERE partnership_id = $1 AND action = 'user.language'"),
            1);

  // A new device with no cookies: the account's language wins as soon as they sign in.
  Client laptop(s.port);
  EXPECT_TRUE(contains(laptop.get("/sign-in").body, "<html lang=\"en\""));
  ASSERT_EQ(laptop.sign_in("ceri@example.org", kPassword).status, 303);
  EXPECT_TRUE(laptop.cookie("cp_lang").empty());
  auto account = laptop.get("/account");
  EXPECT_TRUE(contains(account.body, "<html lang=\"cy\""));
  EXPECT_TRUE(contains(account.body, in_welsh(s, "accounts.account_heading")));

  // The stored language beats a cookie left from before.
  laptop.set_cookie("cp_lang", "en");
  EXPECT_TRUE(contains(laptop.get("/account").body, "<html lang=\"cy\""));
}

TEST(HttpI18n, UnknownLanguageIsIgnored) {
  TestServer s;
  Client c(s.port);
  for (const char* bad : {"fr", "CY", "cy-GB", "", "en%0d%0aSet-Cookie:%20x=1"}) {
    auto r = c.get(std::string("/?lang=") + bad);
    EXPECT_EQ(r.status, 200) << bad;
    EXPECT_TRUE(contains(r.body, "<html lang=\"en\"")) << bad;
    EXPECT_TRUE(lang_cookie(r).empty()) << bad;
  }
  // A Welsh cookie survives a bad lang, and a bad cookie means English.
  c.set_cookie("cp_lang", "cy");
  EXPECT_TRUE(contains(c.get("/?lang=de").body, "<html lang=\"cy\""));
  c.set_cookie("cp_lang", "xx");
  EXPECT_TRUE(contains(c.get("/").body, "<html lang=\"en\""));
}

TEST(HttpI18n, SwitchLinkNeverPointsAtAnotherSite) {
  TestServer s;
  Client c(s.port);
  auto r = c.get("//evil.example/x?lang=cy");
  EXPECT_TRUE(contains(r.body, "href=\"/evil.example/x?lang=en\"")) << r.body.substr(0, 2000);
  EXPECT_FALSE(contains(r.body, "href=\"//"));
  auto slashes = c.get("/\\evil.example/x");  // still Welsh from the cookie
  EXPECT_TRUE(contains(slashes.body, "href=\"/evil.example/x?lang=en\"")) << slashes.status;
  EXPECT_FALSE(contains(slashes.body, "href=\"/\\"));
}

TEST(HttpI18n, SwitchLinkDropsAForeignAddressFromTheQuery) {
  TestServer s;
  Client c(s.port);
  auto r = c.get("/sign-in?next=%2Forganisations&other=https%3A%2F%2Fevil.example%2Fx");
  EXPECT_TRUE(contains(r.body, "href=\"/sign-in?next=%2Forganisations&amp;lang=cy\"")) << r.body.substr(0, 3000);
  EXPECT_FALSE(contains(r.body, "evil.example"));
}
