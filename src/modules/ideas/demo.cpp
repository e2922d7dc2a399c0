#include "modules/ideas/ideas.hpp"

namespace cp::modules::ideas {

std::vector<std::int64_t> seed_demo(app::App&, store::Scope& s, const Board& b, std::int64_t author, std::int64_t other) {
  std::vector<std::int64_t> ids;
  auto existing = store_fn::board(s, b, true);
  if (!existing.empty()) {
    for (const auto& i : existing) ids.push_back(i.id);
    return ids;
  }
  struct Seed {
    const char* title;
    const char* body;
    const char* status;
    const char* reason;
    const char* title_cy = "";
    const char* body_cy = "";
  };
  const Seed seeds[] = {
      {"Send a text the day before my appointment", "I forget dates when things are busy at home. A text would help.",
       "adopted", "We will try this from next month.", "Anfon neges destun y diwrnod cyn fy apwyntiad",
       "Rydw i'n anghofio dyddiadau pan mae pethau'n brysur gartref. Byddai neges destun yn help."},
      {"One phone number for all carers' help", "I was passed between four teams before I found the right one.",
       "trying", ""},
      {"Meet in the evening as well as the day", "Many carers work in the day.", "new", ""},
  };
  for (const auto& sd : seeds) {
    auto id = store_fn::create(s, b, sd.title, sd.body, author, sd.title_cy, sd.body_cy);
    store_fn::support(s, id, author);
    if (other) store_fn::support(s, id, other);
    store_fn::set_status(s, id, sd.status, sd.reason);
    ids.push_back(id);
  }
  if (other) store_fn::comment(s, ids.front(), other, "Yes please. A text in Welsh would help me too.");
  return ids;
}

}  // namespace cp::modules::ideas
