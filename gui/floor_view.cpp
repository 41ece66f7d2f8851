// The Floor tab: racks per hall, coloured by their share of the hall's IT power at an hour.
#include "gui/floor_view.h"

#include <QAbstractTableModel>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QLinearGradient>
#include <QPainter>
#include <QHeaderView>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QSlider>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "sim/model/catalog.h"

namespace dcsim::gui {

double rackMaxKw(const scenario::Scenario& sc, const scenario::RackGroupSpec& g) {
  std::string gpu;
  int gpus = 0;
  double overhead_w = 0.0;
  const model::Catalog& builtin = model::builtin_catalog();
  if (g.inline_server) {
    gpu = g.inline_server->gpu;
    gpus = g.inline_server->gpus;
    overhead_w = g.inline_server->overhead_w.value_or(0.0);
  } else {
    bool found = false;
    for (const auto& s : sc.catalog.servers) {
      if (s.name == g.server) {
        gpu = s.gpu;
        gpus = s.gpus;
        overhead_w = s.overhead_w.value_or(0.0);
        found = true;
      }
    }
    if (!found) {
      const model::ServerType* s = builtin.find_server(g.server);
      if (!s) return 0.0;
      gpu = s->gpu;
      gpus = s->gpus;
      overhead_w = s->overhead_w;
    }
  }
  double tdp_w = -1.0;
  for (const auto& t : sc.catalog.gpus) {
    if (t.name == gpu) tdp_w = t.tdp_w;
  }
  if (tdp_w < 0.0) {
    const model::GpuType* t = builtin.find_gpu(gpu);
    if (!t) return 0.0;
    tdp_w = t->tdp_w;
  }
  return g.servers_per_rack * (gpus * tdp_w + overhead_w) / 1000.0;
}

std::vector<FloorHall> floorHalls(const scenario::Scenario& sc, const reports::ResultsFolder& f) {
  std::vector<FloorHall> out;
  std::size_t hall_count = 0;
  for (const auto& site : sc.sites) hall_count += site.halls.size();
  for (const auto& site : sc.sites) {
    for (const auto& hall : site.halls) {
      FloorHall h;
      h.name = QString::fromStdString(site.name + "/" + hall.name);
      for (std::size_t gi = 0; gi < hall.racks.size(); ++gi) {
        const auto& g = hall.racks[gi];
        const double kw = rackMaxKw(sc, g);
        const QString server = g.inline_server ? QStringLiteral("inline server") : QString::fromStdString(g.server);
        const double limit_kw = g.power_limit_w ? *g.power_limit_w / 1000.0 : std::nan("");
        for (int r = 0; r < g.count; ++r) h.racks.push_back({static_cast<int>(gi), server, kw, limit_kw});
        h.max_kw += kw * g.count;
      }
      const reports::CsvColumn* col = f.timeseries.find(site.name + "/" + hall.name + ":it_power_kw");
      if (!col && hall_count == 1) col = f.timeseries.find("it_power_kw");  // one hall: the total is the hall's
      if (col && col->numeric) h.it_kw = col->numbers;
      out.push_back(std::move(h));
    }
  }
  return out;
}

namespace {

// Dark blue (0) -> teal -> yellow -> red (1).
QColor colourAt(double x) {
  static const QColor stops[] = {QColor(40, 60, 150), QColor(30, 150, 160), QColor(240, 220, 60), QColor(210, 40, 30)};
  x = std::clamp(std::isfinite(x) ? x : 0.0, 0.0, 1.0) * 3.0;
  const int i = std::min(2, static_cast<int>(x));
  const double t = x - i;
  const QColor& a = stops[i];
  const QColor& b = stops[i + 1];
  return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * t),
                          static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * t),
                          static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * t));
}

constexpr int kCell = 26, kGap = 4, kColumns = 16, kMargin = 12, kTitle = 22, kLegend = 46;

}  // namespace

class FloorCanvas : public QWidget {
 public:
  explicit FloorCanvas(FloorPanel* panel) : QWidget(panel), panel_(panel) { setMouseTracking(true); }

  void relayout() {
    cells_.clear();
    int y = kMargin + kLegend;
    for (std::size_t h = 0; h < panel_->halls_.size(); ++h) {
      const FloorHall& hall = panel_->halls_[h];
      y += kTitle;
      for (std::size_t r = 0; r < hall.racks.size(); ++r) {
        const int col = static_cast<int>(r % kColumns), row = static_cast<int>(r / kColumns);
        cells_.push_back({static_cast<int>(h), static_cast<int>(r),
                          QRect(kMargin + col * (kCell + kGap), y + row * (kCell + kGap), kCell, kCell)});
      }
      const int rows = static_cast<int>((hall.racks.size() + kColumns - 1) / kColumns);
      y += rows * (kCell + kGap) + kMargin;
    }
    setMinimumSize(2 * kMargin + kColumns * (kCell + kGap) + 200, y + kMargin);
    update();
  }
  int cellCount() const { return static_cast<int>(cells_.size()); }

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    p.setRenderHint(QPainter::Antialiasing, false);
    if (panel_->halls_.empty()) return;
    // Legend: a gradient from 0 to the top value.
    const double top = panel_->legendMax();
    const QString unit = panel_->mode_ == FloorPanel::Mode::power_kw ? QStringLiteral("kW per rack") : QStringLiteral("% of rack max");
    const QRect bar(kMargin, kMargin + 16, 300, 14);
    QLinearGradient grad(bar.topLeft(), bar.topRight());
    for (int i = 0; i <= 10; ++i) grad.setColorAt(i / 10.0, colourAt(i / 10.0));
    p.fillRect(bar, grad);
    p.setPen(palette().text().color());
    p.drawRect(bar);
    p.drawText(QPoint(kMargin, kMargin + 11), tr("Rack colour: %1 (estimated from the hall's IT power)").arg(unit));
    p.drawText(QRect(bar.left(), bar.bottom() + 2, 60, 14), Qt::AlignLeft, "0");
    p.drawText(QRect(bar.right() - 80, bar.bottom() + 2, 80, 14), Qt::AlignRight, QString::number(top, 'f', 1));
    // Halls.
    int y = kMargin + kLegend;
    for (std::size_t h = 0; h < panel_->halls_.size(); ++h) {
      const FloorHall& hall = panel_->halls_[h];
      const int row = panel_->hour();
      const double kw = row >= 0 && static_cast<std::size_t>(row) < hall.it_kw.size() ? hall.it_kw[static_cast<std::size_t>(row)] : std::nan("");
      QString title = tr("%1: %2 racks").arg(hall.name).arg(hall.racks.size());
      if (std::isfinite(kw)) title += tr(", IT %1 kW of %2 kW max").arg(kw, 0, 'f', 1).arg(hall.max_kw, 0, 'f', 1);
      else title += tr(", no IT power in the results");
      p.setPen(palette().text().color());
      p.drawText(QPoint(kMargin, y + 15), title);
      y += kTitle;
      const int rows = static_cast<int>((hall.racks.size() + kColumns - 1) / kColumns);
      y += rows * (kCell + kGap) + kMargin;
    }
    for (const Cell& c : cells_) {
      const double v = panel_->rackValue(c.hall, c.rack);
      p.fillRect(c.rect, std::isfinite(v) ? colourAt(top > 0.0 ? v / top : 0.0) : QColor(200, 200, 200));
      const double limit = panel_->rackLimitKw(c.hall, c.rack);
      if (std::isfinite(limit) && panel_->rackPowerKw(c.hall, c.rack) > limit) {
        p.setPen(QPen(QColor(220, 0, 0), 3));  // above its rack limit
      } else {
        p.setPen(QColor(60, 60, 60));
      }
      p.drawRect(c.rect.adjusted(0, 0, -1, -1));
    }
  }

  bool event(QEvent* e) override {
    if (e->type() == QEvent::ToolTip) {
      auto* help = static_cast<QHelpEvent*>(e);
      for (const Cell& c : cells_) {
        if (c.rect.contains(help->pos())) {
          const FloorRack& r = panel_->halls_[static_cast<std::size_t>(c.hall)].racks[static_cast<std::size_t>(c.rack)];
          const double v = panel_->rackValue(c.hall, c.rack);
          const double kw = panel_->rackPowerKw(c.hall, c.rack);
          QString limit = tr("no rack power limit");
          if (std::isfinite(r.limit_kw)) {
            limit = tr("%1 kW of its %2 kW limit (%3 %)").arg(kw, 0, 'f', 2).arg(r.limit_kw, 0, 'f', 1).arg(100.0 * kw / r.limit_kw, 0, 'f', 1);
          }
          QToolTip::showText(help->globalPos(),
                             tr("%1 rack %2\ngroup %3 (%4), max %5 kW\n%6\n%7")
                                 .arg(panel_->halls_[static_cast<std::size_t>(c.hall)].name)
                                 .arg(c.rack)
                                 .arg(r.group)
                                 .arg(r.server)
                                 .arg(r.max_kw, 0, 'f', 1)
                                 .arg(panel_->mode_ == FloorPanel::Mode::power_kw ? tr("%1 kW (estimated)").arg(v, 0, 'f', 2)
                                                                               : tr("%1 % of max").arg(v, 0, 'f', 1))
                                 .arg(limit),
                             this);
          return true;
        }
      }
      QToolTip::hideText();
      e->ignore();
      return true;
    }
    return QWidget::event(e);
  }

 private:
  struct Cell {
    int hall, rack;
    QRect rect;
  };
  FloorPanel* panel_;
  std::vector<Cell> cells_;
};

// One row per rack of every hall; power and share of the limit at the panel's hour.
class RackTableModel : public QAbstractTableModel {
 public:
  explicit RackTableModel(FloorPanel* panel) : QAbstractTableModel(panel), panel_(panel) {}
  enum { HallColumn, RackColumn, GroupColumn, ServerColumn, PowerColumn, LimitColumn, ShareColumn, Columns };

  void reset() {
    beginResetModel();
    rows_.clear();
    for (std::size_t h = 0; h < panel_->halls().size(); ++h) {
      for (std::size_t r = 0; r < panel_->halls()[h].racks.size(); ++r) rows_.emplace_back(static_cast<int>(h), static_cast<int>(r));
    }
    endResetModel();
  }
  void hourChanged() {
    if (!rows_.empty()) emit dataChanged(index(0, PowerColumn), index(rowCount() - 1, ShareColumn));
  }
  int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : static_cast<int>(rows_.size()); }
  int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : Columns; }
  QVariant data(const QModelIndex& index, int role) const override {
    if (!index.isValid()) return {};
    const auto [h, r] = rows_[static_cast<std::size_t>(index.row())];
    const FloorHall& hall = panel_->halls()[static_cast<std::size_t>(h)];
    const FloorRack& rack = hall.racks[static_cast<std::size_t>(r)];
    const double kw = panel_->rackPowerKw(h, r);
    const double limit = rack.limit_kw;
    const double share = std::isfinite(limit) && limit > 0.0 ? 100.0 * kw / limit : std::nan("");
    if (role == Qt::TextAlignmentRole && index.column() >= RackColumn && index.column() != ServerColumn) {
      return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role == Qt::ForegroundRole && index.column() == ShareColumn && share > 100.0) return QColor(200, 0, 0);
    const bool sort = role == Qt::UserRole;
    if (role != Qt::DisplayRole && !sort) return {};
    auto num = [sort](double v, int decimals) -> QVariant {
      if (!std::isfinite(v)) return sort ? QVariant(-1.0) : QVariant(QStringLiteral("-"));
      return sort ? QVariant(v) : QVariant(QString::number(v, 'f', decimals));
    };
    switch (index.column()) {
      case HallColumn: return hall.name;
      case RackColumn: return r;
      case GroupColumn: return rack.group;
      case ServerColumn: return rack.server;
      case PowerColumn: return num(kw, 2);
      case LimitColumn: return num(limit, 1);
      case ShareColumn: return num(share, 1);
      default: return {};
    }
  }
  QVariant headerData(int section, Qt::Orientation o, int role) const override {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* const names[] = {"hall", "rack", "group", "server", "kW at the hour", "limit kW", "% of limit"};
    return section >= 0 && section < Columns ? QString(names[section]) : QVariant();
  }

 private:
  FloorPanel* panel_;
  std::vector<std::pair<int, int>> rows_;
};

FloorPanel::FloorPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* row = new QHBoxLayout;
  mode_box_ = new QComboBox(this);
  mode_box_->setObjectName("floorMode");
  mode_box_->addItems({tr("Power per rack (kW)"), tr("Share of rack maximum (%)")});
  slider_ = new QSlider(Qt::Horizontal, this);
  slider_->setObjectName("floorHour");
  slider_->setToolTip(tr("The hour shown (PgUp/PgDn: a day; arrows: an hour)"));
  slider_->setPageStep(24);
  time_label_ = new QLabel(this);
  time_label_->setMinimumWidth(160);
  row->addWidget(new QLabel(tr("Colour:"), this));
  row->addWidget(mode_box_);
  row->addSpacing(16);
  row->addWidget(new QLabel(tr("Hour:"), this));
  row->addWidget(slider_, 1);
  row->addWidget(time_label_);
  layout->addLayout(row);
  auto* split = new QSplitter(Qt::Horizontal, this);
  canvas_ = new FloorCanvas(this);
  auto* scroll = new QScrollArea(split);
  scroll->setWidget(canvas_);
  scroll->setWidgetResizable(true);
  rack_model_ = new RackTableModel(this);
  rack_proxy_ = new QSortFilterProxyModel(this);
  rack_proxy_->setSourceModel(rack_model_);
  rack_proxy_->setSortRole(Qt::UserRole);
  rack_table_ = new QTableView(split);
  rack_table_->setObjectName("floorRackTable");
  rack_table_->setModel(rack_proxy_);
  rack_table_->setSortingEnabled(true);
  rack_table_->sortByColumn(-1, Qt::AscendingOrder);
  rack_table_->verticalHeader()->hide();
  rack_table_->setAlternatingRowColors(true);
  rack_table_->setToolTip(tr("Each rack's estimated power at the hour of the slider against its group's power_limit"));
  split->addWidget(scroll);
  split->addWidget(rack_table_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  layout->addWidget(split, 1);
  connect(mode_box_, &QComboBox::currentIndexChanged, this,
          [this](int i) { setMode(i == 0 ? Mode::power_kw : Mode::share_of_max); });
  connect(slider_, &QSlider::valueChanged, this, [this] {
    updateLabel();
    canvas_->update();
    rack_model_->hourChanged();
  });
  clear(tr("Open or run a results folder to see its halls."));
}

void FloorPanel::setFloor(std::vector<FloorHall> halls, std::shared_ptr<const reports::ResultsFolder> folder) {
  halls_ = std::move(halls);
  folder_ = std::move(folder);
  time_ = folder_ ? folder_->timeseries.find("time") : nullptr;
  {
    const QSignalBlocker block(slider_);
    slider_->setRange(0, std::max(0, hourCount() - 1));
    slider_->setValue(0);
    // Start at the hour of the highest total IT power: the busiest floor.
    double best = -1.0;
    for (int t = 0; t < hourCount(); ++t) {
      double sum = 0.0;
      for (const auto& h : halls_) sum += static_cast<std::size_t>(t) < h.it_kw.size() ? h.it_kw[static_cast<std::size_t>(t)] : 0.0;
      if (sum > best) {
        best = sum;
        slider_->setValue(t);
      }
    }
  }
  slider_->setEnabled(hourCount() > 1);
  canvas_->relayout();
  rack_model_->reset();
  rack_table_->resizeColumnsToContents();
  updateLabel();
}

void FloorPanel::clear(const QString& why) {
  halls_.clear();
  folder_.reset();
  time_ = nullptr;
  slider_->setRange(0, 0);
  slider_->setEnabled(false);
  canvas_->relayout();
  rack_model_->reset();
  time_label_->setText(why);
}

bool FloorPanel::isEmpty() const { return halls_.empty(); }
int FloorPanel::cellCount() const { return canvas_->cellCount(); }
void FloorPanel::setHour(int row) { slider_->setValue(row); }
int FloorPanel::hour() const { return slider_->value(); }

void FloorPanel::setMode(Mode mode) {
  mode_ = mode;
  {
    const QSignalBlocker block(mode_box_);
    mode_box_->setCurrentIndex(mode == Mode::power_kw ? 0 : 1);
  }
  canvas_->update();
}

double FloorPanel::rackValue(int hall, int rack) const {
  if (hall < 0 || static_cast<std::size_t>(hall) >= halls_.size()) return std::nan("");
  const FloorHall& h = halls_[static_cast<std::size_t>(hall)];
  const int t = hour();
  if (rack < 0 || static_cast<std::size_t>(rack) >= h.racks.size() || t < 0 || static_cast<std::size_t>(t) >= h.it_kw.size()) {
    return std::nan("");
  }
  if (mode_ == Mode::power_kw) return rackPowerKw(hall, rack);
  const double kw = h.it_kw[static_cast<std::size_t>(t)];
  return h.max_kw > 0.0 ? 100.0 * kw / h.max_kw : std::nan("");
}

double FloorPanel::rackPowerKw(int hall, int rack) const {
  if (hall < 0 || static_cast<std::size_t>(hall) >= halls_.size()) return std::nan("");
  const FloorHall& h = halls_[static_cast<std::size_t>(hall)];
  const int t = hour();
  if (rack < 0 || static_cast<std::size_t>(rack) >= h.racks.size() || t < 0 || static_cast<std::size_t>(t) >= h.it_kw.size()) {
    return std::nan("");
  }
  const double kw = h.it_kw[static_cast<std::size_t>(t)];
  return h.max_kw > 0.0 ? kw * h.racks[static_cast<std::size_t>(rack)].max_kw / h.max_kw : kw / static_cast<double>(h.racks.size());
}

double FloorPanel::rackLimitKw(int hall, int rack) const {
  if (hall < 0 || static_cast<std::size_t>(hall) >= halls_.size()) return std::nan("");
  const FloorHall& h = halls_[static_cast<std::size_t>(hall)];
  if (rack < 0 || static_cast<std::size_t>(rack) >= h.racks.size()) return std::nan("");
  return h.racks[static_cast<std::size_t>(rack)].limit_kw;
}

double FloorPanel::legendMax() const {
  if (mode_ == Mode::share_of_max) return 100.0;
  double top = 0.0;
  for (const auto& h : halls_) {
    for (const auto& r : h.racks) top = std::max(top, r.max_kw);
    if (h.max_kw <= 0.0 && !h.racks.empty()) {
      for (double kw : h.it_kw) top = std::max(top, kw / static_cast<double>(h.racks.size()));
    }
  }
  return top;
}

void FloorPanel::updateLabel() {
  const int t = hour();
  time_label_->setText(t >= 0 && t < hourCount() ? QString::fromStdString(time_->cell(static_cast<std::size_t>(t))) : QString());
}

}  // namespace dcsim::gui
