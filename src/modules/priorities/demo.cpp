#include "modules/accounts/accounts.hpp"
#include "modules/priorities/priorities.hpp"

namespace cp::modules::priorities {

// One exercise with ideas in every box, rated by the demo accounts, and one decision, so the chart,
// the table and the decision history have something true-looking to show.
void seed_demo(app::App&, store::Scope& s) {
  if (s.read("SELECT COUNT(*) FROM priority_exercises WHERE partnership_id = $1").one().i64(0) > 0) return;
  auto id_of = [&](const char* email) { return AccountsModule::find_user(s, email).value_or(0); };
  auto admin = id_of("admin@demo.example");
  std::vector<std::int64_t> raters = {admin, id_of("person@demo.example"), id_of("worker@demo.example"),
                                      id_of("manager@demo.example"), id_of("commissioner@demo.example")};
  auto ex = store_fn::create_exercise(
      s, "What should we work on together this year?",
      "We collected these ideas at our spring labs. Tell us what difference each would make and how much work it would take.",
      admin);
  struct Seed {
    const char *title, *about;
    int impact[5], effort[5];  // 0: don't know
    const char* title_cy = "";
    const char* about_cy = "";
  };
  // Two ideas have Welsh too; the others show a Welsh reader the English with the note.
  const Seed seeds[] = {
      {"Write our letters in plain English", "Rewrite the ten letters people get most, with people who get them.",
       {5, 4, 5, 4, 0}, {2, 2, 1, 3, 2}, "Ysgrifennu ein llythyrau mewn Saesneg clir",
       "Ailysgrifennu’r deg llythyr mae pobl yn eu cael fwyaf, gyda’r bobl sy’n eu cael."},
      {"A drop-in on Saturday mornings", "Somewhere to ask for help when people are not at work.", {5, 5, 4, 4, 5},
       {4, 5, 4, 4, 0}, "Sesiwn galw heibio ar fore Sadwrn", "Rhywle i ofyn am help pan nad yw pobl yn y gwaith."},
      {"Put bus times on our website", "Show how to get to each service by bus.", {2, 3, 2, 3, 2}, {1, 2, 1, 1, 2}},
      {"A new computer system for referrals", "", {3, 2, 3, 3, 2}, {5, 5, 4, 5, 5}},
      {"Peer mentors for new members", "People who have used the service help people who are new to it.", {4, 5, 4, 0, 4},
       {3, 3, 2, 3, 3}},
  };
  std::vector<std::int64_t> ids;
  for (const auto& d : seeds) {
    auto iid = store_fn::add_initiative(s, ex, d.title, d.about, std::nullopt, admin, d.title_cy, d.about_cy);
    ids.push_back(iid);
    for (std::size_t k = 0; k < raters.size(); ++k) {
      if (!raters[k]) continue;
      auto v = [](int x) { return x ? std::optional<int>(x) : std::nullopt; };
      store_fn::rate(s, iid, raters[k], v(d.impact[k]), v(d.effort[k]));
    }
  }
  store_fn::decide(s, ids[0], "take_on", "It is a quick win and people asked for it at every lab.", "Communications team",
                   admin);
  store_fn::decide(s, ids[3], "back_burner", "It costs too much this year. We will look again in April.", "", admin);
}

}  // namespace cp::modules::priorities
