// The jargon list and the finder that walks a text's words looking for listed phrases.
#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/util.hpp"
#include "modules/plain/internal.hpp"

namespace cp::plain {

void JargonList::load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  load_tsv(ss.str(), path);
}

void JargonList::load_tsv(std::string_view tsv, const std::string& name) {
  std::size_t line_no = 0;
  for (std::size_t pos = 0; pos < tsv.size();) {
    std::size_t nl = tsv.find('\n', pos);
    if (nl == std::string_view::npos) nl = tsv.size();
    std::string line(tsv.substr(pos, nl - pos));
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty() || line[0] == '#') continue;
    auto cols = split(line, '\t');
    JargonEntry e;
    e.phrase = trim(cols[0]);
    if (cols.size() > 1)
      for (const auto& a : split(cols[1], '|'))
        if (auto t = trim(a); !t.empty()) e.alternatives.push_back(t);
    e.can_omit = cols.size() > 2 && trim(cols[2]) == "1";
    if (cols.size() > 3) e.note = trim(cols[3]);
    e.source = cols.size() > 4 ? trim(cols[4]) : name;
    if (e.alternatives.empty() && !e.can_omit)
      throw std::runtime_error(name + ":" + std::to_string(line_no) + ": give at least one plainer alternative");
    if (!add(std::move(e)))
      throw std::runtime_error(name + ":" + std::to_string(line_no) + ": the phrase has no words");
  }
}

bool JargonList::add(JargonEntry entry) {
  auto toks = detail::tokens(entry.phrase);
  if (toks.empty()) return false;
  Compiled c;
  for (std::size_t k = 0; k < toks.size(); ++k) {
    c.words.push_back(toks[k].lower);
    if (k > 0) c.gaps.push_back(toks[k].gap);
  }
  // Words and gaps cannot hold a newline, so it separates them unambiguously in the key.
  std::string key;
  for (std::size_t k = 0; k < c.words.size(); ++k) {
    if (k) {
      key += '\n';
      key += c.gaps[k - 1];
      key += '\n';
    }
    key += c.words[k];
  }
  if (auto it = by_key_.find(key); it != by_key_.end()) {
    entries_[it->second] = std::move(entry);
    return true;
  }
  c.entry = entries_.size();
  by_key_.emplace(std::move(key), c.entry);
  entries_.push_back(std::move(entry));
  compiled_.push_back(c);
  auto& list = by_first_[c.words[0]];
  list.push_back(c.entry);
  std::stable_sort(list.begin(), list.end(),
                   [&](std::size_t a, std::size_t b) { return compiled_[a].words.size() > compiled_[b].words.size(); });
  return true;
}

const std::vector<std::size_t>* JargonList::starting_with(const std::string& word) const {
  auto it = by_first_.find(word);
  return it == by_first_.end() ? nullptr : &it->second;
}

namespace detail {

namespace {

// How many words of `c` match the text at toks[i], or 0.
std::size_t match(const JargonList::Compiled& c, const std::vector<Token>& toks, std::size_t i) {
  if (i + c.words.size() > toks.size()) return 0;
  for (std::size_t k = 1; k < c.words.size(); ++k) {
    if (toks[i + k].lower != c.words[k] || toks[i + k].gap != c.gaps[k - 1]) return 0;
  }
  return c.words.size();
}

}  // namespace

void find_jargon(const std::vector<Token>& toks, const JargonList& base, const JargonList* extra,
                 const Lines& lines, Report& r, std::unordered_map<const JargonEntry*, std::size_t>& seen) {
  for (std::size_t i = 0; i < toks.size();) {
    const JargonEntry* best = nullptr;
    std::size_t best_len = 0;
    for (const JargonList* list : {extra, &base}) {
      if (!list) continue;
      const auto* cands = list->starting_with(toks[i].lower);
      if (!cands) continue;
      for (std::size_t ci : *cands) {
        const auto& c = list->compiled(ci);
        if (c.words.size() <= best_len) break;  // longest first: nothing longer follows
        if (std::size_t n = match(c, toks, i)) {
          best = &list->entries()[c.entry];
          best_len = n;
          break;
        }
      }
    }
    if (!best) {
      ++i;
      continue;
    }
    // Each entry found is copied into the report once; hits refer to it by index.
    auto [it, added] = seen.try_emplace(best, r.jargon_entries.size());
    if (added) r.jargon_entries.push_back(*best);
    JargonHit h;
    h.start = toks[i].start;
    h.end = toks[i + best_len - 1].end;
    h.line = lines.line_of(h.start);
    h.entry = it->second;
    r.jargon.push_back(h);
    i += best_len;
  }
}

}  // namespace detail

}  // namespace cp::plain
