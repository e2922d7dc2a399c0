// Demo people and what they offer, so the partnership's "People it" pages and matching have
// something true-to-life to show. Idempotent: people are found by email, offers by person and title.
#include "core/util.hpp"
#include "modules/accounts/accounts.hpp"
#include "modules/capabilities/capabilities.hpp"

namespace cp::modules {

namespace {

struct DemoOffer {
  std::string email, name;
  OfferInput in;
};

const std::string kWork = "66080f17-4c96-48e2-9cbd-0ba3a1a6bcde";
const std::string kDigital = "78b7d0ac-8477-4ce0-8e4c-da11b43c589b";
const std::string kTransport = "2330fcf1-562a-44b8-8866-8d77e827062c";
const std::string kCommunity = "c1acc990-6424-450a-a36b-f9b3ddcb369d";
const std::string kFood = "b120a366-f0bb-49cf-82f2-dc05873f9bd0";

std::vector<DemoOffer> demo_offers() {
  auto make = [](std::string kind, std::string topic, std::string title, std::string details, std::string languages,
                 std::vector<std::string> days, std::string time_note, std::string postcode, std::string visibility) {
    OfferInput in;
    in.kind = std::move(kind);
    in.topic = std::move(topic);
    in.title = std::move(title);
    in.details = std::move(details);
    in.languages = std::move(languages);
    in.days = std::move(days);
    in.time_note = std::move(time_note);
    in.postcode = std::move(postcode);
    in.visibility = std::move(visibility);
    return in;
  };
  return {
      {"aisha@people.demo.example", "Aisha Khan",
       make("offer", kWork, "Help with a CV and job forms",
            "I worked in an office for ten years. I can help you write a CV and fill in forms.", "English, Urdu",
            {"TU", "TH"}, "Two hours a week", "KY1 1AB", "members")},
      {"aisha@people.demo.example", "Aisha Khan",
       make("wish", kDigital, "Learn to make a simple website", "", "", {}, "", "KY1 1AB", "staff")},
      {"tom@people.demo.example", "Tom Reid",
       make("offer", kTransport, "Fix bikes with you", "I can show you how to mend a puncture and keep a bike safe.",
            "English", {"SA"}, "Saturday mornings", "KY1 3PD", "staff")},
      {"ewa@people.demo.example", "Ewa Nowak",
       make("offer", kCommunity, "Polish and English chat", "Practise speaking over a cup of tea.", "Polish, English",
            {"WE"}, "An hour a week", "KY2", "keyworker")},
      {"person@demo.example", "",
       make("offer", kFood, "Cook a simple meal on a budget", "I like cooking for my family and can share easy recipes.",
            "English", {"MO", "FR"}, "", "KY1", "members")},
  };
}

}  // namespace

void seed_capabilities_demo(app::App& a, store::Scope& s) {
  for (const auto& d : demo_offers()) {
    std::int64_t person = 0;
    if (auto found = AccountsModule::find_user(s, d.email)) {
      person = *found;
    } else {
      NewUser u;
      u.email = d.email;
      u.name = d.name;
      // Demo people never sign in: their password is random and thrown away.
      u.password = random_token(24);
      u.grants.push_back({auth::Role::person, std::nullopt});
      person = AccountsModule::create_user(a, s, u);
    }
    if (!s.read("SELECT 1 FROM capability_offers WHERE partnership_id = $1 AND person_id = $2 AND title = $3",
                {person, d.in.title})
             .empty())
      continue;
    OfferInput in = d.in;
    std::optional<postcodes::Point> point;
    auto problems = capabilities_store::validate(a, in, {kWork, kDigital, kTransport, kCommunity, kFood}, point);
    if (!problems.empty()) throw std::runtime_error("demo offer " + in.title + ": " + problems.front().key);
    capabilities_store::create(s, person, person, in, point);
  }
}

}  // namespace cp::modules
