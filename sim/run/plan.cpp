// Greedy search over candidate expansions, month by month, with a one-step look-ahead
// (docs/plan.md): each step finds the first month that breaks a target and tries every unused
// candidate online at the start of that month (or at its earliest date, if later); when no
// single one comes closer to the targets, pairs of unused candidates together.
#include "sim/run/plan.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>

#include "sim/engine/calendar.h"

namespace dcsim::run {

namespace {

struct Evaluation {
  RunResult result;
  bool meets = false;
  std::string first_bad_month;  // "" when every month meets the utilization target
  engine::SimTime first_bad = -1;
};

// Monthly utilization of installed GPUs from the hourly rows (GPU-time busy / GPU-time installed,
// time-weighted over the month), judged only for the months that begin at or after `judged_from`
// (simulated time): earlier months no candidate could reach. The p95 wait is of the whole run.
Evaluation evaluate(const scenario::Scenario& sc, const std::vector<PlanTarget>& targets, engine::SimTime judged_from) {
  Evaluation e;
  RunRequest req;
  req.scenario = sc;
  e.result = run(std::move(req));
  if (!e.result.ok()) return e;
  const engine::Calendar calendar(sc.start_unix_s);
  std::map<engine::YearMonth, std::pair<double, double>> month_use;  // busy, available GPU-us
  std::map<engine::YearMonth, engine::SimTime> month_start;
  for (const model::IntervalRow& h : e.result.model.hours) {
    const engine::YearMonth m = calendar.month_of(h.start);
    month_use[m].first += h.gpus_busy * static_cast<double>(h.length);
    month_use[m].second += h.gpus_total * static_cast<double>(h.length);
    if (!month_start.count(m)) month_start[m] = h.start;
  }
  // A month is judged only if it begins at or after judged_from (its first hour row starts there).
  for (auto it = month_use.begin(); it != month_use.end();) {
    if (month_start[it->first] < judged_from) it = month_use.erase(it);
    else ++it;
  }
  e.meets = true;
  for (const PlanTarget& t : targets) {
    if (t.metric == PlanTarget::Metric::utilization) {
      for (const auto& [m, use] : month_use) {
        if (use.second > 0 && use.first / use.second > t.at_most + 1e-12) {
          if (e.first_bad < 0 || month_start[m] < e.first_bad) {
            e.first_bad = month_start[m];
            e.first_bad_month = engine::Calendar::month_label(m);
          }
          e.meets = false;
          break;
        }
      }
    } else if (e.result.model.p95_wait_hours > t.at_most + 1e-12) {
      e.meets = false;
    }
  }
  return e;
}

// Pair runs tried at one step when no single candidate helps: every pair of 10 candidates. The
// search then costs at most n + min(n(n-1)/2, 45) runs a step; pairs beyond it are not tried and
// the stop note says how many.
constexpr std::size_t kMaxPairRunsPerStep = 45;

// How close a run comes to the asked targets, compared in this order: meeting them all; then the
// first judged month that breaks a utilization target, the later the better (none: best); then
// how far the p95 wait is over the tightest p95 target. Without a p95 target the wait counts for
// nothing: a plan is judged only on what was asked.
class Closeness {
 public:
  explicit Closeness(const std::vector<PlanTarget>& targets) {
    for (const PlanTarget& t : targets) {
      if (t.metric != PlanTarget::Metric::p95_wait_hours) continue;
      p95_limit_h_ = has_p95_ ? std::min(p95_limit_h_, t.at_most) : t.at_most;
      has_p95_ = true;
    }
  }

  // > 0: a is closer to the targets than b; 0: as close; < 0: farther.
  int compare(const Evaluation& a, const Evaluation& b) const {
    if (a.meets != b.meets) return a.meets ? 1 : -1;
    if (a.meets) return 0;
    if (bad_month(a) != bad_month(b)) return bad_month(a) > bad_month(b) ? 1 : -1;
    const double over_a = p95_over_h(a), over_b = p95_over_h(b);
    if (over_a != over_b) return over_a < over_b ? 1 : -1;
    return 0;
  }

  // What a step changed, for plan.csv's `why`.
  std::string change(const Evaluation& from, const Evaluation& to) const {
    if (to.meets) return "meets the targets";
    if (bad_month(to) != bad_month(from)) {
      return "first bad month " + from.first_bad_month + " -> " + (to.first_bad_month.empty() ? "none" : to.first_bad_month);
    }
    char text[96];
    std::snprintf(text, sizeof text, "p95 wait %.1f h -> %.1f h", from.result.model.p95_wait_hours,
                  to.result.model.p95_wait_hours);
    return text;
  }

 private:
  static std::int64_t bad_month(const Evaluation& v) { return v.first_bad < 0 ? INT64_MAX : v.first_bad; }
  double p95_over_h(const Evaluation& v) const {
    return has_p95_ ? std::max(0.0, v.result.model.p95_wait_hours - p95_limit_h_) : 0.0;
  }
  bool has_p95_ = false;
  double p95_limit_h_ = 0.0;
};

std::string schedule_text(const std::vector<scenario::ExpansionSpec>& chosen) {
  std::string out;
  for (const scenario::ExpansionSpec& x : chosen) {
    if (!out.empty()) out += ", ";
    const engine::Calendar c(x.online_unix_s);
    out += x.name + "@" + c.iso8601(0).substr(0, 10);
  }
  return out.empty() ? "(none)" : out;
}

}  // namespace

PlanTarget parse_plan_target(const std::string& text, std::string& why) {
  PlanTarget t;
  why.clear();
  const auto op = text.find("<=");
  if (op == std::string::npos) {
    why = "expected METRIC<=VALUE, e.g. utilization<=0.85 or p95_wait<=24h";
    return t;
  }
  const std::string metric = text.substr(0, op);
  std::string value = text.substr(op + 2);
  double scale = 1.0;
  if (metric == "utilization") {
    t.metric = PlanTarget::Metric::utilization;
  } else if (metric == "p95_wait") {
    t.metric = PlanTarget::Metric::p95_wait_hours;
    if (!value.empty() && value.back() == 'h') value.pop_back();
    else if (!value.empty() && value.back() == 'd') value.pop_back(), scale = 24.0;
  } else {
    why = "unknown target metric '" + metric + "'; expected utilization or p95_wait";
    return t;
  }
  char* end = nullptr;
  const double v = std::strtod(value.c_str(), &end);
  if (value.empty() || end == nullptr || *end != '\0' || !std::isfinite(v) || v < 0) {
    why = "target value '" + text.substr(op + 2) + "' is not a number >= 0" +
          (t.metric == PlanTarget::Metric::p95_wait_hours ? " of hours (24h) or days (1d)" : "");
    return t;
  }
  t.at_most = v * scale;
  return t;
}

PlanResult plan(const PlanRequest& request) {
  PlanResult out;
  scenario::Scenario base = request.scenario;
  const std::vector<scenario::ExpansionSpec> candidates = base.expansions;
  base.expansions.clear();
  std::vector<bool> used(candidates.size(), false);
  std::vector<scenario::ExpansionSpec> chosen;

  // The earliest any candidate could be online: its own `online`, and never before its
  // procurement and build lead times from the start allow.
  std::int64_t earliest_unix_s = base.start_unix_s + static_cast<std::int64_t>(base.horizon_s);
  for (const scenario::ExpansionSpec& x : candidates) {
    const std::int64_t lead_s = static_cast<std::int64_t>(x.procurement_lead_s) + static_cast<std::int64_t>(x.build_lead_s);
    earliest_unix_s = std::min(earliest_unix_s, std::max(x.online_unix_s, base.start_unix_s + lead_s));
  }
  out.judged_from_unix_s = earliest_unix_s;
  const engine::SimTime judged_from = (earliest_unix_s - base.start_unix_s) * engine::kMicrosPerSecond;
  const auto evaluate_here = [&](const scenario::Scenario& sc) { return evaluate(sc, request.targets, judged_from); };
  const Closeness closeness(request.targets);

  Evaluation current = evaluate_here(base);
  if (!current.result.ok()) {
    out.diagnostics = current.result.diagnostics;
    return out;
  }
  out.trials.push_back(PlanTrial{schedule_text(chosen), current.meets, current.first_bad_month, current.result.npv_usd,
                                 "the scenario as it is"});
  while (!current.meets) {
    // The month to fix: the first that breaks the utilization target, else (only the p95 wait
    // breaks) the start, so the candidate comes online as early as it may.
    const std::int64_t fix_unix_s =
        base.start_unix_s + (current.first_bad >= 0 ? current.first_bad / engine::kMicrosPerSecond : 0);
    // Candidate c placed at the month to fix, or at its earliest date if later; none when that
    // is at or after the horizon.
    const auto placed = [&](std::size_t c) -> std::optional<scenario::ExpansionSpec> {
      scenario::ExpansionSpec x = candidates[c];
      const std::int64_t lead_s = static_cast<std::int64_t>(x.procurement_lead_s) + static_cast<std::int64_t>(x.build_lead_s);
      x.online_unix_s = std::max({x.online_unix_s, fix_unix_s, base.start_unix_s + lead_s});
      if (x.online_unix_s - base.start_unix_s >= static_cast<std::int64_t>(base.horizon_s)) return std::nullopt;
      return x;
    };
    std::vector<std::size_t> best;  // one candidate, or a pair
    Evaluation best_eval;
    std::vector<scenario::ExpansionSpec> best_x;
    // Each candidate's expansion capex when tried alone at this month (the same in a pair: capex
    // follows from the candidate, not from the run).
    std::map<std::size_t, double> alone_capex_usd;
    const auto try_schedule = [&](const std::vector<std::size_t>& picks, const std::vector<scenario::ExpansionSpec>& xs) {
      scenario::Scenario trial = base;
      trial.expansions = chosen;
      trial.expansions.insert(trial.expansions.end(), xs.begin(), xs.end());
      Evaluation e = evaluate_here(trial);
      if (!e.result.ok()) return;
      if (picks.size() == 1) alone_capex_usd[picks[0]] = e.result.expansion_capex_usd - current.result.expansion_capex_usd;
      // Better: closer to the targets; ties go to the higher NPV.
      const int order = best.empty() ? 1 : closeness.compare(e, best_eval);
      const bool better = order > 0 || (order == 0 && e.result.npv_usd > best_eval.result.npv_usd);
      out.trials.push_back(PlanTrial{schedule_text(trial.expansions), e.meets, e.first_bad_month, e.result.npv_usd, ""});
      if (better) {
        best = picks;
        best_eval = std::move(e);
        best_x = xs;
      }
    };
    // Progress is getting closer to the asked targets only (a shorter p95 wait is no progress
    // when no p95 target was asked for).
    const auto improves = [&] { return !best.empty() && closeness.compare(best_eval, current) > 0; };
    std::size_t singles = 0;
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      if (used[c]) continue;
      if (const auto x = placed(c)) {
        try_schedule({c}, {*x});
        ++singles;
      }
    }
    // No single candidate improves (e.g. each alone is swamped by the demand, or racks need a
    // power step to run): try pairs of unused candidates together at the same month, in the
    // candidates' order, at most kMaxPairRunsPerStep of them.
    std::size_t pairs = 0, pairs_skipped = 0;
    if (!improves()) {
      best.clear();
      for (std::size_t a = 0; a < candidates.size(); ++a) {
        for (std::size_t b = a + 1; b < candidates.size(); ++b) {
          if (used[a] || used[b]) continue;
          const auto xa = placed(a), xb = placed(b);
          if (!xa || !xb) continue;
          if (pairs == kMaxPairRunsPerStep) {
            ++pairs_skipped;
            continue;
          }
          try_schedule({a, b}, {*xa, *xb});
          ++pairs;
        }
      }
    }
    if (!improves()) {
      out.trials.push_back(PlanTrial{schedule_text(chosen), false, current.first_bad_month, current.result.npv_usd,
                                     "no unused candidate, alone or paired, improves on this: stop without meeting the targets" +
                                         (pairs_skipped > 0 ? " (" + std::to_string(pairs_skipped) + " pairs over the bound of " +
                                                                  std::to_string(kMaxPairRunsPerStep) + " not tried)"
                                                            : std::string())});
      break;
    }
    // Why it chose: what it tried at this step and how the chosen schedule moved the targets.
    std::string why = "best of " + std::to_string(singles) + " tried alone";
    if (best.size() == 2) {
      why = "with " + best_x[1].name + ", best of " + std::to_string(pairs) + (pairs == 1 ? " pair" : " pairs") +
            " (none of " + std::to_string(singles) +
            " alone came closer to the targets)";
    }
    why += ": " + closeness.change(current, best_eval);
    // Expansion capex adds up over expansions (servers and facility work of each), so the
    // chosen one's is the difference it made; a pair's members take their capex alone (a member
    // whose run alone failed takes the rest of the pair's).
    const double step_capex_usd = best_eval.result.expansion_capex_usd - current.result.expansion_capex_usd;
    std::string names;
    for (std::size_t i = 0; i < best.size(); ++i) {
      used[best[i]] = true;
      chosen.push_back(best_x[i]);
      double capex = step_capex_usd;
      if (best.size() == 2) {
        const std::size_t other = best[1 - i];
        const auto own = alone_capex_usd.find(best[i]);
        const auto theirs = alone_capex_usd.find(other);
        capex = own != alone_capex_usd.end()      ? own->second
                : theirs != alone_capex_usd.end() ? step_capex_usd - theirs->second
                                                  : step_capex_usd / 2.0;
      }
      out.chosen_capex_usd.push_back(capex);
      out.chosen_why.push_back(i == 0 ? why : "with " + best_x[0].name + ": chosen together");
      names += (names.empty() ? "" : " and ") + best_x[i].name;
    }
    current = std::move(best_eval);
    out.trials.push_back(PlanTrial{schedule_text(chosen), current.meets, current.first_bad_month, current.result.npv_usd,
                                   (best.size() == 2 ? "chosen together: " : "chosen: ") + names});
  }
  out.met = current.meets;
  out.chosen = chosen;
  out.plan = base;
  out.plan.expansions = chosen;
  out.final_run = std::move(current.result);
  return out;
}

}  // namespace dcsim::run
