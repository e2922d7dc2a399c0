// Request counters and latency histograms by route, in Prometheus text format.
#pragma once
#include <array>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace cp::http {

class Metrics {
 public:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  void observe(const std::string& route, const std::string& method, int status, double seconds);
  // The whole exposition; `extra` is appended as-is (e.g. database pool gauges).
  std::string render(const std::string& extra) const;

 private:
  struct Series {
    std::array<std::atomic<std::uint64_t>, kBuckets.size()> buckets{};
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sum_micros{0};
    std::map<int, std::atomic<std::uint64_t>> by_status;  // guarded by mu_
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<Series>> series_;
};

}  // namespace cp::http
