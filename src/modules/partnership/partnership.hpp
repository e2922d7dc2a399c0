// The partnership overview: who is in the partnership and how many people take part, by role.
#pragma once
#include "app/app.hpp"

namespace cp::modules {

class PartnershipModule : public app::Module {
 public:
  std::string name() const override { return "partnership"; }
  void install(app::App& a) override;
};

}  // namespace cp::modules
