// Rendering and atomic writing of the results folder.
#include "reports/results_folder.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <cmath>
#include <initializer_list>
#include <span>
#include <sstream>
#include <string_view>
#include <system_error>

#include "reports/text_format.h"
#include "sim/engine/calendar.h"
#include "sim/engine/order_statistic.h"
#include "sim/model/cooling.h"

namespace dcsim::reports {

namespace fs = std::filesystem;

namespace {

class JsonObject {
 public:
  void add(const std::string& key, const std::string& raw_value) {
    out_ << (first_ ? "{\n" : ",\n") << "  " << json_string(key) << ": " << raw_value;
    first_ = false;
  }
  void add_number(const std::string& key, double v) { add(key, format_number(v)); }
  void add_integer(const std::string& key, long long v) { add(key, std::to_string(v)); }
  void add_text(const std::string& key, const std::string& v) { add(key, json_string(v)); }
  std::string str() const { return out_.str() + "\n}\n"; }

 private:
  std::ostringstream out_;
  bool first_ = true;
};

struct HallInfo {
  std::string site;
  std::string hall;
  std::uint32_t site_index = 0;
  double limit_kw = 0.0;  // 0: none
  int fabric_tiers = 0;   // 0: no fabric
};

// Halls in model order (sites, then their halls, as the builder numbers them).
std::vector<HallInfo> halls_of(const run::RunResult& r) {
  std::vector<HallInfo> out;
  for (std::uint32_t s = 0; s < r.scenario.sites.size(); ++s) {
    for (const auto& h : r.scenario.sites[s].halls) {
      // The usable capacity: installed x the UPS redundancy's usable share.
      const double usable = model::usable_fraction(*model::parse_redundancy(h.ups_redundancy), h.ups_units);
      out.push_back(HallInfo{r.scenario.sites[s].name, h.name, s, h.power_capacity_w.value_or(0.0) * usable / 1000.0,
                             h.fabric ? h.fabric->tiers : 0});
    }
  }
  return out;
}

// One power envelope (site feed, hall capacity, GPUs) and its use month by month.
struct Envelope {
  std::string kind;  // site_feed, hall_power, gpus
  std::string site;
  std::string hall;
  double limit = 0.0;  // kW, or GPUs
  std::string unit;
  std::vector<std::pair<engine::YearMonth, double>> monthly_peak;  // hourly-mean peak demand
  // Cooling limits follow the weather: then each month keeps its tightest hour (the demand and
  // the limit of the hour with the least headroom) and monthly_limit holds that hour's limit.
  bool varying = false;
  std::vector<double> monthly_limit;
  double limit_in(std::size_t m) const { return varying ? monthly_limit[m] : limit; }
  // Where a varying limit comes from: the hourly rows' cooling or UPS limit of hall `index`
  // (weather, planned UPS expansions, failed units), or feed limit of site `index` (planned
  // utility upgrades).
  enum class Source { fixed, hall_cooling, hall_ups, site_feed };
  Source source = Source::fixed;
  std::size_t index = 0;
  double limit_of(const model::IntervalRow& row) const {
    switch (source) {
      case Source::hall_cooling: return row.hall_cooling_limit_kw[index];
      case Source::hall_ups: return row.hall_ups_limit_kw[index];
      case Source::site_feed: return row.site_feed_limit_kw[index];
      case Source::fixed: break;
    }
    return limit;
  }
};

Envelope make_envelope(std::string kind, std::string site, std::string hall, double limit, std::string unit) {
  Envelope e;
  e.kind = std::move(kind);
  e.site = std::move(site);
  e.hall = std::move(hall);
  e.limit = limit;
  e.unit = std::move(unit);
  return e;
}

std::vector<Envelope> envelopes_of(const run::RunResult& r) {
  const engine::Calendar calendar(r.scenario.start_unix_s);
  const std::vector<HallInfo> halls = halls_of(r);
  std::vector<Envelope> out;
  const auto& rows = r.model.hours;
  const auto vary = [](Envelope& e, Envelope::Source source, std::size_t index) {
    e.varying = true;
    e.source = source;
    e.index = index;
  };
  for (std::uint32_t s = 0; s < r.scenario.sites.size(); ++s) {
    if (r.scenario.sites[s].utility_feed_w) {
      out.push_back(make_envelope("site_feed", r.scenario.sites[s].name, "", *r.scenario.sites[s].utility_feed_w / 1000.0, "kW"));
      if (!rows.empty() && s < rows.front().site_feed_limit_kw.size()) vary(out.back(), Envelope::Source::site_feed, s);
    }
  }
  // Backup generation carries the site's critical IT load (its halls' demand) when the feed fails.
  for (const scenario::SiteSpec& site : r.scenario.sites) {
    if (site.backup_generation_w) {
      out.push_back(make_envelope("backup_generation", site.name, "", *site.backup_generation_w / 1000.0, "kW"));
    }
  }
  for (std::size_t h = 0; h < halls.size(); ++h) {
    if (halls[h].limit_kw <= 0) continue;
    out.push_back(make_envelope("hall_power", halls[h].site, halls[h].hall, halls[h].limit_kw, "kW"));
    if (!rows.empty() && h < rows.front().hall_ups_limit_kw.size()) vary(out.back(), Envelope::Source::hall_ups, h);
  }
  out.push_back(make_envelope("gpus", "", "", static_cast<double>(r.model.gpus_total), "GPUs"));
  for (std::size_t h = 0; h < halls.size(); ++h) {
    if (!rows.empty() && h < rows.front().hall_cooling_limit_kw.size() && rows.front().hall_cooling_limit_kw[h] > 0) {
      out.push_back(make_envelope("hall_cooling", halls[h].site, halls[h].hall, 0.0, "kW"));
      vary(out.back(), Envelope::Source::hall_cooling, h);
    }
  }
  for (const model::IntervalRow& row : r.model.hours) {
    const engine::YearMonth month = calendar.month_of(row.start);
    for (Envelope& e : out) {
      double use = 0.0;
      if (e.kind == "gpus") {
        use = row.gpus_busy + row.queued_gpus;  // what the jobs ask for, served or not
      } else if (e.source == Envelope::Source::hall_cooling) {
        use = row.hall_demand_kw[e.index];
      } else {
        for (std::size_t h = 0; h < halls.size(); ++h) {
          if (halls[h].site == e.site && (e.hall.empty() || halls[h].hall == e.hall)) use += row.hall_demand_kw[h];
        }
      }
      if (e.varying) {  // the month's tightest hour
        const double limit = e.limit_of(row);
        if (e.monthly_peak.empty() || e.monthly_peak.back().first != month) {
          e.monthly_peak.emplace_back(month, use);
          e.monthly_limit.push_back(limit);
        } else if (limit - use < e.monthly_limit.back() - e.monthly_peak.back().second) {
          e.monthly_peak.back().second = use;
          e.monthly_limit.back() = limit;
        }
        continue;
      }
      if (e.monthly_peak.empty() || e.monthly_peak.back().first != month) e.monthly_peak.emplace_back(month, 0.0);
      e.monthly_peak.back().second = std::max(e.monthly_peak.back().second, use);
    }
  }
  return out;
}

std::string first_month_short(const Envelope& e) {
  for (std::size_t m = 0; m < e.monthly_peak.size(); ++m) {
    if (e.monthly_peak[m].second > e.limit_in(m)) return engine::Calendar::month_label(e.monthly_peak[m].first);
  }
  return "";
}

std::string render_summary(const run::RunResult& r, const std::string& resolved_yaml) {
  const model::ModelResults& m = r.model;
  const engine::Calendar calendar(r.scenario.start_unix_s);
  JsonObject j;
  j.add_text("scenario", r.scenario.name);
  j.add_text("scenario_sha256", sha256_hex(resolved_yaml));
  j.add("seed", std::to_string(r.scenario.seed));
  if (!r.scenario.uncertain.empty()) {  // the value each `uncertain:` input took in this run
    std::string u = "{";
    for (std::size_t i = 0; i < r.scenario.uncertain.size(); ++i) {
      u += (i ? ", " : "") + json_string(r.scenario.uncertain[i].path) + ": " + format_number(r.scenario.uncertain[i].value);
    }
    j.add("uncertain", u + "}");
  }
  j.add_text("start", calendar.iso8601(0));
  j.add_number("horizon_hours", r.scenario.horizon_s / 3600.0);
  j.add_number("warmup_hours", r.scenario.warmup_s / 3600.0);
  j.add_number("simulated_hours", r.simulated_hours);
  j.add_text("stop_reason", model::to_string(m.stop_reason));
  j.add_integer("gpus", m.gpus_total);
  j.add_integer("jobs_submitted", static_cast<long long>(m.jobs_submitted));
  j.add_integer("jobs_started", static_cast<long long>(m.jobs_started));
  j.add_integer("jobs_completed", static_cast<long long>(m.jobs_completed));
  j.add_integer("jobs_timed_out", static_cast<long long>(m.jobs_timed_out));
  j.add_integer("jobs_rejected", static_cast<long long>(m.jobs_rejected));
  j.add_integer("jobs_running_at_end", static_cast<long long>(m.jobs_running_at_end));
  j.add_integer("jobs_waiting_at_end", static_cast<long long>(m.jobs_waiting_at_end));
  j.add_integer("jobs_measured", static_cast<long long>(m.jobs_measured));
  j.add_number("mean_wait_hours", m.mean_wait_hours);
  j.add_number("p95_wait_hours", m.p95_wait_hours);
  j.add_number("share_waited", m.share_waited);
  j.add_number("mean_run_hours", m.mean_run_hours);
  j.add_number("mean_queue_length", m.mean_queue_length);
  j.add_number("gpu_utilization", r.gpu_utilization);
  if (!m.services.empty()) {
    std::string list = "[";
    for (std::size_t i = 0; i < m.services.size(); ++i) {
      const model::ServiceResults& sv = m.services[i];
      list += list.size() == 1 ? "\n    " : ",\n    ";
      list += "{\"service\": " + json_string(sv.name) + ", \"mean_replicas\": " + format_number(sv.mean_replicas) +
              ", \"gpu_hours\": " + format_number(sv.gpu_hours) + ", \"requests_offered\": " +
              format_number(sv.requests_offered) + ", \"requests_served\": " + format_number(sv.requests_served) +
              ", \"unserved_share\": " + format_number(sv.unserved_share) + ", \"slo_interval_share\": " +
              format_number(sv.slo_interval_share) + ", \"slo_request_share\": " + format_number(sv.slo_request_share) +
              ", \"mean_wait_ms\": " + format_number(sv.mean_wait_ms) + ", \"intervals\": " +
              std::to_string(sv.intervals) + ", \"overloaded_intervals\": " + std::to_string(sv.overloaded_intervals) +
              ", \"replicas_unplaced\": " + std::to_string(sv.replicas_unplaced);
      if (i < r.service_tokens.size() && r.service_tokens[i].counted) {
        const run::RunResult::ServiceTokens& t = r.service_tokens[i];
        list += ", \"tokens_served\": " + format_number(t.tokens_served) + ", \"tokens_per_second_mean\": " +
                format_number(t.tokens_per_second_mean) + ", \"cost_per_million_tokens_usd\": " +
                format_number(t.cost_per_million_tokens_usd) + ", \"token_revenue_usd\": " + format_number(t.revenue_usd);
      }
      list += "}";
    }
    list += "\n  ]";
    j.add("services", list);
  }
  {
    const std::vector<HallInfo> halls = halls_of(r);
    std::string list = "[";
    for (std::size_t h = 0; h < halls.size() && h < m.hall_swings.size(); ++h) {
      const model::HallSwing& sw = m.hall_swings[h];
      const double mean_kw = r.simulated_hours > 0 ? sw.it_energy_kwh / r.simulated_hours : 0.0;
      list += h == 0 ? "\n    " : ",\n    ";
      list += "{\"site\": " + json_string(halls[h].site) + ", \"hall\": " + json_string(halls[h].hall) +
              ", \"mean_it_kw\": " + format_number(mean_kw) + ", \"peak_it_kw\": " + format_number(sw.peak_kw) +
              ", \"peak_to_mean\": " + format_number(mean_kw > 0 ? sw.peak_kw / mean_kw : 0.0) +
              ", \"largest_change_kw_per_minute\": " + format_number(sw.largest_change_kw_per_minute) + "}";
    }
    list += "\n  ]";
    j.add("hall_power", list);
  }
  if (m.comm_jobs > 0) {
    j.add_integer("comm_jobs", static_cast<long long>(m.comm_jobs));
    j.add_number("mean_comm_slowdown", m.mean_comm_slowdown);
  }
  if (!r.hall_bisection_gbps.empty()) {
    const std::vector<HallInfo> halls = halls_of(r);
    std::string list = "[";
    bool first = true;
    for (std::size_t h = 0; h < halls.size() && h < r.hall_bisection_gbps.size(); ++h) {
      if (r.hall_bisection_gbps[h] <= 0) continue;
      list += first ? "\n    " : ",\n    ";
      first = false;
      list += "{\"site\": " + json_string(halls[h].site) + ", \"hall\": " + json_string(halls[h].hall) +
              ", \"bisection_gbps\": " + format_number(r.hall_bisection_gbps[h]);
      // Under switch failures: the lowest bisection any failure left (max-flow on the remaining graph).
      if (h < m.hall_min_bisection_gbps.size())
        list += ", \"min_bisection_gbps\": " + format_number(m.hall_min_bisection_gbps[h]);
      list += "}";
    }
    list += "\n  ]";
    j.add("fabrics", list);
  }
  {
    std::string list = "[";
    for (std::size_t c = 0; c < r.scenario.failures.size() && c < m.failures_by_cause.size(); ++c) {
      list += c == 0 ? "\n    " : ",\n    ";
      list += "{\"cause\": " + json_string(r.scenario.failures[c].name) +
              ", \"failures\": " + std::to_string(m.failures_by_cause[c]) +
              ", \"jobs_interrupted\": " + std::to_string(m.interruptions_by_cause[c]) + "}";
    }
    list += r.scenario.failures.empty() ? "]" : "\n  ]";
    j.add("failures", list);
  }
  if (std::any_of(r.scenario.failures.begin(), r.scenario.failures.end(),
                  [](const scenario::FailureSpec& f) { return f.facility_unit != 0; })) {
    // Failed UPS and cooling units: how often, unit-hours out, and hall-hours at reduced capacity.
    j.add("facility_failures",
          "{\"ups_failures\": " + std::to_string(m.ups_failures) + ", \"ups_unit_down_hours\": " +
              format_number(m.ups_unit_down_hours) + ", \"hall_hours_ups_reduced\": " + format_number(m.hall_hours_ups_reduced) +
              ", \"cooling_unit_failures\": " + std::to_string(m.cooling_unit_failures) +
              ", \"cooling_unit_down_hours\": " + format_number(m.cooling_unit_down_hours) +
              ", \"hall_hours_cooling_reduced\": " + format_number(m.hall_hours_cooling_reduced) + "}");
  }
  if (std::any_of(r.scenario.failures.begin(), r.scenario.failures.end(),
                  [](const scenario::FailureSpec& f) { return f.per_link; })) {
    // Failed fabric links (per: link): how often, and link-hours out of service.
    j.add_integer("link_failures", static_cast<long long>(m.link_failures));
    j.add_number("link_down_hours", m.link_down_hours);
  }
  j.add_integer("preemptions", static_cast<long long>(m.preemptions));
  j.add_number("work_lost_gpu_hours", m.work_lost_gpu_hours);
  j.add_number("restart_gpu_hours", m.restart_gpu_hours);
  j.add_number("server_down_gpu_hours", m.server_down_gpu_hours);
  if (m.spare_gpus > 0) {  // hot spares (halls' hot_spares): held back, used, and hall-hours with none free
    j.add_integer("spare_gpus", m.spare_gpus);
    j.add_integer("spare_swaps", static_cast<long long>(m.spare_swaps));
    j.add_number("hours_without_spare", m.hours_without_spare);
    // The same per hall holding spares, so a hall that runs short shows.
    const std::vector<HallInfo> halls = halls_of(r);
    std::string list = "[";
    for (std::size_t h = 0; h < halls.size() && h < m.hall_spares.size(); ++h) {
      const model::ModelResults::HallSpares& hs = m.hall_spares[h];
      if (hs.spare_gpus == 0) continue;
      list += list.size() == 1 ? "\n    " : ",\n    ";
      list += "{\"site\": " + json_string(halls[h].site) + ", \"hall\": " + json_string(halls[h].hall) +
              ", \"spare_gpus\": " + std::to_string(hs.spare_gpus) + ", \"spare_swaps\": " +
              std::to_string(hs.spare_swaps) + ", \"hours_without_spare\": " + format_number(hs.hours_without_spare) + "}";
    }
    j.add("hall_spares", list + "\n  ]");
  }
  j.add_number("effective_training_time",
               r.gpu_hours_allocated > 0 ? 1.0 - (m.work_lost_gpu_hours + m.restart_gpu_hours) / r.gpu_hours_allocated : 1.0);
  j.add_integer("hours_capped", static_cast<long long>(m.hours_capped));
  j.add_number("capped_gpu_hours", m.capped_gpu_hours);
  j.add_number("gpu_hours_lost_to_capping", m.lost_gpu_hours);
  j.add_number("gpu_hours_lost_to_heat", m.lost_gpu_hours_heat);
  {
    std::string list = "[";
    bool first = true;
    for (const Envelope& e : envelopes_of(r)) {
      double peak = 0.0;
      for (const auto& mp : e.monthly_peak) peak = std::max(peak, mp.second);
      double limit = e.limit;
      if (e.varying && !e.monthly_limit.empty()) limit = *std::min_element(e.monthly_limit.begin(), e.monthly_limit.end());
      list += first ? "\n    " : ",\n    ";
      first = false;
      list += "{\"envelope\": " + json_string(e.kind) + ", \"site\": " + json_string(e.site) +
              ", \"hall\": " + json_string(e.hall) + ", \"unit\": " + json_string(e.unit) +
              ", \"limit\": " + format_number(limit) + ", \"peak_demand\": " + format_number(peak) +
              ", \"first_month_short\": " + (first_month_short(e).empty() ? "null" : json_string(first_month_short(e))) + "}";
    }
    list += "\n  ]";
    j.add("envelopes", list);
  }
  {
    // Backup generation per site against its peak critical (IT) load, when any site has it.
    std::string list = "[";
    for (const Envelope& e : envelopes_of(r)) {
      if (e.kind != "backup_generation") continue;
      double peak = 0.0;
      for (const auto& mp : e.monthly_peak) peak = std::max(peak, mp.second);
      list += list.size() == 1 ? "\n    " : ",\n    ";
      list += "{\"site\": " + json_string(e.site) + ", \"backup_generation_kw\": " + format_number(e.limit) +
              ", \"peak_critical_load_kw\": " + format_number(peak) +
              ", \"backup_coverage\": " + (peak > 0 ? format_number(e.limit / peak) : "null") + "}";
    }
    if (list.size() > 1) j.add("backup_generation", list + "\n  ]");
  }
  j.add_number("mean_pue", r.it_energy_mwh > 0 ? r.facility_energy_mwh / r.it_energy_mwh : 0.0);
  j.add_number("peak_pue", m.peak_pue);
  j.add_number("water_m3", m.water_litres / 1000.0);
  j.add_number("wue_l_per_kwh", r.it_energy_mwh > 0 ? m.water_litres / (r.it_energy_mwh * 1000.0) : 0.0);
  j.add_integer("hall_hours_heat_limited", static_cast<long long>(m.hall_hours_heat_limited));
  j.add_number("it_energy_mwh", r.it_energy_mwh);
  j.add_number("facility_energy_mwh", r.facility_energy_mwh);
  j.add("total_cost_usd", format_cents(r.total_cost_cents));
  // Planned expansions: when each must be decided (online - build - procurement lead time).
  if (!r.scenario.expansions.empty()) {
    j.add_number("expansion_capex_usd", r.expansion_capex_usd);
    std::string list = "[";
    for (const scenario::ExpansionSpec& x : r.scenario.expansions) {
      const auto date = [](std::int64_t unix_s) {
        return json_string(engine::Calendar(unix_s).iso8601(0).substr(0, 10));
      };
      list += list.size() == 1 ? "\n    " : ",\n    ";
      list += "{\"name\": " + json_string(x.name) + ", \"site\": " + json_string(x.site) + ", \"hall\": " +
              json_string(x.hall) + ", \"decide\": " + date(x.decision_unix_s()) + ", \"delivery\": " +
              date(x.delivery_unix_s()) + ", \"online\": " + date(x.online_unix_s) +
              ", \"facility_capex_usd\": " + format_number(x.capex_usd.value_or(0.0)) + "}";
    }
    list += "\n  ]";
    j.add("expansions", list);
  }
  j.add("total_revenue_usd", format_cents(r.total_revenue_cents));
  // lost_revenue_usd and the cloud's figures are the sums of pnl_monthly.csv's columns.
  if (r.scenario.finance.unmet_max_wait_s) j.add_number("unmet_gpu_hours", r.unmet_gpu_hours);
  if (!r.scenario.finance.contracts.empty()) j.add_number("contract_shortfall_gpu_hours", r.contract_shortfall_gpu_hours);
  if (r.scenario.finance.unmet_max_wait_s || !r.scenario.finance.contracts.empty()) {
    j.add("lost_revenue_usd", format_cents(r.lost_revenue_cents));
  }
  if (r.scenario.finance.cloud_burst) {
    j.add_integer("jobs_sent_to_cloud", static_cast<long long>(r.model.jobs_sent_to_cloud));
    j.add_number("cloud_burst_gpu_hours", r.cloud_burst_gpu_hours);
    j.add("cloud_cost_usd", format_cents(r.cloud_cost_cents));
  }
  if (r.scenario.finance.tax_rate > 0) {
    std::int64_t tax = 0;
    for (const run::PnlMonth& m : r.pnl) tax += m.tax_cents;
    j.add("total_tax_usd", format_cents(tax));
  }
  // Monthly peak 15-minute facility demand of the sites with a demand charge.
  if (!r.site_demand_peaks.empty()) {
    std::string list = "[";
    for (std::size_t s = 0; s < r.site_demand_peaks.size() && s < r.site_names.size(); ++s) {
      for (const finance::MonthPeak& p : r.site_demand_peaks[s]) {
        list += list.size() == 1 ? "\n    " : ",\n    ";
        list += "{\"site\": " + json_string(r.site_names[s]) + ", \"month\": " +
                json_string(engine::Calendar::month_label(p.month)) + ", \"peak_facility_kw\": " +
                format_number(p.peak_kw) + "}";
      }
    }
    list += list.size() == 1 ? "]" : "\n  ]";
    j.add("demand_peaks", list);
  }
  j.add_number("capex_usd", r.capex_usd);
  j.add_number("residual_value_usd", r.residual_value_usd);
  j.add_number("gpu_hours_available", r.gpu_hours_available);
  j.add_number("gpu_hours_allocated", r.gpu_hours_allocated);
  j.add_number("cost_per_gpu_hour_usd", r.gpu_hours_available > 0 ? static_cast<double>(r.total_cost_cents) / 100.0 / r.gpu_hours_available : 0.0);
  j.add_number("cost_per_allocated_gpu_hour_usd", r.gpu_hours_allocated > 0 ? static_cast<double>(r.total_cost_cents) / 100.0 / r.gpu_hours_allocated : 0.0);
  // Cost per training run: the sums of kpis.csv's training columns, and per training workload
  // with completed runs (docs/scenario-format.md, "Cost per training run").
  if (!r.training_run_costs.empty()) {
    struct Sum {
      std::uint64_t runs = 0;
      double gpu_hours = 0.0;
      std::int64_t cents = 0;
    };
    std::map<std::uint32_t, Sum> by_workload;
    Sum all;
    for (const run::RunResult::TrainingRunCost& c : r.training_run_costs) {
      for (Sum* s : {&by_workload[c.workload], &all}) {
        s->runs += c.runs;
        s->gpu_hours += c.gpu_hours;
        s->cents += c.cost_cents;
      }
    }
    const auto per_run = [](const Sum& s) { return s.runs > 0 ? static_cast<double>(s.cents) / 100.0 / static_cast<double>(s.runs) : 0.0; };
    j.add_integer("training_runs", static_cast<long long>(all.runs));
    j.add("training_run_cost_usd", format_cents(all.cents));
    j.add_number("cost_per_training_run_usd", per_run(all));
    std::string list = "[";
    for (const auto& [w, s] : by_workload) {
      list += list.size() == 1 ? "\n    " : ",\n    ";
      list += "{\"workload\": " + json_string(r.workload_names[w]) + ", \"runs\": " + std::to_string(s.runs) +
              ", \"gpu_hours\": " + format_number(s.gpu_hours) + ", \"cost_usd\": " + format_cents(s.cents) +
              ", \"cost_per_run_usd\": " + format_number(per_run(s)) + "}";
    }
    list += "\n  ]";
    j.add("training_run_costs", list);
  }
  j.add_number("npv_usd", r.npv_usd);
  j.add("irr", r.irr ? format_number(*r.irr) : "null");
  if (!r.irr) j.add_text("irr_note", r.irr_note);
  j.add("payback_month", r.payback_month ? std::to_string(*r.payback_month) : "null");
  j.add_number("carbon_t", r.carbon_t);
  j.add_integer("events", static_cast<long long>(m.events));
  j.add_number("events_per_second", r.wall_seconds > 0 ? static_cast<double>(m.events) / r.wall_seconds : 0.0);
  j.add_number("wall_seconds", r.wall_seconds);
  j.add_text("fingerprint", m.fingerprint);
  j.add_text("dcsim_version", DCSIM_VERSION);
  j.add_integer("format_version", kFormatVersion);
  return j.str();
}

// Appends timeseries.csv to `out`, calling drain(out) after each row (as render_inference_to).
template <class Drain>
void render_timeseries_to(const run::RunResult& r, std::string& out, Drain&& drain) {
  const engine::Calendar calendar(r.scenario.start_unix_s);
  const std::vector<HallInfo> halls = halls_of(r);
  out +=
      "time,gpus_total,gpus_busy,utilization,it_power_kw,facility_power_kw,queue_length,queued_gpus,running_jobs,"
      "power_capped_gpus,throughput_lost_fraction";
  for (const HallInfo& h : halls) {
    const std::string label = h.site + "/" + h.hall + ":";
    out += ',' + csv_field(label + "it_power_kw") + ',' + csv_field(label + "demand_kw");
    if (h.limit_kw > 0) out += ',' + csv_field(label + "power_capacity_kw");
  }
  const auto& sites = r.scenario.sites;
  for (const auto& site : sites) {
    if (!site.climate) continue;
    for (const char* col : {"outdoor_c", "pue", "cooling_kw", "water_l"}) out += ',' + csv_field(site.name + ":" + col);
  }
  // Per-site capping, for sites where anything can be capped.
  std::vector<bool> limited(sites.size(), false);
  for (std::size_t st = 0; st < sites.size(); ++st) {
    limited[st] = sites[st].utility_feed_w.has_value();
    for (const auto& hall : sites[st].halls) {
      limited[st] = limited[st] || hall.power_capacity_w || (hall.cooling && hall.cooling->capacity_w);
      for (const auto& rack : hall.racks) limited[st] = limited[st] || (rack.power_limit_w && rack.plan_to < 1.0);
    }
    if (limited[st]) {
      out += ',' + csv_field(sites[st].name + ":power_capped_gpus") + ',' + csv_field(sites[st].name + ":throughput_lost_fraction");
    }
  }
  // Fabric utilization per link tier, for halls with a fabric (core: 3 tiers only).
  static const char* const kTierColumns[3] = {"fabric_leaf_util", "fabric_spine_util", "fabric_core_util"};
  for (const HallInfo& h : halls)
    for (int t = 0; t < h.fabric_tiers; ++t) out += ',' + csv_field(h.site + "/" + h.hall + ":" + kTierColumns[t]);
  // Per inference service: the share of the hour spent in autoscaler intervals that met its
  // latency objective (the time-weighted slo_met of inference.csv), so that SLO misses show
  // against the hour's load and power; slo_interval_share in summary.json is the run's figure.
  std::vector<std::vector<const model::ServiceIntervalRow*>> service_rows(r.model.services.size());
  for (const model::ServiceIntervalRow& row : r.model.service_rows) service_rows[row.service].push_back(&row);
  std::vector<std::size_t> service_cursor(service_rows.size(), 0);
  for (const model::ServiceResults& s : r.model.services) out += ',' + csv_field(s.name + ":slo_attainment");
  out += '\n';
  for (const model::IntervalRow& row : r.model.hours) {
    out += calendar.iso8601(row.start);
    for (double v : {row.gpus_total, row.gpus_busy, row.gpus_total > 0 ? row.gpus_busy / row.gpus_total : 0.0,
                     row.it_power_kw, row.facility_power_kw, row.queue_length, row.queued_gpus, row.running_jobs,
                     row.power_capped_gpus, row.gpus_busy > 0 ? row.throughput_lost_gpus / row.gpus_busy : 0.0}) {
      out += ',';
      out += format_number(v);
    }
    for (std::size_t h = 0; h < halls.size(); ++h) {
      out += ',' + format_number(row.hall_it_power_kw[h]) + ',' + format_number(row.hall_demand_kw[h]);
      // The hour's usable UPS capacity when expansions or failed units change it.
      if (halls[h].limit_kw > 0)
        out += ',' + format_number(row.hall_ups_limit_kw.empty() ? halls[h].limit_kw : row.hall_ups_limit_kw[h]);
    }
    for (std::uint32_t s = 0; s < sites.size(); ++s) {
      if (!sites[s].climate) continue;
      double it_kw = 0.0;
      for (std::size_t h = 0; h < halls.size(); ++h) {
        if (halls[h].site_index == s) it_kw += row.hall_it_power_kw[h];
      }
      out += ',' + format_number(row.site_outdoor_c[s]) + ',' +
             format_number(it_kw > 0 ? row.site_facility_kw[s] / it_kw : 0.0) + ',' + format_number(row.site_cooling_kw[s]) +
             ',' + format_number(row.site_water_l[s]);
    }
    for (std::uint32_t s = 0; s < sites.size(); ++s) {
      if (!limited[s]) continue;
      out += ',' + format_number(row.site_capped_gpus[s]) + ',' +
             format_number(row.site_busy_gpus[s] > 0 ? row.site_lost_gpus[s] / row.site_busy_gpus[s] : 0.0);
    }
    for (std::size_t h = 0; h < halls.size(); ++h)
      for (int t = 0; t < halls[h].fabric_tiers; ++t) {
        const std::size_t i = 3 * h + static_cast<std::size_t>(t);
        out += ',' + format_number(i < row.hall_fabric_util.size() ? row.hall_fabric_util[i] : 0.0);
      }
    const engine::SimTime hour_end = row.start + row.length;
    for (std::size_t s = 0; s < service_rows.size(); ++s) {
      const std::vector<const model::ServiceIntervalRow*>& rows = service_rows[s];
      std::size_t& k = service_cursor[s];
      while (k < rows.size() && rows[k]->start + rows[k]->length <= row.start) ++k;  // ended before the hour
      engine::SimTime covered = 0, met = 0;
      for (std::size_t i = k; i < rows.size() && rows[i]->start < hour_end; ++i) {
        const engine::SimTime overlap =
            std::min(hour_end, rows[i]->start + rows[i]->length) - std::max(row.start, rows[i]->start);
        if (overlap <= 0) continue;
        covered += overlap;
        if (rows[i]->slo_met) met += overlap;
      }
      out += ',';
      if (covered > 0) out += format_number(static_cast<double>(met) / static_cast<double>(covered));
    }
    out += '\n';
    drain(out);
  }
}

std::string render_timeseries(const run::RunResult& r) {
  std::string out;
  render_timeseries_to(r, out, [](std::string&) {});
  return out;
}

std::string render_capacity(const run::RunResult& r) {
  std::string out = "month,envelope,site,hall,unit,peak_demand,limit,headroom,headroom_fraction\n";
  const std::vector<Envelope> envelopes = envelopes_of(r);
  // Month-major, envelopes in a fixed order within each month.
  std::size_t months = 0;
  for (const Envelope& e : envelopes) months = std::max(months, e.monthly_peak.size());
  for (std::size_t m = 0; m < months; ++m) {
    for (const Envelope& e : envelopes) {
      if (m >= e.monthly_peak.size()) continue;
      const auto& [month, peak] = e.monthly_peak[m];
      const double limit = e.limit_in(m);
      const double headroom = limit - peak;
      out += engine::Calendar::month_label(month) + ',' + e.kind + ',' + csv_field(e.site) + ',' + csv_field(e.hall) +
             ',' + e.unit + ',' + format_number(peak) + ',' + format_number(limit) + ',' + format_number(headroom) +
             ',' + format_number(limit > 0 ? headroom / limit : 0.0) + '\n';
    }
  }
  return out;
}

// Monthly ledger lines in cost_monthly.csv's columns.
std::string render_monthly_lines(const std::vector<finance::MonthlyCost>& lines) {
  std::string out = "month,category,site,tenant,amount_usd,subcategory,hall\n";
  for (const finance::MonthlyCost& c : lines) {
    out += engine::Calendar::month_label(c.month) + ',' + csv_field(c.category) + ',' + csv_field(c.site) + ',' +
           csv_field(c.tenant) + ',' + format_cents(c.cents) + ',' + csv_field(c.subcategory) + ',' + csv_field(c.hall) +
           '\n';
  }
  return out;
}

std::string render_costs(const run::RunResult& r) { return render_monthly_lines(r.monthly_costs); }

// Carbon by month and site: facility energy and its emissions (hour by hour at the profile's
// intensity for a site with a carbon_profile); carbon_t adds up to summary.json's carbon_t.
std::string render_carbon(const run::RunResult& r) {
  std::string out = "month,site,facility_energy_mwh,carbon_g_per_kwh,carbon_t\n";
  std::vector<run::RunResult::SiteMonthCarbon> rows = r.carbon_months;
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.month < b.month; });
  for (const run::RunResult::SiteMonthCarbon& c : rows) {
    out += engine::Calendar::month_label(c.month) + ',' + csv_field(r.site_names[c.site]) + ',' +
           format_number(c.facility_kwh / 1000.0) + ',' +
           format_number(c.facility_kwh > 0 ? c.carbon_t * 1e6 / c.facility_kwh : 0.0) + ',' + format_number(c.carbon_t) + '\n';
  }
  return out;
}

// Revenue by month, kind (category on_demand or reserved), tenant and GPU type (subcategory),
// in cost_monthly.csv's columns; its rows add up to total_revenue_usd.
std::string render_revenue(const run::RunResult& r) { return render_monthly_lines(r.monthly_revenue); }

// Memo columns of the P&L and kpis.csv, last in both (docs/scenario-format.md, "Unmet demand and
// cloud burst"): present in every run, zero without finance.unmet, cloud_burst and contracts.
constexpr const char* kDemandNotServedColumns =
    "unmet_gpu_hours,revenue_lost_usd,cloud_burst_gpu_hours,cloud_burst_usd,contract_shortfall_gpu_hours";
void add_demand_not_served(run::PnlMonth& sum, const run::PnlMonth& m) {
  sum.unmet_gpu_hours += m.unmet_gpu_hours;
  sum.revenue_lost_cents += m.revenue_lost_cents;
  sum.cloud_burst_gpu_hours += m.cloud_burst_gpu_hours;
  sum.cloud_burst_cents += m.cloud_burst_cents;
  sum.contract_shortfall_gpu_hours += m.contract_shortfall_gpu_hours;
}
std::string render_demand_not_served(const run::PnlMonth& m) {
  return ',' + format_number(m.unmet_gpu_hours) + ',' + format_cents(m.revenue_lost_cents) + ',' +
         format_number(m.cloud_burst_gpu_hours) + ',' + format_cents(m.cloud_burst_cents) + ',' +
         format_number(m.contract_shortfall_gpu_hours);
}

// The P&L by period: `label` names the period of a month ("2026-03", "2026-Q1", "2026"); months
// of one period are consecutive, so the rows are sums of consecutive months, to the cent.
template <class Label>
std::string render_pnl_by(const run::RunResult& r, const char* period_column, Label label) {
  // With finance.tax_rate: income tax and net income after EBIT (the cash flow is net of tax).
  const bool taxed = r.scenario.finance.tax_rate > 0;
  std::string out = std::string(period_column) + ",revenue_usd,opex_usd,ebitda_usd,depreciation_usd,ebit_usd," +
                    (taxed ? "tax_usd,net_income_usd," : "") + "capex_usd,cash_flow_usd,cumulative_cash_usd," +
                    kDemandNotServedColumns + "\n";
  std::int64_t cumulative = 0;
  for (std::size_t i = 0; i < r.pnl.size();) {
    const std::string period = label(r.pnl[i].month);
    run::PnlMonth sum;
    for (; i < r.pnl.size() && label(r.pnl[i].month) == period; ++i) {
      sum.revenue_cents += r.pnl[i].revenue_cents;
      sum.opex_cents += r.pnl[i].opex_cents;
      sum.depreciation_cents += r.pnl[i].depreciation_cents;
      sum.capex_cents += r.pnl[i].capex_cents;
      sum.tax_cents += r.pnl[i].tax_cents;
      add_demand_not_served(sum, r.pnl[i]);
    }
    cumulative += sum.cash_flow_cents();
    out += period;
    for (std::int64_t c : {sum.revenue_cents, sum.opex_cents, sum.ebitda_cents(), sum.depreciation_cents,
                           sum.ebit_cents()}) {
      out += ',' + format_cents(c);
    }
    if (taxed) out += ',' + format_cents(sum.tax_cents) + ',' + format_cents(sum.net_income_cents());
    for (std::int64_t c : {sum.capex_cents, sum.cash_flow_cents(), cumulative}) out += ',' + format_cents(c);
    out += render_demand_not_served(sum) + '\n';
  }
  return out;
}

std::string render_pnl(const run::RunResult& r) {
  return render_pnl_by(r, "month", [](engine::YearMonth m) { return engine::Calendar::month_label(m); });
}
std::string render_pnl_quarterly(const run::RunResult& r) {
  return render_pnl_by(r, "quarter", [](engine::YearMonth m) {
    return std::to_string(m.year) + "-Q" + std::to_string((m.month - 1) / 3 + 1);
  });
}
std::string render_pnl_yearly(const run::RunResult& r) {
  // Fiscal years (finance.fiscal_year_start), labelled by the calendar year they end in.
  const int start_month = r.scenario.finance.fiscal_year_start_month;
  return render_pnl_by(r, "year", [start_month](engine::YearMonth m) {
    return std::to_string(finance::fiscal_year_of(m, start_month));
  });
}

// One row per fiscal year (calendar years by default): capacity, use, money and carbon.
std::string render_kpis(const run::RunResult& r) {
  const int start_month = r.scenario.finance.fiscal_year_start_month;
  const auto fy = [start_month](engine::YearMonth m) { return finance::fiscal_year_of(m, start_month); };
  const engine::Calendar calendar(r.scenario.start_unix_s);
  struct Year {
    double available_gpu_h = 0, allocated_gpu_h = 0, it_kwh = 0, facility_kwh = 0, carbon_t = 0;
    std::int64_t cost_cents = 0, revenue_cents = 0, ebitda_cents = 0, tax_cents = 0;
    std::uint64_t training_runs = 0;  // run::RunResult::training_run_costs of the year
    std::int64_t training_run_cents = 0;
    run::PnlMonth not_served;  // the memo columns' sums
  };
  std::map<int, Year> years;
  for (const model::IntervalRow& h : r.model.hours) {
    const engine::CivilDate d = calendar.date_of(h.start);
    years[fy(engine::YearMonth{d.year, d.month})].available_gpu_h += h.gpus_total * engine::to_hours(h.length);
  }
  for (const model::WorkloadMonthUse& u : r.model.workload_months) years[fy(u.month)].allocated_gpu_h += u.gpu_hours();
  for (const model::SiteMonthEnergy& e : r.model.site_months) {
    Year& y = years[fy(e.month)];
    y.it_kwh += e.it_kwh();
    y.facility_kwh += e.facility_kwh;
  }
  // Hour by hour for sites with a carbon_profile (run::RunResult::carbon_months).
  for (const run::RunResult::SiteMonthCarbon& c : r.carbon_months) years[fy(c.month)].carbon_t += c.carbon_t;
  for (const run::PnlMonth& m : r.pnl) {
    Year& y = years[fy(m.month)];
    y.cost_cents += m.opex_cents + m.depreciation_cents;
    y.revenue_cents += m.revenue_cents;
    y.ebitda_cents += m.ebitda_cents();
    y.tax_cents += m.tax_cents;
    add_demand_not_served(y.not_served, m);
  }
  for (const run::RunResult::TrainingRunCost& c : r.training_run_costs) {
    Year& y = years[c.year];
    y.training_runs += c.runs;
    y.training_run_cents += c.cost_cents;
  }
  // With finance.tax_rate: the fiscal year's income tax after EBITDA.
  const bool taxed = r.scenario.finance.tax_rate > 0;
  std::string out =
      std::string("year,gpu_hours_available,gpu_hours_allocated,utilization,cost_usd,cost_per_gpu_hour_usd,"
                  "cost_per_allocated_gpu_hour_usd,training_runs,training_run_cost_usd,cost_per_training_run_usd,"
                  "revenue_usd,gross_margin,ebitda_usd,") +
      (taxed ? "tax_usd," : "") + "it_energy_mwh,facility_energy_mwh,pue,carbon_t," + kDemandNotServedColumns + "\n";
  for (const auto& [year, y] : years) {
    const double cost = static_cast<double>(y.cost_cents) / 100.0;
    const double revenue = static_cast<double>(y.revenue_cents) / 100.0;
    out += std::to_string(year);
    for (double v : {y.available_gpu_h, y.allocated_gpu_h, y.available_gpu_h > 0 ? y.allocated_gpu_h / y.available_gpu_h : 0.0}) {
      out += ',' + format_number(v);
    }
    out += ',' + format_cents(y.cost_cents);
    for (double v : {y.available_gpu_h > 0 ? cost / y.available_gpu_h : 0.0, y.allocated_gpu_h > 0 ? cost / y.allocated_gpu_h : 0.0}) {
      out += ',' + format_number(v);
    }
    out += ',' + std::to_string(y.training_runs) + ',' + format_cents(y.training_run_cents) + ',' +
           format_number(y.training_runs > 0 ? static_cast<double>(y.training_run_cents) / 100.0 / static_cast<double>(y.training_runs) : 0.0);
    out += ',' + format_cents(y.revenue_cents) + ',' + format_number(revenue > 0 ? (revenue - cost) / revenue : 0.0) + ',' +
           format_cents(y.ebitda_cents);
    if (taxed) out += ',' + format_cents(y.tax_cents);
    for (double v : {y.it_kwh / 1000.0, y.facility_kwh / 1000.0, y.it_kwh > 0 ? y.facility_kwh / y.it_kwh : 0.0, y.carbon_t}) {
      out += ',' + format_number(v);
    }
    out += render_demand_not_served(y.not_served) + '\n';
  }
  return out;
}

// Chargeback: each month's total cost shared among tenants by the GPU-hours they held; the
// capacity nobody held stays "unallocated". Cents are split by largest remainder, so each
// month's rows add up to its cost exactly.
std::string render_cost_by_tenant(const run::RunResult& r) {
  std::map<engine::YearMonth, std::int64_t> month_cost;
  for (const finance::MonthlyCost& c : r.monthly_costs) month_cost[c.month] += c.cents;
  std::map<engine::YearMonth, std::map<std::string, double>> use;
  std::map<engine::YearMonth, double> available;
  for (const model::WorkloadMonthUse& u : r.model.workload_months) {
    use[u.month][r.workload_tenants[u.workload]] += u.gpu_hours();
  }
  for (const model::SiteMonthEnergy& e : r.model.site_months) {
    if (e.site == 0) available[e.month] = static_cast<double>(r.model.gpus_total) * engine::to_hours(e.in_service);
  }
  if (!r.scenario.expansions.empty()) {  // GPUs count from their online date: sum the hours
    const engine::Calendar calendar(r.scenario.start_unix_s);
    available.clear();
    for (const model::IntervalRow& h : r.model.hours) available[calendar.month_of(h.start)] += h.gpus_total * engine::to_hours(h.length);
  }
  std::string out = "month,tenant,gpu_hours,share,amount_usd\n";
  for (const auto& [month, cents] : month_cost) {
    std::vector<std::pair<std::string, double>> parts(use[month].begin(), use[month].end());
    double held = 0.0;
    for (const auto& p : parts) held += p.second;
    parts.emplace_back("unallocated", std::max(0.0, available[month] - held));
    double total = 0.0;
    for (const auto& p : parts) total += p.second;
    std::vector<std::int64_t> alloc(parts.size(), 0);
    std::vector<std::pair<double, std::size_t>> remainders;
    std::int64_t given = 0;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const double exact = total > 0 ? static_cast<double>(cents) * parts[i].second / total : 0.0;
      alloc[i] = static_cast<std::int64_t>(std::floor(exact));
      given += alloc[i];
      remainders.emplace_back(exact - std::floor(exact), i);
    }
    if (total <= 0) alloc.back() = cents, given = cents;
    std::sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    for (std::size_t k = 0; given < cents && k < remainders.size(); ++k, ++given) ++alloc[remainders[k].second];
    for (std::size_t i = 0; i < parts.size(); ++i) {
      out += engine::Calendar::month_label(month) + ',' + csv_field(parts[i].first) + ',' + format_number(parts[i].second) +
             ',' + format_number(total > 0 ? parts[i].second / total : 0.0) + ',' + format_cents(alloc[i]) + '\n';
    }
  }
  return out;
}

// One row per tenant (those of `tenants:` in file order, then the workloads' others in order of
// first use): GPU-hours its workloads held (jobs and replicas; cost_by_tenant.csv's), jobs ended,
// wait statistics over its measured jobs (as summary.json's: arrived at or after the warmup and
// started; p95 by nearest rank), preemptions, and its inference services' SLO attainment
// (weighted by requests offered and by intervals; empty without services).
std::string render_tenants(const run::RunResult& r) {
  std::vector<std::string> names;
  for (const scenario::TenantSpec& t : r.scenario.tenants) names.push_back(t.name);
  for (const std::string& t : r.workload_tenants)
    if (std::find(names.begin(), names.end(), t) == names.end()) names.push_back(t);
  std::string out =
      "tenant,guaranteed_gpus,max_gpus,gpu_hours,jobs_finished,jobs_measured,mean_wait_hours,p95_wait_hours,"
      "preemptions,services,slo_request_share,slo_interval_share\n";
  for (const std::string& name : names) {
    const scenario::TenantSpec* quota = nullptr;
    for (const scenario::TenantSpec& t : r.scenario.tenants)
      if (t.name == name) quota = &t;
    double gpu_hours = 0.0;
    for (const model::WorkloadMonthUse& u : r.model.workload_months)
      if (r.workload_tenants[u.workload] == name) gpu_hours += u.gpu_hours();
    std::uint64_t finished = 0, preemptions = 0;
    // The tenant's workloads' waits, read in place: joining millions of them cost page faults.
    std::vector<std::span<const double>> waits;
    std::size_t waits_count = 0;
    for (std::size_t w = 0; w < r.model.workload_jobs.size(); ++w) {
      if (r.workload_tenants[w] != name) continue;
      const model::WorkloadJobStats& j = r.model.workload_jobs[w];
      finished += j.jobs_finished;
      preemptions += j.preemptions;
      waits.emplace_back(j.waits_hours);
      waits_count += j.waits_hours.size();
    }
    double offered = 0.0, within = 0.0, intervals = 0.0, met = 0.0;
    int services = 0;
    for (const model::ServiceResults& sv : r.model.services) {
      const auto w = std::find(r.workload_names.begin(), r.workload_names.end(), sv.name);
      if (w == r.workload_names.end() || r.workload_tenants[static_cast<std::size_t>(w - r.workload_names.begin())] != name)
        continue;
      ++services;
      offered += sv.requests_offered;
      within += sv.slo_request_share * sv.requests_offered;
      intervals += static_cast<double>(sv.intervals);
      met += sv.slo_interval_share * static_cast<double>(sv.intervals);
    }
    std::string mean_wait, p95_wait;
    if (waits_count > 0) {
      double sum = 0.0;
      for (std::span<const double> part : waits)
        for (double x : part) sum += x;
      mean_wait = format_number(sum / static_cast<double>(waits_count));
      const std::size_t rank = static_cast<std::size_t>(std::ceil(0.95 * static_cast<double>(waits_count)));
      p95_wait = format_number(engine::kth_smallest(waits, std::max<std::size_t>(rank, 1) - 1));
    }
    out += csv_field(name) + ',' + std::to_string(quota ? quota->guaranteed_gpus : 0) + ',' +
           (quota == nullptr ? std::string()
            : !quota->borrow ? std::to_string(quota->guaranteed_gpus)
            : quota->max_gpus ? std::to_string(*quota->max_gpus)
                              : std::string()) +
           ',' + format_number(gpu_hours) + ',' + std::to_string(finished) + ',' + std::to_string(waits_count) + ',' +
           mean_wait + ',' + p95_wait + ',' + std::to_string(preemptions) + ',' + std::to_string(services) + ',' +
           (services > 0 && offered > 0 ? format_number(within / offered) : std::string()) + ',' +
           (services > 0 && intervals > 0 ? format_number(met / intervals) : std::string()) + '\n';
  }
  return out;
}

// One row per inference service and autoscaler interval (docs/scenario-format.md, "Inference
// services"); wait_ms is empty for an interval with overload (the wait is then unbounded).
// Appends to `out` and calls drain(out) after each row: a writer streaming to a file empties it
// once it holds a chunk (a campus writes 2 million rows, 235 MB), render_inference keeps it all.
template <class Drain>
void render_inference_to(const run::RunResult& r, std::string& out, Drain&& drain) {
  const engine::Calendar calendar(r.scenario.start_unix_s);
  // A tokens column only when some service has tokens_per_request (empty for the others).
  const bool tokens = !r.service_tokens.empty();
  out += "time,service,interval_s,demand_rps,replicas,gpus_held,utilization,wait_ms,slo_met";
  out += tokens ? ",tokens\n" : "\n";
  std::vector<std::string> names;
  for (const model::ServiceResults& s : r.model.services) names.push_back(csv_field(s.name));
  // Services tick together, so consecutive rows mostly share their start: formatted once.
  std::string stamp;
  engine::SimTime stamp_at = 0;
  for (const model::ServiceIntervalRow& row : r.model.service_rows) {
    if (stamp.empty() || row.start != stamp_at) {
      stamp = calendar.iso8601(row.start);
      stamp_at = row.start;
    }
    out += stamp;
    out += ',';
    out += names[row.service];
    for (double v : {engine::to_seconds(row.length), row.demand_rps, row.replicas, row.gpus_held, row.utilization}) {
      out += ',';
      append_number(out, v);
    }
    out += ',';
    if (!(row.wait_ms < 0)) append_number(out, row.wait_ms);
    out += row.slo_met ? ",1" : ",0";
    if (tokens) {
      out += ',';
      const run::RunResult::ServiceTokens& t = r.service_tokens[row.service];
      if (t.counted) append_number(out, row.served_requests * t.tokens_per_request);
    }
    out += '\n';
    drain(out);
  }
}

std::string render_inference(const run::RunResult& r) {
  std::string out;
  // The text grows in place, without a string per field, reserved once (about 110 bytes a row)
  // instead of copied at each doubling.
  out.reserve(200 + r.model.service_rows.size() * 120);
  render_inference_to(r, out, [](std::string&) {});
  return out;
}

std::string render_jobs(const run::RunResult& r) {
  const engine::Calendar calendar(r.scenario.start_unix_s);
  std::string out = "job_id,workload,tenant,gpus,arrival,start,end,wait_hours,run_hours,state,comm_slowdown,switches_spanned,preemptions\n";
  for (const model::JobRecord& j : r.model.jobs) {
    out += std::to_string(j.job_id) + ',' + csv_field(r.workload_names[j.workload]) + ',' +
           csv_field(r.workload_tenants[j.workload]) + ',' + std::to_string(j.gpus) + ',' + calendar.iso8601(j.arrival) +
           ',';
    // A job running at the start (warm start) shows its true start, before the scenario's start.
    const engine::SimTime first_start = j.start - j.elapsed_before_start;
    if (j.start >= 0) out += calendar.iso8601(first_start);
    out += ',';
    if (j.end >= 0) out += calendar.iso8601(j.end);
    out += ',';
    if (j.start >= 0) out += format_number(engine::to_hours(first_start - j.arrival));
    out += ',';
    if (j.start >= 0 && j.end >= 0) out += format_number(engine::to_hours(j.end - first_start));
    out += ',';
    out += model::to_string(j.state);
    out += ',' + format_number(j.comm_slowdown) + ',' + std::to_string(j.switches_spanned) + ',' +
           std::to_string(j.preemptions);
    out += '\n';
  }
  return out;
}

// Joins message parts; also sidesteps GCC 12's false -Wrestrict warning on "literal" + std::string.
std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out.append(p);
  return out;
}

std::string render_market(const run::RunResult& r) {
  std::string out = "year,case,dimension,segment,share,market_usd_bn,growth\n";
  for (const finance::MarketRow& m : r.market) {
    out += std::to_string(m.year) + ',' + m.scenario_case + ',' + csv_field(m.dimension) + ',' + csv_field(m.segment) +
           ',' + format_number(m.share) + ',' + format_number(m.usd_bn) + ',' + format_number(m.growth) + '\n';
  }
  return out;
}

std::string render_market_demand(const run::RunResult& r) {
  std::string out = "year,market_share,segment_usd_bn,usd_per_gpu_hour,gpu_hours\n";
  for (const finance::DemandPoint& d : r.demand) {
    out += std::to_string(d.year) + ',' + format_number(d.market_share) + ',' + format_number(d.segment_usd_bn) + ',' +
           format_number(d.usd_per_gpu_hour) + ',' + format_number(d.gpu_hours) + '\n';
  }
  return out;
}

// Writes `text` and fsyncs it: a rename is only as durable as the data it publishes, and
// without the fsync a power loss after the rename can leave a complete-looking folder of
// empty or truncated files (ext4 and XFS may commit the rename before the data blocks).
bool write_all(int fd, std::string_view text) {
  bool ok = true;
  for (std::size_t done = 0; ok && done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  return ok;
}

bool write_file(const fs::path& path, std::string_view text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  const bool ok = write_all(fd, text) && ::fsync(fd) == 0;
  return ::close(fd) == 0 && ok;
}

// A file written a chunk at a time: a render_*_to appends rows to `buffer` and drain() writes it
// out once it holds a chunk, so a file of hundreds of MB never sits in memory whole and one
// buffer is reused throughout. finish() writes the rest and fsyncs it, as write_file does.
class ChunkedFile {
 public:
  static constexpr std::size_t kChunk = std::size_t{1} << 20;
  explicit ChunkedFile(const fs::path& path) : fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) {
    buffer.reserve(kChunk + (64 << 10));  // a row past the chunk fits without a regrowth
  }
  ChunkedFile(const ChunkedFile&) = delete;
  ChunkedFile& operator=(const ChunkedFile&) = delete;
  ~ChunkedFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  void drain() {
    if (buffer.size() >= kChunk) flush();
  }
  bool finish() {
    flush();
    if (fd_ < 0) return false;
    const bool ok = ok_ && ::fsync(fd_) == 0;
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0 && ok;
  }
  std::string buffer;

 private:
  void flush() {
    ok_ = ok_ && fd_ >= 0 && write_all(fd_, buffer);
    buffer.clear();
  }
  int fd_;
  bool ok_ = true;
};

// fsyncs a folder, so the names created, removed or renamed in it are on disk (POSIX makes a
// rename durable only once its folder is synced).
bool sync_folder(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  return ::close(fd) == 0 && ok;
}

}  // namespace

namespace {

// Every file of the folder; with `streamed`, all but timeseries.csv and inference.csv, which
// write_run_results streams into the folder instead (left empty here).
ResultsFiles render_files(const run::RunResult& result, const std::string& resolved_yaml, bool streamed) {
  ResultsFiles files;
  files.summary_json = render_summary(result, resolved_yaml);
  files.resolved_yaml = resolved_yaml;
  if (!streamed) files.timeseries_csv = render_timeseries(result);
  files.cost_monthly_csv = render_costs(result);
  files.capacity_csv = render_capacity(result);
  files.pnl_monthly_csv = render_pnl(result);
  files.pnl_quarterly_csv = render_pnl_quarterly(result);
  files.pnl_yearly_csv = render_pnl_yearly(result);
  files.kpis_csv = render_kpis(result);
  files.carbon_monthly_csv = render_carbon(result);
  files.cost_by_tenant_csv = render_cost_by_tenant(result);
  files.tenants_csv = render_tenants(result);
  if (!result.market.empty()) {
    files.market_csv = render_market(result);
    files.market_demand_csv = render_market_demand(result);
  }
  if (result.jobs_recorded) files.jobs_csv = render_jobs(result);
  if (!streamed && !result.model.service_rows.empty()) files.inference_csv = render_inference(result);
  // Token-priced services' revenue ("inference" lines) is shown by service there too.
  const bool token_revenue = std::any_of(result.service_tokens.begin(), result.service_tokens.end(),
                                         [](const run::RunResult::ServiceTokens& t) { return t.priced; });
  if (result.scenario.finance.detailed_revenue() || token_revenue) files.revenue_monthly_csv = render_revenue(result);
  return files;
}

}  // namespace

ResultsFiles render_results(const run::RunResult& result, const std::string& resolved_yaml) {
  return render_files(result, resolved_yaml, false);
}

std::vector<std::pair<std::string, const std::string*>> named_files(const ResultsFiles& files) {
  std::vector<std::pair<std::string, const std::string*>> out = {
      {"summary.json", &files.summary_json},
      {"scenario.resolved.yaml", &files.resolved_yaml},
      {"timeseries.csv", &files.timeseries_csv},
      {"cost_monthly.csv", &files.cost_monthly_csv},
      {"capacity.csv", &files.capacity_csv},
      {"pnl_monthly.csv", &files.pnl_monthly_csv},
      {"pnl_quarterly.csv", &files.pnl_quarterly_csv},
      {"pnl_yearly.csv", &files.pnl_yearly_csv},
      {"kpis.csv", &files.kpis_csv},
      {"carbon_monthly.csv", &files.carbon_monthly_csv},
      {"cost_by_tenant.csv", &files.cost_by_tenant_csv},
      {"tenants.csv", &files.tenants_csv},
  };
  if (!files.jobs_csv.empty()) out.emplace_back("jobs.csv", &files.jobs_csv);
  if (!files.inference_csv.empty()) out.emplace_back("inference.csv", &files.inference_csv);
  if (!files.revenue_monthly_csv.empty()) out.emplace_back("revenue_monthly.csv", &files.revenue_monthly_csv);
  if (!files.market_csv.empty()) {
    out.emplace_back("market.csv", &files.market_csv);
    out.emplace_back("market_demand.csv", &files.market_demand_csv);
  }
  return out;
}

std::string folder_name_for(const std::string& scenario_name) {
  std::string out;
  for (unsigned char c : scenario_name) {
    if (std::isalnum(c)) {
      out += static_cast<char>(std::tolower(c));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "scenario" : out;
}

bool is_results_folder(const fs::path& dir) {
  std::ifstream f(dir / "summary.json");
  if (!f) return false;
  std::stringstream text;
  text << f.rdbuf();
  return text.str().find("\"dcsim_version\"") != std::string::npos;
}

bool is_plan_folder(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_regular_file(dir / "plan.yaml", ec)) return false;
  std::ifstream f(dir / "plan.csv");
  std::string header;
  return f && std::getline(f, header) && header.rfind("expansion,site,hall,decide,online,capex_usd", 0) == 0;
}

WriteOutcome write_results_folder(const ResultsFiles& files, const fs::path& target, bool replace_existing) {
  std::vector<std::pair<std::string, std::string_view>> list;
  for (const auto& [name, text] : named_files(files)) list.emplace_back(name, *text);
  return write_folder_atomically(list, target, replace_existing);
}

namespace {

WriteOutcome check_replace(const fs::path& target, bool replace_existing) {
  std::error_code ec;
  if (!fs::exists(target, ec)) return {true, "", {}};
  if (!replace_existing) {
    return {false, cat({"'", target.string(), "' already exists; use --force to replace an earlier dcsim results folder"}), {}};
  }
  if (!fs::is_directory(target, ec) || !(is_results_folder(target) || is_plan_folder(target))) {
    return {false, cat({"'", target.string(), "' exists and is not a dcsim results folder; it is left untouched"}), {}};
  }
  return {true, "", {}};
}

}  // namespace

bool write_files_durably(const fs::path& dir, const std::vector<std::pair<std::string, std::string_view>>& files) {
  std::error_code ec;
  std::set<fs::path> folders{dir};
  for (const auto& [name, text] : files) {
    const fs::path file = dir / name;
    if (file.parent_path() != dir) {
      fs::create_directories(file.parent_path(), ec);
      if (ec) return false;
      // The file's folder and every folder between it and `dir` gained a name.
      for (fs::path p = file.parent_path(); p.native().size() > dir.native().size(); p = p.parent_path()) {
        if (!folders.insert(p).second) break;
      }
    }
    if (!write_file(file, text)) return false;
  }
  for (const fs::path& f : folders) {
    if (!sync_folder(f)) return false;
  }
  return true;
}

WriteOutcome publish_folder(const fs::path& staged, const fs::path& target, bool replace_existing) {
  if (WriteOutcome c = check_replace(target, replace_existing); !c.ok) return c;
  std::error_code ec;
  const bool exists = fs::exists(target, ec);
  const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (!sync_folder(staged)) return {false, cat({"cannot sync '", staged.string(), "' to disk"}), {}};
  if (exists) {
    const fs::path old = parent / cat({".", target.filename().string(), ".old-", std::to_string(::getpid())});
    fs::remove_all(old, ec);
    fs::rename(target, old, ec);
    if (ec) return {false, cat({"cannot move the earlier results folder aside: ", ec.message()}), {}};
    fs::rename(staged, target, ec);
    if (ec) {
      std::error_code ignored;
      fs::rename(old, target, ignored);
      return {false, cat({"cannot rename the new results into place: ", ec.message()}), {}};
    }
    // The new folder is durable before the old one's files go.
    sync_folder(parent);
    fs::remove_all(old, ec);
  } else {
    fs::rename(staged, target, ec);
    if (ec) return {false, cat({"cannot rename the results into '", target.string(), "': ", ec.message()}), {}};
  }
  // The rename itself is durable only once the parent folder is synced.
  if (!sync_folder(parent)) return {false, cat({"cannot sync '", parent.string(), "' to disk"}), {}};
  return {true, "", {}};
}

std::vector<fs::path> remove_stale_temporaries(const fs::path& target) {
  std::vector<fs::path> removed;
  const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const std::string prefix = cat({".", target.filename().string(), ".tmp-"});
  std::error_code ec;
  fs::directory_iterator it(parent, ec);
  if (ec) return removed;
  std::vector<fs::path> candidates;
  for (const fs::directory_entry& e : it) {
    const std::string name = e.path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string digits = name.substr(prefix.size());
    if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const long pid = std::stol(digits);
    if (pid <= 0 || pid == static_cast<long>(::getpid())) continue;
    std::error_code dir_ec;
    if (!e.is_directory(dir_ec) || e.is_symlink(dir_ec)) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to judge
    candidates.push_back(e.path());
  }
  std::sort(candidates.begin(), candidates.end());
  for (const fs::path& p : candidates) {
    std::error_code rm_ec;
    fs::remove_all(p, rm_ec);
    if (!rm_ec) removed.push_back(p);
  }
  return removed;
}

namespace {

// A file a writer produces itself into the given path (durably, as write_file).
using StreamedFile = std::pair<std::string, std::function<bool(const fs::path&)>>;

// write_folder_atomically, plus files written by their own writers into the temporary folder.
WriteOutcome write_folder_with(const std::vector<std::pair<std::string, std::string_view>>& files,
                               const std::vector<StreamedFile>& streamed, const fs::path& target,
                               bool replace_existing) {
  if (WriteOutcome c = check_replace(target, replace_existing); !c.ok) return c;
  std::error_code ec;
  const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::vector<fs::path> removed = remove_stale_temporaries(target);
  fs::create_directories(parent, ec);
  if (ec) return {false, cat({"cannot create '", parent.string(), "': ", ec.message()}), {}};
  const fs::path tmp = parent / cat({".", target.filename().string(), ".tmp-", std::to_string(::getpid())});
  fs::remove_all(tmp, ec);
  fs::create_directory(tmp, ec);
  if (ec) return {false, cat({"cannot create '", tmp.string(), "': ", ec.message()}), {}};
  bool written = write_files_durably(tmp, files);
  for (const auto& [name, writer] : streamed) written = written && writer(tmp / name);
  if (!written) {
    fs::remove_all(tmp, ec);
    return {false, cat({"cannot write the results into '", tmp.string(), "'"}), {}};
  }
  // publish_folder fsyncs the folder, so the streamed files' names are durable before the rename.
  WriteOutcome out = publish_folder(tmp, target, replace_existing);
  if (!out.ok) fs::remove_all(tmp, ec);
  out.removed_stale = std::move(removed);
  return out;
}

}  // namespace

WriteOutcome write_folder_atomically(const std::vector<std::pair<std::string, std::string_view>>& files,
                                     const fs::path& target, bool replace_existing) {
  return write_folder_with(files, {}, target, replace_existing);
}

WriteOutcome write_run_results(const run::RunResult& result, const std::string& resolved_yaml, const fs::path& target,
                               bool replace_existing) {
  const ResultsFiles files = render_files(result, resolved_yaml, true);
  std::vector<std::pair<std::string, std::string_view>> list;
  for (const auto& [name, text] : named_files(files))
    if (name != "timeseries.csv") list.emplace_back(name, *text);  // inference.csv is not listed: empty
  std::vector<StreamedFile> streamed;
  streamed.emplace_back("timeseries.csv", [&result](const fs::path& path) {
    ChunkedFile file(path);
    render_timeseries_to(result, file.buffer, [&file](std::string&) { file.drain(); });
    return file.finish();
  });
  if (!result.model.service_rows.empty()) {
    streamed.emplace_back("inference.csv", [&result](const fs::path& path) {
      ChunkedFile file(path);
      render_inference_to(result, file.buffer, [&file](std::string&) { file.drain(); });
      return file.finish();
    });
  }
  return write_folder_with(list, streamed, target, replace_existing);
}

}  // namespace dcsim::reports
