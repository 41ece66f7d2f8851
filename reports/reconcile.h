// Re-checks a results folder: every report's money against the cost and revenue totals of
// summary.json, to the cent, and its GPU-hour columns against summary.json's GPU-hour figures
// (dcsim report --reconcile).
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace dcsim::reports {

struct ReconcileLine {
  std::string report;     // e.g. "cost_monthly.csv amount_usd"
  std::string against;    // e.g. "summary.json total_cost_usd"
  long long report_cents = 0;
  long long expected_cents = 0;
  // GPU-hour lines: the files hold shortest round-trip doubles, not cents, so their sum may
  // differ from the run's own total in the last bits; a relative 1e-9 still catches one missing
  // hour in a billion.
  bool gpu_hours = false;
  double report_gpu_hours = 0.0;
  double expected_gpu_hours = 0.0;
  bool ok() const;
};

struct ReconcileOutcome {
  std::vector<ReconcileLine> lines;
  std::string error;  // a file missing or unreadable
  bool ok() const;
};

ReconcileOutcome reconcile_results_folder(const std::filesystem::path& dir);

// Relative tolerance of a GPU-hour line.
inline constexpr double kGpuHourRelativeTolerance = 1e-9;

// "123.45" / "-0.05" / "7" -> cents, exactly; false for anything else.
bool parse_cents(const std::string& text, long long& cents);

}  // namespace dcsim::reports
