// Re-checks a results folder's money: every report's total against the cost and revenue totals
// of summary.json, to the cent (dcsim report --reconcile).
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
  bool ok() const { return report_cents == expected_cents; }
};

struct ReconcileOutcome {
  std::vector<ReconcileLine> lines;
  std::string error;  // a file missing or unreadable
  bool ok() const;
};

ReconcileOutcome reconcile_results_folder(const std::filesystem::path& dir);

// "123.45" / "-0.05" / "7" -> cents, exactly; false for anything else.
bool parse_cents(const std::string& text, long long& cents);

}  // namespace dcsim::reports
