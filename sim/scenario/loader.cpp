// YAML text -> validated Scenario. Walks the node tree once with the key tables of keys.h,
// collecting every problem (with its source position) instead of stopping at the first.
#include "sim/scenario/loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cassert>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "sim/engine/calendar.h"
#include "sim/engine/random.h"
#include "sim/scenario/carbon_profile.h"
#include "sim/scenario/keys.h"
#include "sim/scenario/units.h"

namespace dcsim::scenario {

std::string to_string(SchedulerPolicy p) {
  switch (p) {
    case SchedulerPolicy::fifo: return "fifo";
    case SchedulerPolicy::priority: return "priority";
    case SchedulerPolicy::fair_share: return "fair-share";
    case SchedulerPolicy::easy_backfill: break;
  }
  return "easy-backfill";
}

namespace {

using keys::Kind;
using keys::KeyDef;
using keys::ObjectDef;

constexpr const char* kSetFile = "--set";
constexpr double kMaxTimeSpanS = 1000.0 * 365.0 * 86400.0;  // no time quantity may exceed 1000 years
// Bounds on the YAML document itself. Aliases share nodes, so a small file can stand for an
// exponentially large tree ("billion laughs"); the loader walks the tree as a tree, so it
// refuses one larger than these before walking it.
constexpr std::size_t kMaxDocumentNodes = 1'000'000;
constexpr int kMaxDocumentDepth = 64;

std::string describe(const YAML::Node& n) {
  if (!n || n.IsNull()) return "nothing";
  if (n.IsMap()) return "a map";
  if (n.IsSequence()) return "a list";
  return "'" + n.Scalar() + "'";
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates,
                         const std::string& list_label) {
  const std::string near = nearest_name(word, candidates);
  if (!near.empty()) return "did you mean '" + near + "'?";
  return list_label + ": " + join(candidates);
}

std::string bound_text(double min, bool exclusive) {
  return (exclusive ? "more than " : "at least ") + units::format_number(min);
}

struct Field {
  const KeyDef* def = nullptr;
  bool present = false;
  YAML::Node key;
  YAML::Node value;
};

// Parses "2026-01-01" or "2026-01-01T06:00:00Z"; returns unix seconds or a reason.
std::optional<std::int64_t> parse_iso_date(const std::string& s, std::string& why) {
  const auto digits = [&](std::size_t at, std::size_t n, int& out) {
    if (at + n > s.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  const bool date_ok = digits(0, 4, y) && s.size() >= 10 && s[4] == '-' && digits(5, 2, mo) && s[7] == '-' &&
                       digits(8, 2, d);
  bool shape_ok = date_ok && s.size() == 10;
  if (date_ok && s.size() > 10) {
    shape_ok = s.size() == 20 && s[10] == 'T' && digits(11, 2, h) && s[13] == ':' && digits(14, 2, mi) &&
               s[16] == ':' && digits(17, 2, se) && s[19] == 'Z';
    if (!shape_ok && s.size() == 19 && s[10] == 'T') {
      why = "a date-time needs 'Z' (UTC) at the end";
      return std::nullopt;
    }
  }
  if (!shape_ok) {
    why = "not an ISO 8601 date";
    return std::nullopt;
  }
  if (y < 1970) {
    why = "year " + std::to_string(y) + " is before 1970; dates run from 1970 to 9999";
    return std::nullopt;
  }
  if (mo < 1 || mo > 12) {
    why = "month " + std::to_string(mo) + " does not exist";
    return std::nullopt;
  }
  if (d < 1 || d > engine::days_in_month(y, mo)) {
    why = "day " + std::to_string(d) + " does not exist in " + s.substr(0, 7);
    return std::nullopt;
  }
  if (h > 23 || mi > 59 || se > 59) {
    why = "time of day out of range";
    return std::nullopt;
  }
  return engine::days_from_civil({y, mo, d}) * 86400 + h * 3600 + mi * 60 + se;
}

// Splits one CSV record (RFC 4180 quotes) into trimmed fields.
std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') cur += '"', ++i;
      else if (c == '"') quoted = false;
      else cur += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  for (std::string& f : out) {
    const auto b = f.find_first_not_of(" \t");
    const auto e = f.find_last_not_of(" \t");
    f = b == std::string::npos ? std::string() : f.substr(b, e - b + 1);
  }
  return out;
}

class Loader {
 public:
  Loader(std::string file, std::string base_dir, int override_base_line)
      : file_(std::move(file)), base_dir_(std::move(base_dir)), override_base_line_(override_base_line) {}

  std::vector<Diagnostic> diagnostics;
  bool allow_outside_paths = false;

  SourcePos pos(const YAML::Node& n) const {
    const YAML::Mark m = n.Mark();
    if (m.is_null()) return {file_, 0, 0};
    if (m.line >= override_base_line_) return {kSetFile, m.line - override_base_line_ + 1, m.column + 1};
    return {file_, m.line + 1, m.column + 1};
  }

  void report(SourcePos at, std::string code, std::string message, std::string hint = {}) {
    diagnostics.push_back({std::move(at), std::move(code), std::move(message), std::move(hint)});
  }

  // S126 unless `file` (relative to the scenario's folder, or absolute) resolves, after `..` and
  // symbolic links, inside the scenario's folder tree, or the caller allowed outside paths.
  // Returns whether the path may be used.
  bool check_inside(const Field& f, const std::string& file) {
    if (allow_outside_paths || file.empty() || !f.present) return true;
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path base = fs::weakly_canonical(fs::absolute(fs::path(base_dir_), ec), ec);
    fs::path p(file);
    if (p.is_relative()) p = fs::path(base_dir_) / p;
    const fs::path target = fs::weakly_canonical(fs::absolute(p, ec), ec);
    const fs::path rel = target.lexically_relative(base);
    const bool inside = !ec && !rel.empty() && *rel.begin() != "..";
    if (!inside) {
      report(value_pos(f), "S126", "the file '" + file + "' is outside the scenario's folder",
             "files a scenario names must be in its folder or below it (after '..' and symbolic links); "
             "pass --allow-outside-paths to allow it");
    }
    return inside;
  }

  // ---- document size ---------------------------------------------------------------------------

  // Counts the nodes of the document as a tree (aliases expanded), stopping at the first bound
  // crossed; reports S206 (too deep, also any alias cycle) or S207 (too many nodes).
  bool check_document_size(const YAML::Node& root) {
    std::size_t count = 0;
    return visit_for_size(root, 1, count);
  }

  bool visit_for_size(const YAML::Node& n, int depth, std::size_t& count) {
    if (depth > kMaxDocumentDepth) {
      report(pos(n), "S206", "the scenario nests deeper than " + std::to_string(kMaxDocumentDepth) + " levels",
             "a scenario needs a few levels; check for an alias that refers to itself (&a [*a])");
      return false;
    }
    if (++count > kMaxDocumentNodes) {
      report(pos(n), "S207",
             "the scenario has more than " + std::to_string(kMaxDocumentNodes) + " values once its aliases (*name) are expanded",
             "aliases repeat the anchored content each time they are used; use fewer or smaller ones");
      return false;
    }
    if (n.IsMap()) {
      for (const auto& kv : n)
        if (!visit_for_size(kv.first, depth + 1, count) || !visit_for_size(kv.second, depth + 1, count)) return false;
    } else if (n.IsSequence()) {
      for (const auto& item : n)
        if (!visit_for_size(item, depth + 1, count)) return false;
    }
    return true;
  }

  // ---- overrides -------------------------------------------------------------------------------

  // Parses text as YAML so that its marks say "--set number index+1, at this column".
  YAML::Node parse_at(int index, std::size_t column, const std::string& text) {
    return YAML::Load(std::string(static_cast<std::size_t>(override_base_line_ + index), '\n') +
                      std::string(column, ' ') + text);
  }

  void apply_override(YAML::Node& root, const Override& o, int index) {
    const SourcePos whole{kSetFile, index + 1, 1};
    const std::string shown = "--set " + o.path + "=" + o.value;
    struct Segment {
      std::string text;
      std::size_t start;
    };
    std::vector<Segment> segments;
    for (std::size_t start = 0;;) {
      const std::size_t dot = o.path.find('.', start);
      segments.push_back({o.path.substr(start, dot == std::string::npos ? std::string::npos : dot - start), start});
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    for (const Segment& s : segments) {
      if (s.text.empty()) {
        report({kSetFile, index + 1, static_cast<int>(s.start) + 1}, "S120",
               "empty key in path '" + o.path + "' of " + shown, "write key.path=value, e.g. scheduler.policy=fifo");
        return;
      }
    }
    YAML::Node value;
    try {
      value = parse_at(index, o.path.size() + 1, o.value);
    } catch (const YAML::Exception& e) {
      // yaml-cpp marks the end of the input; point at the start of the value instead.
      report({kSetFile, index + 1, static_cast<int>(o.path.size()) + 2}, "S120", "cannot parse the value of " + shown + ": " + e.msg,
             "quote text that contains YAML punctuation");
      return;
    }
    if (!root.IsMap()) return;  // the file's own error is reported by validation

    YAML::Node node = root;
    const ObjectDef* def = &keys::scenario_object();
    bool def_known = true;  // false inside maps the tables do not describe (distribution parameters)
    std::string where = "the top level";
    for (std::size_t i = 0; i < segments.size(); ++i) {
      const Segment& seg = segments[i];
      const bool last = i + 1 == segments.size();
      const SourcePos seg_pos{kSetFile, index + 1, static_cast<int>(seg.start) + 1};
      if (node.IsSequence()) {
        std::optional<std::size_t> found;
        std::vector<std::string> names;
        for (std::size_t k = 0; k < node.size(); ++k) {
          const YAML::Node item = node[k];
          if (item.IsMap() && item["name"] && item["name"].IsScalar()) {
            names.push_back(item["name"].Scalar());
            if (!found && names.back() == seg.text) found = k;
          }
        }
        if (!found) {
          if (const auto n = units::parse_whole(seg.text); n && *n < node.size()) found = static_cast<std::size_t>(*n);
        }
        if (!found) {
          const std::string near = nearest_name(seg.text, names);
          report(seg_pos, "S120", "no item named '" + seg.text + "' in " + where + " (" + shown + ")",
                 near.empty() ? "items: " + (names.empty() ? std::string("none named") : join(names)) + "; or an index 0.." +
                                    std::to_string(node.size() == 0 ? 0 : node.size() - 1)
                              : "did you mean '" + near + "'?");
          return;
        }
        YAML::Node item = node[*found];
        if (last) {
          item = value;
          return;
        }
        node.reset(item);
        where = "'" + seg.text + "'";
        continue;
      }
      if (node.IsNull()) node = YAML::Node(YAML::NodeType::Map);  // e.g. "stop:" written without a value
      if (!node.IsMap()) {
        report(seg_pos, "S120", where + " is " + describe(node) + ", not a map: cannot set '" + seg.text + "' in it (" +
                                    shown + ")");
        return;
      }
      const KeyDef* kd = def_known ? keys::find_key(*def, seg.text) : nullptr;
      if (def_known && kd == nullptr) {
        report(seg_pos, "S120", "'" + seg.text + "' is not a key of " + (i == 0 ? "a scenario" : where) + " (" + shown + ")",
               did_you_mean(seg.text, keys::key_names(*def), "keys"));
        return;
      }
      YAML::Node child;
      bool exists = false;
      for (auto it = node.begin(); it != node.end(); ++it) {
        if (it->first.IsScalar() && it->first.Scalar() == seg.text) {
          child.reset(it->second);
          exists = true;
          break;
        }
      }
      if (last) {
        if (exists) child = value;
        else node.force_insert(key_node(index, seg.start, seg.text), value);
        return;
      }
      if (!exists) {
        child.reset(YAML::Node(YAML::NodeType::Map));
        node.force_insert(key_node(index, seg.start, seg.text), child);
      }
      if (kd != nullptr) {
        if (kd->kind == Kind::object || kd->kind == Kind::list || kd->kind == Kind::server) {
          def = kd->object;
        } else if (kd->kind == Kind::distribution || kd->kind == Kind::time_limit || kd->by_name) {
          def_known = false;
        } else {
          report(seg_pos, "S120", "'" + seg.text + "' is a single value, not a map: cannot set '" +
                                      segments[i + 1].text + "' in it (" + shown + ")");
          return;
        }
      }
      node.reset(child);
      where = "'" + seg.text + "'";
    }
  }

  // ---- uncertain inputs ------------------------------------------------------------------------

  // Reads the `uncertain:` map of the (overridden) tree and applies each entry's value like a
  // --set numbered first_index, first_index+1, ...: the mean when replication < 0, else a draw
  // from the stream (seed, "uncertain/<path>/<replication>"). Entries that cannot be read are
  // reported at their position and left out.
  std::vector<UncertainInput> apply_uncertain(YAML::Node& root, std::int64_t replication, int first_index) {
    std::vector<UncertainInput> out;
    if (!root.IsMap()) return out;
    YAML::Node map;
    bool present = false;
    for (auto it = root.begin(); it != root.end(); ++it) {
      if (it->first.IsScalar() && it->first.Scalar() == "uncertain") {
        map.reset(it->second);
        present = true;
      }
    }
    if (!present || map.IsNull()) return out;
    if (!map.IsMap()) {
      report(pos(map), "S102", "'uncertain' must be a map of key path to distribution, found " + describe(map),
             "e.g. uncertain: {sites.ashburn.pue: {uniform: {min: 1.2, max: 1.5}}}");
      return out;
    }
    std::uint64_t seed = 1;
    if (const YAML::Node s = root["seed"]; s && s.IsScalar()) {
      if (const auto n = units::parse_whole(s.Scalar())) seed = *n;
    }
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (!it->first.IsScalar() || it->first.Scalar().empty()) {
        report(pos(it->first), "S102", "expected a key path in 'uncertain', found " + describe(it->first));
        continue;
      }
      UncertainInput u;
      u.path = it->first.Scalar();
      u.pos = pos(it->first);
      const YAML::Node v = it->second;
      const keys::DistributionKindDef* kind = nullptr;
      if (v.IsMap() && v.size() == 1 && v.begin()->first.IsScalar()) {
        kind = keys::find_distribution_kind(v.begin()->first.Scalar());
      }
      if (kind == nullptr || (kind->name != "uniform" && kind->name != "normal")) {
        report(v.IsMap() && v.size() > 0 ? pos(v.begin()->first) : pos(v), "S114",
               "'uncertain: " + u.path + "' needs {uniform: {min, max}} or {normal: {mean, sd}}, found " + describe(v));
        continue;
      }
      plain_numbers_ = true;  // any number: the key's own check applies to the value drawn
      const std::optional<DistributionSpec> spec = distribution(v, pos(v), u.path, Dimension::count);
      plain_numbers_ = false;
      if (!spec) continue;
      u.spec = *spec;
      if (replication < 0) {
        u.value = u.spec.dist.mean();
      } else {
        engine::RandomStream rng(seed, "uncertain/" + u.path + "/" + std::to_string(replication));
        u.value = u.spec.dist.sample(rng);
      }
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g", u.value);
      apply_override(root, Override{u.path, buf}, first_index + static_cast<int>(out.size()));
      out.push_back(std::move(u));
    }
    return out;
  }

  bool plain_numbers_ = false;  // reading an `uncertain:` distribution: no GPU-count bounds

  YAML::Node key_node(int index, std::size_t column, const std::string& text) {
    std::string quoted = "'";
    for (char c : text) quoted += c == '\'' ? std::string("''") : std::string(1, c);
    return parse_at(index, column, quoted + "'");
  }

  SourcePos pos_of_mark(const YAML::Mark& m) const {
    if (m.is_null()) return {file_, 0, 0};
    if (m.line >= override_base_line_) return {kSetFile, m.line - override_base_line_ + 1, m.column + 1};
    return {file_, m.line + 1, m.column + 1};
  }

  // ---- maps and fields -------------------------------------------------------------------------

  bool expect_map(const YAML::Node& n, SourcePos at, const std::string& what) {
    if (n.IsMap()) return true;
    report(at, "S102", "expected a map for " + what + ", found " + describe(n));
    return false;
  }

  // Unknown keys (S104), duplicate keys (S117) and missing required keys (`missing_code`).
  void check_keys(const YAML::Node& map, const ObjectDef& def, const char* missing_code = "S101") {
    std::vector<std::pair<std::string, SourcePos>> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      const YAML::Node k = it->first;
      if (!k.IsScalar()) {
        report(pos(k), "S102", "expected a key name in " + std::string(def.what) + ", found " + describe(k));
        continue;
      }
      const std::string name = k.Scalar();
      bool duplicate = false;
      for (const auto& [prev, prev_pos] : seen) {
        if (prev == name) {
          report(pos(k), "S117", "duplicate key '" + name + "'",
                 "first written at line " + std::to_string(prev_pos.line));
          duplicate = true;
        }
      }
      if (duplicate) continue;
      seen.emplace_back(name, pos(k));
      if (keys::find_key(def, name) == nullptr) {
        report(pos(k), "S104", "unknown key '" + name + "'",
               did_you_mean(name, keys::key_names(def), "allowed keys here"));
      }
    }
    for (const KeyDef& kd : def.keys) {
      if (!kd.required) continue;
      bool present = false;
      for (const auto& s : seen) present = present || s.first == kd.name;
      if (!present) {
        std::string msg = "missing required key '" + std::string(kd.name) + "'";
        if (&def != &keys::scenario_object()) msg += " in " + std::string(def.what);
        report(pos(map), missing_code, msg, std::string(kd.name) + ": " + std::string(kd.help));
      }
    }
  }

  Field field(const YAML::Node& map, const ObjectDef& def, std::string_view name) {
    Field f;
    f.def = keys::find_key(def, name);
    assert(f.def != nullptr && "every key the loader reads is in the key tables");
    if (!map.IsMap()) return f;
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (it->first.IsScalar() && it->first.Scalar() == name) {
        f.present = true;
        f.key.reset(it->first);
        f.value.reset(it->second);
        break;
      }
    }
    return f;
  }

  SourcePos value_pos(const Field& f) const {
    if (!f.value || f.value.IsNull() || f.value.Mark().is_null()) return pos(f.key);
    return pos(f.value);
  }

  // Present and not empty; reports an empty value.
  bool has_value(const Field& f, const std::string& expected) {
    if (!f.present) return false;
    if (f.value.IsNull()) {
      report(pos(f.key), "S102", "'" + std::string(f.def->name) + "' has no value; expected " + expected,
             std::string(f.def->name) + ": " + std::string(f.def->help));
      return false;
    }
    return true;
  }

  std::optional<std::string> get_text(const Field& f) {
    if (!has_value(f, "text")) return std::nullopt;
    if (!f.value.IsScalar()) {
      report(value_pos(f), "S102", "expected text for '" + std::string(f.def->name) + "', found " + describe(f.value));
      return std::nullopt;
    }
    return f.value.Scalar();
  }

  // A plain number (no unit) at least `min`.
  std::optional<double> plain_number(const YAML::Node& v, SourcePos at, const std::string& label, double min,
                                     bool exclusive) {
    if (!v.IsScalar()) {
      report(at, "S102", "expected a number for '" + label + "', found " + describe(v));
      return std::nullopt;
    }
    const std::string& s = v.Scalar();
    const auto n = units::parse_number(s);
    if (!n) {
      double ignored = 0.0;
      const std::size_t scanned = units::scan_number(s, ignored);
      if (units::names_non_finite(s))
        report(at, "S112", "'" + label + "' must be a finite number, found '" + s + "'");
      else if (scanned > 0 && scanned == s.find_last_not_of(" \t") + 1 && !std::isfinite(ignored))
        report(at, "S112", "'" + label + "' is too large, found " + s);
      else if (scanned > 0)
        report(at, "S111", "'" + label + "' is a plain number and takes no unit, found '" + s + "'");
      else
        report(at, "S102", "expected a number for '" + label + "', found '" + s + "'");
      return std::nullopt;
    }
    if (exclusive ? !(*n > min) : !(*n >= min)) {
      report(at, "S112", "'" + label + "' must be " + bound_text(min, exclusive) + ", found " + s);
      return std::nullopt;
    }
    return n;
  }

  // A plain whole number at least `min`.
  std::optional<unsigned long long> whole_number(const YAML::Node& v, SourcePos at, const std::string& label,
                                                 double min) {
    if (!v.IsScalar()) {
      report(at, "S102", "expected a whole number for '" + label + "', found " + describe(v));
      return std::nullopt;
    }
    const std::string& s = v.Scalar();
    const auto n = units::parse_whole(s);
    if (!n) {
      double x = 0.0;
      const auto as_number = units::parse_number(s);
      const std::size_t scanned = units::scan_number(s, x);
      if (units::names_non_finite(s))
        report(at, "S112", "'" + label + "' must be a finite whole number, found '" + s + "'");
      else if ((as_number && *as_number >= 18446744073709551615.0) ||
               (scanned > 0 && scanned == s.find_last_not_of(" \t") + 1 && !std::isfinite(x)))
        report(at, "S112", "'" + label + "' is too large, found " + s);
      else if (as_number && *as_number < 0)
        report(at, "S112", "'" + label + "' must be " + bound_text(min, false) + ", found " + s);
      else if (as_number)
        report(at, "S102", "expected a whole number for '" + label + "', found " + s);
      else if (scanned > 0)
        report(at, "S111", "'" + label + "' is a count and takes no unit, found '" + s + "'");
      else
        report(at, "S102", "expected a whole number for '" + label + "', found '" + s + "'");
      return std::nullopt;
    }
    if (static_cast<double>(*n) < min) {
      report(at, "S112", "'" + label + "' must be " + bound_text(min, false) + ", found " + s);
      return std::nullopt;
    }
    return n;
  }

  std::optional<double> get_number(const Field& f) {
    if (!has_value(f, "a number")) return std::nullopt;
    return plain_number(f.value, value_pos(f), std::string(f.def->name), f.def->min, f.def->min_exclusive);
  }

  std::optional<unsigned long long> get_whole(const Field& f) {
    if (!has_value(f, "a whole number")) return std::nullopt;
    return whole_number(f.value, value_pos(f), std::string(f.def->name), f.def->min);
  }

  std::optional<units::Quantity> quantity(const YAML::Node& v, SourcePos at, const std::string& label,
                                          units::Dimension dim, bool positive) {
    if (!v.IsScalar()) {
      report(at, "S102", "expected " + std::string(units::dimension_article_name(dim)) + " for '" + label +
                             "', found " + describe(v),
             std::string(units::dimension_name(dim)) + " units: " + units::symbols_list(dim));
      return std::nullopt;
    }
    const units::QuantityResult r = units::parse_quantity(v.Scalar(), dim, label);
    if (r.error) {
      report(at, r.error->code, r.error->message, r.error->hint);
      return std::nullopt;
    }
    if (positive && !(r.value->base > 0.0)) {
      report(at, "S112", "'" + label + "' must be more than zero, found '" + v.Scalar() + "'");
      return std::nullopt;
    }
    if (dim == units::Dimension::time && r.value->base > kMaxTimeSpanS) {
      report(at, "S112", "'" + label + "' must be at most 1000 years, found '" + v.Scalar() + "'",
             label == "horizon" ? "simulate a shorter span, e.g. '10 y'; a run covers at most 1000 years"
                                : "time spans in a scenario are at most 1000 years");
      return std::nullopt;
    }
    return r.value;
  }

  std::optional<units::Quantity> get_quantity(const Field& f) {
    if (!has_value(f, std::string(units::dimension_article_name(f.def->unit))))
      return std::nullopt;
    return quantity(f.value, value_pos(f), std::string(f.def->name), f.def->unit, f.def->min_exclusive);
  }

  std::optional<std::string> get_choice(const Field& f) {
    const auto v = get_text(f);
    if (!v) return std::nullopt;
    for (const std::string& c : f.def->choices)
      if (c == *v) return v;
    report(value_pos(f), "S116", "unknown " + std::string(f.def->name) + " '" + *v + "'",
           did_you_mean(*v, f.def->choices, "choose one of"));
    return std::nullopt;
  }

  std::optional<std::int64_t> get_date(const Field& f) {
    const auto v = get_text(f);
    if (!v) return std::nullopt;
    std::string why;
    const auto t = parse_iso_date(*v, why);
    if (!t)
      report(value_pos(f), "S115", "invalid date '" + *v + "' for '" + std::string(f.def->name) + "': " + why,
             "write an ISO 8601 UTC date such as 2026-01-01 or a date-time such as 2026-01-01T06:00:00Z");
    return t;
  }

  // The items of a list field, each checked to be a map. Reports an empty list.
  std::vector<YAML::Node> get_items(const Field& f) {
    std::vector<YAML::Node> out;
    const std::string what = std::string(f.def->object->what);
    if (!has_value(f, "a list of " + what + "s")) return out;
    if (!f.value.IsSequence()) {
      report(value_pos(f), "S102",
             "expected a list of " + what + "s for '" + std::string(f.def->name) + "', found " + describe(f.value),
             "start each item on its own line with '- '");
      return out;
    }
    if (f.value.size() == 0 && f.def->required) {
      report(value_pos(f), "S112", "'" + std::string(f.def->name) + "' needs at least one " + what);
      return out;
    }
    for (std::size_t i = 0; i < f.value.size(); ++i) {
      YAML::Node item = f.value[i];
      if (expect_map(item, pos(item), "each item of '" + std::string(f.def->name) + "' (a " + what + ")"))
        out.push_back(item);
    }
    return out;
  }

  // A nested map field; checks its keys. Returns an invalid (null) node when absent or wrong.
  // An inference workload's service: map (its keys are checked by get_object).
  ServiceSpec service(const YAML::Node& m, const ObjectDef& def, SourcePos at) {
    ServiceSpec sv;
    sv.pos = at;
    if (auto v = get_whole(field(m, def, "gpus_per_replica"))) sv.gpus_per_replica = static_cast<int>(std::min<unsigned long long>(*v, 1u << 30));
    if (auto v = get_quantity(field(m, def, "throughput"))) sv.replica_rps = v->base;
    if (auto v = get_quantity(field(m, def, "latency_objective"))) sv.latency_objective_ns = v->base;
    const Field slo_f = field(m, def, "slo_target");
    if (auto v = get_number(slo_f)) {
      if (*v >= 1.0) report(value_pos(slo_f), "S112", "'slo_target' must be below 1, found " + slo_f.value.Scalar(), "e.g. 0.99");
      sv.slo_target = *v;
    }
    if (auto v = get_quantity(field(m, def, "base_rate"))) sv.base_rps = v->base;
    for (const char* key : {"daily_amplitude", "weekly_amplitude"}) {
      const Field f = field(m, def, key);
      if (auto v = get_number(f)) {
        if (*v > 1.0) report(value_pos(f), "S112", std::string("'") + key + "' must be at most 1, found " + f.value.Scalar());
        (std::string_view(key) == "daily_amplitude" ? sv.daily_amplitude : sv.weekly_amplitude) = *v;
      }
    }
    const Field peak_f = field(m, def, "peak_hour");
    if (auto v = get_number(peak_f)) {
      if (*v > 24.0) report(value_pos(peak_f), "S112", "'peak_hour' must be at most 24, found " + peak_f.value.Scalar());
      sv.peak_hour = *v;
    }
    if (auto v = get_number(field(m, def, "growth_per_year"))) sv.growth_per_year = *v;
    if (auto v = get_number(field(m, def, "noise"))) sv.noise = *v;
    if (auto v = get_number(field(m, def, "tokens_per_request"))) sv.tokens_per_request = *v;
    const Field price_f = field(m, def, "price_per_million_tokens");
    if (auto v = get_quantity(price_f)) {
      sv.price_per_million_tokens_usd = v->base;
      if (!sv.tokens_per_request) {
        report(value_pos(price_f), "S112", "'price_per_million_tokens' needs 'tokens_per_request' in the same service",
               "add e.g. 'tokens_per_request: 500'");
      }
    }
    const Field auto_f = field(m, def, "autoscaler");
    if (auto a = get_object(auto_f)) {
      const ObjectDef& adef = *auto_f.def->object;
      const Field tu_f = field(*a, adef, "target_utilization");
      if (auto v = get_number(tu_f)) {
        if (*v > 1.0) report(value_pos(tu_f), "S112", "'target_utilization' must be at most 1, found " + tu_f.value.Scalar());
        sv.target_utilization = *v;
      }
      if (auto v = get_quantity(field(*a, adef, "scale_up_delay"))) sv.scale_up_delay_s = v->base;
      if (auto v = get_quantity(field(*a, adef, "cold_start"))) sv.cold_start_s = v->base;
      if (auto v = get_whole(field(*a, adef, "min_replicas"))) sv.min_replicas = static_cast<int>(std::min<unsigned long long>(*v, 1u << 20));
      const Field max_f = field(*a, adef, "max_replicas");
      if (auto v = get_whole(max_f)) {
        sv.max_replicas = static_cast<int>(std::min<unsigned long long>(*v, 1u << 20));
        if (sv.max_replicas < sv.min_replicas) {
          report(value_pos(max_f), "S112", "'max_replicas' must be at least 'min_replicas' (" + std::to_string(sv.min_replicas) +
                                               "), found " + max_f.value.Scalar());
        }
      }
      if (auto v = get_quantity(field(*a, adef, "interval"))) sv.interval_s = v->base;
    }
    return sv;
  }

  std::optional<YAML::Node> get_object(const Field& f) {
    if (!has_value(f, "a map")) return std::nullopt;
    if (!expect_map(f.value, value_pos(f), "'" + std::string(f.def->name) + "'")) return std::nullopt;
    check_keys(f.value, *f.def->object);
    return f.value;
  }

  // A hall's `hot_spares: {<server type>: N, ...}`: each name a catalog server type of the hall's
  // rack groups (inline servers have no name: the whole-number form covers them), each N a whole
  // number that leaves at least one server of its type to run jobs.
  std::vector<std::pair<std::string, int>> spares_by_type(const Field& f, const HallSpec& hall) {
    std::vector<std::pair<std::string, int>> out;
    std::map<std::string, long long> servers;
    std::vector<std::string> names;
    for (const RackGroupSpec& r : hall.racks) {
      if (r.inline_server) continue;
      if (servers.find(r.server) == servers.end()) names.push_back(r.server);
      servers[r.server] += static_cast<long long>(r.count) * r.servers_per_rack;
    }
    std::vector<std::pair<std::string, SourcePos>> seen;
    for (auto it = f.value.begin(); it != f.value.end(); ++it) {
      if (!it->first.IsScalar() || it->first.Scalar().empty()) {
        report(pos(it->first), "S102", "expected a server type name in 'hot_spares', found " + describe(it->first),
               "e.g. hot_spares: {dgx-h100: 2}");
        continue;
      }
      const std::string name = it->first.Scalar();
      const auto first = std::find_if(seen.begin(), seen.end(), [&](const auto& p) { return p.first == name; });
      if (first != seen.end()) {
        report(pos(it->first), "S117", "duplicate key '" + name + "' in hot_spares",
               "first written at line " + std::to_string(first->second.line));
        continue;
      }
      seen.emplace_back(name, pos(it->first));
      const auto count = servers.find(name);
      if (count == servers.end()) {
        report(pos(it->first), "S200",
               "hot_spares names server type '" + name + "', but hall '" + hall.name + "' has no racks of it at the start",
               names.empty() ? std::string("the hall's racks hold inline servers only: give hot_spares a whole number")
                             : did_you_mean(name, names, "server types in the hall"));
        continue;
      }
      const auto n = whole_number(it->second, it->second.IsNull() ? pos(it->first) : pos(it->second),
                                  "hot_spares of " + name, 0);
      if (!n) continue;
      if (static_cast<long long>(std::min<unsigned long long>(*n, 1ull << 40)) >= count->second) {
        report(pos(it->second), "S112",
               "hot_spares " + std::to_string(*n) + " of type '" + name + "' in hall '" + hall.name +
                   "' leaves no server of that type to run jobs: it has " + std::to_string(count->second) + " server" +
                   (count->second == 1 ? "" : "s"),
               "use at most " + std::to_string(count->second - 1));
        continue;
      }
      out.emplace_back(name, static_cast<int>(*n));
    }
    return out;
  }

  // A hall's network fabric. The oversubscription is written 'R:1' (or 'R:S', or a bare R).
  FabricSpec read_fabric(const YAML::Node& m, const ObjectDef& def, SourcePos at) {
    FabricSpec f;
    f.pos = at;
    if (auto v = get_choice(field(m, def, "topology"))) f.topology = *v;
    if (auto v = get_whole(field(m, def, "radix"))) {
      f.radix = static_cast<int>(std::min<unsigned long long>(*v, 1u << 16));
      if (f.radix % 2 != 0) report(at, "S112", "fabric 'radix' must be even, found " + std::to_string(*v), "e.g. radix: 64");
    }
    const Field tiers_f = field(m, def, "tiers");
    if (auto v = get_whole(tiers_f)) {
      if (*v > 3) report(value_pos(tiers_f), "S112", "fabric 'tiers' must be 2 or 3, found " + std::to_string(*v));
      else f.tiers = static_cast<int>(*v);
    }
    const Field over_f = field(m, def, "oversubscription");
    if (auto v = get_text(over_f)) {
      const std::string& t = *v;
      const std::size_t colon = t.find(':');
      const auto down = units::parse_number(t.substr(0, colon));
      const auto up = colon == std::string::npos ? std::optional<double>(1.0) : units::parse_number(t.substr(colon + 1));
      if (!down || !up || !(*up > 0) || !(*down >= *up) || !std::isfinite(*down / *up)) {
        report(value_pos(over_f), "S112", "fabric 'oversubscription' must be a ratio 'R:1' with R at least 1, found '" + t + "'",
               "e.g. '1:1' (non-blocking) or '4:1' (four downlinks per uplink)");
      } else {
        f.oversubscription = *down / *up;
      }
    }
    if (auto v = get_quantity(field(m, def, "link_bandwidth"))) f.link_gbps = v->base;
    if (auto v = get_quantity(field(m, def, "link_latency"))) f.link_latency_ns = v->base;
    if (auto v = get_quantity(field(m, def, "switch_price"))) f.switch_price_usd = v->base;
    if (auto v = get_quantity(field(m, def, "optic_price"))) f.optic_price_usd = v->base;
    if (auto v = get_quantity(field(m, def, "cable_price"))) f.cable_price_usd = v->base;
    if (auto v = get_choice(field(m, def, "placement"))) f.placement = *v;
    return f;
  }

  // A site's electricity tariff: flat price, time-of-use periods, demand charge.
  void read_tariff(const YAML::Node& m, const ObjectDef& def, SiteSpec& site) {
    if (auto v = get_quantity(field(m, def, "price"))) site.electricity_usd_per_kwh = v->base;
    const Field offset_f = field(m, def, "utc_offset_h");
    if (auto v = get_number(offset_f)) {
      if (*v > 14) {
        report(value_pos(offset_f), "S112", "utc_offset_h " + units::format_number(*v) + " is out of range",
               "expected hours from UTC between -12 and 14");
      } else {
        site.tariff_utc_offset_h = *v;
      }
    }
    if (auto v = get_quantity(field(m, def, "demand_charge"))) site.demand_charge_usd_per_kw_month = v->base;
    const Field periods_f = field(m, def, "periods");
    std::vector<std::pair<std::string, SourcePos>> names;
    for (const YAML::Node& p : get_items(periods_f)) {
      const ObjectDef& pdef = *periods_f.def->object;
      check_keys(p, pdef);
      TariffPeriodSpec period;
      period.pos = pos(p);
      const Field name_f = field(p, pdef, "name");
      if (auto v = get_text(name_f)) {
        period.name = *v;
        names.emplace_back(*v, value_pos(name_f));
      }
      const Field hours_f = field(p, pdef, "hours");
      if (auto v = get_text(hours_f)) {
        int from = -1, to = -1;
        const std::size_t dash = v->find('-');
        if (dash != std::string::npos) {
          const auto a = units::parse_whole(std::string_view(*v).substr(0, dash));
          const auto b = units::parse_whole(std::string_view(*v).substr(dash + 1));
          if (a && b && *a <= 23 && *b <= 24) {
            from = static_cast<int>(*a);
            to = static_cast<int>(*b);
          }
        }
        if (from < 0 || from == to) {
          report(value_pos(hours_f), "S112", "hours '" + *v + "' is not a span of local hours",
                 "expected 'from-to' in whole hours with from in 0-23, to in 0-24 and from != to, e.g. '12-20' or "
                 "'22-6'");
        } else {
          period.from_hour = from;
          period.to_hour = to;
        }
      }
      if (auto v = get_choice(field(p, pdef, "days"))) period.days = *v;
      if (auto v = get_quantity(field(p, pdef, "price"))) period.usd_per_kwh = v->base;
      site.tariff_periods.push_back(std::move(period));
    }
    check_unique(names, "tariff period");
  }

  void check_unique(const std::vector<std::pair<std::string, SourcePos>>& names, const std::string& what) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (names[i].first == names[j].first) {
          report(names[i].second, "S117", "duplicate " + what + " name '" + names[i].first + "'",
                 "first defined at " + (names[j].second.file == kSetFile ? std::string("--set ") : std::string("line ")) +
                     std::to_string(names[j].second.line));
          break;
        }
      }
    }
  }

  // ---- distributions ---------------------------------------------------------------------------

  // A distribution parameter or discrete value: plain number for counts, time span for durations.
  std::optional<double> measured(const YAML::Node& v, SourcePos at, const std::string& label, Dimension dim,
                                 double min, bool exclusive) {
    if (dim == Dimension::count) return plain_number(v, at, label, min, exclusive);
    const auto q = quantity(v, at, label, units::Dimension::time, exclusive && min == 0.0);
    if (!q) return std::nullopt;
    return q->base;
  }

  // One GPU count (a whole number >= 1) or one duration (> 0).
  std::optional<double> single_value(const YAML::Node& v, SourcePos at, const std::string& label, Dimension dim) {
    if (dim == Dimension::count) {
      const auto n = whole_number(v, at, label, 1);
      if (!n) return std::nullopt;
      return static_cast<double>(*n);
    }
    return measured(v, at, label, dim, 0.0, true);
  }

  std::optional<DistributionSpec> distribution(const YAML::Node& v, SourcePos at, const std::string& label,
                                               Dimension dim) {
    DistributionSpec spec;
    spec.dimension = dim;
    spec.pos = at;
    if (v.IsScalar()) {
      const auto c = single_value(v, at, label, dim);
      if (!c) return std::nullopt;
      spec.dist = engine::Distribution::constant(*c);
      return spec;
    }
    const std::vector<std::string> kinds = keys::distribution_kind_names();
    if (!v.IsMap() || v.size() == 0) {
      report(at, "S114", "malformed distribution for '" + label + "': found " + describe(v),
             std::string("write a single value or a map with one of: ") + join(kinds));
      return std::nullopt;
    }
    if (v.size() > 1) {
      auto it = v.begin();
      const std::string first = it->first.Scalar();
      ++it;
      report(pos(it->first), "S114",
             "a distribution has exactly one kind; found '" + first + "' and '" + it->first.Scalar() + "'");
      return std::nullopt;
    }
    const auto it = v.begin();
    const YAML::Node kind_key = it->first;
    const YAML::Node params = it->second;
    const std::string kind_name = kind_key.IsScalar() ? kind_key.Scalar() : describe(kind_key);
    const keys::DistributionKindDef* kind = keys::find_distribution_kind(kind_name);
    if (kind == nullptr) {
      report(pos(kind_key), "S114", "unknown distribution kind '" + kind_name + "'",
             did_you_mean(kind_name, kinds, "kinds"));
      return std::nullopt;
    }
    const SourcePos params_pos = params.IsNull() ? pos(kind_key) : pos(params);
    if (!expect_map(params, params_pos, "the parameters of '" + kind_name + "'")) return std::nullopt;

    if (kind->name == "discrete") return discrete(params, params_pos, label, dim, std::move(spec));
    check_keys(params, kind->params, "S114");
    if (kind->name == "empirical") return empirical(params, kind->params, label, dim, std::move(spec));

    // Parametric kinds: every parameter from the table, then relations between them.
    std::vector<std::optional<double>> values;
    std::vector<SourcePos> value_positions;
    bool ok = true;
    for (const KeyDef& p : kind->params.keys) {
      Field f = field(params, kind->params, p.name);
      value_positions.push_back(value_pos(f));
      if (!f.present) {
        ok = false;
        values.emplace_back();
        continue;
      }
      std::optional<double> x;
      if (!has_value(f, "a number")) x = std::nullopt;
      else if (p.kind == Kind::measure)
        x = measured(f.value, value_pos(f), std::string(p.name), dim, p.min, p.min_exclusive);
      else
        x = plain_number(f.value, value_pos(f), std::string(p.name), p.min, p.min_exclusive);
      ok = ok && x.has_value();
      values.push_back(x);
    }
    if (!ok) return std::nullopt;
    const double a = *values[0];
    const double b = values.size() > 1 ? *values[1] : 0.0;
    using engine::Distribution;
    if (kind->name == "exponential") spec.dist = Distribution::exponential(a);
    else if (kind->name == "lognormal") spec.dist = Distribution::lognormal(a, b);
    else if (kind->name == "normal") spec.dist = Distribution::normal(a, b);
    else if (kind->name == "weibull") spec.dist = Distribution::weibull(a, b);
    else if (kind->name == "gamma") spec.dist = Distribution::gamma(a, b);
    else if (kind->name == "uniform") {
      if (b < a) {
        report(value_positions[1], "S112", "uniform 'max' must be at least 'min'");
        return std::nullopt;
      }
      if (dim == Dimension::count && a < 1.0 && !plain_numbers_) {
        report(value_positions[0], "S112", "uniform 'min' of a GPU count must be at least 1");
        return std::nullopt;
      }
      spec.dist = Distribution::uniform(a, b);
    }
    return spec;
  }

  std::optional<DistributionSpec> discrete(const YAML::Node& params, SourcePos params_pos, const std::string& label,
                                           Dimension dim, DistributionSpec spec) {
    if (params.size() == 0) {
      report(params_pos, "S114", "discrete distribution for '" + label + "' has no values",
             "write value: probability pairs, e.g. {discrete: {8: 0.5, 16: 0.5}}");
      return std::nullopt;
    }
    std::vector<double> values, probabilities;
    bool ok = true;
    for (auto it = params.begin(); it != params.end(); ++it) {
      const auto x = single_value(it->first, pos(it->first), label + " value", dim);
      const auto p = plain_number(it->second, pos(it->second), "probability", 0.0, false);
      if (p && *p > 1.0) {
        report(pos(it->second), "S112", "probability must be at most 1, found " + it->second.Scalar());
        ok = false;
      }
      ok = ok && x && p;
      if (x && p) {
        values.push_back(*x);
        probabilities.push_back(*p);
      }
    }
    if (!ok) return std::nullopt;
    double sum = 0.0;
    for (double p : probabilities) sum += p;
    if (std::fabs(sum - 1.0) > 1e-6) {
      report(params_pos, "S113", "discrete probabilities sum to " + units::format_number(sum) + ", not 1",
             "make the probabilities add up to 1");
      return std::nullopt;
    }
    spec.dist = engine::Distribution::discrete(std::move(values), std::move(probabilities));
    return spec;
  }

  std::optional<DistributionSpec> empirical(const YAML::Node& params, const ObjectDef& def, const std::string& label,
                                            Dimension dim, DistributionSpec spec) {
    const Field file_f = field(params, def, "file");
    const Field column_f = field(params, def, "column");
    const Field unit_f = field(params, def, "unit");
    const auto file = get_text(file_f);
    const auto column = get_text(column_f);
    std::optional<std::string> unit = unit_f.present ? get_text(unit_f) : std::string();
    double factor = 1.0;
    if (dim == Dimension::time_s) {
      if (!unit_f.present) {
        report(pos(params), "S114", "empirical durations need 'unit' (the time unit of the samples)",
               "time units: " + units::symbols_list(units::Dimension::time));
        unit.reset();
      } else if (unit) {
        const units::Unit* u = units::find_unit(*unit);
        if (u == nullptr || u->dimension != units::Dimension::time) {
          report(value_pos(unit_f), "S111", "'" + *unit + "' is not a time unit",
                 did_you_mean(*unit, units::symbols_of(units::Dimension::time), "time units"));
          unit.reset();
        } else {
          factor = u->multiply / u->divide;
        }
      }
    } else if (unit && !unit->empty()) {
      report(value_pos(unit_f), "S111", "'" + label + "' is a count; its samples take no unit");
      unit.reset();
    }
    if (!file || !column || !unit) return std::nullopt;

    if (!check_inside(file_f, *file)) return std::nullopt;
    const SourcePos at = value_pos(file_f);
    std::filesystem::path path(*file);
    if (path.is_relative()) path = std::filesystem::path(base_dir_) / path;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      report(at, "S118", "cannot read empirical file '" + path.string() + "'",
             "the path is relative to the scenario file's folder");
      return std::nullopt;
    }
    std::string line;
    int line_no = 0;
    std::vector<std::string> header;
    std::optional<std::size_t> col;
    std::vector<double> samples;
    while (std::getline(in, line)) {
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      const std::vector<std::string> cells = split_csv(line);
      if (header.empty()) {
        header = cells;
        for (std::size_t i = 0; i < header.size(); ++i)
          if (header[i] == *column) col = i;
        if (!col) {
          report(value_pos(column_f), "S118", "no column '" + *column + "' in '" + *file + "'",
                 did_you_mean(*column, header, "columns"));
          return std::nullopt;
        }
        continue;
      }
      const auto x = *col < cells.size() ? units::parse_number(cells[*col]) : std::nullopt;
      if (!x) {
        report(at, "S118",
               "'" + *file + "' line " + std::to_string(line_no) + ": " +
                   (*col < cells.size() ? "'" + cells[*col] + "' in column '" + *column + "' is not a number"
                                        : "no value in column '" + *column + "'"));
        return std::nullopt;
      }
      const double minimum = dim == Dimension::count ? 1.0 : 0.0;
      if (*x < minimum) {
        report(at, "S118", "'" + *file + "' line " + std::to_string(line_no) + ": " + cells[*col] + " is less than " +
                               units::format_number(minimum));
        return std::nullopt;
      }
      samples.push_back(*x * factor);
    }
    if (header.empty() || samples.empty()) {
      report(at, "S118", "'" + *file + "' has no samples", "the file needs a header row and at least one value");
      return std::nullopt;
    }
    spec.dist = engine::Distribution::empirical(std::move(samples));
    spec.empirical_file = *file;
    spec.empirical_column = *column;
    spec.empirical_unit = *unit;
    return spec;
  }

  std::optional<DistributionSpec> get_distribution(const Field& f) {
    if (!has_value(f, "a value or a distribution")) return std::nullopt;
    return distribution(f.value, value_pos(f), std::string(f.def->name), f.def->dist);
  }

  TimeLimitSpec get_time_limit(const Field& f) {
    TimeLimitSpec t;
    t.pos = value_pos(f);
    if (!f.present || !has_value(f, "'exact', {factor: x} or a distribution")) return t;
    const YAML::Node& v = f.value;
    if (v.IsScalar() && v.Scalar() == keys::time_limit_exact) return t;
    if (v.IsMap() && v.size() == 1 && v.begin()->first.IsScalar() &&
        v.begin()->first.Scalar() == keys::time_limit_factor_object().keys[0].name) {
      const Field ff = field(v, keys::time_limit_factor_object(), "factor");
      if (const auto x = get_number(ff)) {
        t.mode = TimeLimitSpec::Mode::factor;
        t.factor = *x;
      }
      return t;
    }
    if (v.IsScalar()) {
      double ignored = 0.0;
      if (units::scan_number(v.Scalar(), ignored) == 0) {
        report(t.pos, "S116", "unknown time_limit '" + v.Scalar() + "'",
               "write 'exact', {factor: 1.5} or a time span such as '8 h'");
        return t;
      }
    }
    if (auto d = distribution(v, t.pos, "time_limit", Dimension::time_s)) {
      t.mode = TimeLimitSpec::Mode::distribution;
      t.distribution = std::move(d);
    }
    return t;
  }

  // ---- the scenario ----------------------------------------------------------------------------

  ServerTypeSpec server_type(const YAML::Node& m, const ObjectDef& def, bool named) {
    ServerTypeSpec s;
    s.pos = pos(m);
    check_keys(m, def);
    if (named)
      if (auto v = get_text(field(m, def, "name"))) s.name = *v;
    const Field gpu = field(m, def, "gpu");
    if (auto v = get_text(gpu)) s.gpu = *v;
    s.gpu_pos = gpu.present ? value_pos(gpu) : s.pos;
    if (auto v = get_whole(field(m, def, "gpus"))) s.gpus = static_cast<int>(std::min<unsigned long long>(*v, 1u << 30));
    if (auto v = get_quantity(field(m, def, "overhead_power"))) s.overhead_w = v->base;
    if (auto v = get_quantity(field(m, def, "price"))) s.price_usd = v->base;
    // Years exactly as written when given in years, so "5 y" stays 5.
    if (auto v = get_quantity(field(m, def, "useful_life")))
      s.useful_life_years = v->unit->symbol == "y" ? v->number : v->base / 31536000.0;
    return s;
  }

  // One rack group of a hall (or of an expansion).
  RackGroupSpec rack_group(const YAML::Node& r, const ObjectDef& rdef) {
    check_keys(r, rdef);
    RackGroupSpec rack;
    rack.pos = pos(r);
    if (auto v = get_whole(field(r, rdef, "count"))) rack.count = static_cast<int>(std::min<unsigned long long>(*v, 1u << 30));
    const Field server_f = field(r, rdef, "server");
    rack.server_pos = server_f.present ? value_pos(server_f) : rack.pos;
    if (has_value(server_f, "a server name or an inline server map")) {
      if (server_f.value.IsScalar()) rack.server = server_f.value.Scalar();
      else if (expect_map(server_f.value, rack.server_pos, "'server' (a catalog name or an inline server)"))
        rack.inline_server = server_type(server_f.value, *server_f.def->object, false);
    }
    if (auto v = get_whole(field(r, rdef, "servers_per_rack")))
      rack.servers_per_rack = static_cast<int>(std::min<unsigned long long>(*v, 1u << 30));
    const Field limit_f = field(r, rdef, "power_limit");
    rack.power_limit_pos = limit_f.present ? value_pos(limit_f) : rack.pos;
    if (auto v = get_quantity(limit_f)) rack.power_limit_w = v->base;
    const Field rcool_f = field(r, rdef, "cooling");
    rack.cooling_pos = rcool_f.present ? value_pos(rcool_f) : rack.pos;
    if (auto v = get_choice(rcool_f)) rack.cooling = *v;
    const Field plan_f = field(r, rdef, "plan_to");
    if (auto v = get_number(plan_f)) {
      if (*v > 1.0) {
        report(value_pos(plan_f), "S112", "'plan_to' must be at most 1, found " + plan_f.value.Scalar(),
               "1 plans to the nameplate; 0.8 plans to 80% of it");
      }
      rack.plan_to = *v;
    }
    const Field lease_f = field(r, rdef, "lease");
    if (auto l = get_object(lease_f)) {
      rack.lease_usd_per_server_month = 0.0;
      if (auto v = get_quantity(field(*l, *lease_f.def->object, "per_server_month"))) rack.lease_usd_per_server_month = v->base;
    }
    SourcePos installed_pos = rack.pos;
    rack.installed_unix_s = read_installed(r, rdef, installed_pos);
    return rack;
  }

  Scenario build(const YAML::Node& root) {
    Scenario sc;
    const ObjectDef& top = keys::scenario_object();
    if (!root.IsMap()) {
      report({file_, 1, 1}, "S102",
             root.IsNull() ? "the scenario is empty; expected a map" : "expected a map at the top level, found " + describe(root),
             "a scenario needs at least: " + join([&] {
               std::vector<std::string> req;
               for (const KeyDef& k : top.keys)
                 if (k.required) req.emplace_back(k.name);
               return req;
             }()));
      return sc;
    }
    check_keys(root, top);
    if (auto v = get_text(field(root, top, "name"))) sc.name = *v;
    if (auto v = get_text(field(root, top, "description"))) sc.description = *v;
    if (auto v = get_date(field(root, top, "start"))) sc.start_unix_s = *v;
    start_unix_s_ = sc.start_unix_s;
    const Field horizon_f = field(root, top, "horizon");
    const auto horizon = get_quantity(horizon_f);
    if (horizon) sc.horizon_s = horizon->base;
    sc.horizon_pos = horizon_f.present ? value_pos(horizon_f) : pos(root);
    const Field warmup_f = field(root, top, "warmup");
    if (auto v = get_quantity(warmup_f)) {
      sc.warmup_s = v->base;
      if (horizon && !(sc.warmup_s < sc.horizon_s))
        report(value_pos(warmup_f), "S112", "warmup must be shorter than the horizon (" + warmup_f.value.Scalar() +
                                                " >= " + units::format_quantity(sc.horizon_s, units::Dimension::time) + ")");
    }
    if (auto v = get_whole(field(root, top, "seed"))) sc.seed = *v;

    const Field stop_f = field(root, top, "stop");
    if (auto m = get_object(stop_f))
      if (auto v = get_whole(field(*m, *stop_f.def->object, "jobs_completed"))) sc.stop_jobs_completed = *v;

    const Field catalog_f = field(root, top, "catalog");
    if (auto m = get_object(catalog_f)) {
      const ObjectDef& cat = *catalog_f.def->object;
      const Field gpus_f = field(*m, cat, "gpus");
      std::vector<std::pair<std::string, SourcePos>> names;
      for (const YAML::Node& g : get_items(gpus_f)) {
        const ObjectDef& def = *gpus_f.def->object;
        check_keys(g, def);
        GpuTypeSpec t;
        t.pos = pos(g);
        const Field name_f = field(g, def, "name");
        if (auto v = get_text(name_f)) {
          t.name = *v;
          names.emplace_back(*v, value_pos(name_f));
        }
        const auto idle = get_quantity(field(g, def, "idle_power"));
        const Field tdp_f = field(g, def, "tdp");
        const auto tdp = get_quantity(tdp_f);
        if (idle) t.idle_w = idle->base;
        if (tdp) t.tdp_w = tdp->base;
        if (idle && tdp && idle->base > tdp->base)
          report(value_pos(tdp_f), "S112", "'tdp' must be at least 'idle_power'");
        if (auto v = get_number(field(g, def, "bf16_tflops"))) t.bf16_tflops = *v;
        if (auto v = get_quantity(field(g, def, "memory"))) t.memory_gb = v->base;
        if (auto v = get_quantity(field(g, def, "price"))) t.price_usd = v->base;
        sc.catalog.gpus.push_back(std::move(t));
      }
      check_unique(names, "GPU type");
      names.clear();
      const Field servers_f = field(*m, cat, "servers");
      for (const YAML::Node& s : get_items(servers_f)) {
        sc.catalog.servers.push_back(server_type(s, *servers_f.def->object, true));
        const Field name_f = field(s, *servers_f.def->object, "name");
        if (name_f.present && name_f.value.IsScalar()) names.emplace_back(name_f.value.Scalar(), value_pos(name_f));
      }
      check_unique(names, "server type");
    }

    const Field sites_f = field(root, top, "sites");
    std::vector<std::pair<std::string, SourcePos>> site_names;
    for (const YAML::Node& s : get_items(sites_f)) {
      const ObjectDef& def = *sites_f.def->object;
      check_keys(s, def);
      SiteSpec site;
      site.pos = pos(s);
      const Field name_f = field(s, def, "name");
      if (auto v = get_text(name_f)) {
        site.name = *v;
        site_names.emplace_back(*v, value_pos(name_f));
      }
      if (auto v = get_number(field(s, def, "pue"))) site.pue = *v;
      const Field elec_f = field(s, def, "electricity");
      if (auto m = get_object(elec_f)) read_tariff(*m, *elec_f.def->object, site);
      if (auto v = get_quantity(field(s, def, "utility_feed"))) site.utility_feed_w = v->base;
      if (auto v = get_quantity(field(s, def, "backup_generation"))) site.backup_generation_w = v->base;
      const Field carbon_f = field(s, def, "carbon_g_per_kwh");
      if (auto v = get_number(carbon_f)) site.carbon_g_per_kwh = *v;
      const Field profile_f = field(s, def, "carbon_profile");
      if (auto v = get_text(profile_f); v && check_inside(profile_f, *v)) {
        // The hourly profile replaces the constant intensity: both would be ambiguous.
        if (carbon_f.present) {
          report(value_pos(profile_f), "S112", "a site takes 'carbon_g_per_kwh' or 'carbon_profile', not both",
                 "the profile gives the intensity of every hour; remove carbon_g_per_kwh");
        }
        std::filesystem::path path(*v);
        if (path.is_relative()) path = std::filesystem::path(base_dir_) / path;
        CarbonProfileRead profile = read_carbon_profile(path.lexically_normal().string(), value_pos(profile_f));
        if (profile.error) {
          diagnostics.push_back(std::move(*profile.error));
        } else {
          site.carbon_profile_file = *v;
          site.carbon_profile_g_per_kwh = std::move(profile.g_per_kwh);
        }
      }
      const Field climate_f = field(s, def, "climate");
      if (auto m = get_object(climate_f)) {
        const ObjectDef& cdef = *climate_f.def->object;
        ClimateSpec climate;
        climate.pos = value_pos(climate_f);
        if (auto v = get_choice(field(*m, cdef, "preset"))) climate.preset = *v;
        const Field epw_f = field(*m, cdef, "epw");
        if (auto v = get_text(epw_f)) climate.epw_file = *v;
        check_inside(epw_f, climate.epw_file);
        if (auto v = get_number(field(*m, cdef, "utc_offset_h"))) climate.utc_offset_h = *v;
        if (climate.preset.empty() == climate.epw_file.empty()) {
          report(climate.pos, "S114", "climate needs exactly one of 'preset' and 'epw'",
                 "e.g. {preset: temperate} or {epw: weather/site.epw}");
        }
        site.climate = climate;
      }
      const Field halls_f = field(s, def, "halls");
      std::vector<std::pair<std::string, SourcePos>> hall_names;
      for (const YAML::Node& h : get_items(halls_f)) {
        const ObjectDef& hdef = *halls_f.def->object;
        check_keys(h, hdef);
        HallSpec hall;
        hall.pos = pos(h);
        const Field hname_f = field(h, hdef, "name");
        if (auto v = get_text(hname_f)) {
          hall.name = *v;
          hall_names.emplace_back(*v, value_pos(hname_f));
        }
        if (auto v = get_quantity(field(h, hdef, "power_capacity"))) hall.power_capacity_w = v->base;
        if (auto v = get_choice(field(h, hdef, "ups_redundancy"))) hall.ups_redundancy = *v;
        if (auto v = get_whole(field(h, hdef, "ups_units"))) hall.ups_units = static_cast<int>(std::min<unsigned long long>(*v, 1000));
        if (hall.ups_redundancy == "N+1" && hall.ups_units < 2) {
          report(hall.pos, "S112", "N+1 UPS redundancy needs at least 2 units", "set ups_units: 2 or more");
        }
        const Field colo_f = field(h, hdef, "colocation");
        if (auto m = get_object(colo_f)) {
          ColocationSpec colo;
          if (auto v = get_quantity(field(*m, *colo_f.def->object, "price"))) colo.usd_per_kw_month = v->base;
          if (auto v = get_quantity(field(*m, *colo_f.def->object, "contracted"))) colo.contracted_w = v->base;
          hall.colocation = colo;
        }
        const Field cooling_f = field(h, hdef, "cooling");
        if (auto m = get_object(cooling_f)) {
          const ObjectDef& cdef = *cooling_f.def->object;
          CoolingSpec cooling;
          cooling.pos = value_pos(cooling_f);
          if (auto v = get_choice(field(*m, cdef, "type"))) cooling.type = *v;
          if (auto v = get_quantity(field(*m, cdef, "capacity"))) cooling.capacity_w = v->base;
          if (auto v = get_choice(field(*m, cdef, "redundancy"))) cooling.redundancy = *v;
          if (auto v = get_whole(field(*m, cdef, "units"))) cooling.units = static_cast<int>(std::min<unsigned long long>(*v, 1000));
          if (cooling.redundancy == "N+1" && cooling.units < 2) {
            report(cooling.pos, "S112", "N+1 redundancy needs at least 2 cooling units", "set units: 2 or more");
          }
          hall.cooling = cooling;
        }
        const Field fabric_f = field(h, hdef, "fabric");
        if (auto m = get_object(fabric_f)) hall.fabric = read_fabric(*m, *fabric_f.def->object, value_pos(fabric_f));
        const Field racks_f = field(h, hdef, "racks");
        for (const YAML::Node& r : get_items(racks_f)) hall.racks.push_back(rack_group(r, *racks_f.def->object));
        const Field spares_f = field(h, hdef, "hot_spares");
        if (spares_f.present && spares_f.value.IsMap()) {
          hall.hot_spares_by_type = spares_by_type(spares_f, hall);
        } else if (auto v = get_whole(spares_f)) {
          hall.hot_spares = static_cast<int>(std::min<unsigned long long>(*v, 1u << 30));
          // Each server type of the hall keeps at least one server to run jobs (expansions' racks
          // come later and are not spares).
          std::map<std::string, long long> servers;
          for (std::size_t i = 0; i < hall.racks.size(); ++i) {
            const RackGroupSpec& r = hall.racks[i];
            const std::string type = r.inline_server ? "inline server of rack group " + std::to_string(i + 1) : r.server;
            servers[type] += static_cast<long long>(r.count) * r.servers_per_rack;
          }
          for (const auto& [type, count] : servers) {
            if (hall.hot_spares < count) continue;
            report(value_pos(spares_f), "S112",
                   "hot_spares " + std::to_string(hall.hot_spares) + " of hall '" + hall.name + "' leaves no server of " +
                       (type.rfind("inline", 0) == 0 ? type : "type '" + type + "'") + " to run jobs: it has " +
                       std::to_string(count) + " server" + (count == 1 ? "" : "s"),
                   "hot_spares counts spares per server type in the hall; use at most " + std::to_string(count - 1));
            break;
          }
        }
        // The hall's installed date or age is that of its rack groups that give none of their own.
        SourcePos hall_installed_pos = hall.pos;
        if (const auto installed = read_installed(h, hdef, hall_installed_pos)) {
          for (RackGroupSpec& r : hall.racks)
            if (!r.installed_unix_s) r.installed_unix_s = installed;
        }
        site.halls.push_back(std::move(hall));
      }
      check_unique(hall_names, "hall");
      sc.sites.push_back(std::move(site));
    }
    check_unique(site_names, "site");

    const Field workloads_f = field(root, top, "workloads");
    std::vector<std::pair<std::string, SourcePos>> workload_names;
    for (const YAML::Node& w : get_items(workloads_f)) {
      const ObjectDef& def = *workloads_f.def->object;
      check_keys(w, def);
      WorkloadSpec wl;
      wl.pos = pos(w);
      const Field name_f = field(w, def, "name");
      if (auto v = get_text(name_f)) {
        wl.name = *v;
        workload_names.emplace_back(*v, value_pos(name_f));
      }
      if (auto v = get_choice(field(w, def, "kind"))) wl.kind = *v == "inference" ? WorkloadKind::inference : WorkloadKind::training;
      // Tenant and GPU type apply to jobs and services alike.
      const Field tenant_f = field(w, def, "tenant");
      wl.tenant_pos = tenant_f.present ? value_pos(tenant_f) : wl.pos;
      if (auto v = get_text(tenant_f)) wl.tenant = *v;
      const Field gpu_type_f = field(w, def, "gpu_type");
      wl.gpu_type_pos = gpu_type_f.present ? value_pos(gpu_type_f) : wl.pos;
      if (auto v = get_text(gpu_type_f)) wl.gpu_type = *v;
      // Read before the inference branch: a service's replicas draw this share of the span too.
      const Field gpf_f = field(w, def, "gpu_power_fraction");
      if (auto v = get_number(gpf_f)) {
        if (*v > 1.0) report(value_pos(gpf_f), "S112", "'gpu_power_fraction' must be at most 1, found " + gpf_f.value.Scalar());
        wl.gpu_power_fraction = *v;
      }
      const Field service_f = field(w, def, "service");
      if (wl.kind == WorkloadKind::inference) {
        for (const char* job_key : {"arrivals", "gpus", "duration", "duration_basis", "time_limit", "checkpoint", "initial",
                                    "communication"}) {
          const Field f = field(w, def, job_key);
          if (f.present) {
            report(value_pos(f), "S104", std::string("an inference workload takes no '") + job_key + "'",
                   "describe the service under 'service:' (throughput, base_rate, autoscaler)");
          }
        }
        if (!service_f.present) {
          report(wl.pos, "S101", "missing required key 'service' in an inference workload",
                 "service: {throughput: 20 /s, base_rate: 100 /s}");
        }
        if (auto m = get_object(service_f)) wl.service = service(*m, *service_f.def->object, value_pos(service_f));
        // A service's priority ranks it against training (capping, inference_preempts) and
        // other services; its replicas are never preempted, so `preemptible` means nothing here.
        if (auto v = get_whole(field(w, def, "priority"))) {
          wl.priority = static_cast<int>(std::min<unsigned long long>(*v, 1u << 30));
          wl.service.priority = wl.priority;
        }
        const Field preemptible_f = field(w, def, "preemptible");
        if (preemptible_f.present) {
          report(value_pos(preemptible_f), "S104", "an inference workload takes no 'preemptible': replicas are never preempted",
                 "give the service a 'priority' to rank it against training and other services");
        }
        sc.workloads.push_back(std::move(wl));
        continue;
      }
      if (service_f.present) {
        report(value_pos(service_f), "S104", "a training workload takes no 'service'", "set 'kind: inference'");
      }
      if (!field(w, def, "arrivals").present) {
        report(wl.pos, "S101", "missing required key 'arrivals' in workload", "arrivals: {rate: 30 /day}");
      }
      if (auto v = get_whole(field(w, def, "priority"))) wl.priority = static_cast<int>(std::min<unsigned long long>(*v, 1u << 30));
      if (auto v = get_choice(field(w, def, "preemptible"))) wl.preemptible = *v == "yes";
      const Field ckpt_f = field(w, def, "checkpoint");
      if (auto m = get_object(ckpt_f)) {
        if (auto v = get_quantity(field(*m, *ckpt_f.def->object, "interval"))) wl.checkpoint_interval_s = v->base;
        if (auto v = get_quantity(field(*m, *ckpt_f.def->object, "restart"))) wl.restart_s = v->base;
      }
      const Field comm_f = field(w, def, "communication");
      if (auto m = get_object(comm_f)) {
        if (auto v = get_quantity(field(*m, *comm_f.def->object, "gradient_size"))) wl.comm_gradient_gb = v->base;
        if (auto v = get_quantity(field(*m, *comm_f.def->object, "step_time"))) wl.comm_step_s = v->base;
      }
      const Field arrivals_f = field(w, def, "arrivals");
      if (auto m = get_object(arrivals_f)) {
        const ObjectDef& adef = *arrivals_f.def->object;
        if (auto v = get_choice(field(*m, adef, "process"))) {
          wl.process = *v == "trace" ? ArrivalProcess::trace : ArrivalProcess::poisson;
        }
        const Field rate_f = field(*m, adef, "rate");
        if (auto v = get_quantity(rate_f)) wl.rate_per_s = v->base;
        if (auto v = get_choice(field(*m, adef, "follows"))) wl.follows_market = *v == "market";
        wl.trace.pos = value_pos(arrivals_f);
        const Field file_f = field(*m, adef, "file");
        if (auto v = get_text(file_f)) wl.trace.file = *v;
        check_inside(file_f, wl.trace.file);
        const Field format_f = field(*m, adef, "format");
        if (auto v = get_choice(format_f)) wl.trace.format = *v;
        const Field task_table_f = field(*m, adef, "task_table");
        if (auto v = get_text(task_table_f)) wl.trace.task_table = *v;
        check_inside(task_table_f, wl.trace.task_table);
        if (auto v = get_choice(field(*m, adef, "skip_bad_rows"))) wl.trace.skip_bad_rows = *v == "yes";
        if (wl.process == ArrivalProcess::poisson && !rate_f.present) {
          report(value_pos(arrivals_f), "S101", "missing required key 'rate' in arrivals", "rate: e.g. '30 /day'");
        }
        if (wl.process == ArrivalProcess::trace && (!file_f.present || !format_f.present)) {
          report(value_pos(arrivals_f), "S101", "a trace needs 'file' and 'format'",
                 "e.g. {process: trace, file: pods.csv, format: alibaba-2023}");
        }
      }
      const Field gpus_f = field(w, def, "gpus");
      const Field duration_f = field(w, def, "duration");
      if (wl.process == ArrivalProcess::poisson) {
        for (const Field* f : {&gpus_f, &duration_f}) {
          if (!f->present) {
            report(wl.pos, "S101", "missing required key '" + std::string(f->def->name) + "' in workload",
                   std::string(f->def->name) + ": " + std::string(f->def->help));
          }
        }
      }
      if (auto d = get_distribution(gpus_f)) wl.gpus = std::move(*d);
      wl.gpus.dimension = Dimension::count;
      if (auto d = get_distribution(duration_f)) wl.duration = std::move(*d);
      wl.duration.dimension = Dimension::time_s;
      const Field basis_f = field(w, def, "duration_basis");
      wl.duration_basis_pos = basis_f.present ? value_pos(basis_f) : wl.pos;
      if (auto v = get_choice(basis_f)) wl.duration_on_h100 = *v == "h100";
      wl.time_limit = get_time_limit(field(w, def, "time_limit"));
      const Field initial_f = field(w, def, "initial");
      if (auto m = get_object(initial_f)) {
        wl.initial = read_initial(*m, *initial_f.def->object, value_pos(initial_f));
        if (wl.initial->steady_state && wl.process == ArrivalProcess::trace)
          report(value_pos(initial_f), "S112", "'steady_state: yes' needs Poisson arrivals; workload '" + wl.name + "' replays a trace",
                 "list the trace's jobs in the system at the start under running: and queued:");
      }
      sc.workloads.push_back(std::move(wl));
    }
    check_unique(workload_names, "workload");

    const Field sched_f = field(root, top, "scheduler");
    if (auto m = get_object(sched_f)) {
      const Field policy_f = field(*m, *sched_f.def->object, "policy");
      sc.scheduler_pos = policy_f.present ? value_pos(policy_f) : value_pos(sched_f);
      if (auto v = get_choice(policy_f)) {
        sc.scheduler = *v == "fifo"         ? SchedulerPolicy::fifo
                       : *v == "priority"   ? SchedulerPolicy::priority
                       : *v == "fair-share" ? SchedulerPolicy::fair_share
                                            : SchedulerPolicy::easy_backfill;
      }
      if (auto v = get_quantity(field(*m, *sched_f.def->object, "restart_cost"))) sc.scheduler_restart_cost_s = v->base;
      if (auto v = get_choice(field(*m, *sched_f.def->object, "reclaim"))) sc.scheduler_reclaim = *v == "yes";
      if (auto v = get_choice(field(*m, *sched_f.def->object, "inference_preempts")))
        sc.scheduler_inference_preempts = *v == "yes";
    }
    const Field tenants_f = field(root, top, "tenants");
    std::vector<std::pair<std::string, SourcePos>> tenant_names;
    for (const YAML::Node& t : get_items(tenants_f)) {
      const ObjectDef& tdef = *tenants_f.def->object;
      check_keys(t, tdef);
      TenantSpec tenant;
      tenant.pos = pos(t);
      const Field tname_f = field(t, tdef, "name");
      if (auto v = get_text(tname_f)) {
        tenant.name = *v;
        tenant_names.emplace_back(*v, value_pos(tname_f));
      }
      const Field guaranteed_f = field(t, tdef, "guaranteed_gpus");
      if (auto v = get_whole(guaranteed_f)) {
        if (*v > 100'000'000ULL) {
          report(value_pos(guaranteed_f), "S112",
                 "'guaranteed_gpus' of a tenant must be at most 100000000, found " + guaranteed_f.value.Scalar());
        } else {
          tenant.guaranteed_gpus = static_cast<std::int64_t>(*v);
        }
      }
      if (auto v = get_choice(field(t, tdef, "borrow"))) tenant.borrow = *v == "yes";
      const Field max_f = field(t, tdef, "max_gpus");
      if (auto v = get_whole(max_f)) {
        if (!tenant.borrow) {
          report(value_pos(max_f), "S112", "a tenant with 'borrow: no' takes no 'max_gpus' (it holds at most its guarantee)",
                 "drop max_gpus, or write borrow: yes");
        } else if (*v > 100'000'000ULL || static_cast<std::int64_t>(*v) < tenant.guaranteed_gpus) {
          report(value_pos(max_f), "S112",
                 "'max_gpus' of a tenant must be at least its guaranteed_gpus (" +
                     std::to_string(tenant.guaranteed_gpus) + ") and at most 100000000, found " + max_f.value.Scalar());
        } else {
          tenant.max_gpus = static_cast<std::int64_t>(*v);
        }
      }
      sc.tenants.push_back(std::move(tenant));
    }
    check_unique(tenant_names, "tenant");
    // With tenants listed, every workload's tenant must be one of them: a misspelt tenant would
    // otherwise run unguaranteed without a word.
    if (!sc.tenants.empty()) {
      std::vector<std::string> listed;
      for (const TenantSpec& t : sc.tenants) listed.push_back(t.name);
      for (const WorkloadSpec& w : sc.workloads) {
        if (std::find(listed.begin(), listed.end(), w.tenant) != listed.end()) continue;
        report(w.tenant_pos, "S127", "workload '" + w.name + "' names tenant '" + w.tenant + "', which 'tenants' does not list",
               did_you_mean(w.tenant, listed, "tenants listed"));
      }
    }
    const Field power_f = field(root, top, "power");
    if (auto m = get_object(power_f)) {
      if (auto v = get_choice(field(*m, *power_f.def->object, "policy")))
        sc.power.policy = *v == "admission" ? PowerSpec::Policy::admission : PowerSpec::Policy::cap;
      if (auto v = get_number(field(*m, *power_f.def->object, "throughput_exponent"))) sc.power.throughput_exponent = *v;
      if (auto v = get_choice(field(*m, *power_f.def->object, "cap_order")))
        sc.power.cap_order = *v == "priority" ? PowerSpec::CapOrder::priority : PowerSpec::CapOrder::uniform;
    }
    const Field failures_f = field(root, top, "failures");
    std::vector<std::pair<std::string, SourcePos>> failure_names;
    for (const YAML::Node& f : get_items(failures_f)) {
      const ObjectDef& fdef = *failures_f.def->object;
      check_keys(f, fdef);
      FailureSpec fs;
      fs.pos = pos(f);
      const Field fname_f = field(f, fdef, "name");
      if (auto v = get_text(fname_f)) {
        fs.name = *v;
        failure_names.emplace_back(*v, value_pos(fname_f));
      }
      const Field per_f = field(f, fdef, "per");
      fs.per_pos = per_f.present ? value_pos(per_f) : fs.pos;
      if (auto v = get_choice(per_f)) {
        fs.per_gpu = *v == "gpu";
        fs.switch_tier = *v == "leaf_switch" ? 1 : *v == "spine_switch" ? 2 : 0;
        fs.facility_unit = *v == "ups" ? 1 : *v == "cooling_unit" ? 2 : 0;
        fs.per_link = *v == "link";
      }
      if (auto d = get_distribution(field(f, fdef, "time_between"))) fs.time_between = std::move(*d);
      fs.time_between.dimension = Dimension::time_s;
      if (auto d = get_distribution(field(f, fdef, "repair"))) fs.repair = std::move(*d);
      fs.repair.dimension = Dimension::time_s;
      sc.failures.push_back(std::move(fs));
    }
    check_unique(failure_names, "failure");
    const Field finance_f = field(root, top, "finance");
    if (auto m = get_object(finance_f)) {
      const ObjectDef& fdef = *finance_f.def->object;
      if (auto v = get_quantity(field(*m, fdef, "price"))) sc.finance.usd_per_gpu_hour = v->base;
      const Field prices_f = field(*m, fdef, "prices");
      for (const YAML::Node& p : get_items(prices_f)) {
        const ObjectDef& pdef = *prices_f.def->object;
        check_keys(p, pdef);
        GpuPriceSpec price;
        price.pos = pos(p);
        const Field gpu_f = field(p, pdef, "gpu");
        price.gpu_pos = gpu_f.present ? value_pos(gpu_f) : price.pos;
        if (auto v = get_text(gpu_f)) price.gpu = *v;
        if (auto v = get_quantity(field(p, pdef, "on_demand"))) price.on_demand_usd_per_gpu_hour = v->base;
        const auto reserved = get_quantity(field(p, pdef, "reserved"));
        price.reserved_usd_per_gpu_hour = reserved ? reserved->base : price.on_demand_usd_per_gpu_hour;
        for (const GpuPriceSpec& other : sc.finance.prices) {
          if (gpu_f.present && other.gpu == price.gpu) {
            report(price.gpu_pos, "S117", "GPU type '" + price.gpu + "' has prices twice in finance.prices",
                   "give each GPU type one entry");
          }
        }
        sc.finance.prices.push_back(std::move(price));
      }
      const Field contracts_f = field(*m, fdef, "contracts");
      for (const YAML::Node& c : get_items(contracts_f)) {
        const ObjectDef& cdef = *contracts_f.def->object;
        check_keys(c, cdef);
        ContractSpec contract;
        contract.pos = pos(c);
        contract.start_unix_s = sc.start_unix_s;
        if (auto v = get_text(field(c, cdef, "tenant"))) contract.tenant = *v;
        const Field gpu_f = field(c, cdef, "gpu");
        contract.gpu_pos = gpu_f.present ? value_pos(gpu_f) : contract.pos;
        if (auto v = get_text(gpu_f)) contract.gpu = *v;
        const Field gpus_f = field(c, cdef, "gpus");
        if (auto v = get_whole(gpus_f)) {
          if (*v > 100'000'000ULL) {
            report(value_pos(gpus_f), "S112", "'gpus' of a contract must be at most 100000000, found " + gpus_f.value.Scalar());
          } else {
            contract.gpus = static_cast<int>(*v);
          }
        }
        if (auto v = get_date(field(c, cdef, "start"))) contract.start_unix_s = *v;
        if (auto v = get_quantity(field(c, cdef, "term"))) contract.term_s = v->base;
        if (auto v = get_quantity(field(c, cdef, "penalty"))) contract.penalty_usd_per_gpu_hour = v->base;
        sc.finance.contracts.push_back(std::move(contract));
      }
      const Field unmet_f = field(*m, fdef, "unmet");
      if (auto u = get_object(unmet_f)) {
        const ObjectDef& udef = *unmet_f.def->object;
        sc.finance.unmet_max_wait_s = 0.0;
        if (auto v = get_quantity(field(*u, udef, "max_wait"))) sc.finance.unmet_max_wait_s = v->base;
      }
      const Field burst_f = field(*m, fdef, "cloud_burst");
      if (auto b = get_object(burst_f)) {
        const ObjectDef& bdef = *burst_f.def->object;
        CloudBurstSpec burst;
        if (auto v = get_quantity(field(*b, bdef, "price"))) burst.usd_per_gpu_hour = v->base;
        if (auto v = get_quantity(field(*b, bdef, "after_wait"))) burst.after_wait_s = v->base;
        sc.finance.cloud_burst = burst;
      }
      const Field decline_f = field(*m, fdef, "price_decline_per_year");
      if (auto v = get_number(decline_f)) {
        if (*v >= 1.0) {
          report(value_pos(decline_f), "S112",
                 "'price_decline_per_year' must be less than 1, found " + decline_f.value.Scalar());
        } else {
          sc.finance.price_decline_per_year = *v;
        }
      }
      if (auto v = get_number(field(*m, fdef, "maintenance_per_year"))) sc.finance.maintenance_per_year = *v;
      if (auto v = get_quantity(field(*m, fdef, "staff_per_month"))) sc.finance.staff_usd_per_month = v->base;
      if (auto v = get_quantity(field(*m, fdef, "software_per_gpu_month"))) sc.finance.software_usd_per_gpu_month = v->base;
      if (auto v = get_quantity(field(*m, fdef, "transit_per_month"))) sc.finance.transit_usd_per_month = v->base;
      const Field tax_f = field(*m, fdef, "tax_rate");
      if (auto v = get_number(tax_f)) {
        if (*v > 1.0) report(value_pos(tax_f), "S112", "'tax_rate' must be at most 1, found " + tax_f.value.Scalar());
        sc.finance.tax_rate = *v;
      }
      const Field fy_f = field(*m, fdef, "fiscal_year_start");
      if (auto v = get_text(fy_f)) {
        static constexpr const char* kMonths[] = {"january", "february", "march",     "april",   "may",      "june",
                                                  "july",    "august",   "september", "october", "november", "december"};
        std::string lower;
        for (char c : *v) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        int month = 0;
        for (int i = 0; i < 12; ++i) {
          if (lower == kMonths[i] || lower == std::string(kMonths[i]).substr(0, 3) || lower == std::to_string(i + 1)) {
            month = i + 1;
          }
        }
        if (month == 0) {
          report(value_pos(fy_f), "S112",
                 "'fiscal_year_start' must be a month number 1-12 or a month name such as 'July', found '" + *v + "'");
        } else {
          sc.finance.fiscal_year_start_month = month;
        }
      }
      if (auto v = get_number(field(*m, fdef, "discount_rate"))) sc.finance.discount_rate = *v;
      if (auto v = get_number(field(*m, fdef, "inflation"))) sc.finance.inflation = *v;
      const Field esc_f = field(*m, fdef, "escalation");
      if (auto e = get_object(esc_f)) {
        const ObjectDef& edef = *esc_f.def->object;
        sc.finance.escalation_electricity = get_number(field(*e, edef, "electricity"));
        sc.finance.escalation_staff = get_number(field(*e, edef, "staff"));
        sc.finance.escalation_maintenance = get_number(field(*e, edef, "maintenance"));
        sc.finance.escalation_colocation = get_number(field(*e, edef, "colocation"));
      }
      const Field dep_f = field(*m, fdef, "depreciation");
      if (auto d = get_object(dep_f)) {
        const ObjectDef& ddef = *dep_f.def->object;
        if (auto v = get_choice(field(*d, ddef, "method"))) sc.finance.depreciation_method = *v;
        const auto years = [](const auto& q) { return q.unit->symbol == "y" ? q.number : q.base / 31536000.0; };
        if (auto v = get_quantity(field(*d, ddef, "servers"))) sc.finance.servers_life_years = years(*v);
        if (auto v = get_quantity(field(*d, ddef, "facility"))) sc.finance.facility_life_years = years(*v);
        if (auto v = get_quantity(field(*d, ddef, "network"))) sc.finance.network_life_years = years(*v);
      }
    }
    const Field market_f = field(root, top, "market");
    if (auto m = get_object(market_f)) {
      const ObjectDef& mdef = *market_f.def->object;
      MarketInputSpec mk;
      mk.pos = value_pos(market_f);
      if (auto v = get_choice(field(*m, mdef, "case"))) mk.scenario_case = *v;
      const Field anchors_f = field(*m, mdef, "anchors");
      for (const YAML::Node& a : get_items(anchors_f)) {
        check_keys(a, *anchors_f.def->object);
        const auto year = get_whole(field(a, *anchors_f.def->object, "year"));
        const auto usd = get_number(field(a, *anchors_f.def->object, "usd_bn"));
        if (year && usd) mk.anchors.emplace_back(static_cast<int>(std::min<unsigned long long>(*year, 9999)), *usd);
      }
      if (auto v = get_number(field(*m, mdef, "low_growth_offset"))) mk.low_growth_offset = *v;
      if (auto v = get_number(field(*m, mdef, "high_growth_offset"))) mk.high_growth_offset = *v;
      const Field demand_f = field(*m, mdef, "demand");
      if (auto d = get_object(demand_f)) {
        const ObjectDef& ddef = *demand_f.def->object;
        if (auto v = get_text(field(*d, ddef, "dimension"))) mk.demand_dimension = *v;
        if (auto v = get_text(field(*d, ddef, "segment"))) mk.demand_segment = *v;
        const Field share_f = field(*d, ddef, "market_share");
        if (auto v = get_number(share_f)) {
          if (*v > 1.0) report(value_pos(share_f), "S112", "'market_share' must be at most 1, found " + share_f.value.Scalar());
          mk.market_share = *v;
        }
        if (auto v = get_quantity(field(*d, ddef, "price"))) mk.usd_per_gpu_hour = v->base;
        const Field decline_f = field(*d, ddef, "price_decline_per_year");
        if (auto v = get_number(decline_f)) {
          if (*v >= 1.0) report(value_pos(decline_f), "S112", "'price_decline_per_year' must be below 1, found " + decline_f.value.Scalar());
          mk.price_decline_per_year = *v;
        }
      }
      sc.market = mk;
    }

    const Field limits_f = field(root, top, "limits");
    if (auto m = get_object(limits_f)) {
      const ObjectDef& ldef = *limits_f.def->object;
      LimitsSpec limits;
      limits.pos = value_pos(limits_f);
      limits.max_gpus = get_whole(field(*m, ldef, "max_gpus"));
      limits.max_servers = get_whole(field(*m, ldef, "max_servers"));
      limits.max_hours = get_whole(field(*m, ldef, "max_hours"));
      sc.limits = limits;
    }
    read_expansions(root, top, sc);
    return sc;
  }

  // Planned expansions: each names an existing hall, comes online within the horizon, and must
  // be decided (online - build - procurement lead time) no earlier than the start (S125).
  void read_expansions(const YAML::Node& root, const ObjectDef& top, Scenario& sc) {
    const Field exp_f = field(root, top, "expansions");
    std::vector<std::pair<std::string, SourcePos>> names;
    for (const YAML::Node& e : get_items(exp_f)) {
      const ObjectDef& def = *exp_f.def->object;
      check_keys(e, def);
      ExpansionSpec x;
      x.pos = pos(e);
      const Field name_f = field(e, def, "name");
      if (auto v = get_text(name_f)) {
        x.name = *v;
        names.emplace_back(*v, value_pos(name_f));
      }
      const Field site_f = field(e, def, "site");
      x.site_pos = site_f.present ? value_pos(site_f) : x.pos;
      if (auto v = get_text(site_f)) x.site = *v;
      const Field hall_f = field(e, def, "hall");
      x.hall_pos = hall_f.present ? value_pos(hall_f) : x.pos;
      if (auto v = get_text(hall_f)) x.hall = *v;
      const Field online_f = field(e, def, "online");
      x.online_pos = online_f.present ? value_pos(online_f) : x.pos;
      const auto online = get_date(online_f);
      if (online) x.online_unix_s = *online;
      if (auto v = get_quantity(field(e, def, "procurement_lead_time"))) x.procurement_lead_s = v->base;
      if (auto v = get_quantity(field(e, def, "build_lead_time"))) x.build_lead_s = v->base;
      if (auto v = get_quantity(field(e, def, "power_capacity"))) x.power_capacity_w = v->base;
      const Field feed_f = field(e, def, "utility_feed");
      if (auto v = get_quantity(feed_f)) x.utility_feed_w = v->base;
      if (auto v = get_quantity(field(e, def, "capex"))) x.capex_usd = v->base;
      const Field racks_f = field(e, def, "racks");
      for (const YAML::Node& r : get_items(racks_f)) {
        x.racks.push_back(rack_group(r, *racks_f.def->object));
        for (const char* key : {"installed", "age_months"}) {
          const Field f = field(r, *racks_f.def->object, key);
          if (f.present)
            report(value_pos(f), "S104", std::string("an expansion's racks take no '") + key + "'",
                   "they are installed at the expansion's online date; give installed to a hall's racks");
        }
      }
      if (x.racks.empty() && !x.power_capacity_w && !x.utility_feed_w) {
        report(x.pos, "S125", "expansion '" + x.name + "' adds nothing",
               "give it racks:, power_capacity: or utility_feed:");
      } else if (!hall_f.present && (!x.racks.empty() || x.power_capacity_w)) {
        report(x.pos, "S125", "expansion '" + x.name + "' adds racks or power_capacity but names no hall",
               "give it hall: (an existing hall of the site)");
      }
      // A utility upgrade (substation, interconnect) has no sourced price per MW to default to.
      if (x.utility_feed_w && !x.capex_usd) {
        report(value_pos(feed_f), "S125", "expansion '" + x.name + "' raises the utility feed but gives no capex",
               "give it capex: (the utility's connection charge and the substation work), e.g. capex: 30000000 USD");
      }
      const SiteSpec* site = nullptr;
      for (const SiteSpec& s : sc.sites)
        if (s.name == x.site) site = &s;
      if (site_f.present && site == nullptr && !sc.sites.empty()) {
        std::vector<std::string> known;
        for (const SiteSpec& s : sc.sites) known.push_back(s.name);
        report(x.site_pos, "S125", "expansion '" + x.name + "' names an unknown site '" + x.site + "'",
               "sites: " + join(known));
      } else if (site != nullptr && x.utility_feed_w && !site->utility_feed_w) {
        report(value_pos(feed_f), "S125",
               "expansion '" + x.name + "' adds utility_feed to site '" + x.site + "', which has no limit",
               "give the site a utility_feed, or leave it out of the expansion");
      }
      if (site != nullptr && hall_f.present) {
        const HallSpec* hall = nullptr;
        std::vector<std::string> known;
        for (const HallSpec& h : site->halls) {
          known.push_back(h.name);
          if (h.name == x.hall) hall = &h;
        }
        if (hall == nullptr) {
          report(x.hall_pos, "S125", "expansion '" + x.name + "' names an unknown hall '" + x.hall + "' of site '" + x.site + "'",
                 "halls of the site: " + join(known) + "; declare a new hall under the site first");
        } else if (x.power_capacity_w && !hall->power_capacity_w) {
          report(x.pos, "S125", "expansion '" + x.name + "' adds power_capacity to hall '" + x.hall + "', which has no limit",
                 "give the hall a power_capacity, or leave it out of the expansion");
        }
      }
      if (online && sc.horizon_s > 0) {
        const double online_s = static_cast<double>(x.online_unix_s - sc.start_unix_s);
        if (online_s < 0 || online_s >= sc.horizon_s) {
          report(x.online_pos, "S125", "expansion '" + x.name + "' comes online outside the horizon",
                 "online must be at or after start and before start + horizon");
        } else if (x.decision_unix_s() < sc.start_unix_s) {
          const double late_s = static_cast<double>(sc.start_unix_s - x.decision_unix_s());
          report(x.online_pos, "S125",
                 "expansion '" + x.name + "' would have to be decided " +
                     units::format_quantity(std::ceil(late_s / 86400.0) * 86400.0, units::Dimension::time) +
                     " before the start (online - build_lead_time - procurement_lead_time)",
                 "move online later, or shorten the lead times");
        }
      }
      sc.expansions.push_back(std::move(x));
    }
    check_unique(names, "expansion");
  }

 private:
  std::string file_;
  std::string base_dir_;
  int override_base_line_;
  std::int64_t start_unix_s_ = 0;  // the scenario's start, once read: installed dates and ages need it

  // installed: (a date at or before the start) or age_months: (whole months before it) of a rack
  // group or hall; `at` gets the position of the one given.
  std::optional<std::int64_t> read_installed(const YAML::Node& m, const ObjectDef& def, SourcePos& at) {
    const Field date_f = field(m, def, "installed");
    const Field age_f = field(m, def, "age_months");
    if (date_f.present && age_f.present) {
      report(value_pos(age_f), "S112", "give 'installed' or 'age_months', not both",
             "installed: a date such as 2024-01-01, or age_months: 24");
      return std::nullopt;
    }
    if (date_f.present) {
      at = value_pos(date_f);
      const auto t = get_date(date_f);
      if (t && *t > start_unix_s_) {
        report(at, "S112", "installed '" + date_f.value.Scalar() + "' is after the start",
               "servers installed during the run are an expansion (expansions:); installed is at or before the start");
        return std::nullopt;
      }
      return t;
    }
    if (!age_f.present) return std::nullopt;
    at = value_pos(age_f);
    const auto months = get_whole(age_f);
    if (!months) return std::nullopt;
    if (*months > 1200) {
      report(at, "S112", "age_months must be at most 1200 (100 years), found " + age_f.value.Scalar());
      return std::nullopt;
    }
    // The same day and time of day, `months` calendar months before the start (the day clamped
    // to the month's length), so age_months: 24 from 2027-01-01 is 2025-01-01.
    const std::int64_t day = start_unix_s_ >= 0 ? start_unix_s_ / 86400 : -((-start_unix_s_ + 86399) / 86400);
    const engine::CivilDate d = engine::civil_from_days(day);
    const std::int64_t month_index = static_cast<std::int64_t>(d.year) * 12 + (d.month - 1) - static_cast<std::int64_t>(*months);
    const int year = static_cast<int>(month_index / 12);
    const int month = static_cast<int>(month_index % 12) + 1;
    const int dom = std::min(d.day, engine::days_in_month(year, month));
    return engine::days_from_civil({year, month, dom}) * 86400 + (start_unix_s_ - day * 86400);
  }

  // A workload's initial: map (warm start).
  InitialSpec read_initial(const YAML::Node& m, const ObjectDef& def, SourcePos at) {
    InitialSpec in;
    in.pos = at;
    if (auto v = get_choice(field(m, def, "steady_state"))) in.steady_state = *v == "yes";
    const Field lookback_f = field(m, def, "lookback");
    if (auto v = get_quantity(lookback_f)) in.lookback_s = v->base;
    if (lookback_f.present && !in.steady_state)
      report(value_pos(lookback_f), "S112", "'lookback' needs 'steady_state: yes'", "drop lookback, or set steady_state: yes");
    for (const bool running : {true, false}) {
      const Field list_f = field(m, def, running ? "running" : "queued");
      for (const YAML::Node& item : get_items(list_f)) {
        const ObjectDef& jdef = *list_f.def->object;
        check_keys(item, jdef);
        InitialJobSpec job;
        job.running = running;
        job.pos = pos(item);
        if (auto v = get_whole(field(item, jdef, "gpus"))) job.gpus = static_cast<int>(std::min<unsigned long long>(*v, 1u << 30));
        if (auto v = get_quantity(field(item, jdef, "waited"))) job.waited_s = v->base;
        if (auto v = get_quantity(field(item, jdef, running ? "remaining" : "duration"))) job.remaining_s = v->base;
        if (running)
          if (auto v = get_quantity(field(item, jdef, "elapsed"))) job.elapsed_s = v->base;
        const Field limit_f = field(item, jdef, "time_limit");
        if (auto v = get_quantity(limit_f)) {
          job.time_limit_s = v->base;
          if (running && !(v->base > job.elapsed_s))
            report(value_pos(limit_f), "S112",
                   "time_limit '" + limit_f.value.Scalar() + "' of a running job must be more than its elapsed time (" +
                       units::format_quantity(job.elapsed_s, units::Dimension::time) + ")",
                   "the limit counts from the job's own start, before the scenario's start");
        }
        in.jobs.push_back(job);
      }
    }
    return in;
  }
};

LoadResult load(const std::string& text, const std::string& label, const std::string& base_dir,
                const std::vector<Override>& overrides, const std::string& source_file,
                std::int64_t uncertain_replication, const LoadOptions& options) {
  const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  Loader loader(label, base_dir, lines + 2);
  loader.allow_outside_paths = options.allow_outside_paths;
  LoadResult result;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    loader.report(loader.pos_of_mark(e.mark), "S100", "YAML syntax error: " + e.msg);
    result.diagnostics = std::move(loader.diagnostics);
    return result;
  }
  if (!loader.check_document_size(root)) {
    result.diagnostics = std::move(loader.diagnostics);
    return result;
  }
  for (std::size_t i = 0; i < overrides.size(); ++i) loader.apply_override(root, overrides[i], static_cast<int>(i));
  std::vector<UncertainInput> uncertain =
      loader.apply_uncertain(root, uncertain_replication, static_cast<int>(overrides.size()));
  Scenario sc = loader.build(root);
  sc.source_file = source_file;
  sc.uncertain = std::move(uncertain);

  std::vector<Diagnostic> diags = std::move(loader.diagnostics);
  for (Diagnostic& d : diags) {
    if (d.pos.file != kSetFile) continue;
    const auto i = static_cast<std::size_t>(d.pos.line - 1);
    if (i >= overrides.size() && i - overrides.size() < sc.uncertain.size()) {
      // A value applied for an `uncertain:` entry: point at the entry in the file.
      const UncertainInput& u = sc.uncertain[i - overrides.size()];
      const std::string shown = "--set " + u.path + "=";
      d.pos = u.pos;
      if (const std::size_t at = d.message.find(shown); at != std::string::npos) {  // a bad path
        const std::size_t end = d.message.find(')', at);
        d.message.replace(at, end == std::string::npos ? std::string::npos : end - at, "uncertain: " + u.path);
        continue;
      }
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.6g", u.value);
      d.message += std::string(" (in uncertain: ") + u.path + ", value " + buf + ")";
      continue;
    }
    if (d.code == "S120") continue;
    if (i < overrides.size()) d.message += " (in --set " + overrides[i].path + "=" + overrides[i].value + ")";
  }
  // Source order: --set problems first (in the order given), then the file's by line and column.
  std::stable_sort(diags.begin(), diags.end(), [](const Diagnostic& a, const Diagnostic& b) {
    const bool a_set = a.pos.file == kSetFile, b_set = b.pos.file == kSetFile;
    if (a_set != b_set) return a_set;
    if (a.pos.line != b.pos.line) return a.pos.line < b.pos.line;
    return a.pos.column < b.pos.column;
  });
  result.diagnostics = std::move(diags);
  if (result.diagnostics.empty()) result.scenario = std::move(sc);
  return result;
}

}  // namespace

LoadResult load_scenario_file(const std::string& path, const std::vector<Override>& overrides,
                              const LoadOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    LoadResult r;
    Diagnostic d;
    d.pos.file = path;
    d.code = "S100";
    d.message = "cannot read the scenario file";
    d.hint = "check the path";
    r.diagnostics.push_back(std::move(d));
    return r;
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  return load(text.str(), path, dir, overrides, path, -1, options);
}

LoadResult load_scenario_text(const std::string& yaml_text, const std::string& file_label, const std::string& base_dir,
                              const std::vector<Override>& overrides, std::int64_t uncertain_replication,
                              const LoadOptions& options) {
  return load(yaml_text, file_label, base_dir, overrides, "", uncertain_replication, options);
}

}  // namespace dcsim::scenario
