// Time-of-use energy prices and demand charges, booked into the ledger.
#include "sim/finance/tariff.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

namespace dcsim::finance {

namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool hour_in(const TariffPeriod& p, int hour) {
  if (p.from_hour < p.to_hour) return hour >= p.from_hour && hour < p.to_hour;
  return hour >= p.from_hour || hour < p.to_hour;  // wraps past midnight
}

}  // namespace

int tariff_period_at(const Tariff& tariff, std::int64_t unix_s) {
  const std::int64_t local_s = unix_s + std::llround(tariff.utc_offset_h * 3600.0);
  const std::int64_t day = floor_div(local_s, 86400);
  const int hour = static_cast<int>((local_s - day * 86400) / 3600);
  // 1970-01-01 was a Thursday: Monday is 0 in ((day + 3) mod 7).
  const int weekday = static_cast<int>(((day + 3) % 7 + 7) % 7);
  const bool weekend = weekday >= 5;
  for (std::size_t i = 0; i < tariff.periods.size(); ++i) {
    const TariffPeriod& p = tariff.periods[i];
    if (p.days == TariffDays::weekdays && weekend) continue;
    if (p.days == TariffDays::weekends && !weekend) continue;
    if (hour_in(p, hour)) return static_cast<int>(i);
  }
  return -1;
}

void add_energy_by_period(Ledger& ledger, const engine::Calendar& calendar, const Tariff& tariff,
                          const std::vector<double>& quarter_kwh, const std::string& site, const std::string& hall,
                          const PriceFactorFn& price_factor) {
  // Sum by (month, period) first: one ledger line per month and period, not per interval.
  std::map<std::pair<engine::YearMonth, int>, double> usd;
  for (std::size_t q = 0; q < quarter_kwh.size(); ++q) {
    const engine::SimTime t = static_cast<engine::SimTime>(q) * kQuarterHour;
    const int period = tariff_period_at(tariff, calendar.unix_seconds(t));
    const double price = period < 0 ? tariff.usd_per_kwh : tariff.periods[static_cast<std::size_t>(period)].usd_per_kwh;
    usd[{calendar.month_of(t), period}] += quarter_kwh[q] * price;
  }
  for (const auto& [key, amount] : usd) {
    const double factor = price_factor ? price_factor(key.first) : 1.0;
    const std::string& name = key.second < 0 ? std::string("offpeak") : tariff.periods[static_cast<std::size_t>(key.second)].name;
    ledger.add(key.first, "energy", site, "shared", amount * factor, name, hall);
  }
}

std::vector<MonthPeak> monthly_peaks(const engine::Calendar& calendar, const std::vector<double>& quarter_kwh,
                                     engine::SimTime end) {
  std::vector<MonthPeak> out;
  for (std::size_t q = 0; q < quarter_kwh.size(); ++q) {
    const engine::SimTime t = static_cast<engine::SimTime>(q) * kQuarterHour;
    if (t >= end) break;
    const engine::SimTime length = std::min(end, t + kQuarterHour) - t;
    const double kw = quarter_kwh[q] / (static_cast<double>(length) / 3.6e9);
    const engine::YearMonth month = calendar.month_of(t);
    if (out.empty() || out.back().month != month) {
      const engine::SimTime month_start = calendar.start_of_month(month);
      const engine::SimTime month_end = calendar.start_of_next_month(t);
      const engine::SimTime inside = std::min(end, month_end) - std::max<engine::SimTime>(0, month_start);
      out.push_back(MonthPeak{month, 0.0, static_cast<double>(inside) / static_cast<double>(month_end - month_start)});
    }
    out.back().peak_kw = std::max(out.back().peak_kw, kw);
  }
  return out;
}

void add_demand_charge(Ledger& ledger, const std::vector<MonthPeak>& peaks, double usd_per_kw_month,
                       const std::string& site, const PriceFactorFn& price_factor) {
  if (usd_per_kw_month == 0.0) return;
  for (const MonthPeak& p : peaks) {
    const double factor = price_factor ? price_factor(p.month) : 1.0;
    ledger.add(p.month, "energy", site, "shared", usd_per_kw_month * p.peak_kw * p.share_of_month * factor,
               "demand_charge");
  }
}

}  // namespace dcsim::finance
