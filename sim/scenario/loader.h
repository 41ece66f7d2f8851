// Loading scenario files: YAML text -> validated Scenario, or a list of diagnostics.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/diagnostics.h"
#include "sim/scenario/scenario.h"

namespace dcsim::scenario {

// One `--set key.path=value` override, applied to the YAML tree before validation. List items
// are named by their `name:` or by index: `sites.ashburn.pue=1.2`, `workloads.0.arrivals.rate=40/day`.
struct Override {
  std::string path;
  std::string value;
};

struct LoadResult {
  std::optional<Scenario> scenario;  // set only when there are no errors
  std::vector<Diagnostic> diagnostics;
  bool ok() const { return scenario.has_value() && diagnostics.empty(); }
};

// Options of a load. A file the scenario names (empirical `file`, trace `file` and `task_table`,
// climate `epw`, site `carbon_profile`) must resolve, after `..` and symbolic links, inside the scenario file's folder
// tree (S126) unless allow_outside_paths is set (the CLI's `--allow-outside-paths`).
struct LoadOptions {
  bool allow_outside_paths = false;
};

LoadResult load_scenario_file(const std::string& path, const std::vector<Override>& overrides = {},
                              const LoadOptions& options = {});
// `file_label` is used in diagnostics; relative files (empirical CSVs) resolve against base_dir.
// `uncertain:` entries take their mean when uncertain_replication < 0, else the draw of that
// replication (0-based) from the stream (seed, "uncertain/<path>/<replication>").
LoadResult load_scenario_text(const std::string& yaml_text, const std::string& file_label,
                              const std::string& base_dir = ".",
                              const std::vector<Override>& overrides = {},
                              std::int64_t uncertain_replication = -1, const LoadOptions& options = {});

// The scenario with every default filled in, as YAML that loads back to the same Scenario.
std::string to_resolved_yaml(const Scenario& scenario);

// JSON Schema (draft 2020-12) of the scenario file format.
std::string json_schema();

}  // namespace dcsim::scenario
