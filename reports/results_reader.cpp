// Reading a results folder back: summary.json (flat, plus the `envelopes` array), the three CSV
// tables and the resolved scenario. Files are checked for the columns the viewers rely on.
#include "reports/results_reader.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string_view>

#if __has_include(<sys/mman.h>)
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#define DCSIM_READER_MMAP 1
#endif

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

// Text as dcsim writes it: ASCII, no quotes, '\n' line ends. Eight bytes at a time (a byte loop
// is not vectorized at -O2, and this pass over a 40 MB timeseries.csv took a tenth of opening it):
// a word has a byte with the high bit set, or a zero, '"' or '\r' byte, when the classic
// "has a zero byte" test, (v - 0x01..) & ~v & 0x80.., holds for v, v ^ '"'.. or v ^ '\r'...
bool is_plain_csv(std::string_view text) {
  constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  auto has_zero = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
  std::uint64_t bad = 0;
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t v = 0;
    std::memcpy(&v, text.data() + i, 8);
    bad |= (v & highs) | has_zero(v) | has_zero(v ^ (ones * '"')) | has_zero(v ^ (ones * '\r'));
  }
  for (; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    bad |= (c & 0x80u) | static_cast<unsigned>(c == '"') | static_cast<unsigned>(c == '\r') | static_cast<unsigned>(c == 0);
  }
  return bad == 0;
}

// The records of CSV text. Plain text (is_plain_csv: every file dcsim writes) is split in place,
// without a stream and a string per field: reading a stream byte by byte was most of the time of
// opening a large results folder. Anything else (quotes, CR, UTF-8, a byte-order mark) goes
// through traces::CsvReader with its checks and messages. Both skip empty lines and number lines
// from 1.
class CsvRecords {
 public:
  explicit CsvRecords(std::string_view text) : text_(text) {
    if (!is_plain_csv(text)) {
      reader_.emplace(traces::CsvReader::from_string(std::string(text)));
      header_ = reader_->header();
      return;
    }
    std::vector<std::string_view> fields;
    int line = 0;
    if (next(fields, line)) header_.assign(fields.begin(), fields.end());
  }
  const std::string& error() const { return reader_ ? reader_->error() : no_error_; }
  const std::vector<std::string>& header() const { return header_; }
  // The next record's fields (valid until the next call) and line; false at the end or on error().
  bool next(std::vector<std::string_view>& fields, int& line) {
    fields.clear();
    if (reader_) {
      if (!reader_->next(rec_)) return false;
      for (const std::string& f : rec_.fields) fields.emplace_back(f);
      line = rec_.line;
      return true;
    }
    while (pos_ < text_.size() && text_[pos_] == '\n') {
      ++pos_;
      ++line_;
    }
    if (pos_ >= text_.size()) return false;
    const std::size_t end = std::min(text_.find('\n', pos_), text_.size());
    std::string_view row(text_.data() + pos_, end - pos_);
    for (;;) {
      const std::size_t comma = row.find(',');
      fields.push_back(row.substr(0, comma));
      if (comma == std::string_view::npos) break;
      row.remove_prefix(comma + 1);
    }
    line = line_++;
    pos_ = end + 1;
    return true;
  }

 private:
  std::string_view text_;
  std::optional<traces::CsvReader> reader_;
  traces::CsvRecord rec_;
  std::vector<std::string> header_;
  std::size_t pos_ = 0;
  int line_ = 1;
  const std::string no_error_;
};

// Parses CSV text into columns; `required` names columns that must exist, `numeric` those that
// must hold numbers; with `keep`, only the required columns and those it keeps are parsed and
// held (every line's field count is still checked). Returns an error message prefixed with
// `label`, or "".
std::string parse_csv(std::string_view text, const std::string& label, const std::vector<std::string>& required,
                      const std::vector<std::string>& numeric, CsvTable& table, const ColumnFilter& keep = {}) {
  CsvRecords reader(text);
  if (!reader.error().empty()) return label + ": " + reader.error();
  if (reader.header().empty()) return label + ": empty file (no header row)";
  table = CsvTable{};
  std::vector<int> first_text_line;           // line of a column's first non-number
  std::vector<std::size_t> first_text_row;
  std::vector<std::size_t> slot;  // per field of a line: its column, or npos when not kept
  for (const auto& name : reader.header()) {
    if (keep && !keep(name) && std::find(required.begin(), required.end(), name) == required.end()) {
      slot.push_back(std::string::npos);
      continue;
    }
    slot.push_back(table.columns.size());
    CsvColumn c;
    c.name = name;
    table.columns.push_back(std::move(c));
    first_text_line.push_back(0);
    first_text_row.push_back(0);
  }
  for (const auto& name : required) {
    if (!table.find(name)) return label + ": missing column '" + name + "'";
  }
  // About one row per line: reserving spares each column's vector its regrowth copies.
  const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  for (CsvColumn& c : table.columns) c.numbers.reserve(lines);
  std::vector<std::string_view> fields;
  int line = 0;
  while (reader.next(fields, line)) {
    if (fields.size() != slot.size()) {
      return label + ": line " + std::to_string(line) + ": " + std::to_string(fields.size()) +
             " fields where the header has " + std::to_string(slot.size());
    }
    for (std::size_t f = 0; f < fields.size(); ++f) {
      const std::size_t i = slot[f];
      if (i == std::string::npos) continue;
      CsvColumn& c = table.columns[i];
      if (c.numeric) {
        double v = 0.0;
        if (traces::parse_double(fields[f], v)) {
          c.numbers.push_back(v);
          continue;
        }
        // The first cell that is not a number turns the column into text.
        c.numeric = false;
        first_text_line[i] = line;
        first_text_row[i] = table.rows;
        c.text.reserve(c.numbers.size() + 1);
        for (double n : c.numbers) c.text.push_back(number_text(n));
        c.numbers.clear();
        c.numbers.shrink_to_fit();
      }
      c.text.emplace_back(fields[f]);
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

std::string parse_summary(std::string_view text, ResultsFolder& out) {
  // Ordered: the viewers list the KPIs, and the fields of each array item, as the file has them.
  nlohmann::ordered_json j;
  try {
    j = nlohmann::ordered_json::parse(text.begin(), text.end());
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
    out.summary_keys.push_back(key);
  }
  return "";
}

// Views of the files' text (a folder's files mapped or read by FileText, or a run's strings).
struct Texts {
  std::string_view summary, resolved, timeseries, cost, capacity;
  std::string_view kpis, market, market_demand;  // optional: empty when absent
  std::string_view pnl, revenue;                  // optional: empty when absent
  std::string_view carbon;                        // optional: empty when absent (folders before carbon_monthly.csv)
};

ReadOutcome read_texts(const Texts& t, const ColumnFilter& timeseries_columns = {}) {
  ReadOutcome outcome;
  ResultsFolder folder;
  std::string err = parse_summary(t.summary, folder);
  if (err.empty()) {
    err = parse_csv(t.timeseries, "timeseries.csv",
                    {"time", "gpus_total", "gpus_busy", "utilization", "it_power_kw", "facility_power_kw", "queue_length"},
                    {"gpus_total", "gpus_busy", "utilization", "it_power_kw", "facility_power_kw", "queue_length"},
                    folder.timeseries, timeseries_columns);
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
  if (err.empty() && !t.carbon.empty()) {
    err = parse_csv(t.carbon, "carbon_monthly.csv", {"month", "site", "carbon_t"}, {"carbon_t"}, folder.carbon_monthly);
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
      // A time column is text (a number is never of that form); no copy of each cell.
      if (time->numeric || !parse_utc_seconds(time->text[r])) {
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
  folder.resolved_yaml = std::string(t.resolved);
  outcome.folder = std::move(folder);
  return outcome;
}

bool read_file(const fs::path& p, std::string& out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  // One read into a string of the file's size: a stream copy grows and copies a 40 MB
  // timeseries.csv several times.
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(p, ec);
  if (!ec) {
    out.resize(static_cast<std::size_t>(size));
    in.read(out.data(), static_cast<std::streamsize>(size));
    out.resize(static_cast<std::size_t>(in.gcount()));
    if (in.bad()) return false;
    if (in.peek() == std::char_traits<char>::eof()) return true;  // else it grew meanwhile: read the rest
    in.clear();
  } else {
    out.clear();
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  out += ss.str();
  return true;
}

// A file's text: mapped read-only where the system has mmap (a 40 MB timeseries.csv read into a
// string costs a zero-fill, a copy and a page fault per 4 KB of fresh memory, which on a VM was a
// fifth of opening a campus folder), else read into a string.
class FileText {
 public:
  FileText() = default;
  FileText(const FileText&) = delete;
  FileText& operator=(const FileText&) = delete;
  ~FileText() {
#ifdef DCSIM_READER_MMAP
    if (map_) munmap(map_, size_);
#endif
  }
  bool read(const fs::path& p) {
#ifdef DCSIM_READER_MMAP
    // Small files are not worth a mapping; a file that cannot be mapped (a pipe) is read.
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(p, ec);
    if (!ec && size >= (std::uintmax_t{1} << 20)) {
      const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd >= 0) {
        int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
        flags |= MAP_POPULATE;  // the page tables in one go instead of a fault per few pages
#endif
        void* m = mmap(nullptr, static_cast<std::size_t>(size), PROT_READ, flags, fd, 0);
        ::close(fd);
        if (m != MAP_FAILED) {
          map_ = m;
          size_ = static_cast<std::size_t>(size);
          return true;
        }
      }
    }
#endif
    return read_file(p, owned_);
  }
  std::string_view view() const {
    return map_ ? std::string_view(static_cast<const char*>(map_), size_) : std::string_view(owned_);
  }

 private:
  std::string owned_;
  void* map_ = nullptr;
  std::size_t size_ = 0;
};

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

ReadOutcome read_results_folder(const fs::path& dir, const ColumnFilter& timeseries_columns) {
  ReadOutcome outcome;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    outcome.error = dir.string() + ": not a folder";
    return outcome;
  }
  Texts t;
  // The files' text lives until the tables are parsed.
  std::vector<std::unique_ptr<FileText>> held;
  const std::pair<const char*, std::string_view*> files[] = {{"summary.json", &t.summary},
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
    held.push_back(std::make_unique<FileText>());
    if (!held.back()->read(p)) {
      outcome.error = p.string() + ": cannot read";
      return outcome;
    }
    *text = held.back()->view();
  }
  const std::pair<const char*, std::string_view*> optional_files[] = {
      {"kpis.csv", &t.kpis},   {"pnl_monthly.csv", &t.pnl},           {"revenue_monthly.csv", &t.revenue},
      {"market.csv", &t.market}, {"market_demand.csv", &t.market_demand}, {"carbon_monthly.csv", &t.carbon}};
  for (const auto& [name, text] : optional_files) {
    const fs::path p = dir / name;
    if (!fs::exists(p, ec)) continue;
    held.push_back(std::make_unique<FileText>());
    if (!held.back()->read(p)) {
      outcome.error = p.string() + ": cannot read";
      return outcome;
    }
    *text = held.back()->view();
    if (text->empty()) {
      outcome.error = p.string() + ": empty file (no header row)";
      return outcome;
    }
  }
  outcome = read_texts(t, timeseries_columns);
  if (!outcome.error.empty()) outcome.error = (dir / outcome.error).string();
  return outcome;
}

ReadOutcome read_results_files(const ResultsFiles& files) {
  return read_texts(Texts{files.summary_json, files.resolved_yaml, files.timeseries_csv, files.cost_monthly_csv,
                          files.capacity_csv, files.kpis_csv, files.market_csv, files.market_demand_csv,
                          files.pnl_monthly_csv, files.revenue_monthly_csv, files.carbon_monthly_csv});
}

ReadOutcome read_replicated_folder(const fs::path& dir, const ColumnFilter& timeseries_columns) {
  ReadOutcome outcome = read_results_folder(dir / "replications" / "rep-0001", timeseries_columns);
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
