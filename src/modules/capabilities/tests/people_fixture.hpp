// Shared by the capabilities and matching tests: a few real-looking postcodes (loaded through the
// postcodes module's own loader, from small files), and helpers to make people and offers.
#pragma once
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "modules/capabilities/capabilities.hpp"
#include "support/harness.hpp"

namespace cp::test::people {

// KY1 1AB and KY1 2AA are 1.3 km apart; KY8 1JB is about 12 km to the north-east.
inline void load_postcodes(app::App& a) {
  char p_tmpl[] = "/tmp/coproduce-pc-XXXXXX";
  char o_tmpl[] = "/tmp/coproduce-oc-XXXXXX";
  int pf = mkstemp(p_tmpl), of = mkstemp(o_tmpl);
  ::close(pf);
  ::close(of);
  std::ofstream(p_tmpl) << "postcode,latitude,longitude\nKY1 1AB,56.09884,-3.16624\nKY1 2AA,56.11000,-3.16000\n"
                           "KY8 1JB,56.17719,-3.02815\n";
  std::ofstream(o_tmpl) << "outcode,latitude,longitude\nKY1,56.12941,-3.13678\nKY8,56.18,-3.03\n";
  modules::postcodes::load(*a.db, p_tmpl, o_tmpl);
  std::remove(p_tmpl);
  std::remove(o_tmpl);
}

inline modules::OfferInput offer(const std::string& title, const std::string& visibility,
                                 const std::string& topic = modules::kOtherTopic, const std::string& postcode = "") {
  modules::OfferInput in;
  in.kind = "offer";
  in.topic = topic;
  in.title = title;
  in.visibility = visibility;
  in.postcode = postcode;
  return in;
}

// Adds an offer through the module's own validation and storage; returns its id.
inline std::int64_t add_offer(TestApp& t, const app::Partnership& p, std::int64_t person, modules::OfferInput in,
                              std::int64_t recorded_by = 0, const std::vector<std::string>& topics = {}) {
  std::optional<modules::postcodes::Point> point;
  auto problems = modules::capabilities_store::validate(*t.app, in, topics, point);
  if (!problems.empty()) throw std::runtime_error("test offer invalid: " + problems.front().key);
  auto w = t.app->work(p.id, {std::nullopt, "test", "", ""});
  auto id = modules::capabilities_store::create(w.scope(), person, recorded_by ? recorded_by : person, in, point);
  w.commit();
  return id;
}

}  // namespace cp::test::people
