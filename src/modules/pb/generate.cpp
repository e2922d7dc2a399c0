// A generated city-wide approval election, for benchmarks. The random numbers come from our own
// generator (splitmix64) and our own scaling, not the standard library's distributions, so the
// same seed gives the same file with any compiler.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "modules/pb/pb.hpp"

namespace cp::pb {

namespace {

class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1) with 53 random bits.
  double unit() { return static_cast<double>(next() >> 11) * 0x1p-53; }
  // Uniform in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(unit() * static_cast<double>(hi - lo + 1));
  }

 private:
  std::uint64_t state_;
};

}  // namespace

std::string generate_pabulib(const GenerateOptions& o) {
  const int P = std::max(1, o.projects), V = std::max(0, o.voters);
  const int K = std::clamp(o.approvals, 0, P);
  Random rng(o.seed);

  // Popularity: a few projects most people like, a long tail few do.
  std::vector<double> weight(P), cumulative(P);
  std::vector<std::int64_t> cost(P);
  double total_weight = 0;
  std::int64_t total_cost = 0;
  for (int p = 0; p < P; ++p) {
    double u = rng.unit();
    weight[p] = 0.05 + u * u * u;
    total_weight += weight[p];
    cumulative[p] = total_weight;
    cost[p] = rng.between(100, 5000) * 100;  // 10,000 to 500,000 in steps of 100
    total_cost += cost[p];
  }
  std::int64_t budget = total_cost / 3 / 1000 * 1000;

  std::vector<std::int64_t> votes(P, 0);
  std::vector<int> ballots(static_cast<std::size_t>(V) * static_cast<std::size_t>(K));
  std::vector<std::uint8_t> taken(P, 0);
  for (int v = 0; v < V; ++v) {
    int* mine = ballots.data() + static_cast<std::size_t>(v) * static_cast<std::size_t>(K);
    for (int k = 0; k < K;) {
      double x = rng.unit() * total_weight;
      int p = static_cast<int>(std::upper_bound(cumulative.begin(), cumulative.end(), x) - cumulative.begin());
      p = std::min(p, P - 1);
      if (taken[p]) continue;  // sampling without replacement: draw again
      taken[p] = 1;
      mine[k++] = p;
    }
    for (int k = 0; k < K; ++k) {
      taken[mine[k]] = 0;
      ++votes[mine[k]];
    }
  }

  std::string out;
  out.reserve(static_cast<std::size_t>(V) * (8 + 5 * static_cast<std::size_t>(K)) + 4096);
  out += "META\nkey;value\n";
  out += "description;Generated city-wide election (seed " + std::to_string(o.seed) + ")\n";
  out += "country;Generated\nunit;Generated City\ninstance;" + std::to_string(o.seed) + "\n";
  out += "num_projects;" + std::to_string(P) + "\nnum_votes;" + std::to_string(V) + "\n";
  out += "budget;" + std::to_string(budget) + "\nvote_type;approval\nrule;greedy\n";
  out += "min_length;" + std::to_string(K) + "\nmax_length;" + std::to_string(K) + "\ncurrency;GBP\n";
  out += "PROJECTS\nproject_id;cost;votes;name\n";
  for (int p = 0; p < P; ++p) {
    out += 'p';
    out += std::to_string(p + 1);
    out += ';';
    out += std::to_string(cost[p]);
    out += ';';
    out += std::to_string(votes[p]);
    out += ";Generated project ";
    out += std::to_string(p + 1);
    out += '\n';
  }
  out += "VOTES\nvoter_id;vote\n";
  for (int v = 0; v < V; ++v) {
    out += 'v';
    out += std::to_string(v + 1);
    out += ';';
    const int* mine = ballots.data() + static_cast<std::size_t>(v) * static_cast<std::size_t>(K);
    for (int k = 0; k < K; ++k) {
      if (k) out += ',';
      out += 'p';
      out += std::to_string(mine[k] + 1);
    }
    out += '\n';
  }
  return out;
}

}  // namespace cp::pb
