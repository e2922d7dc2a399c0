// Mayne's six steps as a checklist whose ticks come from what is written down, not from a box
// someone ticks: a step is done when the chain holds what that step asks for.
#include <algorithm>

#include "modules/contribution/contribution.hpp"

namespace cp::modules::contribution {

bool weak(const Link& l) { return l.confidence == "not_assessed" || l.confidence == "low" || l.evidence.empty(); }

namespace {

// True when evidence was added to the link after the rating before the latest one: the link was
// looked at again with something new (step 6).
bool re_rated_with_new_evidence(const Link& l) {
  if (l.ratings.size() < 2) return false;
  auto before = l.ratings[l.ratings.size() - 2].at;
  return std::any_of(l.evidence.begin(), l.evidence.end(), [&](const Evidence& e) { return e.created_at >= before; });
}

}  // namespace

std::vector<Step> steps(const Chain& c) {
  std::vector<Step> out;
  const auto& links = c.links;
  auto count_if = [&](auto pred) { return static_cast<std::int64_t>(std::count_if(links.begin(), links.end(), pred)); };
  std::int64_t n = static_cast<std::int64_t>(links.size());

  // 1. The cause-and-effect question.
  out.push_back({1, c.theory.question.empty() ? "not_started" : "done",
                 c.theory.question.empty() ? "step1_missing" : "step1_done", 0});

  // 2. The theory of change and the risks to it: every level has a result, every pair of levels is
  // joined, and every link says what it assumes.
  std::int64_t levels_filled = 0;
  for (const auto& lv : kLevels)
    if (std::any_of(c.results.begin(), c.results.end(), [&](const Result& r) { return r.level == lv; })) ++levels_filled;
  std::int64_t joined = 0;
  for (std::size_t i = 0; i + 1 < kLevels.size(); ++i)
    if (std::any_of(links.begin(), links.end(), [&](const Link& l) {
          auto* f = c.result(l.from_result);
          return f && f->level == kLevels[i];
        }))
      ++joined;
  auto no_assumption = count_if([](const Link& l) { return l.of_kind("assumption").empty(); });
  Step s2{2, "in_progress", "", 0};
  if (c.results.empty()) s2 = {2, "not_started", "step2_empty", 0};
  else if (levels_filled < static_cast<std::int64_t>(kLevels.size())) s2.detail = "step2_levels";
  else if (joined < static_cast<std::int64_t>(kLevels.size()) - 1) s2.detail = "step2_links";
  else if (no_assumption > 0) s2 = {2, "in_progress", "step2_assumptions", no_assumption};
  else s2 = {2, "done", "step2_done", n};
  out.push_back(s2);

  // 3. The evidence already held, for every link.
  auto no_evidence = count_if([](const Link& l) { return l.evidence.empty(); });
  if (n == 0) out.push_back({3, "not_started", "step3_no_links", 0});
  else if (no_evidence == n) out.push_back({3, "not_started", "step3_none", n});
  else if (no_evidence > 0) out.push_back({3, "in_progress", "step3_some", no_evidence});
  else out.push_back({3, "done", "step3_done", n});

  // 4. The story assembled and judged: every link rated, and the challenges to it written down.
  auto unrated = count_if([](const Link& l) { return l.confidence == "not_assessed"; });
  auto no_influence = count_if([](const Link& l) { return l.of_kind("influence").empty(); });
  if (n == 0 || unrated == n) out.push_back({4, "not_started", "step4_none", n});
  else if (unrated > 0) out.push_back({4, "in_progress", "step4_unrated", unrated});
  else if (no_influence > 0) out.push_back({4, "in_progress", "step4_influences", no_influence});
  else out.push_back({4, "done", "step4_done", n});

  // 5. More evidence where the story is weak: links rated low, or with no evidence, need more.
  bool assessed = out[3].status != "not_started";
  auto weak_links = count_if([](const Link& l) { return l.confidence == "low" || l.evidence.empty(); });
  auto weak_followed = count_if([](const Link& l) {
    if (l.confidence != "low" || l.ratings.empty()) return false;
    auto rated = l.ratings.back().at;
    return std::any_of(l.evidence.begin(), l.evidence.end(), [&](const Evidence& e) { return e.created_at >= rated; });
  });
  if (!assessed) out.push_back({5, "not_started", "step5_wait", 0});
  else if (weak_links == 0) out.push_back({5, "done", "step5_done", 0});
  else if (weak_followed > 0) out.push_back({5, "in_progress", "step5_some", weak_links});
  else out.push_back({5, "in_progress", "step5_weak", weak_links});

  // 6. The story revised: a link rated again after new evidence came in.
  auto revised = count_if(re_rated_with_new_evidence);
  if (revised == 0) out.push_back({6, "not_started", assessed ? "step6_wait" : "step6_later", 0});
  else out.push_back({6, "done", "step6_done", revised});
  return out;
}

}  // namespace cp::modules::contribution
