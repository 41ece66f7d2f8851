// The capacity planner behind `dcsim plan`: which of the scenario's candidate expansions to
// build, and when, so that the run meets its targets (docs/plan.md). A utilization target holds
// for the monthly mean utilization of installed GPUs in every month that begins at or after the
// earliest date any candidate could be online. Returns values; prints nothing.
#pragma once
#include <string>
#include <vector>

#include "sim/run/run.h"

namespace dcsim::run {

struct PlanTarget {
  enum class Metric { utilization, p95_wait_hours };
  Metric metric = Metric::utilization;
  double at_most = 0.85;
};

// Parses "utilization<=0.85" or "p95_wait<=24h" (h or d); empty `why` on success.
PlanTarget parse_plan_target(const std::string& text, std::string& why);

// One schedule the search ran: the expansions in it (name@online), whether it met the targets,
// the first month that broke one ("" if none), and its NPV.
struct PlanTrial {
  std::string schedule;
  bool meets = false;
  std::string first_bad_month;
  double npv_usd = 0.0;
  std::string note;  // why it was kept or dropped
};

struct PlanRequest {
  // Loaded and validated; its `expansions` are the candidates, each `online` the earliest date
  // it may come online (their lead times are honoured from the start).
  scenario::Scenario scenario;
  std::vector<PlanTarget> targets;
};

struct PlanResult {
  std::vector<scenario::Diagnostic> diagnostics;  // non-empty: the scenario could not run
  bool met = false;
  // Months that begin before this date (UTC; the earliest any candidate could be online) are
  // not judged against a utilization target: no expansion could change them.
  std::int64_t judged_from_unix_s = 0;
  scenario::Scenario plan;  // the input scenario with the chosen expansions and dates
  std::vector<scenario::ExpansionSpec> chosen;  // in the order chosen, with their online dates
  std::vector<double> chosen_capex_usd;         // per chosen expansion: its servers and facility work
  // Per chosen expansion: what its step tried and how the choice moved the targets, e.g. "best of
  // 3 tried alone: first bad month 2026-05 -> 2026-09" (plan.csv's `why`).
  std::vector<std::string> chosen_why;
  std::vector<PlanTrial> trials;
  RunResult final_run;
};

PlanResult plan(const PlanRequest& request);

}  // namespace dcsim::run
