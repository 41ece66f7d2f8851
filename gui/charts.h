// Chart panels of the dashboard: time series with min/max downsampling for display (full data
// kept for export), stacked monthly bars, hover values, horizontal zoom, PNG and CSV export.
#pragma once
#include <QString>
#include <QStringList>
#include <QWidget>

#include <memory>
#include <vector>

#include "reports/results_reader.h"

class QChart;
class QChartView;
class QLineSeries;
class QValueAxis;
class QDateTimeAxis;

namespace dcsim::gui {

using Snapshot = std::shared_ptr<const reports::ResultsFolder>;

// One line of a time chart; x is shared by the lines of a chart (ms since 1970, UTC).
struct LineSpec {
  QString name;
  std::vector<double> y;
  bool right_axis = false;
  bool dashed = false;
};

class ChartPanel : public QWidget {
  Q_OBJECT
 public:
  ChartPanel(const QString& id, const QString& title, QWidget* parent = nullptr);

  const QString& id() const { return id_; }
  QChart* chart() const;
  QChartView* view() const { return view_; }

  // Lines over time. `x_label` heads the export's first column ("time", "month").
  void setLines(const QString& x_label, std::vector<QString> x_text, std::vector<double> x_ms,
                std::vector<LineSpec> lines, const QString& left_title, const QString& right_title,
                const QString& date_format, bool monthly_points, bool from_zero = true);
  // Stacked bars: one set per category, one bar per x label.
  void setStackedBars(const QString& x_label, const QStringList& x, const std::vector<LineSpec>& sets,
                      const QString& y_title);
  void clear(const QString& why);
  bool isEmpty() const { return export_x_.empty() && series_.empty(); }

  // The full (not downsampled) values of a named series, or nullptr.
  const std::vector<double>* fullData(const QString& name) const;
  // Display series by name (downsampled), for tests and the hover text.
  QLineSeries* lineSeries(const QString& name) const;

  // The chart as shown; a panel on a hidden tab has no layout yet (MainWindow::exportChartPngs
  // brings each panel's tab to the front first).
  bool exportPng(const QString& path, QSize size = QSize(1200, 700)) const;
  bool exportCsv(const QString& path, QString* error = nullptr) const;
  void resetZoom();

  static int displayBuckets() { return 1500; }  // about one per pixel of a wide chart

 private:
  void redraw(double x0, double x1);
  void hoverLine(const QString& name, const QPointF& p, bool state);

  QString id_, title_;
  QChartView* view_ = nullptr;
  QString x_label_;
  std::vector<QString> export_x_;
  std::vector<double> x_ms_;
  std::vector<LineSpec> series_;
  std::vector<QLineSeries*> line_series_;
  QDateTimeAxis* time_axis_ = nullptr;
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
void fillUtilization(ChartPanel& panel, const reports::ResultsFolder& f, const std::vector<Overlay>& others = {});
void fillPower(ChartPanel& panel, const reports::ResultsFolder& f, const std::vector<Overlay>& others = {});
void fillClimate(ChartPanel& panel, const reports::ResultsFolder& f);  // empty without climate columns
void fillCost(ChartPanel& panel, const reports::ResultsFolder& f);
void fillCapacity(ChartPanel& panel, const reports::ResultsFolder& f);
// The market by year from market.csv: the total for the low, base and high cases (USD bn), with
// `dimension` other than "total" also that dimension's segments (base case), and our demand
// from market_demand.csv (GPU-hours, right axis). Empty without the market files.
void fillMarket(ChartPanel& panel, const reports::ResultsFolder& f, const QString& dimension = "total");
// The dimensions of market.csv in file order ("total" first), for the segment selector.
QStringList marketDimensions(const reports::ResultsFolder& f);

}  // namespace dcsim::gui
