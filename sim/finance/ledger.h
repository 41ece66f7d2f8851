// The cost ledger: every cost is an entry (month, category, site, tenant, amount); reports are
// pivots of it, so every total reconciles with its parts.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/engine/calendar.h"

namespace dcsim::finance {

struct LedgerEntry {
  engine::YearMonth month;
  std::string category;  // snake_case: energy, depreciation, ...
  std::string site;
  std::string tenant;    // "shared" where no tenant applies
  double amount_usd = 0.0;
};

class Ledger {
 public:
  void add(engine::YearMonth month, std::string category, std::string site, std::string tenant, double amount_usd);
  const std::vector<LedgerEntry>& entries() const { return entries_; }

 private:
  std::vector<LedgerEntry> entries_;
};

// One cell of the monthly pivot, rounded to the cent (half away from zero).
struct MonthlyCost {
  engine::YearMonth month;
  std::string category;
  std::string site;
  std::string tenant;
  std::int64_t cents = 0;
};

std::int64_t round_to_cents(double usd);

// Sums entries by (month, category, site, tenant), rounds each cell to the cent and drops
// zero cells. Sorted by month, then category, site, tenant. The total of a report is the sum of
// these rounded cells, so the rows always add up to it.
std::vector<MonthlyCost> monthly_pivot(const Ledger& ledger);
std::int64_t total_cents(const std::vector<MonthlyCost>& rows);

// Straight-line depreciation of `price_usd` over `useful_life_years` (of 365 days), no salvage,
// charged by time in service within each calendar month of [from, to).
void add_straight_line_depreciation(Ledger& ledger, const engine::Calendar& calendar, engine::SimTime from,
                                    engine::SimTime to, double price_usd, double useful_life_years,
                                    const std::string& site, const std::string& tenant);

}  // namespace dcsim::finance
