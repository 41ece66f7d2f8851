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
  // An asset in service since before the start (from < 0) is charged from the start only.
  for (engine::SimTime t = std::max<engine::SimTime>(from, 0); t < to;) {
    const engine::SimTime month_end = std::min(to, calendar.start_of_next_month(t));
    const double share = static_cast<double>(month_end - t) / life_us;
    ledger.add(calendar.month_of(t), "depreciation", site, tenant, price_usd * share, subcategory, hall);
    t = month_end;
  }
}

std::vector<double> depreciation_schedule(DepreciationMethod method, double price_usd, double useful_life_years) {
  std::vector<double> out;
  if (useful_life_years <= 0.0) return out;
  double book = price_usd;
  for (int k = 0; k < useful_life_years; ++k) {
    const double remaining = useful_life_years - k;
    const double year_share = std::min(1.0, remaining);
    const double straight = book * year_share / remaining;
    double charge = method == DepreciationMethod::straight_line ? price_usd * year_share / useful_life_years
                                                                : std::max(book * 2.0 / useful_life_years, straight);
    charge = std::min(charge, book);
    out.push_back(charge);
    book -= charge;
  }
  return out;
}

double add_depreciation(Ledger& ledger, const engine::Calendar& calendar, DepreciationMethod method,
                        engine::SimTime from, engine::SimTime to, double price_usd, double useful_life_years,
                        const std::string& site, const std::string& tenant, const std::string& subcategory,
                        const std::string& hall) {
  if (useful_life_years <= 0.0 || price_usd == 0.0) return price_usd;
  const std::vector<double> schedule = depreciation_schedule(method, price_usd, useful_life_years);
  const double year_us = 365.0 * static_cast<double>(engine::kMicrosPerDay);
  double charged = 0.0;
  for (std::size_t k = 0; k < schedule.size(); ++k) {
    // Year k of the asset's life, the last one perhaps partial; its charge spreads evenly over it.
    const double length_us = std::min(1.0, useful_life_years - static_cast<double>(k)) * year_us;
    const engine::SimTime year_start = from + static_cast<engine::SimTime>(std::llround(static_cast<double>(k) * year_us));
    const engine::SimTime year_end = year_start + static_cast<engine::SimTime>(std::llround(length_us));
    const engine::SimTime until = std::min(to, year_end);
    for (engine::SimTime t = year_start; t < until;) {
      // Before the start (an asset in service since before it) the charge lowers the book value
      // but is not booked: it fell in earlier years' accounts.
      const engine::SimTime piece_end = std::min(until, t < 0 ? std::min<engine::SimTime>(0, calendar.start_of_next_month(t))
                                                              : calendar.start_of_next_month(t));
      const double amount = schedule[k] * static_cast<double>(piece_end - t) / static_cast<double>(year_end - year_start);
      if (t >= 0) ledger.add(calendar.month_of(t), "depreciation", site, tenant, amount, subcategory, hall);
      charged += amount;
      t = piece_end;
    }
    if (until < year_end) break;
  }
  return std::max(0.0, price_usd - charged);
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

void Ledger::scale(const std::function<double(const LedgerEntry&)>& factor) {
  for (LedgerEntry& e : entries_) e.amount_usd *= factor(e);
}

double escalation_factor(double yearly_rate, int start_year, engine::YearMonth month) {
  return std::pow(1.0 + yearly_rate, month.year - start_year);
}

void escalate(Ledger& ledger, int start_year, const std::map<std::string, double>& rate_by_category) {
  ledger.scale([&](const LedgerEntry& e) {
    const auto it = rate_by_category.find(e.category);
    return it == rate_by_category.end() ? 1.0 : escalation_factor(it->second, start_year, e.month);
  });
}

int fiscal_year_of(engine::YearMonth month, int start_month) {
  return start_month > 1 && month.month >= start_month ? month.year + 1 : month.year;
}

std::vector<std::int64_t> fiscal_year_tax_cents(const std::vector<engine::YearMonth>& months,
                                                const std::vector<std::int64_t>& profit_cents, double rate,
                                                int start_month) {
  std::vector<std::int64_t> tax(months.size(), 0);
  if (rate <= 0.0) return tax;
  for (std::size_t i = 0; i < months.size();) {
    const int fy = fiscal_year_of(months[i], start_month);
    std::int64_t profit = 0;
    std::size_t last = i;
    for (; i < months.size() && fiscal_year_of(months[i], start_month) == fy; ++i) {
      profit += profit_cents[i];
      last = i;
    }
    if (profit > 0) tax[last] = std::llround(static_cast<double>(profit) * rate);
  }
  return tax;
}

}  // namespace dcsim::finance
