#pragma once
#include "app/app.hpp"

namespace cp::modules {

class SiteModule : public app::Module {
 public:
  std::string name() const override { return "site"; }
  void install(app::App& a) override;
};

}  // namespace cp::modules
