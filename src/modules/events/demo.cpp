#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/events/events.hpp"

namespace cp::modules::events {

std::int64_t seed_demo(app::App&, store::Scope& s) {
  const std::string title = "Redesign the carers' support service";
  for (const auto& e : store_fn::list(s, 0, 1000))
    if (e.title == title) return e.id;
  auto organiser = AccountsModule::find_user(s, "worker@demo.example");
  if (!organiser) return 0;
  // Ten days ahead at 10:00 UK time, so the demo always has a lab coming up.
  std::string day = utc_to_london(now_seconds() + 10 * 86400, "%Y-%m-%d");
  EventInput in;
  in.title = title;
  in.title_cy = "Ailgynllunio'r gwasanaeth cymorth i ofalwyr";
  in.description =
      "Carers and staff will look at how people find and use carers' support. We will map each step together and "
      "choose what to try first.";
  in.description_cy =
      "Bydd gofalwyr a staff yn edrych ar sut mae pobl yn dod o hyd i gymorth i ofalwyr ac yn ei ddefnyddio. Byddwn yn "
      "mapio pob cam gyda'n gilydd ac yn dewis beth i roi cynnig arno gyntaf.";
  in.date = day;
  in.start_time = "10:00";
  in.end_time = "12:30";
  in.place = "Kirkbeath Community Hub, 4 Station Road, KY1 1AA";
  in.online_link = "https://meet.example.org/carers-lab";
  in.access_info = "Step-free entrance. Hearing loop. A quiet room is on the ground floor.";
  in.access_info_cy = "Mynedfa heb risiau. Dolen sain. Mae ystafell dawel ar y llawr gwaelod.";
  in.supports = {"childcare", "travel", "interpreter", "whispering"};
  in.capacity = "2";
  auto id = store_fn::create(s, in, *organiser, in.place);
  // Two places taken and one person waiting, so the waiting list can be seen moving.
  for (const char* email : {"person@demo.example", "councillor@demo.example", "commissioner@demo.example"})
    if (auto u = AccountsModule::find_user(s, email)) store_fn::sign_up(s, id, *u, {"travel"});
  return id;
}

}  // namespace cp::modules::events
