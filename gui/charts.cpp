// Chart panels: building the Qt Charts from results tables, downsampling, hover, export.
#include "gui/charts.h"

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

namespace dcsim::gui {

namespace {

QString fmt(double v) {
  const double a = std::fabs(v);
  if (a != 0.0 && (a < 0.01 || a >= 1e7)) return QString::number(v, 'g', 6);
  return QLocale::system().toString(v, 'f', a >= 100 ? 1 : 3);
}

// Points of [lo, hi) of the full data; beyond 2 x buckets, the min and max of each bucket of
// consecutive points, in the order they occur, so spikes survive downsampling.
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
    return out;
  }
  out.reserve(2 * buckets);
  for (int b = 0; b < buckets; ++b) {
    const std::size_t s = lo + n * static_cast<std::size_t>(b) / static_cast<std::size_t>(buckets);
    const std::size_t e = lo + n * static_cast<std::size_t>(b + 1) / static_cast<std::size_t>(buckets);
    if (s >= e) continue;
    std::size_t imin = s, imax = s;
    for (std::size_t i = s; i < e; ++i) {
      if (y[i] < y[imin]) imin = i;
      if (y[i] > y[imax]) imax = i;
    }
    const std::size_t first = std::min(imin, imax), second = std::max(imin, imax);
    out.append(QPointF(x[first], y[first]));
    if (second != first) out.append(QPointF(x[second], y[second]));
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

std::vector<double> numbers(const reports::CsvTable& t, const std::string& name) {
  const reports::CsvColumn* c = t.find(name);
  if (!c || !c->numeric) return std::vector<double>(t.rows, 0.0);
  return c->numbers;
}

void timeAxisData(const reports::ResultsFolder& f, std::vector<QString>& text, std::vector<double>& ms) {
  const reports::CsvColumn* time = f.timeseries.find("time");
  text.reserve(f.timeseries.rows);
  ms.reserve(f.timeseries.rows);
  for (std::size_t r = 0; r < f.timeseries.rows; ++r) {
    const std::string s = time->cell(r);
    text.push_back(QString::fromStdString(s));
    ms.push_back(static_cast<double>(reports::parse_utc_seconds(s).value_or(0)) * 1000.0);
  }
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

// B's column at A's timeseries times: matched by timestamp, or by hours from each run's start
// when no timestamp matches; NaN (a gap) where B has no value.
std::vector<double> alignedTo(const reports::ResultsFolder& a, const reports::ResultsFolder& b, const std::string& column) {
  std::vector<double> out(a.timeseries.rows, std::nan(""));
  const reports::CsvColumn* col = b.timeseries.find(column);
  const reports::CsvColumn* ta = a.timeseries.find("time");
  const reports::CsvColumn* tb = b.timeseries.find("time");
  if (!col || !col->numeric || !ta || !tb || b.timeseries.rows == 0 || a.timeseries.rows == 0) return out;
  std::map<long long, std::size_t> b_at;
  for (std::size_t r = 0; r < b.timeseries.rows; ++r) b_at[reports::parse_utc_seconds(tb->cell(r)).value_or(0)] = r;
  std::vector<long long> a_times;
  bool any = false;
  for (std::size_t r = 0; r < a.timeseries.rows; ++r) {
    a_times.push_back(reports::parse_utc_seconds(ta->cell(r)).value_or(0));
    any = any || b_at.count(a_times.back()) > 0;
  }
  const long long shift = any ? 0 : b_at.begin()->first - a_times.front();
  for (std::size_t r = 0; r < a_times.size(); ++r) {
    const auto it = b_at.find(a_times[r] + shift);
    if (it != b_at.end()) out[r] = col->numbers[it->second];
  }
  return out;
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
  clear(tr("No results yet: open a scenario and run it, or open a results folder."));
}

QChart* ChartPanel::chart() const { return view_->chart(); }

void ChartPanel::clear(const QString& why) {
  QChart* c = chart();
  c->removeAllSeries();
  for (QAbstractAxis* a : c->axes()) {
    c->removeAxis(a);
    delete a;
  }
  time_axis_ = nullptr;
  line_series_.clear();
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
    for (std::size_t i = 0; i < x_ms_.size(); ++i) months->append(export_x_[i], x_ms_[i]);
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
      for (double v : s.y) {
        if (!std::isfinite(v)) continue;
        if (!any) lo = hi = v;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        any = true;
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
    auto* line = new QLineSeries;
    line->setName(s.name);
    if (points) line->setPointsVisible(true);
    c->addSeries(line);
    if (s.dashed) {
      QPen pen = line->pen();
      pen.setStyle(Qt::DashLine);
      pen.setWidthF(1.5);
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
  redraw(x0, x1);
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

void ChartPanel::redraw(double x0, double x1) {
  for (std::size_t i = 0; i < series_.size() && i < line_series_.size(); ++i) {
    line_series_[i]->replace(downsample(x_ms_, series_[i].y, x0, x1, displayBuckets()));
  }
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
  QToolTip::showText(QCursor::pos(), QString("%1\n%2\n%3  [%4]").arg(name, export_x_[i], fmt(spec->y[i]), unit), view_);
}

void ChartPanel::setStackedBars(const QString& x_label, const QStringList& x, const std::vector<LineSpec>& sets,
                                const QString& y_title) {
  clear(QString());
  QChart* c = chart();
  x_label_ = x_label;
  for (const auto& s : x) export_x_.push_back(s);
  series_ = sets;
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
  for (const auto& s : sets) {
    auto* set = new QBarSet(s.name);
    for (double v : s.y) set->append(v);
    bars->append(set);
    const QString name = s.name;
    connect(set, &QBarSet::hovered, this, [this, name, x, set](bool state, int index) {
      if (!state) {
        QToolTip::hideText();
        return;
      }
      double total = 0.0;
      for (const auto& s2 : series_) total += s2.y[static_cast<std::size_t>(index)];
      QToolTip::showText(QCursor::pos(),
                         QString("%1 %2: %3 USD\n%4 total: %5 USD")
                             .arg(x[index], name, fmt(set->at(index)), x[index], fmt(total)),
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
  c->legend()->setVisible(true);
  c->legend()->setAlignment(Qt::AlignBottom);
}

const std::vector<double>* ChartPanel::fullData(const QString& name) const {
  for (const auto& s : series_) {
    if (s.name == name) return &s.y;
  }
  return nullptr;
}

QLineSeries* ChartPanel::lineSeries(const QString& name) const {
  for (QLineSeries* s : line_series_) {
    if (s->name() == name) return s;
  }
  return nullptr;
}

void ChartPanel::resetZoom() { chart()->zoomReset(); }

bool ChartPanel::exportPng(const QString& path, QSize size) const {
  if (!view_->isVisible()) view_->resize(size);
  const QPixmap pixmap = view_->grab();
  return !pixmap.isNull() && pixmap.save(path, "PNG");
}

bool ChartPanel::exportCsv(const QString& path, QString* error) const {
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
    if (error) *error = path + ": " + file.errorString();
    return false;
  }
  QTextStream out(&file);
  out << csvField(x_label_);
  for (const auto& s : series_) out << ',' << csvField(s.name);
  out << '\n';
  for (std::size_t r = 0; r < export_x_.size(); ++r) {
    out << csvField(export_x_[r]);
    for (const auto& s : series_) out << ',' << (r < s.y.size() ? numberText(s.y[r]) : QString());
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
  std::vector<QString> text;
  std::vector<double> ms;
  timeAxisData(f, text, ms);
  std::vector<LineSpec> lines;
  lines.push_back({QObject::tr("GPUs busy"), numbers(f.timeseries, "gpus_busy"), false, false});
  lines.push_back({QObject::tr("GPUs total"), numbers(f.timeseries, "gpus_total"), false, true});
  lines.push_back({QObject::tr("Queue length"), numbers(f.timeseries, "queue_length"), true, false});
  for (const Overlay& o : others) {
    lines.push_back({o.label + QObject::tr(": GPUs busy"), alignedTo(f, *o.folder, "gpus_busy"), false, true});
    lines.push_back({o.label + QObject::tr(": Queue length"), alignedTo(f, *o.folder, "queue_length"), true, true});
  }
  panel.setLines("time", std::move(text), std::move(ms), std::move(lines), QObject::tr("GPUs"),
                 QObject::tr("queue length (jobs)"), "yyyy-MM-dd", false);
}

void fillPower(ChartPanel& panel, const reports::ResultsFolder& f, const std::vector<Overlay>& others) {
  std::vector<QString> text;
  std::vector<double> ms;
  timeAxisData(f, text, ms);
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
  panel.setLines("time", std::move(text), std::move(ms), std::move(lines), QObject::tr("power (kW)"), QString(),
                 "yyyy-MM-dd", false);
}

void fillClimate(ChartPanel& panel, const reports::ResultsFolder& f) {
  const auto pues = columnsEndingWith(f.timeseries, "pue");
  if (pues.empty()) {
    panel.clear(QObject::tr("No site with a climate in this scenario: PUE is constant."));
    return;
  }
  std::vector<QString> text;
  std::vector<double> ms;
  timeAxisData(f, text, ms);
  std::vector<LineSpec> lines;
  for (const auto& col : pues) {
    const std::string site = prefixOf(col);
    lines.push_back({QString::fromStdString(site + " PUE"), numbers(f.timeseries, col), false, false});
    if (f.timeseries.find(site + ":outdoor_c")) {
      lines.push_back({QString::fromStdString(site + " outdoor"), numbers(f.timeseries, site + ":outdoor_c"), true, true});
    }
  }
  panel.setLines("time", std::move(text), std::move(ms), std::move(lines), QObject::tr("PUE"),
                 QObject::tr("outdoor temperature (°C)"), "yyyy-MM-dd", false, false);
}

void fillCost(ChartPanel& panel, const reports::ResultsFolder& f) {
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
  months.sort();
  std::vector<LineSpec> sets;
  for (const auto& cat : categories) {
    LineSpec s{cat, {}, false, false};
    for (const auto& m : months) s.y.push_back(cells[{cat, m}]);
    sets.push_back(std::move(s));
  }
  panel.setStackedBars("month", months, sets, QObject::tr("cost (USD)"));
}

void fillCapacity(ChartPanel& panel, const reports::ResultsFolder& f) {
  const reports::CsvTable& t = f.capacity;
  const reports::CsvColumn* month = t.find("month");
  std::vector<QString> months;
  std::vector<std::string> keys;
  std::map<std::pair<std::string, QString>, double> cells;  // (envelope label, month) -> % headroom
  for (std::size_t r = 0; r < t.rows; ++r) {
    const QString m = QString::fromStdString(month->cell(r));
    std::string key = t.find("envelope")->cell(r);
    const std::string site = t.find("site")->cell(r), hall = t.find("hall")->cell(r);
    if (!site.empty()) key += " " + site + (hall.empty() ? "" : "/" + hall);
    key += " (" + t.find("unit")->cell(r) + ")";
    if (std::find(months.begin(), months.end(), m) == months.end()) months.push_back(m);
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
    cells[{key, m}] = 100.0 * t.find("headroom_fraction")->numbers[r];
  }
  std::sort(months.begin(), months.end());
  std::vector<double> ms;
  for (const auto& m : months) {
    ms.push_back(static_cast<double>(reports::parse_utc_seconds(m.toStdString() + "-01T00:00:00Z").value_or(0)) * 1000.0);
  }
  std::vector<LineSpec> lines;
  for (const auto& k : keys) {
    LineSpec s{QString::fromStdString(k), {}, false, false};
    for (const auto& m : months) {
      const auto it = cells.find({k, m});
      s.y.push_back(it == cells.end() ? std::nan("") : it->second);
    }
    lines.push_back(std::move(s));
  }
  panel.setLines("month", std::move(months), std::move(ms), std::move(lines),
                 QObject::tr("headroom (% of limit; below 0 = short)"), QString(), "yyyy-MM", true, false);
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
