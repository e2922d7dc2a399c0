// The plain-language checker in-process, as the web forms will call it (the data loaded once):
// a 1,000-word page (target: under 5 ms), the same page's counts alone, and 1 MB of prose.
// bench/plain_run runs these and the command line on 10 MB; see docs/performance.md.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "app/app.hpp"
#include "modules/plain/plain.hpp"
#include "web/collate.hpp"

using namespace cp;

namespace {

std::string share() {
  if (const char* v = std::getenv("COPRODUCE_SHARE"); v && *v) return v;
  return app::default_share_dir();
}

std::string reference(const std::string& name) {
  std::ifstream in(share() + "/data/plain/reference/texts/" + name, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const plain::Checker& checker() {
  static const plain::Checker c(share());
  return c;
}

// The first 1,000 words of the longest reference text (a council's local account, 1,359 words).
const std::string& page() {
  static const std::string p = [] {
    std::string t = reference("13-adult-social-care-local-account.txt");
    std::size_t words = 0;
    bool in_word = false;
    for (std::size_t i = 0; i < t.size(); ++i) {
      bool space = t[i] == ' ' || t[i] == '\n' || t[i] == '\t' || t[i] == '\r';
      if (!space && !in_word && ++words > 1000) return t.substr(0, i);
      in_word = !space;
    }
    return t;
  }();
  return p;
}

const std::string& megabyte() {
  static const std::string m = [] {
    std::string all;
    for (const char* f : {"01-bin-collection-changes.txt", "02-commissioning-framework-jargon.txt",
                          "06-care-plan-letter-curly-quotes.txt", "11-plainlanguage-gov-before-after.txt",
                          "13-adult-social-care-local-account.txt"})
      all += reference(f);
    std::string out;
    while (out.size() < 1000000) out += all;
    return out;
  }();
  return m;
}

void BM_PlainCheckPage(benchmark::State& state) {
  const auto& c = checker();
  const auto& p = page();
  for (auto _ : state) benchmark::DoNotOptimize(c.check(p));
  state.counters["words"] = static_cast<double>(c.count(p).words);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * p.size()));
}

void BM_PlainCountPage(benchmark::State& state) {
  const auto& c = checker();
  const auto& p = page();
  for (auto _ : state) benchmark::DoNotOptimize(c.count(p));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * p.size()));
}

void BM_PlainCheckMegabyte(benchmark::State& state) {
  const auto& c = checker();
  const auto& m = megabyte();
  for (auto _ : state) benchmark::DoNotOptimize(c.check(m));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * m.size()));
}

// The web form's call: the same page with a partnership's own list of 200 entries on top.
void BM_PlainCheckPagePartnershipList(benchmark::State& state) {
  const auto& c = checker();
  const auto& p = page();
  plain::JargonList own;
  for (int i = 0; i < 200; ++i) own.add({"local phrase " + std::to_string(i), {"plain words"}, false, "", "partnership"});
  for (auto _ : state) benchmark::DoNotOptimize(c.check(p, &own));
}

// Welsh mode (no scores, no built-in list) and the language guess the forms make first.
void BM_PlainCheckPageWelshMode(benchmark::State& state) {
  const auto& c = checker();
  const auto& p = page();
  plain::Limits welsh;
  welsh.english = false;
  for (auto _ : state) benchmark::DoNotOptimize(c.check(p, nullptr, welsh));
}

void BM_PlainDetectLanguagePage(benchmark::State& state) {
  const auto& p = page();
  for (auto _ : state) benchmark::DoNotOptimize(plain::detect_language(p));
}

// Sorting a directory of 10,000 names in Welsh order (the organisations list for a Welsh reader).
void BM_WelshSortTenThousandNames(benchmark::State& state) {
  const char* stems[] = {"Cymorth", "Chwarae", "Llais", "Lles", "Ffordd", "Fforwm", "Ysgol", "Rhwydwaith", "Theatr", "Dyffryn"};
  std::vector<std::string> names;
  for (int i = 0; i < 10000; ++i) names.push_back(std::string(stems[i % 10]) + " " + std::to_string(i * 7919 % 10007));
  for (auto _ : state) {
    auto copy = names;
    web::sort_welsh(copy, [](const std::string& n) { return n; });
    benchmark::DoNotOptimize(copy.data());
  }
}

void BM_PlainLoadData(benchmark::State& state) {
  for (auto _ : state) plain::Checker c(share());
}

}  // namespace

BENCHMARK(BM_PlainCheckPage)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PlainCountPage)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PlainCheckMegabyte)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PlainLoadData)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PlainCheckPagePartnershipList)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PlainCheckPageWelshMode)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PlainDetectLanguagePage)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_WelshSortTenThousandNames)->Unit(benchmark::kMillisecond);
