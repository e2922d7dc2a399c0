// The capabilities this build serves, in the order their migrations run and their navigation shows.
#include "modules/accounts/accounts.hpp"
#include "modules/capabilities/capabilities.hpp"
#include "modules/directory/directory.hpp"
#include "modules/journeys/journeys.hpp"
#include "modules/matching/matching.hpp"
#include "modules/organisations/organisations.hpp"
#include "modules/partnership/partnership.hpp"
#include "modules/plain/web.hpp"
#include "modules/pb/process.hpp"
#include "modules/postcodes/postcodes.hpp"
#include "modules/site/site.hpp"
#include "modules/timebank/timebank.hpp"

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
  return m;
}

}  // namespace cp::app
