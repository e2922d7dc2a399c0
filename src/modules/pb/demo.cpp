// Demo participatory budgets for the Kingdom Shore partnership: one open for voting (a knapsack
// ballot in two neighbourhoods) and one closed with results, where a large group of voters backs the
// expensive projects and a smaller group the cheap ones, so greedy and equal shares differ.
#include <algorithm>
#include <random>

#include "modules/pb/process.hpp"

namespace cp::modules {

namespace {

struct DemoProject {
  const char* title;
  const char* description;
  std::int64_t cost;
};

const DemoProject kLowhaven[] = {
    {"Lowhaven play park repairs", "Fix the swings and the broken fence at the park on Shore Road.", 12000},
    {"Warm space at the library", "Keep the library open and warm two evenings a week over winter.", 8000},
    {"Community fridge", "A fridge at the hub where people can share food that would go to waste.", 4500},
    {"Benches on the coastal path", "Six new benches so older people can rest on their walk.", 6000},
    {"Youth music sessions", "Weekly music sessions for young people, with instruments to borrow.", 9500},
    {"Bike repair workshop", "Free bike repairs and lessons on Saturday mornings.", 5000},
    {"Street lights on Harbour Lane", "Brighter lights so the lane feels safe after dark.", 15000},
};

const DemoProject kKirkton[] = {
    {"Kirkton community garden", "Raised beds and tools so neighbours can grow food together.", 7000},
    {"Bus stop shelters", "Two shelters on the main road, where people wait in the rain.", 11000},
    {"After-school club snacks", "Healthy snacks for the after-school club for a year.", 3000},
    {"Dementia cafe", "A monthly cafe for people with dementia and their carers.", 4000},
    {"Skate park clean-up", "Clean and repaint the skate park and add a bin.", 6500},
    {"Kirkton welcome pack", "A pack for new families with local services and contacts.", 2500},
};

const DemoProject kClosed[] = {
    {"New roof for the sports hall", "Stop the leaks so the hall can open all year.", 20000},
    {"Minibus for day trips", "A shared minibus for clubs and groups.", 18000},
    {"Resurface the car park", "Fill the potholes at the community centre car park.", 15000},
    {"Job club laptops", "Ten laptops for the job club, for CVs and applications.", 6000},
    {"Interpreters for drop-ins", "Interpreters at the advice drop-in once a week.", 5000},
    {"Childcare for training days", "Childcare so parents can go on training days.", 7000},
    {"Shore clean-up kit", "Litter pickers, bags and gloves for volunteer clean-ups.", 1500},
    {"Free period products", "Period products in community buildings for a year.", 2500},
};

void add_projects(store::Scope& s, const PbProcess& p, std::int64_t area, const DemoProject* list, std::size_t n,
                  std::vector<std::int64_t>& ids) {
  for (std::size_t i = 0; i < n; ++i)
    ids.push_back(pb_store::add_proposal(s, p, area, list[i].title, list[i].description, list[i].cost, std::nullopt, "",
                                         "accepted"));
}

// A few steps and progress on the closed fund's first two funded projects, once.
void seed_delivery(store::Scope& s) {
  for (const auto& p : pb_store::list_processes(s)) {
    if (p.title != "Kingdom Shore Community Fund 2026" || p.phase != "results") continue;
    auto full = pb_store::get_process(s, p.id);
    auto res = pb_store::results(s, *full, "Demo");
    std::vector<std::int64_t> funded;
    for (const auto& area : res.areas)
      for (const auto& pr : area.equal_shares.projects)
        if (pr.selected) funded.push_back(pr.proposal_id);
    if (funded.size() < 2 || !pb_store::milestones(s, funded[0]).empty()) return;
    auto step = [&](std::int64_t id, const char* title, const char* due, const char* done, const char* note) {
      PbMilestone m;
      m.proposal_id = id;
      m.title = title;
      m.due = due;
      m.done = done;
      m.note = note;
      pb_store::add_milestone(s, m);
    };
    step(funded[0], "Agree the plan with the people who proposed it", "2026-06-15", "2026-06-10",
         "Twelve people came to the planning meeting.");
    step(funded[0], "Order what is needed", "2026-07-31", "2026-07-20", "");
    step(funded[0], "Open to everyone", "2026-10-01", "", "");
    pb_store::set_progress(s, funded[0], 60);
    step(funded[1], "Find a place and book it", "2026-07-01", "2026-07-04", "");
    step(funded[1], "First session", "2026-09-05", "", "Posters go up in August.");
    pb_store::set_progress(s, funded[1], 25);
  }
}

}  // namespace

void pb_seed_demo(app::App& a, store::Scope& s) {
  (void)a;
  bool voting = false, closed = false;
  for (const auto& p : pb_store::list_processes(s)) {
    if (p.title == "Kingdom Shore Neighbourhood Fund 2027") voting = true;
    if (p.title == "Kingdom Shore Community Fund 2026") closed = true;
  }
  std::mt19937_64 rng(20261122);
  if (!voting) {
    PbProcessInput in;
    in.title = "Kingdom Shore Neighbourhood Fund 2027";
    in.description =
        "Local people decide how to spend money in Lowhaven and Kirkton. Pick the projects you want, up to your "
        "area's budget.";
    in.ballot_kind = "knapsack";
    in.per_area = true;
    in.areas = {{"Lowhaven", 30000}, {"Kirkton", 20000}};
    in.dates = {"2026-09-01", "2026-09-15", "2026-10-15", "2026-11-15", "2026-12-15"};
    auto id = pb_store::create_process(s, in, "proposals");
    auto p = pb_store::get_process(s, id);
    std::vector<std::int64_t> low, kirk;
    add_projects(s, *p, p->area_list[0].id, kLowhaven, std::size(kLowhaven), low);
    add_projects(s, *p, p->area_list[1].id, kKirkton, std::size(kKirkton), kirk);
    auto rejected = pb_store::add_proposal(s, *p, p->area_list[0].id, "Fireworks night",
                                           "A fireworks display on the beach.", 25000, std::nullopt, "", "submitted");
    pb_store::review_proposal(s, id, rejected, false,
                              "Fireworks on the beach need a licence the council cannot give in time, and the cost is "
                              "most of the area's budget.");
    // Priorities rated before the money was shared out: importance and satisfaction, 1 to 5.
    struct Need {
      const char* title;
      int importance, satisfaction;  // the centre of the ratings
    };
    const Need needs[] = {{"Childcare that fits shift work", 5, 1},
                          {"Buses that run after 7pm", 4, 2},
                          {"Somewhere warm to go in winter", 4, 3},
                          {"Help with forms and letters", 3, 3},
                          {"Things for young people to do", 4, 2}};
    for (const auto& n : needs) {
      auto pid = pb_store::add_priority(s, id, n.title, "");
      for (int r = 0; r < 60; ++r) {
        auto jitter = [&](int centre) { return std::clamp(centre + static_cast<int>(rng() % 3) - 1, 1, 5); };
        pb_store::rate_priority(s, pid, "demo:" + std::to_string(r), jitter(n.importance), jitter(n.satisfaction));
      }
    }
    pb_store::set_phase(s, id, "voting");
    p = pb_store::get_process(s, id);
    // A few hundred ballots, each within its area's budget.
    for (int v = 0; v < 320; ++v) {
      bool in_low = v % 5 < 3;
      const auto& ids = in_low ? low : kirk;
      const DemoProject* list = in_low ? kLowhaven : kKirkton;
      std::int64_t budget = in_low ? 30000 : 20000, total = 0;
      PbChoices c;
      for (std::size_t i = 0; i < ids.size(); ++i) {
        bool likes = rng() % 100 < (i % 3 == 0 ? 60u : 30u);
        if (likes && total + list[i].cost <= budget) c.emplace_back(ids[i], 1), total += list[i].cost;
      }
      if (c.empty()) c.emplace_back(ids[rng() % ids.size()], 1);
      pb_store::cast_ballot(s, *p, p->area_list[in_low ? 0 : 1].id, "demo:" + std::to_string(v), c, std::nullopt);
    }
  }
  if (!closed) {
    PbProcessInput in;
    in.title = "Kingdom Shore Community Fund 2026";
    in.description = "Last year's fund. Everyone in the partnership area could vote for as many projects as they liked.";
    in.ballot_kind = "approval";
    in.budget = 40000;
    in.dates = {"2026-01-10", "2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01"};
    auto id = pb_store::create_process(s, in, "voting");
    auto p = pb_store::get_process(s, id);
    std::vector<std::int64_t> ids;
    add_projects(s, *p, p->area_list[0].id, kClosed, std::size(kClosed), ids);
    // Two groups: 180 people back the three big projects, 120 back the small ones.
    for (int v = 0; v < 300; ++v) {
      PbChoices c;
      if (v < 180) {
        for (int i = 0; i < 3; ++i)
          if (rng() % 100 < 85) c.emplace_back(ids[i], 1);
        if (rng() % 100 < 10) c.emplace_back(ids[6], 1);
      } else {
        for (int i = 3; i < 8; ++i)
          if (rng() % 100 < 70) c.emplace_back(ids[i], 1);
      }
      if (c.empty()) c.emplace_back(ids[v < 180 ? 0 : 3], 1);
      pb_store::cast_ballot(s, *p, p->area_list[0].id, "demo:" + std::to_string(v), c, std::nullopt);
    }
    pb_store::set_phase(s, id, "results");
  }
  seed_delivery(s);
}

}  // namespace cp::modules
