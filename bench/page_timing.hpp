// What the in-process page benchmarks share: a GET request built the way the server parses one, and
// the timing loop that turns each request's wall time into p50/p99 counters (Google Benchmark's own
// figures are means, and the targets are stated as p99).
#pragma once
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "core/util.hpp"
#include "http/message.hpp"

namespace cp::bench {

// A GET for `target` ("/path?a=b") addressed to the partnership at `host`.
inline http::Request get_request(const std::string& target, const std::string& host) {
  http::Request r;
  r.method = "GET";
  r.target = target;
  auto q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos)
    for (const auto& kv : split(target.substr(q + 1), '&')) {
      auto eq = kv.find('=');
      r.query.emplace(kv.substr(0, eq), eq == std::string::npos ? "" : kv.substr(eq + 1));
    }
  r.headers.push_back({"host", host});
  r.remote_addr = "127.0.0.1";
  return r;
}

// Times `fetch(target)` once per iteration; skips the benchmark when the page is not a 200, so a
// broken page is never timed as a fast one.
template <class Fetch>
void time_page(benchmark::State& state, Fetch&& fetch, const std::string& target) {
  if (fetch(target).status != 200) {
    state.SkipWithError(("not 200: " + target).c_str());
    return;
  }
  std::vector<double> ms;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    auto res = fetch(target);
    benchmark::DoNotOptimize(res.body.data());
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  state.counters["p50_ms"] = ms[ms.size() / 2];
  state.counters["p99_ms"] = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
}

}  // namespace cp::bench
