// Folders of many runs: replicated runs (per-replication folders, KPI statistics, hourly
// bands), sweeps (one folder per variant and sweep.csv), sensitivity tables, comparisons of
// finished runs; and writing any tree of files atomically.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "reports/results_folder.h"
#include "sim/run/replications.h"

namespace dcsim::reports {

// Files by relative path ('/'-separated), in the order they are written.
struct FileTree {
  std::vector<std::pair<std::string, std::string>> files;
  void add(std::string path, std::string text) { files.emplace_back(std::move(path), std::move(text)); }
  // Adds every file of `sub` under `prefix/`.
  void add_tree(const std::string& prefix, const FileTree& sub);
  const std::string* find(const std::string& path) const;
};

// The files of one results folder: what write_results_folder writes (a test keeps the two
// lists in step).
FileTree results_tree(const ResultsFiles& files);

// Length-prefixed bytes of a tree and back (how MPI workers send results); nullopt if corrupt.
std::string serialize_tree(const FileTree& tree);
std::optional<FileTree> deserialize_tree(const std::string& bytes);

// Writes the tree into `target` atomically, like write_results_folder: to a temporary folder
// beside it, renamed into place when complete. An existing `target` is replaced only if
// `replace_existing` and it is a dcsim results folder (summary.json naming dcsim_version).
WriteOutcome write_file_tree(const FileTree& tree, const std::filesystem::path& target, bool replace_existing);

// Numeric top-level KPIs of a run's summary.json, in file order: every number except the
// seed, the format version and the timing fields (wall_seconds, events_per_second).
std::vector<std::pair<std::string, double>> summary_kpis(const std::string& summary_json);

// A replicated run's folder: `replications/rep-0001/...` (replication 0 first), a top-level
// summary.json with `replications` and `kpis` {name: {mean, sd, ci95_low, ci95_high, p10,
// p50, p90}}, timeseries_bands.csv and replication 0's scenario.resolved.yaml.
// `replications` are results_tree()s; their order is the replication index. The seeds are
// read from the replications' summaries (replication 0's is the base seed).
FileTree replicated_tree(const std::vector<FileTree>& replications);

// The KPIs of a finished run, plain or replicated: per KPI its value (the mean when
// replicated), its statistics and, when replicated, the value of each replication.
struct RunKpi {
  std::string name;
  double value = 0.0;
  run::KpiStats stats;          // n = 1 for a plain run
  std::vector<double> samples;  // per replication (one value for a plain run)
};

struct RunKpis {
  std::string scenario;
  int replications = 0;  // 0: a plain run
  std::vector<RunKpi> kpis;
  const RunKpi* find(const std::string& name) const;
};

// From a tree in memory (a plain results_tree or a replicated_tree).
std::optional<RunKpis> kpis_of_tree(const FileTree& tree);
// From a folder on disk; `error` says why not.
std::optional<RunKpis> kpis_of_folder(const std::filesystem::path& folder, std::string& error);

// One variant of a sweep: its input values, and its results or its error.
struct SweepRow {
  std::string label;                // v0001
  std::vector<std::string> values;  // one per input
  std::optional<RunKpis> kpis;      // unset: failed
  std::string error;
};

// sweep.csv: variant, the inputs, status, every KPI (with _ci95_low/_ci95_high when
// replicated), error.
std::string render_sweep_csv(const std::vector<std::string>& inputs, const std::vector<SweepRow>& rows, bool replicated);

// The sweep folder's summary.json (so the folder is recognised as a dcsim results folder).
std::string render_sweep_summary(const std::string& kind, const std::string& scenario, const std::vector<std::string>& inputs,
                                 std::size_t variants, std::size_t failed, int replications);

// One input of a sensitivity study: its low and high runs.
struct SensitivityInput {
  std::string path;
  std::string low_value;
  std::string high_value;
  RunKpis low;
  RunKpis high;
};

// The KPIs a tornado table covers.
const std::vector<std::string>& sensitivity_kpis();

// sensitivity.csv: input,low_value,high_value,kpi,at_low,at_base,at_high,swing (at_high -
// at_low); per KPI, inputs by decreasing |swing|.
std::string render_sensitivity_csv(const RunKpis& base, const std::vector<SensitivityInput>& inputs);

// One run after the first against the first, for one KPI (NaN where it does not apply).
struct CompareDelta {
  double diff;       // run - first
  double change;     // diff / |first|; NaN when first is 0 or either lacks the KPI
  double p_value;    // Welch's two-sided t-test on the replications; NaN unless both are replicated
  bool significant;  // p_value < 0.05
};

// One KPI of a comparison: its value in each run (NaN where a run lacks it) and, per run after
// the first, how it differs from the first.
struct CompareRow {
  std::string kpi;
  std::vector<double> values;
  std::vector<CompareDelta> vs_first;
};

// The rows of `dcsim compare` (KPIs in the order the runs first name them); render_compare and
// the GUI's compare table show these.
std::vector<CompareRow> compare_kpis(const std::vector<RunKpis>& runs);

// `dcsim compare`: the KPIs side by side, differences against the first run and, where both
// runs are replicated, Welch's two-sided p-value (significant below 0.05).
std::string render_compare(const std::vector<std::string>& labels, const std::vector<RunKpis>& runs);

}  // namespace dcsim::reports
