// Loads a scenario from YAML text and runs it, for end-to-end tests: a load error fails the test
// and gives an empty (not ok) result; `resolved`, when given, receives the resolved YAML that
// render_results writes beside the results.
#pragma once
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "sim/run/run.h"
#include "sim/scenario/diagnostics.h"
#include "sim/scenario/loader.h"

namespace dcsim::test_support {

inline run::RunResult run_text(const std::string& text, bool record_jobs = false, std::string* resolved = nullptr) {
  scenario::LoadResult loaded = scenario::load_scenario_text(text, "t.yaml");
  EXPECT_TRUE(loaded.ok()) << (loaded.diagnostics.empty() ? "" : scenario::format_diagnostic(loaded.diagnostics[0]));
  if (!loaded.ok()) return {};
  if (resolved != nullptr) *resolved = scenario::to_resolved_yaml(*loaded.scenario);
  run::RunRequest req;
  req.scenario = std::move(*loaded.scenario);
  req.record_jobs = record_jobs;
  return run::run(std::move(req));
}

}  // namespace dcsim::test_support
