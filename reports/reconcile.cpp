#include "reports/reconcile.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "sim/traces/csv_reader.h"

namespace dcsim::reports {

namespace fs = std::filesystem;

bool ReconcileLine::ok() const {
  if (!gpu_hours) return report_cents == expected_cents;
  return std::abs(report_gpu_hours - expected_gpu_hours) <=
         kGpuHourRelativeTolerance * std::max(1.0, std::abs(expected_gpu_hours));
}

bool ReconcileOutcome::ok() const {
  if (!error.empty()) return false;
  for (const ReconcileLine& l : lines) {
    if (!l.ok()) return false;
  }
  return true;
}

bool parse_cents(const std::string& text, long long& cents) {
  std::size_t i = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) ++i;
  long long whole = 0;
  int fraction_digits = 0;
  long long fraction = 0;
  bool digits = false, point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' && !point) {
      point = true;
    } else if (c >= '0' && c <= '9') {
      digits = true;
      if (point) {
        if (++fraction_digits > 2) return false;
        fraction = fraction * 10 + (c - '0');
      } else {
        whole = whole * 10 + (c - '0');
      }
    } else {
      return false;
    }
  }
  if (!digits) return false;
  if (fraction_digits == 1) fraction *= 10;
  cents = whole * 100 + fraction;
  if (negative) cents = -cents;
  return true;
}

namespace {

bool has_column(const fs::path& file, const std::string& column) {
  std::string open_error;
  auto reader = traces::CsvReader::open(file.string(), open_error);
  return reader && reader->column(column) >= 0;
}

// Sum of a column, row by row: `parse` reads a field (false: not a `what`).
template <typename T, typename Parse>
bool sum_fields(const fs::path& file, const std::string& column, const char* what, Parse parse, T& sum,
                std::string& error) {
  std::string open_error;
  auto reader = traces::CsvReader::open(file.string(), open_error);
  if (!reader) {
    error = file.filename().string() + ": " + open_error;
    return false;
  }
  const int col = reader->column(column);
  if (col < 0) {
    error = file.filename().string() + ": no column '" + column + "'";
    return false;
  }
  sum = T{};
  traces::CsvRecord rec;
  while (reader->next(rec)) {
    T value{};
    if (static_cast<std::size_t>(col) >= rec.fields.size() || !parse(rec.fields[static_cast<std::size_t>(col)], value)) {
      error = file.filename().string() + ":" + std::to_string(rec.line) + ": '" + column + "' is not " + what;
      return false;
    }
    sum += value;
  }
  if (!reader->error().empty()) {
    error = file.filename().string() + ": " + reader->error();
    return false;
  }
  return true;
}

// Sum of a money column, exactly.
bool sum_column(const fs::path& file, const std::string& column, long long& cents, std::string& error) {
  return sum_fields(file, column, "an amount", parse_cents, cents, error);
}

bool parse_double(const std::string& text, double& value) {
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  return ec == std::errc() && ptr == end && std::isfinite(value);
}

// Sum of a GPU-hour column, in row order.
bool sum_hours_column(const fs::path& file, const std::string& column, double& hours, std::string& error) {
  return sum_fields(file, column, "a number", parse_double, hours, error);
}

// A number of summary.json, when it has the key.
bool summary_number(const fs::path& dir, const std::string& key, double& value) {
  std::ifstream f(dir / "summary.json");
  if (!f) return false;
  std::stringstream text;
  text << f.rdbuf();
  const std::string s = text.str();
  const auto at = s.find("\"" + key + "\": ");
  if (at == std::string::npos) return false;
  const auto start = at + key.size() + 4;
  const auto end = s.find_first_of(",\n}", start);
  return parse_double(s.substr(start, end - start), value);
}

bool summary_cents(const fs::path& dir, const std::string& key, long long& cents, std::string& error) {
  std::ifstream f(dir / "summary.json");
  if (!f) {
    error = "summary.json: cannot be read";
    return false;
  }
  std::stringstream text;
  text << f.rdbuf();
  const std::string s = text.str();
  const auto at = s.find("\"" + key + "\": ");
  if (at == std::string::npos) {
    error = "summary.json: no '" + key + "'";
    return false;
  }
  const auto start = at + key.size() + 4;
  const auto end = s.find_first_of(",\n}", start);
  if (!parse_cents(s.substr(start, end - start), cents)) {
    error = "summary.json: '" + key + "' is not an amount";
    return false;
  }
  return true;
}

}  // namespace

ReconcileOutcome reconcile_results_folder(const fs::path& dir) {
  ReconcileOutcome out;
  long long total_cost = 0, total_revenue = 0;
  if (!summary_cents(dir, "total_cost_usd", total_cost, out.error)) return out;
  const bool has_revenue = summary_cents(dir, "total_revenue_usd", total_revenue, out.error);
  out.error.clear();
  struct Check {
    const char* file;
    std::vector<const char*> columns;  // summed together
    bool revenue;
    const char* key = nullptr;  // else: this summary.json amount, when it has it
  };
  const std::vector<Check> checks = {
      {"cost_monthly.csv", {"amount_usd"}, false},
      {"pnl_monthly.csv", {"opex_usd", "depreciation_usd"}, false},
      {"pnl_quarterly.csv", {"opex_usd", "depreciation_usd"}, false},
      {"pnl_yearly.csv", {"opex_usd", "depreciation_usd"}, false},
      {"cost_by_tenant.csv", {"amount_usd"}, false},
      {"pnl_monthly.csv", {"revenue_usd"}, true},
      {"revenue_monthly.csv", {"amount_usd"}, true},
      {"pnl_monthly.csv", {"revenue_lost_usd"}, false, "lost_revenue_usd"},
      {"kpis.csv", {"revenue_lost_usd"}, false, "lost_revenue_usd"},
      {"pnl_monthly.csv", {"cloud_burst_usd"}, false, "cloud_cost_usd"},
      {"kpis.csv", {"cloud_burst_usd"}, false, "cloud_cost_usd"},
      {"kpis.csv", {"training_run_cost_usd"}, false, "training_run_cost_usd"},
  };
  for (const Check& c : checks) {
    if (c.revenue && !has_revenue) continue;
    long long key_cents = 0;
    if (c.key) {
      std::string absent;
      if (!summary_cents(dir, c.key, key_cents, absent)) continue;  // not measured in this run
      if (fs::exists(dir / c.file) && !has_column(dir / c.file, c.columns[0])) continue;  // an older folder
    }
    if (!fs::exists(dir / c.file)) {
      if (std::string(c.file) == "cost_monthly.csv") {
        out.error = "cost_monthly.csv: missing";
        return out;
      }
      continue;  // older results folders have fewer reports
    }
    ReconcileLine line;
    line.report = c.file;
    for (const char* col : c.columns) {
      long long cents = 0;
      if (!sum_column(dir / c.file, col, cents, out.error)) return out;
      line.report_cents += cents;
      line.report += std::string(" ") + col;
    }
    line.against = c.key ? std::string("summary.json ") + c.key
                         : c.revenue ? "summary.json total_revenue_usd" : "summary.json total_cost_usd";
    line.expected_cents = c.key ? key_cents : c.revenue ? total_revenue : total_cost;
    out.lines.push_back(line);
  }
  // GPU-hours: the yearly KPIs re-add to the run's available and allocated GPU-hours, and the
  // unmet, cloud and contract-shortfall columns of the P&L and the KPIs to their summary figures
  // (present only when the run models them).
  struct HoursCheck {
    const char* file;
    const char* column;
    const char* key;
  };
  const HoursCheck hour_checks[] = {
      {"kpis.csv", "gpu_hours_available", "gpu_hours_available"},
      {"kpis.csv", "gpu_hours_allocated", "gpu_hours_allocated"},
      {"pnl_monthly.csv", "unmet_gpu_hours", "unmet_gpu_hours"},
      {"kpis.csv", "unmet_gpu_hours", "unmet_gpu_hours"},
      {"pnl_monthly.csv", "cloud_burst_gpu_hours", "cloud_burst_gpu_hours"},
      {"kpis.csv", "cloud_burst_gpu_hours", "cloud_burst_gpu_hours"},
      {"pnl_monthly.csv", "contract_shortfall_gpu_hours", "contract_shortfall_gpu_hours"},
      {"kpis.csv", "contract_shortfall_gpu_hours", "contract_shortfall_gpu_hours"},
  };
  for (const HoursCheck& c : hour_checks) {
    double expected = 0.0;
    if (!summary_number(dir, c.key, expected)) continue;  // not modelled in this run
    if (!fs::exists(dir / c.file) || !has_column(dir / c.file, c.column)) continue;  // an older folder
    ReconcileLine line;
    line.gpu_hours = true;
    line.report = std::string(c.file) + " " + c.column;
    line.against = std::string("summary.json ") + c.key;
    line.expected_gpu_hours = expected;
    if (!sum_hours_column(dir / c.file, c.column, line.report_gpu_hours, out.error)) return out;
    out.lines.push_back(line);
  }
  return out;
}

}  // namespace dcsim::reports
