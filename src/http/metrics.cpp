#include "http/metrics.hpp"

#include <fmt/format.h>

namespace cp::http {

void Metrics::observe(const std::string& route, const std::string& method, int status, double seconds) {
  std::lock_guard lock(mu_);
  auto& s = series_[{route, method}];
  if (!s) s = std::make_unique<Series>();
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) s->buckets[i].fetch_add(1, std::memory_order_relaxed);
  s->count.fetch_add(1, std::memory_order_relaxed);
  s->sum_micros.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
  s->by_status[status].fetch_add(1, std::memory_order_relaxed);
}

std::string Metrics::render(const std::string& extra) const {
  std::string out;
  out += "# HELP coproduce_http_requests_total HTTP requests by route, method and status.\n";
  out += "# TYPE coproduce_http_requests_total counter\n";
  std::lock_guard lock(mu_);
  for (const auto& [key, s] : series_)
    for (const auto& [status, n] : s->by_status)
      out += fmt::format("coproduce_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n", key.first,
                         key.second, status, n.load());
  out += "# HELP coproduce_http_request_duration_seconds Time to handle a request, by route.\n";
  out += "# TYPE coproduce_http_request_duration_seconds histogram\n";
  for (const auto& [key, s] : series_) {
    for (std::size_t i = 0; i < kBuckets.size(); ++i)
      out += fmt::format("coproduce_http_request_duration_seconds_bucket{{route=\"{}\",method=\"{}\",le=\"{}\"}} {}\n",
                         key.first, key.second, kBuckets[i], s->buckets[i].load());
    out += fmt::format("coproduce_http_request_duration_seconds_bucket{{route=\"{}\",method=\"{}\",le=\"+Inf\"}} {}\n",
                       key.first, key.second, s->count.load());
    out += fmt::format("coproduce_http_request_duration_seconds_sum{{route=\"{}\",method=\"{}\"}} {:.6f}\n", key.first,
                       key.second, s->sum_micros.load() / 1e6);
    out += fmt::format("coproduce_http_request_duration_seconds_count{{route=\"{}\",method=\"{}\"}} {}\n", key.first,
                       key.second, s->count.load());
  }
  out += extra;
  return out;
}

}  // namespace cp::http
