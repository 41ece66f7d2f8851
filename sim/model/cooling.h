// Cooling plants and facility overhead: rack density limits by cooling type, N / N+1 / 2N
// redundancy, hourly PUE from IT load and outdoor temperature, heat-rejection capacity that
// derates in hot weather, and water use (WUE). Pure functions; docs/cooling.md has the formulas,
// defaults, sources and the calibration table.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcsim::model {

enum class CoolingType { air, rear_door, direct_liquid };

// "air", "rear-door", "direct-liquid" (parse also accepts '_' for '-'); nullopt otherwise.
std::string_view to_string(CoolingType type);
std::optional<CoolingType> parse_cooling_type(std::string_view text);
std::string cooling_type_names();  // "air, rear-door, direct-liquid" for messages

enum class Redundancy { n, n_plus_1, two_n };

// "N", "N+1", "2N" (parse is case-insensitive); nullopt otherwise.
std::string_view to_string(Redundancy redundancy);
std::optional<Redundancy> parse_redundancy(std::string_view text);

// Share of the INSTALLED capacity (all units together, spares included) that may be loaded so
// that the plant still carries the load after the failures its redundancy level allows:
//   N: 1 (no spare); N+1 with k units: (k-1)/k (one unit may fail); 2N: 1/2 (a whole side may
//   fail; `units` is ignored).
// N+1 needs at least 2 units; fewer gives 0 (nothing survives a failure): validation should
// reject it before this is called.
double usable_fraction(Redundancy redundancy, int units);

// Units a failure process counts for a plant: `units`, but at least 2 for 2N (one per side).
int failure_units(Redundancy redundancy, int units);

// Share of the installed capacity usable while `failed` of its failure_units are out: the
// redundancy's usable share, or what the units still running carry if that is less. N+1 loses
// nothing at its first failure; N loses one unit's share at once; 2N nothing until half the
// units are out. Equals usable_fraction(redundancy, units) when failed == 0.
double usable_fraction_with_failed(Redundancy redundancy, int units, int failed);

// Highest rack density each cooling type carries by default, kW of IT per rack (REFERENCE.md,
// "Servers, racks, fabric"): air 30 (air "tops out near 25-30 kW"); rear_door 75, the top of
// the 40-75 kW range, because a rear door is bought for dense racks: active (fan-assisted)
// doors are rated up to about 75 kW (vendor ratings; an assumption, not in REFERENCE.md) while
// the 40 kW figure is for containment or passive doors, which a scenario can set as an override;
// direct_liquid 150 (liquid carries "50-120+ kW" and the shipped GB200 NVL72 example runs about
// 150 kW per rack).
double rack_density_limit_kw(CoolingType type);

// Facility power beside the IT load. Every field may be overridden by a scenario.
struct FacilityPowerModel {
  CoolingType type = CoolingType::air;
  // Lighting, offices, security, controls: drawn always, whatever the IT load.
  double fixed_overhead_kw = 0.0;
  // UPS conversion and distribution (transformers, PDUs, cabling) losses, kW per kW of IT.
  double electrical_loss_fraction = 0.0;
  // Cooling power per kW of heat rejected (heat = IT + electrical losses):
  //   outdoor <= free_cooling_below_c:        cooling_kw_per_kw_heat_free (economiser: fans,
  //                                           pumps, dry coolers or towers; chillers off)
  //   between the two set points:             linear blend from free to mechanical
  //   outdoor >= mechanical_full_above_c:     cooling_kw_per_kw_heat_mechanical
  //                                           + extra_per_degree_above * (outdoor - set point)
  //                                           (chiller lift grows with the condensing temperature)
  double free_cooling_below_c = 10.0;
  double mechanical_full_above_c = 25.0;
  double cooling_kw_per_kw_heat_free = 0.0;
  double cooling_kw_per_kw_heat_mechanical = 0.0;
  double extra_per_degree_above = 0.0;
  // Heat-rejection capacity derating: above capacity_design_outdoor_c the plant loses
  // capacity_derate_per_degree of its capacity per degree C (never below 0).
  double capacity_design_outdoor_c = 35.0;
  double capacity_derate_per_degree = 0.015;
};

// Defaults by cooling type (docs/cooling.md); fixed overhead is a share of the hall's design IT
// load (air 3%, rear_door 2.5%, direct_liquid 1.5%). design_it_kw >= 0.
// Calibrated so that a hall at a constant 80% of design_it_kw under climate_preset("temperate")
// has an annual PUE of about 1.57 for air (Uptime Institute survey average 1.56-1.58), about
// 1.13 for direct_liquid (hyperscale 1.1-1.2) and in between for rear_door; tests check it.
FacilityPowerModel default_facility_model(CoolingType type, double design_it_kw);

// Problems with a (possibly overridden) model, one sentence each; empty when it is usable.
std::vector<std::string> facility_model_problems(const FacilityPowerModel& model);

struct FacilityPower {
  double it_kw = 0.0;
  double heat_kw = 0.0;  // rejected by the cooling plant: IT + electrical losses
  double cooling_kw = 0.0;
  double electrical_loss_kw = 0.0;
  double fixed_kw = 0.0;
  double facility_kw = 0.0;  // it + cooling + electrical losses + fixed: the meter reading
  // facility_kw / it_kw, >= 1. NaN when it_kw == 0 (the fixed overhead is still drawn and
  // counted in facility_kw). Average over time with sum(facility) / sum(IT), never by averaging
  // hourly PUEs.
  double pue = 0.0;
};

// Cooling power as a share of heat at an outdoor temperature (the piecewise curve above).
double cooling_kw_per_kw_heat(const FacilityPowerModel& model, double outdoor_c);

// it_kw >= 0 (negative is treated as 0).
FacilityPower facility_power(const FacilityPowerModel& model, double it_kw, double outdoor_c);

// Heat the plant can reject now, kW: installed capacity x usable_fraction_with_failed x outdoor
// derating.
double cooling_capacity_kw(double installed_kw_heat, Redundancy redundancy, int units, double outdoor_c,
                           const FacilityPowerModel& model, int failed_units = 0);

// Highest IT load whose heat (IT + electrical losses) fits a heat-rejection capacity: the cap
// the model applies to a hall, the same way as a power cap.
double max_it_kw_for_cooling(double capacity_kw_heat, const FacilityPowerModel& model);

// Water evaporated by the cooling plant, litres per kWh of heat rejected (assumptions, see
// docs/cooling.md): air with cooling towers or adiabatic assist 0.5 L/kWh when cold, rising
// 0.2 L/kWh per degree above 10 C (capped at 5); rear_door 0.3, +0.15 per degree above 15 C
// (cap 4); direct_liquid on closed-loop dry coolers 0 up to 25 C, then adiabatic spray
// +0.1 per degree (cap 2). Gives an annual WUE near the industry average of about 1.8 L/kWh of
// IT energy [S] for an air hall in the temperate preset.
double water_litres_per_kwh_heat(CoolingType type, double outdoor_c);

// Running totals over hours (or any steps): energy-weighted PUE and WUE.
struct FacilityTotals {
  double it_kwh = 0.0;
  double facility_kwh = 0.0;
  double cooling_kwh = 0.0;
  double heat_kwh = 0.0;
  double water_litres = 0.0;

  // Adds one step of `hours` at this power and outdoor temperature.
  void add(const FacilityPower& power, CoolingType type, double outdoor_c, double hours = 1.0);
  double pue() const;  // facility_kwh / it_kwh; NaN without IT energy
  double wue() const;  // litres per kWh of IT energy (The Green Grid's WUE); NaN without IT energy
};

}  // namespace dcsim::model
