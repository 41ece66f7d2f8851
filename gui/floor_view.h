// The Floor tab: a grid of racks per hall coloured by estimated rack power or by the share of
// the rack's maximum draw, at the hour picked with a time slider, with a colour legend.
//
// Results hold IT power per hall per hour (timeseries.csv `<site>/<hall>:it_power_kw`), not per
// rack: each rack gets its hall's IT power in proportion to its maximum draw (servers per rack
// x (GPUs x TDP + overhead), from the scenario's catalog or the built-in one). Racks of a group
// therefore share a colour; groups of different servers differ.
#pragma once
#include <QString>
#include <QWidget>

#include <memory>
#include <vector>

#include "reports/results_reader.h"
#include "sim/scenario/scenario.h"

class QComboBox;
class QLabel;
class QSlider;
class QSortFilterProxyModel;
class QTableView;

namespace dcsim::gui {

struct FloorRack {
  int group = 0;        // index of its rack group in the hall
  QString server;       // the group's server (name, or "inline")
  double max_kw = 0.0;  // the rack's maximum draw
  double limit_kw = 0.0;  // the group's power_limit; NaN without one
};

struct FloorHall {
  QString name;                 // "site/hall"
  std::vector<FloorRack> racks;
  std::vector<double> it_kw;    // the hall's IT power per timeseries row
  double max_kw = 0.0;          // sum of its racks' max_kw
};

// The halls of `scenario` with their racks and, from the results' timeseries, their IT power.
std::vector<FloorHall> floorHalls(const scenario::Scenario& scenario, const reports::ResultsFolder& results);
// A rack's maximum draw in kW (0 when its server is unknown).
double rackMaxKw(const scenario::Scenario& scenario, const scenario::RackGroupSpec& group);

class FloorCanvas;
class RackTableModel;

class FloorPanel : public QWidget {
  Q_OBJECT
 public:
  enum class Mode { power_kw, share_of_max };
  explicit FloorPanel(QWidget* parent = nullptr);

  // `folder`'s timeseries.csv `time` column labels the hours (read when shown: no string per
  // hour is made up front).
  void setFloor(std::vector<FloorHall> halls, std::shared_ptr<const reports::ResultsFolder> folder);
  void clear(const QString& why);
  bool isEmpty() const;

  int cellCount() const;  // racks drawn, over every hall
  int hourCount() const { return time_ ? static_cast<int>(folder_->timeseries.rows) : 0; }
  void setHour(int row);  // a timeseries row
  int hour() const;
  void setMode(Mode mode);
  Mode mode() const { return mode_; }
  // The value a rack is coloured by at the current hour (kW, or % of its maximum draw).
  double rackValue(int hall, int rack) const;
  double legendMax() const;  // the value of the legend's top colour
  // A rack's estimated power (kW) at the current hour whatever the colour mode, and its limit
  // (kW; NaN without a power_limit).
  double rackPowerKw(int hall, int rack) const;
  double rackLimitKw(int hall, int rack) const;
  // The per-rack table beside the floor: hall, rack, group, server, kW at the hour, limit, % of
  // the limit (sortable; it follows the slider).
  QTableView* rackTable() const { return rack_table_; }
  QSortFilterProxyModel* rackTableProxy() const { return rack_proxy_; }
  QSlider* slider() const { return slider_; }
  const std::vector<FloorHall>& halls() const { return halls_; }

 private:
  friend class FloorCanvas;
  void updateLabel();

  std::vector<FloorHall> halls_;
  std::shared_ptr<const reports::ResultsFolder> folder_;
  const reports::CsvColumn* time_ = nullptr;  // folder_'s time column
  Mode mode_ = Mode::power_kw;
  QComboBox* mode_box_ = nullptr;
  QSlider* slider_ = nullptr;
  QLabel* time_label_ = nullptr;
  FloorCanvas* canvas_ = nullptr;
  RackTableModel* rack_model_ = nullptr;
  QSortFilterProxyModel* rack_proxy_ = nullptr;
  QTableView* rack_table_ = nullptr;
};

}  // namespace dcsim::gui
