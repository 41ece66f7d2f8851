// The dcsim-gui main window: opens scenarios and results folders, runs scenarios on a worker
// thread through the same calls as `dcsim run`, and shows the results as charts and tables.
#pragma once
#include <QElapsedTimer>
#include <QMainWindow>
#include <QStringList>

#include <atomic>
#include <memory>
#include <optional>

#include "gui/charts.h"
#include "gui/floor_view.h"
#include "gui/scenario_model.h"
#include "reports/results_folder.h"
#include "sim/scenario/scenario.h"

class QAction;
class QComboBox;
class QLabel;
class QMenu;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTableView;
class QThread;
class QTimer;
class QTreeView;
class QDockWidget;

namespace dcsim::gui {

class KpiModel;
class CsvTableModel;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Each returns false and shows why in the Messages panel (and messageText()) on failure.
  bool openPath(const QString& path);  // a folder is a results folder, a file a scenario
  bool openScenario(const QString& path);
  bool openResultsFolder(const QString& path);
  bool openCompareFolder(const QString& path);  // a second results folder to compare with

  void startRun();
  void cancelRun();
  bool isRunning() const { return thread_ != nullptr; }

  // Where runs write their results folder (`<root>/<scenario slug>`), like `dcsim run` without
  // -o does under results/. Empty: keep results in memory only (File > Save Results As).
  void setResultsRoot(const QString& dir) { results_root_ = dir; }
  QString resultsRoot() const { return results_root_; }

  QString messageText() const;
  Snapshot snapshot() const { return snapshot_; }
  ChartPanel* chartPanel(const QString& id) const;
  QList<ChartPanel*> chartPanels() const { return panels_; }
  QTableView* kpiView() const { return kpi_view_; }
  QTableView* yearlyKpiView() const { return yearly_view_; }  // kpis.csv, one row per year
  QComboBox* marketDimensionBox() const { return market_dimension_; }
  // The Scenario panel: the opened scenario's YAML as an editable tree. Each edit is validated
  // with the CLI's loader; a valid edit becomes the scenario Run uses.
  QTreeView* scenarioTree() const { return scenario_tree_; }
  ScenarioModel* scenarioModel() const { return scenario_model_; }
  bool scenarioEditsValid() const { return edits_valid_; }
  const std::optional<scenario::Scenario>& scenario() const { return scenario_; }
  // Writes the edited scenario as YAML to `path` (Save / Save As); false and a message on failure.
  bool saveScenarioTo(const QString& path);
  FloorPanel* floorPanel() const { return floor_; }
  // Writes one PNG per chart into `dir` (utilization.png, ..., floor.png); returns the files written.
  QStringList exportChartPngs(const QString& dir, QSize size = QSize(1200, 700));

 signals:
  void runProgress(double fraction);
  // After a run ends: ok (results shown), cancelled, or failed (message shown).
  void runFinished(bool ok, bool cancelled);

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  struct RunOutput;
  void buildMenus();
  void showMessage(const QString& text, bool error);
  void setSnapshot(Snapshot s, const QString& source);
  void showScenarioYaml(const std::string& yaml);
  void validateEdits();
  void saveScenario(bool ask);
  void fillFloor();
  void addRecent(const QString& path);
  void rebuildRecentMenu();
  void updateActions();
  void onRunDone();
  void saveResolvedAs();
  void saveResultsAs();
  void exportCurrentChart(bool png);
  void chooseResultsRoot();
  ChartPanel* currentPanel() const;
  void fillMarketTab();

  QTabWidget* tabs_ = nullptr;
  QList<ChartPanel*> panels_;
  QTableView* kpi_view_ = nullptr;
  KpiModel* kpi_model_ = nullptr;
  QWidget* summary_page_ = nullptr;
  QTableView* yearly_view_ = nullptr;
  CsvTableModel* yearly_model_ = nullptr;
  QWidget* market_page_ = nullptr;
  QComboBox* market_dimension_ = nullptr;
  QTreeView* scenario_tree_ = nullptr;
  ScenarioModel* scenario_model_ = nullptr;
  QLabel* scenario_status_ = nullptr;
  FloorPanel* floor_ = nullptr;
  QAction* save_scenario_action_ = nullptr;
  QAction* save_scenario_as_action_ = nullptr;
  bool edits_valid_ = true;
  bool edits_unsaved_ = false;
  QString scenario_file_;  // where Save writes the edited scenario; empty: ask (results folders)
  QPlainTextEdit* messages_ = nullptr;
  QDockWidget* messages_dock_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* elapsed_label_ = nullptr;
  QPushButton* cancel_button_ = nullptr;
  QTimer* elapsed_timer_ = nullptr;
  QElapsedTimer elapsed_;
  QMenu* recent_menu_ = nullptr;
  QAction* run_action_ = nullptr;
  QAction* cancel_action_ = nullptr;
  QAction* save_resolved_action_ = nullptr;
  QAction* save_results_action_ = nullptr;

  std::optional<scenario::Scenario> scenario_;  // the opened scenario, validated
  QString scenario_path_;
  std::string resolved_yaml_;                   // of the scenario or the results shown
  Snapshot snapshot_;
  Snapshot compare_;
  std::optional<reports::ResultsFiles> run_files_;  // the last run's files, for Save Results As
  QString results_root_;
  QString last_message_;

  QThread* thread_ = nullptr;
  std::shared_ptr<std::atomic<bool>> cancel_;
  std::shared_ptr<RunOutput> output_;
};

}  // namespace dcsim::gui
