// The staging folder of a sweep (see sweep_store.h).
#include "cli/sweep_store.h"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <system_error>

#include "reports/many_runs.h"
#include "reports/results_folder.h"

namespace dcsim::cli {

namespace fs = std::filesystem;

namespace {

// FNV-1a, 64 bits: enough to tell two scenario texts apart, and stable across platforms.
std::uint64_t fnv1a(const std::string& text) {
  std::uint64_t h = 14695981039346656037ull;
  for (const unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string read_file(const fs::path& p, bool& ok) {
  std::ifstream f(p, std::ios::binary);
  ok = static_cast<bool>(f);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// One value per line, so that a newline inside a value cannot make two plans look alike.
std::string escaped(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string quoted(const fs::path& p) {
  std::string out(1, '\'');
  out += p.string();
  out += '\'';
  return out;
}

bool same_plan(const fs::path& folder, const std::string& plan_text) {
  bool ok = false;
  const std::string text = read_file(folder / kSweepPlanFile, ok);
  return ok && text == plan_text;
}

}  // namespace

std::string sweep_plan_text(const Plan& plan) {
  char hash[32];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(fnv1a(plan.scenario_text)));
  std::string out = "dcsim sweep plan 1\nscenario_fnv1a64: ";
  out += hash;
  out += "\nreplications: " + std::to_string(plan.replications);
  out += "\nrecord_jobs: " + std::string(plan.record_jobs ? "true" : "false") + "\n";
  for (const scenario::Override& o : plan.base_overrides) {
    out += "set: ";
    out += escaped(o.path);
    out += '=';
    out += escaped(o.value);
    out += '\n';
  }
  for (std::size_t v = 0; v < plan.variants.size(); ++v) {
    out += variant_label(v) + ":";
    for (const scenario::Override& o : plan.variants[v]) {
      out += ' ';
      out += escaped(o.path);
      out += '=';
      out += escaped(o.value);
      out += ';';
    }
    out += "\n";
  }
  return out;
}

fs::path staging_folder(const fs::path& target) {
  const fs::path name = target.filename().empty() ? target.parent_path().filename() : target.filename();
  const fs::path base = target.filename().empty() ? target.parent_path() : target;
  return base.parent_path() / (name.string() + ".partial");
}

SweepStaging prepare_sweep_staging(const fs::path& target, const std::string& plan_text, std::size_t variants,
                                   bool resume, bool replace_existing) {
  SweepStaging s;
  s.staging = staging_folder(target);
  s.done.assign(variants, false);
  std::error_code ec;
  const bool target_exists = fs::exists(target, ec);
  const bool target_same = target_exists && same_plan(target, plan_text);
  // A folder that only looks like ours is never deleted.
  if (fs::exists(s.staging, ec) && !fs::exists(s.staging / kSweepPlanFile, ec)) {
    s.error = quoted(s.staging) + " exists and is not an interrupted dcsim sweep; it is left untouched";
    return s;
  }
  if (target_exists && !replace_existing && !(resume && target_same)) {
    s.error = quoted(target) + " already exists; use --force to replace an earlier dcsim results folder" +
              (resume ? " (it holds a different sweep than this one)" : "");
    return s;
  }
  s.replace_target = true;
  if (fs::exists(s.staging, ec)) {
    if (!resume) {
      fs::remove_all(s.staging, ec);
      if (ec) {
        s.error = "cannot remove the earlier interrupted sweep '" + s.staging.string() + "': " + ec.message();
        return s;
      }
    } else if (!same_plan(s.staging, plan_text)) {
      s.error = quoted(s.staging) +
                " holds an interrupted sweep of other inputs, scenario or options; rerun that command with --resume, "
                "or this one without --resume to start over";
      return s;
    }
  } else if (resume && target_same) {
    // A finished sweep with failed variants: take it back into staging; its good variants stay.
    fs::rename(target, s.staging, ec);
    if (ec) {
      s.error = "cannot move '" + target.string() + "' back to '" + s.staging.string() + "': " + ec.message();
      return s;
    }
    fs::remove(s.staging / "sweep.csv", ec);
    fs::remove(s.staging / "summary.json", ec);
  }
  if (!fs::exists(s.staging, ec)) {
    fs::create_directories(s.staging, ec);
    if (ec || !reports::write_files_durably(s.staging, {{kSweepPlanFile, plan_text}})) {
      s.error = "cannot create '" + s.staging.string() + "'";
      return s;
    }
  }
  // Keep the variants that were renamed into place and still read back; drop everything else
  // under variants/ (temporary folders of writes that were cut short, stray files).
  const fs::path dir = s.staging / "variants";
  if (fs::is_directory(dir, ec)) {
    std::vector<fs::path> stale;
    for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
      const std::string name = e.path().filename().string();
      bool keep = false;
      for (std::size_t v = 0; v < variants && !keep; ++v) {
        if (name != variant_label(v)) continue;
        std::string why;
        keep = e.is_directory() && reports::kpis_of_folder(e.path(), why).has_value();
        s.done[v] = keep;
      }
      if (!keep) stale.push_back(e.path());
    }
    for (const fs::path& p : stale) fs::remove_all(p, ec);
  }
  return s;
}

}  // namespace dcsim::cli
