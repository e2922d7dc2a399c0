#include "modules/accounts/accounts.hpp"
#include "modules/ratings/ratings.hpp"

namespace cp::modules::ratings {

// A handful of ratings on the first services, from the demo accounts, so the distribution, the
// panel on a service's page and the moderation queue have something to show.
void seed_demo(app::App&, store::Scope& s) {
  struct Seed {
    const char* email;
    std::size_t service;
    int stars;
    const char* comment;
  };
  static const Seed seeds[] = {
      {"person@demo.example", 0, 5, "The staff listened to me. I came away with a plan."},
      {"worker@demo.example", 0, 4, "Good drop-in. It can get busy after lunch."},
      {"councillor@demo.example", 0, 2, "Hard to find the door from the bus stop."},
      {"commissioner@demo.example", 1, 4, ""},
      {"person@demo.example", 1, 3, "Helpful, but I waited two weeks for a call back."},
  };
  auto services = directory_store::briefs(s);
  for (const auto& seed : seeds) {
    if (seed.service >= services.size()) continue;
    auto user = AccountsModule::find_user(s, seed.email);
    if (!user) continue;
    auto service_id = services[seed.service].id;
    if (ratings_store::mine(s, service_id, *user)) continue;
    ratings_store::rate(s, service_id, *user, seed.stars, seed.comment);
  }
}

}  // namespace cp::modules::ratings
