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
  std::string site;      // "" for company-level lines (staff)
  std::string tenant;    // "shared" where no tenant applies
  double amount_usd = 0.0;
  std::string subcategory;  // e.g. the server type of a depreciation line; may be ""
  std::string hall;         // "" for site- or company-level lines
};

class Ledger {
 public:
  void add(engine::YearMonth month, std::string category, std::string site, std::string tenant, double amount_usd,
           std::string subcategory = "", std::string hall = "");
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
  std::string subcategory;
  std::string hall;
};

std::int64_t round_to_cents(double usd);

// Sums entries by (month, category, site, tenant, subcategory, hall), rounds each cell to the
// cent and drops zero cells. Sorted by month, then category, site, tenant, subcategory, hall. The total of a report is the sum of
// these rounded cells, so the rows always add up to it.
std::vector<MonthlyCost> monthly_pivot(const Ledger& ledger);
std::int64_t total_cents(const std::vector<MonthlyCost>& rows);

// Straight-line depreciation of `price_usd` over `useful_life_years` (of 365 days), no salvage,
// charged by time in service within each calendar month of [from, to).
void add_straight_line_depreciation(Ledger& ledger, const engine::Calendar& calendar, engine::SimTime from,
                                    engine::SimTime to, double price_usd, double useful_life_years,
                                    const std::string& site, const std::string& tenant,
                                    const std::string& subcategory = "", const std::string& hall = "");

// A charge of usd_per_month for every calendar month of [from, to), pro rata for partial months
// (by time within the month): staff, colocation, maintenance (yearly amount / 12).
void add_monthly_charge(Ledger& ledger, const engine::Calendar& calendar, engine::SimTime from, engine::SimTime to,
                        double usd_per_month, const std::string& category, const std::string& site,
                        const std::string& tenant, const std::string& subcategory = "", const std::string& hall = "");

}  // namespace dcsim::finance
