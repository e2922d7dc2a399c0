// The directory's page routes in the permission matrix (the /openreferral/ rows live in
// tests/http/permissions_test.cpp). Letters per role, in kRoles order:
//   anon person worker manager other_manager commissioner councillor admin beta_admin
#include "modules/directory/directory.hpp"
#include "support/matrix.hpp"

namespace {

using namespace cp;
using namespace cp::test::matrix;

// The row's service, run by the organisation the "manager" column manages.
std::string service_of_target_org(Target& t) {
  auto w = t.s->app->work(t.p->id, {std::nullopt, "test", "", ""});
  w->write({"test.setup", "directory_service", std::nullopt, ""},
           "UPDATE directory_services SET organisation_id = $2 WHERE partnership_id = $1 AND uuid = $3", {t.org, t.service});
  w.commit();
  return t.service;
}

// A waiting suggestion in the row's partnership, made by its plain account.
std::int64_t waiting_suggestion(Target& t) {
  auto w = t.s->app->work(t.p->id, {std::nullopt, "test", "", ""});
  modules::directory_survey::SuggestionInput in;
  in.name = "Matrix lunch club";
  in.asset_kind = "community_group";
  in.what = "Soup and a chat.";
  in.town = "Kirkcaldy";
  auto id = modules::directory_survey::suggest(w.scope(), in, t.user, 1700000000);
  w.commit();
  return id;
}

// A finished import in the row's partnership, for its progress page.
std::int64_t finished_import(Target& t) {
  auto w = t.s->app->work(t.p->id, {std::nullopt, "test", "", ""});
  auto id = w->insert({"test.setup", "directory_import", std::nullopt, ""},
                      "INSERT INTO directory_imports (partnership_id, status, source, kind, total, imported, started_at,"
                      " result) VALUES ($1, 'done', 'matrix.json', 'json', 0, 0, 1700000000, $2) RETURNING id",
                      {std::string(R"({"services":0,"locations":0,"organisations":0,"taxonomies":0,"terms":0})")});
  w.commit();
  return id;
}

// An upload of an empty feed, as the admin page's form sends it.
Request upload() {
  return {"POST", "/admin/directory/imports",
          "--matrixboundary\r\nContent-Disposition: form-data; name=\"files\"; filename=\"empty.json\"\r\n"
          "Content-Type: application/json\r\n\r\n[]\r\n--matrixboundary--\r\n",
          "multipart/form-data; boundary=matrixboundary", false};
}

const std::string kSuggestion = "name=Matrix+walk&asset_kind=walking_group&what=A+gentle+walk.&town=Kirkcaldy";

std::vector<Row> directory_page_rows() {
  return {
      {"GET", "/services", "OOOOOOOOO", [](auto&, int) { return page("GET", "/services?q=matrix"); }},
      {"GET", "/services/review", "DDDOODDOD", [](auto&, int) { return page("GET", "/services/review"); }},
      {"GET", "/services/{id}", "OOOOOOOOO", [](Target& t, int) { return page("GET", "/services/" + t.service); }},
      {"POST", "/services/{id}/checked", "DDDODDDOD",
       [](Target& t, int) { return page("POST", "/services/" + service_of_target_org(t) + "/checked"); }},
      // The words of a service, in English and Welsh: the same people as "Mark as checked".
      {"GET", "/services/{id}/text", "DDDODDDOD",
       [](Target& t, int) { return page("GET", "/services/" + service_of_target_org(t) + "/text"); }},
      {"POST", "/services/{id}/text", "DDDODDDOD",
       [](Target& t, int) {
         return page("POST", "/services/" + service_of_target_org(t) + "/text", 0,
                     "name=Matrix+service&description=Help.&name_cy=Gwasanaeth&description_cy=Help.");
       }},
      {"GET", "/assets/new", "DOOOOOOOD", [](auto&, int) { return page("GET", "/assets/new"); }},
      {"POST", "/assets/new", "DOOOOOOOD", [](auto&, int) { return page("POST", "/assets/new", 0, kSuggestion); }},
      {"GET", "/assets/mine", "DOOOOOOOD", [](auto&, int) { return page("GET", "/assets/mine"); }},
      {"GET", "/assets/queue", "DDDOODDOD", [](auto&, int) { return page("GET", "/assets/queue"); }},
      {"POST", "/assets/suggestions/{id}/approve", "DDDOODDOD",
       [](Target& t, int) { return page("POST", "/assets/suggestions/{id}/approve", waiting_suggestion(t)); }},
      {"POST", "/assets/suggestions/{id}/reject", "DDDOODDOD",
       [](Target& t, int) {
         return page("POST", "/assets/suggestions/{id}/reject", waiting_suggestion(t), "reason=Not+in+our+area");
       }},
      // Whole-directory import and export: partnership admins only (a backup holds private records).
      {"GET", "/admin/directory", "DDDDDDDOD", [](auto&, int) { return page("GET", "/admin/directory"); }},
      {"POST", "/admin/directory/imports", "DDDDDDDOD", [](auto&, int) { return upload(); }},
      {"GET", "/admin/directory/imports/{id}", "DDDDDDDOD",
       [](Target& t, int) { return page("GET", "/admin/directory/imports/{id}", finished_import(t)); }},
      {"GET", "/admin/directory/export.json", "DDDDDDDOD", [](auto&, int) { return page("GET", "/admin/directory/export.json"); }},
      {"GET", "/admin/directory/export.zip", "DDDDDDDOD", [](auto&, int) { return page("GET", "/admin/directory/export.zip"); }},
  };
}

const Register reg(directory_page_rows);

}  // namespace
