// Journey maps over real HTTP on both databases: every save is a version; two people editing from
// the same version get a clear conflict for the second save with nothing they typed lost; the chart
// is an accessible SVG with a data table; the compare page marks new, changed and removed stages.
#include <gtest/gtest.h>

#include "http/http_support.hpp"
#include "modules/directory/directory.hpp"
#include "modules/journeymaps/journeymaps.hpp"

using namespace cp;
using namespace cp::test;
namespace jm = cp::modules::journeymaps;

namespace {

const std::string kService = "0c0c0c0c-0000-4000-8000-00000000000c";

void add_service(TestApp& t) {
  auto w = t.app->work(t.alpha.id, {std::nullopt, "test", "", ""});
  modules::directory_store::import_feed(
      w.scope(), boost::json::parse(R"([{"id": ")" + kService + R"(", "name": "Carers support", "status": "active",
        "organization": {"id": "0c0c0c0c-0000-4000-8000-0000000000c0", "name": "Carers Trust", "description": "Helps carers."}}])"));
  w.commit();
}

std::int64_t current(TestApp& t, std::int64_t id) {
  return read_int(t, t.alpha, "SELECT current_version FROM journey_maps WHERE partnership_id = $1 AND id = $2", {id});
}

}  // namespace

TEST(JourneyMaps, TwoEditorsFromOneVersionGetAConflictAndLoseNothing) {
  TestServer s;
  add_service(s);
  auto worker = signed_in_as(s, auth::Role::worker, "w@example.org");
  auto citizen = signed_in_as(s, auth::Role::person, "c@example.org");
  EXPECT_EQ(citizen.get("/journey-maps/new").status, 403) << "staff start maps";
  auto bad = worker.submit("/journey-maps/new", "/journey-maps", {{"service", "nope"}, {"title", ""}});
  EXPECT_EQ(bad.status, 400);
  auto made = worker.submit("/journey-maps/new", "/journey-maps", {{"service", kService}, {"title", "Getting help"}});
  ASSERT_EQ(made.status, 303) << made.body;
  auto id = read_int(s, s.alpha, "SELECT id FROM journey_maps WHERE partnership_id = $1");
  std::string page = "/journey-maps/" + std::to_string(id);

  Fields first = {{"base_version", "0"}, {"stage_count", "2"},
                  {"stage_0_name", "First hears of it"}, {"stage_0_feeling", "2"}, {"stage_0_doesnt", "Nobody explains"},
                  {"stage_1_name", "First visit"}, {"stage_1_feeling", "4"}};
  EXPECT_EQ(worker.submit(page + "/edit", page, first).status, 303);
  EXPECT_EQ(current(s, id), 1);

  // A stage without a feeling is refused and nothing is saved.
  Fields no_feeling = {{"base_version", "1"}, {"stage_count", "1"}, {"stage_0_name", "Only a name"}};
  auto r = worker.submit(page + "/edit", page, no_feeling);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(current(s, id), 1);

  // Both open the edit page at version 1, keep the stage keys, and save different changes.
  auto edit = citizen.get(page + "/edit").body;
  auto key_at = [&](const std::string& html, int i) {
    std::string marker = "name=\"stage_" + std::to_string(i) + "_key\" value=\"";
    auto p = html.find(marker) + marker.size();
    return html.substr(p, html.find('"', p) - p);
  };
  auto k0 = key_at(edit, 0), k1 = key_at(edit, 1);
  ASSERT_FALSE(k0.empty());
  Fields citizen_edit = {{"base_version", "1"}, {"stage_count", "3"},
                         {"stage_0_key", k0}, {"stage_0_name", "First hears of it"}, {"stage_0_feeling", "4"},
                         {"stage_0_works", "A friendly text"},
                         {"stage_1_key", k1}, {"stage_1_name", "First visit"}, {"stage_1_feeling", "4"},
                         {"stage_2_name", "Review after six months"}, {"stage_2_feeling", "5"}, {"note", "After the redesign"}};
  Fields worker_edit = {{"base_version", "1"}, {"stage_count", "2"},
                        {"stage_0_key", k0}, {"stage_0_name", "Hears about the service"}, {"stage_0_feeling", "2"},
                        {"stage_1_key", k1}, {"stage_1_name", "First visit"}, {"stage_1_feeling", "3"},
                        {"stage_1_doesnt", "My own words about the wait"}};
  EXPECT_EQ(citizen.submit(page + "/edit", page, citizen_edit).status, 303);
  auto conflict = worker.submit(page + "/edit", page, worker_edit);
  EXPECT_EQ(conflict.status, 409);
  EXPECT_TRUE(contains(error_summary(conflict.body),
                       html_escape(s.app->catalogue.t("en", "journeymaps.error_conflict", {{"number", "2"}}))));
  EXPECT_TRUE(contains(conflict.body, "My own words about the wait")) << "what was typed is kept";
  EXPECT_TRUE(contains(conflict.body, "name=\"base_version\" value=\"2\""));
  EXPECT_EQ(current(s, id), 2);
  EXPECT_EQ(read_int(s, s.alpha, "SELECT COUNT(*) FROM journey_map_versions WHERE partnership_id = $1"), 2);
  // Saving again from the conflict page is a deliberate replacement: version 3.
  worker_edit[0] = {"base_version", "2"};
  EXPECT_EQ(worker.submit(page, page, worker_edit).status, 303);
  EXPECT_EQ(current(s, id), 3);

  // The readable page: an SVG chart with a title and description, and the same numbers in a table.
  auto show = Client(s.port).get(page).body;
  EXPECT_TRUE(contains(show, "role=\"img\""));
  EXPECT_TRUE(contains(show, "<title id="));
  EXPECT_TRUE(contains(show, "<desc id="));
  EXPECT_TRUE(contains(show, "<caption class=\"govuk-table__caption"));
  EXPECT_TRUE(contains(show, "Hears about the service"));
  // An old version is still readable.
  EXPECT_TRUE(contains(Client(s.port).get(page + "?version=2").body, "Review after six months"));

  // Compare 1 and 2: stage 1 changed, stage 3 is new.
  auto cmp = Client(s.port).get(page + "/compare?from=1&to=2");
  ASSERT_EQ(cmp.status, 200);
  EXPECT_EQ(occurrences(cmp.body, shown(s, "journeymaps.mark_new")), 1u);
  EXPECT_EQ(occurrences(cmp.body, ">" + shown(s, "journeymaps.mark_changed") + "<"), 1u);
  EXPECT_TRUE(contains(cmp.body, shown(s, "journeymaps.feeling_up")));
  // Compare 2 and 3: the new stage was removed again.
  auto cmp2 = Client(s.port).get(page + "/compare?from=2&to=3").body;
  EXPECT_TRUE(contains(cmp2, shown(s, "journeymaps.mark_removed")));
  EXPECT_EQ(Client(s.port).get(page + "/compare?from=1&to=9").status, 404);
}

TEST(JourneyMaps, ChartEscapesTextAndPlacesFeelings) {
  std::vector<jm::Stage> stages = {{"a", "One", "", "", "", "", 1, {}}, {"b", "Two", "", "", "", "", 5, {}}};
  auto svg = jm::journey_svg(stages, "Map <b>&", "Desc");
  EXPECT_TRUE(contains(svg, "Map &lt;b&gt;&amp;"));
  EXPECT_EQ(occurrences(svg, "<circle"), 2u);
  EXPECT_TRUE(contains(svg, "fill=\"#d4351c\""));  // a 1 shows as bad
  EXPECT_TRUE(contains(svg, "fill=\"#00703c\""));  // a 5 shows as good
}
