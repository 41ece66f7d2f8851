// The scenario of the format reference (docs/scenario-format.md), shared by the scenario tests.
#pragma once
#include <string>

namespace dcsim::scenario::testing {

inline const std::string kExample = R"(name: One hall of H100 servers
start: 2026-01-01
horizon: 90 d
seed: 7

sites:
  - name: ashburn
    pue: 1.35
    electricity: {price: 0.0806 USD/kWh}
    halls:
      - name: hall-a
        racks:
          - count: 16
            server: dgx-h100          # a built-in catalog entry
            servers_per_rack: 4
            power_limit: 41 kW

workloads:
  - name: research
    kind: training
    arrivals: {process: poisson, rate: 30 /day}
    gpus: {discrete: {8: 0.5, 16: 0.3, 64: 0.2}}
    duration: {lognormal: {median: 6 h, sigma: 1.0}}

scheduler: {policy: easy-backfill}
)";

}  // namespace dcsim::scenario::testing
