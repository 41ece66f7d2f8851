// Cooling plants and facility overhead: see cooling.h and docs/cooling.md.
#include "sim/model/cooling.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

namespace dcsim::model {

namespace {

bool finite(double x) { return std::isfinite(x); }

std::string lower_dashed(std::string_view text) {
  std::string out;
  for (char c : text) {
    const char lc = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.push_back(lc == '_' ? '-' : lc);
  }
  return out;
}

}  // namespace

std::string_view to_string(CoolingType type) {
  switch (type) {
    case CoolingType::air: return "air";
    case CoolingType::rear_door: return "rear-door";
    case CoolingType::direct_liquid: return "direct-liquid";
  }
  return "air";
}

std::optional<CoolingType> parse_cooling_type(std::string_view text) {
  const std::string t = lower_dashed(text);
  if (t == "air") return CoolingType::air;
  if (t == "rear-door") return CoolingType::rear_door;
  if (t == "direct-liquid") return CoolingType::direct_liquid;
  return std::nullopt;
}

std::string cooling_type_names() { return "air, rear-door, direct-liquid"; }

std::string_view to_string(Redundancy redundancy) {
  switch (redundancy) {
    case Redundancy::n: return "N";
    case Redundancy::n_plus_1: return "N+1";
    case Redundancy::two_n: return "2N";
  }
  return "N";
}

std::optional<Redundancy> parse_redundancy(std::string_view text) {
  const std::string t = lower_dashed(text);
  if (t == "n") return Redundancy::n;
  if (t == "n+1") return Redundancy::n_plus_1;
  if (t == "2n") return Redundancy::two_n;
  return std::nullopt;
}

double usable_fraction(Redundancy redundancy, int units) {
  switch (redundancy) {
    case Redundancy::n: return 1.0;
    case Redundancy::n_plus_1: return units < 2 ? 0.0 : static_cast<double>(units - 1) / units;
    case Redundancy::two_n: return 0.5;
  }
  return 1.0;
}

double rack_density_limit_kw(CoolingType type) {
  switch (type) {
    case CoolingType::air: return 30.0;
    case CoolingType::rear_door: return 75.0;
    case CoolingType::direct_liquid: return 150.0;
  }
  return 30.0;
}

// The figures below are engineering assumptions chosen to reproduce the published PUE averages
// (REFERENCE.md, "Energy and carbon"); docs/cooling.md explains each one.
FacilityPowerModel default_facility_model(CoolingType type, double design_it_kw) {
  FacilityPowerModel m;
  m.type = type;
  const double design = std::max(0.0, design_it_kw);
  switch (type) {
    case CoolingType::air:
      // A typical enterprise/colocation hall: double-conversion UPS, chilled water with CRAHs,
      // a water-side economiser that only carries the load in cold weather.
      m.fixed_overhead_kw = 0.03 * design;
      m.electrical_loss_fraction = 0.09;
      m.free_cooling_below_c = 8.0;
      m.mechanical_full_above_c = 22.0;
      m.cooling_kw_per_kw_heat_free = 0.26;
      m.cooling_kw_per_kw_heat_mechanical = 0.57;
      m.extra_per_degree_above = 0.012;
      m.capacity_design_outdoor_c = 35.0;
      m.capacity_derate_per_degree = 0.015;
      break;
    case CoolingType::rear_door:
      // Rear-door heat exchangers on warmer chilled water (about 18-20 C): longer economiser hours.
      m.fixed_overhead_kw = 0.025 * design;
      m.electrical_loss_fraction = 0.07;
      m.free_cooling_below_c = 14.0;
      m.mechanical_full_above_c = 26.0;
      m.cooling_kw_per_kw_heat_free = 0.12;
      m.cooling_kw_per_kw_heat_mechanical = 0.30;
      m.extra_per_degree_above = 0.010;
      m.capacity_design_outdoor_c = 35.0;
      m.capacity_derate_per_degree = 0.015;
      break;
    case CoolingType::direct_liquid:
      // Warm-water direct-to-chip (supply 30 C or more) on dry coolers, a small air system for
      // the rest of the heat, high-efficiency UPS and distribution.
      m.fixed_overhead_kw = 0.015 * design;
      m.electrical_loss_fraction = 0.04;
      m.free_cooling_below_c = 24.0;
      m.mechanical_full_above_c = 34.0;
      m.cooling_kw_per_kw_heat_free = 0.06;
      m.cooling_kw_per_kw_heat_mechanical = 0.18;
      m.extra_per_degree_above = 0.010;
      m.capacity_design_outdoor_c = 40.0;
      m.capacity_derate_per_degree = 0.02;
      break;
  }
  return m;
}

std::vector<std::string> facility_model_problems(const FacilityPowerModel& m) {
  std::vector<std::string> problems;
  auto non_negative = [&](double v, const char* name) {
    if (!finite(v) || v < 0.0) problems.push_back(std::string(name) + " must be a finite number >= 0");
  };
  non_negative(m.fixed_overhead_kw, "fixed overhead");
  non_negative(m.electrical_loss_fraction, "electrical loss fraction");
  non_negative(m.cooling_kw_per_kw_heat_free, "free-cooling kW per kW of heat");
  non_negative(m.cooling_kw_per_kw_heat_mechanical, "mechanical-cooling kW per kW of heat");
  non_negative(m.extra_per_degree_above, "extra cooling per degree");
  non_negative(m.capacity_derate_per_degree, "capacity derating per degree");
  if (!finite(m.free_cooling_below_c) || !finite(m.mechanical_full_above_c)) {
    problems.push_back("the free-cooling and mechanical set points must be finite temperatures");
  } else if (m.free_cooling_below_c > m.mechanical_full_above_c) {
    problems.push_back("the free-cooling set point must not be above the full-mechanical set point");
  }
  if (!finite(m.capacity_design_outdoor_c)) problems.push_back("the capacity design temperature must be finite");
  return problems;
}

double cooling_kw_per_kw_heat(const FacilityPowerModel& m, double outdoor_c) {
  if (outdoor_c <= m.free_cooling_below_c) return m.cooling_kw_per_kw_heat_free;
  if (outdoor_c >= m.mechanical_full_above_c) {
    return m.cooling_kw_per_kw_heat_mechanical + m.extra_per_degree_above * (outdoor_c - m.mechanical_full_above_c);
  }
  const double share = (outdoor_c - m.free_cooling_below_c) / (m.mechanical_full_above_c - m.free_cooling_below_c);
  return m.cooling_kw_per_kw_heat_free + share * (m.cooling_kw_per_kw_heat_mechanical - m.cooling_kw_per_kw_heat_free);
}

FacilityPower facility_power(const FacilityPowerModel& m, double it_kw, double outdoor_c) {
  FacilityPower p;
  p.it_kw = std::max(0.0, it_kw);
  p.electrical_loss_kw = m.electrical_loss_fraction * p.it_kw;
  p.heat_kw = p.it_kw + p.electrical_loss_kw;
  p.cooling_kw = std::max(0.0, cooling_kw_per_kw_heat(m, outdoor_c)) * p.heat_kw;
  p.fixed_kw = m.fixed_overhead_kw;
  p.facility_kw = p.it_kw + p.cooling_kw + p.electrical_loss_kw + p.fixed_kw;
  p.pue = p.it_kw > 0.0 ? p.facility_kw / p.it_kw : std::numeric_limits<double>::quiet_NaN();
  return p;
}

int failure_units(Redundancy redundancy, int units) {
  return redundancy == Redundancy::two_n ? std::max(units, 2) : std::max(units, 1);
}

double usable_fraction_with_failed(Redundancy redundancy, int units, int failed) {
  const double usable = usable_fraction(redundancy, units);
  if (failed <= 0) return usable;
  const int k = failure_units(redundancy, units);
  const double running = static_cast<double>(std::max(0, k - failed)) / k;
  return std::min(usable, running);
}

double cooling_capacity_kw(double installed_kw_heat, Redundancy redundancy, int units, double outdoor_c,
                           const FacilityPowerModel& m, int failed_units) {
  const double usable = std::max(0.0, installed_kw_heat) * usable_fraction_with_failed(redundancy, units, failed_units);
  const double above = std::max(0.0, outdoor_c - m.capacity_design_outdoor_c);
  const double derate = std::clamp(1.0 - m.capacity_derate_per_degree * above, 0.0, 1.0);
  return usable * derate;
}

double max_it_kw_for_cooling(double capacity_kw_heat, const FacilityPowerModel& m) {
  return std::max(0.0, capacity_kw_heat) / (1.0 + m.electrical_loss_fraction);
}

double water_litres_per_kwh_heat(CoolingType type, double outdoor_c) {
  auto ramp = [&](double base, double from_c, double per_degree, double cap) {
    return std::min(cap, base + per_degree * std::max(0.0, outdoor_c - from_c));
  };
  switch (type) {
    case CoolingType::air: return ramp(0.5, 10.0, 0.2, 5.0);
    case CoolingType::rear_door: return ramp(0.3, 15.0, 0.15, 4.0);
    case CoolingType::direct_liquid: return ramp(0.0, 25.0, 0.1, 2.0);
  }
  return 0.0;
}

void FacilityTotals::add(const FacilityPower& power, CoolingType type, double outdoor_c, double hours) {
  it_kwh += power.it_kw * hours;
  facility_kwh += power.facility_kw * hours;
  cooling_kwh += power.cooling_kw * hours;
  heat_kwh += power.heat_kw * hours;
  water_litres += water_litres_per_kwh_heat(type, outdoor_c) * power.heat_kw * hours;
}

double FacilityTotals::pue() const {
  return it_kwh > 0.0 ? facility_kwh / it_kwh : std::numeric_limits<double>::quiet_NaN();
}

double FacilityTotals::wue() const {
  return it_kwh > 0.0 ? water_litres / it_kwh : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace dcsim::model
