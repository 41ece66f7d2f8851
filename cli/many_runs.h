// Orchestration of many runs for the CLI: a plan of variants x replications, run on a pool
// of threads or across MPI ranks, gathered in item order so the output never depends on
// how many threads or ranks ran it.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "reports/many_runs.h"
#include "sim/scenario/loader.h"

namespace dcsim::cli {

struct Plan {
  std::string scenario_path;  // label in messages; relative files resolve beside it
  std::string scenario_text;  // read once by rank 0 and sent to every rank
  std::vector<scenario::Override> base_overrides;           // --set, --seed
  std::vector<std::vector<scenario::Override>> variants;  // each adds its own; one empty = no sweep
  int replications = 0;  // 0: one plain run per variant; R >= 1: replicated folders
  bool record_jobs = false;
  bool allow_outside_paths = false;  // --allow-outside-paths (scenario::LoadOptions)
  // Variants whose results are already saved (sweep --resume): their items are not run.
  // Empty: run every variant. Must be the same on every MPI rank.
  std::vector<bool> skip_variants;
  bool skipped(std::size_t item) const;
  std::size_t items() const { return variants.size() * static_cast<std::size_t>(replications > 0 ? replications : 1); }
};

struct ItemResult {
  bool ok = false;
  bool bad_input = false;  // the variant's scenario did not validate
  std::string error;
  reports::FileTree files;  // a results folder
};

// Runs item `item` (variant item / R, replication item % R) and renders its results folder.
ItemResult run_item(const Plan& plan, std::size_t item);

std::string encode_item(const ItemResult& r);
ItemResult decode_item(const std::string& bytes);

// Called on rank 0, one call at a time, as each item finishes (in any order).
using ItemDoneFn = std::function<void(std::size_t item, ItemResult&& result)>;

// Every item of the plan not skipped, in item order: on `threads` threads, or across the MPI
// ranks when launched under mpirun (then ranks other than 0 get an empty vector). Progress
// on stderr when `progress`. With `on_item`, each result goes to it as soon as it is done and
// the returned vector is empty; skipped items are absent (not ok, no error) otherwise.
std::vector<ItemResult> run_plan(const Plan& plan, int threads, bool progress, const ItemDoneFn& on_item = nullptr);

// One variant's folder from its items: a plain results folder, or a replicated one.
struct VariantOutcome {
  bool ok = false;
  bool bad_input = false;
  std::string error;
  reports::FileTree tree;
};
VariantOutcome gather_variant(const Plan& plan, std::vector<ItemResult>& items, std::size_t variant);

// "v0001" for variant 0.
std::string variant_label(std::size_t variant);

}  // namespace dcsim::cli
