// Small builders of model configurations for the model tests.
#pragma once
#include "sim/model/model.h"

namespace dcsim::model::testing {

// One site, one hall, `servers` servers of `gpus_per_server` GPUs (idle 70 W, TDP 700 W,
// overhead 1 kW each), one workload.
inline ModelConfig single_pool_config(int servers, int gpus_per_server, double rate_per_s, engine::Distribution gpus,
                                      engine::Distribution duration_s, SchedulingPolicy policy) {
  ModelConfig cfg;
  cfg.start_unix_s = 1767225600;  // 2026-01-01T00:00:00Z
  cfg.horizon = 1000 * engine::kMicrosPerDay;
  cfg.seed = 42;
  cfg.gpu_types.push_back(GpuType{"g", "", 70.0, 700.0, 989.0, 80.0, 30000.0, ""});
  cfg.server_types.push_back(ServerType{"s", "", "g", gpus_per_server, 1000.0, 100000.0, 5.0, false, ""});
  cfg.server_gpu_type.push_back(0);
  cfg.sites.push_back(SiteConfig{"site", 1.5, 0.1, 0.0, {}});
  cfg.halls.push_back(HallConfig{"hall", 0, 0.0, {}, nullptr, false});
  cfg.rack_groups.push_back(RackGroupConfig{0, 0, servers, 1});
  WorkloadConfig w;
  w.name = "w";
  w.rate_per_s = rate_per_s;
  w.gpus = std::move(gpus);
  w.duration_s = std::move(duration_s);
  cfg.workloads.push_back(std::move(w));
  cfg.policy = policy;
  return cfg;
}

}  // namespace dcsim::model::testing
