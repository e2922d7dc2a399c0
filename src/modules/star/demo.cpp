#include <ctime>

#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/star/star.hpp"

namespace cp::modules::star {

// Two audits of the whole demo partnership: last year's (closed) and this year's (open), each
// answered by the demo accounts, so the star, the pockets list and the comparison have something
// true-looking to show. People who use services see less co-production than managers do, and
// things have moved a little since last year.
void seed_demo(app::App&, store::Scope& s) {
  if (s.read("SELECT COUNT(*) FROM star_audits WHERE partnership_id = $1").one().i64(0) > 0) return;
  auto now = now_seconds();
  std::time_t t = static_cast<std::time_t>(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  int year = tm.tm_year + 1900;
  auto name = s.read("SELECT name FROM partnerships WHERE id = $1").one().text(0);

  struct Seed {
    const char* email;
    const char* group;
    int last[4];  // 0 = don't know
    int now[4];
    const char* example[4];
  };
  const Seed seeds[] = {
      {"person@demo.example", "citizen", {1, 2, 2, 1}, {2, 3, 4, 3},
       {"", "We were asked about the new drop-in times.",
        "I run the Tuesday peer group with a worker. We plan it together.",
        "I was on the team that inspected the job centre."}},
      {"worker@demo.example", "frontline", {2, 2, 3, 0}, {2, 4, 4, 3},
       {"We are told the budget once it is set.", "People drew the journey map of our service with us.",
        "People write their own plans with us.", ""}},
      {"manager@demo.example", "manager", {2, 3, 3, 2}, {3, 4, 4, 4},
       {"", "The lab in June changed how we book rooms.", "", "Inspectors' findings went into our action plan."}},
      {"commissioner@demo.example", "manager", {2, 3, 2, 2}, {4, 3, 3, 3},
       {"People voted on the community budget.", "", "", ""}},
      {"councillor@demo.example", "councillor", {1, 2, 2, 2}, {3, 3, 0, 2},
       {"Residents scored the bids for the youth fund.", "", "", "We only see the reports at committee."}},
      {"admin@demo.example", "manager", {2, 2, 3, 2}, {3, 3, 4, 3}, {"", "", "", ""}},
  };
  auto audit = [&](const std::string& title, const std::string& period, std::optional<std::int64_t> prev) {
    NewAudit a;
    a.subject_kind = "partnership";
    a.subject_name = name;
    a.title = title;
    a.period = period;
    a.previous_id = prev;
    return star_store::create(s, a, std::nullopt);
  };
  auto last = audit("How we work together", std::to_string(year - 1), std::nullopt);
  auto current = audit("How we work together", std::to_string(year), last);
  for (const auto& d : seeds) {
    auto user = AccountsModule::find_user(s, d.email);
    if (!user) continue;
    std::array<Rating, kCoCount> before, after;
    for (int i = 0; i < kCoCount; ++i) {
      auto k = static_cast<std::size_t>(i);
      if (d.last[i]) before[k].level = d.last[i];
      if (d.now[i]) after[k].level = d.now[i];
      after[k].examples = d.example[i];
    }
    star_store::save_response(s, last, *user, d.group, before);
    star_store::save_response(s, current, *user, d.group, after);
  }
  // Last year's audit began a year ago and is closed.
  s.write({"star.demo_backdate", "star_audit", last, ""},
          "UPDATE star_audits SET created_at = $3 WHERE partnership_id = $1 AND id = $2", {last, now - 365 * 86400});
  star_store::close(s, last);
}

}  // namespace cp::modules::star
