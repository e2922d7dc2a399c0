// The learning lens's rows in the permission matrix (see tests/support/matrix.hpp). Written from the
// policy we intend: partnership admins and commissioners see every dashboard; an organisation's
// managers see their own organisation's (and "/lens" sends them there); nobody else sees any.
// The matrix service belongs to an organisation of its own, which no matrix manager manages.
#include "modules/lens/lens.hpp"
#include "support/matrix.hpp"

namespace {

using namespace cp;
using namespace cp::test::matrix;

std::string org_query(Target& t) { return "?organisation=" + std::to_string(t.org); }

//                                                         anon person worker manager other_mgr commissioner councillor admin beta
std::vector<Row> lens_rows() {
  return {
      {"GET", "/lens", "DDDOOODOD", [](Target&, int) { return page("GET", "/lens"); }},
      {"GET", "/lens/organisations/{id}", "DDDODODOD",
       [](Target& t, int) { return page("GET", "/lens/organisations/{id}", t.org); }},
      {"GET", "/lens/services/{id}", "DDDDDODOD",
       [](Target& t, int) { return page("GET", "/lens/services/" + t.service); }},
      {"GET", "/lens/export.csv", "DDDODODOD", [](Target& t, int) { return page("GET", "/lens/export.csv" + org_query(t)); }},
      {"GET", "/lens/export.xlsx", "DDDODODOD", [](Target& t, int) { return page("GET", "/lens/export.xlsx" + org_query(t)); }},
      {"GET", "/lens/log", "DDDOOODOD", [](Target&, int) { return page("GET", "/lens/log"); }},
      {"POST", "/lens/log", "DDDODODOD",
       [](Target& t, int) {
         return page("POST", "/lens/log", 0,
                     "scope=organisation:" + std::to_string(t.org) + "&chart=stages&concluded=We+learned+something");
       }},
  };
}

static const Register reg(lens_rows);

}  // namespace
