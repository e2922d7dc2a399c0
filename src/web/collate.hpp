// Welsh alphabetical order. The Welsh alphabet treats eight digraphs as single letters and orders
// them after their first letter:
//   a b c ch d dd e f ff g ng h i j l ll m n o p ph r rh s t th u w y
// so "llaeth" sorts after "lwc" and "chwarel" after "cyngor". Letters Welsh borrows (k q v x z) go
// where English puts them. Accents (â ê î ô û ŵ ŷ, ä, á, à) are ignored at first; when two names
// differ only in accents, the plain one comes first, then lower case before upper, then bytes.
//
// "ng" is ambiguous: it is one letter in "angen" and "Bangor"'s neighbour "angor", but n + g in
// "Bangor", "Llangollen" and other names made of "Llan" and a mutated word. The rule here: "ng" is
// one letter, except (1) straight after "llan" at the start of a word (Llan+gollen, Llan+gefni)
// and (2) in the words listed in ng_exceptions() (Bangor and a few others dictionaries split).
// Dictionaries settle the rest by meaning, which no rule can see; see docs/architecture.md.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace cp::web {

// A byte string whose plain byte order (std::string's <) is the Welsh order of `text` (UTF-8).
// Build it once per item when sorting many.
std::string welsh_sort_key(std::string_view text);
// <0, 0 or >0 as `a` sorts before, with or after `b` in Welsh.
int welsh_compare(std::string_view a, std::string_view b);
inline bool welsh_less(std::string_view a, std::string_view b) { return welsh_compare(a, b) < 0; }
// Sorts `items` by the name `name_of(item)` gives, in Welsh order (stable).
template <class T, class F>
void sort_welsh(std::vector<T>& items, F name_of);
// The words in which "ng" is n + g, lower case and without accents.
const std::vector<std::string>& ng_exceptions();
// A language-aware order: Welsh for "cy", otherwise plain case-insensitive English order.
std::string sort_key(const std::string& lang, std::string_view text);

}  // namespace cp::web

#include <algorithm>
#include <utility>

template <class T, class F>
void cp::web::sort_welsh(std::vector<T>& items, F name_of) {
  std::vector<std::pair<std::string, std::size_t>> keys;
  keys.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) keys.emplace_back(welsh_sort_key(name_of(items[i])), i);
  std::stable_sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<T> out;
  out.reserve(items.size());
  for (const auto& [k, i] : keys) out.push_back(std::move(items[i]));
  items = std::move(out);
}
