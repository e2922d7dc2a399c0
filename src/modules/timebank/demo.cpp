// The demo partnership's timebank: a dozen members (the demo person, worker and manager among them,
// some offline people a worker records for, and one organisation), offers and requests, and a few
// exchanges, so every page has something real on it.
#include "modules/accounts/accounts.hpp"
#include "modules/organisations/organisations.hpp"
#include "modules/timebank/extras.hpp"

namespace cp::modules::timebank {

namespace {

struct DemoPerson {
  const char* name;
  const char* can_do;
  const char* outcode;
};

const DemoPerson kOffline[] = {
    {"Aileen Cowan", "I can help with gardens and digging.", "KY1"},
    {"Tom Ferguson", "I can fix small things round the house.", "KY2"},
    {"Margaret Lindsay", "I like cooking and can teach simple meals.", "KY1"},
    {"Davie Reid", "I can give lifts on weekdays.", "KY8"},
    {"Shona MacLeod", "I can help with phones and emails.", "KY2"},
    {"Iain Gillespie", "I can walk dogs and do shopping.", "KY7"},
    {"Rachel Brown", "I can help fill in forms.", "KY1"},
    {"Kenny Watt", "I can paint and put up shelves.", "KY8"},
};

std::int64_t ensure_ok(const TransferResult& r, const char* what) {
  if (!r.ok()) throw std::runtime_error(std::string("demo timebank: ") + what + ": " + refusal_key(r.refusal));
  return r.transfer_id;
}

}  // namespace

void seed_demo(app::App& a, store::Scope& s) {
  auto person_user = AccountsModule::find_user(s, "person@demo.example");
  auto worker_user = AccountsModule::find_user(s, "worker@demo.example");
  auto manager_user = AccountsModule::find_user(s, "manager@demo.example");
  if (!person_user || !worker_user || !manager_user) return;
  if (member_for_user(s, *person_user)) {  // already loaded; the later parts load on their own terms
    seed_demo_extras(s);
    return;
  }

  ensure_settings(s);
  auto join_user = [&](std::int64_t user, const char* name, const char* can_do) {
    return join(s, {"person", user, std::nullopt, name, can_do, "KY1", false});
  };
  auto jo = join_user(*person_user, "Jo Morrison", "I can help with shopping and a friendly chat.");
  auto sam = join_user(*worker_user, "Sam Duncan", "I can help with forms and letters.");
  auto priya = join_user(*manager_user, "Priya Shah", "I can teach basic computer skills.");
  std::vector<std::int64_t> offline;
  for (const auto& p : kOffline) offline.push_back(join(s, {"person", std::nullopt, std::nullopt, p.name, p.can_do, p.outcode, true}));
  std::optional<std::int64_t> hub;
  if (auto org = organisations_store::find_by_slug(s, "lowhaven-community-hub")) {
    auto o = organisations_store::get(s, *org);
    hub = join(s, {"organisation", std::nullopt, *org, o->name, "Room hire for groups and a tea urn.", "KY2", false});
  }

  auto listing = [&](std::int64_t member, const char* kind, const char* title, const char* details, const char* category,
                     const char* hours) {
    ListingInput in{kind, title, details, category, "KY1", hours};
    std::int64_t q = 0;
    if (!validate_listing(in, q).empty()) throw std::runtime_error(std::string("demo timebank listing: ") + title);
    create_listing(s, member, in, q);
  };
  listing(offline[0], "offer", "I can help with gardening", "Weeding, digging and cutting hedges.", "gardening", "2");
  listing(offline[3], "offer", "Lifts to appointments", "I have a car and can drive on weekdays.", "transport", "1");
  listing(offline[4], "offer", "Help with your phone", "Set up email, video calls or apps.", "digital", "1");
  listing(jo, "offer", "Shopping and a chat", "I can pick up shopping and stay for a cup of tea.", "shopping", "1");
  listing(priya, "offer", "Computer basics", "Learn to use email and find jobs online.", "learning", "1.5");
  listing(jo, "request", "I need a lift to the shops", "On Thursdays if you can.", "transport", "1");
  listing(offline[1], "request", "Help to move a wardrobe", "It needs two people.", "diy", "1");
  listing(offline[6], "request", "Someone to help write a CV", "", "admin", "2");
  if (hub) listing(*hub, "request", "Volunteers for the Saturday café", "Serve tea and chat to visitors.", "cooking", "3");

  // Brokered exchanges: the offline members have no phone, so the worker records them confirmed.
  auto brokered = [&](std::int64_t provider, std::int64_t receiver, std::int64_t quarters, const char* what) {
    std::int64_t id = 0;
    ensure_ok(record_confirmed(s, {provider, receiver, quarters, what, std::nullopt}, *worker_user, id), what);
    return id;
  };
  auto gardening = brokered(offline[0], jo, 8, "Cleared the back garden");
  brokered(offline[2], offline[1], 12, "Taught how to cook soup");
  brokered(offline[2], offline[5], 12, "Cooked meals for the week");
  brokered(offline[2], offline[7], 12, "Batch cooking lesson");
  brokered(offline[2], offline[3], 8, "Made a birthday cake");  // Margaret passes 10 hours given
  brokered(offline[3], offline[6], 4, "Lift to the doctor");
  // Account holders record and the other side confirms.
  std::int64_t id = 0;
  if (record(s, {jo, offline[4], 6, "Picked up shopping", std::nullopt}, jo, *person_user, id) != Refusal::none)
    throw std::runtime_error("demo timebank: record");
  if (confirm(s, id, offline[4], std::nullopt).decision != Decision::ok) throw std::runtime_error("demo timebank: confirm");
  // One waiting for the demo person to confirm.
  if (record(s, {sam, jo, 4, "Helped with a housing form", std::nullopt}, sam, *worker_user, id) != Refusal::none)
    throw std::runtime_error("demo timebank: pending");
  // The community pot.
  auto pot = settings(s).pot_member_id;
  ensure_ok(transfer(s, {offline[2], pot, 4, "donation", "", std::nullopt, std::nullopt, std::nullopt, false}), "donation");
  ensure_ok(transfer(s, {pot, offline[6], 2, "grant", "To get started", std::nullopt, std::nullopt, *worker_user, false}),
            "grant");
  thank(s, gardening, jo, "Thank you Aileen, the garden looks lovely!");
  seed_demo_extras(s);
  (void)a;
}

}  // namespace cp::modules::timebank
