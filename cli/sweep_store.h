// Where a sweep keeps its variants while it runs: a staging folder `<target>.partial` beside
// the target, into which each variant is renamed as soon as it is done, so that an interrupted
// sweep (Ctrl-C, SIGKILL, a crash, a failed variant) rerun with --resume runs only the rest.
#pragma once
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/many_runs.h"

namespace dcsim::cli {

// The text that identifies a sweep: the scenario's bytes (as a hash), the --set and --seed
// overrides, the replications and every variant's values. A sweep resumes only into a
// staging folder (or finished folder) holding the same text, as `sweep-plan.txt`.
std::string sweep_plan_text(const Plan& plan);

inline constexpr const char* kSweepPlanFile = "sweep-plan.txt";

// "<target>.partial".
std::filesystem::path staging_folder(const std::filesystem::path& target);

struct SweepStaging {
  std::filesystem::path staging;
  std::vector<bool> done;  // per variant: its folder is already in the staging folder
  bool replace_target = false;  // the target may be replaced at the end
  std::string error;            // non-empty: nothing can run (the folders are left untouched)
};

// Prepares the staging folder of `target` for `variants` variants. Without `resume` any earlier
// staging folder of a sweep is discarded and the target follows the replace rules
// (`replace_existing`). With `resume` the staging folder must hold the same plan (or, if there is
// none, a finished target with the same plan is moved back into staging so that its failed
// variants run again); the variants already there are kept and marked done.
SweepStaging prepare_sweep_staging(const std::filesystem::path& target, const std::string& plan_text,
                                   std::size_t variants, bool resume, bool replace_existing);

}  // namespace dcsim::cli
