// Demo: the demo partnership shares one summary of its learning lens, quoting the learning log
// entry about lone parents. Idempotent: nothing is written when a summary already exists.
#include "core/util.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/lens/publish.hpp"

namespace cp::modules::lens {

void seed_demo_summary(app::App& a, store::Scope& s) {
  if (s.read("SELECT COUNT(*) FROM lens_published WHERE partnership_id = $1").one().i64(0) > 0) return;
  std::vector<Quote> quotes;
  for (const auto& e : lens_store::entries(s, "partnership", 0, "group_lone_parent"))
    quotes.push_back({e.chart_key, e.concluded, e.will_try});
  if (quotes.size() > 1) quotes.resize(1);
  web::Bilingual title{"What we learned this year", "Beth ddysgon ni eleni"};
  web::Bilingual note{
      "Most people who come to us move on to the next step, and many find work and keep it. "
      "Fewer lone parents come to us than we hoped. We will hold a drop-in at the school gates and ask "
      "parents what would help.",
      "Mae'r rhan fwyaf o'r bobl sy'n dod aton ni yn symud ymlaen i'r cam nesaf, ac mae llawer yn cael "
      "gwaith ac yn ei gadw. Mae llai o rieni sengl yn dod aton ni nag roedden ni'n ei obeithio. Byddwn ni'n "
      "cynnal sesiwn galw heibio wrth giât yr ysgol ac yn gofyn i rieni beth fyddai'n helpu."};
  published_store::publish(s, a.catalogue, journeys::iso_date(now_seconds()), title, note, quotes);
}

}  // namespace cp::modules::lens
