// Reading a results folder back: summary.json (flat, plus the `envelopes` array), the three CSV
// tables and the resolved scenario. Files are checked for the columns the viewers rely on.
#include "reports/results_reader.h"

#include <charconv>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "sim/traces/csv_reader.h"

namespace dcsim::reports {

namespace fs = std::filesystem;

namespace {

std::string number_text(double v) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

// Parses CSV text into columns; `required` names columns that must exist, `numeric` those that
// must hold numbers. Returns an error message prefixed with `label`, or "".
std::string parse_csv(const std::string& text, const std::string& label, const std::vector<std::string>& required,
                      const std::vector<std::string>& numeric, CsvTable& table) {
  traces::CsvReader reader = traces::CsvReader::from_string(text);
  if (!reader.error().empty()) return label + ": " + reader.error();
  if (reader.header().empty()) return label + ": empty file (no header row)";
  table = CsvTable{};
  std::vector<int> first_text_line;           // line of a column's first non-number
  std::vector<std::size_t> first_text_row;
  for (const auto& name : reader.header()) {
    CsvColumn c;
    c.name = name;
    table.columns.push_back(std::move(c));
    first_text_line.push_back(0);
    first_text_row.push_back(0);
  }
  for (const auto& name : required) {
    if (!table.find(name)) return label + ": missing column '" + name + "'";
  }
  traces::CsvRecord rec;
  while (reader.next(rec)) {
    if (rec.fields.size() != table.columns.size()) {
      return label + ": line " + std::to_string(rec.line) + ": " + std::to_string(rec.fields.size()) +
             " fields where the header has " + std::to_string(table.columns.size());
    }
    for (std::size_t i = 0; i < rec.fields.size(); ++i) {
      CsvColumn& c = table.columns[i];
      if (c.numeric) {
        double v = 0.0;
        if (traces::parse_double(rec.fields[i], v)) {
          c.numbers.push_back(v);
          continue;
        }
        // The first cell that is not a number turns the column into text.
        c.numeric = false;
        first_text_line[i] = rec.line;
        first_text_row[i] = table.rows;
        c.text.reserve(c.numbers.size() + 1);
        for (double n : c.numbers) c.text.push_back(number_text(n));
        c.numbers.clear();
        c.numbers.shrink_to_fit();
      }
      c.text.push_back(std::move(rec.fields[i]));
    }
    ++table.rows;
  }
  if (!reader.error().empty()) return label + ": " + reader.error();
  for (const auto& name : numeric) {
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      const CsvColumn& c = table.columns[i];
      if (c.name == name && !c.numeric) {
        return label + ": line " + std::to_string(first_text_line[i]) + ": column '" + name + "' holds '" +
               c.text[first_text_row[i]] + "', not a number";
      }
    }
  }
  return "";
}

std::string parse_summary(const std::string& text, ResultsFolder& out) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line 3, column 5: ..."
    std::string what = e.what();
    const auto pos = what.find("] ");
    return "summary.json: " + (pos == std::string::npos ? what : what.substr(pos + 2));
  }
  if (!j.is_object()) return "summary.json: not a JSON object";
  if (!j.contains("dcsim_version") || !j.contains("format_version")) {
    return "summary.json: not a dcsim summary (no dcsim_version or format_version)";
  }
  if (!j["format_version"].is_number_integer() || j["format_version"].get<long long>() > kFormatVersion) {
    return "summary.json: format_version " + j["format_version"].dump() + " is newer than this dcsim reads (" +
           std::to_string(kFormatVersion) + ")";
  }
  for (const auto& [key, value] : j.items()) {
    if (key == "envelopes" && value.is_array()) {
      for (const auto& e : value) {
        if (!e.is_object()) return "summary.json: an item of 'envelopes' is not an object";
        std::map<std::string, std::string> flat;
        for (const auto& [k, v] : e.items()) flat[k] = v.dump();
        out.envelopes.push_back(std::move(flat));
      }
      continue;
    }
    out.summary[key] = value.dump();
  }
  return "";
}

struct Texts {
  std::string summary, resolved, timeseries, cost, capacity;
  std::string kpis, market, market_demand;  // optional: empty when absent
  std::string pnl, revenue;                  // optional: empty when absent
};

ReadOutcome read_texts(const Texts& t) {
  ReadOutcome outcome;
  ResultsFolder folder;
  std::string err = parse_summary(t.summary, folder);
  if (err.empty()) {
    err = parse_csv(t.timeseries, "timeseries.csv",
                    {"time", "gpus_total", "gpus_busy", "utilization", "it_power_kw", "facility_power_kw", "queue_length"},
                    {"gpus_total", "gpus_busy", "utilization", "it_power_kw", "facility_power_kw", "queue_length"},
                    folder.timeseries);
  }
  if (err.empty()) {
    err = parse_csv(t.cost, "cost_monthly.csv", {"month", "category", "site", "tenant", "amount_usd"}, {"amount_usd"},
                    folder.cost_monthly);
  }
  if (err.empty()) {
    err = parse_csv(t.capacity, "capacity.csv",
                    {"month", "envelope", "site", "hall", "unit", "peak_demand", "limit", "headroom", "headroom_fraction"},
                    {"peak_demand", "limit", "headroom", "headroom_fraction"}, folder.capacity);
  }
  if (err.empty() && !t.kpis.empty()) {
    err = parse_csv(t.kpis, "kpis.csv", {"year"}, {"year"}, folder.kpis);
  }
  if (err.empty() && !t.pnl.empty()) {
    err = parse_csv(t.pnl, "pnl_monthly.csv", {"month", "revenue_usd", "opex_usd", "capex_usd", "cumulative_cash_usd"},
                    {"revenue_usd", "opex_usd", "capex_usd", "cumulative_cash_usd"}, folder.pnl_monthly);
  }
  if (err.empty() && !t.revenue.empty()) {
    err = parse_csv(t.revenue, "revenue_monthly.csv", {"month", "category", "subcategory", "amount_usd"}, {"amount_usd"},
                    folder.revenue_monthly);
  }
  if (err.empty() && t.market.empty() != t.market_demand.empty()) {
    err = t.market.empty() ? "market.csv: missing (market_demand.csv is there)"
                           : "market_demand.csv: missing (market.csv is there)";
  }
  if (err.empty() && !t.market.empty()) {
    err = parse_csv(t.market, "market.csv", {"year", "case", "dimension", "segment", "share", "market_usd_bn", "growth"},
                    {"year", "share", "market_usd_bn"}, folder.market);
  }
  if (err.empty() && !t.market_demand.empty()) {
    err = parse_csv(t.market_demand, "market_demand.csv",
                    {"year", "market_share", "segment_usd_bn", "usd_per_gpu_hour", "gpu_hours"},
                    {"year", "market_share", "segment_usd_bn", "usd_per_gpu_hour", "gpu_hours"}, folder.market_demand);
  }
  if (err.empty() && folder.timeseries.rows > 0) {
    const CsvColumn* time = folder.timeseries.find("time");
    for (std::size_t r = 0; r < folder.timeseries.rows; ++r) {
      if (!parse_utc_seconds(time->cell(r))) {
        err = "timeseries.csv: line " + std::to_string(r + 2) + ": time '" + time->cell(r) +
              "' is not of the form 2026-01-01T00:00:00Z";
        break;
      }
    }
  }
  if (!err.empty()) {
    outcome.error = err;
    return outcome;
  }
  folder.resolved_yaml = t.resolved;
  outcome.folder = std::move(folder);
  return outcome;
}

bool read_file(const fs::path& p, std::string& out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

}  // namespace

std::string parse_csv_table(const std::string& text, const std::string& label, CsvTable& table) {
  return parse_csv(text, label, {}, {}, table);
}

std::string CsvColumn::cell(std::size_t row) const {
  if (numeric) return row < numbers.size() ? number_text(numbers[row]) : std::string();
  return row < text.size() ? text[row] : std::string();
}

const CsvColumn* CsvTable::find(std::string_view name) const {
  for (const auto& c : columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::string ResultsFolder::summary_text(const std::string& key) const {
  const auto it = summary.find(key);
  if (it == summary.end()) return "";
  const std::string& raw = it->second;
  if (raw.size() >= 2 && raw.front() == '"') {
    try {
      return nlohmann::json::parse(raw).get<std::string>();
    } catch (const nlohmann::json::exception&) {
      return raw;
    }
  }
  return raw;
}

std::optional<double> ResultsFolder::summary_number(const std::string& key) const {
  const auto it = summary.find(key);
  double v = 0.0;
  if (it == summary.end() || !traces::parse_double(it->second, v)) return std::nullopt;
  return v;
}

ReadOutcome read_results_folder(const fs::path& dir) {
  ReadOutcome outcome;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    outcome.error = dir.string() + ": not a folder";
    return outcome;
  }
  Texts t;
  const std::pair<const char*, std::string*> files[] = {{"summary.json", &t.summary},
                                                        {"scenario.resolved.yaml", &t.resolved},
                                                        {"timeseries.csv", &t.timeseries},
                                                        {"cost_monthly.csv", &t.cost},
                                                        {"capacity.csv", &t.capacity}};
  for (const auto& [name, text] : files) {
    const fs::path p = dir / name;
    if (!fs::exists(p, ec)) {
      outcome.error = p.string() + ": missing (not a complete dcsim results folder)";
      return outcome;
    }
    if (!read_file(p, *text)) {
      outcome.error = p.string() + ": cannot read";
      return outcome;
    }
  }
  const std::pair<const char*, std::string*> optional_files[] = {
      {"kpis.csv", &t.kpis},   {"pnl_monthly.csv", &t.pnl},           {"revenue_monthly.csv", &t.revenue},
      {"market.csv", &t.market}, {"market_demand.csv", &t.market_demand}};
  for (const auto& [name, text] : optional_files) {
    const fs::path p = dir / name;
    if (!fs::exists(p, ec)) continue;
    if (!read_file(p, *text)) {
      outcome.error = p.string() + ": cannot read";
      return outcome;
    }
    if (text->empty()) {
      outcome.error = p.string() + ": empty file (no header row)";
      return outcome;
    }
  }
  outcome = read_texts(t);
  if (!outcome.error.empty()) outcome.error = (dir / outcome.error).string();
  return outcome;
}

ReadOutcome read_results_files(const ResultsFiles& files) {
  return read_texts(Texts{files.summary_json, files.resolved_yaml, files.timeseries_csv, files.cost_monthly_csv,
                          files.capacity_csv, files.kpis_csv, files.market_csv, files.market_demand_csv,
                          files.pnl_monthly_csv, files.revenue_monthly_csv});
}

ReadOutcome read_replicated_folder(const fs::path& dir) {
  ReadOutcome outcome = read_results_folder(dir / "replications" / "rep-0001");
  if (!outcome.folder) return outcome;
  const fs::path p = dir / "timeseries_bands.csv";
  std::string text;
  if (!read_file(p, text)) {
    outcome.folder.reset();
    outcome.error = p.string() + ": missing (not a complete replicated results folder)";
    return outcome;
  }
  std::string err = parse_csv(text, "timeseries_bands.csv", {"time"}, {}, outcome.folder->timeseries_bands);
  const CsvTable& bands = outcome.folder->timeseries_bands;
  for (std::size_t r = 0; err.empty() && r < bands.rows; ++r) {
    if (!parse_utc_seconds(bands.find("time")->cell(r))) {
      err = "timeseries_bands.csv: line " + std::to_string(r + 2) + ": time '" + bands.find("time")->cell(r) +
            "' is not of the form 2026-01-01T00:00:00Z";
    }
  }
  if (!err.empty()) {
    outcome.folder.reset();
    outcome.error = (dir / err).string();
  }
  return outcome;
}

std::optional<long long> parse_utc_seconds(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SSZ
  if (s.size() != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z') {
    return std::nullopt;
  }
  auto num = [&](std::size_t pos, std::size_t len, int& out) {
    const auto res = std::from_chars(s.data() + pos, s.data() + pos + len, out);
    return res.ec == std::errc() && res.ptr == s.data() + pos + len;
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  if (!num(0, 4, y) || !num(5, 2, mo) || !num(8, 2, d) || !num(11, 2, h) || !num(14, 2, mi) || !num(17, 2, se)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
  // Days from civil (Howard Hinnant's algorithm).
  const int yy = y - (mo <= 2 ? 1 : 0);
  const int era = (yy >= 0 ? yy : yy - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(yy - era * 400);
  const unsigned doy = static_cast<unsigned>((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1);
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const long long days = static_cast<long long>(era) * 146097 + static_cast<long long>(doe) - 719468;
  return days * 86400 + h * 3600 + mi * 60 + se;
}

}  // namespace dcsim::reports
