// Replicated, swept and compared runs as files (see many_runs.h).
#include "reports/many_runs.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <system_error>

#include "reports/text_format.h"
#include "sim/traces/csv_reader.h"

namespace dcsim::reports {

namespace fs = std::filesystem;

void FileTree::add_tree(const std::string& prefix, const FileTree& sub) {
  for (const auto& [path, text] : sub.files) add(prefix + "/" + path, text);
}

const std::string* FileTree::find(const std::string& path) const {
  for (const auto& [p, text] : files) {
    if (p == path) return &text;
  }
  return nullptr;
}

FileTree results_tree(const ResultsFiles& files) {
  FileTree t;
  for (const auto& [name, text] : named_files(files)) t.add(name, *text);
  return t;
}

namespace {

void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

bool get_u64(const std::string& in, std::size_t& pos, std::uint64_t& v) {
  if (in.size() - pos < 8 || pos > in.size()) return false;
  v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[pos + i])) << (8 * i);
  pos += 8;
  return true;
}

bool get_bytes(const std::string& in, std::size_t& pos, std::string& out) {
  std::uint64_t n = 0;
  if (!get_u64(in, pos, n) || n > in.size() - pos) return false;
  out.assign(in, pos, n);
  pos += n;
  return true;
}

}  // namespace

std::string serialize_tree(const FileTree& tree) {
  std::string out = "DCSTREE1";
  put_u64(out, tree.files.size());
  for (const auto& [path, text] : tree.files) {
    put_u64(out, path.size());
    out += path;
    put_u64(out, text.size());
    out += text;
  }
  return out;
}

std::optional<FileTree> deserialize_tree(const std::string& bytes) {
  if (bytes.compare(0, 8, "DCSTREE1") != 0) return std::nullopt;
  std::size_t pos = 8;
  std::uint64_t n = 0;
  if (!get_u64(bytes, pos, n)) return std::nullopt;
  FileTree t;
  for (std::uint64_t i = 0; i < n; ++i) {
    std::string path, text;
    if (!get_bytes(bytes, pos, path) || !get_bytes(bytes, pos, text)) return std::nullopt;
    t.add(std::move(path), std::move(text));
  }
  if (pos != bytes.size()) return std::nullopt;
  return t;
}

namespace {
std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }
}  // namespace

WriteOutcome write_file_tree(const FileTree& tree, const fs::path& target, bool replace_existing) {
  std::vector<std::pair<std::string, std::string_view>> list;
  for (const auto& [rel, text] : tree.files) list.emplace_back(rel, text);
  return write_folder_atomically(list, target, replace_existing);
}

namespace {

// Just enough JSON to read summary.json files back.
struct Json {
  enum class Kind { null, boolean, number, string, array, object } kind = Kind::null;
  double number = 0.0;
  std::string text;  // string value, or the raw text of a number
  std::vector<Json> items;
  std::vector<std::pair<std::string, Json>> members;
  const Json* get(const std::string& key) const {
    for (const auto& [k, v] : members) {
      if (k == key) return &v;
    }
    return nullptr;
  }
};

class JsonParser {
 public:
  explicit JsonParser(const std::string& s) : s_(s) {}
  std::optional<Json> parse() {
    Json v;
    if (!value(v, 0)) return std::nullopt;
    skip();
    if (i_ != s_.size()) return std::nullopt;
    return v;
  }

 private:
  void skip() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
  }
  bool literal(const char* word) {
    const std::string w(word);
    if (s_.compare(i_, w.size(), w) != 0) return false;
    i_ += w.size();
    return true;
  }
  bool string(std::string& out) {
    if (i_ >= s_.size() || s_[i_] != '"') return false;
    ++i_;
    while (i_ < s_.size() && s_[i_] != '"') {
      char c = s_[i_++];
      if (c == '\\') {
        if (i_ >= s_.size()) return false;
        const char e = s_[i_++];
        switch (e) {
          case 'n': c = '\n'; break;
          case 't': c = '\t'; break;
          case 'r': c = '\r'; break;
          case 'b': c = '\b'; break;
          case 'f': c = '\f'; break;
          case 'u': {
            if (s_.size() - i_ < 4) return false;
            const unsigned long code = std::stoul(s_.substr(i_, 4), nullptr, 16);
            i_ += 4;
            if (code < 0x80) {
              c = static_cast<char>(code);
            } else if (code < 0x800) {
              out += static_cast<char>(0xC0 | (code >> 6));
              c = static_cast<char>(0x80 | (code & 0x3F));
            } else {
              out += static_cast<char>(0xE0 | (code >> 12));
              out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
              c = static_cast<char>(0x80 | (code & 0x3F));
            }
            break;
          }
          default: c = e;
        }
      }
      out += c;
    }
    if (i_ >= s_.size()) return false;
    ++i_;
    return true;
  }
  bool value(Json& v, int depth) {
    if (depth > 64) return false;
    skip();
    if (i_ >= s_.size()) return false;
    const char c = s_[i_];
    if (c == '{') {
      v.kind = Json::Kind::object;
      ++i_;
      skip();
      if (i_ < s_.size() && s_[i_] == '}') return ++i_, true;
      for (;;) {
        skip();
        std::string key;
        if (!string(key)) return false;
        skip();
        if (i_ >= s_.size() || s_[i_++] != ':') return false;
        Json member;
        if (!value(member, depth + 1)) return false;
        v.members.emplace_back(std::move(key), std::move(member));
        skip();
        if (i_ >= s_.size()) return false;
        if (s_[i_] == ',') {
          ++i_;
          continue;
        }
        if (s_[i_] == '}') return ++i_, true;
        return false;
      }
    }
    if (c == '[') {
      v.kind = Json::Kind::array;
      ++i_;
      skip();
      if (i_ < s_.size() && s_[i_] == ']') return ++i_, true;
      for (;;) {
        Json item;
        if (!value(item, depth + 1)) return false;
        v.items.push_back(std::move(item));
        skip();
        if (i_ >= s_.size()) return false;
        if (s_[i_] == ',') {
          ++i_;
          continue;
        }
        if (s_[i_] == ']') return ++i_, true;
        return false;
      }
    }
    if (c == '"') {
      v.kind = Json::Kind::string;
      return string(v.text);
    }
    if (literal("null")) return true;
    if (literal("true") || literal("false")) {
      v.kind = Json::Kind::boolean;
      return true;
    }
    const std::size_t start = i_;
    while (i_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[i_])) || s_[i_] == '-' || s_[i_] == '+' ||
                              s_[i_] == '.' || s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
    }
    if (start == i_) return false;
    v.kind = Json::Kind::number;
    v.text = s_.substr(start, i_ - start);
    const auto [end, err] = std::from_chars(v.text.data(), v.text.data() + v.text.size(), v.number);
    return err == std::errc() && end == v.text.data() + v.text.size();
  }

  const std::string& s_;
  std::size_t i_ = 0;
};

std::optional<Json> parse_json(const std::string& text) { return JsonParser(text).parse(); }

bool is_timing_or_id(const std::string& key) {
  return key == "seed" || key == "format_version" || key == "wall_seconds" || key == "events_per_second";
}

double number_or_nan(const Json* j) {
  return j && j->kind == Json::Kind::number ? j->number : std::numeric_limits<double>::quiet_NaN();
}

// An empty CSV cell for a missing number.
std::string csv_number(double v) { return std::isfinite(v) ? format_number(v) : ""; }

std::string rep_folder(std::size_t index) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "rep-%04zu", index + 1);
  return buf;
}

// Hourly columns of timeseries.csv that get bands across replications.
const std::vector<std::string>& band_columns() {
  static const std::vector<std::string> cols = {"utilization", "it_power_kw", "facility_power_kw", "queue_length"};
  return cols;
}

std::vector<std::string> split_simple(const std::string& line, std::size_t max_fields) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (out.size() < max_fields) {
    const auto comma = line.find(',', pos);
    out.push_back(line.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

// Per replication: time labels and, per band column, the hourly values.
struct Series {
  std::vector<std::string> times;
  // band_columns(), then each inference service's `<service>:slo_attainment` in timeseries.csv's
  // order (the same scenario in every replication, so the same services).
  std::vector<std::string> names;
  std::vector<std::vector<double>> columns;  // [band column][row]
};

bool is_slo_column(const std::string& name) {
  constexpr std::string_view suffix = ":slo_attainment";
  return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Series read_series(const std::string& csv) {
  Series s;
  s.names = band_columns();
  std::istringstream in(csv);
  std::string line;
  if (!std::getline(in, line)) {
    s.columns.resize(s.names.size());
    return s;
  }
  // The header through the CSV reader: service and site names may be quoted. The rows hold
  // numbers only, so they are split on commas.
  const std::vector<std::string> header = traces::CsvReader::from_string(line + "\n").header();
  for (const std::string& c : header)
    if (is_slo_column(c)) s.names.push_back(c);
  s.columns.resize(s.names.size());
  std::vector<std::size_t> index;
  for (const std::string& c : s.names) {
    const auto it = std::find(header.begin(), header.end(), c);
    index.push_back(static_cast<std::size_t>(it - header.begin()));
  }
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const std::vector<std::string> f = split_simple(line, header.size());
    s.times.push_back(f.empty() ? "" : f[0]);
    for (std::size_t c = 0; c < index.size(); ++c) {
      double v = std::numeric_limits<double>::quiet_NaN();
      if (index[c] < f.size()) std::from_chars(f[index[c]].data(), f[index[c]].data() + f[index[c]].size(), v);
      s.columns[c].push_back(v);
    }
  }
  return s;
}

std::string render_bands(const std::vector<Series>& reps) {
  // The columns of the first replication that has a header; each replication's own column of
  // that name (absent: no values from it).
  std::vector<std::string> names = band_columns();
  for (const Series& s : reps) {
    if (s.names.size() > names.size()) {
      names = s.names;
      break;
    }
  }
  std::vector<std::vector<const std::vector<double>*>> of_rep(reps.size());
  for (std::size_t i = 0; i < reps.size(); ++i) {
    for (const std::string& c : names) {
      const auto it = std::find(reps[i].names.begin(), reps[i].names.end(), c);
      of_rep[i].push_back(it == reps[i].names.end() ? nullptr : &reps[i].columns[static_cast<std::size_t>(it - reps[i].names.begin())]);
    }
  }
  std::string out = "time";
  for (const std::string& c : names) {
    for (const char* stat : {"_mean", "_p10", "_p50", "_p90"}) out += "," + csv_field(c + stat);
  }
  out += '\n';
  std::size_t rows = 0;
  for (const Series& s : reps) rows = std::max(rows, s.times.size());
  for (std::size_t r = 0; r < rows; ++r) {
    for (const Series& s : reps) {
      if (r < s.times.size()) {
        out += s.times[r];
        break;
      }
    }
    for (std::size_t c = 0; c < names.size(); ++c) {
      std::vector<double> values;
      for (std::size_t i = 0; i < reps.size(); ++i) {
        const std::vector<double>* col = of_rep[i][c];
        if (col != nullptr && r < col->size() && std::isfinite((*col)[r])) values.push_back((*col)[r]);
      }
      // Mean and percentiles only: the t interval (a root search) is not needed per hour.
      if (values.empty()) {
        out += ",,,,";
        continue;
      }
      double sum = 0.0;
      for (double v : values) sum += v;
      std::sort(values.begin(), values.end());
      out += "," + csv_number(sum / static_cast<double>(values.size())) + "," + csv_number(run::nearest_rank(values, 10)) +
             "," + csv_number(run::nearest_rank(values, 50)) + "," + csv_number(run::nearest_rank(values, 90));
    }
    out += '\n';
  }
  return out;
}

std::string stats_json(const run::KpiStats& s) {
  return "{\"mean\": " + format_number(s.mean) + ", \"sd\": " + format_number(s.sd) +
         ", \"ci95_low\": " + format_number(s.ci95_low) + ", \"ci95_high\": " + format_number(s.ci95_high) +
         ", \"p10\": " + format_number(s.p10) + ", \"p50\": " + format_number(s.p50) + ", \"p90\": " + format_number(s.p90) +
         "}";
}

std::string text_of(const std::optional<Json>& j, const char* key) {
  if (!j) return "";
  const Json* v = j->get(key);
  return v && v->kind == Json::Kind::string ? v->text : "";
}

}  // namespace

std::vector<std::pair<std::string, double>> summary_kpis(const std::string& summary_json) {
  std::vector<std::pair<std::string, double>> out;
  const std::optional<Json> j = parse_json(summary_json);
  if (!j || j->kind != Json::Kind::object) return out;
  for (const auto& [key, v] : j->members) {
    if (v.kind == Json::Kind::number && !is_timing_or_id(key)) out.emplace_back(key, v.number);
  }
  return out;
}

FileTree replicated_tree(const std::vector<FileTree>& replications) {
  FileTree tree;
  std::vector<std::vector<std::pair<std::string, double>>> kpis;
  std::vector<Series> series;
  std::string scenario;
  std::vector<std::string> seeds;  // as written (exact 64-bit integers)
  std::vector<std::vector<std::pair<std::string, Json>>> uncertain;  // each replication's drawn inputs
  for (std::size_t i = 0; i < replications.size(); ++i) {
    const std::string* summary = replications[i].find("summary.json");
    kpis.push_back(summary ? summary_kpis(*summary) : std::vector<std::pair<std::string, double>>{});
    const std::optional<Json> parsed = summary ? parse_json(*summary) : std::nullopt;
    if (scenario.empty()) scenario = text_of(parsed, "scenario");
    const Json* seed = parsed ? parsed->get("seed") : nullptr;
    seeds.push_back(seed && seed->kind == Json::Kind::number ? seed->text : "null");
    const Json* u = parsed ? parsed->get("uncertain") : nullptr;
    uncertain.push_back(u && u->kind == Json::Kind::object ? u->members : decltype(u->members){});
    const std::string* ts = replications[i].find("timeseries.csv");
    series.push_back(ts ? read_series(*ts) : Series{});
  }
  std::string j = "{\n  \"kind\": \"replications\",\n  \"scenario\": " + json_string(scenario) +
                  ",\n  \"seed\": " + (seeds.empty() ? std::string("null") : seeds[0]) +
                  ",\n  \"replications\": " + std::to_string(replications.size()) + ",\n  \"seeds\": [";
  for (std::size_t i = 0; i < seeds.size(); ++i) j += (i ? ", " : "") + seeds[i];
  j += "],\n  \"kpis\": {";
  // KPI names in replication 0's order; each KPI over the replications that report it.
  const std::vector<std::pair<std::string, double>> names = kpis.empty() ? decltype(names){} : kpis[0];
  bool first = true;
  for (const auto& [name, unused] : names) {
    std::vector<double> values;
    for (const auto& rep : kpis) {
      for (const auto& [k, v] : rep) {
        if (k == name) values.push_back(v);
      }
    }
    j += (first ? "\n    " : ",\n    ") + json_string(name) + ": " + stats_json(run::kpi_stats(values));
    first = false;
  }
  j += "\n  }";
  if (!uncertain.empty() && !uncertain[0].empty()) {
    // What the `uncertain:` inputs took over the replications: the sampled spread behind the
    // KPIs' bands, with the extremes drawn.
    j += ",\n  \"uncertain\": {";
    bool first_input = true;
    for (const auto& [path, unused] : uncertain[0]) {
      std::vector<double> values;
      for (const auto& rep : uncertain) {
        for (const auto& [k, x] : rep) {
          if (k == path && x.kind == Json::Kind::number) values.push_back(x.number);
        }
      }
      if (values.empty()) continue;
      const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
      std::string stats = stats_json(run::kpi_stats(values));
      stats.pop_back();  // the closing brace: min and max follow
      j += (first_input ? "\n    " : ",\n    ") + json_string(path) + ": " + stats + ", \"min\": " + format_number(*lo) +
           ", \"max\": " + format_number(*hi) + "}";
      first_input = false;
    }
    j += "\n  }";
  }
  j += ",\n  \"dcsim_version\": " + json_string(DCSIM_VERSION) +
       ",\n  \"format_version\": " + std::to_string(kFormatVersion) + "\n}\n";
  tree.add("summary.json", j);
  tree.add("timeseries_bands.csv", render_bands(series));
  if (!uncertain.empty() && !uncertain[0].empty()) {
    // One row per replication: its seed and the value each `uncertain:` input took.
    std::string csv = "replication,seed";
    for (const auto& [path, unused] : uncertain[0]) csv += "," + csv_field(path);
    csv += "\n";
    for (std::size_t i = 0; i < uncertain.size(); ++i) {
      csv += std::to_string(i + 1) + "," + seeds[i];
      for (const auto& [path, unused] : uncertain[0]) {
        const Json* v = nullptr;
        for (const auto& [k, x] : uncertain[i]) {
          if (k == path) v = &x;
        }
        csv += "," + (v && v->kind == Json::Kind::number ? v->text : std::string());
      }
      csv += "\n";
    }
    tree.add("replications.csv", csv);
  }
  if (!replications.empty()) {
    if (const std::string* resolved = replications[0].find("scenario.resolved.yaml")) {
      tree.add("scenario.resolved.yaml", *resolved);
    }
  }
  for (std::size_t i = 0; i < replications.size(); ++i) tree.add_tree("replications/" + rep_folder(i), replications[i]);
  return tree;
}

const RunKpi* RunKpis::find(const std::string& name) const {
  for (const RunKpi& k : kpis) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

std::optional<RunKpis> kpis_of_tree(const FileTree& tree) {
  const std::string* summary = tree.find("summary.json");
  if (!summary) return std::nullopt;
  const std::optional<Json> j = parse_json(*summary);
  if (!j || j->kind != Json::Kind::object) return std::nullopt;
  RunKpis out;
  out.scenario = text_of(j, "scenario");
  const Json* stats = j->get("kpis");
  if (!stats || stats->kind != Json::Kind::object) {
    for (const auto& [name, v] : summary_kpis(*summary)) {
      RunKpi k;
      k.name = name;
      k.value = v;
      k.samples = {v};
      k.stats = run::kpi_stats(k.samples);
      out.kpis.push_back(std::move(k));
    }
    return out;
  }
  out.replications = static_cast<int>(number_or_nan(j->get("replications")));
  std::vector<std::vector<std::pair<std::string, double>>> reps;
  for (int i = 0; i < out.replications; ++i) {
    const std::string* rs = tree.find("replications/" + rep_folder(static_cast<std::size_t>(i)) + "/summary.json");
    if (rs) reps.push_back(summary_kpis(*rs));
  }
  for (const auto& [name, v] : stats->members) {
    RunKpi k;
    k.name = name;
    k.stats.n = static_cast<std::size_t>(out.replications);
    k.stats.mean = number_or_nan(v.get("mean"));
    k.stats.sd = number_or_nan(v.get("sd"));
    k.stats.ci95_low = number_or_nan(v.get("ci95_low"));
    k.stats.ci95_high = number_or_nan(v.get("ci95_high"));
    k.stats.p10 = number_or_nan(v.get("p10"));
    k.stats.p50 = number_or_nan(v.get("p50"));
    k.stats.p90 = number_or_nan(v.get("p90"));
    k.value = k.stats.mean;
    for (const auto& rep : reps) {
      for (const auto& [rk, rv] : rep) {
        if (rk == name) k.samples.push_back(rv);
      }
    }
    out.kpis.push_back(std::move(k));
  }
  return out;
}

namespace {

bool read_text(const fs::path& p, std::string& out) {
  std::ifstream f(p, std::ios::binary);
  if (!f) return false;
  std::ostringstream s;
  s << f.rdbuf();
  out = s.str();
  return true;
}

}  // namespace

std::optional<RunKpis> kpis_of_folder(const fs::path& folder, std::string& error) {
  FileTree tree;
  std::string summary;
  if (!read_text(folder / "summary.json", summary)) {
    error = quoted(folder) + " has no summary.json; is it a dcsim results folder?";
    return std::nullopt;
  }
  const std::optional<Json> j = parse_json(summary);
  if (!j || j->kind != Json::Kind::object) {
    error = quoted(folder / "summary.json") + " is not valid JSON";
    return std::nullopt;
  }
  const std::string kind = text_of(j, "kind");
  if (kind == "sweep" || kind == "sensitivity") {
    error = quoted(folder) + " is a " + kind + " folder; compare its variants (" + (folder / "variants/v0001").string() + " ...)";
    return std::nullopt;
  }
  tree.add("summary.json", summary);
  if (const Json* reps = j->get("replications"); reps && reps->kind == Json::Kind::number) {
    for (int i = 0; i < static_cast<int>(reps->number); ++i) {
      const std::string rel = "replications/" + rep_folder(static_cast<std::size_t>(i)) + "/summary.json";
      std::string text;
      if (!read_text(folder / rel, text)) {
        error = quoted(folder / rel) + " is missing";
        return std::nullopt;
      }
      tree.add(rel, std::move(text));
    }
  }
  std::optional<RunKpis> k = kpis_of_tree(tree);
  if (!k) error = quoted(folder / "summary.json") + " holds no KPIs";
  return k;
}

std::string render_sweep_csv(const std::vector<std::string>& inputs, const std::vector<SweepRow>& rows, bool replicated) {
  std::vector<std::string> names;
  for (const SweepRow& r : rows) {
    if (!r.kpis) continue;
    for (const RunKpi& k : r.kpis->kpis) {
      if (std::find(names.begin(), names.end(), k.name) == names.end()) names.push_back(k.name);
    }
  }
  std::string out = "variant";
  for (const std::string& in : inputs) out += "," + csv_field(in);
  out += ",status";
  for (const std::string& n : names) {
    out += "," + csv_field(n);
    if (replicated) out += "," + csv_field(n + "_ci95_low") + "," + csv_field(n + "_ci95_high");
  }
  out += ",error\n";
  for (const SweepRow& r : rows) {
    out += r.label;
    for (const std::string& v : r.values) out += "," + csv_field(v);
    out += r.kpis ? ",ok" : ",failed";
    for (const std::string& n : names) {
      const RunKpi* k = r.kpis ? r.kpis->find(n) : nullptr;
      out += "," + (k ? csv_number(k->value) : std::string());
      if (replicated) {
        out += "," + (k ? csv_number(k->stats.ci95_low) : std::string()) + "," +
               (k ? csv_number(k->stats.ci95_high) : std::string());
      }
    }
    out += "," + csv_field(r.error) + "\n";
  }
  return out;
}

std::string render_sweep_summary(const std::string& kind, const std::string& scenario, const std::vector<std::string>& inputs,
                                 std::size_t variants, std::size_t failed, int replications) {
  std::string j = "{\n  \"kind\": " + json_string(kind) + ",\n  \"scenario\": " + json_string(scenario) + ",\n  \"inputs\": [";
  for (std::size_t i = 0; i < inputs.size(); ++i) j += (i ? ", " : "") + json_string(inputs[i]);
  j += "],\n  \"variants\": " + std::to_string(variants) + ",\n  \"variants_failed\": " + std::to_string(failed) +
       ",\n  \"replications\": " + std::to_string(replications) + ",\n  \"dcsim_version\": " + json_string(DCSIM_VERSION) +
       ",\n  \"format_version\": " + std::to_string(kFormatVersion) + "\n}\n";
  return j;
}

const std::vector<std::string>& sensitivity_kpis() {
  static const std::vector<std::string> k = {"total_cost_usd", "p95_wait_hours", "gpu_utilization", "mean_wait_hours",
                                             "facility_energy_mwh"};
  return k;
}

std::string render_sensitivity_csv(const RunKpis& base, const std::vector<SensitivityInput>& inputs) {
  std::string out = "input,low_value,high_value,kpi,at_low,at_base,at_high,swing\n";
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto value = [nan](const RunKpis& r, const std::string& k) {
    const RunKpi* p = r.find(k);
    return p ? p->value : nan;
  };
  for (const std::string& kpi : sensitivity_kpis()) {
    std::vector<std::size_t> order(inputs.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    auto swing = [&](std::size_t i) { return value(inputs[i].high, kpi) - value(inputs[i].low, kpi); };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const double sa = std::fabs(swing(a)), sb = std::fabs(swing(b));
      if (std::isnan(sa) || std::isnan(sb)) return !std::isnan(sa) && std::isnan(sb);
      return sa > sb;
    });
    for (std::size_t i : order) {
      const SensitivityInput& in = inputs[i];
      out += csv_field(in.path) + "," + csv_field(in.low_value) + "," + csv_field(in.high_value) + "," + kpi + "," +
             csv_number(value(in.low, kpi)) + "," + csv_number(value(base, kpi)) + "," + csv_number(value(in.high, kpi)) +
             "," + csv_number(swing(i)) + "\n";
    }
  }
  return out;
}

namespace {

std::string short_number(double v) {
  if (!std::isfinite(v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string signed_number(double v) {
  if (!std::isfinite(v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%+.6g", v);
  return buf;
}

std::string pad(const std::string& s, std::size_t width, bool left = false) {
  if (s.size() >= width) return s;
  return left ? s + std::string(width - s.size(), ' ') : std::string(width - s.size(), ' ') + s;
}

}  // namespace

std::vector<CompareRow> compare_kpis(const std::vector<RunKpis>& runs) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::string> names;
  for (const RunKpis& r : runs) {
    for (const RunKpi& k : r.kpis) {
      if (std::find(names.begin(), names.end(), k.name) == names.end()) names.push_back(k.name);
    }
  }
  std::vector<CompareRow> rows;
  rows.reserve(names.size());
  for (const std::string& n : names) {
    CompareRow row;
    row.kpi = n;
    const RunKpi* a = runs.empty() ? nullptr : runs[0].find(n);
    for (const RunKpis& r : runs) {
      const RunKpi* k = r.find(n);
      row.values.push_back(k ? k->value : nan);
    }
    for (std::size_t i = 1; i < runs.size(); ++i) {
      const RunKpi* b = runs[i].find(n);
      CompareDelta d{nan, nan, nan, false};
      if (a && b) {
        d.diff = b->value - a->value;
        if (a->value != 0.0 && std::isfinite(d.diff)) d.change = d.diff / std::fabs(a->value);
        const run::WelchTest t = run::welch_t_test(a->samples, b->samples);
        if (t.valid) {
          d.p_value = t.p_value;
          d.significant = t.p_value < 0.05;
        }
      }
      row.vs_first.push_back(d);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string render_compare(const std::vector<std::string>& labels, const std::vector<RunKpis>& runs) {
  std::string out;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    out += "run" + std::to_string(i + 1) + " = " + labels[i] + " (" + runs[i].scenario;
    out += runs[i].replications > 0 ? ", " + std::to_string(runs[i].replications) + " replications)\n" : ", one run)\n";
  }
  out += "\n";
  const std::vector<CompareRow> rows = compare_kpis(runs);
  std::size_t name_width = 4;
  for (const CompareRow& row : rows) name_width = std::max(name_width, row.kpi.size());
  constexpr std::size_t w = 14;
  out += pad("kpi", name_width, true);
  for (std::size_t i = 0; i < runs.size(); ++i) out += pad("run" + std::to_string(i + 1), w);
  for (std::size_t i = 1; i < runs.size(); ++i) {
    const std::string r = "run" + std::to_string(i + 1);
    out += pad(r + "-run1", w) + pad("change", 10) + pad("p", 10) + "    ";
  }
  out += "\n";
  for (const CompareRow& row : rows) {
    std::string line = pad(row.kpi, name_width, true);
    for (double v : row.values) line += pad(short_number(v), w);
    for (const CompareDelta& d : row.vs_first) {
      std::string change = "-", p = "-";
      if (std::isfinite(d.change)) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%+.2f%%", 100.0 * d.change);
        change = buf;
      }
      if (!std::isnan(d.p_value)) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.4g", d.p_value);
        p = buf;
      }
      line += pad(signed_number(d.diff), w) + pad(change, 10) + pad(p, 10) + " " + (d.significant ? " * " : "   ");
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  bool any_test = runs.size() > 1 && runs[0].replications > 1;
  for (std::size_t i = 1; i < runs.size(); ++i) any_test = any_test && runs[i].replications > 1;
  out += any_test ? "\np: Welch's two-sided t-test on the replications; * significant at 5%\n"
                  : "\np: needs replicated runs on both sides (dcsim run --replications R)\n";
  return out;
}

}  // namespace dcsim::reports
