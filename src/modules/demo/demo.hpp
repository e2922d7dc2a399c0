// The demo partnership (slug "demo"): a fictional Fife-like employability partnership with its
// organisation directory, its service and community-asset directory (with the postcodes its search
// needs) and one account per role. Loading is idempotent.
#pragma once
#include <string>
#include <vector>

#include "app/app.hpp"

namespace cp::modules {

struct DemoAccount {
  std::string role, email, password, name;
};

// The demo sign-ins. Printed by `coproduce serve --demo` and `coproduce demo`; never used outside demo mode.
const std::vector<DemoAccount>& demo_accounts();

struct DemoResult {
  bool partnership_created = false;
  int organisations_added = 0;
  int accounts_added = 0;
  int services_added = 0;             // to the service directory, from data/demo/services.json
  std::int64_t postcodes_loaded = 0;  // 0 when the Kingdom Shore (KY) postcodes were already there
};

// Loads the demo partnership; `scale` adds that many generated organisations (for benchmarks).
DemoResult load_demo(app::App& a, int scale = 0);

}  // namespace cp::modules
