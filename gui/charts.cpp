// Chart panels: building the Qt Charts from results tables, downsampling, hover, export.
#include "gui/charts.h"

#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QFile>
#include <QLegend>
#include <QLineSeries>
#include <QLocale>
#include <QPixmap>
#include <QStackedBarSeries>
#include <QTextStream>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <map>

#include "sim/traces/csv_reader.h"

namespace dcsim::gui {

namespace {

QString fmt(double v) {
  const double a = std::fabs(v);
  if (a != 0.0 && (a < 0.01 || a >= 1e7)) return QString::number(v, 'g', 6);
  return QLocale::system().toString(v, 'f', a >= 100 ? 1 : 3);
}

// Drops the middle points of each run of three or more downsampled points at the same y: a
// level line (a capacity, 100 % SLO hours) is drawn the same from its ends, and the points a
// chart lays out and strokes are most of the cost of drawing it.
void dropFlatRunMiddles(QList<QPointF>& points) {
  if (points.size() < 3) return;
  qsizetype kept = 1;
  for (qsizetype i = 1; i + 1 < points.size(); ++i) {
    if (points[i].y() == points[kept - 1].y() && points[i].y() == points[i + 1].y()) continue;
    points[kept++] = points[i];
  }
  points[kept++] = points.back();
  points.resize(kept);
}

// Points of [lo, hi) of the full data; beyond 2 x buckets, the min and max of each bucket of
// consecutive points, in the order they occur, so spikes survive downsampling, and the range's
// first and last points, so the line starts and ends where the data do, without the middles of
// level runs. Gaps (NaN) are skipped.
QList<QPointF> downsample(const std::vector<double>& x, const std::vector<double>& y, double x0, double x1,
                          int buckets) {
  QList<QPointF> out;
  if (x.empty()) return out;
  auto lo = static_cast<std::size_t>(std::lower_bound(x.begin(), x.end(), x0) - x.begin());
  auto hi = static_cast<std::size_t>(std::upper_bound(x.begin(), x.end(), x1) - x.begin());
  if (lo > 0) --lo;  // keep the lines running to the edges
  if (hi < x.size()) ++hi;
  const std::size_t n = hi - lo;
  if (n <= static_cast<std::size_t>(2 * buckets)) {
    out.reserve(static_cast<qsizetype>(n));
    for (std::size_t i = lo; i < hi; ++i) {
      if (std::isfinite(y[i])) out.append(QPointF(x[i], y[i]));
    }
    return out;  // every point: what the hover and the tests read back is the data as written
  }
  out.reserve(2 * buckets + 2);
  for (int b = 0; b < buckets; ++b) {
    const std::size_t s = lo + n * static_cast<std::size_t>(b) / static_cast<std::size_t>(buckets);
    const std::size_t e = lo + n * static_cast<std::size_t>(b + 1) / static_cast<std::size_t>(buckets);
    if (s >= e) continue;
    // An all-gap bucket (e.g. hours without an SLO interval) draws nothing.
    std::size_t imin = e, imax = e, first = e, last = e;
    for (std::size_t i = s; i < e; ++i) {
      if (!std::isfinite(y[i])) continue;
      if (first == e) first = i;
      last = i;
      if (imin == e || y[i] < y[imin]) imin = i;
      if (imax == e || y[i] > y[imax]) imax = i;
    }
    if (imin == e) continue;
    std::size_t picks[4] = {imin, imax, e, e};
    if (b == 0) picks[2] = first;
    if (b == buckets - 1) picks[3] = last;
    std::sort(std::begin(picks), std::end(picks));
    for (std::size_t k = 0; k < 4 && picks[k] != e; ++k) {
      if (k == 0 || picks[k] != picks[k - 1]) out.append(QPointF(x[picks[k]], y[picks[k]]));
    }
  }
  dropFlatRunMiddles(out);
  return out;
}

// One bound of a band over [lo, hi): every point up to 2 x buckets, beyond that each bucket's
// highest (upper) or lowest (lower) value at the bucket's first x, so the band never looks
// narrower than the data.
QList<QPointF> downsampleBound(const std::vector<double>& x, const std::vector<double>& y, double x0, double x1,
                               int buckets, bool upper) {
  QList<QPointF> out;
  if (x.empty() || y.size() != x.size()) return out;
  auto lo = static_cast<std::size_t>(std::lower_bound(x.begin(), x.end(), x0) - x.begin());
  auto hi = static_cast<std::size_t>(std::upper_bound(x.begin(), x.end(), x1) - x.begin());
  if (lo > 0) --lo;
  if (hi < x.size()) ++hi;
  const std::size_t n = hi - lo;
  const std::size_t step_buckets = n <= static_cast<std::size_t>(2 * buckets) ? n : static_cast<std::size_t>(buckets);
  out.reserve(static_cast<qsizetype>(step_buckets));
  for (std::size_t b = 0; b < step_buckets; ++b) {
    const std::size_t s = lo + n * b / step_buckets, e = lo + n * (b + 1) / step_buckets;
    double v = std::nan("");
    for (std::size_t i = s; i < e; ++i) {
      if (std::isfinite(y[i]) && (!std::isfinite(v) || (upper ? y[i] > v : y[i] < v))) v = y[i];
    }
    if (s < e && std::isfinite(v)) out.append(QPointF(x[s], v));
  }
  return out;
}

QString csvField(const QString& s) {
  if (!s.contains(',') && !s.contains('"') && !s.contains('\n')) return s;
  QString q = s;
  q.replace("\"", "\"\"");
  return "\"" + q + "\"";
}

QString numberText(double v) { return QString::fromStdString(reports::CsvColumn{"", true, {v}, {}}.cell(0)); }

// A column's numbers; an empty cell (a column the reader keeps as text) is a gap (NaN).
std::vector<double> numbers(const reports::CsvTable& t, const std::string& name) {
  const reports::CsvColumn* c = t.find(name);
  if (!c) return std::vector<double>(t.rows, 0.0);
  if (c->numeric) return c->numbers;
  std::vector<double> out(t.rows, std::nan(""));
  for (std::size_t r = 0; r < t.rows; ++r) {
    double v = 0.0;
    if (traces::parse_double(c->text[r], v)) out[r] = v;
  }
  return out;
}

std::vector<double> scaled(std::vector<double> v, double k) {
  if (k != 1.0) {
    for (double& x : v) x *= k;
  }
  return v;
}

// The times of a table's `time` column (timeseries.csv or timeseries_bands.csv) in ms. Their
// text is not copied: the reader checked each is exactly "2026-01-01T00:00:00Z", which the panel
// writes back from the ms when a hover or the CSV export needs it (a string per hour and chart
// was a tenth of opening a 5-year folder).
std::vector<double> timeAxisMs(const reports::CsvTable& t) {
  const reports::CsvColumn* time = t.find("time");
  std::vector<double> ms;
  ms.reserve(t.rows);
  for (std::size_t r = 0; r < t.rows; ++r) {
    const auto s = time->numeric ? std::nullopt : reports::parse_utc_seconds(time->text[r]);
    ms.push_back(static_cast<double>(s.value_or(0)) * 1000.0);
  }
  return ms;
}

// Columns named "<prefix>:<suffix>" in header order, e.g. "ashburn/hall-a:it_power_kw".
std::vector<std::string> columnsEndingWith(const reports::CsvTable& t, const std::string& suffix) {
  std::vector<std::string> out;
  for (const auto& c : t.columns) {
    if (c.name.size() > suffix.size() && c.name.compare(c.name.size() - suffix.size(), suffix.size(), suffix) == 0 &&
        c.name[c.name.size() - suffix.size() - 1] == ':') {
      out.push_back(c.name);
    }
  }
  return out;
}

std::string prefixOf(const std::string& column) { return column.substr(0, column.rfind(':')); }

// "cost (USD)" -> "USD": the unit of an axis title, for the bars' hover text.
QString unitOf(const QString& title) {
  const qsizetype open = title.lastIndexOf('('), close = title.lastIndexOf(')');
  return open >= 0 && close > open ? title.mid(open + 1, close - open - 1) : title;
}

// B's column at A's times (two tables with a `time` column): matched by timestamp, or by hours
// from each run's start when no timestamp matches; NaN (a gap) where B has no value.
std::vector<double> alignedTo(const reports::CsvTable& a, const reports::CsvTable& b, const std::string& column) {
  std::vector<double> out(a.rows, std::nan(""));
  const reports::CsvColumn* col = b.find(column);
  const reports::CsvColumn* ta = a.find("time");
  const reports::CsvColumn* tb = b.find("time");
  if (!col || !ta || !tb || b.rows == 0 || a.rows == 0) return out;
  const std::vector<double> values = numbers(b, column);
  std::map<long long, std::size_t> b_at;
  for (std::size_t r = 0; r < b.rows; ++r) b_at[reports::parse_utc_seconds(tb->cell(r)).value_or(0)] = r;
  std::vector<long long> a_times;
  bool any = false;
  for (std::size_t r = 0; r < a.rows; ++r) {
    a_times.push_back(reports::parse_utc_seconds(ta->cell(r)).value_or(0));
    any = any || b_at.count(a_times.back()) > 0;
  }
  const long long shift = any ? 0 : b_at.begin()->first - a_times.front();
  for (std::size_t r = 0; r < a_times.size(); ++r) {
    const auto it = b_at.find(a_times[r] + shift);
    if (it != b_at.end()) out[r] = values[it->second];
  }
  return out;
}

std::vector<double> alignedTo(const reports::ResultsFolder& a, const reports::ResultsFolder& b, const std::string& column) {
  return alignedTo(a.timeseries, b.timeseries, column);
}

// The P50 line of a column of timeseries_bands.csv with its P10-P90 band; `scale` turns the
// file's unit into the axis's (a share into %).
LineSpec bandLine(const reports::CsvTable& bands, const std::string& column, const QString& label, bool right,
                  double scale) {
  LineSpec s{label + " P50", scaled(numbers(bands, column + "_p50"), scale), right, false};
  s.band_lo = scaled(numbers(bands, column + "_p10"), scale);
  s.band_hi = scaled(numbers(bands, column + "_p90"), scale);
  s.band_name = label + " P10-P90";
  s.band_lo_name = label + " P10";
  s.band_hi_name = label + " P90";
  return s;
}

// An overlay's series of `column` at A's times: its P50 when it is replicated and `banded`, else
// its own timeseries column; the name says which.
LineSpec overlayLine(const reports::CsvTable& a_times, const Overlay& o, const std::string& column, const QString& label,
                     bool right, double scale, bool banded) {
  if (banded && o.folder->has_bands() && o.folder->timeseries_bands.find(column + "_p50")) {
    return {o.label + ": " + label + " P50", scaled(alignedTo(a_times, o.folder->timeseries_bands, column + "_p50"), scale),
            right, true};
  }
  return {o.label + ": " + label, scaled(alignedTo(a_times, o.folder->timeseries, column), scale), right, true};
}

// One colour per compared run (B, C, ...), apart from the bars' theme colours.
QColor runColor(std::size_t i) {
  static const QColor colors[] = {QColor(214, 39, 40), QColor(148, 103, 189), QColor(140, 86, 75), QColor(227, 119, 194),
                                  QColor(188, 189, 34), QColor(23, 190, 207), QColor(127, 127, 127)};
  return colors[i % (sizeof colors / sizeof colors[0])];
}

// Month labels ("2026-03") -> ms since 1970 at the month's first hour, UTC.
double monthMs(const QString& m) {
  return static_cast<double>(reports::parse_utc_seconds(m.toStdString() + "-01T00:00:00Z").value_or(0)) * 1000.0;
}

// Values by month label placed on A's months: by label, or by position from the first month when
// the runs share no month; NaN where the run has no value.
std::vector<double> onMonths(const std::vector<QString>& a_months, const std::map<QString, double>& by_month) {
  std::vector<double> out(a_months.size(), std::nan(""));
  bool any = false;
  for (std::size_t i = 0; i < a_months.size(); ++i) {
    const auto it = by_month.find(a_months[i]);
    if (it != by_month.end()) {
      out[i] = it->second;
      any = true;
    }
  }
  if (!any) {
    std::size_t i = 0;
    for (auto it = by_month.begin(); it != by_month.end() && i < a_months.size(); ++it, ++i) out[i] = it->second;
  }
  return out;
}

// A run's monthly cost total (the sum of its cost_monthly.csv rows) and cumulative cash
// (pnl_monthly.csv) by month label.
std::map<QString, double> monthlyCostTotal(const reports::ResultsFolder& f) {
  std::map<QString, double> out;
  const reports::CsvColumn* month = f.cost_monthly.find("month");
  const reports::CsvColumn* amount = f.cost_monthly.find("amount_usd");
  for (std::size_t r = 0; month && amount && r < f.cost_monthly.rows; ++r) {
    out[QString::fromStdString(month->cell(r))] += amount->numbers[r];
  }
  return out;
}

std::map<QString, double> cumulativeCash(const reports::ResultsFolder& f) {
  std::map<QString, double> out;
  const reports::CsvColumn* month = f.pnl_monthly.find("month");
  const reports::CsvColumn* cash = f.pnl_monthly.find("cumulative_cash_usd");
  for (std::size_t r = 0; month && cash && cash->numeric && r < f.pnl_monthly.rows; ++r) {
    out[QString::fromStdString(month->cell(r))] = cash->numbers[r];
  }
  return out;
}

// capacity.csv as (envelope label, month) -> headroom in % of the limit, with the labels and
// months in the order they occur.
struct CapacityCells {
  std::vector<QString> months;
  std::vector<std::string> keys;
  std::map<std::pair<std::string, QString>, double> cells;
};

CapacityCells capacityCells(const reports::CsvTable& t) {
  CapacityCells c;
  const reports::CsvColumn* month = t.find("month");
  for (std::size_t r = 0; month && r < t.rows; ++r) {
    const QString m = QString::fromStdString(month->cell(r));
    std::string key = t.find("envelope")->cell(r);
    const std::string site = t.find("site")->cell(r), hall = t.find("hall")->cell(r);
    if (!site.empty()) key += " " + site + (hall.empty() ? "" : "/" + hall);
    key += " (" + t.find("unit")->cell(r) + ")";
    if (std::find(c.months.begin(), c.months.end(), m) == c.months.end()) c.months.push_back(m);
    if (std::find(c.keys.begin(), c.keys.end(), key) == c.keys.end()) c.keys.push_back(key);
    c.cells[{key, m}] = 100.0 * t.find("headroom_fraction")->numbers[r];
  }
  std::sort(c.months.begin(), c.months.end());
  return c;
}

}  // namespace

ChartPanel::ChartPanel(const QString& id, const QString& title, QWidget* parent)
    : QWidget(parent), id_(id), title_(title) {
  setObjectName("panel_" + id);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  view_ = new QChartView(new QChart, this);
  view_->setObjectName("chart_" + id);
  view_->setRenderHint(QPainter::Antialiasing);
  view_->setRubberBand(QChartView::HorizontalRubberBand);
  view_->setToolTip(tr("Drag to zoom in on a time span; right-click to zoom out"));
  layout->addWidget(view_);
  // Laid out for the first time or resized by more than an eighth: the lines again, one bucket
  // per pixel column of the new width.
  connect(view_->chart(), &QChart::plotAreaChanged, this, [this](const QRectF&) {
    const int buckets = plotBuckets();
    if (time_lines_ && buckets > 0 && (points_pending_ || 8 * std::abs(buckets - buckets_) > buckets_)) {
      redraw(shown_x0_, shown_x1_);
    }
  });
  clear(tr("No results yet: open a scenario and run it, or open a results folder."));
}

QChart* ChartPanel::chart() const { return view_->chart(); }

QString ChartPanel::xText(std::size_t i) const {
  if (!export_x_.empty()) return i < export_x_.size() ? export_x_[i] : QString();
  // A time axis given without its text: the file's form, "2026-01-01T05:00:00Z".
  return i < x_ms_.size()
             ? QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(x_ms_[i]), Qt::UTC).toString(Qt::ISODate)
             : QString();
}

void ChartPanel::clear(const QString& why) {
  QChart* c = chart();
  c->removeAllSeries();
  for (QAbstractAxis* a : c->axes()) {
    c->removeAxis(a);
    delete a;
  }
  time_axis_ = nullptr;
  time_lines_ = false;
  points_pending_ = false;
  buckets_ = 0;
  line_series_.clear();
  band_series_.clear();
  bar_sets_ = 0;
  series_.clear();
  export_x_.clear();
  x_ms_.clear();
  c->setTitle(title_ + (why.isEmpty() ? QString() : "\n" + why));
  c->legend()->setVisible(false);
}

void ChartPanel::setLines(const QString& x_label, std::vector<QString> x_text, std::vector<double> x_ms,
                          std::vector<LineSpec> lines, const QString& left_title, const QString& right_title,
                          const QString& date_format, bool points, bool from_zero) {
  clear(QString());
  QChart* c = chart();
  x_label_ = x_label;
  export_x_ = std::move(x_text);
  x_ms_ = std::move(x_ms);
  series_ = std::move(lines);
  left_title_ = left_title;
  right_title_ = right_title;
  if (x_ms_.empty() || series_.empty()) {
    c->setTitle(title_ + "\n" + tr("(no data)"));
    return;
  }
  QAbstractAxis* x_axis = nullptr;
  if (points) {
    // Monthly points: one label per month, on the month.
    auto* months = new QCategoryAxis;
    months->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    for (std::size_t i = 0; i < x_ms_.size(); ++i) months->append(xText(i), x_ms_[i]);
    months->setStartValue(x_ms_.front());
    const double span = std::max(x_ms_.back() - x_ms_.front(), 86400e3);
    months->setRange(x_ms_.front() - 0.03 * span, x_ms_.back() + 0.03 * span);
    x_axis = months;
  } else {
    time_axis_ = new QDateTimeAxis;
    time_axis_->setFormat(date_format);
    time_axis_->setTickCount(7);
    x_axis = time_axis_;
  }
  x_axis->setTitleText(x_label == "year" ? x_label : tr("%1 (UTC)").arg(x_label));
  c->addAxis(x_axis, Qt::AlignBottom);
  auto makeValueAxis = [&](bool right) -> QValueAxis* {
    double lo = 0.0, hi = 0.0;
    bool any = false;
    for (const auto& s : series_) {
      if (s.right_axis != right) continue;
      for (const std::vector<double>* values : {&s.y, &s.band_lo, &s.band_hi}) {
        for (double v : *values) {
          if (!std::isfinite(v)) continue;
          if (!any) lo = hi = v;
          lo = std::min(lo, v);
          hi = std::max(hi, v);
          any = true;
        }
      }
    }
    if (!any) return nullptr;
    auto* axis = new QValueAxis;
    axis->setTitleText(right ? right_title : left_title);
    if (lo > 0.0 && from_zero) lo = 0.0;  // levels read best from zero
    if (hi <= lo) hi = lo + 1.0;
    const double pad = 0.05 * (hi - lo);
    axis->setRange(lo < 0.0 || !from_zero ? lo - pad : lo, hi + pad);
    axis->applyNiceNumbers();
    c->addAxis(axis, right ? Qt::AlignRight : Qt::AlignLeft);
    return axis;
  };
  QValueAxis* left = makeValueAxis(false);
  QValueAxis* right = makeValueAxis(true);
  for (const auto& s : series_) {
    QAreaSeries* band = nullptr;
    if (!s.band_lo.empty() && s.band_lo.size() == x_ms_.size() && s.band_hi.size() == x_ms_.size()) {
      // Added before its line so the line is drawn over it.
      band = new QAreaSeries;
      band->setUpperSeries(new QLineSeries(band));
      band->setLowerSeries(new QLineSeries(band));
      band->setName(s.band_name);
      c->addSeries(band);
      band->attachAxis(x_axis);
      band->attachAxis(s.right_axis ? right : left);
    }
    band_series_.push_back(band);
    auto* line = new QLineSeries;
    line->setName(s.name);
    if (points) line->setPointsVisible(true);
    c->addSeries(line);
    if (s.color.isValid()) line->setColor(s.color);
    if (band) {
      // The band in the line's colour, translucent, without a border.
      QColor fill = line->color();
      fill.setAlpha(60);
      band->setBrush(fill);
      band->setPen(Qt::NoPen);
    }
    if (s.dashed || s.dotted) {
      QPen pen = line->pen();
      pen.setStyle(s.dotted ? Qt::DotLine : Qt::DashLine);
      // One pixel wide: the raster engine dashes such a line as it draws it; a wider dashed
      // line is cut into dashes as paths first, which took 0.3 s for the campus's two hourly
      // outdoor temperatures, a third of drawing every chart.
      pen.setWidthF(1.0);
      line->setPen(pen);
    }
    line->attachAxis(x_axis);
    line->attachAxis(s.right_axis ? right : left);
    const QString name = s.name;
    connect(line, &QLineSeries::hovered, this,
            [this, name](const QPointF& p, bool state) { hoverLine(name, p, state); });
    line_series_.push_back(line);
  }
  const double x0 = x_ms_.front(), x1 = std::max(x_ms_.back(), x_ms_.front() + 1000.0);
  time_lines_ = true;
  redraw(x0, x1, points);  // monthly points: a few, drawn now whatever the chart's width
  if (time_axis_) {
    time_axis_->setRange(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(x0), Qt::UTC),
                         QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(x1), Qt::UTC));
    // Zooming re-buckets the visible span from the full data.
    connect(time_axis_, &QDateTimeAxis::rangeChanged, this, [this](const QDateTime& a, const QDateTime& b) {
      redraw(static_cast<double>(a.toMSecsSinceEpoch()), static_cast<double>(b.toMSecsSinceEpoch()));
    });
  }
  c->legend()->setVisible(true);
  c->legend()->setAlignment(Qt::AlignBottom);
}

int ChartPanel::plotBuckets() const {
  const double width_px = chart()->plotArea().width();
  return width_px >= 2.0 ? std::clamp(static_cast<int>(std::ceil(width_px)), 50, displayBuckets()) : 0;
}

void ChartPanel::redraw(double x0, double x1, bool now) {
  shown_x0_ = x0;
  shown_x1_ = x1;
  // One bucket per pixel column of the plot: its min and max, two points a column, draw as the
  // full data would. A chart not laid out yet (a tab not shown) gets its points when it is
  // (plotAreaChanged), so laying out and painting see them once, at the right width.
  int buckets = plotBuckets();
  if (buckets == 0) {
    if (!now) {
      points_pending_ = true;
      return;
    }
    buckets = displayBuckets();
  }
  points_pending_ = false;
  buckets_ = buckets;
  for (std::size_t i = 0; i < series_.size() && i < line_series_.size(); ++i) {
    line_series_[i]->replace(downsample(x_ms_, series_[i].y, x0, x1, buckets));
    if (i < band_series_.size() && band_series_[i]) {
      band_series_[i]->upperSeries()->replace(downsampleBound(x_ms_, series_[i].band_hi, x0, x1, buckets, true));
      band_series_[i]->lowerSeries()->replace(downsampleBound(x_ms_, series_[i].band_lo, x0, x1, buckets, false));
    }
  }
}

void ChartPanel::drawPendingPoints() const {
  if (points_pending_) const_cast<ChartPanel*>(this)->redraw(shown_x0_, shown_x1_, true);
}

void ChartPanel::hoverLine(const QString& name, const QPointF& p, bool state) {
  if (!state) {
    QToolTip::hideText();
    return;
  }
  const LineSpec* spec = nullptr;
  for (const auto& s : series_) {
    if (s.name == name) spec = &s;
  }
  if (!spec || x_ms_.empty()) return;
  // The nearest point of the full data, not of the downsampled line.
  auto it = std::lower_bound(x_ms_.begin(), x_ms_.end(), p.x());
  std::size_t i = static_cast<std::size_t>(it - x_ms_.begin());
  if (i >= x_ms_.size()) i = x_ms_.size() - 1;
  if (i > 0 && std::fabs(x_ms_[i - 1] - p.x()) < std::fabs(x_ms_[i] - p.x())) --i;
  const QString unit = spec->right_axis ? right_title_ : left_title_;
  QString text = QString("%1\n%2\n%3  [%4]").arg(name, xText(i), fmt(spec->y[i]), unit);
  if (i < spec->band_lo.size() && i < spec->band_hi.size()) {
    text += QString("\n%1: %2, %3: %4").arg(spec->band_lo_name, fmt(spec->band_lo[i]), spec->band_hi_name, fmt(spec->band_hi[i]));
  }
  QToolTip::showText(QCursor::pos(), text, view_);
}

void ChartPanel::hoverBarLine(const QString& name, const QPointF& p, bool state) {
  if (!state) {
    QToolTip::hideText();
    return;
  }
  const LineSpec* s = spec(name);
  const long i = std::lround(p.x());
  if (!s || i < 0 || static_cast<std::size_t>(i) >= s->y.size() || static_cast<std::size_t>(i) >= export_x_.size()) return;
  const QString unit = s->right_axis ? right_title_ : left_title_;
  QToolTip::showText(QCursor::pos(), QString("%1\n%2\n%3  [%4]").arg(name, export_x_[static_cast<std::size_t>(i)],
                                                                     fmt(s->y[static_cast<std::size_t>(i)]), unit),
                     view_);
}

void ChartPanel::setStackedBars(const QString& x_label, const QStringList& x, const std::vector<LineSpec>& sets,
                                const QString& y_title, const std::vector<LineSpec>& lines, const QString& right_title) {
  clear(QString());
  QChart* c = chart();
  x_label_ = x_label;
  for (const auto& s : x) export_x_.push_back(s);
  series_ = sets;
  bar_sets_ = sets.size();
  series_.insert(series_.end(), lines.begin(), lines.end());
  left_title_ = y_title;
  right_title_ = right_title;
  if (x.isEmpty() || sets.empty()) {
    c->setTitle(title_ + "\n" + tr("(no data)"));
    return;
  }
  auto* bars = new QStackedBarSeries;
  double top = 0.0, bottom = 0.0;
  for (int i = 0; i < x.size(); ++i) {
    double pos = 0.0, neg = 0.0;
    for (const auto& s : sets) (s.y[static_cast<std::size_t>(i)] >= 0 ? pos : neg) += s.y[static_cast<std::size_t>(i)];
    top = std::max(top, pos);
    bottom = std::min(bottom, neg);
  }
  double right_lo = 0.0, right_hi = 0.0;
  bool any_right = false;
  for (const auto& l : lines) {
    for (double v : l.y) {
      if (!std::isfinite(v)) continue;
      if (l.right_axis) {
        right_lo = any_right ? std::min(right_lo, v) : v;
        right_hi = any_right ? std::max(right_hi, v) : v;
        any_right = true;
      } else {
        top = std::max(top, v);
        bottom = std::min(bottom, v);
      }
    }
  }
  for (const auto& s : sets) {
    auto* set = new QBarSet(s.name);
    for (double v : s.y) set->append(v);
    bars->append(set);
    const QString name = s.name;
    const QString unit = unitOf(y_title);
    connect(set, &QBarSet::hovered, this, [this, name, x, set, unit](bool state, int index) {
      if (!state) {
        QToolTip::hideText();
        return;
      }
      double total = 0.0;
      for (std::size_t k = 0; k < bar_sets_; ++k) total += series_[k].y[static_cast<std::size_t>(index)];
      QToolTip::showText(QCursor::pos(),
                         QString("%1 %2: %3 %6\n%4 total: %5 %6")
                             .arg(x[index], name, fmt(set->at(index)), x[index], fmt(total), unit),
                         view_);
    });
  }
  c->addSeries(bars);
  auto* axis_x = new QBarCategoryAxis;
  axis_x->append(x);
  axis_x->setTitleText(x_label);
  c->addAxis(axis_x, Qt::AlignBottom);
  bars->attachAxis(axis_x);
  auto* axis_y = new QValueAxis;
  axis_y->setTitleText(y_title);
  axis_y->setRange(bottom, top * 1.05 + (top == 0.0 ? 1.0 : 0.0));
  axis_y->applyNiceNumbers();
  axis_y->setLabelFormat("%.0f");
  c->addAxis(axis_y, Qt::AlignLeft);
  bars->attachAxis(axis_y);
  QValueAxis* axis_right = nullptr;
  if (any_right) {
    axis_right = new QValueAxis;
    axis_right->setTitleText(right_title);
    if (right_hi <= right_lo) right_hi = right_lo + 1.0;
    const double pad = 0.05 * (right_hi - right_lo);
    axis_right->setRange(std::min(0.0, right_lo - pad), std::max(0.0, right_hi + pad));
    axis_right->applyNiceNumbers();
    axis_right->setLabelFormat("%.0f");
    c->addAxis(axis_right, Qt::AlignRight);
  }
  // Lines over the bars: x is the bar's index on the category axis.
  for (const auto& l : lines) {
    auto* line = new QLineSeries;
    line->setName(l.name);
    line->setPointsVisible(true);
    for (std::size_t i = 0; i < l.y.size() && i < static_cast<std::size_t>(x.size()); ++i) {
      if (std::isfinite(l.y[i])) line->append(static_cast<double>(i), l.y[i]);
    }
    c->addSeries(line);
    QPen pen = line->pen();
    if (l.color.isValid()) pen.setColor(l.color);
    pen.setWidthF(2.0);
    if (l.dashed || l.dotted) pen.setStyle(l.dotted ? Qt::DotLine : Qt::DashLine);
    line->setPen(pen);
    line->attachAxis(axis_x);
    line->attachAxis(l.right_axis && axis_right ? axis_right : axis_y);
    const QString name = l.name;
    connect(line, &QLineSeries::hovered, this, [this, name](const QPointF& p, bool state) { hoverBarLine(name, p, state); });
    line_series_.push_back(line);
  }
  c->legend()->setVisible(true);
  c->legend()->setAlignment(Qt::AlignBottom);
}

const std::vector<double>* ChartPanel::fullData(const QString& name) const {
  const LineSpec* s = spec(name);
  return s ? &s->y : nullptr;
}

const LineSpec* ChartPanel::spec(const QString& name) const {
  for (const auto& s : series_) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

QAreaSeries* ChartPanel::areaSeries(const QString& name) const {
  drawPendingPoints();
  for (QAreaSeries* a : band_series_) {
    if (a && a->name() == name) return a;
  }
  return nullptr;
}

QLineSeries* ChartPanel::lineSeries(const QString& name) const {
  drawPendingPoints();
  for (QLineSeries* s : line_series_) {
    if (s->name() == name) return s;
  }
  return nullptr;
}

void ChartPanel::resetZoom() { chart()->zoomReset(); }

bool ChartPanel::exportPng(const QString& path, QSize size) const {
  if (!view_->isVisible()) view_->resize(size);
  drawPendingPoints();  // a chart never laid out draws at the most buckets
  const QPixmap pixmap = view_->grab();
  // Quality 80 is zlib level 1: a third larger than the default level, in a fraction of the time
  // (encoding was a tenth of opening a campus folder and writing its charts).
  return !pixmap.isNull() && pixmap.save(path, "PNG", 80);
}

bool ChartPanel::exportCsv(const QString& path, QString* error) const {
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
    if (error) *error = path + ": " + file.errorString();
    return false;
  }
  QTextStream out(&file);
  // A number, or an empty cell for a gap.
  auto cell = [](const std::vector<double>& v, std::size_t r) {
    return r < v.size() && std::isfinite(v[r]) ? numberText(v[r]) : QString();
  };
  out << csvField(x_label_);
  for (const auto& s : series_) {
    out << ',' << csvField(s.name);
    if (!s.band_lo.empty()) out << ',' << csvField(s.band_lo_name) << ',' << csvField(s.band_hi_name);
  }
  out << '\n';
  const std::size_t rows = export_x_.empty() ? x_ms_.size() : export_x_.size();
  for (std::size_t r = 0; r < rows; ++r) {
    out << csvField(xText(r));
    for (const auto& s : series_) {
      out << ',' << cell(s.y, r);
      if (!s.band_lo.empty()) out << ',' << cell(s.band_lo, r) << ',' << cell(s.band_hi, r);
    }
    out << '\n';
  }
  out.flush();
  if (file.error() != QFileDevice::NoError) {
    if (error) *error = path + ": " + file.errorString();
    return false;
  }
  return true;
}

void fillUtilization(ChartPanel& panel, const reports::ResultsFolder& f, const std::vector<Overlay>& others) {
  std::vector<double> ms;
  if (f.has_bands()) {
    // Replicated: the spread over the replications. Busy GPUs are not banded; utilization (their
    // share of the GPUs) is.
    const reports::CsvTable& b = f.timeseries_bands;
    ms = timeAxisMs(b);
    std::vector<LineSpec> lines;
    lines.push_back(bandLine(b, "utilization", QObject::tr("Utilization"), false, 100.0));
    lines.push_back(bandLine(b, "queue_length", QObject::tr("Queue length"), true, 1.0));
    for (const Overlay& o : others) {
      lines.push_back(overlayLine(b, o, "utilization", QObject::tr("Utilization"), false, 100.0, true));
      lines.push_back(overlayLine(b, o, "queue_length", QObject::tr("Queue length"), true, 1.0, true));
    }
    panel.setLines("time", {}, std::move(ms), std::move(lines), QObject::tr("utilization (% of GPUs)"),
                   QObject::tr("queue length (jobs)"), "yyyy-MM-dd", false);
    return;
  }
  ms = timeAxisMs(f.timeseries);
  std::vector<LineSpec> lines;
  lines.push_back({QObject::tr("GPUs busy"), numbers(f.timeseries, "gpus_busy"), false, false});
  lines.push_back({QObject::tr("GPUs total"), numbers(f.timeseries, "gpus_total"), false, true});
  lines.push_back({QObject::tr("Queue length"), numbers(f.timeseries, "queue_length"), true, false});
  for (const Overlay& o : others) {
    lines.push_back({o.label + QObject::tr(": GPUs busy"), alignedTo(f, *o.folder, "gpus_busy"), false, true});
    lines.push_back({o.label + QObject::tr(": Queue length"), alignedTo(f, *o.folder, "queue_length"), true, true});
  }
  panel.setLines("time", {}, std::move(ms), std::move(lines), QObject::tr("GPUs"),
                 QObject::tr("queue length (jobs)"), "yyyy-MM-dd", false);
}

void fillPower(ChartPanel& panel, const reports::ResultsFolder& f, const std::vector<Overlay>& others) {
  std::vector<double> ms;
  if (f.has_bands()) {
    const reports::CsvTable& b = f.timeseries_bands;
    ms = timeAxisMs(b);
    std::vector<LineSpec> lines;
    lines.push_back(bandLine(b, "it_power_kw", QObject::tr("IT power"), false, 1.0));
    lines.push_back(bandLine(b, "facility_power_kw", QObject::tr("Facility power"), false, 1.0));
    for (const Overlay& o : others) {
      lines.push_back(overlayLine(b, o, "it_power_kw", QObject::tr("IT power"), false, 1.0, true));
      lines.push_back(overlayLine(b, o, "facility_power_kw", QObject::tr("Facility power"), false, 1.0, true));
    }
    // Hall capacities are inputs, the same in every replication (replication 0's file).
    for (const auto& col : columnsEndingWith(f.timeseries, "power_capacity_kw")) {
      lines.push_back({QString::fromStdString(prefixOf(col) + " capacity"), alignedTo(b, f.timeseries, col), false, true});
    }
    panel.setLines("time", {}, std::move(ms), std::move(lines), QObject::tr("power (kW)"), QString(),
                   "yyyy-MM-dd", false);
    return;
  }
  ms = timeAxisMs(f.timeseries);
  std::vector<LineSpec> lines;
  lines.push_back({QObject::tr("IT power"), numbers(f.timeseries, "it_power_kw"), false, false});
  lines.push_back({QObject::tr("Facility power"), numbers(f.timeseries, "facility_power_kw"), false, false});
  for (const Overlay& o : others) {
    lines.push_back({o.label + QObject::tr(": IT power"), alignedTo(f, *o.folder, "it_power_kw"), false, true});
    lines.push_back({o.label + QObject::tr(": Facility power"), alignedTo(f, *o.folder, "facility_power_kw"), false, true});
  }
  const auto halls = columnsEndingWith(f.timeseries, "it_power_kw");
  for (const auto& col : halls) {
    const std::string hall = prefixOf(col);
    // One hall's IT power repeats the total; show per-hall lines only when there are several.
    if (halls.size() > 1) lines.push_back({QString::fromStdString(hall + " IT"), numbers(f.timeseries, col), false, false});
    if (f.timeseries.find(hall + ":power_capacity_kw")) {
      lines.push_back({QString::fromStdString(hall + " capacity"), numbers(f.timeseries, hall + ":power_capacity_kw"),
                       false, true});
    }
  }
  panel.setLines("time", {}, std::move(ms), std::move(lines), QObject::tr("power (kW)"), QString(),
                 "yyyy-MM-dd", false);
}

void fillClimate(ChartPanel& panel, const reports::ResultsFolder& f) {
  const auto pues = columnsEndingWith(f.timeseries, "pue");
  if (pues.empty()) {
    panel.clear(QObject::tr("No site with a climate in this scenario: PUE is constant."));
    return;
  }
  std::vector<double> ms;
  ms = timeAxisMs(f.timeseries);
  std::vector<LineSpec> lines;
  for (const auto& col : pues) {
    const std::string site = prefixOf(col);
    lines.push_back({QString::fromStdString(site + " PUE"), numbers(f.timeseries, col), false, false});
    if (f.timeseries.find(site + ":outdoor_c")) {
      lines.push_back({QString::fromStdString(site + " outdoor"), numbers(f.timeseries, site + ":outdoor_c"), true, true});
    }
  }
  panel.setLines("time", {}, std::move(ms), std::move(lines), QObject::tr("PUE"),
                 QObject::tr("outdoor temperature (°C)"), "yyyy-MM-dd", false, false);
}

void fillCost(ChartPanel& panel, const reports::ResultsFolder& f, const std::vector<Overlay>& others) {
  const reports::CsvTable& t = f.cost_monthly;
  const reports::CsvColumn* month = t.find("month");
  const reports::CsvColumn* category = t.find("category");
  const reports::CsvColumn* amount = t.find("amount_usd");
  QStringList months;
  std::vector<QString> categories;
  std::map<std::pair<QString, QString>, double> cells;  // (category, month) -> USD
  for (std::size_t r = 0; r < t.rows; ++r) {
    const QString m = QString::fromStdString(month->cell(r));
    const QString cat = QString::fromStdString(category->cell(r));
    if (!months.contains(m)) months.append(m);
    if (std::find(categories.begin(), categories.end(), cat) == categories.end()) categories.push_back(cat);
    cells[{cat, m}] += amount->numbers[r];
  }
  const std::map<QString, double> cash = cumulativeCash(f);
  for (const auto& [m, unused] : cash) {
    if (!months.contains(m)) months.append(m);
  }
  months.sort();
  std::vector<LineSpec> sets;
  for (const auto& cat : categories) {
    LineSpec s{cat, {}, false, false};
    for (const auto& m : months) s.y.push_back(cells[{cat, m}]);
    sets.push_back(std::move(s));
  }
  const std::vector<QString> month_list(months.begin(), months.end());
  // Each run in a colour of its own: its total dashed, its cumulative cash dotted (A's solid).
  std::vector<LineSpec> lines;
  if (!cash.empty()) {
    lines.push_back({QObject::tr("Cumulative cash"), onMonths(month_list, cash), true, false});
    lines.back().color = QColor(40, 40, 40);
  }
  for (std::size_t i = 0; i < others.size(); ++i) {
    const Overlay& o = others[i];
    lines.push_back({o.label + QObject::tr(": total cost"), onMonths(month_list, monthlyCostTotal(*o.folder)), false, true});
    lines.back().color = runColor(i);
    const std::map<QString, double> o_cash = cumulativeCash(*o.folder);
    if (!o_cash.empty()) {
      lines.push_back({o.label + QObject::tr(": cumulative cash"), onMonths(month_list, o_cash), true, false});
      lines.back().color = runColor(i);
      lines.back().dotted = true;
    }
  }
  panel.setStackedBars("month", months, sets, QObject::tr("cost (USD)"), lines, QObject::tr("cumulative cash (USD)"));
}

void fillCapacity(ChartPanel& panel, const reports::ResultsFolder& f, const std::vector<Overlay>& others) {
  const CapacityCells a = capacityCells(f.capacity);
  std::vector<double> ms;
  for (const auto& m : a.months) ms.push_back(monthMs(m));
  std::vector<LineSpec> lines;
  for (const auto& k : a.keys) {
    LineSpec s{QString::fromStdString(k), {}, false, false};
    for (const auto& m : a.months) {
      const auto it = a.cells.find({k, m});
      s.y.push_back(it == a.cells.end() ? std::nan("") : it->second);
    }
    lines.push_back(std::move(s));
  }
  for (const Overlay& o : others) {
    const CapacityCells b = capacityCells(o.folder->capacity);
    for (const auto& k : b.keys) {
      std::map<QString, double> by_month;
      for (const auto& m : b.months) {
        const auto it = b.cells.find({k, m});
        if (it != b.cells.end()) by_month[m] = it->second;
      }
      lines.push_back({o.label + ": " + QString::fromStdString(k), onMonths(a.months, by_month), false, true});
    }
  }
  panel.setLines("month", a.months, std::move(ms), std::move(lines),
                 QObject::tr("headroom (% of limit; below 0 = short)"), QString(), "yyyy-MM", true, false);
}

void fillRevenue(ChartPanel& panel, const reports::ResultsFolder& f) {
  const reports::CsvTable& t = f.revenue_monthly;
  if (t.columns.empty()) {
    panel.clear(QObject::tr("No revenue by type in these results (revenue_monthly.csv comes with finance.prices, "
                            "contracts or price_decline_per_year, or services with price_per_million_tokens)."));
    return;
  }
  const reports::CsvColumn* month = t.find("month");
  const reports::CsvColumn* kind = t.find("category");
  const reports::CsvColumn* gpu = t.find("subcategory");
  const reports::CsvColumn* amount = t.find("amount_usd");
  QStringList months;
  std::vector<QString> stacks;
  std::map<std::pair<QString, QString>, double> cells;  // ("<gpu> <kind>" or "inference <service>", month) -> USD
  for (std::size_t r = 0; r < t.rows; ++r) {
    const QString m = QString::fromStdString(month->cell(r));
    // GPU-hour revenue by GPU type and kind ("h100 on_demand"); token revenue of inference
    // services (category "inference", subcategory the service) by service ("inference chat").
    const std::string k = kind->cell(r);
    const QString key = QString::fromStdString(k == "inference" ? k + " " + gpu->cell(r) : gpu->cell(r) + " " + k);
    if (!months.contains(m)) months.append(m);
    if (std::find(stacks.begin(), stacks.end(), key) == stacks.end()) stacks.push_back(key);
    cells[{key, m}] += amount->numbers[r];
  }
  months.sort();
  std::sort(stacks.begin(), stacks.end());
  std::vector<LineSpec> sets;
  for (const auto& k : stacks) {
    LineSpec s{k, {}, false, false};
    for (const auto& m : months) s.y.push_back(cells[{k, m}]);
    sets.push_back(std::move(s));
  }
  panel.setStackedBars("month", months, sets, QObject::tr("revenue (USD)"));
}

void fillSlo(ChartPanel& panel, const reports::ResultsFolder& f) {
  const auto columns = columnsEndingWith(f.timeseries, "slo_attainment");
  if (columns.empty()) {
    panel.clear(QObject::tr("No inference services in these results (no <service>:slo_attainment column in "
                            "timeseries.csv)."));
    return;
  }
  std::vector<double> ms;
  ms = timeAxisMs(f.timeseries);
  std::vector<LineSpec> lines;
  // In % of the hour; an hour without an autoscaler interval of the service is a gap.
  for (const auto& col : columns) {
    lines.push_back({QString::fromStdString(prefixOf(col)), scaled(numbers(f.timeseries, col), 100.0), false, false});
  }
  panel.setLines("time", {}, std::move(ms), std::move(lines), QObject::tr("SLO met (% of hour)"), QString(),
                 "yyyy-MM-dd", false);
  for (QAbstractAxis* a : panel.chart()->axes(Qt::Vertical)) {
    if (auto* v = qobject_cast<QValueAxis*>(a)) {  // a share: always 0-100 %, ticks every 25
      v->setRange(0.0, 100.0);
      v->setTickCount(5);
      v->setLabelFormat("%.0f");
    }
  }
}

void fillCarbon(ChartPanel& panel, const reports::ResultsFolder& f) {
  const reports::CsvTable& t = f.carbon_monthly;
  const reports::CsvColumn* month = t.find("month");
  const reports::CsvColumn* site = t.find("site");
  const reports::CsvColumn* carbon = t.find("carbon_t");
  if (!month || !site || !carbon) {
    panel.clear(QObject::tr("No carbon_monthly.csv in these results (folders written before it)."));
    return;
  }
  QStringList months;
  std::vector<QString> sites;
  std::map<std::pair<QString, QString>, double> cells;  // (site, month) -> t CO2
  for (std::size_t r = 0; r < t.rows; ++r) {
    const QString m = QString::fromStdString(month->cell(r));
    const QString s = QString::fromStdString(site->cell(r));
    if (!months.contains(m)) months.append(m);
    if (std::find(sites.begin(), sites.end(), s) == sites.end()) sites.push_back(s);
    cells[{s, m}] += carbon->numbers[r];
  }
  months.sort();
  std::vector<LineSpec> sets;
  for (const auto& s : sites) {
    LineSpec set{s, {}, false, false};
    for (const auto& m : months) set.y.push_back(cells[{s, m}]);
    sets.push_back(std::move(set));
  }
  panel.setStackedBars("month", months, sets, QObject::tr("emissions (t CO2)"));
}

bool isChartedTimeseriesColumn(std::string_view column) {
  // Keep in step with the fill functions above and floorHalls (floor_view.cpp).
  static constexpr std::string_view whole[] = {"time",         "gpus_total",        "gpus_busy",   "utilization",
                                               "queue_length", "facility_power_kw", "it_power_kw"};
  static constexpr std::string_view per_part[] = {":it_power_kw", ":power_capacity_kw", ":pue", ":outdoor_c",
                                                  ":slo_attainment"};
  for (std::string_view w : whole) {
    if (column == w) return true;
  }
  for (std::string_view suffix : per_part) {
    if (column.size() > suffix.size() && column.substr(column.size() - suffix.size()) == suffix) return true;
  }
  return false;
}

QStringList marketDimensions(const reports::ResultsFolder& f) {
  QStringList out;
  const reports::CsvColumn* dim = f.market.find("dimension");
  if (!dim) return out;
  for (std::size_t r = 0; r < f.market.rows; ++r) {
    const QString d = QString::fromStdString(dim->cell(r));
    if (!out.contains(d)) out.append(d);
  }
  return out;
}

void fillMarket(ChartPanel& panel, const reports::ResultsFolder& f, const QString& dimension) {
  if (!f.has_market()) {
    panel.clear(QObject::tr("No market section in this scenario (no market.csv in the results)."));
    return;
  }
  const reports::CsvTable& t = f.market;
  const reports::CsvColumn* year = t.find("year");
  const reports::CsvColumn* kase = t.find("case");
  const reports::CsvColumn* dim = t.find("dimension");
  const reports::CsvColumn* segment = t.find("segment");
  const reports::CsvColumn* usd = t.find("market_usd_bn");
  const reports::CsvColumn* demand_year = f.market_demand.find("year");
  const reports::CsvColumn* gpu_hours = f.market_demand.find("gpu_hours");
  std::vector<long long> years;
  auto addYear = [&](double y) {
    const auto v = static_cast<long long>(y);
    if (std::find(years.begin(), years.end(), v) == years.end()) years.push_back(v);
  };
  for (std::size_t r = 0; r < t.rows; ++r) addYear(year->numbers[r]);
  for (std::size_t r = 0; demand_year && r < f.market_demand.rows; ++r) addYear(demand_year->numbers[r]);
  std::sort(years.begin(), years.end());
  auto yearIndex = [&](double y) {
    return static_cast<std::size_t>(std::lower_bound(years.begin(), years.end(), static_cast<long long>(y)) - years.begin());
  };
  // Lines in the order they first occur: the total per case, then the chosen dimension's
  // segments (base case).
  std::vector<LineSpec> lines;
  std::map<QString, std::size_t> line_of;
  auto lineFor = [&](const QString& name, bool dashed) -> LineSpec& {
    const auto it = line_of.find(name);
    if (it != line_of.end()) return lines[it->second];
    line_of[name] = lines.size();
    lines.push_back({name, std::vector<double>(years.size(), std::nan("")), false, dashed});
    return lines.back();
  };
  for (const char* c : {"low", "base", "high"}) lineFor(QObject::tr("Market %1").arg(c), std::string(c) != "base");
  for (std::size_t r = 0; r < t.rows; ++r) {
    const std::string k = kase->cell(r), d = dim->cell(r);
    if (d == "total") {
      lineFor(QObject::tr("Market %1").arg(QString::fromStdString(k)), k != "base").y[yearIndex(year->numbers[r])] =
          usd->numbers[r];
    } else if (dimension != "total" && QString::fromStdString(d) == dimension && k == "base") {
      lineFor(QString::fromStdString(segment->cell(r)), false).y[yearIndex(year->numbers[r])] = usd->numbers[r];
    }
  }
  // Cases the file does not hold stay out.
  lines.erase(std::remove_if(lines.begin(), lines.end(),
                             [](const LineSpec& s) {
                               return std::none_of(s.y.begin(), s.y.end(), [](double v) { return std::isfinite(v); });
                             }),
              lines.end());
  if (gpu_hours && demand_year) {
    LineSpec demand{QObject::tr("Our demand"), std::vector<double>(years.size(), std::nan("")), true, false};
    for (std::size_t r = 0; r < f.market_demand.rows; ++r) demand.y[yearIndex(demand_year->numbers[r])] = gpu_hours->numbers[r];
    lines.push_back(std::move(demand));
  }
  std::vector<QString> text;
  std::vector<double> ms;
  for (long long y : years) {
    text.push_back(QString::number(y));
    ms.push_back(static_cast<double>(reports::parse_utc_seconds(std::to_string(y) + "-01-01T00:00:00Z").value_or(0)) *
                 1000.0);
  }
  panel.setLines("year", std::move(text), std::move(ms), std::move(lines), QObject::tr("market (USD bn)"),
                 QObject::tr("our demand (GPU-hours)"), "yyyy", true);
  for (QAbstractAxis* a : panel.chart()->axes(Qt::Vertical)) {
    if (auto* v = qobject_cast<QValueAxis*>(a)) v->setLabelFormat("%.0f");  // no ".0" on USD bn and GPU-hours
  }
}

}  // namespace dcsim::gui
