// A one-server fleet for end-to-end tests whose queues are worked out by hand: one 8-GPU H100
// server in one hall, free of charge. Tests add their workloads, scheduler and finance below
// `workloads:` and run the text from a scratch folder (so trace files sit beside it).
#pragma once
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "sim/run/run.h"
#include "sim/scenario/diagnostics.h"
#include "sim/scenario/loader.h"
#include "tests/support/scratch_dir.h"

namespace dcsim::test_support {

// The scenario's head up to and including the `workloads:` line.
inline std::string one_server_head(const std::string& name, const std::string& start, const std::string& horizon) {
  return "name: " + name + "\nstart: " + start + "\nhorizon: " + horizon + R"(
catalog:
  gpus: [{name: h100, idle_power: 70 W, tdp: 700 W}]
  servers: [{name: s8, gpu: h100, gpus: 8, price: 0 USD}]
sites:
  - name: s
    halls: [{name: h, racks: [{count: 1, server: s8}]}]
workloads:
)";
}

// Writes `text` as `file` in `dir`, loads and runs it; a load or run error fails the test (the
// result is then empty or not ok).
inline run::RunResult run_scenario_text(const ScratchDir& dir, const std::string& file, const std::string& text,
                                        bool record_jobs = false) {
  scenario::LoadResult loaded = scenario::load_scenario_file(dir.write(file, text));
  EXPECT_TRUE(loaded.ok()) << (loaded.diagnostics.empty() ? "" : scenario::format_diagnostic(loaded.diagnostics[0]));
  if (!loaded.ok()) return {};
  run::RunRequest req;
  req.scenario = std::move(*loaded.scenario);
  req.record_jobs = record_jobs;
  run::RunResult r = run::run(std::move(req));
  EXPECT_TRUE(r.ok()) << (r.diagnostics.empty() ? "" : scenario::format_diagnostic(r.diagnostics[0]));
  return r;
}

}  // namespace dcsim::test_support
