// Formatting diagnostics for people, and the edit distance behind "did you mean" hints.
//
// Code catalogue (stable; tests/scenarios/invalid has one broken file per code):
//   S100 YAML syntax error, or the file cannot be read
//   S101 missing required key            S102 wrong type (expected a map/list/number/text)
//   S104 unknown key                     S110 missing unit (bare number)
//   S111 wrong or unknown unit           S112 value out of range
//   S113 discrete probabilities do not sum to 1
//   S114 malformed distribution          S115 invalid date
//   S116 unknown choice                  S117 duplicate name (or duplicate key)
//   S118 empirical file problem          S120 bad --set override
//   S125 expansion cannot be placed (unknown hall, outside the horizon, decided before the start)
//   S126 a file the scenario names is outside its folder tree (no --allow-outside-paths)
//   S127 a workload's tenant is not in the scenario's tenants list
//   S2xx are the builder's (sim/run): S200 unknown catalog entry, S201 job larger than every
//   hall, S202 rack over its power limit, S203 market section unusable, S205 rack too dense for
//   its cooling, S208 fleet over limits.max_gpus/max_servers, S209 horizon over limits.max_hours.
//   S206 (nesting deeper than 64) and S207 (over 1,000,000 values with aliases expanded) bound
//   the YAML document; the loader checks them first. Every code: docs/errors.md.
#include "sim/scenario/diagnostics.h"

#include <algorithm>
#include <cctype>
#include <fstream>

namespace dcsim::scenario {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions).
std::size_t edit_distance(const std::string& a, const std::string& b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

}  // namespace

std::string nearest_name(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string w = lower(word);
  const std::size_t limit = std::max<std::size_t>(1, w.size() / 3);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const std::string& c : candidates) {
    const std::size_t dist = edit_distance(w, lower(c));
    if (dist < best_distance) {
      best_distance = dist;
      best = c;
    }
  }
  return best;
}

std::string format_diagnostic(const Diagnostic& d) {
  std::string out = d.pos.file;
  if (d.pos.line > 0) {
    // Appended piecewise: `":" + std::to_string(...)` trips GCC 12's -Wrestrict false positive.
    out += ':';
    out += std::to_string(d.pos.line);
    if (d.pos.column > 0) {
      out += ':';
      out += std::to_string(d.pos.column);
    }
  }
  out += ": error[" + d.code + "]: " + d.message + "\n";
  if (d.pos.line > 0 && !d.pos.file.empty()) {
    std::ifstream in(d.pos.file, std::ios::binary);
    std::string line;
    int n = 0;
    bool found = false;
    while (in && std::getline(in, line)) {
      if (++n == d.pos.line) {
        found = true;
        break;
      }
    }
    if (found) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      out += line + "\n";
      if (d.pos.column > 0) {
        // Keep tabs so the caret lines up under tab-indented text.
        std::string pad;
        for (int i = 0; i < d.pos.column - 1; ++i)
          pad += (static_cast<std::size_t>(i) < line.size() && line[static_cast<std::size_t>(i)] == '\t') ? '\t' : ' ';
        out += pad + "^\n";
      }
    }
  }
  if (!d.hint.empty()) out += "hint: " + d.hint + "\n";
  return out;
}

}  // namespace dcsim::scenario
