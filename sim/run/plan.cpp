// Greedy search over candidate expansions, month by month, with a one-step look-ahead
// (docs/plan.md): each step finds the first month that breaks a target and tries every unused
// candidate online at the start of that month (or at its earliest date, if later).
#include "sim/run/plan.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

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
    int best = -1;
    Evaluation best_eval;
    scenario::ExpansionSpec best_x;
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      if (used[c]) continue;
      scenario::ExpansionSpec x = candidates[c];
      const std::int64_t lead_s = static_cast<std::int64_t>(x.procurement_lead_s) + static_cast<std::int64_t>(x.build_lead_s);
      x.online_unix_s = std::max({x.online_unix_s, fix_unix_s, base.start_unix_s + lead_s});
      if (x.online_unix_s - base.start_unix_s >= static_cast<std::int64_t>(base.horizon_s)) continue;
      scenario::Scenario trial = base;
      trial.expansions = chosen;
      trial.expansions.push_back(x);
      Evaluation e = evaluate_here(trial);
      if (!e.result.ok()) continue;
      std::vector<scenario::ExpansionSpec> schedule = chosen;
      schedule.push_back(x);
      // Better: meets the targets; else pushes the first bad month later; ties: higher NPV.
      const auto rank = [](const Evaluation& v) {
        return v.meets ? INT64_MAX : (v.first_bad < 0 ? INT64_MAX - 1 : v.first_bad);
      };
      const bool better = best < 0 || rank(e) > rank(best_eval) ||
                          (rank(e) == rank(best_eval) && e.result.npv_usd > best_eval.result.npv_usd);
      out.trials.push_back(PlanTrial{schedule_text(schedule), e.meets, e.first_bad_month, e.result.npv_usd, ""});
      if (better) {
        best = static_cast<int>(c);
        best_eval = std::move(e);
        best_x = x;
      }
    }
    const bool progress = best >= 0 && (best_eval.meets || best_eval.first_bad < 0 || current.first_bad < 0 ||
                                        best_eval.first_bad > current.first_bad ||
                                        best_eval.result.model.p95_wait_hours < current.result.model.p95_wait_hours);
    if (!progress) {
      out.trials.push_back(PlanTrial{schedule_text(chosen), false, current.first_bad_month, current.result.npv_usd,
                                     "no unused candidate improves on this: stop without meeting the targets"});
      break;
    }
    used[static_cast<std::size_t>(best)] = true;
    chosen.push_back(best_x);
    // Expansion capex adds up over expansions (servers and facility work of each), so the
    // chosen one's is the difference it made.
    out.chosen_capex_usd.push_back(best_eval.result.expansion_capex_usd - current.result.expansion_capex_usd);
    current = std::move(best_eval);
    out.trials.push_back(PlanTrial{schedule_text(chosen), current.meets, current.first_bad_month, current.result.npv_usd,
                                   "chosen: " + best_x.name});
  }
  out.met = current.meets;
  out.chosen = chosen;
  out.plan = base;
  out.plan.expansions = chosen;
  out.final_run = std::move(current.result);
  return out;
}

}  // namespace dcsim::run
