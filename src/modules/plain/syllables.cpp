// Syllable sources: the CMUdict table and the hyphenation patterns, both read from data/plain/.
#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "modules/plain/internal.hpp"

namespace cp::plain::detail {

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::u32string decode(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) out += text::next(s, i);
  return out;
}

}  // namespace

// ---------------------------------------------------------------- CmuTable

void CmuTable::load(const std::string& path) {
  buf_ = read_file(path);
  entries_.clear();
  entries_.reserve(130000);
  std::string_view all(buf_);
  std::size_t line_no = 0;
  for (std::size_t pos = 0; pos < all.size();) {
    std::size_t nl = all.find('\n', pos);
    if (nl == std::string_view::npos) nl = all.size();
    std::string_view line = all.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    auto sp = line.rfind(' ');
    int n = 0;
    if (sp == std::string_view::npos || sp == 0 || sp + 1 >= line.size()) n = -1;
    for (std::size_t k = sp + 1; n >= 0 && k < line.size(); ++k) {
      if (line[k] < '0' || line[k] > '9' || n > 25) n = -1;
      else n = n * 10 + (line[k] - '0');
    }
    if (n < 0) throw std::runtime_error(path + ":" + std::to_string(line_no) + ": expected 'word count'");
    entries_.emplace_back(line.substr(0, sp), static_cast<std::uint8_t>(n));
  }
  // The file is sorted already; sorting again costs little and protects the binary search.
  if (!std::is_sorted(entries_.begin(), entries_.end(), [](auto& a, auto& b) { return a.first < b.first; }))
    std::stable_sort(entries_.begin(), entries_.end(), [](auto& a, auto& b) { return a.first < b.first; });
}

std::optional<int> CmuTable::find(std::string_view word) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), word,
                             [](const auto& e, std::string_view w) { return e.first < w; });
  if (it == entries_.end() || it->first != word) return std::nullopt;
  return it->second;
}

// ---------------------------------------------------------------- Hyphenator

std::uint32_t Hyphenator::child(std::uint32_t node, char32_t c) const {
  for (const auto& [k, v] : nodes_[node].kids)
    if (k == c) return v;
  return 0;  // the root is never a child, so 0 means "none"
}

void Hyphenator::load(const std::string& path) {
  std::string all = read_file(path);
  nodes_.assign(1, Node{});
  patterns_.clear();
  pattern_count_ = 0;
  // pyphen skips the first line (the character set), comments and the hunspell settings lines.
  static const char* const ignored[] = {"%", "#", "LEFTHYPHENMIN", "RIGHTHYPHENMIN", "COMPOUNDLEFTHYPHENMIN",
                                        "COMPOUNDRIGHTHYPHENMIN"};
  std::size_t pos = all.find('\n');
  pos = pos == std::string::npos ? all.size() : pos + 1;
  while (pos < all.size()) {
    std::size_t nl = all.find('\n', pos);
    if (nl == std::string::npos) nl = all.size();
    std::u32string line = decode(std::string_view(all).substr(pos, nl - pos));
    pos = nl + 1;
    while (!line.empty() && text::is_space(line.back())) line.pop_back();
    std::size_t lead = 0;
    while (lead < line.size() && text::is_space(line[lead])) ++lead;
    line.erase(0, lead);
    if (line.empty()) continue;
    bool skip = false;
    for (const char* p : ignored) {
      std::u32string prefix(p, p + std::char_traits<char>::length(p));
      if (line.compare(0, prefix.size(), prefix) == 0) skip = true;
    }
    if (skip) continue;

    // A pattern alternates optional digits and letters ("a2ch4"): each letter gets the digit
    // written before it, and the final digit belongs to the gap after the last letter.
    std::u32string key;
    std::vector<std::uint8_t> values;
    std::size_t k = 0;
    while (true) {
      std::uint8_t v = 0;
      bool any = false;
      if (k < line.size() && line[k] >= U'0' && line[k] <= U'9') {
        v = static_cast<std::uint8_t>(line[k] - U'0');
        ++k;
        any = true;
      }
      if (k < line.size() && !(line[k] >= U'0' && line[k] <= U'9')) {
        key += line[k];
        ++k;
        any = true;
      }
      values.push_back(v);
      if (!any || k > line.size()) break;
      if (k == line.size()) {
        values.push_back(0);
        break;
      }
    }
    if (*std::max_element(values.begin(), values.end()) == 0) continue;
    std::size_t first = 0, last = values.size();
    while (values[first] == 0) ++first;
    while (values[last - 1] == 0) --last;

    std::uint32_t node = 0;
    for (char32_t c : key) {
      std::uint32_t next = child(node, c);
      if (!next) {
        next = static_cast<std::uint32_t>(nodes_.size());
        nodes_[node].kids.emplace_back(c, next);
        nodes_.push_back(Node{});
      }
      node = next;
    }
    Pattern p{static_cast<std::uint32_t>(first), {values.begin() + static_cast<std::ptrdiff_t>(first),
                                                  values.begin() + static_cast<std::ptrdiff_t>(last)}};
    // A repeated pattern replaces the earlier one, as a later key does in pyphen's dictionary.
    if (nodes_[node].pattern >= 0) {
      patterns_[static_cast<std::size_t>(nodes_[node].pattern)] = std::move(p);
    } else {
      nodes_[node].pattern = static_cast<std::int32_t>(patterns_.size());
      patterns_.push_back(std::move(p));
      ++pattern_count_;
    }
  }
  if (patterns_.empty()) throw std::runtime_error(path + ": no hyphenation patterns");
}

int Hyphenator::syllables(const std::u32string& word) const {
  std::u32string dotted;
  dotted.reserve(word.size() + 2);
  dotted += U'.';
  dotted += word;
  dotted += U'.';
  const std::size_t n = dotted.size();
  std::vector<std::uint8_t> level(n + 1, 0);  // level[m]: the gap before dotted[m]
  for (std::size_t i = 0; i + 1 < n; ++i) {
    std::uint32_t node = 0;
    for (std::size_t j = i; j < n; ++j) {
      node = child(node, dotted[j]);
      if (!node) break;
      if (int pi = nodes_[node].pattern; pi >= 0) {
        const Pattern& p = patterns_[static_cast<std::size_t>(pi)];
        for (std::size_t v = 0; v < p.values.size(); ++v) {
          std::size_t m = i + p.offset + v;
          if (m < level.size()) level[m] = std::max(level[m], p.values[v]);
        }
      }
    }
  }
  // An odd level is a break. The break before word[b] sits in gap b + 1; pyphen keeps breaks
  // with 2 <= b <= length - 2.
  int breaks = 0;
  for (std::size_t m = 1; m < level.size(); ++m) {
    std::size_t b = m - 1;
    if ((level[m] & 1) && b >= 2 && b + 2 <= word.size()) ++breaks;
  }
  return breaks + 1;
}

}  // namespace cp::plain::detail
