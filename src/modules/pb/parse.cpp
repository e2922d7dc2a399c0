// The Pabulib reader. It accepts what real files contain (a byte-order mark, Windows line endings,
// quoted fields with ";" or doubled quotes inside, "," or "." as the decimal point, extra columns,
// "none" for an empty optional value) and refuses everything else with the line that is wrong.
#include <algorithm>
#include <cctype>
#include <array>
#include <deque>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "core/util.hpp"
#include "modules/pb/pb.hpp"

namespace cp::pb {

ParseError::ParseError(int line_, std::string field_, std::string key_,
                       std::vector<std::pair<std::string, std::string>> args_)
    : std::runtime_error("pb." + key_ + " at line " + std::to_string(line_) + (field_.empty() ? "" : " (" + field_ + ")")),
      line(line_),
      field(std::move(field_)),
      key(std::move(key_)),
      args(std::move(args_)) {
  args.emplace_back("line", std::to_string(line));
  if (!field.empty()) args.emplace_back("field", field);
}

std::string_view vote_type_name(VoteType t) {
  switch (t) {
    case VoteType::approval: return "approval";
    case VoteType::choose_one: return "choose-1";
    case VoteType::cumulative: return "cumulative";
    case VoteType::scoring: return "scoring";
    case VoteType::ordinal: return "ordinal";
  }
  return "approval";
}

const std::string* Election::meta_value(std::string_view key) const {
  for (const auto& [k, v] : meta)
    if (k == key) return &v;
  return nullptr;
}

std::string Election::money(std::int64_t units) const {
  bool neg = units < 0;
  std::uint64_t u = neg ? static_cast<std::uint64_t>(-(units + 1)) + 1 : static_cast<std::uint64_t>(units);
  std::uint64_t whole = u / static_cast<std::uint64_t>(money_scale), frac = u % static_cast<std::uint64_t>(money_scale);
  std::string s;
  if (neg) s += '-';
  s += std::to_string(whole);
  if (frac) {
    std::size_t places = std::to_string(money_scale).size() - 1;
    std::string digits = std::to_string(frac);
    digits.insert(0, places - digits.size(), '0');
    while (digits.back() == '0') digits.pop_back();
    s += "." + digits;
  }
  return s;
}

namespace {

using Args = std::vector<std::pair<std::string, std::string>>;

[[noreturn]] void fail(int line, std::string field, std::string key, Args args = {}) {
  throw ParseError(line, std::move(field), std::move(key), std::move(args));
}

// What a value looks like in a message: the start of it, without control characters.
std::string shown(std::string_view v) {
  std::string s;
  for (char c : v.substr(0, 40)) s += (static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
  if (v.size() > 40) s += "...";
  return s;
}

std::string_view trim_view(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool equals_lower(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (static_cast<char>(std::tolower(static_cast<unsigned char>(s[i]))) != lower[i]) return false;
  return true;
}

// One record of the file: its fields (trimmed, quotes removed) and the line it starts on. Fields
// are views into the file's text; a quoted field with doubled quotes inside is unescaped into the
// reader's arena, which lives as long as the reader.
struct Record {
  int line = 0;
  std::size_t n = 0;
  std::vector<std::string_view> fields;
  std::string_view operator[](std::size_t i) const { return i < n ? fields[i] : std::string_view(); }
  bool blank() const { return n == 0 || (n == 1 && fields[0].empty()); }
};

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") text_.remove_prefix(3);
  }
  int line() const { return line_; }

  bool next(Record& r) {
    if (pos_ >= text_.size()) return false;
    r.line = line_;
    r.n = 0;
    for (;;) {
      if (r.n == r.fields.size()) r.fields.emplace_back();
      std::string_view& f = r.fields[r.n++];
      // Leading blanks before a quote still make a quoted field.
      std::size_t p = pos_;
      while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t')) ++p;
      if (p < text_.size() && text_[p] == '"') {
        pos_ = p + 1;
        int start_line = line_;
        std::size_t begin = pos_;
        std::string* unescaped = nullptr;
        for (;;) {
          if (pos_ >= text_.size()) fail(start_line, "", "unclosed_quote");
          char c = text_[pos_++];
          if (c == '"') {
            if (pos_ < text_.size() && text_[pos_] == '"') {
              if (!unescaped) unescaped = &arena_.emplace_back(text_.substr(begin, pos_ - begin));
              else *unescaped += '"';
              ++pos_;
            } else {
              break;
            }
          } else {
            if (c == '\n') ++line_;
            if (unescaped) *unescaped += c;
          }
        }
        f = trim_view(unescaped ? std::string_view(*unescaped) : text_.substr(begin, pos_ - 1 - begin));
        // Only blanks may follow the closing quote before the separator.
        while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\r')) ++pos_;
        if (pos_ < text_.size() && text_[pos_] != ';' && text_[pos_] != '\n') fail(line_, "", "text_after_quote");
      } else {
        std::size_t end = pos_;
        while (end < text_.size() && text_[end] != ';' && text_[end] != '\n') ++end;
        f = trim_view(text_.substr(pos_, end - pos_));
        pos_ = end;
      }
      if (pos_ >= text_.size()) return true;
      char sep = text_[pos_++];
      if (sep == '\n') {
        ++line_;
        return true;
      }
    }
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  std::deque<std::string> arena_;
};

// A decimal as written: digits, an optional sign and an optional "." or "," point.
struct Decimal {
  __int128 mantissa = 0;
  int decimals = 0;
};

std::optional<Decimal> parse_decimal(std::string_view s) {
  Decimal d;
  bool neg = false, point = false, digits = false;
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      if (d.mantissa > (static_cast<__int128>(1) << 100)) return std::nullopt;
      d.mantissa = d.mantissa * 10 + (c - '0');
      digits = true;
      if (point) ++d.decimals;
    } else if ((c == '.' || c == ',') && !point) {
      point = true;
    } else {
      return std::nullopt;
    }
  }
  if (!digits || d.decimals > 9) return std::nullopt;
  // Trailing zeros after the point do not make a finer unit ("150000.00" is whole).
  while (d.decimals > 0 && d.mantissa % 10 == 0) {
    d.mantissa /= 10;
    --d.decimals;
  }
  if (neg) d.mantissa = -d.mantissa;
  return d;
}

constexpr std::array<std::int64_t, 10> kPow10 = {1,      10,      100,      1000,      10000,
                                                 100000, 1000000, 10000000, 100000000, 1000000000};

// `d` in units of 10^-decimals, or nullopt when that does not fit in 63 bits.
std::optional<std::int64_t> scaled(const Decimal& d, int decimals) {
  __int128 v = d.mantissa * kPow10[static_cast<std::size_t>(decimals - d.decimals)];
  if (v > static_cast<__int128>(INT64_MAX) || v < -static_cast<__int128>(INT64_MAX)) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

int column(const Record& header, std::string_view name) {
  for (std::size_t i = 0; i < header.n; ++i)
    if (equals_lower(header[i], name)) return static_cast<int>(i);
  return -1;
}

bool is_none(std::string_view v) { return equals_lower(v, "none"); }

struct PendingProject {
  Project p;
  Decimal cost;
};

// Votes as read, in flat arrays (one allocation per array, not per voter): voter v's projects are
// proj[off[v]..off[v+1]), with points (raw mantissas) and their decimals for cumulative and scoring.
struct PendingVotes {
  std::vector<int> line;
  std::vector<std::string_view> id;
  std::vector<std::uint32_t> off{0};
  std::vector<std::uint32_t> proj;
  std::vector<std::int64_t> points;
  std::vector<std::int8_t> decimals;
  std::size_t size() const { return line.size(); }
};

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  return h * 0xFF51AFD7ED558CCDull;
}

}  // namespace

Election parse_pabulib(std::string_view text) {
  Election e;
  Reader reader(text);
  Record r, header;
  enum class Section { none, meta, projects, votes } section = Section::none;
  bool seen_meta = false, seen_projects = false, seen_votes = false;
  std::unordered_map<std::string, int> meta_line;
  std::vector<PendingProject> projects;
  std::unordered_map<std::string_view, std::uint32_t> project_index;
  PendingVotes voters;
  std::unordered_set<std::string_view> voter_seen;
  int id_col = -1, cost_col = -1, name_col = -1, voter_col = -1, vote_col = -1, points_col = -1;
  std::optional<VoteType> type;
  std::int64_t ordinal_length = 0;

  int meta_start = 0, projects_start = 0;
  auto need_meta = [&]() {
    // The projects and votes can only be read once the vote type is known.
    if (!type) fail(meta_start, "vote_type", "meta_missing", {{"key", "vote_type"}});
  };

  while (reader.next(r)) {
    if (r.blank()) continue;
    std::string_view first = r[0];
    if (equals_lower(first, "meta") || equals_lower(first, "projects") || equals_lower(first, "votes")) {
      Section next = equals_lower(first, "meta") ? Section::meta : equals_lower(first, "projects") ? Section::projects : Section::votes;
      bool& seen = next == Section::meta ? seen_meta : next == Section::projects ? seen_projects : seen_votes;
      if (seen) fail(r.line, "", "section_twice", {{"section", std::string(first)}});
      if ((next == Section::projects && !seen_meta) || (next == Section::votes && !seen_projects))
        fail(r.line, "", "section_order");
      seen = true;
      section = next;
      int section_line = r.line;
      if (section == Section::meta) meta_start = r.line;
      if (section == Section::projects) projects_start = r.line;
      do {
        if (!reader.next(header)) fail(section_line, "", "header_missing", {{"section", std::string(first)}});
      } while (header.blank());
      if (section == Section::projects) {
        need_meta();
        id_col = column(header, "project_id");
        cost_col = column(header, "cost");
        name_col = column(header, "name");
        if (id_col < 0) fail(header.line, "project_id", "column_missing", {{"column", "project_id"}});
        if (cost_col < 0) fail(header.line, "cost", "column_missing", {{"column", "cost"}});
      } else if (section == Section::votes) {
        voter_col = column(header, "voter_id");
        vote_col = column(header, "vote");
        points_col = column(header, "points");
        if (voter_col < 0) fail(header.line, "voter_id", "column_missing", {{"column", "voter_id"}});
        if (vote_col < 0) fail(header.line, "vote", "column_missing", {{"column", "vote"}});
      }
      continue;
    }
    switch (section) {
      case Section::none: fail(r.line, "", "outside_section");
      case Section::meta: {
        std::string key(first);
        if (key.empty()) fail(r.line, "key", "empty_value", {{"column", "key"}});
        for (std::size_t i = 2; i < r.n; ++i)
          if (!r[i].empty()) fail(r.line, "", "too_many_fields", {{"count", std::to_string(r.n)}, {"expected", "2"}});
        if (meta_line.count(key)) fail(r.line, key, "meta_twice", {{"key", key}});
        meta_line[key] = r.line;
        e.meta.emplace_back(key, std::string(r[1]));
        if (key == "vote_type") {
          std::string_view v = r[1];
          if (equals_lower(v, "approval")) type = VoteType::approval;
          else if (equals_lower(v, "choose-1")) type = VoteType::choose_one;
          else if (equals_lower(v, "cumulative")) type = VoteType::cumulative;
          else if (equals_lower(v, "scoring")) type = VoteType::scoring;
          else if (equals_lower(v, "ordinal")) type = VoteType::ordinal;
          else fail(r.line, "vote_type", "bad_vote_type", {{"value", shown(v)}});
        }
        break;
      }
      case Section::projects: {
        for (std::size_t i = header.n; i < r.n; ++i)
          if (!r[i].empty())
            fail(r.line, "", "too_many_fields", {{"count", std::to_string(r.n)}, {"expected", std::to_string(header.n)}});
        PendingProject pp;
        pp.p.line = r.line;
        pp.p.id = std::string(r[static_cast<std::size_t>(id_col)]);
        if (pp.p.id.empty() || is_none(pp.p.id)) fail(r.line, "project_id", "empty_value", {{"column", "project_id"}});
        if (pp.p.id.find(',') != std::string::npos)
          fail(r.line, "project_id", "comma_in_id", {{"value", shown(pp.p.id)}});
        std::string_view cost = r[static_cast<std::size_t>(cost_col)];
        auto d = parse_decimal(cost);
        if (!d) fail(r.line, "cost", "not_a_number", {{"value", shown(cost)}});
        if (d->mantissa < 0) fail(r.line, "cost", "negative", {{"value", shown(cost)}});
        pp.cost = *d;
        if (name_col >= 0 && !is_none(r[static_cast<std::size_t>(name_col)]))
          pp.p.name = std::string(r[static_cast<std::size_t>(name_col)]);
        projects.push_back(std::move(pp));
        break;
      }
      case Section::votes: {
        for (std::size_t i = header.n; i < r.n; ++i)
          if (!r[i].empty())
            fail(r.line, "", "too_many_fields", {{"count", std::to_string(r.n)}, {"expected", std::to_string(header.n)}});
        if (project_index.empty())
          for (std::uint32_t i = 0; i < projects.size(); ++i) project_index.emplace(projects[i].p.id, i);
        std::string_view vid = r[static_cast<std::size_t>(voter_col)];
        if (vid.empty()) fail(r.line, "voter_id", "empty_value", {{"column", "voter_id"}});
        if (!voter_seen.insert(vid).second) fail(r.line, "voter_id", "voter_twice", {{"value", shown(vid)}});
        std::size_t first = voters.proj.size();
        std::string_view vote = r[static_cast<std::size_t>(vote_col)];
        if (is_none(vote)) vote = {};
        std::size_t start = 0;
        while (start <= vote.size()) {
          std::size_t comma = vote.find(',', start);
          if (comma == std::string_view::npos) comma = vote.size();
          std::string_view id = trim_view(vote.substr(start, comma - start));
          start = comma + 1;
          if (id.empty()) continue;  // "a,,b" and a blank vote (someone who chose nothing)
          auto it = project_index.find(id);
          if (it == project_index.end()) fail(r.line, "vote", "unknown_project", {{"value", shown(id)}});
          voters.proj.push_back(it->second);
        }
        std::size_t named = voters.proj.size() - first;
        bool points_needed = *type == VoteType::cumulative || *type == VoteType::scoring;
        if (points_needed && named > 0) {
          if (points_col < 0) fail(r.line, "points", "column_missing", {{"column", "points"}});
          std::string_view pts = r[static_cast<std::size_t>(points_col)];
          std::size_t s = 0, given = 0;
          while (s <= pts.size()) {
            std::size_t comma = pts.find(',', s);
            if (comma == std::string_view::npos) comma = pts.size();
            std::string_view one = trim_view(pts.substr(s, comma - s));
            s = comma + 1;
            auto d = parse_decimal(one);
            if (!d || d->mantissa > INT64_MAX || d->mantissa < -INT64_MAX)
              fail(r.line, "points", "not_a_number", {{"value", shown(one)}});
            if (*type == VoteType::cumulative && d->mantissa < 0)
              fail(r.line, "points", "negative", {{"value", shown(one)}});
            if (++given <= named) {
              voters.points.push_back(static_cast<std::int64_t>(d->mantissa));
              voters.decimals.push_back(static_cast<std::int8_t>(d->decimals));
            }
          }
          if (given != named)
            fail(r.line, "points", "points_count", {{"points", std::to_string(given)}, {"projects", std::to_string(named)}});
        }
        voters.line.push_back(r.line);
        voters.id.push_back(vid);
        voters.off.push_back(static_cast<std::uint32_t>(voters.proj.size()));
        break;
      }
    }
  }

  int end_line = reader.line();
  if (!seen_meta) fail(end_line, "", "section_missing", {{"section", "META"}});
  if (!type) fail(meta_start, "vote_type", "meta_missing", {{"key", "vote_type"}});
  if (!seen_projects) fail(end_line, "", "section_missing", {{"section", "PROJECTS"}});
  if (!seen_votes) fail(end_line, "", "section_missing", {{"section", "VOTES"}});
  if (projects.empty()) fail(projects_start, "", "no_projects");
  e.vote_type = *type;

  // Project ids are unique (votes name projects by id).
  {
    std::unordered_map<std::string_view, int> first_line;
    for (const auto& pp : projects) {
      auto [it, fresh] = first_line.emplace(pp.p.id, pp.p.line);
      if (!fresh) fail(pp.p.line, "project_id", "project_twice", {{"value", shown(pp.p.id)}, {"first", std::to_string(it->second)}});
    }
  }

  // Money: one unit fine enough for every cost and the budget.
  const std::string* budget = e.meta_value("budget");
  if (!budget) fail(meta_start, "budget", "meta_missing", {{"key", "budget"}});
  int budget_line = meta_line["budget"];
  auto budget_d = parse_decimal(*budget);
  if (!budget_d) fail(budget_line, "budget", "not_a_number", {{"value", shown(*budget)}});
  if (budget_d->mantissa < 0) fail(budget_line, "budget", "negative", {{"value", shown(*budget)}});
  int money_decimals = budget_d->decimals;
  for (const auto& pp : projects) money_decimals = std::max(money_decimals, pp.cost.decimals);
  e.money_scale = kPow10[static_cast<std::size_t>(money_decimals)];
  auto b = scaled(*budget_d, money_decimals);
  if (!b) fail(budget_line, "budget", "too_big", {{"value", shown(*budget)}});
  e.budget = *b;
  e.projects.reserve(projects.size());
  for (auto& pp : projects) {
    auto c = scaled(pp.cost, money_decimals);
    if (!c) fail(pp.p.line, "cost", "too_big", {});
    pp.p.cost = *c;
    e.projects.push_back(std::move(pp.p));
  }

  auto check_count = [&](const char* key, std::size_t actual) {
    const std::string* v = e.meta_value(key);
    if (!v) return;
    auto n = parse_int(*v);
    if (!n || *n < 0) fail(meta_line[key], key, "not_a_number", {{"value", shown(*v)}});
    if (static_cast<std::size_t>(*n) != actual)
      fail(meta_line[key], key, "count_mismatch", {{"key", key}, {"said", *v}, {"found", std::to_string(actual)}});
  };
  check_count("num_projects", e.projects.size());
  check_count("num_votes", voters.size());

  if (e.vote_type == VoteType::ordinal) {
    ordinal_length = static_cast<std::int64_t>(e.projects.size());
    if (const std::string* ml = e.meta_value("max_length")) {
      auto n = parse_int(*ml);
      if (!n || *n < 1) fail(meta_line["max_length"], "max_length", "not_a_number", {{"value", shown(*ml)}});
      ordinal_length = *n;
    }
  }
  int points_decimals = 0;
  for (auto d : voters.decimals) points_decimals = std::max<int>(points_decimals, d);
  e.points_scale = kPow10[static_cast<std::size_t>(points_decimals)];
  bool scored = e.vote_type == VoteType::cumulative || e.vote_type == VoteType::scoring;

  // Each voter's ballot in a canonical form, then identical ballots counted together (found by a
  // hash of the items; ballots with the same hash are chained and compared item by item).
  std::unordered_map<std::uint64_t, std::uint32_t> first_with_hash;
  first_with_hash.reserve(voters.size());
  std::vector<std::uint32_t> next_same_hash;
  e.voter_ids.reserve(voters.size());
  e.voter_ballot.reserve(voters.size());
  std::vector<BallotItem> items;
  std::vector<std::uint8_t> seen(e.projects.size(), 0);
  for (std::size_t v = 0; v < voters.size(); ++v) {
    items.clear();
    int line = voters.line[v];
    for (std::uint32_t i = voters.off[v]; i < voters.off[v + 1]; ++i) {
      std::uint32_t p = voters.proj[i];
      if (seen[p]) {
        // An approval ballot is a set: naming a project twice changes nothing. Elsewhere it would
        // be ambiguous (two scores, two ranks), so it is refused.
        if (e.vote_type == VoteType::approval || e.vote_type == VoteType::choose_one) continue;
        fail(line, "vote", "project_repeated", {{"value", shown(e.projects[p].id)}});
      }
      seen[p] = 1;
      BallotItem it;
      it.project = p;
      if (scored) {
        auto sp = scaled(Decimal{voters.points[i], voters.decimals[i]}, points_decimals);
        if (!sp) fail(line, "points", "too_big", {});
        it.points = *sp;
      } else if (e.vote_type == VoteType::ordinal) {
        it.points = ordinal_length - static_cast<std::int64_t>(i - voters.off[v]);
      } else {
        it.points = 1;
      }
      items.push_back(it);
    }
    for (const auto& it : items) seen[it.project] = 0;
    if (e.vote_type == VoteType::choose_one && items.size() > 1)
      fail(line, "vote", "choose_one_many", {{"count", std::to_string(items.size())}});
    if (e.vote_type == VoteType::ordinal && static_cast<std::int64_t>(items.size()) > ordinal_length)
      fail(line, "vote", "ranking_too_long", {{"count", std::to_string(items.size())}, {"max", std::to_string(ordinal_length)}});
    if (e.vote_type != VoteType::ordinal)
      std::sort(items.begin(), items.end(), [](const BallotItem& a, const BallotItem& b) { return a.project < b.project; });
    std::uint64_t h = items.size();
    for (const auto& it : items) h = mix(mix(h, it.project), static_cast<std::uint64_t>(it.points));
    auto same = [&](std::uint32_t b) {
      const Ballot& x = e.ballots[b];
      if (x.count != items.size()) return false;
      for (std::size_t k = 0; k < items.size(); ++k) {
        const BallotItem& y = e.items[x.first + k];
        if (y.project != items[k].project || y.points != items[k].points) return false;
      }
      return true;
    };
    std::uint32_t found = UINT32_MAX;
    auto slot = first_with_hash.find(h);
    if (slot != first_with_hash.end())
      for (std::uint32_t b = slot->second; b != UINT32_MAX; b = next_same_hash[b])
        if (same(b)) {
          found = b;
          break;
        }
    if (found == UINT32_MAX) {
      found = static_cast<std::uint32_t>(e.ballots.size());
      e.ballots.push_back(Ballot{static_cast<std::uint32_t>(e.items.size()), static_cast<std::uint32_t>(items.size()), 0});
      e.items.insert(e.items.end(), items.begin(), items.end());
      if (slot == first_with_hash.end()) {
        next_same_hash.push_back(UINT32_MAX);
        first_with_hash.emplace(h, found);
      } else {
        next_same_hash.push_back(slot->second);
        slot->second = found;
      }
    }
    e.ballots[found].voters += 1;
    e.voter_ids.emplace_back(voters.id[v]);
    e.voter_ballot.push_back(found);
  }
  return e;
}

Election read_pabulib_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ParseError(0, "", "cannot_read", {{"file", path}});
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw ParseError(0, "", "cannot_read", {{"file", path}});
  return parse_pabulib(ss.str());
}

}  // namespace cp::pb
