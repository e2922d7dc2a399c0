// Builds small Pabulib files for the tests, so each hand-made election reads like a table.
#pragma once
#include <string>
#include <vector>

#include "modules/pb/pb.hpp"

namespace cp::pb::test {

struct P {
  std::string id, cost;
};
// A voter: the projects they named ("a,b") and, for cumulative or scoring ballots, the points.
struct V {
  std::string vote, points = "";
};

inline std::string pb_text(const std::string& vote_type, const std::string& budget, const std::vector<P>& projects,
                           const std::vector<V>& votes, const std::string& extra_meta = "") {
  std::string s = "META\nkey;value\ndescription;hand-made\nbudget;" + budget + "\nvote_type;" + vote_type + "\n" + extra_meta;
  s += "PROJECTS\nproject_id;cost\n";
  for (const auto& p : projects) s += p.id + ";" + p.cost + "\n";
  bool points = vote_type == "cumulative" || vote_type == "scoring";
  s += points ? "VOTES\nvoter_id;vote;points\n" : "VOTES\nvoter_id;vote\n";
  for (std::size_t i = 0; i < votes.size(); ++i) {
    s += "v" + std::to_string(i + 1) + ";" + votes[i].vote;
    if (points) s += ";" + votes[i].points;
    s += "\n";
  }
  return s;
}

// `n` voters with the same ballot.
inline std::vector<V> times(int n, V v) { return std::vector<V>(static_cast<std::size_t>(n), v); }

inline std::vector<V> operator+(std::vector<V> a, const std::vector<V>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

inline std::vector<std::string> ids(const Election& e, const std::vector<std::uint32_t>& ps) {
  std::vector<std::string> out;
  for (auto p : ps) out.push_back(e.projects[p].id);
  return out;
}

inline std::vector<std::string> selected(const Election& e, const std::string& rule) { return ids(e, tally(e, rule).selected); }

inline const ProjectResult& result_for(const Election& e, const Outcome& o, const std::string& id) {
  for (const auto& r : o.projects)
    if (e.projects[r.project].id == id) return r;
  throw std::invalid_argument("no project " + id);
}

}  // namespace cp::pb::test
