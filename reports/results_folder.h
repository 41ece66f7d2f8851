// The results folder: renders a RunResult into its files and writes them atomically (to a
// temporary folder beside the target, renamed into place only when complete).
#pragma once
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/run/run.h"

namespace dcsim::reports {

inline constexpr int kFormatVersion = 1;

struct ResultsFiles {
  std::string summary_json;
  std::string resolved_yaml;
  std::string timeseries_csv;
  std::string cost_monthly_csv;
  std::string capacity_csv;
  std::string pnl_monthly_csv;
  std::string pnl_quarterly_csv;
  std::string pnl_yearly_csv;
  std::string kpis_csv;
  std::string carbon_monthly_csv;
  std::string cost_by_tenant_csv;
  std::string tenants_csv;  // per tenant: GPU-hours, jobs, waits, preemptions, SLO attainment
  std::string market_csv;         // empty unless the scenario has a market section
  std::string market_demand_csv;
  std::string jobs_csv;  // empty unless jobs were recorded
  std::string inference_csv;  // empty without inference services
  std::string revenue_monthly_csv;  // empty unless finance has prices, contracts or a price decline
};

ResultsFiles render_results(const run::RunResult& result, const std::string& resolved_yaml);

// The files of a results folder as (file name, contents), in the order they are written;
// optional files (jobs.csv, the market files) only when present. Every writer uses this list.
std::vector<std::pair<std::string, const std::string*>> named_files(const ResultsFiles& files);

// "One hall of H100 servers" -> "one-hall-of-h100-servers".
std::string folder_name_for(const std::string& scenario_name);

// True if `dir` holds a dcsim results folder (its summary.json names dcsim_version).
bool is_results_folder(const std::filesystem::path& dir);

// True if `dir` holds a `dcsim plan` folder (plan.yaml, and plan.csv with the planner's header).
// write_folder_atomically replaces either kind when asked to, and nothing else.
bool is_plan_folder(const std::filesystem::path& dir);

struct WriteOutcome {
  bool ok = false;
  std::string error;  // why nothing was written
  // Stale temporary folders of `target` removed first (see remove_stale_temporaries); the
  // caller says so on stderr.
  std::vector<std::filesystem::path> removed_stale;
};

// Removes the siblings `.<name>.tmp-PID` of `target` (left by a writer killed before its rename)
// whose PID is no live process (kill(PID, 0) fails with ESRCH); a live writer's folder is never
// touched. Returns the folders removed. write_folder_atomically calls it first.
std::vector<std::filesystem::path> remove_stale_temporaries(const std::filesystem::path& target);

// Writes files (paths relative to `target`, which may contain folders) into a temporary folder
// beside `target`, fsyncs every file and folder of it, renames it into place when all are
// written and fsyncs the parent folder (see write_files_durably and publish_folder); stale temporary
// folders of `target` are removed first (remove_stale_temporaries). An existing `target` is
// replaced only if `replace_existing` and it is a dcsim results folder; anything else there is
// never touched. Every results writer (single runs, replications, sweeps) goes through this.
WriteOutcome write_folder_atomically(const std::vector<std::pair<std::string, std::string_view>>& files,
                                     const std::filesystem::path& target, bool replace_existing);

// Writes files (paths relative to `dir`, an existing folder) and fsyncs each file and every
// folder that gained a name, so that a later rename publishes complete files (POSIX). False if
// any write failed.
bool write_files_durably(const std::filesystem::path& dir,
                         const std::vector<std::pair<std::string, std::string_view>>& files);

// Renames the complete folder `staged` (on the same file system) to `target`, fsyncing
// `staged` before and the parent folder after the rename; the replace rules are those of
// write_folder_atomically. `staged` is left in place if it could not be renamed.
WriteOutcome publish_folder(const std::filesystem::path& staged, const std::filesystem::path& target,
                            bool replace_existing);

// Writes the files of one run into `target`, as write_folder_atomically.
WriteOutcome write_results_folder(const ResultsFiles& files, const std::filesystem::path& target,
                                  bool replace_existing);

// write_results_folder(render_results(result, resolved_yaml), ...), byte for byte, without holding
// the two largest files whole: timeseries.csv and inference.csv are rendered a chunk (1 MB) at a
// time through one reused buffer straight into the temporary folder (a 5-year campus writes a
// 235 MB inference.csv). For `dcsim run`, which keeps no copy of the text.
WriteOutcome write_run_results(const run::RunResult& result, const std::string& resolved_yaml,
                               const std::filesystem::path& target, bool replace_existing);

}  // namespace dcsim::reports
