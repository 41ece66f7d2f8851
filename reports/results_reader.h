// Reads a results folder (or the same files held in memory) back into plain tables, so the GUI
// and tools show exactly what `dcsim run` wrote. No Qt here; errors name the file and line.
#pragma once
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reports/results_folder.h"

namespace dcsim::reports {

// One CSV column: numeric when every cell parses as a finite number, else text.
struct CsvColumn {
  std::string name;
  bool numeric = true;
  std::vector<double> numbers;     // when numeric
  std::vector<std::string> text;   // when not numeric
  // The cell as text, whatever the column's kind (numbers in shortest round-trip form).
  std::string cell(std::size_t row) const;
};

struct CsvTable {
  std::vector<CsvColumn> columns;
  std::size_t rows = 0;
  const CsvColumn* find(std::string_view name) const;  // nullptr if absent
};

struct ResultsFolder {
  std::map<std::string, std::string> summary;  // flat key -> raw JSON value text (strings quoted)
  std::vector<std::string> summary_keys;       // summary's keys in the file's order
  std::vector<std::map<std::string, std::string>> envelopes;  // summary's `envelopes`, same form
  CsvTable timeseries, cost_monthly, capacity;
  // Optional files: an empty table (no columns) when the folder does not hold them.
  CsvTable kpis;           // kpis.csv: one row per year
  CsvTable market;         // market.csv: year, case, dimension, segment, share, market_usd_bn, growth
  CsvTable market_demand;  // market_demand.csv: year, market_share, segment_usd_bn, usd_per_gpu_hour, gpu_hours
  CsvTable pnl_monthly;      // pnl_monthly.csv: month, revenue_usd, ..., cumulative_cash_usd
  CsvTable revenue_monthly;  // revenue_monthly.csv: cost_monthly.csv's columns, subcategory the GPU type
  CsvTable carbon_monthly;   // carbon_monthly.csv: month, site, facility_energy_mwh, carbon_g_per_kwh, carbon_t
  // A replicated run's timeseries_bands.csv (read_replicated_folder): time, then per banded
  // column its _mean, _p10, _p50 and _p90 across the replications.
  CsvTable timeseries_bands;
  std::string resolved_yaml;

  bool has_market() const { return !market.columns.empty(); }
  bool has_bands() const { return !timeseries_bands.columns.empty(); }

  // A summary value as plain text: a JSON string unquoted, anything else as written.
  std::string summary_text(const std::string& key) const;
  // A numeric summary value, or nullopt when absent or not a number.
  std::optional<double> summary_number(const std::string& key) const;
};

struct ReadOutcome {
  std::optional<ResultsFolder> folder;  // set only when error is empty
  std::string error;                    // "timeseries.csv: line 7: ..." etc.
};

// Which columns of a table to keep, by name (see read_results_folder).
using ColumnFilter = std::function<bool(std::string_view column)>;

// Reads summary.json, scenario.resolved.yaml, timeseries.csv, cost_monthly.csv and capacity.csv,
// and when present kpis.csv, pnl_monthly.csv, revenue_monthly.csv, carbon_monthly.csv, market.csv and
// market_demand.csv (market.csv and market_demand.csv go together: one without the other is an
// error). With `timeseries_columns`, `timeseries` holds only timeseries.csv's required columns
// and those it keeps (a viewer that draws a few of a large file's columns); every line's field
// count is still checked.
ReadOutcome read_results_folder(const std::filesystem::path& dir, const ColumnFilter& timeseries_columns = {});
// A replicated run's folder (`dcsim run --replications`): replication 0's files
// (`replications/rep-0001`) with the folder's timeseries_bands.csv in `timeseries_bands`.
ReadOutcome read_replicated_folder(const std::filesystem::path& dir, const ColumnFilter& timeseries_columns = {});
// The same from the rendered files (what the GUI gets from a run before anything is written).
ReadOutcome read_results_files(const ResultsFiles& files);

// Any CSV text as a table (what the GUI's Tables view shows): returns an error prefixed with
// `label` ("label: line 7: ..."), or "" when `table` is filled.
std::string parse_csv_table(const std::string& text, const std::string& label, CsvTable& table);

// "2026-01-01T05:00:00Z" -> seconds since 1970-01-01 UTC; nullopt if not in that exact form.
std::optional<long long> parse_utc_seconds(std::string_view iso);

}  // namespace dcsim::reports
