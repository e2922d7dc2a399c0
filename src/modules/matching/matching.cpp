#include "modules/matching/matching.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

#include "core/util.hpp"
#include "modules/directory/directory.hpp"

namespace cp::modules {

namespace matching {

namespace {

constexpr int kTopicPoints = 40;
constexpr int kNameWordPoints = 12;
constexpr int kTextWordPoints = 6;
constexpr int kMaxWordPoints = 36;
constexpr int kMaxDistancePoints = 30;
constexpr int kAllDaysPoints = 15;
constexpr int kSomeDaysPoints = 8;
constexpr int kAgePoints = 5;
constexpr int kEligibilityPoints = 5;
constexpr std::int64_t kServiceCandidates = 200;
constexpr std::int64_t kOfferCandidates = 100;

// Words that say nothing about what someone needs.
const std::set<std::string> kStopWords = {
    "a",    "an",    "and",  "any",  "are",  "at",   "be",    "by",    "can",  "do",   "for",  "from",
    "get",  "getting", "help", "helps", "i",  "in",   "into", "is",    "it",   "me",   "my",   "need",
    "needs", "of",   "on",   "or",   "our",  "some", "someone", "support", "the", "their", "them", "they",
    "this", "to",    "want", "wants", "we",  "what", "with",  "would", "you",  "your"};

const std::set<std::string> kGroupKinds = {"community_group", "walking_group", "sports_club", "timebank"};

// One candidate, from either source, in the shape the scorer needs.
struct Item {
  Kind kind;
  std::int64_t id;
  std::string ref, name, summary, text;  // text: what the words are looked for in besides the name
  std::vector<std::string> topics;
  std::optional<std::int64_t> min_age, max_age;
  std::vector<directory_store::EligibilityTag> eligibility;
  std::vector<std::string> days;
  std::optional<double> distance;
  bool free = false;
  std::string cost;
};

bool contains(const std::string& haystack, const std::string& word) { return haystack.find(word) != std::string::npos; }

std::string join_days(const std::vector<std::string>& days) {
  std::string out;
  for (const auto& d : days) out += (out.empty() ? "" : ",") + d;
  return out;
}

std::optional<Match> score(const Item& it, const Need& need, const std::vector<std::string>& words,
                           const std::map<std::string, std::string>& topic_names) {
  Match m;
  m.kind = it.kind;
  m.id = it.id;
  m.ref = it.ref;
  m.name = it.name;
  m.summary = it.summary;
  m.distance_m = it.distance;
  bool relevant = false;
  std::vector<Reason> reasons;

  if (need.where) {
    if (!it.distance) return std::nullopt;
    double limit = need.within_km * 1000.0;
    if (*it.distance > limit) return std::nullopt;
    int pts = static_cast<int>(std::lround(kMaxDistancePoints * (1.0 - *it.distance / limit)));
    if (*it.distance >= 1000) {
      char km[32];
      std::snprintf(km, sizeof km, "%.1f", *it.distance / 1000.0);
      reasons.push_back({"matching.why_km", {{"km", km}}, pts});
    } else {
      // Whole tens of metres: nobody walks 347 m.
      auto metres = std::max<long>(10, std::lround(*it.distance / 10.0) * 10);
      reasons.push_back({"matching.why_m", {{"metres", std::to_string(metres)}}, pts});
    }
  }

  if (!it.days.empty()) {
    std::vector<std::string> shown = it.days;
    int pts = 0;
    if (!need.days.empty()) {
      std::vector<std::string> both;
      for (const auto& d : need.days)
        if (std::find(it.days.begin(), it.days.end(), d) != it.days.end()) both.push_back(d);
      if (both.empty()) return std::nullopt;
      pts = both.size() == need.days.size() ? kAllDaysPoints : kSomeDaysPoints;
      shown = both;
    }
    reasons.push_back({it.kind == Kind::offer ? "matching.why_free_on" : "matching.why_open", {{"days", join_days(shown)}}, pts});
  }

  if (it.free) reasons.push_back({"matching.why_free", {}, 0});
  else if (!it.cost.empty()) reasons.push_back({"matching.why_cost", {{"cost", it.cost}}, 0});

  if (it.min_age || it.max_age) {
    int pts = 0;
    if (need.age) {
      if ((it.min_age && *need.age < *it.min_age) || (it.max_age && *need.age > *it.max_age)) return std::nullopt;
      pts = kAgePoints;
    }
    if (it.min_age && it.max_age)
      reasons.push_back({"matching.why_ages_range",
                         {{"from", std::to_string(*it.min_age)}, {"to", std::to_string(*it.max_age)}}, pts});
    else if (it.min_age)
      reasons.push_back({"matching.why_ages_from", {{"from", std::to_string(*it.min_age)}}, pts});
    else
      reasons.push_back({"matching.why_ages_to", {{"to", std::to_string(*it.max_age)}}, pts});
  }

  if (!it.eligibility.empty()) {
    // A group is said by its code ("@parents", put in words by explain()) or, for a group this
    // directory does not know, by the feed's own name for it.
    auto said = [](const directory_store::EligibilityTag& t) { return t.code.empty() ? t.name : "@" + t.code; };
    bool known = false, fits = false;
    for (const auto& t : it.eligibility) {
      if (t.code.empty()) continue;
      known = true;
      if (std::find(need.eligibility.begin(), need.eligibility.end(), t.code) != need.eligibility.end()) fits = true;
    }
    if (!need.eligibility.empty() && known && !fits) return std::nullopt;
    bool scored = false;
    for (const auto& t : it.eligibility) {
      bool mine = !t.code.empty() &&
                  std::find(need.eligibility.begin(), need.eligibility.end(), t.code) != need.eligibility.end();
      // With the person's groups known, only the groups that fit them are worth saying.
      if (!need.eligibility.empty() && !mine && !t.code.empty()) continue;
      reasons.push_back({"matching.why_for", {{"group", said(t)}}, mine && !scored ? kEligibilityPoints : 0});
      if (mine) scored = true;
    }
  }

  if (!need.topic.empty() && std::find(it.topics.begin(), it.topics.end(), need.topic) != it.topics.end()) {
    relevant = true;
    auto name = topic_names.find(need.topic);
    reasons.push_back({"matching.why_topic", {{"topic", name == topic_names.end() ? need.topic : name->second}}, kTopicPoints});
  }

  if (!words.empty()) {
    std::string name = to_lower(it.name), text = to_lower(it.text);
    int pts = 0;
    std::string found;
    for (const auto& w : words) {
      int p = contains(name, w) ? kNameWordPoints : contains(text, w) ? kTextWordPoints : 0;
      if (!p) continue;
      pts += p;
      found += (found.empty() ? "" : ", ") + w;
    }
    if (!found.empty()) {
      relevant = true;
      reasons.push_back({"matching.why_words", {{"words", found}}, std::min(pts, kMaxWordPoints)});
    }
  }
  if (!relevant) return std::nullopt;
  if (it.kind == Kind::offer) reasons.push_back({"matching.why_offer", {}, 0});
  for (const auto& r : reasons) m.score += r.points;
  m.reasons = std::move(reasons);
  return m;
}

std::string day_list(const web::Catalogue& cat, const std::string& lang, const std::string& days) {
  auto list = split(days, ',');
  if (list == std::vector<std::string>{"MO", "TU", "WE", "TH", "FR"}) return cat.t(lang, "matching.days_weekdays");
  std::string out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i) out += i + 1 == list.size() ? cat.t(lang, "matching.list_and") : ", ";
    out += cat.t(lang, "matching.days_" + list[i]);
  }
  return out;
}

}  // namespace

std::string to_string(Kind k) {
  switch (k) {
    case Kind::service: return "service";
    case Kind::asset: return "asset";
    case Kind::group: return "group";
    case Kind::offer: return "offer";
  }
  return "service";
}

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (cur.size() >= 2 && !kStopWords.count(cur) && std::find(out.begin(), out.end(), cur) == out.end() && out.size() < 8)
      out.push_back(cur);
    cur.clear();
  };
  for (unsigned char c : to_lower(text)) {
    if (std::isalnum(c) || c >= 0x80) cur += static_cast<char>(c);
    else flush();
  }
  flush();
  return out;
}

std::vector<NeedProblem> check(app::App& app, Need& need) {
  std::vector<NeedProblem> p;
  need.text = trim(need.text);
  need.where.reset();
  if (need.text.size() > 200) p.push_back({"q", "matching.error_text_long"});
  else if (words_of(need.text).empty() && need.topic.empty()) p.push_back({"q", "matching.error_nothing"});
  for (const auto& d : need.days)
    if (std::find(kWeekDays.begin(), kWeekDays.end(), d) == kWeekDays.end()) {
      p.push_back({"days", "matching.error_days"});
      break;
    }
  if (need.age && (*need.age < 0 || *need.age > 120)) p.push_back({"age", "matching.error_age"});
  for (const auto& g : need.eligibility)
    if (std::find(kEligibilityGroups.begin(), kEligibilityGroups.end(), g) == kEligibilityGroups.end()) {
      p.push_back({"eligibility", "matching.error_eligibility"});
      break;
    }
  if (!(need.within_km >= 1 && need.within_km <= 50)) p.push_back({"within", "matching.error_within"});
  if (!trim(need.postcode).empty()) {
    auto n = postcodes::normalise(need.postcode);
    if (!n) {
      p.push_back({"postcode", "matching.error_postcode_invalid"});
    } else {
      need.postcode = n->text;
      need.where = postcodes::locate(*app.db, *n);
      if (!need.where) p.push_back({"postcode", "matching.error_postcode_unknown"});
    }
  } else {
    need.postcode.clear();
  }
  return p;
}

std::vector<Match> match(store::Scope& s, const Need& need, const Viewer& viewer) {
  auto words = words_of(need.text);
  if (words.empty() && need.topic.empty()) throw std::invalid_argument("a need must have words or a topic");
  if (!need.postcode.empty() && !need.where) throw std::invalid_argument("the need's postcode has not been located");
  std::map<std::string, std::string> topic_names;
  for (const auto& t : directory_store::terms(s)) topic_names[t.id] = t.name;

  std::vector<Item> items;
  directory_store::CandidateQuery dq;
  dq.near = need.where;
  dq.within_m = need.within_km * 1000.0;
  dq.term = need.topic;
  dq.words = words;
  dq.limit = kServiceCandidates;
  for (auto& c : directory_store::candidates(s, dq)) {
    Item it;
    it.kind = c.asset_kind.empty() ? Kind::service : kGroupKinds.count(c.asset_kind) ? Kind::group : Kind::asset;
    it.id = c.id;
    it.ref = c.uuid;
    it.name = c.name;
    it.summary = c.description;
    it.text = c.description;
    it.topics = std::move(c.term_ids);
    it.min_age = c.minimum_age;
    it.max_age = c.maximum_age;
    it.eligibility = std::move(c.eligibility);
    it.days = std::move(c.days);
    it.distance = c.distance_m;
    it.free = c.free;
    it.cost = c.cost;
    items.push_back(std::move(it));
  }
  capabilities_store::CandidateQuery oq;
  oq.near = need.where;
  oq.within_m = need.within_km * 1000.0;
  oq.topic = need.topic;
  oq.words = words;
  oq.limit = kOfferCandidates;
  for (auto& o : capabilities_store::candidates(s, viewer, oq)) {
    Item it;
    it.kind = Kind::offer;
    it.id = o.id;
    it.name = o.title;
    it.summary = o.details;
    it.text = o.details + "\n" + o.languages;
    it.topics = {o.topic};
    it.days = o.days;
    if (need.where && o.point) it.distance = postcodes::distance_m(*need.where, *o.point);
    items.push_back(std::move(it));
  }

  // Each name is put in lower case once, not at every comparison of the sort; the order is the same.
  std::vector<std::pair<std::string, Match>> ranked;
  for (const auto& it : items)
    if (auto m = score(it, need, words, topic_names)) {
      auto key = to_lower(m->name);
      ranked.emplace_back(std::move(key), std::move(*m));
    }
  auto before = [](const std::pair<std::string, Match>& x, const std::pair<std::string, Match>& y) {
    const Match &a = x.second, &b = y.second;
    if (a.score != b.score) return a.score > b.score;
    if (x.first != y.first) return x.first < y.first;
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.id < b.id;
  };
  std::size_t keep = std::min(ranked.size(), need.limit);
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(keep), ranked.end(), before);
  std::vector<Match> out;
  out.reserve(keep);
  for (std::size_t i = 0; i < keep; ++i) out.push_back(std::move(ranked[i].second));
  return out;
}

std::string explain(const web::Catalogue& cat, const std::string& lang, const Match& m) {
  std::string out;
  for (const auto& r : m.reasons) {
    auto args = r.args;
    for (auto& [k, v] : args)
      if (k == "days") v = day_list(cat, lang, v);
      else if (k == "group" && !v.empty() && v[0] == '@') v = cat.t(lang, "directory.group_" + v.substr(1));
    out += (out.empty() ? "" : ", ") + cat.t(lang, r.key, args);
  }
  // A sentence starts with a capital; the reasons are written to be joined, so they start small.
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

}  // namespace matching

}  // namespace cp::modules
