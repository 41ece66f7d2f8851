// Chart panels of the dashboard: time series with min/max downsampling for display (full data
// kept for export), stacked monthly bars, hover values, horizontal zoom, PNG and CSV export.
#pragma once
#include <QColor>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "reports/results_reader.h"

class QAreaSeries;
class QChart;
class QChartView;
class QLineSeries;
class QValueAxis;
class QDateTimeAxis;

namespace dcsim::gui {

using Snapshot = std::shared_ptr<const reports::ResultsFolder>;

// One line of a time chart; x is shared by the lines of a chart (ms since 1970, UTC). With
// band_lo and band_hi (a replicated run's P10 and P90), a shaded band named band_name is drawn
// under the line; the export gives the bounds as columns band_lo_name and band_hi_name.
struct LineSpec {
  LineSpec() = default;
  LineSpec(QString name_, std::vector<double> y_, bool right_axis_ = false, bool dashed_ = false)
      : name(std::move(name_)), y(std::move(y_)), right_axis(right_axis_), dashed(dashed_) {}
  QString name;
  std::vector<double> y;
  bool right_axis = false;
  bool dashed = false;
  std::vector<double> band_lo, band_hi;
  QString band_name, band_lo_name, band_hi_name;
  QColor color;  // invalid: the chart theme's next colour
  bool dotted = false;
};

class ChartPanel : public QWidget {
  Q_OBJECT
 public:
  ChartPanel(const QString& id, const QString& title, QWidget* parent = nullptr);

  const QString& id() const { return id_; }
  QChart* chart() const;
  QChartView* view() const { return view_; }

  // Lines over time. `x_label` heads the export's first column ("time", "month"); without
  // `x_text` (a time axis) the export and the hover write each x as "2026-01-01T05:00:00Z".
  void setLines(const QString& x_label, std::vector<QString> x_text, std::vector<double> x_ms,
                std::vector<LineSpec> lines, const QString& left_title, const QString& right_title,
                const QString& date_format, bool monthly_points, bool from_zero = true);
  // Stacked bars: one set per category, one bar per x label; `lines` (one value per x label, NaN
  // for none) are drawn over the bars, on a right axis titled `right_title` when right_axis.
  void setStackedBars(const QString& x_label, const QStringList& x, const std::vector<LineSpec>& sets,
                      const QString& y_title, const std::vector<LineSpec>& lines = {}, const QString& right_title = {});
  void clear(const QString& why);
  bool isEmpty() const { return export_x_.empty() && x_ms_.empty() && series_.empty(); }

  // The full (not downsampled) values of a named series, or nullptr.
  const std::vector<double>* fullData(const QString& name) const;
  // A series' full specification (values, band bounds) by name, or nullptr.
  const LineSpec* spec(const QString& name) const;
  // Display series by name (downsampled), for tests and the hover text.
  QLineSeries* lineSeries(const QString& name) const;
  // The shaded band by its band_name (downsampled: each bucket's lowest P10 and highest P90).
  QAreaSeries* areaSeries(const QString& name) const;

  // The chart as shown; a panel on a hidden tab has no layout yet (MainWindow::exportChartPngs
  // brings each panel's tab to the front first).
  bool exportPng(const QString& path, QSize size = QSize(1200, 700)) const;
  bool exportCsv(const QString& path, QString* error = nullptr) const;
  void resetZoom();

  // The most buckets a line is downsampled to (two points each); a chart laid out uses one per
  // pixel column of its plot, up to this.
  static int displayBuckets() { return 1500; }
  int bucketsInUse() const { return buckets_; }  // 0 before the lines have points

 private:
  // The lines' points over [x0, x1]; a chart not laid out yet waits for its width unless `now`.
  void redraw(double x0, double x1, bool now = false);
  int plotBuckets() const;         // one per pixel column of the plot area; 0 before layout
  void drawPendingPoints() const;  // points for a chart not laid out (tests, exports)
  void hoverLine(const QString& name, const QPointF& p, bool state);
  void hoverBarLine(const QString& name, const QPointF& p, bool state);
  QString xText(std::size_t i) const;  // export_x_[i], or x_ms_[i] as UTC ISO text

  QString id_, title_;
  QChartView* view_ = nullptr;
  QString x_label_;
  std::vector<QString> export_x_;
  std::vector<double> x_ms_;
  std::vector<LineSpec> series_;
  std::vector<QLineSeries*> line_series_;
  std::vector<QAreaSeries*> band_series_;  // per entry of series_ (null without a band)
  std::size_t bar_sets_ = 0;               // stacked bars: series_ holds the sets, then the lines
  QDateTimeAxis* time_axis_ = nullptr;
  bool time_lines_ = false;      // setLines' lines (not bars) are shown
  bool points_pending_ = false;  // the lines wait for the chart's layout to get their points
  int buckets_ = 0;              // the buckets the lines have now
  double shown_x0_ = 0.0, shown_x1_ = 0.0;
  QString left_title_, right_title_;
};

// Another run drawn over the shown one (File > Compare With Results Folder): its series are
// named "<label>: ..." and dashed.
struct Overlay {
  QString label;  // "B", "C", ...
  const reports::ResultsFolder* folder = nullptr;
};

// Fills the standard panels (utilization, power, climate, cost, capacity) from a snapshot.
// With overlays, utilization and power also draw each other run's main series, dashed and named
// "B: ...", "C: ...", at f's times (by timestamp; by hours from the start when the two runs share
// no timestamp); hours a run lacks are gaps.
// A replicated run (f.has_bands()) draws the P50 of timeseries_bands.csv with its P10-P90 band:
// utilization (%) and queue length, IT and facility power; an overlay then draws its P50 when it
// is replicated too, else its own series.
void fillUtilization(ChartPanel& panel, const reports::ResultsFolder& f, const std::vector<Overlay>& others = {});
void fillPower(ChartPanel& panel, const reports::ResultsFolder& f, const std::vector<Overlay>& others = {});
void fillClimate(ChartPanel& panel, const reports::ResultsFolder& f);  // empty without climate columns
// Monthly cost stacked by category (cost_monthly.csv) and cumulative cash (pnl_monthly.csv, right
// axis); each overlay adds its monthly cost total and cumulative cash, dashed, matched by month
// (by months from the start when the runs share no month).
void fillCost(ChartPanel& panel, const reports::ResultsFolder& f, const std::vector<Overlay>& others = {});
// Headroom per envelope and month (capacity.csv); each overlay adds its envelopes' headroom, dashed.
void fillCapacity(ChartPanel& panel, const reports::ResultsFolder& f, const std::vector<Overlay>& others = {});
// Monthly revenue stacked by GPU type and kind ("h100 on_demand") and by inference service for
// token revenue ("inference chat") (revenue_monthly.csv); empty without the file.
void fillRevenue(ChartPanel& panel, const reports::ResultsFolder& f);
// SLO attainment per inference service and hour, in % (timeseries.csv's <service>:slo_attainment
// columns); empty without services.
void fillSlo(ChartPanel& panel, const reports::ResultsFolder& f);
// Monthly emissions (t CO2) stacked by site (carbon_monthly.csv); empty without the file.
void fillCarbon(ChartPanel& panel, const reports::ResultsFolder& f);
// The market by year from market.csv: the total for the low, base and high cases (USD bn), with
// `dimension` other than "total" also that dimension's segments (base case), and our demand
// from market_demand.csv (GPU-hours, right axis). Empty without the market files.
void fillMarket(ChartPanel& panel, const reports::ResultsFolder& f, const QString& dimension = "total");
// The dimensions of market.csv in file order ("total" first), for the segment selector.
QStringList marketDimensions(const reports::ResultsFolder& f);
// Whether the charts, their overlays or the Floor draw a column of timeseries.csv. The window
// reads a folder's timeseries.csv with these columns only (37 of the campus file's 77).
bool isChartedTimeseriesColumn(std::string_view column);

}  // namespace dcsim::gui
