#include "core/util.hpp"
#include "modules/journeymaps/journeymaps.hpp"

namespace cp::modules::journeymaps {

std::int64_t seed_demo(app::App&, store::Scope& s, const std::string& service_ref, std::int64_t citizen,
                       std::int64_t worker, const std::vector<std::int64_t>& ideas) {
  auto existing = store_fn::list(s, service_ref);
  if (!existing.empty()) return existing.front().id;
  auto id = store_fn::create(s, service_ref, "Getting help as a carer", worker);
  std::vector<Stage> before = {
      {"hear", "First hears about the service", "A leaflet at the GP", "The GP knew about it", "Nobody explains what it is", "Practice nurse", 2, {}},
      {"call", "Phones for help", "One phone line", "Friendly staff", "Passed between four teams", "Call handlers", 1, {}},
      {"visit", "First appointment", "Home visit", "Done at home", "Long wait, letter came late", "Key worker", 3, {}},
      {"plan", "Gets a carer's plan", "Written plan", "Clear goals", "Hard words in the plan", "Key worker, carer", 3, {}},
  };
  store_fn::save(s, id, 0, before, "Mapped at the first lab", citizen);
  auto after = before;
  after[1].doesnt = "Sometimes a short wait";
  after[1].works = "One number for all carers' help";
  after[1].feeling = 4;
  if (ideas.size() > 1) after[1].ideas = {ideas[1]};
  after[2].doesnt = "";
  after[2].works = "A text the day before";
  after[2].feeling = 4;
  if (!ideas.empty()) after[2].ideas = {ideas[0]};
  after.push_back({"review", "Six-month review", "Phone or visit", "Carer chooses how", "", "Key worker", 4, {}});
  store_fn::save(s, id, 1, after, "After the redesign", worker);
  return id;
}

}  // namespace cp::modules::journeymaps

#include "modules/accounts/accounts.hpp"
#include "modules/directory/directory.hpp"
#include "modules/events/events.hpp"
#include "modules/ideas/ideas.hpp"

namespace cp::modules::journeymaps {

void seed_labs_demo(app::App& a, store::Scope& s) {
  auto person = AccountsModule::find_user(s, "person@demo.example");
  auto worker = AccountsModule::find_user(s, "worker@demo.example");
  auto manager = AccountsModule::find_user(s, "manager@demo.example");
  if (!person || !worker) return;
  auto lab = events::seed_demo(a, s);
  if (lab) ideas::seed_demo(a, s, {"event", std::to_string(lab)}, *person, manager.value_or(0));
  // The journey map sits on a carers' service when the directory has one, else its first service.
  auto services = directory_store::briefs(s);
  if (services.empty()) return;
  auto chosen = services.front();
  for (const auto& b : services)
    if (to_lower(b.name).find("carer") != std::string::npos) {
      chosen = b;
      break;
    }
  auto service_ideas = ideas::seed_demo(a, s, {"service", chosen.uuid}, *person, manager.value_or(0));
  seed_demo(a, s, chosen.uuid, *person, *worker, service_ideas);
}

}  // namespace cp::modules::journeymaps
