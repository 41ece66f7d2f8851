// Ledger pivots and depreciation schedules.
#include "sim/finance/ledger.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace dcsim::finance {

void Ledger::add(engine::YearMonth month, std::string category, std::string site, std::string tenant,
                 double amount_usd, std::string subcategory, std::string hall) {
  entries_.push_back(LedgerEntry{month, std::move(category), std::move(site), std::move(tenant), amount_usd,
                                 std::move(subcategory), std::move(hall)});
}

std::int64_t round_to_cents(double usd) { return std::llround(usd * 100.0); }

std::vector<MonthlyCost> monthly_pivot(const Ledger& ledger) {
  using Key = std::tuple<engine::YearMonth, std::string, std::string, std::string, std::string, std::string>;
  std::map<Key, double> cells;
  for (const LedgerEntry& e : ledger.entries()) {
    cells[Key{e.month, e.category, e.site, e.tenant, e.subcategory, e.hall}] += e.amount_usd;
  }
  std::vector<MonthlyCost> rows;
  for (const auto& [key, usd] : cells) {
    const std::int64_t cents = round_to_cents(usd);
    if (cents == 0) continue;
    rows.push_back(MonthlyCost{std::get<0>(key), std::get<1>(key), std::get<2>(key), std::get<3>(key), cents,
                               std::get<4>(key), std::get<5>(key)});
  }
  return rows;
}

std::int64_t total_cents(const std::vector<MonthlyCost>& rows) {
  std::int64_t sum = 0;
  for (const MonthlyCost& r : rows) sum += r.cents;
  return sum;
}

void add_straight_line_depreciation(Ledger& ledger, const engine::Calendar& calendar, engine::SimTime from,
                                    engine::SimTime to, double price_usd, double useful_life_years,
                                    const std::string& site, const std::string& tenant,
                                    const std::string& subcategory, const std::string& hall) {
  if (useful_life_years <= 0.0 || price_usd == 0.0) return;
  const double life_us = useful_life_years * 365.0 * static_cast<double>(engine::kMicrosPerDay);
  // Fully depreciated assets cost nothing more.
  to = std::min<engine::SimTime>(to, from + static_cast<engine::SimTime>(std::llround(life_us)));
  for (engine::SimTime t = from; t < to;) {
    const engine::SimTime month_end = std::min(to, calendar.start_of_next_month(t));
    const double share = static_cast<double>(month_end - t) / life_us;
    ledger.add(calendar.month_of(t), "depreciation", site, tenant, price_usd * share, subcategory, hall);
    t = month_end;
  }
}

void add_monthly_charge(Ledger& ledger, const engine::Calendar& calendar, engine::SimTime from, engine::SimTime to,
                        double usd_per_month, const std::string& category, const std::string& site,
                        const std::string& tenant, const std::string& subcategory, const std::string& hall) {
  if (usd_per_month == 0.0) return;
  for (engine::SimTime t = from; t < to;) {
    const engine::YearMonth month = calendar.month_of(t);
    const engine::SimTime month_start = calendar.start_of_month(month);
    const engine::SimTime month_end = calendar.start_of_next_month(t);
    const engine::SimTime until = std::min(to, month_end);
    const double share = static_cast<double>(until - t) / static_cast<double>(month_end - month_start);
    ledger.add(month, category, site, tenant, usd_per_month * share, subcategory, hall);
    t = until;
  }
}

}  // namespace dcsim::finance
