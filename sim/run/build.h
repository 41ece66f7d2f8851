// Scenario -> model: resolves catalog references and defaults, checks what needs the catalog
// (unknown entries, racks over their power limit, jobs larger than every hall) and builds the
// model's configuration.
#pragma once
#include <optional>
#include <vector>

#include "sim/finance/market.h"
#include "sim/model/catalog.h"
#include "sim/model/model.h"
#include "sim/scenario/diagnostics.h"
#include "sim/scenario/scenario.h"

namespace dcsim::run {

struct BuildResult {
  std::optional<model::ModelConfig> config;
  std::vector<finance::MarketRow> market;      // when the scenario has a market section
  std::vector<finance::DemandPoint> demand;
  std::vector<scenario::Diagnostic> diagnostics;
};

// Fills catalog defaults into `scenario` (inline servers' power, price and life; the built-in
// entries it uses are copied into scenario.catalog so a resolved scenario explains itself) and
// builds the model. On errors `config` is empty.
BuildResult build_model(scenario::Scenario& scenario, const model::Catalog& builtin = model::builtin_catalog());

}  // namespace dcsim::run
