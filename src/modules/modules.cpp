// The capabilities this build serves, in the order their migrations run and their navigation shows.
#include "modules/accounts/accounts.hpp"
#include "modules/capabilities/capabilities.hpp"
#include "modules/contribution/contribution.hpp"
#include "modules/directory/directory.hpp"
#include "modules/events/events.hpp"
#include "modules/grow/grow.hpp"
#include "modules/ideas/ideas.hpp"
#include "modules/journeymaps/journeymaps.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/lens/lens.hpp"
#include "modules/selfassess/selfassess.hpp"
#include "modules/peer/peer.hpp"
#include "modules/rights/rights.hpp"
#include "modules/matching/matching.hpp"
#include "modules/moderation/moderation.hpp"
#include "modules/notifications/notifications.hpp"
#include "modules/organisations/organisations.hpp"
#include "modules/partnership/partnership.hpp"
#include "modules/plain/web.hpp"
#include "modules/pb/process.hpp"
#include "modules/postcodes/postcodes.hpp"
#include "modules/ratings/ratings.hpp"
#include "modules/inspections/inspections.hpp"
#include "modules/site/site.hpp"
#include "modules/charters/charters.hpp"
#include "modules/priorities/priorities.hpp"
#include "modules/star/star.hpp"
#include "modules/timebank/timebank.hpp"
#include "modules/tracker/tracker.hpp"

namespace cp::app {

std::vector<std::unique_ptr<Module>> all_modules() {
  std::vector<std::unique_ptr<Module>> m;
  m.push_back(std::make_unique<modules::SiteModule>());
  m.push_back(std::make_unique<modules::AccountsModule>());
  m.push_back(std::make_unique<modules::PartnershipModule>());
  m.push_back(std::make_unique<modules::OrganisationsModule>());
  m.push_back(std::make_unique<plain::PlainModule>());
  m.push_back(std::make_unique<modules::PostcodesModule>());
  m.push_back(std::make_unique<modules::DirectoryModule>());
  m.push_back(std::make_unique<modules::CapabilitiesModule>());
  m.push_back(std::make_unique<modules::MatchingModule>());
  m.push_back(std::make_unique<modules::PbModule>());
  m.push_back(std::make_unique<modules::TimebankModule>());
  m.push_back(std::make_unique<modules::JourneysModule>());
  m.push_back(std::make_unique<modules::SelfassessModule>());
  m.push_back(std::make_unique<modules::PeerModule>());
  m.push_back(std::make_unique<modules::RightsModule>());
  m.push_back(std::make_unique<modules::notifications::NotificationsModule>());
  m.push_back(std::make_unique<modules::moderation::ModerationModule>());
  m.push_back(std::make_unique<modules::tracker::TrackerModule>());
  m.push_back(std::make_unique<modules::ratings::RatingsModule>());
  m.push_back(std::make_unique<modules::inspections::InspectionsModule>());
  m.push_back(std::make_unique<modules::events::EventsModule>());
  m.push_back(std::make_unique<modules::ideas::IdeasModule>());
  m.push_back(std::make_unique<modules::journeymaps::JourneymapsModule>());
  m.push_back(std::make_unique<modules::contribution::ContributionModule>());
  m.push_back(std::make_unique<modules::star::StarModule>());
  m.push_back(std::make_unique<modules::lens::LensModule>());
  m.push_back(std::make_unique<modules::priorities::PrioritiesModule>());
  m.push_back(std::make_unique<modules::charters::ChartersModule>());
  m.push_back(std::make_unique<modules::grow::GrowModule>());
  return m;
}

}  // namespace cp::app
