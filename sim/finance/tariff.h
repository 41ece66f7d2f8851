// Electricity tariffs beyond a flat price: time-of-use periods in the site's local time and a
// monthly demand charge on the peak 15-minute mean facility power.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/engine/calendar.h"
#include "sim/finance/ledger.h"

namespace dcsim::finance {

enum class TariffDays { all, weekdays, weekends };

struct TariffPeriod {
  std::string name;
  int from_hour = 0;  // local hours [from_hour, to_hour); wraps past midnight when from_hour > to_hour
  int to_hour = 24;
  TariffDays days = TariffDays::all;
  double usd_per_kwh = 0.0;
};

struct Tariff {
  double usd_per_kwh = 0.0;  // outside every period
  double utc_offset_h = 0.0;
  std::vector<TariffPeriod> periods;  // first match wins
  double demand_charge_usd_per_kw_month = 0.0;
};

inline constexpr engine::SimTime kQuarterHour = 15 * engine::kMicrosPerHour / 60;

// Index into tariff.periods of the period covering the instant unix_s (UTC), or -1 when none
// does (the off-peak price applies).
int tariff_period_at(const Tariff& tariff, std::int64_t unix_s);

// Books one hall's energy, given as facility kWh per 15-minute interval from the start, at the
// price of the period each interval starts in: category "energy", subcategory the period's name,
// or "offpeak" outside every period. price_factor(month) scales the prices of a calendar month
// (escalation); empty for 1.
using PriceFactorFn = std::function<double(engine::YearMonth)>;
void add_energy_by_period(Ledger& ledger, const engine::Calendar& calendar, const Tariff& tariff,
                          const std::vector<double>& quarter_kwh, const std::string& site, const std::string& hall,
                          const PriceFactorFn& price_factor = {});

// A site's monthly demand: the highest 15-minute mean facility power of each calendar month,
// from facility kWh per 15-minute interval (the last interval may be cut short by `end`).
struct MonthPeak {
  engine::YearMonth month;
  double peak_kw = 0.0;
  double share_of_month = 0.0;  // time of the month inside [0, end) / the month's length
};
std::vector<MonthPeak> monthly_peaks(const engine::Calendar& calendar, const std::vector<double>& quarter_kwh,
                                     engine::SimTime end);

// Books the demand charge of each month: rate x peak kW x the share of the month simulated
// (category "energy", subcategory "demand_charge", site level).
void add_demand_charge(Ledger& ledger, const std::vector<MonthPeak>& peaks, double usd_per_kw_month,
                       const std::string& site, const PriceFactorFn& price_factor = {});

}  // namespace dcsim::finance
