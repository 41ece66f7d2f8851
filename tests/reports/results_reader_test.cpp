// Reading results folders back: what `dcsim run` writes reads back to the same values, and a
// missing or corrupt file is an error that names the file (and line), never a crash.
#include "reports/results_reader.h"

#include <gtest/gtest.h>

#include <fstream>

#include "sim/scenario/loader.h"

namespace dcsim::reports {
namespace {

namespace fs = std::filesystem;

ResultsFiles default_files() {
  static const ResultsFiles files = [] {
    scenario::LoadResult loaded = scenario::load_scenario_file(DCSIM_SOURCE_DIR "/scenarios/default.yaml");
    EXPECT_TRUE(loaded.ok());
    run::RunRequest request;
    request.scenario = std::move(*loaded.scenario);
    run::RunResult result = run::run(std::move(request));
    EXPECT_TRUE(result.ok());
    return render_results(result, scenario::to_resolved_yaml(result.scenario));
  }();
  return files;
}

class ResultsReader : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dcsim-reader-test-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    ASSERT_TRUE(write_results_folder(default_files(), dir_, false).ok);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name, std::ios::binary) << text; }
  fs::path dir_;
};

TEST_F(ResultsReader, ReadsBackWhatARunWrote) {
  const ReadOutcome out = read_results_folder(dir_);
  ASSERT_TRUE(out.folder) << out.error;
  const ResultsFolder& f = *out.folder;
  EXPECT_EQ(f.summary_text("scenario"), "One hall of H100 servers");
  EXPECT_EQ(f.summary.at("scenario"), "\"One hall of H100 servers\"");
  EXPECT_EQ(f.summary_number("gpus"), 512.0);
  EXPECT_EQ(f.summary_number("horizon_hours"), 2160.0);
  ASSERT_FALSE(f.envelopes.empty());
  EXPECT_EQ(f.envelopes[0].at("envelope"), "\"gpus\"");
  EXPECT_EQ(f.timeseries.rows, 2160u);
  const CsvColumn* busy = f.timeseries.find("gpus_busy");
  ASSERT_NE(busy, nullptr);
  EXPECT_TRUE(busy->numeric);
  EXPECT_EQ(busy->numbers.size(), 2160u);
  EXPECT_FALSE(f.timeseries.find("time")->numeric);
  EXPECT_EQ(f.timeseries.find("time")->cell(0), "2026-01-01T00:00:00Z");
  // Cost rows add up to the summary's total, to the cent.
  double total = 0.0;
  for (double v : f.cost_monthly.find("amount_usd")->numbers) total += v;
  EXPECT_NEAR(total, *f.summary_number("total_cost_usd"), 0.005);
  EXPECT_EQ(f.capacity.rows, 3u);
  EXPECT_FALSE(f.resolved_yaml.empty());
}

TEST_F(ResultsReader, InMemoryFilesReadTheSameAsTheFolder) {
  const ReadOutcome a = read_results_folder(dir_);
  const ReadOutcome b = read_results_files(default_files());
  ASSERT_TRUE(a.folder && b.folder);
  EXPECT_EQ(a.folder->summary, b.folder->summary);
  EXPECT_EQ(a.folder->timeseries.find("facility_power_kw")->numbers, b.folder->timeseries.find("facility_power_kw")->numbers);
  // Numbers print back exactly as written.
  std::ifstream in(dir_ / "timeseries.csv");
  std::string header, first;
  std::getline(in, header);
  std::getline(in, first);
  std::string rebuilt;
  for (const auto& c : a.folder->timeseries.columns) {
    if (!rebuilt.empty()) rebuilt += ',';
    rebuilt += c.cell(0);
  }
  EXPECT_EQ(rebuilt, first);
}

ResultsFiles market_files() {
  static const ResultsFiles files = [] {
    scenario::LoadResult loaded =
        scenario::load_scenario_file(DCSIM_SOURCE_DIR "/scenarios/examples/market-driven-growth.yaml");
    EXPECT_TRUE(loaded.ok());
    run::RunRequest request;
    request.scenario = std::move(*loaded.scenario);
    run::RunResult result = run::run(std::move(request));
    EXPECT_TRUE(result.ok());
    return render_results(result, scenario::to_resolved_yaml(result.scenario));
  }();
  return files;
}

TEST_F(ResultsReader, YearlyKpisAreReadAndNoMarketWithoutAMarketSection) {
  const ReadOutcome out = read_results_folder(dir_);
  ASSERT_TRUE(out.folder) << out.error;
  EXPECT_FALSE(out.folder->has_market());
  EXPECT_EQ(out.folder->market.rows, 0u);
  ASSERT_NE(out.folder->kpis.find("year"), nullptr);
  EXPECT_GT(out.folder->kpis.rows, 0u);
  // A folder written before kpis.csv existed still opens.
  fs::remove(dir_ / "kpis.csv");
  const ReadOutcome old = read_results_folder(dir_);
  ASSERT_TRUE(old.folder) << old.error;
  EXPECT_TRUE(old.folder->kpis.columns.empty());
}

TEST_F(ResultsReader, MarketFilesAreReadWhenPresent) {
  const ResultsFiles files = market_files();
  ASSERT_FALSE(files.market_csv.empty());
  const fs::path dir = dir_ / "market";
  ASSERT_TRUE(write_results_folder(files, dir, false).ok);
  const ReadOutcome out = read_results_folder(dir);
  ASSERT_TRUE(out.folder) << out.error;
  const ResultsFolder& f = *out.folder;
  ASSERT_TRUE(f.has_market());
  EXPECT_EQ(f.market.find("year")->cell(0), "2025");
  EXPECT_EQ(f.market.find("case")->cell(0), "base");
  EXPECT_EQ(f.market.find("dimension")->cell(0), "total");
  EXPECT_DOUBLE_EQ(f.market.find("market_usd_bn")->numbers[0], 82.3);
  EXPECT_GT(f.market_demand.rows, 0u);
  EXPECT_TRUE(f.market_demand.find("gpu_hours")->numeric);
  const ReadOutcome mem = read_results_files(files);
  ASSERT_TRUE(mem.folder) << mem.error;
  EXPECT_EQ(mem.folder->market.find("market_usd_bn")->numbers, f.market.find("market_usd_bn")->numbers);

  // One market file without the other is named.
  fs::remove(dir / "market_demand.csv");
  const ReadOutcome half = read_results_folder(dir);
  EXPECT_FALSE(half.folder);
  EXPECT_NE(half.error.find("market_demand.csv: missing"), std::string::npos) << half.error;
  std::ofstream(dir / "market_demand.csv") << "year,market_share,segment_usd_bn,usd_per_gpu_hour,gpu_hours\n2025,x,1,1,1\n";
  const ReadOutcome bad = read_results_folder(dir);
  EXPECT_FALSE(bad.folder);
  EXPECT_NE(bad.error.find("market_demand.csv: line 2: column 'market_share' holds 'x'"), std::string::npos) << bad.error;
}

TEST_F(ResultsReader, MissingFileIsNamed) {
  fs::remove(dir_ / "capacity.csv");
  const ReadOutcome out = read_results_folder(dir_);
  EXPECT_FALSE(out.folder);
  EXPECT_NE(out.error.find("capacity.csv: missing"), std::string::npos) << out.error;
}

TEST_F(ResultsReader, CorruptSummaryIsNamed) {
  write("summary.json", "{\n  \"scenario\": \"x\",\n  \"gpus\": 5\n");
  const ReadOutcome out = read_results_folder(dir_);
  EXPECT_FALSE(out.folder);
  EXPECT_NE(out.error.find("summary.json: "), std::string::npos) << out.error;
}

TEST_F(ResultsReader, ShortRowIsNamedWithItsLine) {
  write("timeseries.csv", "time,gpus_total,gpus_busy,utilization,it_power_kw,facility_power_kw,queue_length\n"
                          "2026-01-01T00:00:00Z,1,1,1,1,1,0\n"
                          "2026-01-01T01:00:00Z,1,1\n");
  const ReadOutcome out = read_results_folder(dir_);
  EXPECT_FALSE(out.folder);
  EXPECT_NE(out.error.find("timeseries.csv: line 3: 3 fields where the header has 7"), std::string::npos) << out.error;
}

TEST_F(ResultsReader, TextInANumberColumnIsNamed) {
  write("cost_monthly.csv", "month,category,site,tenant,amount_usd\n2026-01,energy,a,shared,12.5\n2026-02,energy,a,shared,lots\n");
  const ReadOutcome out = read_results_folder(dir_);
  EXPECT_FALSE(out.folder);
  EXPECT_NE(out.error.find("cost_monthly.csv: line 3: column 'amount_usd' holds 'lots'"), std::string::npos) << out.error;
}

TEST_F(ResultsReader, MissingColumnIsNamed) {
  write("capacity.csv", "month,envelope\n");
  const ReadOutcome out = read_results_folder(dir_);
  EXPECT_NE(out.error.find("capacity.csv: missing column 'site'"), std::string::npos) << out.error;
}

TEST_F(ResultsReader, NotAFolder) {
  EXPECT_NE(read_results_folder(dir_ / "nope").error.find("not a folder"), std::string::npos);
}

TEST_F(ResultsReader, MonthlyPnlIsReadAndRevenueOnlyWhenWritten) {
  const ReadOutcome out = read_results_folder(dir_);
  ASSERT_TRUE(out.folder) << out.error;
  const CsvTable& pnl = out.folder->pnl_monthly;
  ASSERT_EQ(pnl.rows, 3u);  // January to March
  EXPECT_EQ(pnl.find("month")->cell(2), "2026-03");
  // The last cumulative cash is the sum of the months' cash flows, to the cent.
  double flows = 0.0;
  for (double v : pnl.find("cash_flow_usd")->numbers) flows += v;
  EXPECT_NEAR(pnl.find("cumulative_cash_usd")->numbers.back(), flows, 0.005);
  EXPECT_TRUE(out.folder->revenue_monthly.columns.empty());  // no prices by GPU type
  EXPECT_FALSE(out.folder->has_bands());
  write("revenue_monthly.csv", "month,category,site,tenant,amount_usd,subcategory,hall\n2026-01,on_demand,,research,12.5,h100,\n");
  const ReadOutcome with = read_results_folder(dir_);
  ASSERT_TRUE(with.folder) << with.error;
  EXPECT_EQ(with.folder->revenue_monthly.find("subcategory")->cell(0), "h100");
  EXPECT_EQ(with.folder->revenue_monthly.find("amount_usd")->numbers[0], 12.5);
  write("revenue_monthly.csv", "month,category,amount_usd\n2026-01,on_demand,1\n");
  EXPECT_NE(read_results_folder(dir_).error.find("revenue_monthly.csv: missing column 'subcategory'"), std::string::npos);
}

TEST_F(ResultsReader, CarbonByMonthIsReadWhenPresent) {
  const ReadOutcome out = read_results_folder(dir_);
  ASSERT_TRUE(out.folder) << out.error;
  const CsvTable& carbon = out.folder->carbon_monthly;
  ASSERT_EQ(carbon.rows, 3u);  // one site, January to March
  EXPECT_EQ(carbon.find("site")->cell(0), "ashburn");
  double total = 0.0;
  for (double v : carbon.find("carbon_t")->numbers) total += v;
  EXPECT_NEAR(total, *out.folder->summary_number("carbon_t"), 1e-9 * total);
  // Folders written before carbon_monthly.csv still open, without it.
  fs::remove(dir_ / "carbon_monthly.csv");
  const ReadOutcome older = read_results_folder(dir_);
  ASSERT_TRUE(older.folder) << older.error;
  EXPECT_TRUE(older.folder->carbon_monthly.columns.empty());
  write("carbon_monthly.csv", "month,site,carbon_t\n2026-01,a,heavy\n");
  EXPECT_NE(read_results_folder(dir_).error.find("carbon_monthly.csv: line 2: column 'carbon_t' holds 'heavy'"),
            std::string::npos);
}

TEST_F(ResultsReader, SummaryKeysKeepTheFilesOrder) {
  write("summary.json", "{\"zeta\": 1, \"scenario\": \"s\", \"alpha\": [{\"workload\": \"w\", \"runs\": 2, \"cost_usd\": 3}],"
                        " \"dcsim_version\": \"x\", \"format_version\": 1}");
  const ReadOutcome out = read_results_folder(dir_);
  ASSERT_TRUE(out.folder) << out.error;
  EXPECT_EQ(out.folder->summary_keys, (std::vector<std::string>{"zeta", "scenario", "alpha", "dcsim_version", "format_version"}));
  // Each value keeps its fields' order too (runs before cost_usd).
  EXPECT_EQ(out.folder->summary.at("alpha"), "[{\"workload\":\"w\",\"runs\":2,\"cost_usd\":3}]");
}

// Plain CSV (what dcsim writes) is split in place; quoted fields and CRLF go through the
// general reader. Both give the same table, and the same line numbers past blank lines.
TEST_F(ResultsReader, PlainAndQuotedCsvReadTheSame) {
  const std::string header = "month,envelope,site,hall,unit,peak_demand,limit,headroom,headroom_fraction";
  write("capacity.csv", header + "\n2026-01,gpus,a,,GPUs,1,2,1,0.5\n\n2026-02,power,a,h,kW,3,4,1,0.25\n");
  const ReadOutcome plain = read_results_folder(dir_);
  write("capacity.csv", header + "\r\n\"2026-01\",gpus,\"a\",,GPUs,1,2,1,0.5\r\n\r\n2026-02,\"power\",a,h,kW,3,4,1,0.25\r\n");
  const ReadOutcome quoted = read_results_folder(dir_);
  ASSERT_TRUE(plain.folder && quoted.folder) << plain.error << quoted.error;
  const CsvTable& a = plain.folder->capacity;
  const CsvTable& b = quoted.folder->capacity;
  ASSERT_EQ(a.rows, 2u);
  ASSERT_EQ(b.rows, 2u);
  ASSERT_EQ(a.columns.size(), b.columns.size());
  for (std::size_t c = 0; c < a.columns.size(); ++c) {
    EXPECT_EQ(a.columns[c].name, b.columns[c].name);
    EXPECT_EQ(a.columns[c].numeric, b.columns[c].numeric);
    for (std::size_t r = 0; r < a.rows; ++r) EXPECT_EQ(a.columns[c].cell(r), b.columns[c].cell(r)) << a.columns[c].name;
  }
  EXPECT_EQ(a.find("hall")->cell(0), "");
  EXPECT_EQ(a.find("headroom_fraction")->numbers[1], 0.25);
  write("capacity.csv", header + "\n2026-01,gpus,a,,GPUs,1,2,1,0.5\n\n2026-02,power\n");
  EXPECT_NE(read_results_folder(dir_).error.find("capacity.csv: line 4: 2 fields where the header has 9"), std::string::npos);
  write("capacity.csv", header + "\r\n\"2026-01\",gpus,a,,GPUs,1,2,1,0.5\r\n\r\n2026-02,power\r\n");
  EXPECT_NE(read_results_folder(dir_).error.find("capacity.csv: line 4: 2 fields where the header has 9"), std::string::npos);
}

// A quote, CR, NUL or non-ASCII byte anywhere (the plain check reads eight bytes at a time:
// here at offsets that are not multiples of eight, and in the last bytes) sends the text to the
// general reader.
TEST_F(ResultsReader, AnyQuoteOrCarriageReturnInTheTextGoesToTheGeneralReader) {
  const std::string header = "month,envelope,site,hall,unit,peak_demand,limit,headroom,headroom_fraction";
  const std::string line1 = "2026-01,gpus,a,,GPUs,1,2,1,0.5\n";
  // A quoted field with a comma in it: one field to the general reader, two to a plain split.
  write("capacity.csv", header + "\n" + line1 + "2026-02,power,\"a,b\",h,kW,3,4,1,0.25\n");
  ReadOutcome out = read_results_folder(dir_);
  ASSERT_TRUE(out.folder) << out.error;
  EXPECT_EQ(out.folder->capacity.find("site")->cell(1), "a,b");
  // A CR in the text's last (fewer than eight) bytes: CRLF, so the last field is a number.
  write("capacity.csv", header + "\n" + line1 + "2026-02,power,a,h,kW,3,4,1,0.25\r\n");
  out = read_results_folder(dir_);
  ASSERT_TRUE(out.folder) << out.error;
  EXPECT_TRUE(out.folder->capacity.find("headroom_fraction")->numeric);
  EXPECT_EQ(out.folder->capacity.find("headroom_fraction")->numbers[1], 0.25);
  // A UTF-8 letter inside a field reads back as written.
  write("capacity.csv", header + "\n" + line1 + "2026-02,power,a,h\xc3\xa9,kW,3,4,1,0.25\n");
  out = read_results_folder(dir_);
  ASSERT_TRUE(out.folder) << out.error;
  EXPECT_EQ(out.folder->capacity.find("hall")->cell(1), "h\xc3\xa9");
}

// A viewer that draws a few columns reads only those (and the required ones); a line with a
// field too few is an error all the same.
TEST_F(ResultsReader, ColumnFilterKeepsTheRequiredAndChosenColumns) {
  const ReadOutcome all = read_results_folder(dir_);
  ASSERT_TRUE(all.folder) << all.error;
  ASSERT_NE(all.folder->timeseries.find("running_jobs"), nullptr);
  ASSERT_NE(all.folder->timeseries.find("queued_gpus"), nullptr);
  const ReadOutcome some = read_results_folder(dir_, [](std::string_view c) { return c == "running_jobs"; });
  ASSERT_TRUE(some.folder) << some.error;
  const CsvTable& t = some.folder->timeseries;
  EXPECT_EQ(t.find("queued_gpus"), nullptr);
  ASSERT_NE(t.find("running_jobs"), nullptr);
  EXPECT_EQ(t.find("running_jobs")->numbers, all.folder->timeseries.find("running_jobs")->numbers);
  for (const char* required : {"time", "gpus_total", "gpus_busy", "utilization", "it_power_kw", "facility_power_kw",
                               "queue_length"}) {
    ASSERT_NE(t.find(required), nullptr) << required;
    EXPECT_EQ(t.find(required)->cell(7), all.folder->timeseries.find(required)->cell(7)) << required;
  }
  EXPECT_EQ(t.columns.size(), 8u);
  EXPECT_EQ(t.rows, all.folder->timeseries.rows);
  const std::size_t columns = all.folder->timeseries.columns.size();
  std::string short_line = "2026-04-01T00:00:00Z";
  for (std::size_t c = 2; c < columns; ++c) short_line += ",1";
  std::ofstream(dir_ / "timeseries.csv", std::ios::app) << short_line << "\n";
  const ReadOutcome bad = read_results_folder(dir_, [](std::string_view) { return false; });
  EXPECT_NE(bad.error.find("timeseries.csv: line 2162: " + std::to_string(columns - 1) + " fields where the header has " +
                           std::to_string(columns)),
            std::string::npos)
      << bad.error;
}

TEST_F(ResultsReader, ReplicatedFolderReadsReplicationZeroAndItsBands) {
  const fs::path rep = dir_ / "replicated";
  fs::create_directories(rep / "replications");
  ASSERT_TRUE(write_results_folder(default_files(), rep / "replications" / "rep-0001", false).ok);
  EXPECT_NE(read_replicated_folder(rep).error.find("timeseries_bands.csv: missing"), std::string::npos);
  std::ofstream(rep / "timeseries_bands.csv") << "time,utilization_mean,utilization_p10,utilization_p50,utilization_p90\n"
                                                 "2026-01-01T00:00:00Z,0.5,0.25,0.5,0.75\n"
                                                 "2026-01-01T01:00:00Z,,,,\n";
  const ReadOutcome out = read_replicated_folder(rep);
  ASSERT_TRUE(out.folder) << out.error;
  EXPECT_EQ(out.folder->timeseries.rows, 2160u);  // replication 0's own files
  ASSERT_TRUE(out.folder->has_bands());
  EXPECT_EQ(out.folder->timeseries_bands.rows, 2u);
  EXPECT_EQ(out.folder->timeseries_bands.find("utilization_p90")->cell(0), "0.75");
  EXPECT_EQ(out.folder->timeseries_bands.find("utilization_p90")->cell(1), "");  // an hour no replication reached
  std::ofstream(rep / "timeseries_bands.csv") << "time,utilization_p50\nsoon,0.5\n";
  EXPECT_NE(read_replicated_folder(rep).error.find("timeseries_bands.csv: line 2: time 'soon'"), std::string::npos);
}

TEST(ParseUtcSeconds, KnownInstants) {
  EXPECT_EQ(parse_utc_seconds("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_utc_seconds("2026-01-01T00:00:00Z"), 1767225600);
  EXPECT_EQ(parse_utc_seconds("2024-03-01T01:02:03Z"), 1709254923);
  EXPECT_FALSE(parse_utc_seconds("2026-01-01 00:00:00"));
  EXPECT_FALSE(parse_utc_seconds("2026-13-01T00:00:00Z"));
}

}  // namespace
}  // namespace dcsim::reports
