// Readers of the public GPU-cluster trace formats; each turns rows into TraceJob values and
// reports unreadable rows by line. The choices made for each format are in docs/traces.md.
#include "sim/traces/trace.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <unordered_map>
#include <utility>

#include <nlohmann/json.hpp>

#include "sim/traces/csv_reader.h"

namespace dcsim::traces {

namespace {

constexpr std::size_t progress_every = 4096;
constexpr std::size_t problems_named_in_error = 5;

std::string in_quotes(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '\'';
  out += text;
  out += '\'';
  return out;
}

// Collects jobs and problems while a file is read; finish() turns them into the result.
struct Collector {
  const TraceLoadOptions& options;
  TraceLoadResult result;
  std::size_t rows_read = 0;

  // Counts a row; false when the caller's progress callback asks to stop.
  bool tick() {
    ++rows_read;
    if (options.progress && rows_read % progress_every == 0 && !options.progress(rows_read)) {
      result.error = "loading cancelled after " + std::to_string(rows_read) + " rows";
      return false;
    }
    return true;
  }
  void bad(const std::string& path, int line, std::string message) {
    result.problems.push_back({line, std::move(message), path});
  }
  // True (and counted) when a job asking for no GPU is to be left out.
  bool exclude_cpu(double gpus) {
    if (gpus > 0.0 || options.include_cpu_jobs) return false;
    ++result.cpu_jobs_excluded;
    return true;
  }
};

std::string describe_problems(const std::vector<TraceRowProblem>& problems) {
  std::string text = std::to_string(problems.size()) + (problems.size() == 1 ? " row" : " rows") +
                     " cannot be read: ";
  for (std::size_t i = 0; i < problems.size() && i < problems_named_in_error; ++i) {
    if (i > 0) text += "; ";
    text += problems[i].path + ":" + std::to_string(problems[i].line) + ": " + problems[i].message;
  }
  if (problems.size() > problems_named_in_error) {
    text += "; and " + std::to_string(problems.size() - problems_named_in_error) + " more";
  }
  return text;
}

TraceLoadResult finish(Collector& c) {
  TraceLoadResult& r = c.result;
  if (r.error.empty() && !r.problems.empty()) {
    if (c.options.skip_bad_rows) {
      r.rows_skipped = r.problems.size();
    } else {
      r.error = describe_problems(r.problems);
    }
  }
  if (!r.error.empty()) {
    r.jobs.clear();
    return std::move(r);
  }
  std::stable_sort(r.jobs.begin(), r.jobs.end(),
                   [](const TraceJob& a, const TraceJob& b) { return a.submit_s < b.submit_s; });
  if (!r.jobs.empty()) {
    const double first = r.jobs.front().submit_s;
    for (TraceJob& job : r.jobs) job.submit_s -= first;
  }
  return std::move(r);
}

// ---- CSV tables -------------------------------------------------------------------------------

struct Table {
  std::optional<CsvReader> reader;
  std::vector<std::string> columns;  // names by position (the header, or the documented order)
  bool has_header = true;

  int column(std::string_view name) const {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (columns[i] == name) return static_cast<int>(i);
    }
    return -1;
  }
};

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ",") + item;
  return text;
}

// Opens a CSV table whose header names the required columns. With headerless_order, a file
// whose first row does not name the first of those columns is read as data in that order.
bool open_table(const std::string& path, const std::vector<std::string>& required, Table& table, std::string& error,
                const std::vector<std::string>& headerless_order = {}) {
  table.reader = CsvReader::open(path, error, true);
  if (!table.reader) return false;
  table.columns = table.reader->header();
  if (!headerless_order.empty() && table.column(headerless_order.front()) < 0) {
    table.reader = CsvReader::open(path, error, false);
    if (!table.reader) return false;
    table.columns = headerless_order;
    table.has_header = false;
  }
  std::vector<std::string> missing;
  for (const std::string& name : required) {
    if (table.column(name) < 0) missing.push_back(name);
  }
  if (!missing.empty()) {
    error = path + ":" + std::to_string(table.reader->header_line()) + ": missing column" +
            (missing.size() == 1 ? " " : "s ") + join(missing) + " (the header has " + join(table.columns) + ")";
    return false;
  }
  return true;
}

std::string_view field(const CsvRecord& rec, int column) {
  if (column < 0 || static_cast<std::size_t>(column) >= rec.fields.size()) return {};
  return rec.fields[static_cast<std::size_t>(column)];
}

bool blank(std::string_view text) { return text.find_first_not_of(" \t") == std::string_view::npos; }

// Reads a number from a named column; on failure sets message.
bool number(const CsvRecord& rec, int column, std::string_view name, double& value, std::string& message) {
  const std::string_view text = field(rec, column);
  if (parse_double(text, value)) return true;
  message = std::string(name) + ": " + (blank(text) ? std::string("empty") : in_quotes(text) + " is not a number");
  return false;
}

bool non_negative(const CsvRecord& rec, int column, std::string_view name, double& value, std::string& message) {
  if (!number(rec, column, name, value, message)) return false;
  if (value >= 0.0) return true;
  message = std::string(name) + ": " + in_quotes(field(rec, column)) + " is negative";
  return false;
}

bool whole(const CsvRecord& rec, int column, std::string_view name, double& value, std::string& message) {
  if (!non_negative(rec, column, name, value, message)) return false;
  if (value == std::floor(value) && value <= 1e9) return true;
  message = std::string(name) + ": " + in_quotes(field(rec, column)) + " is not a whole number";
  return false;
}

bool time_field(const CsvRecord& rec, int column, std::string_view name, double& seconds, std::string& message) {
  const std::string_view text = field(rec, column);
  if (parse_timestamp(text, seconds)) return true;
  message = std::string(name) + ": " +
            (blank(text) ? std::string("empty") : in_quotes(text) + " is neither seconds nor a date and time");
  return false;
}

bool width_ok(const Table& table, const CsvRecord& rec, std::string& message) {
  if (rec.fields.size() == table.columns.size()) return true;
  message = "has " + std::to_string(rec.fields.size()) + " fields, expected " + std::to_string(table.columns.size()) +
            (table.has_header ? " as in the header" : " (" + join(table.columns) + ")");
  return false;
}

// A CsvReader error is fatal: the rest of the file cannot be split reliably.
bool reader_failed(const Table& table, const std::string& path, Collector& c) {
  if (table.reader->error().empty()) return false;
  c.result.error = path + ": " + table.reader->error();
  return true;
}

// ---- Alibaba GPU 2023 (openb_pod_list_*.csv) --------------------------------------------------

void read_alibaba_2023(const std::string& path, Collector& c) {
  Table t;
  if (!open_table(path, {"num_gpu", "creation_time", "deletion_time"}, t, c.result.error)) return;
  const int name = t.column("name"), num_gpu = t.column("num_gpu"), gpu_milli = t.column("gpu_milli"),
            gpu_spec = t.column("gpu_spec"), qos = t.column("qos"), creation = t.column("creation_time"),
            deletion = t.column("deletion_time"), scheduled = t.column("scheduled_time");
  double trace_end = -std::numeric_limits<double>::infinity();
  std::vector<std::pair<std::size_t, double>> censored;  // job index, start time
  CsvRecord rec;
  std::string msg;
  while (t.reader->next(rec)) {
    if (!c.tick()) return;
    for (int col : {creation, deletion, scheduled}) {
      double s = 0.0;
      if (parse_double(field(rec, col), s)) trace_end = std::max(trace_end, s);
    }
    if (!width_ok(t, rec, msg)) {
      c.bad(path, rec.line, msg);
      continue;
    }
    double n = 0.0;
    if (!whole(rec, num_gpu, "num_gpu", n, msg)) {
      c.bad(path, rec.line, msg);
      continue;
    }
    double gpus = n;
    if (n == 1.0 && !blank(field(rec, gpu_milli))) {
      double milli = 0.0;
      if (!number(rec, gpu_milli, "gpu_milli", milli, msg)) {
        c.bad(path, rec.line, msg);
        continue;
      }
      if (!(milli > 0.0 && milli <= 1000.0)) {
        c.bad(path, rec.line, "gpu_milli: " + in_quotes(field(rec, gpu_milli)) + " for a pod asking one GPU (expected 1 to 1000)");
        continue;
      }
      gpus = milli / 1000.0;
    }
    if (c.exclude_cpu(gpus)) continue;
    double created = 0.0, start = 0.0, deleted = 0.0;
    if (!time_field(rec, creation, "creation_time", created, msg)) {
      c.bad(path, rec.line, msg);
      continue;
    }
    start = created;
    if (!blank(field(rec, scheduled))) {
      if (!time_field(rec, scheduled, "scheduled_time", start, msg)) {
        c.bad(path, rec.line, msg);
        continue;
      }
      if (start < created) {
        c.bad(path, rec.line, "scheduled_time " + in_quotes(field(rec, scheduled)) + " is before creation_time " +
                                  in_quotes(field(rec, creation)));
        continue;
      }
    }
    const bool open_ended = blank(field(rec, deletion));
    if (!open_ended) {
      if (!time_field(rec, deletion, "deletion_time", deleted, msg)) {
        c.bad(path, rec.line, msg);
        continue;
      }
      if (deleted < start) {
        c.bad(path, rec.line, "deletion_time " + in_quotes(field(rec, deletion)) + " is before the pod started (" +
                                  in_quotes(field(rec, blank(field(rec, scheduled)) ? creation : scheduled)) + ")");
        continue;
      }
    }
    TraceJob job{created, gpus, deleted - start, std::string(field(rec, qos)), std::string(field(rec, gpu_spec)),
                 std::string(field(rec, name))};
    if (open_ended) censored.emplace_back(c.result.jobs.size(), start);
    c.result.jobs.push_back(std::move(job));
  }
  if (reader_failed(t, path, c)) return;
  // Pods still alive when the trace ends hold their GPUs until its last recorded instant.
  for (const auto& [index, start] : censored) c.result.jobs[index].duration_s = trace_end - start;
}

// ---- Alibaba PAI 2020 (pai_job_table + pai_task_table) ----------------------------------------

struct TaskTotals {
  double gpus = 0.0;
  double first_start = std::numeric_limits<double>::infinity();
  double last_end = -std::numeric_limits<double>::infinity();
  std::vector<std::string> gpu_types;  // distinct, in file order
  int bad_line = 0;                    // a task row of this job that could not be read
};

void read_alibaba_2020(const std::string& job_path, Collector& c) {
  const std::string& task_path = c.options.task_table_path;
  if (task_path.empty()) {
    c.result.error = job_path + ": the alibaba-2020 format needs the task table (pai_task_table) as well as the job table";
    return;
  }
  const std::vector<std::string> task_columns{"job_name", "task_name", "inst_num", "status", "start_time",
                                              "end_time", "plan_cpu", "plan_mem", "plan_gpu", "gpu_type"};
  const std::vector<std::string> job_columns{"job_name", "inst_id", "user", "status", "start_time", "end_time"};

  Table tt;
  if (!open_table(task_path, {"job_name", "inst_num", "start_time", "end_time", "plan_gpu"}, tt, c.result.error,
                  task_columns)) {
    return;
  }
  std::unordered_map<std::string, TaskTotals> tasks;
  {
    const int job = tt.column("job_name"), inst = tt.column("inst_num"), start_col = tt.column("start_time"),
              end_col = tt.column("end_time"), plan = tt.column("plan_gpu"), type = tt.column("gpu_type");
    CsvRecord rec;
    std::string msg;
    while (tt.reader->next(rec)) {
      if (!c.tick()) return;
      const std::string job_name(field(rec, job));
      auto fail = [&](std::string message) {
        c.bad(task_path, rec.line, std::move(message));
        if (!job_name.empty()) {
          TaskTotals& totals = tasks[job_name];
          if (totals.bad_line == 0) totals.bad_line = rec.line;
        }
      };
      if (!width_ok(tt, rec, msg)) {
        fail(msg);
        continue;
      }
      if (job_name.empty()) {
        fail("job_name: empty");
        continue;
      }
      double instances = 0.0, percent = 0.0, start = 0.0, end = 0.0;
      if (!non_negative(rec, inst, "inst_num", instances, msg)) {
        fail(msg);
        continue;
      }
      if (!blank(field(rec, plan)) && !non_negative(rec, plan, "plan_gpu", percent, msg)) {
        fail(msg);
        continue;
      }
      const bool has_start = !blank(field(rec, start_col)), has_end = !blank(field(rec, end_col));
      if ((has_start && !time_field(rec, start_col, "start_time", start, msg)) ||
          (has_end && !time_field(rec, end_col, "end_time", end, msg))) {
        fail(msg);
        continue;
      }
      if (has_start && has_end && end < start) {
        fail("end_time " + in_quotes(field(rec, end_col)) + " is before start_time " + in_quotes(field(rec, start_col)));
        continue;
      }
      TaskTotals& totals = tasks[job_name];
      totals.gpus += instances * percent / 100.0;
      if (has_start) totals.first_start = std::min(totals.first_start, start);
      if (has_end) totals.last_end = std::max(totals.last_end, end);
      const std::string gpu_type(field(rec, type));
      if (!gpu_type.empty() &&
          std::find(totals.gpu_types.begin(), totals.gpu_types.end(), gpu_type) == totals.gpu_types.end()) {
        totals.gpu_types.push_back(gpu_type);
      }
    }
    if (reader_failed(tt, task_path, c)) return;
  }

  Table jt;
  if (!open_table(job_path, {"job_name", "start_time", "end_time"}, jt, c.result.error, job_columns)) return;
  const int job = jt.column("job_name"), user = jt.column("user"), start_col = jt.column("start_time"),
            end_col = jt.column("end_time");
  CsvRecord rec;
  std::string msg;
  while (jt.reader->next(rec)) {
    if (!c.tick()) return;
    if (!width_ok(jt, rec, msg)) {
      c.bad(job_path, rec.line, msg);
      continue;
    }
    const std::string job_name(field(rec, job));
    const auto found = tasks.find(job_name);
    if (found == tasks.end()) {
      c.bad(job_path, rec.line, "job " + in_quotes(job_name) + " has no task in " + task_path);
      continue;
    }
    const TaskTotals& totals = found->second;
    if (totals.bad_line != 0) {
      c.bad(job_path, rec.line, "job " + in_quotes(job_name) + " left out: its task at " + task_path + ":" +
                                    std::to_string(totals.bad_line) + " cannot be read");
      continue;
    }
    if (c.exclude_cpu(totals.gpus)) continue;
    double submit = 0.0;
    if (!time_field(rec, start_col, "start_time", submit, msg)) {
      c.bad(job_path, rec.line, msg);
      continue;
    }
    double duration = 0.0;
    if (std::isfinite(totals.first_start) && std::isfinite(totals.last_end) && totals.last_end >= totals.first_start) {
      duration = totals.last_end - totals.first_start;
    } else {
      double end = 0.0;
      if (!time_field(rec, end_col, "end_time", end, msg)) {
        c.bad(job_path, rec.line, msg + " (and the job's tasks have no start and end times)");
        continue;
      }
      if (end < submit) {
        c.bad(job_path, rec.line, "end_time " + in_quotes(field(rec, end_col)) + " is before start_time " +
                                      in_quotes(field(rec, start_col)));
        continue;
      }
      duration = end - submit;
    }
    std::string gpu_type;
    for (const std::string& type : totals.gpu_types) gpu_type += (gpu_type.empty() ? "" : "|") + type;
    c.result.jobs.push_back({submit, totals.gpus, duration, std::string(field(rec, user)), gpu_type, job_name});
  }
  reader_failed(jt, job_path, c);
}

// ---- Helios (cluster_log.csv) -----------------------------------------------------------------

void read_helios(const std::string& path, Collector& c) {
  Table t;
  if (!open_table(path, {"gpu_num", "submit_time"}, t, c.result.error)) return;
  const int id = t.column("job_id"), vc = t.column("vc"), gpu_num = t.column("gpu_num"),
            submit_col = t.column("submit_time"), start_col = t.column("start_time"), end_col = t.column("end_time"),
            duration_col = t.column("duration");
  if (duration_col < 0 && (start_col < 0 || end_col < 0)) {
    c.result.error = path + ":" + std::to_string(t.reader->header_line()) +
                     ": missing column duration (or start_time and end_time)";
    return;
  }
  CsvRecord rec;
  std::string msg;
  while (t.reader->next(rec)) {
    if (!c.tick()) return;
    double gpus = 0.0, submit = 0.0, duration = 0.0;
    if (!width_ok(t, rec, msg) || !non_negative(rec, gpu_num, "gpu_num", gpus, msg)) {
      c.bad(path, rec.line, msg);
      continue;
    }
    if (c.exclude_cpu(gpus)) continue;
    if (!time_field(rec, submit_col, "submit_time", submit, msg)) {
      c.bad(path, rec.line, msg);
      continue;
    }
    if (!blank(field(rec, duration_col))) {
      if (!non_negative(rec, duration_col, "duration", duration, msg)) {
        c.bad(path, rec.line, msg);
        continue;
      }
    } else {
      double start = 0.0, end = 0.0;
      if (!time_field(rec, start_col, "start_time", start, msg) || !time_field(rec, end_col, "end_time", end, msg)) {
        c.bad(path, rec.line, msg + " (and duration is empty)");
        continue;
      }
      if (end < start) {
        c.bad(path, rec.line, "end_time " + in_quotes(field(rec, end_col)) + " is before start_time " +
                                  in_quotes(field(rec, start_col)));
        continue;
      }
      duration = end - start;
    }
    c.result.jobs.push_back({submit, gpus, duration, std::string(field(rec, vc)), "", std::string(field(rec, id))});
  }
  reader_failed(t, path, c);
}

// ---- dcsim's own CSV --------------------------------------------------------------------------

void read_dcsim_csv(const std::string& path, Collector& c) {
  Table t;
  if (!open_table(path, {"submit_s", "gpus", "duration_s"}, t, c.result.error)) return;
  const int submit_col = t.column("submit_s"), gpus_col = t.column("gpus"), duration_col = t.column("duration_s"),
            tenant = t.column("tenant"), gpu_type = t.column("gpu_type"), id = t.column("id");
  CsvRecord rec;
  std::string msg;
  std::size_t row = 0;
  while (t.reader->next(rec)) {
    if (!c.tick()) return;
    ++row;
    double submit = 0.0, gpus = 0.0, duration = 0.0;
    if (!width_ok(t, rec, msg) || !number(rec, submit_col, "submit_s", submit, msg) ||
        !non_negative(rec, gpus_col, "gpus", gpus, msg) || !non_negative(rec, duration_col, "duration_s", duration, msg)) {
      c.bad(path, rec.line, msg);
      continue;
    }
    if (c.exclude_cpu(gpus)) continue;
    std::string job_id = id >= 0 ? std::string(field(rec, id)) : std::to_string(row);
    c.result.jobs.push_back(
        {submit, gpus, duration, std::string(field(rec, tenant)), std::string(field(rec, gpu_type)), std::move(job_id)});
  }
  reader_failed(t, path, c);
}

// ---- Microsoft Philly (cluster_job_log, JSON) -------------------------------------------------

using Json = nlohmann::json;

// A member that is a string; "None" and null (Philly's marks of an unknown time) give nullptr.
const std::string* text_member(const Json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return nullptr;
  const std::string& text = it->get_ref<const std::string&>();
  return text == "None" ? nullptr : &text;
}

bool json_time(const Json& object, const char* key, const char* what, double& seconds, std::string& message) {
  const std::string* text = text_member(object, key);
  if (text != nullptr && parse_timestamp(*text, seconds)) return true;
  message = std::string(what) + " " + key + " is " + (text == nullptr ? "missing or None" : in_quotes(*text));
  return false;
}

// The message for a job that cannot be used, or "" when job was filled in.
std::string philly_job(const Json& entry, TraceJob& job) {
  if (!entry.is_object()) return "not a JSON object";
  std::string msg;
  if (!json_time(entry, "submitted_time", "the job's", job.submit_s, msg)) return msg;
  const auto attempts = entry.find("attempts");
  if (attempts == entry.end() || !attempts->is_array() || attempts->empty()) return "the job has no attempts";
  const Json& first = attempts->front();
  const Json& last = attempts->back();
  if (!first.is_object() || !last.is_object()) return "an attempt is not a JSON object";
  double start = 0.0, end = 0.0;
  if (!json_time(first, "start_time", "the first attempt's", start, msg)) return msg;
  if (!json_time(last, "end_time", "the last attempt's", end, msg)) return msg;
  if (end < start) return "the last attempt ends before the first starts";
  const auto detail = first.find("detail");
  if (detail == first.end() || !detail->is_array()) return "the first attempt has no detail list";
  std::size_t gpus = 0;
  for (const Json& machine : *detail) {
    const auto list = machine.is_object() ? machine.find("gpus") : machine.end();
    if (!machine.is_object() || list == machine.end() || !list->is_array()) {
      return "a machine of the first attempt's detail has no gpus list";
    }
    gpus += list->size();
  }
  if (gpus == 0) return "the first attempt lists no GPU";
  job.gpus = static_cast<double>(gpus);
  job.duration_s = end - start;
  const std::string* vc = text_member(entry, "vc");
  const std::string* id = text_member(entry, "jobid");
  job.tenant = vc != nullptr ? *vc : "";
  job.id = id != nullptr ? *id : "";
  return "";
}

void read_philly(const std::string& path, Collector& c) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    c.result.error = path + ": cannot open the file for reading";
    return;
  }
  Json log;
  try {
    log = Json::parse(in);
  } catch (const Json::exception& e) {
    c.result.error = path + ": not valid JSON: " + e.what();
    return;
  }
  if (!log.is_array()) {
    c.result.error = path + ": expected a JSON array of jobs (the Philly cluster_job_log)";
    return;
  }
  int index = 0;
  for (const Json& entry : log) {
    ++index;
    if (!c.tick()) return;
    TraceJob job;
    const std::string msg = philly_job(entry, job);
    if (msg.empty()) {
      c.result.jobs.push_back(std::move(job));
    } else {
      c.bad(path, index, "job " + std::to_string(index) + ": " + msg);
    }
  }
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool digits(std::string_view text, std::size_t pos, std::size_t count, int& value) {
  if (pos + count > text.size()) return false;
  value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

bool parse_timestamp(std::string_view text, double& seconds) {
  if (parse_double(text, seconds)) return true;
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (!text.empty() && text.back() == 'Z') text.remove_suffix(1);
  // YYYY-MM-DD hh:mm:ss[.fraction]
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (text.size() < 19 || !digits(text, 0, 4, year) || text[4] != '-' || !digits(text, 5, 2, month) ||
      text[7] != '-' || !digits(text, 8, 2, day) || (text[10] != ' ' && text[10] != 'T') ||
      !digits(text, 11, 2, hour) || text[13] != ':' || !digits(text, 14, 2, minute) || text[16] != ':' ||
      !digits(text, 17, 2, second)) {
    return false;
  }
  double fraction = 0.0;
  if (text.size() > 19) {
    if (text[19] != '.' || text.size() == 20) return false;
    int digit = 0;
    double scale = 0.1;
    for (std::size_t i = 20; i < text.size(); ++i, scale /= 10.0) {
      if (!digits(text, i, 1, digit)) return false;
      fraction += digit * scale;
    }
  }
  static constexpr int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month < 1 || month > 12 || day < 1 || day > month_days[month - 1] || (month == 2 && day == 29 && !leap) ||
      hour > 23 || minute > 59 || second > 60) {
    return false;
  }
  const std::int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  seconds = static_cast<double>(days * 86400 + hour * 3600 + minute * 60 + second) + fraction;
  return true;
}

std::optional<TraceFormat> parse_trace_format(std::string_view name) {
  for (TraceFormat f : {TraceFormat::alibaba_2023, TraceFormat::alibaba_2020, TraceFormat::helios, TraceFormat::philly,
                        TraceFormat::dcsim_csv}) {
    if (trace_format_name(f) == name) return f;
  }
  return std::nullopt;
}

std::string_view trace_format_name(TraceFormat format) {
  switch (format) {
    case TraceFormat::alibaba_2023: return "alibaba-2023";
    case TraceFormat::alibaba_2020: return "alibaba-2020";
    case TraceFormat::helios: return "helios";
    case TraceFormat::philly: return "philly";
    case TraceFormat::dcsim_csv: return "csv";
  }
  return "";
}

std::string trace_format_names() { return "alibaba-2023, alibaba-2020, helios, philly, csv"; }

TraceLoadResult load_trace(const std::string& path, TraceFormat format, const TraceLoadOptions& options) {
  Collector c{options, {}, 0};
  switch (format) {
    case TraceFormat::alibaba_2023: read_alibaba_2023(path, c); break;
    case TraceFormat::alibaba_2020: read_alibaba_2020(path, c); break;
    case TraceFormat::helios: read_helios(path, c); break;
    case TraceFormat::philly: read_philly(path, c); break;
    case TraceFormat::dcsim_csv: read_dcsim_csv(path, c); break;
  }
  return finish(c);
}

NodeListResult load_alibaba_2023_nodes(const std::string& path, const TraceLoadOptions& options) {
  NodeListResult out;
  Collector c{options, {}, 0};
  Table t;
  if (!open_table(path, {"sn", "gpu", "model"}, t, out.error)) return out;
  const int sn = t.column("sn"), gpu = t.column("gpu"), model = t.column("model"), cpu = t.column("cpu_milli"),
            memory = t.column("memory_mib");
  CsvRecord rec;
  std::string msg;
  while (t.reader->next(rec)) {
    if (!c.tick()) break;
    double gpus = 0.0, cpu_milli = 0.0, memory_mib = 0.0;
    if (!width_ok(t, rec, msg) || !whole(rec, gpu, "gpu", gpus, msg) ||
        (cpu >= 0 && !non_negative(rec, cpu, "cpu_milli", cpu_milli, msg)) ||
        (memory >= 0 && !non_negative(rec, memory, "memory_mib", memory_mib, msg))) {
      c.bad(path, rec.line, msg);
      continue;
    }
    out.nodes.push_back(
        {std::string(field(rec, sn)), static_cast<int>(gpus), std::string(field(rec, model)), cpu_milli, memory_mib});
  }
  if (c.result.error.empty()) reader_failed(t, path, c);
  out.problems = std::move(c.result.problems);
  out.error = std::move(c.result.error);
  if (out.error.empty() && !out.problems.empty()) {
    if (options.skip_bad_rows) {
      out.rows_skipped = out.problems.size();
    } else {
      out.error = describe_problems(out.problems);
    }
  }
  if (!out.error.empty()) out.nodes.clear();
  return out;
}

std::map<std::string, NodeGroup> summarise_nodes(const std::vector<TraceNode>& nodes) {
  std::map<std::string, NodeGroup> groups;
  for (const TraceNode& node : nodes) {
    NodeGroup& group = groups[node.model];
    ++group.nodes;
    group.gpus += node.gpus;
  }
  return groups;
}

}  // namespace dcsim::traces
