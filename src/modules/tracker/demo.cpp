#include "modules/directory/directory.hpp"
#include "modules/tracker/store.hpp"

namespace cp::modules::tracker {

// A few actions at each stage, on the demo's first services, so the public page, its filters and
// the service panel have something true-looking to show.
void seed_demo(app::App&, store::Scope& s) {
  if (s.read("SELECT COUNT(*) FROM tracker_actions WHERE partnership_id = $1").one().i64(0) > 0) return;
  auto services = directory_store::briefs(s);
  auto service = [&](std::size_t i) -> std::optional<std::int64_t> {
    if (services.empty()) return std::nullopt;
    return services[i % services.size()].id;
  };
  struct Seed {
    const char *title, *title_cy, *owner, *due, *kind, *origin;
    std::size_t service;
    const char *to, *note, *note_cy, *link;
  };
  const Seed seeds[] = {
      {"Open on Saturday mornings", "Agor ar fore Sadwrn", "Library team", "2026-09-30", "idea",
       "Longer opening hours for working parents", 0, "done", "We now open 9am to 12 noon every Saturday.",
       "Rydyn ni nawr ar agor 9am tan 12 canol dydd bob dydd Sadwrn.", "/services"},
      {"Write letters in plain English", "Ysgrifennu llythyrau mewn Cymraeg clir", "Housing advice team", "2026-12-31",
       "finding", "Letters are hard to understand", 1, "in_progress", "We have rewritten 12 of our 30 letters with people who get them.",
       "", ""},
      {"Add a quiet room for waiting", "", "Health centre manager", "2027-03-31", "feedback", "Waiting room is too loud", 2,
       "agreed", "", "", ""},
      {"Free bus passes to the group", "", "Transport team", "", "idea", "Help getting to the group", 0, "not_possible",
       "The bus company will not give free passes. We pay travel costs back instead.", "", ""},
  };
  for (const auto& d : seeds) {
    NewAction a{d.title, d.owner, service(d.service), d.due, {d.kind, 0, d.origin, ""}};
    auto id = agree(s, a, 0);
    if (*d.title_cy) {
      auto cur = get(s, id);
      edit(s, id, a, d.title_cy, cur->version);
    }
    if (std::string(d.to) == "done") move(s, id, "in_progress", "Work has started.", "Mae’r gwaith wedi dechrau.", "", 0, std::nullopt);
    if (std::string(d.to) != "agreed") move(s, id, d.to, d.note, d.note_cy, d.link, 0, std::nullopt);
  }
}

}  // namespace cp::modules::tracker
