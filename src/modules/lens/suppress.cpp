// Small-number suppression for every published figure of the learning lens.
//
// The rule (docs/security.md repeats it):
//  1. Primary: a count of 1 to 4 is published as "fewer than 5" ("<5" in exports). 0 is shown: it
//     identifies nobody. A total of 1 to 4 is hidden the same way.
//  2. Secondary: when a group of counts is published with its total, one hidden cell could be worked
//     out as the total minus the others. So while exactly one cell of the group is hidden, the
//     smallest cell still shown that is not 0 is hidden too (the first of equals, in table order),
//     marked "hidden to protect small numbers". When every other cell is 0 there is nothing to hide
//     beside it, so the total is hidden instead.
//  3. Means, medians and shares are shown only when they rest on at least 5 people, and a share is
//     hidden when its part is hidden (figures.cpp).
// Groups are the columns of a table whose rows add up to its total row; the figures code applies
// the rule to each such group, and where one published count is itself the sum of others (a cohort
// and its outcomes), hides the parts when their sum is hidden.
#include "modules/lens/lens.hpp"

namespace cp::modules::lens {

Suppressed suppress(const std::vector<std::int64_t>& cells, std::optional<std::int64_t> total) {
  Suppressed out;
  out.cells.assign(cells.size(), Hide::no);
  for (std::size_t i = 0; i < cells.size(); ++i)
    if (small(cells[i])) out.cells[i] = Hide::small;
  if (!total) return out;
  if (small(*total)) {
    out.total = Hide::small;
    return out;  // every cell is below the total, so any that is not 0 is already hidden
  }
  std::size_t hidden = 0;
  for (auto h : out.cells) hidden += h != Hide::no;
  if (hidden != 1) return out;
  std::optional<std::size_t> pick;
  for (std::size_t i = 0; i < cells.size(); ++i)
    if (out.cells[i] == Hide::no && cells[i] > 0 && (!pick || cells[i] < cells[*pick])) pick = i;
  if (pick) out.cells[*pick] = Hide::secondary;
  else out.total = Hide::secondary;
  return out;
}

}  // namespace cp::modules::lens
